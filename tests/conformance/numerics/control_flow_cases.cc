// Numerics cases: while, if, case, func.call, composite and optimization_barrier.
// Expected values are derived by hand or with numpy/mpmath, never by
// running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> ControlFlowCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"WhileLoopSumsOneToTen",
       R"(func.func @main(%n: tensor<i32>) -> tensor<i32> {
  %zero = stablehlo.constant dense<0> : tensor<i32>
  %one = stablehlo.constant dense<1> : tensor<i32>
  %r:2 = stablehlo.while(%i = %one, %s = %zero) : tensor<i32>, tensor<i32>
    cond {
      %c = stablehlo.compare LE, %i, %n, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    } do {
      %s2 = stablehlo.add %s, %i : tensor<i32>
      %i2 = stablehlo.add %i, %one : tensor<i32>
      stablehlo.return %i2, %s2 : tensor<i32>, tensor<i32>
    }
  return %r#1 : tensor<i32>
})",
       {T{S32, {}, {10}}},
       {T{S32, {}, {55}}}},
  };
}

}  // namespace backplane::conformance
