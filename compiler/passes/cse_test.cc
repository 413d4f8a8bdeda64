#include "compiler/passes/cse.h"

#include "compiler/passes/test_util.h"
#include "gtest/gtest.h"

namespace backplane::passes {
namespace {

using testing::ExpectRewrite;

TEST(CseTest, MergesIdenticalOps) {
  std::unique_ptr<Pass> cse = CreateCsePass();
  ExpectRewrite(*cse, R"(
func.func @main(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %c0 = stablehlo.constant dense<1.0> : tensor<2xf32>
  %c1 = stablehlo.constant dense<1.0> : tensor<2xf32>
  %0 = stablehlo.add %x, %c0 : tensor<2xf32>
  %1 = stablehlo.add %x, %c1 : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
})",
                R"(
func.func @main(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %c0 = stablehlo.constant dense<1.0> : tensor<2xf32>
  %0 = stablehlo.add %x, %c0 : tensor<2xf32>
  return %0, %0 : tensor<2xf32>, tensor<2xf32>
})");
}

TEST(CseTest, KeepsOpsThatDiffer) {
  std::unique_ptr<Pass> cse = CreateCsePass();
  // Different attributes (direction), operand order, constant bits (+0 vs
  // -0), result types; and ops that must not merge: rng, side effects.
  const char* text = R"(
func.func @main(%x: tensor<2xf32>, %y: tensor<2xf32>, %lo: tensor<f32>, %sh: tensor<1xi64>) -> () {
  %0 = stablehlo.compare LT, %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>
  %1 = stablehlo.compare GT, %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>
  %2 = stablehlo.subtract %x, %y : tensor<2xf32>
  %3 = stablehlo.subtract %y, %x : tensor<2xf32>
  %4 = stablehlo.constant dense<0.0> : tensor<2xf32>
  %5 = stablehlo.constant dense<-0.0> : tensor<2xf32>
  %6 = stablehlo.convert %x : (tensor<2xf32>) -> tensor<2xf64>
  %7 = stablehlo.convert %x : (tensor<2xf32>) -> tensor<2xf16>
  %8 = stablehlo.rng %lo, %lo, %sh, distribution = UNIFORM : (tensor<f32>, tensor<f32>, tensor<1xi64>) -> tensor<2xf32>
  %9 = stablehlo.rng %lo, %lo, %sh, distribution = UNIFORM : (tensor<f32>, tensor<f32>, tensor<1xi64>) -> tensor<2xf32>
  %10 = stablehlo.custom_call @f(%x) {has_side_effect = true} : (tensor<2xf32>) -> tensor<2xf32>
  %11 = stablehlo.custom_call @f(%x) {has_side_effect = true} : (tensor<2xf32>) -> tensor<2xf32>
  return
})";
  ExpectRewrite(*cse, text, text, /*expect_changed=*/false);
}

TEST(CseTest, RegionsAreSeparateScopes) {
  std::unique_ptr<Pass> cse = CreateCsePass();
  // Inside a region, duplicates merge; nothing merges with the enclosing
  // function, with the sibling region, or out of a region.
  ExpectRewrite(*cse, R"(
func.func @main(%p: tensor<i1>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %outer = stablehlo.negate %x : tensor<f32>
  %r = "stablehlo.if"(%p) ({
    %a = stablehlo.negate %x : tensor<f32>
    %e = stablehlo.exponential %x : tensor<f32>
    %e1 = stablehlo.exponential %x : tensor<f32>
    %s = stablehlo.add %a, %e : tensor<f32>
    %t = stablehlo.add %s, %e1 : tensor<f32>
    stablehlo.return %t : tensor<f32>
  }, {
    %e2 = stablehlo.exponential %x : tensor<f32>
    stablehlo.return %e2 : tensor<f32>
  }) : (tensor<i1>) -> tensor<f32>
  %after = stablehlo.exponential %x : tensor<f32>
  %sum = stablehlo.add %r, %outer : tensor<f32>
  return %sum, %after : tensor<f32>, tensor<f32>
})",
                R"(
func.func @main(%p: tensor<i1>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %outer = stablehlo.negate %x : tensor<f32>
  %r = "stablehlo.if"(%p) ({
    %a = stablehlo.negate %x : tensor<f32>
    %e = stablehlo.exponential %x : tensor<f32>
    %s = stablehlo.add %a, %e : tensor<f32>
    %t = stablehlo.add %s, %e : tensor<f32>
    stablehlo.return %t : tensor<f32>
  }, {
    %e2 = stablehlo.exponential %x : tensor<f32>
    stablehlo.return %e2 : tensor<f32>
  }) : (tensor<i1>) -> tensor<f32>
  %after = stablehlo.exponential %x : tensor<f32>
  %sum = stablehlo.add %r, %outer : tensor<f32>
  return %sum, %after : tensor<f32>, tensor<f32>
})");
}

}  // namespace
}  // namespace backplane::passes
