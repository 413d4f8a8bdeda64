// Every opcode with 0-3 operands of f32 or i32 tensors, with and without a
// result: the verifier must reject it (INVALID_ARGUMENT naming the op) or
// the reference interpreter must run it without crashing.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/literal.h"
#include "compiler/ir/opcode.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::ir::verify {
namespace {

struct Variant {
  OpCode code;
  int operands;
  ElementType element;
  bool with_result;
};

std::string Describe(const Variant& v) {
  return absl::StrCat(OpCodeName(v.code), " with ", v.operands, " ",
                      ElementTypeToMlir(v.element), " operand(s), ",
                      v.with_result ? "one result" : "no result");
}

std::string ModuleText(const Variant& v) {
  const std::string type =
      absl::StrCat("tensor<2x", ElementTypeToMlir(v.element), ">");
  std::vector<std::string> args, operands, types;
  for (int i = 0; i < 3; ++i) args.push_back(absl::StrCat("%a", i, ": ", type));
  for (int i = 0; i < v.operands; ++i) {
    operands.push_back(absl::StrCat("%a", i));
    types.push_back(type);
  }
  return absl::StrCat("func.func @main(", absl::StrJoin(args, ", "), ") {\n  ",
                      v.with_result ? "%0 = " : "", "\"", OpCodeName(v.code),
                      "\"(", absl::StrJoin(operands, ", "), ") : (",
                      absl::StrJoin(types, ", "), ") -> ",
                      v.with_result ? type : "()", "\n  func.return\n}\n");
}

// The verifier's verdict, or the interpreter's run if it accepts; a crash
// ends the test binary.
void Check(const Variant& v) {
  const std::string text = ModuleText(v);
  absl::StatusOr<std::unique_ptr<Module>> module = parser::ParseModule(text);
  ASSERT_TRUE(module.ok()) << Describe(v) << ": " << module.status() << "\n"
                           << text;
  absl::Status verified = VerifyModule(**module);
  if (!verified.ok()) {
    EXPECT_EQ(verified.code(), absl::StatusCode::kInvalidArgument)
        << Describe(v) << ": " << verified;
    EXPECT_THAT(std::string(verified.message()),
                ::testing::HasSubstr(std::string(OpCodeName(v.code))))
        << Describe(v);
    return;
  }
  // Names the variant in the log should the run below crash.
  std::cerr << "running " << Describe(v) << "\n";
  interpreter::InterpreterOptions options;
  options.verify = false;  // Verified above.
  auto interp = interpreter::Interpreter::Create(**module, options);
  if (!interp.ok()) return;
  const Literal arg(TensorType(v.element, {2}));
  const std::vector<Literal> args(3, arg);
  // Any status is fine; not crashing is the point.
  (void)(*interp)->Run("main", args);
}

TEST(OpEnumerationTest, EveryOpIsRejectedOrRuns) {
  int variants = 0;
  for (int c = 1; c < static_cast<int>(OpCode::kNumOpCodes); ++c) {
    for (int operands = 0; operands <= 3; ++operands) {
      for (ElementType element : {ElementType::kF32, ElementType::kS32}) {
        for (bool with_result : {false, true}) {
          Check({static_cast<OpCode>(c), operands, element, with_result});
          ++variants;
        }
      }
    }
  }
  EXPECT_EQ(variants, 16 * (static_cast<int>(OpCode::kNumOpCodes) - 1));
}

}  // namespace
}  // namespace backplane::ir::verify
