// Tests of the narrow float conversions, in particular the generic one-byte
// formats (f4/f6/f8) against their definitions in the StableHLO spec / MLIR.
#include "compiler/ir/float16.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace backplane::ir {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

uint8_t Enc(ElementType t, double v) {
  return DoubleToByteFloat(*ByteFloatFormatOf(t), v);
}
double Dec(ElementType t, uint8_t b) {
  return ByteFloatToDouble(*ByteFloatFormatOf(t), b);
}

TEST(ByteFloatTest, EveryOneByteFloatTypeHasAFormat) {
  for (int t = 1; t <= static_cast<int>(kLastElementType); ++t) {
    const auto type = static_cast<ElementType>(t);
    const bool one_byte_float = IsFloat(type) && ElementByteSize(type) == 1;
    EXPECT_EQ(ByteFloatFormatOf(type) != nullptr, one_byte_float)
        << ElementTypeToMlir(type);
  }
}

TEST(ByteFloatTest, GenericFormatsMatchTheDedicatedF8Conversions) {
  for (int b = 0; b < 256; ++b) {
    const auto bits = static_cast<uint8_t>(b);
    const double e4m3fn = Dec(ElementType::kF8E4M3FN, bits);
    const double e5m2 = Dec(ElementType::kF8E5M2, bits);
    if (std::isnan(e4m3fn)) {
      EXPECT_TRUE(std::isnan(F8E4M3FNToFloat(bits))) << b;
    } else {
      EXPECT_EQ(e4m3fn, F8E4M3FNToFloat(bits)) << b;
    }
    if (std::isnan(e5m2)) {
      EXPECT_TRUE(std::isnan(F8E5M2ToFloat(bits))) << b;
    } else {
      EXPECT_EQ(e5m2, F8E5M2ToFloat(bits)) << b;
    }
  }
  // A strided sweep over f32 bit patterns, both signs, NaN and infinity
  // included (f32 is exact in double, so there is no double rounding).
  for (uint64_t u = 0; u <= 0xffffffffu; u += 0x801) {
    const float f = BitsToFloat(static_cast<uint32_t>(u));
    if (std::isnan(f)) continue;  // NaN payload/sign choices may differ.
    ASSERT_EQ(Enc(ElementType::kF8E4M3FN, f), FloatToF8E4M3FN(f)) << f;
    ASSERT_EQ(Enc(ElementType::kF8E5M2, f), FloatToF8E5M2(f)) << f;
  }
}

TEST(ByteFloatTest, EveryFiniteValueRoundTrips) {
  for (int t = 1; t <= static_cast<int>(kLastElementType); ++t) {
    const auto type = static_cast<ElementType>(t);
    const ByteFloatFormat* f = ByteFloatFormatOf(type);
    if (f == nullptr) continue;
    const int patterns = 1 << ElementBitWidth(type);
    for (int b = 0; b < patterns; ++b) {
      const double v = ByteFloatToDouble(*f, static_cast<uint8_t>(b));
      if (std::isnan(v)) continue;
      EXPECT_EQ(DoubleToByteFloat(*f, v), b)
          << ElementTypeToMlir(type) << " " << b << " " << v;
    }
  }
}

TEST(ByteFloatTest, F8E4M3IsIeeeShaped) {
  const ElementType t = ElementType::kF8E4M3;
  EXPECT_EQ(Dec(t, 0x38), 1.0);
  EXPECT_EQ(Dec(t, 0x77), 240.0);  // Largest finite.
  EXPECT_EQ(Dec(t, 0x78), kInf);
  EXPECT_EQ(Dec(t, 0xf8), -kInf);
  EXPECT_TRUE(std::isnan(Dec(t, 0x79)));
  EXPECT_EQ(Dec(t, 0x01), std::ldexp(1.0, -9));  // Smallest subnormal.
  EXPECT_EQ(Enc(t, 140.0), 0x71);
  // Ties to even: 1 + 1/16 lies between 1 (even) and 1.125.
  EXPECT_EQ(Enc(t, 1.0625), 0x38);
  EXPECT_EQ(Enc(t, 1.1875), 0x3a);
  EXPECT_EQ(Enc(t, 247.9), 0x77);
  EXPECT_EQ(Enc(t, 248.0), 0x78);  // Tie with 256: even rounds to infinity.
  EXPECT_EQ(Enc(t, -1e10), 0xf8);
  EXPECT_EQ(Enc(t, kInf), 0x78);
  EXPECT_EQ(Enc(t, -0.0), 0x80);
  EXPECT_TRUE(std::isnan(Dec(t, Enc(t, kNaN))));
}

TEST(ByteFloatTest, F8E3M4IsIeeeShaped) {
  const ElementType t = ElementType::kF8E3M4;
  EXPECT_EQ(Dec(t, 0x30), 1.0);  // Bias 3.
  EXPECT_EQ(Dec(t, 0x6f), 15.5);
  EXPECT_EQ(Dec(t, 0x70), kInf);
  EXPECT_TRUE(std::isnan(Dec(t, 0x71)));
  EXPECT_EQ(Dec(t, 0x01), std::ldexp(1.0, -6));
  EXPECT_EQ(Enc(t, 14.0), 0x6c);
  EXPECT_EQ(Enc(t, 15.75), 0x70);  // Halfway to 16: even rounds up.
  EXPECT_EQ(Enc(t, 3.3), 0x4a);    // 3.25 is nearer than 3.375.
}

