// Numerics cases: convert, bitcast_convert and reduce_precision between element
// types. Expected values are derived by hand or with numpy/mpmath, never by
// running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> ConversionCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"ConvertAndBitcast",
       R"(func.func @main(%a: tensor<4xf32>, %b: tensor<3xi32>) -> (tensor<4xi32>, tensor<3xf32>, tensor<4xi32>) {
  %0 = stablehlo.convert %a : (tensor<4xf32>) -> tensor<4xi32>
  %1 = stablehlo.convert %b : (tensor<3xi32>) -> tensor<3xf32>
  %2 = stablehlo.bitcast_convert %a : (tensor<4xf32>) -> tensor<4xi32>
  return %0, %1, %2 : tensor<4xi32>, tensor<3xf32>, tensor<4xi32>
})",
       {T{F32, {4}, {1.9, -1.9, 0, 1}}, T{S32, {3}, {-3, 0, 16777217}}},
       {T{S32, {4}, {1, -1, 0, 1}}, T{F32, {3}, {-3, 0, 16777216}},
        T{S32, {4}, {1072902963, -1074580685, 0, 1065353216}}}},
      {"ConvertRoundsToNearestEvenAndOverflowsToInfinity",
       // Narrowing float conversions round to nearest even (checked
       // bit-exactly through bitcast_convert); out-of-range values become
       // infinity, tiny ones zero with their sign.
       R"(func.func @main(%x: tensor<5xf32>, %b: tensor<3xf32>, %d: tensor<2xf64>) -> (tensor<5xi16>, tensor<3xi16>, tensor<2xi32>) {
  %0 = stablehlo.convert %x : (tensor<5xf32>) -> tensor<5xf16>
  %1 = stablehlo.bitcast_convert %0 : (tensor<5xf16>) -> tensor<5xi16>
  %2 = stablehlo.convert %b : (tensor<3xf32>) -> tensor<3xbf16>
  %3 = stablehlo.bitcast_convert %2 : (tensor<3xbf16>) -> tensor<3xi16>
  %4 = stablehlo.convert %d : (tensor<2xf64>) -> tensor<2xf32>
  %5 = stablehlo.bitcast_convert %4 : (tensor<2xf32>) -> tensor<2xi32>
  return %1, %3, %5 : tensor<5xi16>, tensor<3xi16>, tensor<2xi32>
})",
       {T{F32, {5}, {1.00048828125, 1.00146484375, 65520, 1e-8, -0.0}},
        T{F32, {3}, {1.00390625, 1.01171875, -0.0}}, T{F64, {2}, {0.1, 1e300}}},
       {T{S16, {5}, {15360, 15362, 31744, 0, -32768}},
        T{S16, {3}, {16256, 16258, -32768}},
        T{S32, {2}, {1036831949, 2139095040}}}},
      {"ConvertBetweenIntegerFloatAndPredicate",
       // Integer to pred is "nonzero"; pred to float is 0 or 1; narrowing
       // integers keep the low bits; large integers round to the nearest
       // float.
       R"(func.func @main(%i: tensor<4xi32>, %p: tensor<2xi1>, %u: tensor<1xui32>, %l: tensor<1xi64>, %f: tensor<2xf32>) -> (tensor<4xi1>, tensor<2xf32>, tensor<4xui8>, tensor<1xf32>, tensor<1xf32>, tensor<2xui8>, tensor<4xf16>) {
  %0 = stablehlo.convert %i : (tensor<4xi32>) -> tensor<4xi1>
  %1 = stablehlo.convert %p : (tensor<2xi1>) -> tensor<2xf32>
  %2 = stablehlo.convert %i : (tensor<4xi32>) -> tensor<4xui8>
  %3 = stablehlo.convert %u : (tensor<1xui32>) -> tensor<1xf32>
  %4 = stablehlo.convert %l : (tensor<1xi64>) -> tensor<1xf32>
  %5 = stablehlo.convert %f : (tensor<2xf32>) -> tensor<2xui8>
  %6 = stablehlo.convert %i : (tensor<4xi32>) -> tensor<4xf16>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xi1>, tensor<2xf32>, tensor<4xui8>, tensor<1xf32>, tensor<1xf32>, tensor<2xui8>, tensor<4xf16>
})",
       {T{S32, {4}, {0, 5, -1, 300}}, T{PRED, {2}, {1, 0}},
        T{U32, {1}, {4294967295}}, T{S64, {1}, {-16777217}},
        T{F32, {2}, {3.75, 200.5}}},
       {T{PRED, {4}, {0, 1, 1, 1}}, T{F32, {2}, {1, 0}},
        T{U8, {4}, {0, 5, 255, 44}}, T{F32, {1}, {4294967296.0}},
        T{F32, {1}, {-16777216}}, T{U8, {2}, {3, 200}},
        T{F16, {4}, {0, 5, -1, 300}}}},
      {"BitcastConvertPreservesBitsAndNaNPayloads",
       // A signalling-NaN pattern must survive a round trip through f32
       // unchanged (no NaN canonicalisation in a bitcast).
       R"(func.func @main(%d: tensor<2xf64>, %h: tensor<2xf16>, %n: tensor<2xi32>) -> (tensor<2xi64>, tensor<2xui16>, tensor<2xi32>) {
  %0 = stablehlo.bitcast_convert %d : (tensor<2xf64>) -> tensor<2xi64>
  %1 = stablehlo.bitcast_convert %h : (tensor<2xf16>) -> tensor<2xui16>
  %2 = stablehlo.bitcast_convert %n : (tensor<2xi32>) -> tensor<2xf32>
  %3 = stablehlo.bitcast_convert %2 : (tensor<2xf32>) -> tensor<2xi32>
  return %0, %1, %3 : tensor<2xi64>, tensor<2xui16>, tensor<2xi32>
})",
       {T{F64, {2}, {-0.0, 1.5}}, T{F16, {2}, {1.5, -2}},
        T{S32, {2}, {2139095041, -4194304}}},
       {T{S64, {2}, {-9223372036854775808.0, 4609434218613702656.0}},
        T{U16, {2}, {15872, 49152}}, T{S32, {2}, {2139095041, -4194304}}}},
      {"ReducePrecisionRoundsMantissaAndExponent",
       // e5m10 behaves like f16 stored in f32 (ties to even, overflow to
       // infinity, NaN stays NaN); e8m7 like bf16.
       R"(func.func @main(%x: tensor<6xf32>, %y: tensor<3xf32>) -> (tensor<6xf32>, tensor<3xf32>) {
  %0 = stablehlo.reduce_precision %x, format = e5m10 : tensor<6xf32>
  %1 = stablehlo.reduce_precision %y, format = e8m7 : tensor<3xf32>
  return %0, %1 : tensor<6xf32>, tensor<3xf32>
})",
       {T{F32, {6}, {1.00048828125, 1.00146484375, 65520, NAN, -INFINITY, 0.1}},
        T{F32, {3}, {1.00390625, 1.01171875, -0.0}}},
       {T{F32,
          {6},
          {1, 1.001953125, INFINITY, NAN, -INFINITY, 0.0999755859375}},
        T{F32, {3}, {1, 1.015625, -0.0}}}},
      {"ConvertKeepsNaNsAndSubnormalsAndTestsPredicatesAgainstZero",
       // NaNs whose payload sits only in the bits a narrowing conversion
       // drops must stay NaN (not become infinity); f16 subnormals are
       // produced and read, not flushed; float to pred is x != 0, so -0
       // is false and NaN true.
       R"(func.func @main(%bits: tensor<3xi32>, %s: tensor<4xf32>, %h: tensor<2xi16>, %f: tensor<4xf32>) -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<4xi16>, tensor<2xf32>, tensor<4xi1>) {
  %n = stablehlo.bitcast_convert %bits : (tensor<3xi32>) -> tensor<3xf32>
  %b = stablehlo.convert %n : (tensor<3xf32>) -> tensor<3xbf16>
  %0 = stablehlo.compare NE, %b, %b, FLOAT : (tensor<3xbf16>, tensor<3xbf16>) -> tensor<3xi1>
  %g = stablehlo.convert %n : (tensor<3xf32>) -> tensor<3xf16>
  %1 = stablehlo.compare NE, %g, %g, FLOAT : (tensor<3xf16>, tensor<3xf16>) -> tensor<3xi1>
  %r = stablehlo.reduce_precision %n, format = e5m10 : tensor<3xf32>
  %2 = stablehlo.compare NE, %r, %r, FLOAT : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %c = stablehlo.convert %s : (tensor<4xf32>) -> tensor<4xf16>
  %3 = stablehlo.bitcast_convert %c : (tensor<4xf16>) -> tensor<4xi16>
  %hv = stablehlo.bitcast_convert %h : (tensor<2xi16>) -> tensor<2xf16>
  %4 = stablehlo.convert %hv : (tensor<2xf16>) -> tensor<2xf32>
  %5 = stablehlo.convert %f : (tensor<4xf32>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<4xi16>, tensor<2xf32>, tensor<4xi1>
})",
       {T{S32, {3}, {2139095041, 2139103232, -4194304}},
        T{F32, {4}, {1e-5, 6e-8, -1e-5, 70000}}, T{S16, {2}, {1, 168}},
        T{F32, {4}, {-0.0, NAN, 0.5, 0}}},
       {T{PRED, {3}, {1, 1, 1}}, T{PRED, {3}, {1, 1, 1}},
        T{PRED, {3}, {1, 1, 1}}, T{S16, {4}, {168, 1, -32600, 31744}},
        T{F32, {2}, {5.9604644775390625e-08, 1.0013580322265625e-05}},
        T{PRED, {4}, {0, 1, 1, 0}}}},
  };
}

}  // namespace backplane::conformance
