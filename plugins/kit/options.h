// Option schemas and validated option sets for plugins built with the kit.
#ifndef BACKPLANE_PLUGINS_KIT_OPTIONS_H_
#define BACKPLANE_PLUGINS_KIT_OPTIONS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "api/backplane_c_api.h"
#include "api/cpp/named_value.h"

namespace backplane::kit {

using ::backplane::NamedValue;
using ::backplane::NamedValueArray;
using ::backplane::Value;

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

#endif  // BACKPLANE_PLUGINS_KIT_OPTIONS_H_
