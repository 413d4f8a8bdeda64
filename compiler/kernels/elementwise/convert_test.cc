#include "compiler/kernels/elementwise/convert.h"

#include <cmath>
#include <complex>
#include <limits>
#include <vector>

#include "compiler/kernels/elementwise/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::elementwise {
namespace {

using ::backplane::kernels::elementwise::testing::BitsToDouble;
using ::backplane::kernels::elementwise::testing::Complexes;
using ::backplane::kernels::elementwise::testing::DoubleBits;
using ::backplane::kernels::elementwise::testing::Doubles;
using ::backplane::kernels::elementwise::testing::Ints;
using ::backplane::kernels::elementwise::testing::Lit;
using ::backplane::kernels::elementwise::testing::LitC;
using ::backplane::kernels::elementwise::testing::Raw;
using ::backplane::kernels::elementwise::testing::Scalar;
using ::backplane::kernels::elementwise::testing::Typed;
using C = std::complex<double>;
using ::backplane::ir::ElementType;
using D = std::vector<double>;
using I = std::vector<int64_t>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

ir::Literal Conv(const ir::Literal& x, ElementType to) {
  absl::StatusOr<ir::Literal> r = Convert(x, to);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return ir::Literal();
  EXPECT_EQ(r->element_type(), to);
  EXPECT_EQ(r->dims(), x.dims());
  return *std::move(r);
}

TEST(Convert, SpecExampleIntegerToComplex) {
  EXPECT_EQ(
      Complexes(Conv(Lit(ElementType::kS64, {-1, 0, 1}), ElementType::kC64)),
      (std::vector<C>{{-1, 0}, {0, 0}, {1, 0}}));
}

TEST(Convert, FloatToIntegerTruncatesAndSaturates) {
  const D in = {kNaN, kInf, -kInf, 1e10, -1e10, 2.9, -2.9, -0.5};
  const ir::Literal x = Lit(ElementType::kF32, in);
  EXPECT_EQ(Ints(Conv(x, ElementType::kS32)),
            (I{0, INT32_MAX, INT32_MIN, INT32_MAX, INT32_MIN, 2, -2, 0}));
  EXPECT_EQ(Ints(Conv(x, ElementType::kU8)), (I{0, 255, 0, 255, 0, 2, 0, 0}));
  EXPECT_EQ(Ints(Conv(x, ElementType::kS4)), (I{0, 7, -8, 7, -8, 2, -2, 0}));
  EXPECT_EQ(Ints(Conv(x, ElementType::kU2)), (I{0, 3, 0, 3, 0, 2, 0, 0}));
  EXPECT_EQ(Raw<int64_t>(Conv(Lit(ElementType::kF64, {1e19, -1e19, 9.2e18}),
                              ElementType::kS64)),
            (std::vector<int64_t>{INT64_MAX, INT64_MIN, 9200000000000000000}));
  EXPECT_EQ(Raw<uint64_t>(Conv(Lit(ElementType::kF32, {1e20, 1.5e19, -7}),
                               ElementType::kU64)),
            (std::vector<uint64_t>{~uint64_t{0}, 15000000520515485696u, 0}));
}

TEST(Convert, IntegerToIntegerWraps) {
  const ir::Literal x = Lit(ElementType::kS32, {300, -1, 128, -129});
  EXPECT_EQ(Ints(Conv(x, ElementType::kS8)), (I{44, -1, -128, 127}));
  EXPECT_EQ(Ints(Conv(x, ElementType::kU4)), (I{12, 15, 0, 15}));
  EXPECT_EQ(Ints(Conv(x, ElementType::kS2)), (I{0, -1, 0, -1}));
  EXPECT_EQ(Ints(Conv(Lit(ElementType::kU8, {255, 7}), ElementType::kS4)),
            (I{-1, 7}));
  EXPECT_EQ(Raw<uint64_t>(Conv(Lit(ElementType::kS8, {-1}), ElementType::kU64)),
            (std::vector<uint64_t>{~uint64_t{0}}));
  EXPECT_EQ(Ints(Conv(Lit(ElementType::kS4, {-8}), ElementType::kU16)),
            (I{65528}));
}

TEST(Convert, Booleans) {
  EXPECT_EQ(Ints(Conv(Lit(ElementType::kF32, {0, -0.0, kNaN, 0.5, -3}),
                      ElementType::kPred)),
            (I{0, 0, 1, 1, 1}));
  EXPECT_EQ(Ints(Conv(Lit(ElementType::kS4, {0, -8}), ElementType::kPred)),
            (I{0, 1}));
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kPred, {0, 1}), ElementType::kBF16)),
            (D{0, 1}));
  EXPECT_EQ(Ints(Conv(Lit(ElementType::kPred, {1, 0}), ElementType::kS64)),
            (I{1, 0}));
  EXPECT_EQ(Complexes(Conv(Lit(ElementType::kPred, {1}), ElementType::kC128)),
            (std::vector<C>{{1, 0}}));
  EXPECT_EQ(
      Ints(Conv(LitC(ElementType::kC64, {{0, 1}, {2, 0}}), ElementType::kPred)),
      (I{0, 1}));
}

