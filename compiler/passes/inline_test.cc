#include "compiler/passes/inline.h"

#include "compiler/passes/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::passes {
namespace {

using testing::ExpectRewrite;
using ::testing::HasSubstr;
using testing::RunOnText;

TEST(InlineTest, InlinesNestedCallsAndDropsPrivateFunctions) {
  std::unique_ptr<Pass> pass = CreateInlinePass();
  ExpectRewrite(*pass, R"(
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = call @outer(%x) : (tensor<2xf32>) -> tensor<2xf32>
  %1 = call @inner(%0) : (tensor<2xf32>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}
func.func private @outer(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = stablehlo.negate %a : tensor<2xf32>
  %1 = call @inner(%0) : (tensor<2xf32>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}
func.func private @inner(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = stablehlo.exponential %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func private @unused(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
func.func @public_helper(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
})",
                R"(
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = stablehlo.negate %x : tensor<2xf32>
  %1 = stablehlo.exponential %0 : tensor<2xf32>
  %2 = stablehlo.exponential %1 : tensor<2xf32>
  return %2 : tensor<2xf32>
}
func.func @public_helper(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
})");
}

TEST(InlineTest, InlinesInsideRegionsAndForwardsArguments) {
  std::unique_ptr<Pass> pass = CreateInlinePass();
  ExpectRewrite(*pass, R"(
func.func @main(%p: tensor<i1>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %r = "stablehlo.if"(%p) ({
    %0:2 = func.call @swap(%x, %x) : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
    stablehlo.return %0#0 : tensor<f32>
  }, {
    stablehlo.return %x : tensor<f32>
  }) : (tensor<i1>) -> tensor<f32>
  return %r, %x : tensor<f32>, tensor<f32>
}
func.func private @swap(%a: tensor<f32>, %b: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  return %b, %a : tensor<f32>, tensor<f32>
})",
                R"(
func.func @main(%p: tensor<i1>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %r = "stablehlo.if"(%p) ({
    stablehlo.return %x : tensor<f32>
  }, {
    stablehlo.return %x : tensor<f32>
  }) : (tensor<i1>) -> tensor<f32>
  return %r, %x : tensor<f32>, tensor<f32>
})");
}

TEST(InlineTest, KeepsPrivateFunctionsReferencedByAttributes) {
  std::unique_ptr<Pass> pass = CreateInlinePass();
  const char* text = R"(
func.func @main(%x: tensor<f32>) -> tensor<f32> {
  %0 = stablehlo.custom_call @foo(%x) {called_computations = [@body]} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func private @body(%a: tensor<f32>) -> tensor<f32> {
  return %a : tensor<f32>
})";
  ExpectRewrite(*pass, text, text, /*expect_changed=*/false);
}

TEST(InlineTest, ReportsRecursion) {
  std::unique_ptr<Pass> pass = CreateInlinePass();
  absl::Status s = RunOnText(*pass, R"(
func.func @main(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @a(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func private @a(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @b(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func private @b(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @a(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
})");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("recursive call chain @a -> @b -> @a"));

  s = RunOnText(*pass, R"(
func.func @main(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @main(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
})");
  EXPECT_THAT(s.message(), HasSubstr("recursive call chain @main -> @main"));
}

TEST(InlineTest, StopsExponentialGrowth) {
  InlineOptions options;
  options.max_ops = 100;
  std::unique_ptr<Pass> pass = CreateInlinePass(options);
  std::string text = R"(
func.func @main(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @f0(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
})";
  // Each function calls the next twice: 2^10 copies of @f10 when inlined.
  for (int i = 0; i < 10; ++i) {
    text += "\nfunc.func private @f" + std::to_string(i) +
            "(%x: tensor<f32>) -> tensor<f32> {\n"
            "  %0 = call @f" +
            std::to_string(i + 1) +
            "(%x) : (tensor<f32>) -> tensor<f32>\n"
            "  %1 = call @f" +
            std::to_string(i + 1) +
            "(%0) : (tensor<f32>) -> tensor<f32>\n"
            "  return %1 : tensor<f32>\n}";
  }
  text += R"(
func.func private @f10(%x: tensor<f32>) -> tensor<f32> {
  %0 = stablehlo.negate %x : tensor<f32>
  return %0 : tensor<f32>
})";
  absl::Status s = RunOnText(*pass, text);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("past 100 ops"));
}

}  // namespace
}  // namespace backplane::passes
