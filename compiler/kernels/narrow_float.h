// Fast inline conversions between f32 and the 16-bit float formats, for the
// inner loops of the element-wise kernels. They produce exactly the bits of
// the reference conversions in compiler/ir/float16.h (round to nearest, ties
// to even; NaN becomes a quiet NaN with the sign kept) but avoid their
// out-of-line frexp/ldexp path, so an f16 loop costs a few vectorisable
// integer ops per element.
//
//   float x = HalfBitsToFloat(0x3c00);   // 1.0f
//   uint16_t h = FloatToHalfBits(x);     // 0x3c00
#ifndef BACKPLANE_COMPILER_KERNELS_NARROW_FLOAT_H_
#define BACKPLANE_COMPILER_KERNELS_NARROW_FLOAT_H_

#include <cmath>
#include <cstdint>

#include "compiler/ir/float16.h"

namespace backplane::kernels {

// Both directions are written without branches (every case is computed and
// the right one selected) so that GCC vectorises the loops that use them even
// without F16C.

inline float HalfBitsToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t shifted = static_cast<uint32_t>(h & 0x7fffu) << 13;
  const uint32_t exponent = shifted & 0x0f800000u;
  // Normal numbers: rebias the exponent from 15 to 127. Inf/NaN: rebias
  // twice so the exponent becomes all ones and the payload is kept.
  uint32_t normal = shifted + 0x38000000u;
  normal += exponent == 0x0f800000u ? 0x38000000u : 0u;
  // Zero and subnormals: build 2^-14 * (1 + m/1024) and subtract 2^-14,
  // leaving exactly m * 2^-24.
  const float subnormal =
      ir::BitsToFloat(normal + 0x00800000u) - ir::BitsToFloat(113u << 23);
  const uint32_t magnitude = exponent == 0 ? ir::FloatBits(subnormal) : normal;
  return ir::BitsToFloat(magnitude | sign);
}

inline uint16_t FloatToHalfBits(float f) {
  const uint32_t bits = ir::FloatBits(f);
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const uint32_t magnitude = bits & 0x7fffffffu;
  // Inf/NaN, and everything from 65536 up (which rounds to infinity anyway;
  // 65520..65535 overflow through the normal path's rounding carry).
  const uint32_t special = magnitude > 0x7f800000u ? 0x7e00u : 0x7c00u;
  // Below the smallest normal half: adding 0.5 puts the value's half quantum
  // (2^-24) exactly at float's ulp, so the float addition performs the
  // round-to-nearest-even and the low bits are the half encoding.
  const uint32_t subnormal =
      ir::FloatBits(ir::BitsToFloat(magnitude) + 0.5f) - 0x3f000000u;
  // Normal: rebias the exponent, add the ties-to-even rounding bias, and
  // drop the 13 extra mantissa bits.
  const uint32_t normal =
      (magnitude + 0xc8000fffu + ((magnitude >> 13) & 1u)) >> 13;
  const uint32_t result = magnitude >= 0x47800000u  ? special
                          : magnitude < 0x38800000u ? subnormal
                                                    : normal;
  return static_cast<uint16_t>(result | sign);
}

// Same bits as ir::FloatToBF16, without the branch.
inline uint16_t FloatToBF16Bits(float f) {
  const uint32_t bits = ir::FloatBits(f);
  const uint32_t rounded = (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16;
  const uint32_t quiet_nan = (bits >> 16) | 0x40u;
  const bool is_nan = (bits & 0x7fffffffu) > 0x7f800000u;
  return static_cast<uint16_t>(is_nan ? quiet_nan : rounded);
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
    f = std::nextafter(
        f, static_cast<float>(d > static_cast<double>(f) ? HUGE_VALF
                                                         : -HUGE_VALF));
  }
  return f;
}

}  // namespace backplane::kernels

#endif  // BACKPLANE_COMPILER_KERNELS_NARROW_FLOAT_H_
