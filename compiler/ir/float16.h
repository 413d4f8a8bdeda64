// Conversions between f32/f64 and the narrow floating-point formats that
// StableHLO uses (f16, bf16 and the one-byte f4/f6/f8 formats). Narrow
// values are stored as raw bit patterns, one element per byte for the
// one-byte formats (f4/f6 in the low bits); every conversion to a narrow
// format rounds to nearest, ties to even, as the spec's `convert` requires.
//
//   uint8_t b = ir::DoubleToByteFloat(*ir::ByteFloatFormatOf(type), 3.3);
//   double back = ir::ByteFloatToDouble(*ir::ByteFloatFormatOf(type), b);
#ifndef BACKPLANE_COMPILER_IR_FLOAT16_H_
#define BACKPLANE_COMPILER_IR_FLOAT16_H_

#include <cstdint>
#include <cstring>

#include "compiler/ir/element_type.h"

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

// How a one-byte float format spells its special values (names follow
// MLIR/LLVM's APFloat):
enum class ByteFloatSpecials : uint8_t {
  kIeee,               // Exponent all ones: infinity (mantissa 0) or NaN.
  kNanAllOnes,         // "FN": no infinity; NaN is the all-ones magnitude.
  kNanIsNegativeZero,  // "FNUZ": no infinity, no -0; NaN is 0x80.
  kFiniteOnly,         // f4/f6 "FN": no infinity and no NaN.
  kUnsignedScale,      // f8E8M0FNU: 2^(e-127), no sign, no zero, NaN 0xff.
};

struct ByteFloatFormat {
  int exponent_bits;
  int mantissa_bits;
  int bias;
  ByteFloatSpecials specials;
};

inline constexpr ByteFloatFormat kF8E4M3FNFormat{
    4, 3, 7, ByteFloatSpecials::kNanAllOnes};
inline constexpr ByteFloatFormat kF8E5M2Format{5, 2, 15,
                                               ByteFloatSpecials::kIeee};
inline constexpr ByteFloatFormat kF8E4M3Format{4, 3, 7,
                                               ByteFloatSpecials::kIeee};
inline constexpr ByteFloatFormat kF8E3M4Format{3, 4, 3,
                                               ByteFloatSpecials::kIeee};
inline constexpr ByteFloatFormat kF8E4M3FNUZFormat{
    4, 3, 8, ByteFloatSpecials::kNanIsNegativeZero};
inline constexpr ByteFloatFormat kF8E5M2FNUZFormat{
    5, 2, 16, ByteFloatSpecials::kNanIsNegativeZero};
inline constexpr ByteFloatFormat kF8E4M3B11FNUZFormat{
    4, 3, 11, ByteFloatSpecials::kNanIsNegativeZero};
inline constexpr ByteFloatFormat kF8E8M0FNUFormat{
    8, 0, 127, ByteFloatSpecials::kUnsignedScale};
inline constexpr ByteFloatFormat kF4E2M1FNFormat{
    2, 1, 1, ByteFloatSpecials::kFiniteOnly};
inline constexpr ByteFloatFormat kF6E2M3FNFormat{
    2, 3, 1, ByteFloatSpecials::kFiniteOnly};
inline constexpr ByteFloatFormat kF6E3M2FNFormat{
    3, 2, 3, ByteFloatSpecials::kFiniteOnly};

// The format of a one-byte float element type (every f4/f6/f8 type), or
// nullptr for any other type.
const ByteFloatFormat* ByteFloatFormatOf(ElementType type);

// Exact value of `bits` (NaN for the format's NaN encodings).
double ByteFloatToDouble(const ByteFloatFormat& format, uint8_t bits);
// Rounds `value` to nearest, ties to even (f8E8M0FNU, whose significand is
// the implicit bit alone, rounds ties up, as APFloat does). Out of range:
// infinity for kIeee, NaN for the formats that have NaN but no infinity,
// the largest finite value (same sign) for the f4/f6 formats. NaN and
// infinite inputs become NaN where the format has one; the f4/f6 formats
// saturate infinities and map NaN to +0 (they cannot represent either;
// the OCP MX spec leaves this to the implementation). f8E8M0FNU maps
// negative values to NaN and zero/underflow to its smallest value 2^-127.
uint8_t DoubleToByteFloat(const ByteFloatFormat& format, double value);

// Typed wrappers for the kernels (function pointers as template arguments).
#define BACKPLANE_BYTE_FLOAT_CONVERSIONS(Name)                           \
  inline float Name##ToFloat(uint8_t bits) {                             \
    return static_cast<float>(ByteFloatToDouble(k##Name##Format, bits)); \
  }                                                                      \
  inline uint8_t FloatTo##Name(float f) {                                \
    return DoubleToByteFloat(k##Name##Format, f);                        \
  }
BACKPLANE_BYTE_FLOAT_CONVERSIONS(F8E4M3)
BACKPLANE_BYTE_FLOAT_CONVERSIONS(F8E3M4)
BACKPLANE_BYTE_FLOAT_CONVERSIONS(F8E4M3FNUZ)
BACKPLANE_BYTE_FLOAT_CONVERSIONS(F8E5M2FNUZ)
BACKPLANE_BYTE_FLOAT_CONVERSIONS(F8E4M3B11FNUZ)
BACKPLANE_BYTE_FLOAT_CONVERSIONS(F8E8M0FNU)
BACKPLANE_BYTE_FLOAT_CONVERSIONS(F4E2M1FN)
BACKPLANE_BYTE_FLOAT_CONVERSIONS(F6E2M3FN)
BACKPLANE_BYTE_FLOAT_CONVERSIONS(F6E3M2FN)
#undef BACKPLANE_BYTE_FLOAT_CONVERSIONS

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_FLOAT16_H_
