#include "compiler/kernels/elementwise/unary.h"

#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "compiler/kernels/elementwise/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::elementwise {
namespace {

using ::backplane::kernels::elementwise::testing::Complexes;
using ::backplane::kernels::elementwise::testing::Doubles;
using ::backplane::kernels::elementwise::testing::Ints;
using ::backplane::kernels::elementwise::testing::Lit;
using ::backplane::kernels::elementwise::testing::LitC;
using ::backplane::kernels::elementwise::testing::Raw;
using ::backplane::kernels::elementwise::testing::Typed;
using ::backplane::kernels::elementwise::testing::UlpDistance;
using C = std::complex<double>;
using D = std::vector<double>;
using I = std::vector<int64_t>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

ir::Literal Apply(UnaryOp op, const ir::Literal& x) {
  absl::StatusOr<ir::Literal> r = Unary(op, x);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : ir::Literal();
}
D ApplyD(UnaryOp op, ElementType t, const D& x) {
  return Doubles(Apply(op, Lit(t, x)));
}
I ApplyI(UnaryOp op, ElementType t, const D& x) {
  return Ints(Apply(op, Lit(t, x)));
}
void ExpectNear(const D& actual, const D& expected, double tolerance) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], tolerance) << "element " << i;
  }
}

// --- The spec's own examples -------------------------------------------

TEST(UnarySpecExamples, AbsCbrtCeilFloor) {
  EXPECT_EQ(ApplyI(UnaryOp::kAbs, ElementType::kS32, {-2, 0, 2}), (I{2, 0, 2}));
  // libm's cbrt is not correctly rounded (cbrt(27) is 3 - 1ulp in f64).
  ExpectNear(ApplyD(UnaryOp::kCbrt, ElementType::kF64, {0.0, 1.0, 8.0, 27.0}),
             {0, 1, 2, 3}, 1e-15);
  EXPECT_EQ(ApplyD(UnaryOp::kCbrt, ElementType::kF32, {0.0, 1.0, 8.0, 27.0}),
            (D{0, 1, 2, 3}));
  D c = ApplyD(UnaryOp::kCeil, ElementType::kF32,
               {-0.8166, -0.2530, 0.2530, 0.8166, 2.0});
  EXPECT_EQ(c, (D{-0.0, -0.0, 1.0, 1.0, 2.0}));
  EXPECT_TRUE(std::signbit(c[0]) && std::signbit(c[1]));
  EXPECT_EQ(ApplyD(UnaryOp::kFloor, ElementType::kF32,
                   {-0.8166, -0.2530, 0.2530, 0.8166, 2.0}),
            (D{-1.0, -1.0, 0.0, 0.0, 2.0}));
}

TEST(UnarySpecExamples, CountLeadingZerosAndPopcnt) {
  EXPECT_EQ(
      ApplyI(UnaryOp::kCountLeadingZeros, ElementType::kS64, {0, 1, 128, -1}),
      (I{64, 63, 56, 0}));
  EXPECT_EQ(ApplyI(UnaryOp::kPopcnt, ElementType::kS64, {0, 1, 2, 127}),
            (I{0, 1, 1, 7}));
}

TEST(UnarySpecExamples, Trigonometry) {
  const D angles = {0, M_PI_2, M_PI, 3 * M_PI_2};
  ExpectNear(ApplyD(UnaryOp::kCosine, ElementType::kF64, angles), {1, 0, -1, 0},
             1e-15);
  ExpectNear(ApplyD(UnaryOp::kSine, ElementType::kF64, angles), {0, 1, 0, -1},
             1e-15);
  ExpectNear(ApplyD(UnaryOp::kTanh, ElementType::kF32, {-1, 0, 1}),
             {-0.76159416, 0, 0.76159416}, 1e-7);
  D t = ApplyD(UnaryOp::kTan, ElementType::kF64, {0, M_PI_2, M_PI});
  EXPECT_EQ(t[0], 0);
  EXPECT_NEAR(t[1], 1.633123935319537e16, 1e2);
  EXPECT_NEAR(t[2], -1.2246467991473532e-16, 1e-30);
}

