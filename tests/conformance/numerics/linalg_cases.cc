// Numerics cases: dot, dot_general, convolution, einsum, cholesky, triangular_solve, fft and batch normalisation.
// Expected values are derived by hand or with numpy/mpmath, never by
// running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> LinalgCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"DotGeneralMatmulAndBatched",
       R"(func.func @main(%a: tensor<2x2x3xf32>, %b: tensor<2x3x2xf32>) -> tensor<2x2x2xf32> {
  %0 = stablehlo.dot_general %a, %b, batching_dims = [0] x [0], contracting_dims = [2] x [1] : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
})",
       {T{F32, {2, 2, 3}, {1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0}},
        T{F32, {2, 3, 2}, {1, 0, 0, 1, 1, 1, 2, 3, 4, 5, 6, 7}}},
       {T{F32, {2, 2, 2}, {4, 5, 10, 11, 2, 3, 4, 5}}}},
      {"Convolution2D",
       R"(func.func @main(%x: tensor<1x3x3x1xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x2x1xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1], pad = [[0, 0], [0, 0]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x3x3x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x1xf32>
  return %0 : tensor<1x2x2x1xf32>
})",
       {T{F32, {1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}},
        T{F32, {2, 2, 1, 1}, {1, 0, 0, -1}}},
       {T{F32, {1, 2, 2, 1}, {-4, -4, -4, -4}}}},
  };
}

}  // namespace backplane::conformance