TEST(ByteFloatTest, FnuzFormatsHaveOneNaNAndNoNegativeZero) {
  for (ElementType t : {ElementType::kF8E4M3FNUZ, ElementType::kF8E5M2FNUZ,
                        ElementType::kF8E4M3B11FNUZ}) {
    EXPECT_TRUE(std::isnan(Dec(t, 0x80))) << ElementTypeToMlir(t);
    EXPECT_EQ(Enc(t, -0.0), 0x00);
    EXPECT_EQ(Enc(t, -1e-30), 0x00);  // Underflow to zero loses the sign.
    EXPECT_EQ(Enc(t, kNaN), 0x80);
    EXPECT_EQ(Enc(t, -kInf), 0x80);
    EXPECT_EQ(Enc(t, 1e10), 0x80);
    EXPECT_FALSE(std::isnan(Dec(t, 0x7f)));  // All-ones is finite.
  }
  EXPECT_EQ(Dec(ElementType::kF8E4M3FNUZ, 0x7f), 240.0);
  EXPECT_EQ(Dec(ElementType::kF8E4M3FNUZ, 0x40), 1.0);  // Bias 8.
  EXPECT_EQ(Dec(ElementType::kF8E5M2FNUZ, 0x7f), 57344.0);
  EXPECT_EQ(Dec(ElementType::kF8E5M2FNUZ, 0x40), 1.0);  // Bias 16.
  EXPECT_EQ(Dec(ElementType::kF8E4M3B11FNUZ, 0x7f), 30.0);
  EXPECT_EQ(Dec(ElementType::kF8E4M3B11FNUZ, 0x58), 1.0);  // Bias 11.
  EXPECT_EQ(Dec(ElementType::kF8E4M3B11FNUZ, 0xd8), -1.0);
}

TEST(ByteFloatTest, F8E8M0FnuIsAnUnsignedPowerOfTwo) {
  const ElementType t = ElementType::kF8E8M0FNU;
  EXPECT_EQ(Dec(t, 127), 1.0);
  EXPECT_EQ(Dec(t, 0), std::ldexp(1.0, -127));
  EXPECT_EQ(Dec(t, 254), std::ldexp(1.0, 127));
  EXPECT_TRUE(std::isnan(Dec(t, 255)));
  EXPECT_EQ(Enc(t, 1.0), 127);
  EXPECT_EQ(Enc(t, 1.4), 127);
  EXPECT_EQ(Enc(t, 1.5), 128);  // The tie rounds up.
  EXPECT_EQ(Enc(t, 0.75), 127);
  EXPECT_EQ(Enc(t, 0.0), 0);  // No zero: the smallest value.
  EXPECT_EQ(Enc(t, -2.0), 255);
  EXPECT_EQ(Enc(t, kInf), 255);
  EXPECT_EQ(Enc(t, 1e300), 255);
}

TEST(ByteFloatTest, F4AndF6SaturateAndIgnoreHighBits) {
  const ElementType f4 = ElementType::kF4E2M1FN;
  const double f4_values[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  for (int b = 0; b < 8; ++b) {
    EXPECT_EQ(Dec(f4, static_cast<uint8_t>(b)), f4_values[b]);
    EXPECT_EQ(Dec(f4, static_cast<uint8_t>(b | 8)), -f4_values[b]);
    EXPECT_EQ(Dec(f4, static_cast<uint8_t>(b | 0xf0)), f4_values[b]);
  }
  EXPECT_EQ(Enc(f4, 5.0), 0x6);  // Tie between 4 and 6: the even one, 4.
  EXPECT_EQ(Enc(f4, 100.0), 0x7);
  EXPECT_EQ(Enc(f4, -kInf), 0xf);
  EXPECT_EQ(Enc(f4, kNaN), 0x0);
  EXPECT_EQ(Dec(ElementType::kF6E2M3FN, 0x1f), 7.5);
  EXPECT_EQ(Dec(ElementType::kF6E2M3FN, 0x01), 0.125);
  EXPECT_EQ(Dec(ElementType::kF6E3M2FN, 0x1f), 28.0);
  EXPECT_EQ(Dec(ElementType::kF6E3M2FN, 0x01), 0.0625);
  EXPECT_EQ(Enc(ElementType::kF6E3M2FN, -29.0), 0x3f);
}

TEST(ByteFloatTest, TypedWrappersUseTheFormats) {
  EXPECT_EQ(F8E3M4ToFloat(0x30), 1.0f);
  EXPECT_EQ(FloatToF8E4M3(140.0f), 0x71);
  EXPECT_EQ(FloatToF4E2M1FN(-3.0f), 0xd);
}

}  // namespace
}  // namespace backplane::ir
