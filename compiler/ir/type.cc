#include "compiler/ir/type.h"

#include "absl/strings/str_cat.h"

namespace backplane::ir {

std::string Type::ToString() const {
  switch (kind_) {
    case Kind::kTensor:
      return tensor_.ToString();
    case Kind::kToken:
      return "!stablehlo.token";
    case Kind::kTuple:
      return absl::StrCat("tuple<", TypeListToString(tuple_), ">");
  }
  return "";
}

std::string TypeListToString(const std::vector<Type>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += ", ";
    out += types[i].ToString();
  }
  return out;
}

}  // namespace backplane::ir
