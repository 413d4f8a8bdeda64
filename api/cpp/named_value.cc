#include "api/cpp/named_value.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace backplane {

BPL_ValueType TypeOf(const Value& value) {
  switch (value.index()) {
    case 0:
      return BPL_VALUE_STRING;
    case 1:
      return BPL_VALUE_INT64;
    case 2:
      return BPL_VALUE_INT64_LIST;
    case 3:
      return BPL_VALUE_FLOAT64;
    case 4:
      return BPL_VALUE_BOOL;
    default:
      return BPL_VALUE_STRING_LIST;
  }
}

const char* ValueTypeName(BPL_ValueType type) {
  switch (type) {
    case BPL_VALUE_STRING:
      return "string";
    case BPL_VALUE_INT64:
      return "int64";
    case BPL_VALUE_INT64_LIST:
      return "int64_list";
    case BPL_VALUE_FLOAT64:
      return "float64";
    case BPL_VALUE_BOOL:
      return "bool";
    case BPL_VALUE_STRING_LIST:
      return "string_list";
  }
  return "unknown";
}

std::string ValueToString(const Value& value) {
  switch (value.index()) {
    case 0:
      return absl::StrCat("\"", std::get<0>(value), "\"");
    case 1:
      return absl::StrCat(std::get<1>(value));
    case 2:
      return absl::StrCat("[", absl::StrJoin(std::get<2>(value), ", "), "]");
    case 3:
      return absl::StrCat(std::get<3>(value));
    case 4:
      return std::get<4>(value) ? "true" : "false";
    default: {
      const auto& list = std::get<5>(value);
      if (list.empty()) return "[]";
      return absl::StrCat("[\"", absl::StrJoin(list, "\", \""), "\"]");
    }
  }
}

NamedValueArray::NamedValueArray(std::vector<NamedValue> values)
    : values_(std::move(values)) {
  string_lists_.resize(values_.size());
  c_values_.resize(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    const NamedValue& nv = values_[i];
    BPL_NamedValue& c = c_values_[i];
    c = BPL_NamedValue{};
    c.struct_size = BPL_NamedValue_STRUCT_SIZE;
    c.name = nv.name.c_str();
    c.name_size = nv.name.size();
    c.type = TypeOf(nv.value);
    switch (c.type) {
      case BPL_VALUE_STRING: {
        const auto& s = std::get<std::string>(nv.value);
        c.value.string_value = s.c_str();
        c.value_size = s.size();
        break;
      }
      case BPL_VALUE_INT64:
        c.value.int64_value = std::get<int64_t>(nv.value);
        c.value_size = 1;
        break;
      case BPL_VALUE_INT64_LIST: {
        const auto& v = std::get<std::vector<int64_t>>(nv.value);
        c.value.int64_list_value = v.data();
        c.value_size = v.size();
        break;
      }
      case BPL_VALUE_FLOAT64:
        c.value.float64_value = std::get<double>(nv.value);
        c.value_size = 1;
        break;
      case BPL_VALUE_BOOL:
        c.value.bool_value = std::get<bool>(nv.value);
        c.value_size = 1;
        break;
      case BPL_VALUE_STRING_LIST: {
        const auto& v = std::get<std::vector<std::string>>(nv.value);
        for (const auto& s : v) string_lists_[i].push_back(s.c_str());
        c.value.string_list_value = string_lists_[i].data();
        c.value_size = v.size();
        break;
      }
    }
  }
}

absl::StatusOr<std::vector<NamedValue>> ReadNamedValues(
    const BPL_NamedValue* values, size_t count, absl::string_view what) {
  std::vector<NamedValue> out;
  if (count == 0) return out;
  if (values == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " array is NULL but its count is ", count));
  }
  constexpr size_t kMinSize = BPL_NamedValue_STRUCT_SIZE;
  for (size_t i = 0; i < count; ++i) {
    const BPL_NamedValue& v = values[i];
    if (v.struct_size < kMinSize) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " #", i, ": struct_size ", v.struct_size,
                       " is smaller than BPL_NamedValue's ", kMinSize));
    }
    if (v.name == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " #", i, ": name is NULL"));
    }
    std::string name(v.name, v.name_size);
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " '", name, "': ", why));
    };
    NamedValue nv{name, int64_t{0}};
    // Read as an integer: a caller may store any value in the enum field.
    int32_t raw_type;
    std::memcpy(&raw_type, &v.type, sizeof(raw_type));
    switch (raw_type) {
      case BPL_VALUE_STRING:
        if (v.value.string_value == nullptr && v.value_size != 0) {
          return bad("string value is NULL");
        }
        nv.value = std::string(
            v.value.string_value == nullptr ? "" : v.value.string_value,
            v.value_size);
        break;
      case BPL_VALUE_INT64:
        nv.value = v.value.int64_value;
        break;
      case BPL_VALUE_INT64_LIST:
        if (v.value.int64_list_value == nullptr && v.value_size != 0) {
          return bad("int64 list is NULL");
        }
        nv.value = std::vector<int64_t>(
            v.value.int64_list_value, v.value.int64_list_value + v.value_size);
        break;
      case BPL_VALUE_FLOAT64:
        nv.value = v.value.float64_value;
        break;
      case BPL_VALUE_BOOL:
        nv.value = v.value.bool_value;
        break;
      case BPL_VALUE_STRING_LIST: {
        if (v.value.string_list_value == nullptr && v.value_size != 0) {
          return bad("string list is NULL");
        }
        std::vector<std::string> list;
        for (size_t k = 0; k < v.value_size; ++k) {
          if (v.value.string_list_value[k] == nullptr) {
            return bad(absl::StrCat("string list element ", k, " is NULL"));
          }
          list.emplace_back(v.value.string_list_value[k]);
        }
        nv.value = std::move(list);
        break;
      }
      default:
        return bad(
            absl::StrCat("unknown value type ", static_cast<int64_t>(v.type)));
    }
    out.push_back(std::move(nv));
  }
  return out;
}

}  // namespace backplane
