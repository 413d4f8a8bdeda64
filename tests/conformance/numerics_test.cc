// Family Numerics: a built-in set of programs (our own, not the shared
// corpus) with expected values, run through the ABI on the plugin under
// test. Tolerances (docs/conformance.md): integers and pred exact; f64
// |a-e| <= 1e-12 + 1e-12|e|; f32 1e-5 + 1e-5|e|; f16 1e-3 + 1e-3|e|; bf16
// 1e-2 + 1e-2|e|; NaN matches NaN; infinities match by sign. Each program is
// one test, named after the ops it covers.
#include <cmath>
#include <complex>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compiler/ir/float16.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

struct Tensor {
  BPL_ElementType type;
  std::vector<int64_t> dims;
  std::vector<double> values;
  std::vector<double> imag = {};  // Complex types only.
};

struct NumericsCase {
  std::string name;
  std::string program;
  std::vector<Tensor> inputs;
  std::vector<Tensor> expected;
};

std::vector<uint8_t> ToBytes(const Tensor& t) {
  const int size = ElementTypeByteSize(t.type);
  std::vector<uint8_t> bytes(t.values.size() * size);
  for (size_t i = 0; i < t.values.size(); ++i) {
    double v = t.values[i];
    uint8_t* p = bytes.data() + i * size;
    switch (t.type) {
      case BPL_ELEMENT_TYPE_PRED:
      case BPL_ELEMENT_TYPE_U8:
      case BPL_ELEMENT_TYPE_U4:
      case BPL_ELEMENT_TYPE_U2:
        *p = static_cast<uint8_t>(v);
        break;
      case BPL_ELEMENT_TYPE_S8:
      case BPL_ELEMENT_TYPE_S4:
      case BPL_ELEMENT_TYPE_S2: {
        int8_t x = static_cast<int8_t>(v);
        std::memcpy(p, &x, 1);
        break;
      }
      case BPL_ELEMENT_TYPE_S16: {
        int16_t x = static_cast<int16_t>(v);
        std::memcpy(p, &x, 2);
        break;
      }
      case BPL_ELEMENT_TYPE_U16: {
        uint16_t x = static_cast<uint16_t>(v);
        std::memcpy(p, &x, 2);
        break;
      }
      case BPL_ELEMENT_TYPE_S32: {
        int32_t x = static_cast<int32_t>(v);
        std::memcpy(p, &x, 4);
        break;
      }
      case BPL_ELEMENT_TYPE_U32: {
        uint32_t x = static_cast<uint32_t>(v);
        std::memcpy(p, &x, 4);
        break;
      }
      case BPL_ELEMENT_TYPE_S64: {
        int64_t x = static_cast<int64_t>(v);
        std::memcpy(p, &x, 8);
        break;
      }
      case BPL_ELEMENT_TYPE_U64: {
        uint64_t x = static_cast<uint64_t>(v);
        std::memcpy(p, &x, 8);
        break;
      }
      case BPL_ELEMENT_TYPE_F16: {
        uint16_t x = ir::DoubleToHalf(v);
        std::memcpy(p, &x, 2);
        break;
      }
      case BPL_ELEMENT_TYPE_BF16: {
        uint16_t x = ir::DoubleToBF16(v);
        std::memcpy(p, &x, 2);
        break;
      }
      case BPL_ELEMENT_TYPE_F32: {
        float x = static_cast<float>(v);
        std::memcpy(p, &x, 4);
        break;
      }
      case BPL_ELEMENT_TYPE_F64:
        std::memcpy(p, &v, 8);
        break;
      case BPL_ELEMENT_TYPE_C64: {
        std::complex<float> x(static_cast<float>(v),
                              static_cast<float>(t.imag.at(i)));
        std::memcpy(p, &x, 8);
        break;
      }
      case BPL_ELEMENT_TYPE_C128: {
        std::complex<double> x(v, t.imag.at(i));
        std::memcpy(p, &x, 16);
        break;
      }
      default:
        break;
    }
  }
  return bytes;
}

