#include "compiler/ir/float16.h"

#include <algorithm>
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
  std::frexp(a, &exp);           // a = m * 2^exp, m in [0.5, 1).
  int e = exp - 1;               // a = 1.f * 2^e.
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
  return sign |
         static_cast<uint8_t>(EncodeNarrow(std::fabs(f), 3, 4, false, 0x7e));
}

float F8E5M2ToFloat(uint8_t b) {
  return HalfToFloat(static_cast<uint16_t>(b) << 8);
}

uint8_t FloatToF8E5M2(float f) {
  uint8_t sign = std::signbit(f) ? 0x80 : 0;
  if (std::isnan(f)) return sign | 0x7e;
  if (std::isinf(f)) return sign | 0x7c;
  return sign |
         static_cast<uint8_t>(EncodeNarrow(std::fabs(f), 2, 5, true, 0x7b));
}

}  // namespace backplane::ir

namespace backplane::ir {
namespace {

struct ByteFloatLayout {
  uint32_t sign_bit;   // 0 for the unsigned format.
  uint32_t magnitude;  // Mask of the exponent and mantissa bits.
  uint32_t max_finite;
  uint32_t infinity;  // Magnitude bits; only for kIeee.
  uint32_t nan;       // Full pattern (sign clear); unused for kFiniteOnly.
};

ByteFloatLayout LayoutOf(const ByteFloatFormat& f) {
  const int eb = f.exponent_bits;
  const int mb = f.mantissa_bits;
  ByteFloatLayout l{};
  l.magnitude = (1u << (eb + mb)) - 1;
  l.sign_bit =
      f.specials == ByteFloatSpecials::kUnsignedScale ? 0 : 1u << (eb + mb);
  const uint32_t exponent_ones = ((1u << eb) - 1) << mb;
  switch (f.specials) {
    case ByteFloatSpecials::kIeee:
      l.infinity = exponent_ones;
      l.nan = exponent_ones | (1u << (mb - 1));  // Quiet NaN.
      l.max_finite = exponent_ones - 1;
      break;
    case ByteFloatSpecials::kNanAllOnes:
      l.nan = l.magnitude;
      l.max_finite = l.magnitude - 1;
      break;
    case ByteFloatSpecials::kNanIsNegativeZero:
      l.nan = l.sign_bit;
      l.max_finite = l.magnitude;
      break;
    case ByteFloatSpecials::kFiniteOnly:
      l.max_finite = l.magnitude;
      break;
    case ByteFloatSpecials::kUnsignedScale:
      l.nan = 0xff;
      l.max_finite = 0xfe;
      break;
  }
  return l;
}

// f8E8M0FNU: only powers of two, 2^-127 .. 2^127.
uint8_t DoubleToScale(double value) {
  if (std::isnan(value) || std::isinf(value)) return 0xff;
  if (value == 0) return 0;  // No zero: the nearest value is 2^-127.
  if (value < 0) return 0xff;
  int exp;
  const double m = std::frexp(value, &exp);  // value = m * 2^exp, m in [.5,1)
  int e = exp - 1;                           // value = 2m * 2^e.
  if (2 * m >= 1.5) ++e;  // Nearest power of two; the tie rounds up.
  if (e < -127) return 0;
  if (e > 127) return 0xff;
  return static_cast<uint8_t>(e + 127);
}

}  // namespace

const ByteFloatFormat* ByteFloatFormatOf(ElementType type) {
  switch (type) {
    case ElementType::kF8E4M3FN:
      return &kF8E4M3FNFormat;
    case ElementType::kF8E5M2:
      return &kF8E5M2Format;
    case ElementType::kF8E4M3:
      return &kF8E4M3Format;
    case ElementType::kF8E3M4:
      return &kF8E3M4Format;
    case ElementType::kF8E4M3FNUZ:
      return &kF8E4M3FNUZFormat;
    case ElementType::kF8E5M2FNUZ:
      return &kF8E5M2FNUZFormat;
    case ElementType::kF8E4M3B11FNUZ:
      return &kF8E4M3B11FNUZFormat;
    case ElementType::kF8E8M0FNU:
      return &kF8E8M0FNUFormat;
    case ElementType::kF4E2M1FN:
      return &kF4E2M1FNFormat;
    case ElementType::kF6E2M3FN:
      return &kF6E2M3FNFormat;
    case ElementType::kF6E3M2FN:
      return &kF6E3M2FNFormat;
    default:
      return nullptr;
  }
}

double ByteFloatToDouble(const ByteFloatFormat& format, uint8_t bits) {
  const ByteFloatLayout l = LayoutOf(format);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (format.specials == ByteFloatSpecials::kUnsignedScale) {
    return bits == 0xff ? nan : std::ldexp(1.0, static_cast<int>(bits) - 127);
  }
  // f4/f6 live in the low bits; anything above the sign is not data.
  const uint32_t b = bits & (l.sign_bit | l.magnitude);
  const uint32_t magnitude = b & l.magnitude;
  const double sign = (b & l.sign_bit) ? -1.0 : 1.0;
  switch (format.specials) {
    case ByteFloatSpecials::kIeee:
      if ((magnitude & l.infinity) == l.infinity) {
        return magnitude == l.infinity
                   ? sign * std::numeric_limits<double>::infinity()
                   : std::copysign(nan, sign);
      }
      break;
    case ByteFloatSpecials::kNanAllOnes:
      if (magnitude == l.magnitude) return std::copysign(nan, sign);
      break;
    case ByteFloatSpecials::kNanIsNegativeZero:
      if (b == l.sign_bit) return nan;
      break;
    default:
      break;
  }
  const int mb = format.mantissa_bits;
  const uint32_t exponent = magnitude >> mb;
  const uint32_t mantissa = magnitude & ((1u << mb) - 1);
  if (exponent == 0) {  // Subnormal: no implicit bit, minimum exponent.
    return sign *
           std::ldexp(static_cast<double>(mantissa), 1 - format.bias - mb);
  }
  return sign * std::ldexp(static_cast<double>((1u << mb) | mantissa),
                           static_cast<int>(exponent) - format.bias - mb);
}

uint8_t DoubleToByteFloat(const ByteFloatFormat& format, double value) {
  if (format.specials == ByteFloatSpecials::kUnsignedScale) {
    return DoubleToScale(value);
  }
  const ByteFloatLayout l = LayoutOf(format);
  const uint32_t sign = std::signbit(value) ? l.sign_bit : 0;
  const bool finite_only = format.specials == ByteFloatSpecials::kFiniteOnly;
  const bool unsigned_zero_nan =
      format.specials == ByteFloatSpecials::kNanIsNegativeZero;
  if (std::isnan(value)) {
    if (finite_only) return 0;
    return static_cast<uint8_t>(unsigned_zero_nan ? l.nan : sign | l.nan);
  }
  uint32_t magnitude;
  if (std::isinf(value)) {
    magnitude = format.specials == ByteFloatSpecials::kIeee
                    ? l.infinity
                    : l.max_finite + 1;  // Overflow, resolved below.
  } else {
    // Round |value| to `mantissa_bits` bits at its exponent (the minimum
    // normal exponent for subnormals), ties to even.
    const int mb = format.mantissa_bits;
    const double a = std::fabs(value);
    const int min_exponent = 1 - format.bias;
    uint64_t bits = 0;
    if (a != 0) {
      int exp;
      std::frexp(a, &exp);
      int e = std::max(exp - 1, min_exponent);  // a = 1.f * 2^e (or subnormal)
      uint64_t q = static_cast<uint64_t>(std::nearbyint(std::ldexp(a, mb - e)));
      if (q >> (mb + 1)) {  // Rounded up to the next binade.
        q >>= 1;
        ++e;
      }
      if (q >> mb) {
        bits = (static_cast<uint64_t>(e + format.bias) << mb) |
               (q & ((uint64_t{1} << mb) - 1));
      } else {
        bits = q;  // Subnormal or zero.
      }
    }
    magnitude =
        bits > l.max_finite ? l.max_finite + 1 : static_cast<uint32_t>(bits);
  }
  if (magnitude > l.max_finite) {
    switch (format.specials) {
      case ByteFloatSpecials::kIeee:
        magnitude = l.infinity;
        break;
      case ByteFloatSpecials::kFiniteOnly:
        magnitude = l.max_finite;  // Saturate.
        break;
      case ByteFloatSpecials::kNanIsNegativeZero:
        return static_cast<uint8_t>(l.nan);
      default:
        return static_cast<uint8_t>(sign | l.nan);
    }
  }
  // FNUZ formats have no -0 (its pattern is NaN).
  if (unsigned_zero_nan && magnitude == 0) return 0;
  return static_cast<uint8_t>(sign | magnitude);
}

}  // namespace backplane::ir
