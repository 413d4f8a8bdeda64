#include "compiler/passes/dce.h"

#include "compiler/passes/test_util.h"
#include "gtest/gtest.h"

namespace backplane::passes {
namespace {

using testing::ExpectRewrite;

TEST(DceTest, RemovesDeadChains) {
  std::unique_ptr<Pass> dce = CreateDcePass();
  ExpectRewrite(*dce, R"(
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = stablehlo.negate %x : tensor<2xf32>
  %1 = stablehlo.exponential %0 : tensor<2xf32>
  %2 = stablehlo.abs %x : tensor<2xf32>
  return %2 : tensor<2xf32>
})",
                R"(
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %2 = stablehlo.abs %x : tensor<2xf32>
  return %2 : tensor<2xf32>
})");
}

TEST(DceTest, KeepsSideEffects) {
  std::unique_ptr<Pass> dce = CreateDcePass();
  const char* text = R"(
func.func @main(%x: tensor<2xf32>, %t: !stablehlo.token) -> tensor<2xf32> {
  %0 = stablehlo.custom_call @foo(%x) {has_side_effect = true} : (tensor<2xf32>) -> tensor<2xf32>
  %1 = stablehlo.outfeed %x, %t : (tensor<2xf32>, !stablehlo.token) -> !stablehlo.token
  %2 = "stablehlo.all_reduce"(%x) ({
    ^bb0(%a: tensor<f32>, %b: tensor<f32>):
      %s = stablehlo.add %a, %b : tensor<f32>
      stablehlo.return %s : tensor<f32>
  }) {replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<2xf32>) -> tensor<2xf32>
  check.expect_eq_const %x, dense<[1.0, 2.0]> : tensor<2xf32>
  return %x : tensor<2xf32>
})";
  ExpectRewrite(*dce, text, text, /*expect_changed=*/false);
}

TEST(DceTest, RemovesPureCustomCallsAndCleansRegions) {
  std::unique_ptr<Pass> dce = CreateDcePass();
  ExpectRewrite(*dce, R"(
func.func @main(%x: tensor<f32>) -> tensor<f32> {
  %0 = stablehlo.custom_call @foo(%x) : (tensor<f32>) -> tensor<f32>
  %1 = "stablehlo.while"(%x) ({
    ^bb0(%a: tensor<f32>):
      %dead = stablehlo.negate %a : tensor<f32>
      %c = stablehlo.compare LT, %a, %a : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
  }, {
    ^bb0(%a: tensor<f32>):
      stablehlo.return %a : tensor<f32>
  }) : (tensor<f32>) -> tensor<f32>
  return %1 : tensor<f32>
})",
                R"(
func.func @main(%x: tensor<f32>) -> tensor<f32> {
  %1 = "stablehlo.while"(%x) ({
    ^bb0(%a: tensor<f32>):
      %c = stablehlo.compare LT, %a, %a : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
  }, {
    ^bb0(%a: tensor<f32>):
      stablehlo.return %a : tensor<f32>
  }) : (tensor<f32>) -> tensor<f32>
  return %1 : tensor<f32>
})");
}

TEST(DceTest, KeepsLoopsWhoseBodiesHaveSideEffects) {
  std::unique_ptr<Pass> dce = CreateDcePass();
  const char* text = R"(
func.func @main(%x: tensor<f32>) -> tensor<f32> {
  %1 = "stablehlo.while"(%x) ({
    ^bb0(%a: tensor<f32>):
      %c = stablehlo.compare LT, %a, %a : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
  }, {
    ^bb0(%a: tensor<f32>):
      %p = stablehlo.custom_call @print(%a) {has_side_effect = true} : (tensor<f32>) -> tensor<f32>
      stablehlo.return %a : tensor<f32>
  }) : (tensor<f32>) -> tensor<f32>
  return %x : tensor<f32>
})";
  ExpectRewrite(*dce, text, text, /*expect_changed=*/false);
}

}  // namespace
}  // namespace backplane::passes
