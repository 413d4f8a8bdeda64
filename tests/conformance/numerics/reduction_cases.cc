// Numerics cases: reduce, reduce_window, select_and_scatter and map.
// Expected values are derived by hand or with numpy/mpmath, never by
// running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> ReductionCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"ReduceSumAndMax",
       R"(func.func @main(%a: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<3xf32>) {
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %m = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %0 = stablehlo.reduce(%a init: %z) applies stablehlo.add across dimensions = [1] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2xf32>
  %1 = stablehlo.reduce(%a init: %m) applies stablehlo.maximum across dimensions = [0] : (tensor<2x3xf32>, tensor<f32>) -> tensor<3xf32>
  return %0, %1 : tensor<2xf32>, tensor<3xf32>
})",
       {T{F32, {2, 3}, {1, 2, 3, -4, 5, -6}}},
       {T{F32, {2}, {6, -5}}, T{F32, {3}, {1, 5, 3}}}},
      {"ReduceVariadicArgmaxWithTiesPickingTheFirstIndex",
       R"(func.func @main(%x: tensor<2x4xf32>) -> (tensor<2xf32>, tensor<2xi32>) {
  %i = stablehlo.iota dim = 1 : tensor<2x4xi32>
  %vinit = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %iinit = stablehlo.constant dense<0> : tensor<i32>
  %r:2 = "stablehlo.reduce"(%x, %i, %vinit, %iinit) ({
  ^bb0(%a: tensor<f32>, %ai: tensor<i32>, %b: tensor<f32>, %bi: tensor<i32>):
    %gt = stablehlo.compare GT, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %eq = stablehlo.compare EQ, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %lt = stablehlo.compare LT, %ai, %bi, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    %tie = stablehlo.and %eq, %lt : tensor<i1>
    %pick = stablehlo.or %gt, %tie : tensor<i1>
    %v = stablehlo.select %pick, %a, %b : tensor<i1>, tensor<f32>
    %j = stablehlo.select %pick, %ai, %bi : tensor<i1>, tensor<i32>
    stablehlo.return %v, %j : tensor<f32>, tensor<i32>
  }) {dimensions = array<i64: 1>} : (tensor<2x4xf32>, tensor<2x4xi32>, tensor<f32>, tensor<i32>) -> (tensor<2xf32>, tensor<2xi32>)
  return %r#0, %r#1 : tensor<2xf32>, tensor<2xi32>
})",
       {T{F32, {2, 4}, {1, 5, 5, 2, -1, -3, -1, -2}}},
       {T{F32, {2}, {5, -1}}, T{S32, {2}, {1, 0}}}},
      {"ReduceOverEmptyDimensionAndIntegerProductWrapAround",
       // Reducing zero elements yields the init value; integer products
       // wrap modulo 2^32.
       R"(func.func @main(%e: tensor<0x3xf32>, %x: tensor<3xi32>) -> (tensor<3xf32>, tensor<i32>) {
  %init = stablehlo.constant dense<7.0> : tensor<f32>
  %one = stablehlo.constant dense<1> : tensor<i32>
  %0 = stablehlo.reduce(%e init: %init) applies stablehlo.add across dimensions = [0] : (tensor<0x3xf32>, tensor<f32>) -> tensor<3xf32>
  %1 = stablehlo.reduce(%x init: %one) applies stablehlo.multiply across dimensions = [0] : (tensor<3xi32>, tensor<i32>) -> tensor<i32>
  return %0, %1 : tensor<3xf32>, tensor<i32>
})",
       {T{F32, {0, 3}, {}}, T{S32, {3}, {65536, 65536, 3}}},
       {T{F32, {3}, {7, 7, 7}}, T{S32, {}, {0}}}},
      {"ReduceWindowWithPaddingStridesBaseAndWindowDilation",
       // Padding and base-dilation holes hold the init value.
       R"(func.func @main(%x: tensor<5xf32>, %m: tensor<3x3xf32>) -> (tensor<5xf32>, tensor<5xf32>, tensor<3x2xf32>) {
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %0 = "stablehlo.reduce_window"(%x, %z) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {window_dimensions = array<i64: 2>, window_strides = array<i64: 2>, base_dilations = array<i64: 2>, window_dilations = array<i64: 2>, padding = dense<[[2, 1]]> : tensor<1x2xi64>} : (tensor<5xf32>, tensor<f32>) -> tensor<5xf32>
  %1 = "stablehlo.reduce_window"(%x, %z) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {window_dimensions = array<i64: 3>, padding = dense<[[1, 1]]> : tensor<1x2xi64>} : (tensor<5xf32>, tensor<f32>) -> tensor<5xf32>
  %2 = "stablehlo.reduce_window"(%m, %ninf) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.maximum %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {window_dimensions = array<i64: 2, 2>, window_strides = array<i64: 1, 1>, window_dilations = array<i64: 1, 2>, padding = dense<[[0, 1], [1, 0]]> : tensor<2x2xi64>} : (tensor<3x3xf32>, tensor<f32>) -> tensor<3x2xf32>
  return %0, %1, %2 : tensor<5xf32>, tensor<5xf32>, tensor<3x2xf32>
})",
       {T{F32, {5}, {1, 2, 3, 4, 5}},
        T{F32, {3, 3}, {1, -2, 3, 4, -5, 6, 7, -8, 9}}},
       {T{F32, {5}, {1, 3, 5, 7, 9}}, T{F32, {5}, {3, 6, 9, 12, 9}},
        T{F32, {3, 2}, {-2, 6, -5, 9, -8, 9}}}},
      {"SelectAndScatterOverlappingWindowsAndTies",
       // Overlapping windows that select the same element add their
       // sources; with GE the first of equal elements is selected.
       R"(func.func @main(%x: tensor<7xf32>, %s: tensor<3xf32>, %y: tensor<3xf32>, %t: tensor<2xf32>) -> (tensor<7xf32>, tensor<3xf32>) {
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %0 = "stablehlo.select_and_scatter"(%x, %s, %z) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %p = stablehlo.compare GE, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %p : tensor<i1>
  }, {
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %q = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %q : tensor<f32>
  }) {window_dimensions = array<i64: 3>, window_strides = array<i64: 2>} : (tensor<7xf32>, tensor<3xf32>, tensor<f32>) -> tensor<7xf32>
  %1 = "stablehlo.select_and_scatter"(%y, %t, %z) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %p = stablehlo.compare GE, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %p : tensor<i1>
  }, {
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %q = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %q : tensor<f32>
  }) {window_dimensions = array<i64: 2>, window_strides = array<i64: 1>} : (tensor<3xf32>, tensor<2xf32>, tensor<f32>) -> tensor<3xf32>
  return %0, %1 : tensor<7xf32>, tensor<3xf32>
})",
       {T{F32, {7}, {1, 5, 3, 2, 4, 1, 0}}, T{F32, {3}, {10, 20, 30}},
        T{F32, {3}, {2, 2, 1}}, T{F32, {2}, {1, 2}}},
       {T{F32, {7}, {0, 10, 0, 0, 50, 0, 0}}, T{F32, {3}, {1, 2, 0}}}},
      {"MapWithTwoOperands",
       R"(func.func @main(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = "stablehlo.map"(%a, %b) ({
  ^bb0(%x: tensor<f32>, %y: tensor<f32>):
    %m = stablehlo.multiply %x, %y : tensor<f32>
    %one = stablehlo.constant dense<1.0> : tensor<f32>
    %r = stablehlo.add %m, %one : tensor<f32>
    stablehlo.return %r : tensor<f32>
  }) {dimensions = array<i64: 0, 1>} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
})",
       {T{F32, {2, 2}, {1, 2, 3, 4}}, T{F32, {2, 2}, {-1, 0.5, 2, -0.25}}},
       {T{F32, {2, 2}, {0, 2, 7, 0}}}},
      {"ReduceAndReduceWindowMaximumMinimumOfSignedZerosAndNaN",
       // A reduction with a maximum body must agree with the element-wise
       // maximum: -0 < +0 (IEEE-754 maximum), NaN propagates.
       R"(func.func @main(%x: tensor<6xf32>) -> (tensor<f32>, tensor<f32>, tensor<5xf32>, tensor<5xf32>) {
  %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %pinf = stablehlo.constant dense<0x7F800000> : tensor<f32>
  %s = stablehlo.slice %x [0:3] : (tensor<6xf32>) -> tensor<3xf32>
  %0 = stablehlo.reduce(%s init: %ninf) applies stablehlo.maximum across dimensions = [0] : (tensor<3xf32>, tensor<f32>) -> tensor<f32>
  %1 = stablehlo.reduce(%s init: %pinf) applies stablehlo.minimum across dimensions = [0] : (tensor<3xf32>, tensor<f32>) -> tensor<f32>
  %2 = "stablehlo.reduce_window"(%x, %ninf) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %m = stablehlo.maximum %a, %b : tensor<f32>
    stablehlo.return %m : tensor<f32>
  }) {window_dimensions = array<i64: 2>} : (tensor<6xf32>, tensor<f32>) -> tensor<5xf32>
  %3 = "stablehlo.reduce_window"(%x, %pinf) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %m = stablehlo.minimum %a, %b : tensor<f32>
    stablehlo.return %m : tensor<f32>
  }) {window_dimensions = array<i64: 2>} : (tensor<6xf32>, tensor<f32>) -> tensor<5xf32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<5xf32>, tensor<5xf32>
})",
       {T{F32, {6}, {-0.0, 0, -0.0, NAN, 1, -0.0}}},
       {T{F32, {}, {0}}, T{F32, {}, {-0.0}}, T{F32, {5}, {0, 0, NAN, NAN, 1}},
        T{F32, {5}, {-0.0, -0.0, NAN, NAN, -0.0}}}},
  };
}

}  // namespace backplane::conformance
