#include "compiler/ir/opcode.h"

#include "absl/container/flat_hash_map.h"
#include "compiler/ir/op_traits.h"

namespace backplane::ir {
namespace {

const absl::flat_hash_map<absl::string_view, OpCode>& NameTable() {
  static const auto* table = [] {
    auto* t = new absl::flat_hash_map<absl::string_view, OpCode>();
    for (int i = 1; i < static_cast<int>(OpCode::kNumOpCodes); ++i) {
      (*t)[kOpTraits[i].name] = static_cast<OpCode>(i);
    }
    (*t)["call"] = OpCode::kFuncCall;
    (*t)["return"] = OpCode::kFuncReturn;
    return t;
  }();
  return *table;
}

}  // namespace

absl::string_view OpCodeName(OpCode code) { return Traits(code).name; }

OpCode OpCodeFromName(absl::string_view name) {
  auto it = NameTable().find(name);
  return it == NameTable().end() ? OpCode::kUnknown : it->second;
}

bool IsElementwiseSameType(OpCode code) {
  // The StableHLO unary, binary and clamp ops, and abs, whose result is real
  // for complex operands (the verifier checks that).
  const OpTraits& t = Traits(code);
  if (t.name.substr(0, 10) != "stablehlo.") return false;
  return t.elementwise == ElementwiseClass::kUnary ||
         t.elementwise == ElementwiseClass::kBinary ||
         t.elementwise == ElementwiseClass::kClamp || code == OpCode::kAbs;
}

}  // namespace backplane::ir
