#include "plugins/kit/options.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace backplane::kit {

absl::StatusOr<Options> Options::Parse(std::vector<NamedValue> values,
                                       absl::Span<const OptionSpec> schema,
                                       absl::string_view what) {
  Options options;
  for (NamedValue& nv : values) {
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : schema) {
      if (s.name == nv.name) spec = &s;
    }
    if (spec == nullptr) {
      std::vector<std::string> known;
      for (const OptionSpec& s : schema) {
        known.push_back(absl::StrCat(s.name, ":", ValueTypeName(s.type)));
      }
      return absl::InvalidArgumentError(
          absl::StrCat("unknown ", what, " '", nv.name, "'; accepted: ",
                       known.empty() ? "none" : absl::StrJoin(known, ", ")));
    }
    BPL_ValueType type = TypeOf(nv.value);
    // An int64 is accepted where a float64 is expected: no information lost
    // for the values options take, and it spares callers a common mistake.
    if (type == BPL_VALUE_INT64 && spec->type == BPL_VALUE_FLOAT64) {
      nv.value = static_cast<double>(std::get<int64_t>(nv.value));
      type = BPL_VALUE_FLOAT64;
    }
    if (type != spec->type) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " '", nv.name, "' must be of type ", ValueTypeName(spec->type),
          ", got ", ValueTypeName(type), " ", ValueToString(nv.value)));
    }
    if (!options.values_.emplace(nv.name, std::move(nv.value)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " '", nv.name, "' is given more than once"));
    }
  }
  return options;
}

bool Options::Has(absl::string_view name) const {
  return values_.find(name) != values_.end();
}

int64_t Options::GetInt64(absl::string_view name, int64_t d) const {
  auto it = values_.find(name);
  return it == values_.end() ? d : std::get<int64_t>(it->second);
}

double Options::GetFloat64(absl::string_view name, double d) const {
  auto it = values_.find(name);
  return it == values_.end() ? d : std::get<double>(it->second);
}

bool Options::GetBool(absl::string_view name, bool d) const {
  auto it = values_.find(name);
  return it == values_.end() ? d : std::get<bool>(it->second);
}

std::string Options::GetString(absl::string_view name,
                               absl::string_view d) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string(d)
                             : std::get<std::string>(it->second);
}

std::vector<int64_t> Options::GetInt64List(absl::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<int64_t>{}
                             : std::get<std::vector<int64_t>>(it->second);
}

std::vector<std::string> Options::GetStringList(absl::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{}
                             : std::get<std::vector<std::string>>(it->second);
}

}  // namespace backplane::kit
