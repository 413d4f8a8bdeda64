#include "compiler/kernels/elementwise/binary.h"

#include <cmath>
#include <complex>
#include <cstring>
#include <limits>
#include <vector>

#include "absl/strings/str_cat.h"
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
using I = std::vector<int64_t>;
using D = std::vector<double>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

ir::Literal Apply(BinaryOp op, const ir::Literal& a, const ir::Literal& b) {
  absl::StatusOr<ir::Literal> r = Binary(op, a, b);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : ir::Literal();
}

I RunInts(BinaryOp op, ElementType t, const D& a, const D& b) {
  return Ints(Apply(op, Lit(t, a), Lit(t, b)));
}

// --- The spec's own examples -------------------------------------------

TEST(BinarySpecExamples, Add) {
  EXPECT_EQ(
      RunInts(BinaryOp::kAdd, ElementType::kS32, {1, 2, 3, 4}, {5, 6, 7, 8}),
      (I{6, 8, 10, 12}));
}

TEST(BinarySpecExamples, AndOrXor) {
  const D a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
  EXPECT_EQ(RunInts(BinaryOp::kAnd, ElementType::kS32, a, b), (I{1, 2, 3, 0}));
  EXPECT_EQ(RunInts(BinaryOp::kOr, ElementType::kS32, a, b), (I{5, 6, 7, 12}));
  EXPECT_EQ(RunInts(BinaryOp::kXor, ElementType::kS32, a, b), (I{4, 4, 4, 12}));
  const D p = {0, 0, 1, 1}, q = {0, 1, 0, 1};
  EXPECT_EQ(RunInts(BinaryOp::kAnd, ElementType::kPred, p, q), (I{0, 0, 0, 1}));
  EXPECT_EQ(RunInts(BinaryOp::kOr, ElementType::kPred, p, q), (I{0, 1, 1, 1}));
  EXPECT_EQ(RunInts(BinaryOp::kXor, ElementType::kPred, p, q), (I{0, 1, 1, 0}));
}

TEST(BinarySpecExamples, Atan2) {
  D r =
      Doubles(Apply(BinaryOp::kAtan2, Lit(ElementType::kF64, {0.0, 1.0, -1.0}),
                    Lit(ElementType::kF64, {0.0, 0.0, 0.0})));
  EXPECT_EQ(r, (D{0.0, 1.5707963267948966, -1.5707963267948966}));
}

TEST(BinarySpecExamples, Divide) {
  EXPECT_EQ(RunInts(BinaryOp::kDivide, ElementType::kS32, {17, -17, 17, -17},
                    {3, 3, -3, -3}),
            (I{5, -5, -5, 5}));
  D r = Doubles(Apply(BinaryOp::kDivide,
                      Lit(ElementType::kF32, {17.1, -17.1, 17.1, -17.1}),
                      Lit(ElementType::kF32, {3, 3, -3, -3})));
  const double q = static_cast<double>(17.1f / 3.0f);
  // (The spec's comment shows 17/3 = 5.66666651 here; 17.1/3 is 5.7.)
  EXPECT_EQ(r, (D{q, -q, -q, q}));
  EXPECT_NEAR(q, 5.7, 1e-6);
}

TEST(BinarySpecExamples, MaximumMinimumMultiply) {
  const D a = {1, 2, 7, 8}, b = {5, 6, 3, 4};
  EXPECT_EQ(RunInts(BinaryOp::kMaximum, ElementType::kS32, a, b),
            (I{5, 6, 7, 8}));
  EXPECT_EQ(RunInts(BinaryOp::kMinimum, ElementType::kS32, a, b),
            (I{1, 2, 3, 4}));
  EXPECT_EQ(RunInts(BinaryOp::kMultiply, ElementType::kS32, {1, 2, 3, 4},
                    {5, 6, 7, 8}),
            (I{5, 12, 21, 32}));
}

TEST(BinarySpecExamples, PowerFloat) {
  // The spec's results (0.333333343, inf for 10000^10) are those of f32.
  D r = Doubles(
      Apply(BinaryOp::kPower,
            Lit(ElementType::kF32, {-2.0, -0.0, -36.0, 5.0, 3.0, 10000.0}),
            Lit(ElementType::kF32, {2.0, 2.0, 1.1, 2.0, -1.0, 10.0})));
  EXPECT_EQ(r[0], 4.0);
  EXPECT_EQ(r[1], 0.0);
  EXPECT_TRUE(std::isnan(r[2]));
  EXPECT_EQ(r[3], 25.0);
  EXPECT_EQ(r[4], static_cast<double>(1.0f / 3));
  EXPECT_EQ(r[5], kInf);
}

