// Numerics cases: while, if, case, func.call, composite and
// optimization_barrier. Expected values are derived by hand or with
// numpy/mpmath, never by running the compiler kit.
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
      {"IfRunsOnlyTheSelectedBranch",
       R"(func.func @main(%p: tensor<i1>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0 = "stablehlo.if"(%p) ({
    %a = stablehlo.add %x, %x : tensor<f32>
    stablehlo.return %a : tensor<f32>
  }, {
    %b = stablehlo.negate %x : tensor<f32>
    stablehlo.return %b : tensor<f32>
  }) : (tensor<i1>) -> tensor<f32>
  %q = stablehlo.not %p : tensor<i1>
  %1 = "stablehlo.if"(%q) ({
    %a = stablehlo.add %x, %x : tensor<f32>
    stablehlo.return %a : tensor<f32>
  }, {
    %b = stablehlo.negate %x : tensor<f32>
    stablehlo.return %b : tensor<f32>
  }) : (tensor<i1>) -> tensor<f32>
  return %0, %1 : tensor<f32>, tensor<f32>
})",
       {T{PRED, {}, {1}}, T{F32, {}, {2.5}}},
       {T{F32, {}, {5}}, T{F32, {}, {-2.5}}}},
      {"CaseWithOutOfRangeIndexRunsTheLastBranch",
       R"(func.func @main(%i: tensor<i32>, %j: tensor<i32>, %k: tensor<i32>) -> (tensor<i32>, tensor<i32>, tensor<i32>) {
  %0 = "stablehlo.case"(%i) ({
    %c = stablehlo.constant dense<10> : tensor<i32>
    stablehlo.return %c : tensor<i32>
  }, {
    %c = stablehlo.constant dense<20> : tensor<i32>
    stablehlo.return %c : tensor<i32>
  }, {
    %c = stablehlo.constant dense<30> : tensor<i32>
    stablehlo.return %c : tensor<i32>
  }) : (tensor<i32>) -> tensor<i32>
  %1 = "stablehlo.case"(%j) ({
    %c = stablehlo.constant dense<10> : tensor<i32>
    stablehlo.return %c : tensor<i32>
  }, {
    %c = stablehlo.constant dense<20> : tensor<i32>
    stablehlo.return %c : tensor<i32>
  }, {
    %c = stablehlo.constant dense<30> : tensor<i32>
    stablehlo.return %c : tensor<i32>
  }) : (tensor<i32>) -> tensor<i32>
  %2 = "stablehlo.case"(%k) ({
    %c = stablehlo.constant dense<10> : tensor<i32>
    stablehlo.return %c : tensor<i32>
  }, {
    %c = stablehlo.constant dense<20> : tensor<i32>
    stablehlo.return %c : tensor<i32>
  }, {
    %c = stablehlo.constant dense<30> : tensor<i32>
    stablehlo.return %c : tensor<i32>
  }) : (tensor<i32>) -> tensor<i32>
  return %0, %1, %2 : tensor<i32>, tensor<i32>, tensor<i32>
})",
       {T{S32, {}, {1}}, T{S32, {}, {-1}}, T{S32, {}, {7}}},
       {T{S32, {}, {20}}, T{S32, {}, {30}}, T{S32, {}, {30}}}},
      {"WhileWithZeroIterationsAndNestedWhile",
       // A loop whose condition is false at once returns its inputs; the
       // nested loop counts sum_{i<4} i = 6.
       R"(func.func @main(%x: tensor<f32>) -> (tensor<f32>, tensor<i32>) {
  %zero = stablehlo.constant dense<0> : tensor<i32>
  %one = stablehlo.constant dense<1> : tensor<i32>
  %four = stablehlo.constant dense<4> : tensor<i32>
  %0:2 = stablehlo.while(%i = %four, %v = %x) : tensor<i32>, tensor<f32>
    cond {
      %c = stablehlo.compare LT, %i, %zero, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    } do {
      %w = stablehlo.add %v, %v : tensor<f32>
      stablehlo.return %i, %w : tensor<i32>, tensor<f32>
    }
  %1:2 = stablehlo.while(%i = %zero, %n = %zero) : tensor<i32>, tensor<i32>
    cond {
      %c = stablehlo.compare LT, %i, %four, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    } do {
      %2:2 = stablehlo.while(%j = %zero, %m = %n) : tensor<i32>, tensor<i32>
        cond {
          %c = stablehlo.compare LT, %j, %i, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
          stablehlo.return %c : tensor<i1>
        } do {
          %j2 = stablehlo.add %j, %one : tensor<i32>
          %m2 = stablehlo.add %m, %one : tensor<i32>
          stablehlo.return %j2, %m2 : tensor<i32>, tensor<i32>
        }
      %i2 = stablehlo.add %i, %one : tensor<i32>
      stablehlo.return %i2, %2#1 : tensor<i32>, tensor<i32>
    }
  return %0#1, %1#1 : tensor<f32>, tensor<i32>
})",
       {T{F32, {}, {1.5}}},
       {T{F32, {}, {1.5}}, T{S32, {}, {6}}}},
      {"FuncCallCompositeAndOptimizationBarrier",
       R"(func.func @triple(%a: tensor<2xf32>) -> tensor<2xf32> {
  %t = stablehlo.constant dense<3.0> : tensor<2xf32>
  %r = stablehlo.multiply %a, %t : tensor<2xf32>
  return %r : tensor<2xf32>
}
func.func @add_one.impl(%a: tensor<2xf32>) -> tensor<2xf32> {
  %o = stablehlo.constant dense<1.0> : tensor<2xf32>
  %r = stablehlo.add %a, %o : tensor<2xf32>
  return %r : tensor<2xf32>
}
func.func @main(%x: tensor<2xf32>, %n: tensor<i32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<i32>) {
  %0 = func.call @triple(%x) : (tensor<2xf32>) -> tensor<2xf32>
  %1 = stablehlo.composite "test.add_one" %x {decomposition = @add_one.impl} : (tensor<2xf32>) -> tensor<2xf32>
  %2:2 = stablehlo.optimization_barrier %x, %n : tensor<2xf32>, tensor<i32>
  return %0, %1, %2#0, %2#1 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<i32>
})",
       {T{F32, {2}, {1, -2}}, T{S32, {}, {9}}},
       {T{F32, {2}, {3, -6}}, T{F32, {2}, {2, -1}}, T{F32, {2}, {1, -2}},
        T{S32, {}, {9}}}},
      {"ShardyShardingConstraintIsTheIdentityOnOneDevice",
       // A sharding hint on a one-partition program changes no value, also
       // when the constrained value feeds more work.
       R"(module @m attributes {mhlo.num_partitions = 1 : i32} {
  sdy.mesh @mesh = <["x"=1]>
  func.func @main(%x: tensor<2x3xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) -> tensor<2x3xf32> {
    %0 = sdy.sharding_constraint %x <@mesh, [{}, {"x"}]> : tensor<2x3xf32>
    %1 = stablehlo.add %0, %x : tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }
})",
       {T{F32, {2, 3}, {1, -2, 3, 0.5, 4, -6}}},
       {T{F32, {2, 3}, {2, -4, 6, 1, 8, -12}}}},
  };
}

}  // namespace backplane::conformance
