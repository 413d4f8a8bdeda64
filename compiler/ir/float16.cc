#include "compiler/ir/float16.h"

#include <cmath>
#include <limits>

namespace backplane::ir {
namespace {

// Rounds a finite, non-negative double to the nearest value representable
// with `mantissa_bits` explicit bits and exponent range [min_exp, max_exp]
// (unbiased, IEEE-style with subnormals), ties to even, and returns the
// encoded bit pattern without sign. Values beyond the largest finite number
// become infinity (or, for formats without infinity, NaN).
uint32_t EncodeNarrow(double a, int mantissa_bits, int exponent_bits,
                      bool has_infinity, uint32_t max_finite_bits) {
  const int bias = (1 << (exponent_bits - 1)) - 1;
  const int min_exp = 1 - bias;  // Exponent of the smallest normal.
  if (a == 0) return 0;
  int exp;
  std::frexp(a, &exp);  // a = m * 2^exp, m in [0.5, 1).
  int e = exp - 1;      // a = 1.f * 2^e.
  if (e < min_exp) e = min_exp;  // Subnormal range: fixed quantum.
  // Quantum (value of one unit in the last place) at this exponent.
  double scaled = std::ldexp(a, mantissa_bits - e);
  double rounded = std::nearbyint(scaled);  // Default mode: ties to even.
  uint64_t q = static_cast<uint64_t>(rounded);
  // q is in [2^mb, 2^(mb+1)] for normals, < 2^mb for subnormals.
  if (q >= (uint64_t{1} << (mantissa_bits + 1))) {
    q >>= 1;
    ++e;
  }
  uint32_t bits;
  if (q < (uint64_t{1} << mantissa_bits)) {
    bits = static_cast<uint32_t>(q);  // Subnormal (biased exponent 0).
  } else {
    uint32_t biased = static_cast<uint32_t>(e + bias);
    bits = (biased << mantissa_bits) |
           static_cast<uint32_t>(q & ((uint64_t{1} << mantissa_bits) - 1));
  }
  if (bits > max_finite_bits) {
    if (has_infinity) {
      return static_cast<uint32_t>(((1u << exponent_bits) - 1)
                                   << mantissa_bits);
    }
    return (1u << (exponent_bits + mantissa_bits)) - 1;  // NaN.
  }
  return bits;
}

uint16_t DoubleToHalfImpl(double d) {
  uint16_t sign = std::signbit(d) ? 0x8000 : 0;
  if (std::isnan(d)) return sign | 0x7e00;
  double a = std::fabs(d);
  if (std::isinf(a)) return sign | 0x7c00;
  return sign | static_cast<uint16_t>(EncodeNarrow(a, 10, 5, true, 0x7bff));
}

}  // namespace

float HalfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  if (exp == 0x1f) {
    return BitsToFloat(sign | 0x7f800000u | (mant << 13));
  }
  if (exp == 0) {
    float v = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -v : v;
  }
  return BitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
}

uint16_t FloatToHalf(float f) { return DoubleToHalfImpl(f); }
uint16_t DoubleToHalf(double d) { return DoubleToHalfImpl(d); }

uint16_t DoubleToBF16(double d) {
  uint16_t sign = std::signbit(d) ? 0x8000 : 0;
  if (std::isnan(d)) return sign | 0x7fc0;
  double a = std::fabs(d);
  if (std::isinf(a)) return sign | 0x7f80;
  return sign | static_cast<uint16_t>(EncodeNarrow(a, 7, 8, true, 0x7f7f));
}

float F8E4M3FNToFloat(uint8_t b) {
  float sign = (b & 0x80) ? -1.0f : 1.0f;
  int exp = (b >> 3) & 0xf;
  int mant = b & 0x7;
  if (exp == 0xf && mant == 0x7) return std::numeric_limits<float>::quiet_NaN();
  if (exp == 0) return sign * std::ldexp(static_cast<float>(mant), -9);
  return sign * std::ldexp(1.0f + mant / 8.0f, exp - 7);
}

uint8_t FloatToF8E4M3FN(float f) {
  uint8_t sign = std::signbit(f) ? 0x80 : 0;
  if (std::isnan(f) || std::isinf(f)) return sign | 0x7f;  // No infinity.
  return sign | static_cast<uint8_t>(EncodeNarrow(std::fabs(f), 3, 4, false,
                                                  0x7e));
}

float F8E5M2ToFloat(uint8_t b) {
  return HalfToFloat(static_cast<uint16_t>(b) << 8);
}

uint8_t FloatToF8E5M2(float f) {
  uint8_t sign = std::signbit(f) ? 0x80 : 0;
  if (std::isnan(f)) return sign | 0x7e;
  if (std::isinf(f)) return sign | 0x7c;
  return sign | static_cast<uint8_t>(EncodeNarrow(std::fabs(f), 2, 5, true,
                                                  0x7b));
}

}  // namespace backplane::ir