// Element i of `bytes` as (real, imaginary).
std::pair<double, double> Element(BPL_ElementType type, const uint8_t* bytes,
                                  size_t i) {
  const uint8_t* p = bytes + i * ElementTypeByteSize(type);
  switch (type) {
    case BPL_ELEMENT_TYPE_PRED:
    case BPL_ELEMENT_TYPE_U8:
    case BPL_ELEMENT_TYPE_U4:
    case BPL_ELEMENT_TYPE_U2:
      return {*p, 0};
    case BPL_ELEMENT_TYPE_S8:
    case BPL_ELEMENT_TYPE_S4:
    case BPL_ELEMENT_TYPE_S2:
      return {static_cast<int8_t>(*p), 0};
    case BPL_ELEMENT_TYPE_S16: {
      int16_t x;
      std::memcpy(&x, p, 2);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_U16: {
      uint16_t x;
      std::memcpy(&x, p, 2);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_S32: {
      int32_t x;
      std::memcpy(&x, p, 4);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_U32: {
      uint32_t x;
      std::memcpy(&x, p, 4);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_S64: {
      int64_t x;
      std::memcpy(&x, p, 8);
      return {static_cast<double>(x), 0};
    }
    case BPL_ELEMENT_TYPE_U64: {
      uint64_t x;
      std::memcpy(&x, p, 8);
      return {static_cast<double>(x), 0};
    }
    case BPL_ELEMENT_TYPE_F16: {
      uint16_t x;
      std::memcpy(&x, p, 2);
      return {ir::HalfToFloat(x), 0};
    }
    case BPL_ELEMENT_TYPE_BF16: {
      uint16_t x;
      std::memcpy(&x, p, 2);
      return {ir::BF16ToFloat(x), 0};
    }
    case BPL_ELEMENT_TYPE_F32: {
      float x;
      std::memcpy(&x, p, 4);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_F64: {
      double x;
      std::memcpy(&x, p, 8);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_C64: {
      std::complex<float> x;
      std::memcpy(&x, p, 8);
      return {x.real(), x.imag()};
    }
    case BPL_ELEMENT_TYPE_C128: {
      std::complex<double> x;
      std::memcpy(&x, p, 16);
      return {x.real(), x.imag()};
    }
    default:
      return {0, 0};
  }
}

double Tolerance(BPL_ElementType type) {
  switch (type) {
    case BPL_ELEMENT_TYPE_F64:
    case BPL_ELEMENT_TYPE_C128:
      return 1e-12;
    case BPL_ELEMENT_TYPE_F32:
    case BPL_ELEMENT_TYPE_C64:
      return 1e-5;
    case BPL_ELEMENT_TYPE_F16:
      return 1e-3;
    case BPL_ELEMENT_TYPE_BF16:
      return 1e-2;
    default:
      return 0;
  }
}

bool Close(double actual, double expected, double tolerance) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (std::isinf(expected)) return actual == expected;
  return std::fabs(actual - expected) <=
         tolerance + tolerance * std::fabs(expected);
}

const std::vector<NumericsCase>& Cases() {
  using T = Tensor;
  constexpr auto F32 = BPL_ELEMENT_TYPE_F32;
  constexpr auto F64 = BPL_ELEMENT_TYPE_F64;
  constexpr auto S32 = BPL_ELEMENT_TYPE_S32;
  constexpr auto PRED = BPL_ELEMENT_TYPE_PRED;
  static const auto* cases = new std::vector<NumericsCase>{
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
      {"Float64AndComplex",
       R"(func.func @main(%a: tensor<2xf64>, %c: tensor<2xcomplex<f32>>) -> (tensor<2xf64>, tensor<2xcomplex<f32>>) {
  %0 = stablehlo.exponential %a : tensor<2xf64>
  %1 = stablehlo.multiply %c, %c : tensor<2xcomplex<f32>>
  return %0, %1 : tensor<2xf64>, tensor<2xcomplex<f32>>
})",
       {T{F64, {2}, {1, -2}}, T{BPL_ELEMENT_TYPE_C64, {2}, {1, 0}, {2, 1}}},
       {T{F64, {2}, {2.718281828459045, 0.1353352832366127}},
        T{BPL_ELEMENT_TYPE_C64, {2}, {-3, -1}, {4, 0}}}},
      {"HalfAndBFloat16",
       R"(func.func @main(%a: tensor<3xf16>, %b: tensor<3xbf16>) -> (tensor<3xf16>, tensor<3xbf16>) {
  %0 = stablehlo.add %a, %a : tensor<3xf16>
  %1 = stablehlo.multiply %b, %b : tensor<3xbf16>
  return %0, %1 : tensor<3xf16>, tensor<3xbf16>
})",
       {T{BPL_ELEMENT_TYPE_F16, {3}, {0.5, -1.25, 1000}},
        T{BPL_ELEMENT_TYPE_BF16, {3}, {1.5, -2, 3}}},
       {T{BPL_ELEMENT_TYPE_F16, {3}, {1, -2.5, 2000}},
        T{BPL_ELEMENT_TYPE_BF16, {3}, {2.25, 4, 9}}}},
      {"SmallIntegerTypesWrap",
       R"(func.func @main(%a: tensor<3xi8>, %b: tensor<3xui8>) -> (tensor<3xi8>, tensor<3xui8>) {
  %0 = stablehlo.add %a, %a : tensor<3xi8>
  %1 = stablehlo.add %b, %b : tensor<3xui8>
  return %0, %1 : tensor<3xi8>, tensor<3xui8>
})",
       {T{BPL_ELEMENT_TYPE_S8, {3}, {100, -100, 3}},
        T{BPL_ELEMENT_TYPE_U8, {3}, {200, 1, 128}}},
       {T{BPL_ELEMENT_TYPE_S8, {3}, {-56, 56, 6}},
        T{BPL_ELEMENT_TYPE_U8, {3}, {144, 2, 0}}}},
  };
  return *cases;
}