TEST(UnarySpecExamples, ExponentialAndLog) {
  ExpectNear(ApplyD(UnaryOp::kExponential, ElementType::kF64, {0, 1, 2, 3}),
             {1.0, 2.7182818284590451, 7.3890560989306504, 20.085536923187668},
             1e-14);
  auto e = Complexes(
      Apply(UnaryOp::kExponential, LitC(ElementType::kC128, {{1.0, 2.0}})));
  EXPECT_NEAR(e[0].real(), -1.1312043837568135, 1e-15);
  EXPECT_NEAR(e[0].imag(), 2.4717266720048188, 1e-15);
  // Correctly rounded: expm1f(1) in glibc is one ulp low (1.71828175).
  EXPECT_EQ(ApplyD(UnaryOp::kExponentialMinusOne, ElementType::kF32, {0, 1}),
            (D{0.0, static_cast<double>(1.71828187f)}));
  ExpectNear(ApplyD(UnaryOp::kLog, ElementType::kF64, {1, 2, 3, 4}),
             {0.0, 0.69314718055994529, 1.0986122886681098, 1.3862943611198906},
             1e-15);
  auto l = Complexes(Apply(UnaryOp::kLog, LitC(ElementType::kC128, {{1, 2}})));
  EXPECT_NEAR(l[0].real(), 0.80471895621705014, 1e-15);
  EXPECT_NEAR(l[0].imag(), 1.1071487177940904, 1e-15);
  ExpectNear(ApplyD(UnaryOp::kLogPlusOne, ElementType::kF32,
                    {0.0, -0.999, 7.0, 6.38905621, 15.0}),
             {0.0, -6.90776825, 2.07944155, 2.0, 2.77258873}, 2e-6);
  ExpectNear(ApplyD(UnaryOp::kLogistic, ElementType::kF32, {0, 1, 2, 3}),
             {0.5, 0.73105858, 0.88079708, 0.95257413}, 1e-7);
  auto g = Complexes(
      Apply(UnaryOp::kLogistic, LitC(ElementType::kC64, {{1.0, 2.0}})));
  EXPECT_NEAR(g[0].real(), 1.02141536, 1e-6);
  EXPECT_NEAR(g[0].imag(), 0.40343871, 1e-6);
}

TEST(UnarySpecExamples, NegateNotRoundingRsqrtSignSqrt) {
  EXPECT_EQ(ApplyI(UnaryOp::kNegate, ElementType::kS32, {0, -2}), (I{0, 2}));
  auto n =
      Complexes(Apply(UnaryOp::kNegate, LitC(ElementType::kC64, {{2.5, 0.0}})));
  EXPECT_EQ(n[0], C(-2.5, -0.0));
  EXPECT_TRUE(std::signbit(n[0].imag()));
  EXPECT_EQ(ApplyI(UnaryOp::kNot, ElementType::kS32, {1, 2, 3, 4}),
            (I{-2, -3, -4, -5}));
  EXPECT_EQ(ApplyI(UnaryOp::kNot, ElementType::kPred, {1, 0}), (I{0, 1}));
  const D ties = {-2.5, 0.4, 0.5, 0.6, 2.5};
  EXPECT_EQ(ApplyD(UnaryOp::kRoundNearestAfz, ElementType::kF64, ties),
            (D{-3.0, 0.0, 1.0, 1.0, 3.0}));
  EXPECT_EQ(ApplyD(UnaryOp::kRoundNearestEven, ElementType::kF64, ties),
            (D{-2.0, 0.0, 0.0, 1.0, 2.0}));
  ExpectNear(ApplyD(UnaryOp::kRsqrt, ElementType::kF32, {1, 4, 9, 25}),
             {1.0, 0.5, 0.33333343, 0.2}, 1e-7);
  D s = ApplyD(UnaryOp::kSign, ElementType::kF64, {kNaN, -1.0, -0.0, 0.0, 1.0});
  EXPECT_TRUE(std::isnan(s[0]));
  EXPECT_EQ(s[1], -1.0);
  EXPECT_TRUE(s[2] == 0 && std::signbit(s[2]));
  EXPECT_TRUE(s[3] == 0 && !std::signbit(s[3]));
  EXPECT_EQ(s[4], 1.0);
  EXPECT_EQ(ApplyD(UnaryOp::kSqrt, ElementType::kF32, {0, 1, 4, 9}),
            (D{0, 1, 2, 3}));
  auto q = Complexes(Apply(UnaryOp::kSqrt, LitC(ElementType::kC128, {{1, 2}})));
  EXPECT_NEAR(q[0].real(), 1.272019649514069, 1e-15);
  EXPECT_NEAR(q[0].imag(), 0.7861513777574233, 1e-15);
}

