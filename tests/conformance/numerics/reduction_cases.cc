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
  };
}

}  // namespace backplane::conformance
