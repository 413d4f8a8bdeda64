// Numerics cases: integer and predicate ops: wrap-around, division by zero and
// overflow, shifts beyond the bit width, bit counting. Expected values are
// derived by hand or with numpy/mpmath, never by running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> IntegerCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"IntegerArithmeticEdgeCases",
       R"(func.func @main(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>) {
  %0 = stablehlo.divide %a, %b : tensor<4xi32>
  %1 = stablehlo.remainder %a, %b : tensor<4xi32>
  return %0, %1 : tensor<4xi32>, tensor<4xi32>
})",
       {T{S32, {4}, {7, -7, 5, -2147483648.0}}, T{S32, {4}, {2, 2, 0, -1}}},
       {T{S32, {4}, {3, -3, -1, -2147483648.0}}, T{S32, {4}, {1, -1, 5, 0}}}},
      {"BitwiseAndShifts",
       R"(func.func @main(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %0 = stablehlo.and %a, %b : tensor<4xi32>
  %1 = stablehlo.or %a, %b : tensor<4xi32>
  %2 = stablehlo.xor %a, %b : tensor<4xi32>
  %3 = stablehlo.not %a : tensor<4xi32>
  %4 = stablehlo.shift_left %a, %b : tensor<4xi32>
  %5 = stablehlo.shift_right_arithmetic %a, %b : tensor<4xi32>
  %6 = stablehlo.shift_right_logical %a, %b : tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
})",
       {T{S32, {4}, {12, -8, 1, -1}}, T{S32, {4}, {10, 1, 32, 31}}},
       {T{S32, {4}, {8, 0, 0, 31}}, T{S32, {4}, {14, -7, 33, -1}},
        T{S32, {4}, {6, -7, 33, -32}}, T{S32, {4}, {-13, 7, -2, 0}},
        T{S32, {4}, {12288, -16, 0, -2147483648.0}},
        T{S32, {4}, {0, -4, 0, -1}}, T{S32, {4}, {0, 2147483644, 0, 1}}}},
      {"SmallIntegerTypesWrap",
       R"(func.func @main(%a: tensor<3xi8>, %b: tensor<3xui8>) -> (tensor<3xi8>, tensor<3xui8>) {
  %0 = stablehlo.add %a, %a : tensor<3xi8>
  %1 = stablehlo.add %b, %b : tensor<3xui8>
  return %0, %1 : tensor<3xi8>, tensor<3xui8>
})",
       {T{S8, {3}, {100, -100, 3}}, T{U8, {3}, {200, 1, 128}}},
       {T{S8, {3}, {-56, 56, 6}}, T{U8, {3}, {144, 2, 0}}}},
      {"IntegerDivideRemainderByZeroAndOverflowAllWidths",
       // x / 0 is all ones (-1 signed), x % 0 is x, MIN / -1 is MIN and
       // MIN % -1 is 0, for every width and signedness.
       R"(func.func @main(%a: tensor<4xi64>, %b: tensor<4xi64>, %c: tensor<3xui32>, %d: tensor<3xui32>, %e: tensor<3xi8>, %f: tensor<3xi8>) -> (tensor<4xi64>, tensor<4xi64>, tensor<3xui32>, tensor<3xui32>, tensor<3xi8>, tensor<3xi8>) {
  %0 = stablehlo.divide %a, %b : tensor<4xi64>
  %1 = stablehlo.remainder %a, %b : tensor<4xi64>
  %2 = stablehlo.divide %c, %d : tensor<3xui32>
  %3 = stablehlo.remainder %c, %d : tensor<3xui32>
  %4 = stablehlo.divide %e, %f : tensor<3xi8>
  %5 = stablehlo.remainder %e, %f : tensor<3xi8>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi64>, tensor<4xi64>, tensor<3xui32>, tensor<3xui32>, tensor<3xi8>, tensor<3xi8>
})",
       {T{S64, {4}, {-9223372036854775808.0, 9, -9, 0}},
        T{S64, {4}, {-1, 0, 4, 0}}, T{U32, {3}, {7, 4294967295, 5}},
        T{U32, {3}, {2, 0, 0}}, T{S8, {3}, {-128, 127, -7}},
        T{S8, {3}, {-1, 0, 2}}},
       {T{S64, {4}, {-9223372036854775808.0, -1, -2, -1}},
        T{S64, {4}, {0, 9, -1, 0}}, T{U32, {3}, {3, 4294967295, 4294967295}},
        T{U32, {3}, {1, 4294967295, 5}}, T{S8, {3}, {-128, -1, -3}},
        T{S8, {3}, {0, 127, -1}}}},
      {"ShiftLeftShiftRightByWidthAndNegativeAmounts",
       // Amounts are unsigned: >= the width (including negative ones)
       // give 0, or all sign bits for the arithmetic shift.
       R"(func.func @main(%a: tensor<5xi8>, %b: tensor<5xi8>, %c: tensor<2xui64>, %d: tensor<2xui64>) -> (tensor<5xi8>, tensor<5xi8>, tensor<5xi8>, tensor<2xui64>, tensor<2xui64>) {
  %0 = stablehlo.shift_left %a, %b : tensor<5xi8>
  %1 = stablehlo.shift_right_arithmetic %a, %b : tensor<5xi8>
  %2 = stablehlo.shift_right_logical %a, %b : tensor<5xi8>
  %3 = stablehlo.shift_left %c, %d : tensor<2xui64>
  %4 = stablehlo.shift_right_logical %c, %d : tensor<2xui64>
  return %0, %1, %2, %3, %4 : tensor<5xi8>, tensor<5xi8>, tensor<5xi8>, tensor<2xui64>, tensor<2xui64>
})",
       {T{S8, {5}, {1, -128, -128, 64, 1}}, T{S8, {5}, {8, 7, 8, -1, 7}},
        T{U64, {2}, {9223372036854775808.0, 1}}, T{U64, {2}, {63, 64}}},
       {T{S8, {5}, {0, 0, 0, 0, -128}}, T{S8, {5}, {0, -1, -1, 0, 0}},
        T{S8, {5}, {0, 1, 0, 0, 0}}, T{U64, {2}, {0, 0}}, T{U64, {2}, {1, 0}}}},
      {"PopcntCountLeadingZeros",
       R"(func.func @main(%a: tensor<5xi32>, %b: tensor<3xui8>, %c: tensor<2xi64>) -> (tensor<5xi32>, tensor<5xi32>, tensor<3xui8>, tensor<3xui8>, tensor<2xi64>, tensor<2xi64>) {
  %0 = stablehlo.count_leading_zeros %a : tensor<5xi32>
  %1 = stablehlo.popcnt %a : tensor<5xi32>
  %2 = stablehlo.count_leading_zeros %b : tensor<3xui8>
  %3 = stablehlo.popcnt %b : tensor<3xui8>
  %4 = stablehlo.count_leading_zeros %c : tensor<2xi64>
  %5 = stablehlo.popcnt %c : tensor<2xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<5xi32>, tensor<5xi32>, tensor<3xui8>, tensor<3xui8>, tensor<2xi64>, tensor<2xi64>
})",
       {T{S32, {5}, {0, -1, 1, 15790080, -2147483648.0}},
        T{U8, {3}, {0, 255, 16}}, T{S64, {2}, {1, -1}}},
       {T{S32, {5}, {32, 0, 31, 8, 0}}, T{S32, {5}, {0, 32, 1, 8, 1}},
        T{U8, {3}, {8, 0, 3}}, T{U8, {3}, {0, 8, 1}}, T{S64, {2}, {63, 0}},
        T{S64, {2}, {1, 64}}}},
      {"IntegerAbsNegateSignMaximumMinimumWrapAround",
       // abs and negate of INT_MIN wrap to INT_MIN; add, subtract and
       // multiply wrap modulo 2^32.
       R"(func.func @main(%x: tensor<4xi32>, %y: tensor<4xi32>, %p: tensor<3xi32>, %q: tensor<3xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) {
  %0 = stablehlo.abs %x : tensor<4xi32>
  %1 = stablehlo.negate %x : tensor<4xi32>
  %2 = stablehlo.sign %x : tensor<4xi32>
  %3 = stablehlo.maximum %x, %y : tensor<4xi32>
  %4 = stablehlo.minimum %x, %y : tensor<4xi32>
  %5 = stablehlo.multiply %p, %q : tensor<3xi32>
  %6 = stablehlo.add %p, %q : tensor<3xi32>
  %7 = stablehlo.subtract %p, %q : tensor<3xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>
})",
       {T{S32, {4}, {-2147483648.0, -5, 0, 7}}, T{S32, {4}, {0, -6, 0, 7}},
        T{S32, {3}, {65536, 2147483647, 46341}},
        T{S32, {3}, {65536, 1, -2147483648.0}}},
       {T{S32, {4}, {-2147483648.0, 5, 0, 7}},
        T{S32, {4}, {-2147483648.0, 5, 0, -7}}, T{S32, {4}, {-1, -1, 0, 1}},
        T{S32, {4}, {0, -5, 0, 7}}, T{S32, {4}, {-2147483648.0, -6, 0, 7}},
        T{S32, {3}, {0, 2147483647, -2147483648.0}},
        T{S32, {3}, {131072, -2147483648.0, -2147437307}},
        T{S32, {3}, {0, 2147483646, -2147437307}}}},
      {"UnsignedCompareMaximumMinimum",
       R"(func.func @main(%a: tensor<3xui32>, %b: tensor<3xui32>) -> (tensor<3xi1>, tensor<3xui32>, tensor<3xui32>) {
  %0 = stablehlo.compare LT, %a, %b, UNSIGNED : (tensor<3xui32>, tensor<3xui32>) -> tensor<3xi1>
  %1 = stablehlo.maximum %a, %b : tensor<3xui32>
  %2 = stablehlo.minimum %a, %b : tensor<3xui32>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xui32>, tensor<3xui32>
})",
       {T{U32, {3}, {4294967295, 0, 2147483648.0}},
        T{U32, {3}, {1, 1, 2147483647}}},
       {T{PRED, {3}, {0, 1, 0}}, T{U32, {3}, {4294967295, 1, 2147483648.0}},
        T{U32, {3}, {1, 0, 2147483647}}}},
      {"IntegerPowerNegativeExponentsAndWrap",
       // A negative exponent gives 0 except for bases 1 and -1; 3^21
       // wraps modulo 2^32.
       R"(func.func @main(%b: tensor<9xi32>, %e: tensor<9xi32>) -> tensor<9xi32> {
  %0 = stablehlo.power %b, %e : tensor<9xi32>
  return %0 : tensor<9xi32>
})",
       {T{S32, {9}, {2, -2, 3, 1, -1, -1, 2, 0, 3}},
        T{S32, {9}, {10, 3, 0, -5, -3, -4, -1, 0, 21}}},
       {T{S32, {9}, {1024, -8, 1, 1, -1, 1, 0, 1, 1870418611}}}},
      {"PredicateAndOrXorNot",
       R"(func.func @main(%a: tensor<4xi1>, %b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = stablehlo.and %a, %b : tensor<4xi1>
  %1 = stablehlo.or %a, %b : tensor<4xi1>
  %2 = stablehlo.xor %a, %b : tensor<4xi1>
  %3 = stablehlo.not %a : tensor<4xi1>
  return %0, %1, %2, %3 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
})",
       {T{PRED, {4}, {0, 0, 1, 1}}, T{PRED, {4}, {0, 1, 0, 1}}},
       {T{PRED, {4}, {0, 0, 0, 1}}, T{PRED, {4}, {0, 1, 1, 1}},
        T{PRED, {4}, {0, 1, 1, 0}}, T{PRED, {4}, {1, 1, 0, 0}}}},
      {"Int4AndUint4WrapAround",
       R"(func.func @main(%a: tensor<3xi4>, %b: tensor<3xi4>, %c: tensor<2xui4>, %d: tensor<2xui4>) -> (tensor<3xi4>, tensor<3xi4>, tensor<2xui4>, tensor<2xui4>) {
  %0 = stablehlo.add %a, %b : tensor<3xi4>
  %1 = stablehlo.multiply %a, %b : tensor<3xi4>
  %2 = stablehlo.add %c, %d : tensor<2xui4>
  %3 = stablehlo.subtract %d, %c : tensor<2xui4>
  return %0, %1, %2, %3 : tensor<3xi4>, tensor<3xi4>, tensor<2xui4>, tensor<2xui4>
})",
       {T{S4, {3}, {7, -8, 3}}, T{S4, {3}, {1, -1, 4}}, T{U4, {2}, {15, 3}},
        T{U4, {2}, {1, 5}}},
       {T{S4, {3}, {-8, 7, 7}}, T{S4, {3}, {7, -8, -4}}, T{U4, {2}, {0, 8}},
        T{U4, {2}, {2, 2}}}},
  };
}

}  // namespace backplane::conformance