TEST(BinarySpecExamples, Remainder) {
  EXPECT_EQ(RunInts(BinaryOp::kRemainder, ElementType::kS64, {17, -17, 17, -17},
                    {3, 3, -3, -3}),
            (I{2, -2, 2, -2}));
  D r = Doubles(Apply(BinaryOp::kRemainder,
                      Lit(ElementType::kF64, {17.1, -17.1, 17.1, -17.1}),
                      Lit(ElementType::kF64, {3, 3, -3, -3})));
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(r[i], i % 2 ? -2.1 : 2.1, 1e-12);
}

TEST(BinarySpecExamples, Shifts) {
  EXPECT_EQ(
      RunInts(BinaryOp::kShiftLeft, ElementType::kS32, {-1, 0, 1}, {1, 2, 3}),
      (I{-2, 0, 8}));
  EXPECT_EQ(RunInts(BinaryOp::kShiftRightArithmetic, ElementType::kS32,
                    {-1, 0, 8}, {1, 2, 3}),
            (I{-1, 0, 1}));
  EXPECT_EQ(RunInts(BinaryOp::kShiftRightLogical, ElementType::kS32, {-1, 0, 8},
                    {1, 2, 3}),
            (I{2147483647, 0, 1}));
}

TEST(BinarySpecExamples, Subtract) {
  EXPECT_EQ(RunInts(BinaryOp::kSubtract, ElementType::kS32, {6, 8, 10, 12},
                    {5, 6, 7, 8}),
            (I{1, 2, 3, 4}));
}

// --- Integer edge semantics --------------------------------------------

TEST(BinaryInteger, DivisionByZeroAndOverflowEveryWidth) {
  for (ElementType t :
       {ElementType::kS2, ElementType::kS4, ElementType::kS8, ElementType::kS16,
        ElementType::kS32, ElementType::kS64}) {
    const int bits = ir::ElementBitWidth(t);
    const double min = -std::ldexp(1.0, bits - 1);
    SCOPED_TRACE(ir::ElementTypeToMlir(t));
    EXPECT_EQ(
        RunInts(BinaryOp::kDivide, t, {1, -1, 0, min, min}, {0, 0, 0, -1, 1}),
        (I{-1, -1, -1, static_cast<int64_t>(min), static_cast<int64_t>(min)}));
    EXPECT_EQ(RunInts(BinaryOp::kRemainder, t, {1, -1, 0, min}, {0, 0, 0, -1}),
              (I{1, -1, 0, 0}));
  }
  for (ElementType t : {ElementType::kU2, ElementType::kU4, ElementType::kU8,
                        ElementType::kU16, ElementType::kU32}) {
    const double all_ones = std::ldexp(1.0, ir::ElementBitWidth(t)) - 1;
    SCOPED_TRACE(ir::ElementTypeToMlir(t));
    EXPECT_EQ(
        RunInts(BinaryOp::kDivide, t, {1, 0, 3}, {0, 0, 2}),
        (I{static_cast<int64_t>(all_ones), static_cast<int64_t>(all_ones), 1}));
    EXPECT_EQ(RunInts(BinaryOp::kRemainder, t, {1, 3}, {0, 2}), (I{1, 1}));
  }
  ir::Literal r =
      Apply(BinaryOp::kDivide, Typed<uint64_t>(ElementType::kU64, {5, 7}),
            Typed<uint64_t>(ElementType::kU64, {0, 2}));
  EXPECT_EQ(Raw<uint64_t>(r), (std::vector<uint64_t>{~uint64_t{0}, 3}));
  r = Apply(BinaryOp::kDivide,
            Typed<int64_t>(ElementType::kS64, {INT64_MIN, INT64_MIN}),
            Typed<int64_t>(ElementType::kS64, {-1, 0}));
  EXPECT_EQ(Raw<int64_t>(r), (std::vector<int64_t>{INT64_MIN, -1}));
}

TEST(BinaryInteger, SubByteWrapAround) {
  // si4 holds [-8, 7]; ui4 [0, 15]; si2 [-2, 1]; ui2 [0, 3].
  EXPECT_EQ(RunInts(BinaryOp::kAdd, ElementType::kS4, {7, -8, 5}, {1, -1, 5}),
            (I{-8, 7, -6}));
  EXPECT_EQ(RunInts(BinaryOp::kMultiply, ElementType::kS4, {4, -3}, {4, 3}),
            (I{0, 7}));
  EXPECT_EQ(RunInts(BinaryOp::kSubtract, ElementType::kU4, {0, 3}, {1, 5}),
            (I{15, 14}));
  EXPECT_EQ(RunInts(BinaryOp::kAdd, ElementType::kU2, {3, 2}, {1, 3}),
            (I{0, 1}));
  EXPECT_EQ(RunInts(BinaryOp::kAdd, ElementType::kS2, {1, -2}, {1, -1}),
            (I{-2, 1}));
  EXPECT_EQ(RunInts(BinaryOp::kPower, ElementType::kS4, {2, 3}, {3, 2}),
            (I{-8, -7}));
}

