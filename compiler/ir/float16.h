// Conversions between f32 and the narrow floating-point formats that
// StableHLO uses (f16, bf16, f8E4M3FN, f8E5M2). Narrow values are stored as
// raw bit patterns; every conversion to a narrow format rounds to nearest,
// ties to even, as the spec's `convert` requires.
#ifndef BACKPLANE_COMPILER_IR_FLOAT16_H_
#define BACKPLANE_COMPILER_IR_FLOAT16_H_

#include <cstdint>
#include <cstring>

namespace backplane::ir {

inline uint32_t FloatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
inline float BitsToFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

inline float BF16ToFloat(uint16_t bits) {
  return BitsToFloat(static_cast<uint32_t>(bits) << 16);
}

inline uint16_t FloatToBF16(float f) {
  uint32_t u = FloatBits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) {
    return static_cast<uint16_t>((u >> 16) | 0x40);  // Quiet NaN, keep sign.
  }
  uint32_t rounding_bias = 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>((u + rounding_bias) >> 16);
}

float HalfToFloat(uint16_t bits);
uint16_t FloatToHalf(float f);
// f64 -> f16 directly, avoiding the double rounding of f64 -> f32 -> f16.
uint16_t DoubleToHalf(double d);
uint16_t DoubleToBF16(double d);

float F8E4M3FNToFloat(uint8_t bits);
uint8_t FloatToF8E4M3FN(float f);
float F8E5M2ToFloat(uint8_t bits);
uint8_t FloatToF8E5M2(float f);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_FLOAT16_H_
