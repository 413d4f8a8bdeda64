// Numerics cases: the CHLO ops the parser accepts (special functions,
// broadcasting binaries, top_k, ragged_dot). Expected values are derived by
// hand or with numpy/mpmath, never by running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> ChloCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {

      {"ChloInverseTrigonometricAndHyperbolic",
       R"(func.func @main(%x: tensor<3xf32>, %y: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0 = chlo.acos %x : tensor<3xf32> -> tensor<3xf32>
  %1 = chlo.asin %x : tensor<3xf32> -> tensor<3xf32>
  %2 = chlo.atan %x : tensor<3xf32> -> tensor<3xf32>
  %3 = chlo.atanh %x : tensor<3xf32> -> tensor<3xf32>
  %4 = chlo.asinh %x : tensor<3xf32> -> tensor<3xf32>
  %5 = chlo.cosh %x : tensor<3xf32> -> tensor<3xf32>
  %6 = chlo.sinh %x : tensor<3xf32> -> tensor<3xf32>
  %7 = chlo.tan %x : tensor<3xf32> -> tensor<3xf32>
  %8 = chlo.acosh %y : tensor<3xf32> -> tensor<3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
})",
       {T{F32, {3}, {0.5, -0.25, 0.75}}, T{F32, {3}, {1, 2, 3.5}}},
       {T{F32,
          {3},
          {1.0471975511965979, 1.8234765819369754, 0.7227342478134157}},
        T{F32,
          {3},
          {0.5235987755982989, -0.25268025514207865, 0.848062078981481}},
        T{F32,
          {3},
          {0.4636476090008061, -0.24497866312686414, 0.6435011087932844}},
        T{F32,
          {3},
          {0.5493061443340549, -0.25541281188299536, 0.9729550745276566}},
        T{F32,
          {3},
          {0.48121182505960347, -0.24746646154726346, 0.6931471805599453}},
        T{F32,
          {3},
          {1.1276259652063807, 1.0314130998795732, 1.2946832846768448}},
        T{F32,
          {3},
          {0.5210953054937474, -0.2526123168081683, 0.82231673193583}},
        T{F32,
          {3},
          {0.5463024898437905, -0.25534192122103627, 0.9315964599440725}},
        T{F32, {3}, {0, 1.3169578969248168, 1.9248473002384139}}}},
      {"ChloErrorAndGammaFunctions",
       // Special functions: compared with Tolerance::kApproximate.
       R"(func.func @main(%x: tensor<3xf32>, %g: tensor<4xf32>, %b: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>) {
  %0 = chlo.erf %x : tensor<3xf32> -> tensor<3xf32>
  %1 = chlo.erfc %x : tensor<3xf32> -> tensor<3xf32>
  %2 = chlo.erf_inv %x : tensor<3xf32> -> tensor<3xf32>
  %3 = chlo.lgamma %g : tensor<4xf32> -> tensor<4xf32>
  %4 = chlo.digamma %g : tensor<4xf32> -> tensor<4xf32>
  %5 = chlo.bessel_i1e %b : tensor<3xf32> -> tensor<3xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>
})",
       {T{F32, {3}, {0.5, -0.25, 0.75}}, T{F32, {4}, {0.5, 3, 4.5, -0.5}},
        T{F32, {3}, {0.5, -2, 10}}},
       {T{F32,
          {3},
          {0.5204998778130465, -0.27632639016823696, 0.7111556336535151}},
        T{F32,
          {3},
          {0.4795001221869535, 1.276326390168237, 0.28884436634648486}},
        T{F32,
          {3},
          {0.4769362762044699, -0.2253120550121781, 0.8134198475976185}},
        T{F32,
          {4},
          {0.5723649429247001, 0.6931471805599453, 2.4537365708424423,
           1.2655121234846454}},
        T{F32,
          {4},
          {-1.9635100260214235, 0.9227843350984671, 1.388870926359529,
           0.03648997397857652}},
        T{F32,
          {3},
          {0.1564208031848717, -0.21526928924893765, 0.12126268138445552}}},
       Tolerance::kApproximate},
      {"ChloPolygammaZetaNextAfterMulhi",
       // next_after is checked bit-exactly (the step from 0 is the
       // smallest subnormal, which a flush-to-zero backend loses).
       R"(func.func @main(%n: tensor<2xf32>, %x: tensor<2xf32>, %s: tensor<2xf32>, %q: tensor<2xf32>, %a: tensor<5xf32>, %b: tensor<5xf32>, %i: tensor<3xi32>, %j: tensor<3xi32>, %u: tensor<1xui32>, %c: tensor<3xi8>, %d: tensor<3xi8>) -> (tensor<2xf32>, tensor<2xf32>, tensor<5xi32>, tensor<3xi32>, tensor<1xui32>, tensor<3xi8>) {
  %0 = chlo.polygamma %n, %x : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %1 = chlo.zeta %s, %q : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %na = chlo.next_after %a, %b : tensor<5xf32>, tensor<5xf32> -> tensor<5xf32>
  %2 = stablehlo.bitcast_convert %na : (tensor<5xf32>) -> tensor<5xi32>
  %3 = "chlo.mulhi"(%i, %j) : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %4 = "chlo.mulhi"(%u, %u) : (tensor<1xui32>, tensor<1xui32>) -> tensor<1xui32>
  %5 = "chlo.mulhi"(%c, %d) : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi8>
  return %0, %1, %2, %3, %4, %5 : tensor<2xf32>, tensor<2xf32>, tensor<5xi32>, tensor<3xi32>, tensor<1xui32>, tensor<3xi8>
})",
       {T{F32, {2}, {1, 2}}, T{F32, {2}, {1, 2.5}}, T{F32, {2}, {2, 3}},
        T{F32, {2}, {1, 2}}, T{F32, {5}, {1, 1, 0, 2, -0.0}},
        T{F32, {5}, {2, 0, 1, 2, -1}}, T{S32, {3}, {268435456, -268435456, -7}},
        T{S32, {3}, {16, 16, 3}}, T{U32, {1}, {4294967295}},
        T{S8, {3}, {64, -64, -64}}, T{S8, {3}, {4, 4, -4}}},
       {T{F32, {2}, {1.6449340668482264, -0.2362040516417274}},
        T{F32, {2}, {1.6449340668482264, 0.2020569031595943}},
        T{S32, {5}, {1065353217, 1065353215, 1, 1073741824, -2147483647}},
        T{S32, {3}, {1, -1, -1}}, T{U32, {1}, {4294967294}},
        T{S8, {3}, {1, -1, 1}}},
       Tolerance::kApproximate},
      {"ChloIsInfSquareConjConstantAndConstantLike",
       R"(func.func @main(%x: tensor<4xf32>, %c: tensor<2xcomplex<f32>>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xf32>, tensor<2xcomplex<f32>>, tensor<2xf32>, tensor<4xf32>) {
  %0 = chlo.is_inf %x : tensor<4xf32> -> tensor<4xi1>
  %1 = chlo.is_pos_inf %x : tensor<4xf32> -> tensor<4xi1>
  %2 = chlo.is_neg_inf %x : tensor<4xf32> -> tensor<4xi1>
  %3 = chlo.square %x : tensor<4xf32> -> tensor<4xf32>
  %4 = chlo.conj %c : tensor<2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  %5 = "chlo.constant"() {value = dense<[1.5, -2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %6 = "chlo.constant_like"(%x) {value = 3.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xf32>, tensor<2xcomplex<f32>>, tensor<2xf32>, tensor<4xf32>
})",
       {T{F32, {4}, {INFINITY, -INFINITY, NAN, -1.5}},
        T{C64, {2}, {1, -3}, {2, -0.5}}},
       {T{PRED, {4}, {1, 1, 0, 0}}, T{PRED, {4}, {1, 0, 0, 0}},
        T{PRED, {4}, {0, 1, 0, 0}},
        T{F32, {4}, {INFINITY, INFINITY, NAN, 2.25}},
        T{C64, {2}, {1, -3}, {-2, 0.5}}, T{F32, {2}, {1.5, -2}},
        T{F32, {4}, {3, 3, 3, 3}}}},
      {"ChloBroadcastFloatBinaries",
       // [2x3] op [3] broadcasts along the trailing dimension;
       // broadcast_dimensions = [0] maps a [2] operand onto the rows.
       R"(func.func @main(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %r: tensor<2xf32>, %one: tensor<f32>, %q: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi32>, tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xcomplex<f32>>, tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0 = chlo.broadcast_add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = chlo.broadcast_subtract %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = chlo.broadcast_multiply %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = chlo.broadcast_divide %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = chlo.broadcast_maximum %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %5 = chlo.broadcast_minimum %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %6 = chlo.broadcast_power %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %7 = chlo.broadcast_remainder %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %8 = chlo.broadcast_atan2 %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %na = chlo.broadcast_next_after %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %9 = stablehlo.bitcast_convert %na : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %10 = chlo.broadcast_compare %a, %b {comparison_direction = #chlo<comparison_direction LT>, compare_type = #chlo<comparison_type FLOAT>} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %11 = chlo.broadcast_select %10, %a, %one : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %12 = chlo.broadcast_complex %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xcomplex<f32>>
  %13 = chlo.broadcast_add %r, %a {broadcast_dimensions = array<i64: 0>} : (tensor<2xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %14 = chlo.broadcast_polygamma %one, %q : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  %two = stablehlo.add %one, %one : tensor<f32>
  %15 = chlo.broadcast_zeta %two, %q : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi32>, tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xcomplex<f32>>, tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>
})",
       {T{F32, {2, 3}, {1, -2, 3, 4, 5, -6}}, T{F32, {3}, {2, 0.5, -3}},
        T{F32, {2}, {10, 20}}, T{F32, {}, {1}}, T{F32, {3}, {1, 2, 3}}},
       {T{F32, {2, 3}, {3, -1.5, 0, 6, 5.5, -9}},
        T{F32, {2, 3}, {-1, -2.5, 6, 2, 4.5, -3}},
        T{F32, {2, 3}, {2, -1, -9, 8, 2.5, 18}},
        T{F32, {2, 3}, {0.5, -4, -1, 2, 10, 2}},
        T{F32, {2, 3}, {2, 0.5, 3, 4, 5, -3}},
        T{F32, {2, 3}, {1, -2, -3, 2, 0.5, -6}},
        T{F32,
          {2, 3},
          {1, NAN, 0.037037037037037035, 16, 2.23606797749979,
           -0.004629629629629629}},
        T{F32, {2, 3}, {1, -0.0, 0, 0, 0, -0.0}},
        T{F32,
          {2, 3},
          {0.46364760900080615, -1.3258176636680323, 2.356194490192345,
           1.1071487177940904, 1.4711276743037345, -2.0344439357957027}},
        T{S32,
          {2, 3},
          {1065353217, -1073741825, 1077936127, 1082130431, 1084227583,
           -1061158913}},
        T{PRED, {2, 3}, {1, 1, 0, 0, 0, 1}},
        T{F32, {2, 3}, {1, -2, 1, 1, 1, -6}},
        T{C64, {2, 3}, {2, 0.5, -3, 2, 0.5, -3}, {1, -2, 3, 4, 5, -6}},
        T{F32, {2, 3}, {11, 8, 13, 24, 25, 14}},
        T{F32,
          {3},
          {1.6449340668482264, 0.6449340668482264, 0.3949340668482264}},
        T{F32,
          {3},
          {1.6449340668482264, 0.6449340668482264, 0.3949340668482264}}},
       Tolerance::kApproximate},
      {"ChloBroadcastIntegerBinaries",
       R"(func.func @main(%a: tensor<2x3xi32>, %b: tensor<3xi32>) -> (tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>) {
  %0 = chlo.broadcast_and %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %1 = chlo.broadcast_or %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %2 = chlo.broadcast_xor %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %3 = chlo.broadcast_shift_left %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %4 = chlo.broadcast_shift_right_arithmetic %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %5 = chlo.broadcast_shift_right_logical %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>
})",
       {T{S32, {2, 3}, {12, -8, 1, -1, 7, 255}}, T{S32, {3}, {1, 2, 31}}},
       {T{S32, {2, 3}, {0, 0, 1, 1, 2, 31}},
        T{S32, {2, 3}, {13, -6, 31, -1, 7, 255}},
        T{S32, {2, 3}, {13, -6, 30, -2, 5, 224}},
        T{S32, {2, 3}, {24, -32, -2147483648.0, -2, 28, -2147483648.0}},
        T{S32, {2, 3}, {6, -2, 0, -1, 1, 0}},
        T{S32, {2, 3}, {6, 1073741822, 0, 2147483647, 1, 0}}}},
      {"ChloTopKWithTiesAndRaggedDot",
       // top_k returns the largest first and, among equal values, the
       // lower index first. ragged_dot: row groups of sizes 1 and 3 use
       // the two rhs matrices in turn.
       R"(func.func @main(%x: tensor<6xf32>, %y: tensor<4xi32>, %l: tensor<4x2xf32>, %r: tensor<2x2x3xf32>, %g: tensor<2xi64>) -> (tensor<3xf32>, tensor<3xi32>, tensor<2xi32>, tensor<2xi32>, tensor<4x3xf32>) {
  %v, %i = chlo.top_k(%x, k = 3) : tensor<6xf32> -> (tensor<3xf32>, tensor<3xi32>)
  %w, %j = chlo.top_k(%y, k = 2) : tensor<4xi32> -> (tensor<2xi32>, tensor<2xi32>)
  %0 = "chlo.ragged_dot"(%l, %r, %g) {ragged_dot_dimension_numbers = #chlo.ragged_dot<lhs_batching_dimensions = [], rhs_batching_dimensions = [], lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [1], lhs_ragged_dimensions = [0], rhs_group_dimensions = [0]>, precision_config = [#chlo<precision HIGHEST>, #chlo<precision HIGHEST>]} : (tensor<4x2xf32>, tensor<2x2x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  return %v, %i, %w, %j, %0 : tensor<3xf32>, tensor<3xi32>, tensor<2xi32>, tensor<2xi32>, tensor<4x3xf32>
})",
       {T{F32, {6}, {3, 1, 4, 1, 5, 9}}, T{S32, {4}, {2, 7, 7, 1}},
        T{F32, {4, 2}, {1, 2, 3, 4, -1, 0, 0.5, 1}},
        T{F32, {2, 2, 3}, {1, 0, 2, 0, 1, -1, 2, 1, 0, -1, 3, 1}},
        T{S64, {2}, {1, 3}}},
       {T{F32, {3}, {9, 5, 4}}, T{S32, {3}, {5, 4, 2}}, T{S32, {2}, {7, 7}},
        T{S32, {2}, {1, 2}},
        T{F32, {4, 3}, {1, 2, 0, 2, 15, 4, -2, -1, 0, 0, 3.5, 1}}}},
      {"ChloScanPrefixSumsAlongColumnsAndReverseRunningMax",
       // Running sums down dimension 0 (the carry is one row), and a
       // reverse running maximum whose output is an i1 "new maximum" flag.
       R"(func.func @main(%x: tensor<3x2xf32>, %y: tensor<4xi32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<4xi1>, tensor<i32>) {
  %z = stablehlo.constant dense<0.0> : tensor<2xf32>
  %s:2 = chlo.scan(%x) inits(%z) dimension=0 {
  ^bb0(%e: tensor<2xf32>, %acc: tensor<2xf32>):
    %n = stablehlo.add %e, %acc : tensor<2xf32>
    stablehlo.return %n, %n : tensor<2xf32>, tensor<2xf32>
  } : (tensor<3x2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>)
  %lo = stablehlo.constant dense<-2147483648> : tensor<i32>
  %m:2 = chlo.scan(%y) inits(%lo) dimension=0 attributes {is_reverse = true} {
  ^bb0(%e: tensor<i32>, %best: tensor<i32>):
    %gt = stablehlo.compare GT, %e, %best, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    %nb = stablehlo.maximum %e, %best : tensor<i32>
    stablehlo.return %gt, %nb : tensor<i1>, tensor<i32>
  } : (tensor<4xi32>, tensor<i32>) -> (tensor<4xi1>, tensor<i32>)
  return %s#0, %s#1, %m#0, %m#1 : tensor<3x2xf32>, tensor<2xf32>, tensor<4xi1>, tensor<i32>
})",
       {T{F32, {3, 2}, {1, -2, 0.5, 4, 2, 8}}, T{S32, {4}, {7, 1, 3, 2}}},
       {T{F32, {3, 2}, {1, -2, 1.5, 2, 3.5, 10}}, T{F32, {2}, {3.5, 10}},
        T{PRED, {4}, {1, 0, 1, 1}}, T{S32, {}, {7}}}},
  };
}

}  // namespace backplane::conformance