TEST(BinaryInteger, NativeOverflowWraps) {
  ir::Literal r = Apply(
      BinaryOp::kAdd, Typed<int32_t>(ElementType::kS32, {INT32_MAX, INT32_MIN}),
      Typed<int32_t>(ElementType::kS32, {1, -1}));
  EXPECT_EQ(Raw<int32_t>(r), (std::vector<int32_t>{INT32_MIN, INT32_MAX}));
  r = Apply(BinaryOp::kMultiply, Typed<uint16_t>(ElementType::kU16, {65535}),
            Typed<uint16_t>(ElementType::kU16, {65535}));
  EXPECT_EQ(Raw<uint16_t>(r), (std::vector<uint16_t>{1}));
  r = Apply(BinaryOp::kMultiply, Typed<int64_t>(ElementType::kS64, {INT64_MAX}),
            Typed<int64_t>(ElementType::kS64, {2}));
  EXPECT_EQ(Raw<int64_t>(r), (std::vector<int64_t>{-2}));
}

TEST(BinaryInteger, ShiftsByWidthOrMore) {
  for (ElementType t : {ElementType::kS4, ElementType::kS8, ElementType::kS32,
                        ElementType::kS64}) {
    const double w = ir::ElementBitWidth(t);
    SCOPED_TRACE(ir::ElementTypeToMlir(t));
    EXPECT_EQ(RunInts(BinaryOp::kShiftLeft, t, {1, 1, 1}, {w, w + 1, -1}),
              (I{0, 0, 0}));
    EXPECT_EQ(RunInts(BinaryOp::kShiftRightLogical, t, {-1, -1}, {w, -1}),
              (I{0, 0}));
    EXPECT_EQ(
        RunInts(BinaryOp::kShiftRightArithmetic, t, {-3, 3, -3}, {w, w, -1}),
        (I{-1, 0, -1}));
    EXPECT_EQ(RunInts(BinaryOp::kShiftLeft, t, {1}, {w - 1}),
              (I{static_cast<int64_t>(-std::ldexp(1.0, w - 1))}));
  }
  // Unsigned: logical shift of the top bit; arithmetic shift fills with it.
  EXPECT_EQ(RunInts(BinaryOp::kShiftRightArithmetic, ElementType::kU4, {8, 4},
                    {1, 1}),
            (I{12, 2}));
  EXPECT_EQ(RunInts(BinaryOp::kShiftRightLogical, ElementType::kS4, {-8}, {1}),
            (I{4}));
  EXPECT_EQ(
      RunInts(BinaryOp::kShiftRightArithmetic, ElementType::kU8, {128}, {8}),
      (I{255}));
  EXPECT_EQ(RunInts(BinaryOp::kShiftLeft, ElementType::kU2, {3, 1}, {1, 2}),
            (I{2, 0}));
}

TEST(BinaryInteger, PowerRules) {
  EXPECT_EQ(
      RunInts(BinaryOp::kPower, ElementType::kS32,
              {2, 2, -2, 1, -1, -1, 0, 5, 0}, {10, -1, 3, -5, -3, -4, 0, 0, 3}),
      (I{1024, 0, -8, 1, -1, 1, 1, 1, 0}));
  EXPECT_EQ(RunInts(BinaryOp::kPower, ElementType::kU8, {2, 3}, {9, 5}),
            (I{0, 243}));
  ir::Literal r =
      Apply(BinaryOp::kPower, Typed<int64_t>(ElementType::kS64, {3}),
            Typed<int64_t>(ElementType::kS64, {INT64_MAX}));
  EXPECT_EQ(r.element_count(), 1);  // Terminates: 63 squarings.
}

TEST(BinaryInteger, MaxMinSignedAndUnsigned) {
  EXPECT_EQ(RunInts(BinaryOp::kMaximum, ElementType::kS4, {-8, 7}, {7, -8}),
            (I{7, 7}));
  ir::Literal r = Apply(BinaryOp::kMaximum,
                        Typed<uint32_t>(ElementType::kU32, {0x80000000u, 1}),
                        Typed<uint32_t>(ElementType::kU32, {1, 2}));
  EXPECT_EQ(Raw<uint32_t>(r), (std::vector<uint32_t>{0x80000000u, 2}));
  EXPECT_EQ(RunInts(BinaryOp::kMaximum, ElementType::kPred, {0, 0, 1, 1},
                    {0, 1, 0, 1}),
            (I{0, 1, 1, 1}));
  EXPECT_EQ(RunInts(BinaryOp::kMinimum, ElementType::kPred, {0, 0, 1, 1},
                    {0, 1, 0, 1}),
            (I{0, 0, 0, 1}));
  EXPECT_EQ(
      RunInts(BinaryOp::kAdd, ElementType::kPred, {0, 0, 1, 1}, {0, 1, 0, 1}),
      (I{0, 1, 1, 1}));
  EXPECT_EQ(RunInts(BinaryOp::kMultiply, ElementType::kPred, {0, 0, 1, 1},
                    {0, 1, 0, 1}),
            (I{0, 0, 0, 1}));
}

