// Fast inline conversions between f32 and the 16-bit float formats, for the
// inner loops of the element-wise kernels. They produce exactly the bits of
// the reference conversions in compiler/ir/float16.h (round to nearest, ties
// to even; NaN becomes a quiet NaN with the sign kept) but avoid their
// out-of-line frexp/ldexp path, so an f16 loop costs a few integer ops per
// element.
//
//   float x = HalfBitsToFloat(0x3c00);   // 1.0f
//   uint16_t h = FloatToHalfBits(x);     // 0x3c00
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_NARROW_FLOAT_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_NARROW_FLOAT_H_

#include <cmath>
#include <cstdint>

#include "compiler/ir/float16.h"

namespace backplane::kernels {

inline float HalfBitsToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t magnitude = h & 0x7fffu;
  if (magnitude >= 0x7c00u) {  // Inf or NaN: widen the payload.
    return ir::BitsToFloat(sign | 0x7f800000u | ((magnitude & 0x3ffu) << 13));
  }
  if (magnitude < 0x400u) {  // Zero or subnormal: exact as count * 2^-24.
    const float value = static_cast<float>(magnitude) * 5.9604644775390625e-8f;
    return ir::BitsToFloat(ir::FloatBits(value) | sign);
  }
  // Normal: rebias the exponent from 15 to 127.
  return ir::BitsToFloat(sign | ((magnitude << 13) + 0x38000000u));
}

inline uint16_t FloatToHalfBits(float f) {
  uint32_t bits = ir::FloatBits(f);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  bits &= 0x7fffffffu;
  if (bits >= 0x7f800000u) {
    return sign | (bits > 0x7f800000u ? 0x7e00u : 0x7c00u);
  }
  // 65520 is the midpoint between the largest half (65504) and 2^16; it and
  // everything above round to infinity.
  if (bits >= 0x477ff000u) return sign | 0x7c00u;
  if (bits < 0x38800000u) {
    // Below the smallest normal half: adding 0.5 puts the value's half
    // quantum (2^-24) exactly at float's ulp, so the float addition performs
    // the round-to-nearest-even and the low bits are the half encoding.
    const float shifted = ir::BitsToFloat(bits) + 0.5f;
    return sign | static_cast<uint16_t>(ir::FloatBits(shifted) - 0x3f000000u);
  }
  // Normal: rebias the exponent, add the ties-to-even rounding bias, and drop
  // the 13 extra mantissa bits.
  const uint32_t odd = (bits >> 13) & 1u;
  bits += 0xc8000fffu + odd;
  return sign | static_cast<uint16_t>(bits >> 13);
}

// Rounds a double to float with round-to-odd: the result is the float
// truncation of `d` with its last bit forced to 1 when inexact. Rounding that
// result again to any format with at least two fewer mantissa bits equals a
// single correct rounding of `d`, which is how f64 -> f8 avoids double
// rounding.
inline float DoubleToFloatRoundToOdd(double d) {
  float f = static_cast<float>(d);
  if (std::isfinite(f) && static_cast<double>(f) != d && !std::isnan(d) &&
      (ir::FloatBits(f) & 1u) == 0) {
    f = std::nextafter(f, static_cast<float>(d > static_cast<double>(f)
                                                 ? HUGE_VALF
                                                 : -HUGE_VALF));
  }
  return f;
}

}  // namespace backplane::kernels

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_NARROW_FLOAT_H_
