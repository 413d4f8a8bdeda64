// Typed named values on the C++ side of the kit, and their conversion to and
// from the ABI's BPL_NamedValue arrays (attributes, options, statistics).
#ifndef BACKPLANE_PLUGINS_KIT_NAMED_VALUE_H_
#define BACKPLANE_PLUGINS_KIT_NAMED_VALUE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "api/backplane_c_api.h"

namespace backplane::kit {

using Value = std::variant<std::string, int64_t, std::vector<int64_t>, double,
                           bool, std::vector<std::string>>;

struct NamedValue {
  std::string name;
  Value value;
};

BPL_ValueType TypeOf(const Value& value);
// "string", "int64", "int64_list", "float64", "bool", "string_list".
const char* ValueTypeName(BPL_ValueType type);
std::string ValueToString(const Value& value);

// Owns the storage behind a BPL_NamedValue array handed out through the ABI;
// the pointers stay valid as long as this object lives and is not changed.
class NamedValueArray {
 public:
  explicit NamedValueArray(std::vector<NamedValue> values);
  NamedValueArray(const NamedValueArray&) = delete;
  NamedValueArray& operator=(const NamedValueArray&) = delete;

  const BPL_NamedValue* data() const { return c_values_.data(); }
  size_t size() const { return c_values_.size(); }
  const std::vector<NamedValue>& values() const { return values_; }

 private:
  std::vector<NamedValue> values_;
  std::vector<std::vector<const char*>> string_lists_;
  std::vector<BPL_NamedValue> c_values_;
};

// Reads a caller's BPL_NamedValue array, validating every entry (NULL
// pointers, unknown value types, struct sizes). `what` names the array in
// errors, e.g. "client option".
absl::StatusOr<std::vector<NamedValue>> ReadNamedValues(
    const BPL_NamedValue* values, size_t count, absl::string_view what);

// What a plugin accepts as an option: name, type and a one-line description.
struct OptionSpec {
  std::string name;
  BPL_ValueType type;
  std::string description;
};

// Validated options with typed accessors. Unknown names and mistyped values
// are rejected by Parse with INVALID_ARGUMENT naming the option.
class Options {
 public:
  Options() = default;

  // `schema` lists the accepted options; `what` names them in errors
  // ("client option").
  static absl::StatusOr<Options> Parse(std::vector<NamedValue> values,
                                       absl::Span<const OptionSpec> schema,
                                       absl::string_view what);

  bool Has(absl::string_view name) const;
  int64_t GetInt64(absl::string_view name, int64_t default_value) const;
  double GetFloat64(absl::string_view name, double default_value) const;
  bool GetBool(absl::string_view name, bool default_value) const;
  std::string GetString(absl::string_view name,
                        absl::string_view default_value) const;
  std::vector<int64_t> GetInt64List(absl::string_view name) const;
  std::vector<std::string> GetStringList(absl::string_view name) const;
  const std::map<std::string, Value, std::less<>>& all() const {
    return values_;
  }

 private:
  std::map<std::string, Value, std::less<>> values_;
};

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_NAMED_VALUE_H_