TEST(Convert, IntegerToFloatRoundsToNearestEvenOnce) {
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kS32, {16777217, 16777219}),
                         ElementType::kF32)),
            (D{16777216, 16777220}));
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kS32, {2049, 2051, 65519, 65520}),
                         ElementType::kF16)),
            (D{2048, 2052, 65504, kInf}));
  // 2^60 + 2^52 + 1 lies just above the bf16 midpoint 2^60 + 2^52: a single
  // rounding goes up; rounding through f64 first would tie to 2^60.
  const int64_t v = (int64_t{1} << 60) + (int64_t{1} << 52) + 1;
  EXPECT_EQ(Doubles(Conv(Typed<int64_t>(ElementType::kS64, {v, -v}),
                         ElementType::kBF16)),
            (D{std::ldexp(1.0, 60) + std::ldexp(1.0, 53),
               -(std::ldexp(1.0, 60) + std::ldexp(1.0, 53))}));
  EXPECT_EQ(Doubles(Conv(Typed<uint64_t>(ElementType::kU64, {~uint64_t{0}}),
                         ElementType::kF32)),
            (D{std::ldexp(1.0, 64)}));
  EXPECT_EQ(Doubles(Conv(Typed<int64_t>(ElementType::kS64, {INT64_MIN}),
                         ElementType::kF8E5M2)),
            (D{-kInf}));
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kS32, {17, 19, 9}),
                         ElementType::kF8E4M3FN)),
            (D{16, 20, 9}));
}

TEST(Convert, SmallFloatFormatsFollowTheirSpecialValueRules) {
  // f8E4M3 has infinities; FNUZ formats turn overflow, NaN and infinity
  // into their single NaN (0x80) and have no -0; f4 saturates.
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kF32, {300, -1.0625, 3.3}),
                         ElementType::kF8E4M3)),
            (D{kInf, -1.0, 3.25}));
  const ir::Literal fnuz = Conv(Lit(ElementType::kF32, {1e6, -0.0, -2.5, kInf}),
                                ElementType::kF8E4M3FNUZ);
  EXPECT_EQ(std::vector<uint8_t>(fnuz.data<uint8_t>().begin(),
                                 fnuz.data<uint8_t>().end()),
            (std::vector<uint8_t>{0x80, 0x00, 0xca, 0x80}));
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kF32, {7, -100, 0.2}),
                         ElementType::kF4E2M1FN)),
            (D{6, -6, 0}));
  // Back to wider types exactly; f8E3M4 to integers truncates.
  EXPECT_EQ(Doubles(Conv(Conv(Lit(ElementType::kF32, {15.5, -0.015625}),
                              ElementType::kF8E3M4),
                         ElementType::kF64)),
            (D{15.5, -0.015625}));
  EXPECT_EQ(
      Doubles(Conv(Lit(ElementType::kF8E3M4, {-2.75, 7.5}), ElementType::kS32)),
      (D{-2, 7}));
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kF8E8M0FNU, {0.5, 1024}),
                         ElementType::kF32)),
            (D{0.5, 1024}));
}

TEST(Convert, FloatToNarrowFloatRoundsOnce) {
  // 1 + 2^-11 + 2^-40: above the f16 midpoint, so rounds up to 1 + 2^-10.
  // Through f32 it would first become exactly the midpoint and tie to 1.
  const double above_tie = 1 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  EXPECT_EQ(
      Doubles(Conv(Lit(ElementType::kF64, {above_tie}), ElementType::kF16)),
      (D{1 + std::ldexp(1.0, -10)}));
  const double above_f8_tie = 1 + std::ldexp(1.0, -3) + std::ldexp(1.0, -40);
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kF64, {above_f8_tie}),
                         ElementType::kF8E5M2)),
            (D{1.25}));
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kF64, {1 + std::ldexp(1.0, -8)}),
                         ElementType::kBF16)),
            (D{1.0}));
  EXPECT_EQ(Doubles(Conv(Lit(ElementType::kF32, {1e-7, 1e5, -kInf}),
                         ElementType::kF16)),
            (D{std::ldexp(2.0, -24), kInf, -kInf}));
  // f8E4M3FN has no infinity: out-of-range values become NaN (XLA's
  // non-saturating convert), while 464 still rounds down to 448.
  D f8 = Doubles(
      Conv(Lit(ElementType::kF32, {1000, 464}), ElementType::kF8E4M3FN));
  EXPECT_TRUE(std::isnan(f8[0]));
  EXPECT_EQ(f8[1], 448);
}