TEST(BinaryInteger, Mulhi) {
  ir::Literal r = Apply(BinaryOp::kMulhi,
                        Typed<int32_t>(ElementType::kS32, {0x40000000, -1, -2}),
                        Typed<int32_t>(ElementType::kS32, {8, 1, 3}));
  EXPECT_EQ(Raw<int32_t>(r), (std::vector<int32_t>{2, -1, -1}));
  r = Apply(BinaryOp::kMulhi,
            Typed<uint64_t>(ElementType::kU64, {~uint64_t{0}}),
            Typed<uint64_t>(ElementType::kU64, {~uint64_t{0}}));
  EXPECT_EQ(Raw<uint64_t>(r), (std::vector<uint64_t>{~uint64_t{0} - 1}));
  r = Apply(BinaryOp::kMulhi, Typed<int64_t>(ElementType::kS64, {INT64_MIN}),
            Typed<int64_t>(ElementType::kS64, {INT64_MIN}));
  EXPECT_EQ(Raw<int64_t>(r), (std::vector<int64_t>{int64_t{1} << 62}));
  EXPECT_EQ(
      RunInts(BinaryOp::kMulhi, ElementType::kS4, {-8, 7, -1}, {-8, 7, 1}),
      (I{4, 3, -1}));
  EXPECT_EQ(RunInts(BinaryOp::kMulhi, ElementType::kU4, {15}, {15}), (I{14}));
}

// --- Floating point ----------------------------------------------------

TEST(BinaryFloat, MaxMinPropagateNaNAndOrderZeros) {
  for (ElementType t : {ElementType::kF32, ElementType::kF64, ElementType::kF16,
                        ElementType::kBF16}) {
    SCOPED_TRACE(ir::ElementTypeToMlir(t));
    D mx =
        Doubles(Apply(BinaryOp::kMaximum, Lit(t, {kNaN, 1, -0.0, 0.0, -kInf}),
                      Lit(t, {1, kNaN, 0.0, -0.0, 2})));
    EXPECT_TRUE(std::isnan(mx[0]));
    EXPECT_TRUE(std::isnan(mx[1]));
    EXPECT_EQ(mx[2], 0.0);
    EXPECT_FALSE(std::signbit(mx[2]));
    EXPECT_FALSE(std::signbit(mx[3]));
    EXPECT_EQ(mx[4], 2);
    D mn = Doubles(Apply(BinaryOp::kMinimum, Lit(t, {kNaN, 1, -0.0, 0.0}),
                         Lit(t, {1, kNaN, 0.0, -0.0})));
    EXPECT_TRUE(std::isnan(mn[0]));
    EXPECT_TRUE(std::isnan(mn[1]));
    EXPECT_TRUE(std::signbit(mn[2]));
    EXPECT_TRUE(std::signbit(mn[3]));
  }
}

TEST(BinaryFloat, HalfIsComputedInF32AndRoundedOnce) {
  // 1 + 2^-11 is a tie between 1 and 1 + 2^-10 in f16: ties to even gives 1;
  // 1 + 3 * 2^-11 ties up to 1 + 2^-9.
  D r = Doubles(Apply(BinaryOp::kAdd, Lit(ElementType::kF16, {1.0, 1.0}),
                      Lit(ElementType::kF16,
                          {std::ldexp(1.0, -11), 3 * std::ldexp(1.0, -11)})));
  EXPECT_EQ(r, (D{1.0, 1.0 + std::ldexp(1.0, -9)}));
  // bf16: 256 + 1 is a tie (ulp 2) -> 256; 258 + 1 -> 260.
  r = Doubles(Apply(BinaryOp::kAdd, Lit(ElementType::kBF16, {256, 258}),
                    Lit(ElementType::kBF16, {1, 1})));
  EXPECT_EQ(r, (D{256, 260}));
  // Overflow to infinity and subnormal results.
  r = Doubles(Apply(BinaryOp::kMultiply, Lit(ElementType::kF16, {65504, 1e-4}),
                    Lit(ElementType::kF16, {2, 1e-3})));
  EXPECT_EQ(r[0], kInf);
  EXPECT_NEAR(r[1], 1e-7, std::ldexp(1.0, -24));
  EXPECT_GT(r[1], 0);
}

