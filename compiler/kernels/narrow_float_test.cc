#include "compiler/kernels/narrow_float.h"

#include <cmath>
#include <random>

#include "compiler/ir/float16.h"
#include "gtest/gtest.h"

namespace backplane::kernels {
namespace {

TEST(NarrowFloat, HalfToFloatMatchesReferenceForEveryPattern) {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    ASSERT_EQ(ir::FloatBits(HalfBitsToFloat(static_cast<uint16_t>(h))),
              ir::FloatBits(ir::HalfToFloat(static_cast<uint16_t>(h))))
        << std::hex << h;
  }
}

TEST(NarrowFloat, FloatToHalfMatchesReferenceAtEveryHalfAndMidpoint) {
  // Every half value, the midpoints between neighbours (the tie cases) and
  // one float ulp either side of each midpoint.
  for (uint32_t h = 0; h < 0x7c00; ++h) {
    const float lo = ir::HalfToFloat(static_cast<uint16_t>(h));
    const float hi = ir::HalfToFloat(static_cast<uint16_t>(h + 1));
    const float mid = lo + (hi - lo) / 2;
    for (float f :
         {lo, mid, std::nextafter(mid, 0.0f), std::nextafter(mid, HUGE_VALF)}) {
      for (float s : {f, -f}) {
        ASSERT_EQ(FloatToHalfBits(s), ir::FloatToHalf(s)) << s;
      }
    }
  }
}

TEST(NarrowFloat, FloatToHalfAroundOverflow) {
  for (float f : {65504.0f, 65519.996f, 65520.0f, 65535.0f, 65536.0f, 1e10f,
                  HUGE_VALF, NAN, -NAN, 6.0975552e-05f, 6.1035156e-05f,
                  2.9802322e-08f, 2.9802326e-08f, 1e-30f}) {
    for (float s : {f, -f}) {
      EXPECT_EQ(FloatToHalfBits(s), ir::FloatToHalf(s)) << s;
    }
  }
}

TEST(NarrowFloat, FloatToHalfMatchesReferenceOnRandomPatterns) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<uint32_t> bits;
  for (int i = 0; i < 1000000; ++i) {
    const float f = ir::BitsToFloat(bits(rng));
    const uint16_t fast = FloatToHalfBits(f);
    if (std::isnan(f)) {
      // Both produce a quiet NaN with the sign kept.
      ASSERT_EQ(fast, ir::FloatToHalf(f));
      continue;
    }
    ASSERT_EQ(fast, ir::FloatToHalf(f)) << f;
  }
}

TEST(NarrowFloat, FloatToBF16MatchesReference) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<uint32_t> bits;
  for (int i = 0; i < 1000000; ++i) {
    const float f = ir::BitsToFloat(bits(rng));
    ASSERT_EQ(FloatToBF16Bits(f), ir::FloatToBF16(f)) << f;
  }
  for (float f : {0.0f, -0.0f, HUGE_VALF, -HUGE_VALF, NAN, 3.4028235e38f}) {
    EXPECT_EQ(FloatToBF16Bits(f), ir::FloatToBF16(f)) << f;
  }
}

TEST(NarrowFloat, RoundToOddAvoidsDoubleRounding) {
  // Exactly representable doubles pass through unchanged.
  EXPECT_EQ(DoubleToFloatRoundToOdd(1.5), 1.5f);
  // An inexact value gets an odd last bit on the correct side.
  const double above = 1.0 + std::ldexp(1.0, -30);
  const float r = DoubleToFloatRoundToOdd(above);
  EXPECT_EQ(ir::FloatBits(r), ir::FloatBits(1.0f) | 1u);
  const double below = 1.0 - std::ldexp(1.0, -40);
  EXPECT_LT(DoubleToFloatRoundToOdd(below), 1.0f);
  EXPECT_TRUE(std::isnan(DoubleToFloatRoundToOdd(NAN)));
  EXPECT_EQ(DoubleToFloatRoundToOdd(1e300), HUGE_VALF);
}

}  // namespace
}  // namespace backplane::kernels
