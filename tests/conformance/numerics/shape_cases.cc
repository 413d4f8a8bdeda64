// Numerics cases: data movement without arithmetic: reshape, transpose, slice, pad, concatenate, broadcast, iota, reverse, tuples and their dynamic variants.
// Expected values are derived by hand or with numpy/mpmath, never by
// running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> ShapeCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"ShapeOps",
       R"(func.func @main(%a: tensor<2x3xi32>) -> (tensor<3x2xi32>, tensor<6xi32>, tensor<2x2xi32>, tensor<2x3xi32>, tensor<4x3xi32>, tensor<2x3x2xi32>) {
  %0 = stablehlo.transpose %a, dims = [1, 0] : (tensor<2x3xi32>) -> tensor<3x2xi32>
  %1 = stablehlo.reshape %a : (tensor<2x3xi32>) -> tensor<6xi32>
  %2 = stablehlo.slice %a [0:2, 1:3] : (tensor<2x3xi32>) -> tensor<2x2xi32>
  %3 = stablehlo.reverse %a, dims = [1] : tensor<2x3xi32>
  %4 = stablehlo.concatenate %a, %a, dim = 0 : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<4x3xi32>
  %5 = stablehlo.broadcast_in_dim %a, dims = [0, 1] : (tensor<2x3xi32>) -> tensor<2x3x2xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<3x2xi32>, tensor<6xi32>, tensor<2x2xi32>, tensor<2x3xi32>, tensor<4x3xi32>, tensor<2x3x2xi32>
})",
       {T{S32, {2, 3}, {1, 2, 3, 4, 5, 6}}},
       {T{S32, {3, 2}, {1, 4, 2, 5, 3, 6}}, T{S32, {6}, {1, 2, 3, 4, 5, 6}},
        T{S32, {2, 2}, {2, 3, 5, 6}}, T{S32, {2, 3}, {3, 2, 1, 6, 5, 4}},
        T{S32, {4, 3}, {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}},
        T{S32, {2, 3, 2}, {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6}}}},
      {"PadIotaDynamicSlices",
       R"(func.func @main(%a: tensor<3xf32>, %i: tensor<i32>) -> (tensor<8xf32>, tensor<4xi32>, tensor<2xf32>, tensor<3xf32>) {
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %0 = stablehlo.pad %a, %z, low = [1], high = [2], interior = [1] : (tensor<3xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = stablehlo.iota dim = 0 : tensor<4xi32>
  %2 = stablehlo.dynamic_slice %a, %i, sizes = [2] : (tensor<3xf32>, tensor<i32>) -> tensor<2xf32>
  %u = stablehlo.constant dense<[9.0]> : tensor<1xf32>
  %3 = stablehlo.dynamic_update_slice %a, %u, %i : (tensor<3xf32>, tensor<1xf32>, tensor<i32>) -> tensor<3xf32>
  return %0, %1, %2, %3 : tensor<8xf32>, tensor<4xi32>, tensor<2xf32>, tensor<3xf32>
})",
       {T{F32, {3}, {1, 2, 3}}, T{S32, {}, {5}}},
       // The start index 5 is clamped: to 1 for the slice, 2 for the update.
       {T{F32, {8}, {0, 1, 0, 2, 0, 3, 0, 0}}, T{S32, {4}, {0, 1, 2, 3}},
        T{F32, {2}, {2, 3}}, T{F32, {3}, {1, 2, 9}}}},
  };
}

}  // namespace backplane::conformance
