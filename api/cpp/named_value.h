// Typed named values (options, attributes, statistics) in C++, and their
// conversion to and from the ABI's BPL_NamedValue arrays. Shared by the
// framework API and the plugin kit.
#ifndef BACKPLANE_API_CPP_NAMED_VALUE_H_
#define BACKPLANE_API_CPP_NAMED_VALUE_H_

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

namespace backplane {

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

}  // namespace backplane

#endif  // BACKPLANE_API_CPP_NAMED_VALUE_H_
