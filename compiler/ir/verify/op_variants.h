// The op enumeration shared by the verifier's completeness test and the
// every-backend test (tests/plugins/op_enumeration_test): every opcode with
// 0-3 operands of f32 or i32 tensor<2x...>, with and without a result, as a
// module whose @main takes three such arguments.
//
//   ForEachOpVariant([&](const OpVariant& v) {
//     std::string text = OpVariantModule(v, /*return_result=*/true);
//     ...
//   });
#ifndef BACKPLANE_COMPILER_IR_VERIFY_OP_VARIANTS_H_
#define BACKPLANE_COMPILER_IR_VERIFY_OP_VARIANTS_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/opcode.h"

namespace backplane::ir::verify {

struct OpVariant {
  OpCode code;
  int operands;
  ElementType element;
  bool with_result;
};

template <typename Fn>
void ForEachOpVariant(Fn&& fn) {
  for (int c = 1; c < static_cast<int>(OpCode::kNumOpCodes); ++c) {
    for (int operands = 0; operands <= 3; ++operands) {
      for (ElementType element : {ElementType::kF32, ElementType::kS32}) {
        for (bool with_result : {false, true}) {
          fn(OpVariant{static_cast<OpCode>(c), operands, element, with_result});
        }
      }
    }
  }
}

inline std::string DescribeOpVariant(const OpVariant& v) {
  return absl::StrCat(OpCodeName(v.code), " with ", v.operands, " ",
                      ElementTypeToMlir(v.element), " operand(s), ",
                      v.with_result ? "one result" : "no result");
}

// The op applied to the first `v.operands` arguments. With
// `return_result`, @main returns the op's result (when it has one), so no
// backend can drop the op as dead.
inline std::string OpVariantModule(const OpVariant& v, bool return_result) {
  const std::string type =
      absl::StrCat("tensor<2x", ElementTypeToMlir(v.element), ">");
  const bool returns = return_result && v.with_result;
  std::vector<std::string> args, operands, types;
  for (int i = 0; i < 3; ++i) args.push_back(absl::StrCat("%a", i, ": ", type));
  for (int i = 0; i < v.operands; ++i) {
    operands.push_back(absl::StrCat("%a", i));
    types.push_back(type);
  }
  return absl::StrCat("func.func @main(", absl::StrJoin(args, ", "), ")",
                      returns ? absl::StrCat(" -> ", type) : "", " {\n  ",
                      v.with_result ? "%0 = " : "", "\"", OpCodeName(v.code),
                      "\"(", absl::StrJoin(operands, ", "), ") : (",
                      absl::StrJoin(types, ", "), ") -> ",
                      v.with_result ? type : "()", "\n  func.return",
                      returns ? absl::StrCat(" %0 : ", type) : "", "\n}\n");
}

}  // namespace backplane::ir::verify

#endif  // BACKPLANE_COMPILER_IR_VERIFY_OP_VARIANTS_H_