// --- Integer families ---------------------------------------------------

TEST(UnaryInteger, SubByteAndSignedBitCounts) {
  EXPECT_EQ(ApplyI(UnaryOp::kPopcnt, ElementType::kS4, {-1, -8, 7}),
            (I{4, 1, 3}));
  EXPECT_EQ(
      ApplyI(UnaryOp::kCountLeadingZeros, ElementType::kS4, {0, 1, -1, 4}),
      (I{4, 3, 0, 1}));
  EXPECT_EQ(ApplyI(UnaryOp::kCountLeadingZeros, ElementType::kU2, {0, 1, 3}),
            (I{2, 1, 0}));
  EXPECT_EQ(ApplyI(UnaryOp::kPopcnt, ElementType::kS8, {-128, -1}), (I{1, 8}));
  EXPECT_EQ(ApplyI(UnaryOp::kCountLeadingZeros, ElementType::kU16, {1}),
            (I{15}));
  EXPECT_EQ(ApplyI(UnaryOp::kNot, ElementType::kU4, {0, 5}), (I{15, 10}));
  EXPECT_EQ(ApplyI(UnaryOp::kNot, ElementType::kS2, {0, 1}), (I{-1, -2}));
  EXPECT_EQ(ApplyI(UnaryOp::kNegate, ElementType::kU4, {1, 0}), (I{15, 0}));
  EXPECT_EQ(ApplyI(UnaryOp::kNegate, ElementType::kS4, {-8, 7}), (I{-8, -7}));
  EXPECT_EQ(ApplyI(UnaryOp::kAbs, ElementType::kS2, {-2, -1}), (I{-2, 1}));
  EXPECT_EQ(ApplyI(UnaryOp::kSign, ElementType::kS8, {-5, 0, 9}),
            (I{-1, 0, 1}));
  EXPECT_EQ(ApplyI(UnaryOp::kSquare, ElementType::kS4, {3, -4}), (I{-7, 0}));
  ir::Literal m =
      Apply(UnaryOp::kAbs, Typed<int32_t>(ElementType::kS32, {INT32_MIN, -7}));
  EXPECT_EQ(Raw<int32_t>(m), (std::vector<int32_t>{INT32_MIN, 7}));
}

// --- Floats -------------------------------------------------------------

TEST(UnaryFloat, SpecialValues) {
  D r = ApplyD(UnaryOp::kSqrt, ElementType::kF32, {-1, -0.0, kInf});
  EXPECT_TRUE(std::isnan(r[0]));
  EXPECT_TRUE(r[1] == 0 && std::signbit(r[1]));
  EXPECT_EQ(r[2], kInf);
  r = ApplyD(UnaryOp::kLog, ElementType::kF64, {0, -1});
  EXPECT_EQ(r[0], -kInf);
  EXPECT_TRUE(std::isnan(r[1]));
  r = ApplyD(UnaryOp::kRsqrt, ElementType::kF32, {0.0, -0.0});
  EXPECT_EQ(r, (D{kInf, -kInf}));
  r = ApplyD(UnaryOp::kLogistic, ElementType::kF32, {-200, 200});
  EXPECT_EQ(r, (D{0, 1}));
  r = ApplyD(UnaryOp::kRoundNearestEven, ElementType::kF32, {-0.5, 1.5, 1e30});
  EXPECT_TRUE(r[0] == 0 && std::signbit(r[0]));
  EXPECT_EQ(r[1], 2);
  EXPECT_EQ(r[2], static_cast<double>(1e30f));
  // Denormal input keeps its value through negate and abs.
  const double denormal = std::ldexp(1.0, -149);
  EXPECT_EQ(ApplyD(UnaryOp::kNegate, ElementType::kF32, {denormal}),
            (D{-denormal}));
  EXPECT_EQ(ApplyD(UnaryOp::kAbs, ElementType::kF32, {-denormal, -kInf}),
            (D{denormal, kInf}));
}

