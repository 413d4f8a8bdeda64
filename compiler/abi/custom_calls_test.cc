#include "compiler/abi/custom_calls.h"

#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::abi {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::unique_ptr<ir::Module>> ParseNamed(const char* text) {
  parser::ParseOptions options;
  options.filename = "prog.mlir";
  return parser::ParseModule(text, options);
}

constexpr char kProgram[] = R"(
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = stablehlo.custom_call @vendor.fancy(%a) : (tensor<2xf32>) -> tensor<2xf32>
  stablehlo.custom_call @check.expect_eq(%0, %a) {has_side_effect = true} : (tensor<2xf32>, tensor<2xf32>) -> ()
  return %0 : tensor<2xf32>
})";

TEST(CustomCallsTest, UnknownTargetIsUnimplementedNamingTargetAndLocation) {
  auto module = ParseNamed(kProgram);
  ASSERT_TRUE(module.ok()) << module.status();
  absl::Status status = CheckCustomCallTargets(**module, "cpu");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(status.message(), HasSubstr("prog.mlir:3:"));
  EXPECT_THAT(status.message(),
              HasSubstr("stablehlo.custom_call @vendor.fancy: the cpu plugin "
                        "has no implementation of this call target"));
}

TEST(CustomCallsTest, SupportedAndCheckTargetsAreAccepted) {
  auto module = ParseNamed(kProgram);
  ASSERT_TRUE(module.ok()) << module.status();
  EXPECT_TRUE(CheckCustomCallTargets(**module, "cpu", [](absl::string_view t) {
                return t == "vendor.fancy";
              }).ok());
}

TEST(CustomCallsTest, ProgramWithoutCustomCallsPasses) {
  auto module = parser::ParseModule(R"(
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
})");
  ASSERT_TRUE(module.ok()) << module.status();
  EXPECT_TRUE(CheckCustomCallTargets(**module, "sim").ok());
}

}  // namespace
}  // namespace backplane::abi