class Numerics : public ConformanceTest,
                 public ::testing::WithParamInterface<size_t> {};

TEST_P(Numerics, MatchesExpectedValues) {
  REQUIRE_CAPABILITY("execute");
  const NumericsCase& c = Cases()[GetParam()];
  auto exe = client_.Compile(c.program);
  ASSERT_TRUE(exe.ok()) << c.name << ": " << exe.status();
  std::vector<Buffer> inputs;
  for (const Tensor& t : c.inputs) {
    std::vector<uint8_t> bytes = ToBytes(t);
    auto b =
        client_.BufferFromHost(bytes.data(), Shape{t.type, t.dims}, device_);
    ASSERT_TRUE(b.ok()) << b.status();
    inputs.push_back(std::move(b->buffer));
  }
  std::vector<Buffer*> args;
  for (Buffer& b : inputs) args.push_back(&b);
  auto outputs = exe->ExecuteOnOneDevice(args);
  ASSERT_TRUE(outputs.ok()) << c.name << ": " << outputs.status();
  ASSERT_EQ(outputs->size(), c.expected.size());
  for (size_t o = 0; o < c.expected.size(); ++o) {
    const Tensor& e = c.expected[o];
    auto shape = (*outputs)[o].shape();
    ASSERT_TRUE(shape.ok());
    ASSERT_EQ(*shape, (Shape{e.type, e.dims})) << "output " << o;
    std::vector<uint8_t> bytes(static_cast<size_t>(shape->byte_size()));
    auto done = (*outputs)[o].ToHost(bytes.data(), bytes.size());
    ASSERT_TRUE(done.ok());
    ASSERT_TRUE(AwaitWithTimeout(*done).ok());
    for (size_t i = 0; i < e.values.size(); ++i) {
      auto [re, im] = Element(e.type, bytes.data(), i);
      EXPECT_TRUE(Close(re, e.values[i], Tolerance(e.type)))
          << c.name << " output " << o << "[" << i << "] = " << re
          << ", expected " << e.values[i];
      if (!e.imag.empty()) {
        EXPECT_TRUE(Close(im, e.imag[i], Tolerance(e.type)))
            << c.name << " output " << o << "[" << i << "] imaginary = " << im
            << ", expected " << e.imag[i];
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, Numerics,
                         ::testing::Range<size_t>(0, Cases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return Cases()[info.param].name;
                         });

}  // namespace
}  // namespace backplane::conformance
