// Every opcode with 0-3 operands of f32 or i32 tensors, with and without a
// result: the verifier must reject it (INVALID_ARGUMENT naming the op) or
// the reference interpreter must run it without crashing.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/literal.h"
#include "compiler/ir/opcode.h"
#include "compiler/ir/verifier.h"
#include "compiler/ir/verify/op_variants.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::ir::verify {
namespace {

// The verifier's verdict, or the interpreter's run if it accepts; a crash
// ends the test binary.
void Check(const OpVariant& v) {
  const std::string text = OpVariantModule(v, /*return_result=*/false);
  absl::StatusOr<std::unique_ptr<Module>> module = parser::ParseModule(text);
  ASSERT_TRUE(module.ok()) << DescribeOpVariant(v) << ": " << module.status()
                           << "\n"
                           << text;
  absl::Status verified = VerifyModule(**module);
  if (!verified.ok()) {
    EXPECT_EQ(verified.code(), absl::StatusCode::kInvalidArgument)
        << DescribeOpVariant(v) << ": " << verified;
    EXPECT_THAT(std::string(verified.message()),
                ::testing::HasSubstr(std::string(OpCodeName(v.code))))
        << DescribeOpVariant(v);
    return;
  }
  // Names the variant in the log should the run below crash.
  std::cerr << "running " << DescribeOpVariant(v) << "\n";
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
  ForEachOpVariant([&](const OpVariant& v) {
    Check(v);
    ++variants;
  });
  EXPECT_EQ(variants, 16 * (static_cast<int>(OpCode::kNumOpCodes) - 1));
}

}  // namespace
}  // namespace backplane::ir::verify