TEST(BinaryFloat, DivisionSpecialValues) {
  D r = Doubles(Apply(BinaryOp::kDivide, Lit(ElementType::kF32, {1, -1, 0, 1}),
                      Lit(ElementType::kF32, {0.0, 0.0, 0.0, -0.0})));
  EXPECT_EQ(r[0], kInf);
  EXPECT_EQ(r[1], -kInf);
  EXPECT_TRUE(std::isnan(r[2]));
  EXPECT_EQ(r[3], -kInf);
}

TEST(BinaryFloat, Atan2SignedZeros) {
  D r = Doubles(Apply(BinaryOp::kAtan2,
                      Lit(ElementType::kF64, {0.0, -0.0, 0.0, -0.0}),
                      Lit(ElementType::kF64, {0.0, 0.0, -0.0, -0.0})));
  EXPECT_EQ(r[0], 0.0);
  EXPECT_FALSE(std::signbit(r[0]));
  EXPECT_TRUE(std::signbit(r[1]));
  EXPECT_DOUBLE_EQ(r[2], M_PI);
  EXPECT_DOUBLE_EQ(r[3], -M_PI);
}

TEST(BinaryFloat, NextAfterStepsInTheOperandsOwnFormat) {
  D r = Doubles(Apply(BinaryOp::kNextAfter,
                      Lit(ElementType::kF32, {1, 1, 0, -0.0}),
                      Lit(ElementType::kF32, {2, 0, -1, 1})));
  EXPECT_EQ(r[0], 1 + std::ldexp(1.0, -23));
  EXPECT_EQ(r[1], 1 - std::ldexp(1.0, -24));
  EXPECT_EQ(r[2], -std::ldexp(1.0, -149));
  EXPECT_EQ(r[3], std::ldexp(1.0, -149));
  r = Doubles(Apply(BinaryOp::kNextAfter,
                    Lit(ElementType::kF16, {1, 1, 0, 65504, 2, kNaN}),
                    Lit(ElementType::kF16, {2, 0, 1, kInf, 2, 1})));
  EXPECT_EQ(r[0], 1 + std::ldexp(1.0, -10));
  EXPECT_EQ(r[1], 1 - std::ldexp(1.0, -11));
  EXPECT_EQ(r[2], std::ldexp(1.0, -24));
  EXPECT_EQ(r[3], kInf);
  EXPECT_EQ(r[4], 2);
  EXPECT_TRUE(std::isnan(r[5]));
  r = Doubles(Apply(BinaryOp::kNextAfter, Lit(ElementType::kBF16, {1, -1}),
                    Lit(ElementType::kBF16, {2, -2})));
  EXPECT_EQ(r, (D{1 + std::ldexp(1.0, -7), -1 - std::ldexp(1.0, -7)}));
}

TEST(BinaryFloat, PolygammaAndZeta) {
  D r = Doubles(Apply(BinaryOp::kZeta, Lit(ElementType::kF64, {2, 3, 1, 0.5}),
                      Lit(ElementType::kF64, {1, 1, 1, 1})));
  EXPECT_NEAR(r[0], M_PI * M_PI / 6, 1e-15);
  EXPECT_NEAR(r[1], 1.2020569031595942, 1e-15);
  EXPECT_EQ(r[2], kInf);
  EXPECT_TRUE(std::isnan(r[3]));
  r = Doubles(Apply(BinaryOp::kPolygamma,
                    Lit(ElementType::kF32, {0, 1, 2, 1.5}),
                    Lit(ElementType::kF32, {1, 1, 1, 1})));
  EXPECT_NEAR(r[0], -0.5772156649015329, 1e-7);
  EXPECT_NEAR(r[1], M_PI * M_PI / 6, 1e-6);
  EXPECT_NEAR(r[2], -2.4041138063191885, 1e-6);
  EXPECT_TRUE(std::isnan(r[3]));
}

// --- Complex -----------------------------------------------------------

TEST(BinaryComplex, ArithmeticAndPower) {
  using C = std::complex<double>;
  auto r =
      Complexes(Apply(BinaryOp::kDivide, LitC(ElementType::kC128, {{1, 2}}),
                      LitC(ElementType::kC128, {{3, 4}})));
  EXPECT_NEAR(r[0].real(), 0.44, 1e-15);
  EXPECT_NEAR(r[0].imag(), 0.08, 1e-15);
  r = Complexes(Apply(BinaryOp::kMultiply, LitC(ElementType::kC64, {{1, 2}}),
                      LitC(ElementType::kC64, {{3, 4}})));
  EXPECT_EQ(r[0], C(-5, 10));
  r = Complexes(Apply(BinaryOp::kPower,
                      LitC(ElementType::kC128, {{0, 1}, {0, 0}}),
                      LitC(ElementType::kC128, {{2, 0}, {0, 0}})));
  EXPECT_NEAR(r[0].real(), -1, 1e-15);
  EXPECT_NEAR(r[0].imag(), 0, 1e-15);
  EXPECT_EQ(r[1], C(1, 0));
}