TEST(Convert, WideningIsExact) {
  const D values = {0.1, -3.75, 65504, std::ldexp(1.0, -24)};
  const ir::Literal h = Lit(ElementType::kF16, values);
  EXPECT_EQ(Doubles(Conv(h, ElementType::kF32)), Doubles(h));
  EXPECT_EQ(Doubles(Conv(h, ElementType::kF64)), Doubles(h));
  const ir::Literal b = Lit(ElementType::kBF16, {1e38, -0.1});
  EXPECT_EQ(Doubles(Conv(b, ElementType::kF32)), Doubles(b));
  D n = Doubles(Conv(Lit(ElementType::kF16, {kNaN}), ElementType::kF64));
  EXPECT_TRUE(std::isnan(n[0]));
}

TEST(Convert, ComplexToRealTakesRealPart) {
  const ir::Literal z = LitC(ElementType::kC64, {{1.5, 2}, {-2.5, 7}});
  EXPECT_EQ(Doubles(Conv(z, ElementType::kF32)), (D{1.5, -2.5}));
  EXPECT_EQ(Ints(Conv(z, ElementType::kS32)), (I{1, -2}));
  EXPECT_EQ(Complexes(Conv(z, ElementType::kC128)),
            (std::vector<C>{{1.5, 2}, {-2.5, 7}}));
  EXPECT_EQ(Complexes(Conv(LitC(ElementType::kC128, {{0.1, 1e300}}),
                           ElementType::kC64)),
            (std::vector<C>{{static_cast<double>(0.1f), kInf}}));
}

TEST(Convert, ConvertIntoRejectsBadArguments) {
  EXPECT_EQ(
      ConvertInto(ElementType::kF32, ElementType::kInvalid, 1, "", nullptr)
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Convert(Lit(ElementType::kF32, {1}), ElementType::kInvalid)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BitcastConvert, SpecExampleF64ToF16) {
  absl::StatusOr<ir::Literal> r = BitcastConvert(
      Scalar(ElementType::kF64, BitsToDouble(0x0123456789ABCDEF)),
      ElementType::kF16);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{4}));
  EXPECT_EQ(Raw<uint16_t>(*r),
            (std::vector<uint16_t>{0xCDEF, 0x89AB, 0x4567, 0x0123}));
  absl::StatusOr<ir::Literal> back = BitcastConvert(*r, ElementType::kF64);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->dims(), (std::vector<int64_t>{}));
  EXPECT_EQ(DoubleBits(Doubles(*back)[0]), 0x0123456789ABCDEFu);
}

TEST(BitcastConvert, SameWidthKeepsShape) {
  absl::StatusOr<ir::Literal> r =
      BitcastConvert(Lit(ElementType::kF32, {1.0, -2.0}), ElementType::kU32);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Raw<uint32_t>(*r),
            (std::vector<uint32_t>{0x3f800000u, 0xc0000000u}));
  r = BitcastConvert(Lit(ElementType::kS4, {-1, -8, 7}), ElementType::kU4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ints(*r), (I{15, 8, 7}));
  r = BitcastConvert(Lit(ElementType::kU4, {8, 15}), ElementType::kS4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ints(*r), (I{-8, -1}));
  r = BitcastConvert(LitC(ElementType::kC64, {{1, 0}}), ElementType::kS64);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ints(*r), (I{0x3f800000}));
}

TEST(BitcastConvert, SubByteSplitAndPack) {
  absl::StatusOr<ir::Literal> r = BitcastConvert(
      Lit(ElementType::kU8, {0xA3, 0x7F}, {2}), ElementType::kS4);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(Ints(*r), (I{3, -6, -1, 7}));
  absl::StatusOr<ir::Literal> back = BitcastConvert(*r, ElementType::kU8);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(Ints(*back), (I{0xA3, 0x7F}));
  r = BitcastConvert(Lit(ElementType::kPred, {1, 0, 0, 0, 0, 0, 0, 1}, {8}),
                     ElementType::kU8);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{}));
  EXPECT_EQ(Ints(*r), (I{0x81}));
  r = BitcastConvert(Lit(ElementType::kU2, {1, 2, 3, 0}, {4}),
                     ElementType::kS8);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Ints(*r), (I{0x39}));
}

TEST(BitcastConvert, Errors) {
  absl::StatusOr<ir::Literal> r =
      BitcastConvert(Lit(ElementType::kF32, {1, 2, 3}), ElementType::kF64);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("stablehlo.bitcast_convert"),
            std::string::npos);
  r = BitcastConvert(Scalar(ElementType::kF32, 1), ElementType::kF64);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  r = BitcastConvert(Lit(ElementType::kF32, {1}), ElementType::kInvalid);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace backplane::kernels::elementwise
