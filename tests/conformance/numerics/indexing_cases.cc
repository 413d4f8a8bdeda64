// Numerics cases: indexed access: gather, scatter, dynamic slices with clamped indices, sort, top_k.
// Expected values are derived by hand or with numpy/mpmath, never by
// running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> IndexingCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"SortAscending",
       R"(func.func @main(%a: tensor<5xf32>) -> tensor<5xf32> {
  %0 = "stablehlo.sort"(%a) ({
  ^bb0(%x: tensor<f32>, %y: tensor<f32>):
    %c = stablehlo.compare LT, %x, %y, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %c : tensor<i1>
  }) {dimension = 0 : i64, is_stable = true} : (tensor<5xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
})",
       {T{F32, {5}, {3, -1, 2, 10, 0}}},
       {T{F32, {5}, {-1, 0, 2, 3, 10}}}},
  };
}

}  // namespace backplane::conformance
