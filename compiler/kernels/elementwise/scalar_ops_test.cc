// Direct use of the scalar templates, as a fusing engine would call them,
// and the properties of the hand-written f32 exp.
#include "compiler/kernels/elementwise/scalar_ops.h"

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>

#include "compiler/kernels/elementwise/scalar_convert.h"
#include "gtest/gtest.h"

namespace backplane::kernels::elementwise {
namespace {

TEST(ScalarOps, CallableWithoutDispatch) {
  EXPECT_EQ(ApplyBinary<BinaryOp::kAdd>(1.5f, 2.25f), 3.75f);
  EXPECT_EQ((ApplyBinary<BinaryOp::kShiftLeft, int8_t, 4>(3, 2)), -4);
  EXPECT_EQ((ApplyBinary<BinaryOp::kAdd, uint8_t, 2>(3, 1)), 0);
  EXPECT_EQ(ApplyBinary<BinaryOp::kDivide>(INT32_MIN, -1), INT32_MIN);
  EXPECT_EQ(ApplyBinary<BinaryOp::kRemainder>(int64_t{7}, int64_t{0}), 7);
  EXPECT_TRUE(ApplyBinary<BinaryOp::kMultiply>(true, true));
  EXPECT_EQ(ApplyUnary<UnaryOp::kAbs>(std::complex<float>(3, 4)), 5.0f);
  EXPECT_EQ((ApplyUnary<UnaryOp::kPopcnt, int8_t, 4>(-1)), 4);
  EXPECT_EQ((ApplyUnary<UnaryOp::kCountLeadingZeros, uint16_t>(1)), 15);
  EXPECT_EQ(ConvertScalar<ir::ElementType::kS8>(300.7f), 127);
  EXPECT_EQ(ConvertScalar<ir::ElementType::kU4>(int32_t{-1}), 15);
  EXPECT_EQ(ConvertScalar<ir::ElementType::kBF16>(1.0), 0x3f80);
  static_assert(WrapToBits<int8_t, 4>(8) == -8);
  static_assert(WrapToBits<uint8_t, 2>(7) == 3);
}

// The polynomial exp against libm's double exp rounded to float, over every
// 97th float in the range where the result is neither 0 nor inf (about 12M
// inputs): at most one ulp apart, and equal except at a handful of inputs
// within double rounding error of a float midpoint.
TEST(ScalarOps, ExpF32IsCorrectlyRoundedOnSamples) {
  int64_t checked = 0, mismatches = 0;
  for (uint32_t bits = 0; bits < 0xffffffffu - 97; bits += 97) {
    float x;
    std::memcpy(&x, &bits, 4);
    if (!(std::fabs(x) < 110.0f)) continue;
    const float expected = static_cast<float>(std::exp(static_cast<double>(x)));
    const float actual = ApplyUnary<UnaryOp::kExponential>(x);
    ++checked;
    if (actual != expected) {
      ++mismatches;
      ASSERT_EQ(std::nextafter(actual, expected), expected) << x;
    }
  }
  EXPECT_GT(checked, 10000000);
  EXPECT_LE(mismatches, 3);
}

// tanh and logistic against libm's double functions rounded to float.
template <UnaryOp kOp>
void ExpectCorrectlyRoundedOnSamples(double (*reference)(double), float limit) {
  int64_t checked = 0, mismatches = 0;
  for (uint32_t bits = 0; bits < 0xffffffffu - 101; bits += 101) {
    float x;
    std::memcpy(&x, &bits, 4);
    if (!(std::fabs(x) < limit)) continue;
    const float expected = static_cast<float>(reference(x));
    const float actual = ApplyUnary<kOp>(x);
    ++checked;
    if (actual != expected) {
      ++mismatches;
      ASSERT_EQ(std::nextafter(actual, expected), expected) << x;
    }
  }
  EXPECT_GT(checked, 10000000);
  EXPECT_LE(mismatches, 3);
}

TEST(ScalarOps, TanhF32IsCorrectlyRoundedOnSamples) {
  ExpectCorrectlyRoundedOnSamples<UnaryOp::kTanh>(
      [](double x) { return std::tanh(x); }, 1e30f);
  EXPECT_EQ(ApplyUnary<UnaryOp::kTanh>(-0.0f), -0.0f);
  EXPECT_TRUE(std::signbit(ApplyUnary<UnaryOp::kTanh>(-0.0f)));
  EXPECT_EQ(ApplyUnary<UnaryOp::kTanh>(1e-40f), 1e-40f);
  EXPECT_EQ(ApplyUnary<UnaryOp::kTanh>(-HUGE_VALF), -1.0f);
  EXPECT_TRUE(std::isnan(ApplyUnary<UnaryOp::kTanh>(std::nanf(""))));
}

TEST(ScalarOps, LogisticF32IsCorrectlyRoundedOnSamples) {
  ExpectCorrectlyRoundedOnSamples<UnaryOp::kLogistic>(
      [](double x) { return 1 / (1 + std::exp(-x)); }, 1e30f);
  EXPECT_EQ(ApplyUnary<UnaryOp::kLogistic>(0.0f), 0.5f);
  EXPECT_EQ(ApplyUnary<UnaryOp::kLogistic>(HUGE_VALF), 1.0f);
  EXPECT_EQ(ApplyUnary<UnaryOp::kLogistic>(-HUGE_VALF), 0.0f);
  EXPECT_GT(ApplyUnary<UnaryOp::kLogistic>(-100.0f), 0.0f);  // Subnormal.
  EXPECT_TRUE(std::isnan(ApplyUnary<UnaryOp::kLogistic>(std::nanf(""))));
}

TEST(ScalarOps, ExpF32SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(ApplyUnary<UnaryOp::kExponential>(0.0f), 1.0f);
  EXPECT_EQ(ApplyUnary<UnaryOp::kExponential>(-0.0f), 1.0f);
  EXPECT_EQ(ApplyUnary<UnaryOp::kExponential>(inf), inf);
  EXPECT_EQ(ApplyUnary<UnaryOp::kExponential>(-inf), 0.0f);
  EXPECT_EQ(ApplyUnary<UnaryOp::kExponential>(88.8f), inf);
  EXPECT_EQ(ApplyUnary<UnaryOp::kExponential>(1e30f), inf);
  EXPECT_EQ(ApplyUnary<UnaryOp::kExponential>(-1e30f), 0.0f);
  EXPECT_TRUE(std::isnan(ApplyUnary<UnaryOp::kExponential>(std::nanf(""))));
  // Subnormal results: e^-100 = 3.72e-44 is 27 * 2^-149 after rounding.
  EXPECT_EQ(ApplyUnary<UnaryOp::kExponential>(-100.0f),
            static_cast<float>(std::exp(-100.0)));
  EXPECT_GT(ApplyUnary<UnaryOp::kExponential>(-103.0f), 0.0f);
  EXPECT_EQ(ApplyUnary<UnaryOp::kExponential>(-104.0f), 0.0f);
}

}  // namespace
}  // namespace backplane::kernels::elementwise