TEST(UnaryFloat, NarrowTypesRoundOnce) {
  // sqrt(2) in f16 is 1.4140625 (0x3da8); exp(1) in bf16 is 2.71875.
  EXPECT_EQ(ApplyD(UnaryOp::kSqrt, ElementType::kF16, {2}), (D{1.4140625}));
  EXPECT_EQ(ApplyD(UnaryOp::kExponential, ElementType::kBF16, {1}),
            (D{2.71875}));
  EXPECT_EQ(ApplyD(UnaryOp::kExponential, ElementType::kF16, {12}), (D{kInf}));
  EXPECT_EQ(ApplyD(UnaryOp::kNegate, ElementType::kF8E4M3FN, {448, 0.5}),
            (D{-448, -0.5}));
  EXPECT_EQ(ApplyD(UnaryOp::kFloor, ElementType::kF8E5M2, {2.5, -1.25}),
            (D{2, -2}));
  D s = ApplyD(UnaryOp::kSign, ElementType::kBF16, {-0.0, kNaN, -3});
  EXPECT_TRUE(s[0] == 0 && std::signbit(s[0]));
  EXPECT_TRUE(std::isnan(s[1]));
  EXPECT_EQ(s[2], -1);
}

// --- Complex --------------------------------------------------------------

TEST(UnaryComplex, AbsHasRealType) {
  absl::StatusOr<ir::Literal> r =
      Unary(UnaryOp::kAbs, LitC(ElementType::kC64, {{3, 4}, {-5, 12}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->element_type(), ElementType::kF32);
  EXPECT_EQ(Doubles(*r), (D{5, 13}));
  r = Unary(UnaryOp::kAbs, LitC(ElementType::kC128, {{1e300, 1e300}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->element_type(), ElementType::kF64);
  EXPECT_NEAR(Doubles(*r)[0], 1.4142135623730951e300, 1e285);
  EXPECT_EQ(UnaryResultType(UnaryOp::kAbs, ElementType::kC128),
            ElementType::kF64);
  EXPECT_EQ(UnaryResultType(UnaryOp::kNegate, ElementType::kC128),
            ElementType::kC128);
}

TEST(UnaryComplex, Functions) {
  const C z(0.5, -1.5);
  struct Case {
    UnaryOp op;
    C expected;
  };
  for (const Case& c : {
           Case{UnaryOp::kSine, std::sin(z)},
           Case{UnaryOp::kCosine, std::cos(z)},
           Case{UnaryOp::kTan, std::tan(z)},
           Case{UnaryOp::kTanh, std::tanh(z)},
           Case{UnaryOp::kRsqrt, 1.0 / std::sqrt(z)},
           Case{UnaryOp::kExponentialMinusOne, std::exp(z) - 1.0},
           Case{UnaryOp::kLogPlusOne, std::log(1.0 + z)},
           Case{UnaryOp::kCbrt, std::pow(z, 1.0 / 3)},
           Case{UnaryOp::kSign, z / std::abs(z)},
           Case{UnaryOp::kConj, std::conj(z)},
           Case{UnaryOp::kSquare, z * z},
           Case{UnaryOp::kAcos, std::acos(z)},
           Case{UnaryOp::kAsinh, std::asinh(z)},
           Case{UnaryOp::kAtanh, std::atanh(z)},
           Case{UnaryOp::kCosh, std::cosh(z)},
       }) {
    auto r = Complexes(Apply(c.op, LitC(ElementType::kC128, {z})));
    EXPECT_NEAR(r[0].real(), c.expected.real(), 1e-14) << UnaryOpName(c.op);
    EXPECT_NEAR(r[0].imag(), c.expected.imag(), 1e-14) << UnaryOpName(c.op);
  }
  // expm1 and log1p stay accurate where exp(z) - 1 and log(1 + z) cancel.
  auto r = Complexes(Apply(UnaryOp::kExponentialMinusOne,
                           LitC(ElementType::kC128, {{1e-20, 1e-20}})));
  EXPECT_NEAR(r[0].real(), 1e-20, 1e-35);
  EXPECT_NEAR(r[0].imag(), 1e-20, 1e-35);
  r = Complexes(
      Apply(UnaryOp::kLogPlusOne, LitC(ElementType::kC128, {{1e-20, 1e-20}})));
  EXPECT_NEAR(r[0].real(), 1e-20, 1e-35);
  EXPECT_NEAR(r[0].imag(), 1e-20, 1e-35);
  r = Complexes(Apply(UnaryOp::kSign, LitC(ElementType::kC128, {{0, 0}})));
  EXPECT_EQ(r[0], C(0, 0));
}

// --- CHLO math -------------------------------------------------------------

TEST(UnaryChlo, RealFunctions) {
  ExpectNear(ApplyD(UnaryOp::kErf, ElementType::kF64, {0, 0.5, -3}),
             {0, 0.5204998778130465, -0.9999779095030014}, 1e-15);
  ExpectNear(ApplyD(UnaryOp::kErfc, ElementType::kF64, {0, 5}),
             {1, 1.5374597944280349e-12}, 1e-25);
  ExpectNear(ApplyD(UnaryOp::kErfInv, ElementType::kF64, {0, 0.5, -0.9}),
             {0, 0.4769362762044699, -1.1630871536766743}, 1e-15);
  D e = ApplyD(UnaryOp::kErfInv, ElementType::kF32, {1, -1, 1.5});
  EXPECT_EQ(e[0], kInf);
  EXPECT_EQ(e[1], -kInf);
  EXPECT_TRUE(std::isnan(e[2]));
  ExpectNear(ApplyD(UnaryOp::kLgamma, ElementType::kF64, {0.5, -0.5, 1, 10}),
             {0.5723649429247001, 1.2655121234846454, 0, 12.801827480081469},
             1e-14);
  ExpectNear(ApplyD(UnaryOp::kDigamma, ElementType::kF64, {1, 0.5, -0.5, 10}),
             {-0.5772156649015329, -1.9635100260214235, 0.03648997397857652,
              2.251752589066721},
             1e-14);
  D d = ApplyD(UnaryOp::kDigamma, ElementType::kF32, {0, -2});
  EXPECT_TRUE(std::isnan(d[0]) && std::isnan(d[1]));
  ExpectNear(ApplyD(UnaryOp::kBesselI1e, ElementType::kF64, {0, 1, -1}),
             {0, 0.20791041534970844, -0.20791041534970844}, 1e-15);
  ExpectNear(ApplyD(UnaryOp::kAcos, ElementType::kF32, {1, 0}), {0, M_PI_2},
             1e-7);
  ExpectNear(ApplyD(UnaryOp::kAcosh, ElementType::kF64, {1, 2}),
             {0, 1.3169578969248166}, 1e-15);
  ExpectNear(ApplyD(UnaryOp::kAsin, ElementType::kF64, {1}), {M_PI_2}, 1e-15);
  ExpectNear(ApplyD(UnaryOp::kAsinh, ElementType::kF64, {1}),
             {0.881373587019543}, 1e-15);
  ExpectNear(ApplyD(UnaryOp::kAtan, ElementType::kF64, {1}), {M_PI_4}, 1e-15);
  ExpectNear(ApplyD(UnaryOp::kAtanh, ElementType::kF64, {0.5}),
             {0.5493061443340549}, 1e-15);
  ExpectNear(ApplyD(UnaryOp::kCosh, ElementType::kF64, {1}),
             {1.5430806348152437}, 1e-15);
  ExpectNear(ApplyD(UnaryOp::kSinh, ElementType::kF64, {1}),
             {1.1752011936438014}, 1e-15);
  EXPECT_EQ(ApplyD(UnaryOp::kSquare, ElementType::kBF16, {3, -1.5}),
            (D{9, 2.25}));
  EXPECT_EQ(ApplyD(UnaryOp::kConj, ElementType::kF32, {-2}), (D{-2}));
}

// chlo.cosh follows its CHLO decomposition e^(x+log(1/2)) + e^(log(1/2)-x)
// with f32 rounding after each op, not a correctly rounded cosh: at
// x = 9.164727 they differ by 4 ULPs.
TEST(UnaryCosh, FollowsTheChloDecompositionInF32) {
  const float x = 9.164727210998535f;
  const float log_half = static_cast<float>(std::log(0.5));
  const float decomposed =
      static_cast<float>(std::exp(static_cast<double>(x + log_half))) +
      static_cast<float>(std::exp(static_cast<double>(log_half - x)));
  const D y = ApplyD(UnaryOp::kCosh, ElementType::kF32, {x, 0, -x});
  EXPECT_EQ(y[0], decomposed);
  EXPECT_EQ(y[0], 4777.0595703125);
  EXPECT_NE(y[0], static_cast<float>(std::cosh(static_cast<double>(x))));
  EXPECT_EQ(y[1], 1.0);
  EXPECT_EQ(y[2], y[0]);
  // Large arguments do not overflow before the final add: cosh(89) ~ 2^127.
  const D big = ApplyD(UnaryOp::kCosh, ElementType::kF32, {89, 90});
  EXPECT_TRUE(std::isfinite(big[0]));
  EXPECT_TRUE(std::isinf(big[1]));
}

// --- In-place and errors -----------------------------------------------------

TEST(UnaryInto, InPlace) {
  std::vector<double> x = {1, 4, 9};
  ASSERT_TRUE(
      UnaryInto(UnaryOp::kSqrt, ElementType::kF64, 3, x.data(), x.data()).ok());
  EXPECT_EQ(x, (D{1, 2, 3}));
}

// The fast f32 exponential against libm's double exp rounded to float over
// every 97th float (44M inputs, all magnitudes and both signs): at most one
// ulp apart, and NaN exactly where the input is NaN.
TEST(UnaryFastMath, ExpF32WithinOneUlpEverywhere) {
  absl::StatusOr<UnaryLoopFn> fast = ResolveUnaryLoop(
      UnaryOp::kExponential, ElementType::kF32, MathAccuracy::kFast);
  ASSERT_TRUE(fast.ok()) << fast.status();
  constexpr int64_t kBatch = 1 << 16;
  std::vector<float> x(kBatch), y(kBatch);
  int64_t checked = 0, off_by_one = 0;
  uint64_t bits = 0;
  while (bits <= 0xffffffffu) {
    int64_t n = 0;
    for (; n < kBatch && bits <= 0xffffffffu; ++n, bits += 97) {
      const uint32_t b = static_cast<uint32_t>(bits);
      std::memcpy(&x[n], &b, 4);
    }
    (*fast)(x.data(), y.data(), n);
    for (int64_t i = 0; i < n; ++i) {
      if (std::isnan(x[i])) {
        ASSERT_TRUE(std::isnan(y[i])) << x[i];
        continue;
      }
      const float expected =
          static_cast<float>(std::exp(static_cast<double>(x[i])));
      const int64_t ulps = UlpDistance(y[i], expected);
      ASSERT_LE(ulps, 1) << "exp(" << x[i] << ") = " << y[i] << ", expected "
                         << expected;
      off_by_one += ulps;
      ++checked;
    }
  }
  EXPECT_GT(checked, 43000000);
  // Mostly correctly rounded: one ulp off on well under 1% of inputs.
  EXPECT_LT(off_by_one, checked / 100);
}

TEST(UnaryFastMath, ExpF32SpecialValuesAndRangeEnds) {
  absl::StatusOr<UnaryLoopFn> fast = ResolveUnaryLoop(
      UnaryOp::kExponential, ElementType::kF32, MathAccuracy::kFast);
  ASSERT_TRUE(fast.ok()) << fast.status();
  const float kFloatInf = std::numeric_limits<float>::infinity();
  const float kMaxFinite = std::numeric_limits<float>::max();
  // ln(FLT_MAX) = 88.7228391...: the float just below it stays finite.
  const std::vector<float> x = {-kFloatInf, kFloatInf, 0.0f,      -0.0f,
                                88.72283f,  88.7229f,  -87.3365f, -103.9f,
                                -104.5f,    1.0f};
  std::vector<float> y(x.size());
  (*fast)(x.data(), y.data(), static_cast<int64_t>(x.size()));
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[1], kFloatInf);
  EXPECT_EQ(y[2], 1.0f);
  EXPECT_EQ(y[3], 1.0f);
  EXPECT_LE(y[4], kMaxFinite);
  EXPECT_GT(y[4], kMaxFinite * 0.99f);
  EXPECT_EQ(y[5], kFloatInf);
  // Near the smallest normal, then the subnormal range and underflow to 0.
  auto exact = [&](int i) {
    return static_cast<float>(std::exp(static_cast<double>(x[i])));
  };
  EXPECT_LE(UlpDistance(y[6], exact(6)), 1);
  EXPECT_LE(UlpDistance(y[7], exact(7)), 1);
  EXPECT_GT(y[7], 0.0f);
  EXPECT_EQ(y[8], 0.0f);
  EXPECT_LE(UlpDistance(y[9], exact(9)), 1);
}

// kFast changes only what has a fast variant: other ops, and exp of other
// types, resolve to the correctly rounded loops.
TEST(UnaryFastMath, OnlyF32ExpHasAFastVariant) {
  for (UnaryOp op :
       {UnaryOp::kTanh, UnaryOp::kLog, UnaryOp::kLogistic, UnaryOp::kSqrt}) {
    EXPECT_EQ(*ResolveUnaryLoop(op, ElementType::kF32, MathAccuracy::kFast),
              *ResolveUnaryLoop(op, ElementType::kF32));
  }
  for (ElementType t :
       {ElementType::kF64, ElementType::kBF16, ElementType::kF16}) {
    EXPECT_EQ(*ResolveUnaryLoop(UnaryOp::kExponential, t, MathAccuracy::kFast),
              *ResolveUnaryLoop(UnaryOp::kExponential, t));
  }
  EXPECT_NE(*ResolveUnaryLoop(UnaryOp::kExponential, ElementType::kF32,
                              MathAccuracy::kFast),
            *ResolveUnaryLoop(UnaryOp::kExponential, ElementType::kF32));
  // Unsupported types are still errors.
  EXPECT_FALSE(ResolveUnaryLoop(UnaryOp::kExponential, ElementType::kS32,
                                MathAccuracy::kFast)
                   .ok());
}

TEST(UnaryErrors, UnsupportedTypesNameTheOp) {
  struct Case {
    UnaryOp op;
    ElementType type;
  };
  for (const Case& c : {Case{UnaryOp::kSqrt, ElementType::kS32},
                        Case{UnaryOp::kAbs, ElementType::kU8},
                        Case{UnaryOp::kNot, ElementType::kF32},
                        Case{UnaryOp::kPopcnt, ElementType::kPred},
                        Case{UnaryOp::kFloor, ElementType::kC64},
                        Case{UnaryOp::kErfInv, ElementType::kC128},
                        Case{UnaryOp::kNegate, ElementType::kPred}}) {
    absl::StatusOr<ir::Literal> r = Unary(c.op, Lit(c.type, {1}));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(UnaryOpName(c.op)), std::string::npos)
        << r.status();
  }
  EXPECT_EQ(
      UnaryInto(UnaryOp::kSqrt, ElementType::kF32, 4, nullptr, nullptr).code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(UnaryTypes, EveryAllowedTypeRuns) {
  for (int op = 0; op <= static_cast<int>(UnaryOp::kSquare); ++op) {
    for (int t = 1; t <= static_cast<int>(ElementType::kC128); ++t) {
      const auto o = static_cast<UnaryOp>(op);
      const auto e = static_cast<ElementType>(t);
      absl::StatusOr<ir::Literal> r = Unary(o, Lit(e, {1, 0}));
      EXPECT_EQ(r.ok(), UnaryOpSupports(o, e))
          << UnaryOpName(o) << " " << ir::ElementTypeToMlir(e);
      if (r.ok()) {
        EXPECT_EQ(r->element_type(), UnaryResultType(o, e));
      }
    }
  }
}

}  // namespace
}  // namespace backplane::kernels::elementwise