TEST(BinaryComplex, MaximumIsLexicographic) {
  using C = std::complex<double>;
  auto r = Complexes(Apply(BinaryOp::kMaximum,
                           LitC(ElementType::kC128, {{1, 5}, {2, 1}, {1, 1}}),
                           LitC(ElementType::kC128, {{2, 0}, {2, 3}, {1, 1}})));
  EXPECT_EQ(r, (std::vector<C>{{2, 0}, {2, 3}, {1, 1}}));
  r = Complexes(Apply(BinaryOp::kMinimum,
                      LitC(ElementType::kC64, {{1, 5}, {2, 1}}),
                      LitC(ElementType::kC64, {{2, 0}, {2, 3}})));
  EXPECT_EQ(r, (std::vector<C>{{1, 5}, {2, 1}}));
}

TEST(BinaryComplex, Atan2MatchesRealAtan2OnRealAxis) {
  auto r = Complexes(Apply(BinaryOp::kAtan2, LitC(ElementType::kC128, {{1, 0}}),
                           LitC(ElementType::kC128, {{1, 0}})));
  EXPECT_NEAR(r[0].real(), M_PI / 4, 1e-15);
  EXPECT_NEAR(r[0].imag(), 0, 1e-15);
}

// --- In-place and errors -------------------------------------------------

TEST(BinaryInto, InPlaceF32AndBF16) {
  std::vector<float> a = {1, 2, 3}, b = {10, 20, 30};
  ASSERT_TRUE(BinaryInto(BinaryOp::kAdd, ElementType::kF32, 3, a.data(),
                         b.data(), a.data())
                  .ok());
  EXPECT_EQ(a, (std::vector<float>{11, 22, 33}));
  std::vector<uint16_t> h = {ir::FloatToBF16(1.5f)}, k = {ir::FloatToBF16(2)};
  ASSERT_TRUE(BinaryInto(BinaryOp::kMultiply, ElementType::kBF16, 1, h.data(),
                         k.data(), h.data())
                  .ok());
  EXPECT_EQ(ir::BF16ToFloat(h[0]), 3.0f);
  EXPECT_TRUE(BinaryInto(BinaryOp::kAdd, ElementType::kF32, 0, nullptr, nullptr,
                         nullptr)
                  .ok());
}

