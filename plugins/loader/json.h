// A small JSON reader for plugin manifests. Accepts RFC 8259 JSON; reports
// errors with line and column. Not a general-purpose library: values are
// read-only and documents are expected to be small.
#ifndef BACKPLANE_PLUGINS_LOADER_JSON_H_
#define BACKPLANE_PLUGINS_LOADER_JSON_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backplane::loader {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind() const { return kind_; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_array() const { return kind_ == Kind::kArray; }

  bool bool_value() const { return bool_; }
  double number_value() const { return number_; }
  const std::string& string_value() const { return string_; }
  const std::vector<JsonValue>& array() const { return array_; }
  // Object members in document order.
  const std::vector<std::pair<std::string, JsonValue>>& members() const {
    return members_;
  }
  // The member named `key`, or nullptr.
  const JsonValue* Find(absl::string_view key) const;

 private:
  friend class JsonParser;
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

}  // namespace backplane::loader

#endif  // BACKPLANE_PLUGINS_LOADER_JSON_H_
