// Numerics cases: floating-point elementwise arithmetic, transcendental
// functions, rounding, comparisons and special values (NaN, infinities, signed
// zeros). Expected values are derived by hand or with numpy/mpmath, never by
// running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> ElementwiseCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"AddSubtractMultiplyDivide",
       R"(func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.add %a, %b : tensor<4xf32>
  %1 = stablehlo.subtract %a, %b : tensor<4xf32>
  %2 = stablehlo.multiply %a, %b : tensor<4xf32>
  %3 = stablehlo.divide %a, %b : tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
})",
       {T{F32, {4}, {1, -2, 3.5, 0}}, T{F32, {4}, {2, 4, -0.5, 8}}},
       {T{F32, {4}, {3, 2, 3, 8}}, T{F32, {4}, {-1, -6, 4, -8}},
        T{F32, {4}, {2, -8, -1.75, 0}}, T{F32, {4}, {0.5, -0.5, -7, 0}}}},
      {"MaximumMinimumPropagateNaN",
       R"(func.func @main(%a: tensor<3xf32>, %b: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0 = stablehlo.maximum %a, %b : tensor<3xf32>
  %1 = stablehlo.minimum %a, %b : tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
})",
       {T{F32, {3}, {1, NAN, -3}}, T{F32, {3}, {2, 5, -4}}},
       {T{F32, {3}, {2, NAN, -3}}, T{F32, {3}, {1, NAN, -4}}}},
      {"Transcendental",
       R"(func.func @main(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.exponential %x : tensor<4xf32>
  %1 = stablehlo.tanh %x : tensor<4xf32>
  %2 = stablehlo.logistic %x : tensor<4xf32>
  %3 = stablehlo.sine %x : tensor<4xf32>
  %4 = stablehlo.cosine %x : tensor<4xf32>
  %5 = stablehlo.log %y : tensor<4xf32>
  %6 = stablehlo.sqrt %y : tensor<4xf32>
  %7 = stablehlo.rsqrt %y : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
})",
       {T{F32, {4}, {0.5, 1, 2, -1.5}}, T{F32, {4}, {0.25, 1, 4, 9}}},
       {T{F32,
          {4},
          {1.6487212707001282, 2.718281828459045, 7.38905609893065,
           0.22313016014842982}},
        T{F32,
          {4},
          {0.46211715726000974, 0.7615941559557649, 0.9640275800758169,
           -0.9051482536448664}},
        T{F32,
          {4},
          {0.6224593312018546, 0.7310585786300049, 0.8807970779778823,
           0.18242552380635635}},
        T{F32,
          {4},
          {0.479425538604203, 0.8414709848078965, 0.9092974268256817,
           -0.9974949866040544}},
        T{F32,
          {4},
          {0.8775825618903728, 0.5403023058681398, -0.4161468365471424,
           0.0707372016677029}},
        T{F32,
          {4},
          {-1.3862943611198906, 0, 1.3862943611198906, 2.1972245773362196}},
        T{F32, {4}, {0.5, 1, 2, 3}}, T{F32, {4}, {2, 1, 0.5, 1.0 / 3}}}},
      {"RoundingAndSign",
       R"(func.func @main(%x: tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %0 = stablehlo.floor %x : tensor<5xf32>
  %1 = stablehlo.ceil %x : tensor<5xf32>
  %2 = stablehlo.round_nearest_even %x : tensor<5xf32>
  %3 = stablehlo.round_nearest_afz %x : tensor<5xf32>
  %4 = stablehlo.sign %x : tensor<5xf32>
  %5 = stablehlo.abs %x : tensor<5xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>
})",
       {T{F32, {5}, {-2.5, -0.5, 0.5, 1.5, 2.7}}},
       {T{F32, {5}, {-3, -1, 0, 1, 2}}, T{F32, {5}, {-2, -0.0, 1, 2, 3}},
        T{F32, {5}, {-2, -0.0, 0, 2, 3}}, T{F32, {5}, {-3, -1, 1, 2, 3}},
        T{F32, {5}, {-1, -1, 1, 1, 1}},
        T{F32, {5}, {2.5, 0.5, 0.5, 1.5, 2.7}}}},
      {"CompareSelectClamp",
       R"(func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.compare GT, %a, %b, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = stablehlo.select %0, %a, %b : tensor<4xi1>, tensor<4xf32>
  %lo = stablehlo.constant dense<-1.0> : tensor<4xf32>
  %hi = stablehlo.constant dense<1.0> : tensor<4xf32>
  %2 = stablehlo.clamp %lo, %a, %hi : tensor<4xf32>
  return %0, %1, %2 : tensor<4xi1>, tensor<4xf32>, tensor<4xf32>
})",
       {T{F32, {4}, {1, -3, 0.5, 7}}, T{F32, {4}, {0, 2, 0.5, -7}}},
       {T{PRED, {4}, {1, 0, 0, 1}}, T{F32, {4}, {1, 2, 0.5, 7}},
        T{F32, {4}, {1, -1, 0.5, 1}}}},
      {"Float64AndComplex",
       R"(func.func @main(%a: tensor<2xf64>, %c: tensor<2xcomplex<f32>>) -> (tensor<2xf64>, tensor<2xcomplex<f32>>) {
  %0 = stablehlo.exponential %a : tensor<2xf64>
  %1 = stablehlo.multiply %c, %c : tensor<2xcomplex<f32>>
  return %0, %1 : tensor<2xf64>, tensor<2xcomplex<f32>>
})",
       {T{F64, {2}, {1, -2}}, T{C64, {2}, {1, 0}, {2, 1}}},
       {T{F64, {2}, {2.718281828459045, 0.1353352832366127}},
        T{C64, {2}, {-3, -1}, {4, 0}}}},
      {"HalfAndBFloat16",
       R"(func.func @main(%a: tensor<3xf16>, %b: tensor<3xbf16>) -> (tensor<3xf16>, tensor<3xbf16>) {
  %0 = stablehlo.add %a, %a : tensor<3xf16>
  %1 = stablehlo.multiply %b, %b : tensor<3xbf16>
  return %0, %1 : tensor<3xf16>, tensor<3xbf16>
})",
       {T{F16, {3}, {0.5, -1.25, 1000}}, T{BF16, {3}, {1.5, -2, 3}}},
       {T{F16, {3}, {1, -2.5, 2000}}, T{BF16, {3}, {2.25, 4, 9}}}},
      {"AddSubtractMultiplyDivideSpecialValues",
       R"(func.func @main(%a: tensor<8xf32>, %b: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %0 = stablehlo.add %a, %b : tensor<8xf32>
  %1 = stablehlo.subtract %a, %b : tensor<8xf32>
  %2 = stablehlo.multiply %a, %b : tensor<8xf32>
  %3 = stablehlo.divide %a, %b : tensor<8xf32>
  return %0, %1, %2, %3 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
})",
       {T{F32, {8}, {INFINITY, 0, 1, -1, 0, 1, -0.0, NAN}},
        T{F32, {8}, {INFINITY, INFINITY, 0, 0, 0, -0.0, -0.0, 1}}},
       {T{F32, {8}, {INFINITY, INFINITY, 1, -1, 0, 1, -0.0, NAN}},
        T{F32, {8}, {NAN, -INFINITY, 1, -1, 0, 1, 0, NAN}},
        T{F32, {8}, {INFINITY, NAN, 0, -0.0, 0, -0.0, 0, NAN}},
        T{F32, {8}, {NAN, 0, INFINITY, -INFINITY, NAN, -INFINITY, NAN, NAN}}}},
      {"NegateAbsSignSpecialValues",
       R"(func.func @main(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %0 = stablehlo.negate %x : tensor<8xf32>
  %1 = stablehlo.abs %x : tensor<8xf32>
  %2 = stablehlo.sign %x : tensor<8xf32>
  return %0, %1, %2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
})",
       {T{F32, {8}, {0, -0.0, INFINITY, -INFINITY, NAN, -2.5, 3, -1e-30}}},
       {T{F32, {8}, {-0.0, 0, -INFINITY, INFINITY, NAN, 2.5, -3, 1e-30}},
        T{F32, {8}, {0, 0, INFINITY, INFINITY, NAN, 2.5, 3, 1e-30}},
        T{F32, {8}, {0, -0.0, 1, -1, NAN, -1, 1, -1}}}},
      {"MaximumMinimumSignedZeroAndInfinity",
       // IEEE-754 maximum/minimum order -0 below +0, whichever operand
       // comes first.
       R"(func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.maximum %a, %b : tensor<4xf32>
  %1 = stablehlo.minimum %a, %b : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
})",
       {T{F32, {4}, {-0.0, 0, -INFINITY, 5}},
        T{F32, {4}, {0, -0.0, 3, INFINITY}}},
       {T{F32, {4}, {0, 0, 3, INFINITY}},
        T{F32, {4}, {-0.0, -0.0, -INFINITY, 5}}}},
      {"ExponentialMinusOneLogPlusOneCbrtTan",
       // expm1/log1p must keep the precision of tiny arguments that
       // exp(x)-1 and log(1+x) lose entirely.
       R"(func.func @main(%x: tensor<4xf32>, %c: tensor<4xf32>, %t: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.exponential_minus_one %x : tensor<4xf32>
  %1 = stablehlo.log_plus_one %x : tensor<4xf32>
  %2 = stablehlo.cbrt %c : tensor<4xf32>
  %3 = stablehlo.tan %t : tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
})",
       {T{F32, {4}, {1.000000013351432e-10, -0.5, 1, -0.0}},
        T{F32, {4}, {-8, 27, 0.125, -0.0}}, T{F32, {4}, {0.5, -1, 1.5, -0.0}}},
       {T{F32,
          {4},
          {1.000000013351432e-10, -0.3934693402873666, 1.718281828459045,
           -0.0}},
        T{F32,
          {4},
          {1.000000013351432e-10, -0.6931471805599453, 0.6931471805599453,
           -0.0}},
        T{F32, {4}, {-2, 3, 0.5, -0.0}},
        T{F32,
          {4},
          {0.5463024898437905, -1.5574077246549023, 14.101419947171719,
           -0.0}}}},
      {"Atan2PowerRemainderFloat",
       // atan2 follows the signs of both operands (also of zeros); power
       // of a negative base to a non-integer is NaN and x^0 is 1; the
       // float remainder takes the dividend's sign (fmod).
       R"(func.func @main(%y: tensor<6xf32>, %x: tensor<6xf32>, %pb: tensor<6xf32>, %pe: tensor<6xf32>, %ra: tensor<6xf32>, %rb: tensor<6xf32>) -> (tensor<6xf32>, tensor<6xf32>, tensor<6xf32>) {
  %0 = stablehlo.atan2 %y, %x : tensor<6xf32>
  %1 = stablehlo.power %pb, %pe : tensor<6xf32>
  %2 = stablehlo.remainder %ra, %rb : tensor<6xf32>
  return %0, %1, %2 : tensor<6xf32>, tensor<6xf32>, tensor<6xf32>
})",
       {T{F32, {6}, {0, -0.0, 1, -1, 0, 3}}, T{F32, {6}, {-1, -1, 0, 0, 0, -3}},
        T{F32, {6}, {2, -8, 0, 2, -2, 4}},
        T{F32, {6}, {-1, 0.3333333432674408, 0, 0.5, 3, -0.5}},
        T{F32, {6}, {-7.5, 5.5, 7, -0.0, INFINITY, 3}},
        T{F32, {6}, {2, -2, INFINITY, 1, 2, 0}}},
       {T{F32, {6}, {M_PI, -M_PI, M_PI / 2, -M_PI / 2, 0, 3 * M_PI / 4}},
        T{F32, {6}, {0.5, NAN, 1, M_SQRT2, -8, 0.5}},
        T{F32, {6}, {-1.5, 1.5, 7, -0.0, NAN, NAN}}}},
      {"ExponentialLogSqrtTanhLogisticSineCosineSpecialValues",
       R"(func.func @main(%x: tensor<6xf32>) -> (tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>) {
  %0 = stablehlo.exponential %x : tensor<6xf32>
  %1 = stablehlo.log %x : tensor<6xf32>
  %2 = stablehlo.sqrt %x : tensor<6xf32>
  %3 = stablehlo.tanh %x : tensor<6xf32>
  %4 = stablehlo.logistic %x : tensor<6xf32>
  %5 = stablehlo.sine %x : tensor<6xf32>
  %6 = stablehlo.cosine %x : tensor<6xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>
})",
       {T{F32, {6}, {-INFINITY, INFINITY, 0, -0.0, -1, NAN}}},
       {T{F32, {6}, {0, INFINITY, 1, 1, 0.36787944117144233, NAN}},
        T{F32, {6}, {NAN, INFINITY, -INFINITY, -INFINITY, NAN, NAN}},
        T{F32, {6}, {NAN, INFINITY, 0, -0.0, NAN, NAN}},
        T{F32, {6}, {-1, 1, 0, -0.0, -0.7615941559557649, NAN}},
        T{F32, {6}, {0, 1, 0.5, 0.5, 0.2689414213699951, NAN}},
        T{F32, {6}, {NAN, NAN, 0, -0.0, -0.8414709848078965, NAN}},
        T{F32, {6}, {NAN, NAN, 1, 1, 0.5403023058681398, NAN}}}},
      {"RsqrtOfPositiveZeroAndInfinity",
       R"(func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.rsqrt %x : tensor<4xf32>
  return %0 : tensor<4xf32>
})",
       {T{F32, {4}, {0, INFINITY, 0.0625, -4}}},
       {T{F32, {4}, {INFINITY, 0, 4, NAN}}}},
      {"IsFiniteAndCompareWithNaNAndSignedZero",
       // NaN is unordered (only NE holds); -0 equals +0 except under
       // TOTALORDER, where -0 < +0 and a NaN equals itself.
       R"(func.func @main(%x: tensor<5xf32>, %y: tensor<5xf32>) -> (tensor<5xi1>, tensor<5xi1>, tensor<5xi1>, tensor<5xi1>, tensor<5xi1>, tensor<5xi1>, tensor<5xi1>) {
  %0 = stablehlo.is_finite %x : (tensor<5xf32>) -> tensor<5xi1>
  %1 = stablehlo.compare EQ, %x, %y, FLOAT : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xi1>
  %2 = stablehlo.compare NE, %x, %y, FLOAT : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xi1>
  %3 = stablehlo.compare LT, %x, %y, FLOAT : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xi1>
  %4 = stablehlo.compare GE, %x, %y, FLOAT : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xi1>
  %5 = stablehlo.compare LT, %x, %y, TOTALORDER : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xi1>
  %6 = stablehlo.compare EQ, %x, %y, TOTALORDER : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xi1>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<5xi1>, tensor<5xi1>, tensor<5xi1>, tensor<5xi1>, tensor<5xi1>, tensor<5xi1>, tensor<5xi1>
})",
       {T{F32, {5}, {1, INFINITY, -INFINITY, NAN, -0.0}},
        T{F32, {5}, {1, INFINITY, 0, NAN, 0}}},
       {T{PRED, {5}, {1, 0, 0, 0, 1}}, T{PRED, {5}, {1, 1, 0, 0, 1}},
        T{PRED, {5}, {0, 0, 1, 1, 0}}, T{PRED, {5}, {0, 0, 1, 0, 0}},
        T{PRED, {5}, {1, 1, 0, 0, 1}}, T{PRED, {5}, {0, 0, 1, 0, 1}},
        T{PRED, {5}, {1, 1, 0, 1, 0}}}},
      {"RoundNearestEvenAfzFloorCeilHalfwayCases",
       R"(func.func @main(%x: tensor<11xf32>) -> (tensor<11xf32>, tensor<11xf32>, tensor<11xf32>, tensor<11xf32>) {
  %0 = stablehlo.round_nearest_even %x : tensor<11xf32>
  %1 = stablehlo.round_nearest_afz %x : tensor<11xf32>
  %2 = stablehlo.floor %x : tensor<11xf32>
  %3 = stablehlo.ceil %x : tensor<11xf32>
  return %0, %1, %2, %3 : tensor<11xf32>, tensor<11xf32>, tensor<11xf32>, tensor<11xf32>
})",
       {T{F32,
          {11},
          {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.0, NAN, INFINITY,
           0.4999999701976776, 8388609}}},
       {T{F32, {11}, {-2, -2, -0.0, 0, 2, 2, -0.0, NAN, INFINITY, 0, 8388609}},
        T{F32, {11}, {-3, -2, -1, 1, 2, 3, -0.0, NAN, INFINITY, 0, 8388609}},
        T{F32, {11}, {-3, -2, -1, 0, 1, 2, -0.0, NAN, INFINITY, 0, 8388609}},
        T{F32,
          {11},
          {-2, -1, -0.0, 1, 2, 3, -0.0, NAN, INFINITY, 1, 8388609}}}},
      {"ComplexArithmeticAndParts",
       R"(func.func @main(%a: tensor<3xcomplex<f32>>, %b: tensor<3xcomplex<f32>>) -> (tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xcomplex<f32>>) {
  %0 = stablehlo.add %a, %b : tensor<3xcomplex<f32>>
  %1 = stablehlo.subtract %a, %b : tensor<3xcomplex<f32>>
  %2 = stablehlo.multiply %a, %b : tensor<3xcomplex<f32>>
  %3 = stablehlo.divide %a, %b : tensor<3xcomplex<f32>>
  %4 = stablehlo.negate %a : tensor<3xcomplex<f32>>
  %5 = stablehlo.exponential %a : tensor<3xcomplex<f32>>
  %6 = stablehlo.sqrt %a : tensor<3xcomplex<f32>>
  %7 = stablehlo.log %a : tensor<3xcomplex<f32>>
  %8 = stablehlo.abs %a : (tensor<3xcomplex<f32>>) -> tensor<3xf32>
  %9 = stablehlo.real %a : (tensor<3xcomplex<f32>>) -> tensor<3xf32>
  %10 = stablehlo.imag %a : (tensor<3xcomplex<f32>>) -> tensor<3xf32>
  %11 = stablehlo.complex %10, %9 : tensor<3xcomplex<f32>>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xcomplex<f32>>
})",
       {T{C64, {3}, {1, -3, 0}, {2, 0.5, 1}},
        T{C64, {3}, {2, 1, 0.5}, {-1, 1, 0}}},
       {T{C64, {3}, {3, -2, 0.5}, {1, 1.5, 1}},
        T{C64, {3}, {-1, -4, -0.5}, {3, -0.5, 1}},
        T{C64, {3}, {4, -3.5, 0}, {3, -2.5, 0.5}},
        T{C64, {3}, {0, -1.25, 0}, {1, 1.75, 2}},
        T{C64, {3}, {-1, 3, -0.0}, {-2, -0.5, -1}},
        T{C64,
          {3},
          {-1.1312043837568135, 0.04369226300728118, 0.5403023058681398},
          {2.4717266720048188, 0.02386919206778745, 0.8414709848078965}},
        T{C64,
          {3},
          {1.272019649514069, 0.14384238796180673, 0.7071067811865476},
          {0.7861513777574233, 1.738013415533538, 0.7071067811865476}},
        T{C64,
          {3},
          {0.8047189562170503, 1.1123117757621668, 0},
          {1.1071487177940904, 2.976443976175166, 1.5707963267948966}},
        T{F32, {3}, {2.23606797749979, 3.0413812651491092, 1}},
        T{F32, {3}, {1, -3, 0}}, T{F32, {3}, {2, 0.5, 1}},
        T{C64, {3}, {2, 0.5, 1}, {1, -3, 0}}}},
      {"ComplexCbrtIsThePrincipalCubeRoot",
       // cbrt(r e^(i t)) = r^(1/3) e^(i t / 3) with t in (-pi, pi]:
       // cbrt(-8) = 2 e^(i pi/3), cbrt(8i) = 2 e^(i pi/6), cbrt(27) = 3.
       R"(func.func @main(%a: tensor<3xcomplex<f32>>) -> tensor<3xcomplex<f32>> {
  %0 = stablehlo.cbrt %a : tensor<3xcomplex<f32>>
  return %0 : tensor<3xcomplex<f32>>
})",
       {T{C64, {3}, {-8, 0, 27}, {0, 8, 0}}},
       {T{C64,
          {3},
          {1, 1.7320508075688772, 3},
          {1.7320508075688772, 1, 0}}}},
      {"HalfAndBFloat16RoundToNearestEvenAndOverflow",
       // Results are bitcast to integers so the check is bit-exact:
       // 2048+1 ties to even in f16, 1+2^-11 rounds back to 1, 65504*-2
       // overflows to -inf; bf16 has 8 significant bits.
       R"(func.func @main(%a: tensor<4xf16>, %b: tensor<4xf16>, %m: tensor<4xf16>, %c: tensor<4xbf16>, %d: tensor<4xbf16>) -> (tensor<4xi16>, tensor<4xi16>, tensor<4xi16>) {
  %0 = stablehlo.add %a, %b : tensor<4xf16>
  %1 = stablehlo.multiply %a, %m : tensor<4xf16>
  %2 = stablehlo.add %c, %d : tensor<4xbf16>
  %3 = stablehlo.bitcast_convert %0 : (tensor<4xf16>) -> tensor<4xi16>
  %4 = stablehlo.bitcast_convert %1 : (tensor<4xf16>) -> tensor<4xi16>
  %5 = stablehlo.bitcast_convert %2 : (tensor<4xbf16>) -> tensor<4xi16>
  return %3, %4, %5 : tensor<4xi16>, tensor<4xi16>, tensor<4xi16>
})",
       {T{F16, {4}, {2048, 1, 65504, 0.0999755859375}},
        T{F16, {4}, {1, 0.00048828125, 65504, 0.199951171875}},
        T{F16, {4}, {1, 1, -2, 3}},
        T{BF16, {4}, {256, 1, 3.0040553e+38, 1.0078125}},
        T{BF16, {4}, {1, 0.00390625, 3.0040553e+38, 1.0078125}}},
       {T{S16, {4}, {26624, 15360, 31744, 13516}},
        T{S16, {4}, {26624, 15360, -1024, 13516}},
        T{S16, {4}, {17280, 16256, 32640, 16385}}}},
      {"Float64TranscendentalsToDoublePrecision",
       // f64 must be computed in double precision (1e-12), not through
       // float.
       R"(func.func @main(%x: tensor<3xf64>, %y: tensor<3xf64>, %z: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) {
  %0 = stablehlo.exponential %x : tensor<3xf64>
  %1 = stablehlo.sine %x : tensor<3xf64>
  %2 = stablehlo.cosine %x : tensor<3xf64>
  %3 = stablehlo.tan %x : tensor<3xf64>
  %4 = stablehlo.tanh %x : tensor<3xf64>
  %5 = stablehlo.exponential_minus_one %x : tensor<3xf64>
  %6 = stablehlo.cbrt %x : tensor<3xf64>
  %7 = stablehlo.logistic %x : tensor<3xf64>
  %8 = stablehlo.log %y : tensor<3xf64>
  %9 = stablehlo.log_plus_one %y : tensor<3xf64>
  %10 = stablehlo.sqrt %y : tensor<3xf64>
  %11 = stablehlo.rsqrt %y : tensor<3xf64>
  %12 = stablehlo.atan2 %x, %z : tensor<3xf64>
  %13 = stablehlo.power %y, %z : tensor<3xf64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13 : tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>
})",
       {T{F64, {3}, {0.1, -2.5, 20}}, T{F64, {3}, {0.1, 2.5, 20}},
        T{F64, {3}, {-2.5, 0.1, 20}}},
       {T{F64,
          {3},
          {1.1051709180756477, 0.0820849986238988, 485165195.4097903}},
        T{F64,
          {3},
          {0.09983341664682815, -0.5984721441039565, 0.9129452507276277}},
        T{F64,
          {3},
          {0.9950041652780258, -0.8011436155469337, 0.40808206181339196}},
        T{F64,
          {3},
          {0.10033467208545055, 0.7470222972386603, 2.237160944224742}},
        T{F64, {3}, {0.09966799462495582, -0.9866142981514303, 1}},
        T{F64,
          {3},
          {0.10517091807564763, -0.9179150013761012, 485165194.4097903}},
        T{F64,
          {3},
          {0.4641588833612779, -1.3572088082974534, 2.7144176165949068}},
        T{F64,
          {3},
          {0.52497918747894, 0.07585818002124355, 0.9999999979388464}},
        T{F64,
          {3},
          {-2.3025850929940455, 0.9162907318741551, 2.995732273553991}},
        T{F64,
          {3},
          {0.09531017980432487, 1.252762968495368, 3.044522437723423}},
        T{F64,
          {3},
          {0.31622776601683794, 1.5811388300841898, 4.47213595499958}},
        T{F64,
          {3},
          {3.162277660168379, 0.6324555320336759, 0.22360679774997896}},
        T{F64,
          {3},
          {3.1016139664665032, -1.5308176396716067, 0.7853981633974483}},
        T{F64, {3}, {316.2277660168379, 1.0959582263852172, 1.048576e+26}}}},
      {"ClampAndSelectWithScalarOperands",
       // clamp(min, x, max) = min(max(x, min), max), also when min > max
       // and with rank-0 bounds; NaN stays NaN; a rank-0 predicate
       // selects whole tensors.
       R"(func.func @main(%x: tensor<4xf32>, %p: tensor<i1>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %lo = stablehlo.constant dense<-1.0> : tensor<f32>
  %hi = stablehlo.constant dense<1.0> : tensor<f32>
  %five = stablehlo.constant dense<5.0> : tensor<f32>
  %0 = stablehlo.clamp %lo, %x, %hi : (tensor<f32>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = stablehlo.clamp %five, %x, %hi : (tensor<f32>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = stablehlo.select %p, %x, %y : tensor<i1>, tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
})",
       {T{F32, {4}, {-3, 0.5, NAN, 2}}, T{PRED, {}, {0}},
        T{F32, {4}, {7, 8, 9, 10}}},
       {T{F32, {4}, {-1, 0.5, NAN, 1}}, T{F32, {4}, {1, 1, NAN, 1}},
        T{F32, {4}, {7, 8, 9, 10}}}},
      {"CompareComplexAndRoundFloat64Halfway",
       R"(func.func @main(%a: tensor<2xcomplex<f32>>, %b: tensor<2xcomplex<f32>>, %x: tensor<3xf64>) -> (tensor<2xi1>, tensor<2xi1>, tensor<3xf64>, tensor<3xf64>) {
  %0 = stablehlo.compare EQ, %a, %b : (tensor<2xcomplex<f32>>, tensor<2xcomplex<f32>>) -> tensor<2xi1>
  %1 = stablehlo.compare NE, %a, %b : (tensor<2xcomplex<f32>>, tensor<2xcomplex<f32>>) -> tensor<2xi1>
  %2 = stablehlo.round_nearest_even %x : tensor<3xf64>
  %3 = stablehlo.round_nearest_afz %x : tensor<3xf64>
  return %0, %1, %2, %3 : tensor<2xi1>, tensor<2xi1>, tensor<3xf64>, tensor<3xf64>
})",
       {T{C64, {2}, {1, 3}, {2, -1}}, T{C64, {2}, {1, 3}, {2, 1}},
        T{F64, {3}, {2.5, -3.5, 0.49999999999999994}}},
       {T{PRED, {2}, {1, 0}}, T{PRED, {2}, {0, 1}}, T{F64, {3}, {2, -4, 0}},
        T{F64, {3}, {3, -4, 0}}}},
  };
}

}  // namespace backplane::conformance
