#include "compiler/kernels/elementwise/special_functions.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace backplane::kernels::elementwise {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = 3.14159265358979323846;

TEST(ErfInv, InvertsErfAcrossTheRange) {
  for (double x = -5.5; x <= 5.5; x += 0.01) {
    const double y = std::erf(x);
    if (std::fabs(y) == 1) continue;
    // Near |y| = 1 the inverse is ill-conditioned: compare in y instead.
    EXPECT_NEAR(std::erf(ErfInv(y)), y, 2e-16) << x;
    // In x the error is bounded by the rounding of y over erf's slope.
    const double slope = 2 / std::sqrt(kPi) * std::exp(-x * x);
    EXPECT_NEAR(ErfInv(y), x, 1e-15 + 2.3e-16 / slope) << x;
  }
  // The tail keeps relative precision of 1 - y.
  const double near_one = 1 - 1e-12;
  EXPECT_NEAR(std::erfc(ErfInv(near_one)), 1 - near_one, 1e-24);
  EXPECT_EQ(ErfInv(1), kInf);
  EXPECT_EQ(ErfInv(-1), -kInf);
  EXPECT_TRUE(std::isnan(ErfInv(1.0000001)));
  EXPECT_TRUE(std::isnan(ErfInv(std::nan(""))));
  EXPECT_TRUE(std::signbit(ErfInv(-0.0)));
}

TEST(Digamma, KnownValuesRecurrenceAndReflection) {
  constexpr double kEulerGamma = 0.5772156649015329;
  EXPECT_NEAR(Digamma(1), -kEulerGamma, 1e-15);
  EXPECT_NEAR(Digamma(0.25), -kEulerGamma - kPi / 2 - 3 * std::log(2.0), 1e-14);
  for (double x : {-7.3, -0.6, 0.1, 2.5, 33.0, 1e6}) {
    EXPECT_NEAR(Digamma(x + 1), Digamma(x) + 1 / x,
                1e-12 * std::fmax(1, std::fabs(Digamma(x))))
        << x;
  }
  EXPECT_TRUE(std::isnan(Digamma(0)));
  EXPECT_TRUE(std::isnan(Digamma(-3)));
  EXPECT_TRUE(std::isnan(Digamma(-kInf)));
  EXPECT_EQ(Digamma(kInf), kInf);
}

TEST(HurwitzZeta, KnownValuesAndDomain) {
  EXPECT_NEAR(HurwitzZeta(2, 1), kPi * kPi / 6, 1e-15);
  EXPECT_NEAR(HurwitzZeta(4, 1), std::pow(kPi, 4) / 90, 1e-15);
  EXPECT_NEAR(HurwitzZeta(2, 0.5), kPi * kPi / 2, 1e-14);  // (2^s - 1) zeta(s)
  EXPECT_NEAR(HurwitzZeta(2, 3), kPi * kPi / 6 - 1 - 0.25, 1e-15);
  EXPECT_NEAR(HurwitzZeta(30, 1),
              1 + std::pow(2.0, -30) + std::pow(3.0, -30) + std::pow(4.0, -30),
              1e-15);
  EXPECT_NEAR(HurwitzZeta(200, 2), std::pow(2.0, -200), 1e-75);
  EXPECT_NEAR(HurwitzZeta(1.5, 1e6), 2 / std::sqrt(1e6), 1e-8);
  // Negative q with integer s: the same series shifted.
  EXPECT_NEAR(HurwitzZeta(2, -0.5), HurwitzZeta(2, 0.5) + 4, 1e-13);
  EXPECT_EQ(HurwitzZeta(1, 2), kInf);
  EXPECT_EQ(HurwitzZeta(3, 0), kInf);
  EXPECT_EQ(HurwitzZeta(3, -2), kInf);
  EXPECT_TRUE(std::isnan(HurwitzZeta(0.5, 1)));
  EXPECT_TRUE(std::isnan(HurwitzZeta(2.5, -0.5)));
  EXPECT_TRUE(std::isnan(HurwitzZeta(2, -1e7 - 0.5)));  // Bounded work.
}

TEST(Polygamma, OrdersAgainstClosedForms) {
  EXPECT_NEAR(Polygamma(0, 1), Digamma(1), 0);
  EXPECT_NEAR(Polygamma(1, 1), kPi * kPi / 6, 1e-15);
  EXPECT_NEAR(Polygamma(1, 0.5), kPi * kPi / 2, 1e-14);
  EXPECT_NEAR(Polygamma(2, 1), -2 * 1.2020569031595942, 1e-14);
  EXPECT_NEAR(Polygamma(3, 1), std::pow(kPi, 4) / 15, 1e-13);
  EXPECT_TRUE(std::isnan(Polygamma(1.5, 1)));
  EXPECT_TRUE(std::isnan(Polygamma(-1, 1)));
}

TEST(BesselI1e, ValuesSymmetryAndBranchContinuity) {
  EXPECT_EQ(BesselI1e(0), 0);
  EXPECT_NEAR(BesselI1e(1), 0.20791041534970844, 1e-16);
  EXPECT_NEAR(BesselI1e(-1), -0.20791041534970844, 1e-16);
  EXPECT_NEAR(BesselI1e(10), 0.1212626813844555, 1e-15);
  // The two branches meet at 500 (reference from the exact-rational
  // asymptotic series).
  EXPECT_NEAR(BesselI1e(500), 0.017827851852898056, 1e-17);
  EXPECT_NEAR(BesselI1e(std::nextafter(500.0, 1e9)), 0.017827851852898056,
              1e-16);
  EXPECT_NEAR(BesselI1e(30), 0.07191633059864756, 1e-16);
  EXPECT_NEAR(BesselI1e(1e6), 1 / std::sqrt(2 * kPi * 1e6) * (1 - 3 / 8e6),
              1e-16);
  EXPECT_EQ(BesselI1e(kInf), 0);
  EXPECT_TRUE(std::isnan(BesselI1e(std::nan(""))));
}

TEST(LogGamma, MatchesLibm) {
  EXPECT_NEAR(LogGamma(0.5), 0.5 * std::log(kPi), 1e-15);
  EXPECT_EQ(LogGamma(0), kInf);
  EXPECT_NEAR(LogGamma(100), 359.1342053695754, 1e-12);
}

}  // namespace
}  // namespace backplane::kernels::elementwise