TEST(BinaryErrors, MismatchedOperandsNameTheOp) {
  absl::StatusOr<ir::Literal> r =
      Binary(BinaryOp::kAdd, Lit(ElementType::kF32, {1, 2}),
             Lit(ElementType::kF32, {1, 2, 3}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("stablehlo.add"), std::string::npos);
  EXPECT_NE(r.status().message().find("tensor<3xf32>"), std::string::npos);
  r = Binary(BinaryOp::kSubtract, Lit(ElementType::kF32, {1}),
             Lit(ElementType::kF64, {1}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("stablehlo.subtract"), std::string::npos);
}

TEST(BinaryErrors, UnsupportedElementTypes) {
  struct Case {
    BinaryOp op;
    ElementType type;
  };
  for (const Case& c : {Case{BinaryOp::kSubtract, ElementType::kPred},
                        Case{BinaryOp::kDivide, ElementType::kPred},
                        Case{BinaryOp::kAnd, ElementType::kF32},
                        Case{BinaryOp::kShiftLeft, ElementType::kF32},
                        Case{BinaryOp::kRemainder, ElementType::kC64},
                        Case{BinaryOp::kAtan2, ElementType::kS32},
                        Case{BinaryOp::kMulhi, ElementType::kF32},
                        Case{BinaryOp::kNextAfter, ElementType::kS8},
                        Case{BinaryOp::kZeta, ElementType::kC128}}) {
    absl::StatusOr<ir::Literal> r =
        Binary(c.op, Lit(c.type, {1}), Lit(c.type, {1}));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument)
        << BinaryOpName(c.op);
    EXPECT_NE(r.status().message().find(BinaryOpName(c.op)), std::string::npos);
  }
  EXPECT_EQ(BinaryInto(BinaryOp::kAdd, ElementType::kF32, -1, nullptr, nullptr,
                       nullptr)
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BinaryInto(BinaryOp::kAdd, ElementType::kInvalid, 1, nullptr,
                       nullptr, nullptr)
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BinaryTypes, EveryAllowedTypeRuns) {
  // Smoke over the full op x type matrix: each supported pair produces a
  // result of the operand's type, each unsupported pair an error.
  for (int op = 0; op <= static_cast<int>(BinaryOp::kZeta); ++op) {
    for (int t = 1; t <= static_cast<int>(ElementType::kC128); ++t) {
      const auto o = static_cast<BinaryOp>(op);
      const auto e = static_cast<ElementType>(t);
      absl::StatusOr<ir::Literal> r = Binary(o, Lit(e, {1, 0}), Lit(e, {1, 1}));
      EXPECT_EQ(r.ok(), BinaryOpSupports(o, e))
          << BinaryOpName(o) << " " << ir::ElementTypeToMlir(e);
      if (r.ok()) {
        EXPECT_EQ(r->element_type(), e);
      }
    }
  }
}

TEST(BinaryPairLoop, IdenticalToTwoPasses) {
  // Ordinary values, signed zeros, infinities, NaNs with payloads, and
  // subnormals, in every position.
  std::vector<float> values = {1.5f,
                               -2.25f,
                               0.0f,
                               -0.0f,
                               3e38f,
                               -3e38f,
                               1e-40f,
                               -7e-39f,
                               0.1f,
                               -1e10f,
                               std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity()};
  uint32_t nan_bits[] = {0x7FC00001u, 0xFFC00002u};
  for (uint32_t bits : nan_bits) {
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    values.push_back(f);
  }
  std::vector<float> a, b, c;
  for (float x : values) {
    for (float y : values) {
      for (float z : values) {
        a.push_back(x);
        b.push_back(y);
        c.push_back(z);
      }
    }
  }
  const int64_t n = static_cast<int64_t>(a.size());
  const BinaryOp ops[] = {BinaryOp::kAdd, BinaryOp::kSubtract,
                          BinaryOp::kMultiply, BinaryOp::kDivide};
  // Values equal, NaN-ness equal; which NaN payload survives two NaNs is
  // not specified (the compiler may commute an add).
  auto expect_same = [&](const std::vector<float>& want,
                         const std::vector<float>& got) {
    for (int64_t i = 0; i < n; ++i) {
      uint32_t w, g;
      std::memcpy(&w, &want[i], 4);
      std::memcpy(&g, &got[i], 4);
      const bool both_nan = std::isnan(want[i]) && std::isnan(got[i]);
      if (w != g && !both_nan) {
        ADD_FAILURE() << "element " << i << ": " << a[i] << ", " << b[i] << ", "
                      << c[i] << ": two passes " << std::hex << w
                      << ", one pass " << g;
        return;
      }
    }
  };
  for (BinaryOp first : ops) {
    for (BinaryOp second : ops) {
      for (bool intermediate_first : {true, false}) {
        for (bool scalar_c : {false, true}) {
          SCOPED_TRACE(absl::StrCat(BinaryOpName(first), " then ",
                                    BinaryOpName(second), " intermediate ",
                                    intermediate_first ? "first" : "second",
                                    scalar_c ? " scalar c" : ""));
          // A scalar c is c[k] for every element; compare with a splat.
          for (int k : {0, 7, 13}) {
            std::vector<float> cc = scalar_c ? std::vector<float>(n, c[k]) : c;
            std::vector<float> t(n), want(n), got(n);
            ASSERT_TRUE(BinaryInto(first, ir::ElementType::kF32, n, a.data(),
                                   b.data(), t.data())
                            .ok());
            ASSERT_TRUE(BinaryInto(second, ir::ElementType::kF32, n,
                                   intermediate_first ? t.data() : cc.data(),
                                   intermediate_first ? cc.data() : t.data(),
                                   want.data())
                            .ok());
            absl::StatusOr<BinaryPairLoopFn> loop =
                ResolveBinaryPairLoop(first, second, intermediate_first,
                                      ir::ElementType::kF32, scalar_c);
            ASSERT_TRUE(loop.ok()) << loop.status();
            (*loop)(a.data(), b.data(), scalar_c ? &c[k] : c.data(), got.data(),
                    n);
            expect_same(want, got);
            if (!scalar_c) break;
          }
        }
      }
    }
  }
  // Scalar-operand loops against BinaryInto with a splat.
  for (BinaryOp op :
       {BinaryOp::kAdd, BinaryOp::kSubtract, BinaryOp::kMultiply,
        BinaryOp::kDivide, BinaryOp::kMaximum, BinaryOp::kMinimum}) {
    for (bool scalar_is_lhs : {false, true}) {
      for (int k : {0, 3, 12, 13}) {
        SCOPED_TRACE(absl::StrCat(BinaryOpName(op), " scalar ",
                                  scalar_is_lhs ? "lhs " : "rhs ", k));
        std::vector<float> splat(n, c[k]), want(n), got(n);
        ASSERT_TRUE(BinaryInto(op, ir::ElementType::kF32, n,
                               scalar_is_lhs ? splat.data() : a.data(),
                               scalar_is_lhs ? a.data() : splat.data(),
                               want.data())
                        .ok());
        absl::StatusOr<BinaryScalarLoopFn> loop =
            ResolveBinaryScalarLoop(op, scalar_is_lhs, ir::ElementType::kF32);
        ASSERT_TRUE(loop.ok()) << loop.status();
        (*loop)(a.data(), &c[k], got.data(), n);
        expect_same(want, got);
      }
    }
  }
  EXPECT_EQ(
      ResolveBinaryScalarLoop(BinaryOp::kPower, false, ir::ElementType::kF32)
          .status()
          .code(),
      absl::StatusCode::kUnimplemented);
}

TEST(BinaryPairLoop, OtherTypesAndOpsAreUnimplemented) {
  EXPECT_EQ(ResolveBinaryPairLoop(BinaryOp::kMultiply, BinaryOp::kAdd, true,
                                  ir::ElementType::kF64)
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(ResolveBinaryPairLoop(BinaryOp::kMaximum, BinaryOp::kAdd, true,
                                  ir::ElementType::kF32)
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
}

// The chain against 2n passes of BinaryInto (multiply, then add), on
// random values, special values and a tail that is not a whole block; NaN
// results must be NaN wherever the passes give NaN.
TEST(MultiplyAddChainLoop, IdenticalToPassesOfBinaryInto) {
  absl::StatusOr<MultiplyAddChainLoopFn> chain =
      ResolveMultiplyAddChainLoop(ElementType::kF32);
  ASSERT_TRUE(chain.ok()) << chain.status();
  const std::vector<float> specials = {0.0f,
                                       -0.0f,
                                       1e-40f,
                                       -1e-39f,
                                       3e38f,
                                       -3e38f,
                                       std::numeric_limits<float>::infinity(),
                                       -std::numeric_limits<float>::infinity(),
                                       std::numeric_limits<float>::quiet_NaN()};
  for (int64_t count : {0, 1, 127, 128, 300, 1000}) {
    for (int n : {1, 2, 9}) {
      SCOPED_TRACE(absl::StrCat("count=", count, " n=", n));
      std::vector<float> a(count), z(count), c(n);
      uint32_t state = 7;
      auto next = [&] {
        state = state * 1664525u + 1013904223u;
        return static_cast<float>(state >> 8) / 8388608.0f - 1.0f;
      };
      for (int64_t i = 0; i < count; ++i) {
        a[i] = next() * 4;
        z[i] = next() * 2;
        if (i % 13 == 3) a[i] = specials[i % specials.size()];
        if (i % 17 == 5) z[i] = specials[(i / 17) % specials.size()];
      }
      for (int j = 0; j < n; ++j) c[j] = next() * 3;
      if (n == 9) c[4] = std::numeric_limits<float>::infinity();
      std::vector<float> want = a, got(count);
      for (int j = 0; j < n; ++j) {
        std::vector<float> cj(count, c[j]);
        ASSERT_TRUE(BinaryInto(BinaryOp::kMultiply, ElementType::kF32, count,
                               want.data(), z.data(), want.data())
                        .ok());
        ASSERT_TRUE(BinaryInto(BinaryOp::kAdd, ElementType::kF32, count,
                               want.data(), cj.data(), want.data())
                        .ok());
      }
      (*chain)(a.data(), z.data(), c.data(), n, got.data(), count);
      for (int64_t i = 0; i < count; ++i) {
        if (std::isnan(want[i])) {
          EXPECT_TRUE(std::isnan(got[i])) << i;
        } else {
          EXPECT_EQ(std::memcmp(&got[i], &want[i], 4), 0)
              << i << ": " << got[i] << " vs " << want[i];
        }
      }
      // In place over a.
      std::vector<float> in_place = a;
      (*chain)(in_place.data(), z.data(), c.data(), n, in_place.data(), count);
      if (count > 0) {  // memcmp must not see the empty vectors' null data.
        EXPECT_EQ(std::memcmp(in_place.data(), got.data(), count * 4), 0);
      }
    }
  }
  EXPECT_FALSE(ResolveMultiplyAddChainLoop(ElementType::kF64).ok());
}

TEST(ResolvedLoops, MatchTheCheckedEntryPoints) {
  const std::vector<float> x = {1.0f, -2.0f, 0.5f}, y = {3.0f, 4.0f, -0.0f};
  std::vector<float> want(3), got(3);
  ASSERT_TRUE(BinaryInto(BinaryOp::kDivide, ir::ElementType::kF32, 3, x.data(),
                         y.data(), want.data())
                  .ok());
  absl::StatusOr<BinaryLoopFn> loop =
      ResolveBinaryLoop(BinaryOp::kDivide, ir::ElementType::kF32);
  ASSERT_TRUE(loop.ok()) << loop.status();
  (*loop)(x.data(), y.data(), got.data(), 3);
  EXPECT_EQ(want, got);
  EXPECT_FALSE(
      ResolveBinaryLoop(BinaryOp::kShiftLeft, ir::ElementType::kF32).ok());
}

}  // namespace
}  // namespace backplane::kernels::elementwise
