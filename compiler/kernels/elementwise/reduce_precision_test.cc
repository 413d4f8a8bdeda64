#include "compiler/kernels/elementwise/reduce_precision.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "compiler/ir/float16.h"
#include "compiler/kernels/elementwise/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::elementwise {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::kernels::elementwise::testing::Doubles;
using ::backplane::kernels::elementwise::testing::Lit;
using ::backplane::kernels::elementwise::testing::Raw;
using ::backplane::kernels::elementwise::testing::Typed;
using D = std::vector<double>;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<float> FromBits(const std::vector<uint32_t>& bits) {
  std::vector<float> out;
  for (uint32_t b : bits) out.push_back(ir::BitsToFloat(b));
  return out;
}

TEST(ReducePrecision, SpecExample) {
  const ir::Literal x = Typed<float>(
      ElementType::kF32,
      FromBits({0xFF800000u, 0x7F800000u, 0x7FFFFFFFu, 0u,
                ir::FloatBits(1000.0f), ir::FloatBits(1000000.0f)}));
  absl::StatusOr<ir::Literal> r = ReducePrecision(x, 5, 2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Raw<uint32_t>(*r),
            (std::vector<uint32_t>{0xFF800000u, 0x7F800000u, 0x7FFFFFFFu, 0u,
                                   ir::FloatBits(1024.0f), 0x7F800000u}));
}

TEST(ReducePrecision, MatchesBF16AndF16RoundingOnF32) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<uint32_t> bits;
  std::vector<float> values;
  for (int i = 0; i < 20000; ++i) {
    const float f = ir::BitsToFloat(bits(rng));
    if (!std::isnan(f)) values.push_back(f);
  }
  const ir::Literal x = Typed<float>(ElementType::kF32, values);
  absl::StatusOr<ir::Literal> bf = ReducePrecision(x, 8, 7);
  ASSERT_TRUE(bf.ok());
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(bf->data<float>()[i], ir::BF16ToFloat(ir::FloatToBF16(values[i])))
        << values[i];
  }
  absl::StatusOr<ir::Literal> h = ReducePrecision(x, 5, 10);
  ASSERT_TRUE(h.ok());
  for (size_t i = 0; i < values.size(); ++i) {
    const float a = std::fabs(values[i]);
    if (a < std::ldexp(1.0f, -14)) {
      ASSERT_EQ(h->data<float>()[i], 0.0f) << "f16 subnormals flush";
      ASSERT_EQ(std::signbit(h->data<float>()[i]), std::signbit(values[i]));
    } else {
      ASSERT_EQ(h->data<float>()[i],
                ir::HalfToFloat(ir::FloatToHalf(values[i])))
          << values[i];
    }
  }
}

TEST(ReducePrecision, NarrowAndWideTypes) {
  // f16 keeps its own subnormals when the format is unchanged.
  absl::StatusOr<ir::Literal> r = ReducePrecision(
      Lit(ElementType::kF16, {std::ldexp(1.0, -24), 3.14}), 5, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Doubles(*r),
            Doubles(Lit(ElementType::kF16, {std::ldexp(1.0, -24), 3.14})));
  // Zero mantissa bits: ties go to the even exponent.
  r = ReducePrecision(Lit(ElementType::kBF16, {1.5, 3, -1.4}), 8, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Doubles(*r), (D{2, 2, -1}));
  r = ReducePrecision(Lit(ElementType::kF64, {1 + 1e-10, 1e300}), 8, 23);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Doubles(*r), (D{1, kInf}));
  r = ReducePrecision(Lit(ElementType::kF8E5M2, {1.25, 57344}), 5, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Doubles(*r), (D{1, kInf}));
  // f8E4M3FN goes through f32; its top binade (256..448) lies beyond an
  // IEEE 4-bit exponent, so only a 5-bit exponent keeps 448.
  r = ReducePrecision(Lit(ElementType::kF8E4M3FN, {1.125, 448}), 5, 2);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Doubles(*r), (D{1, 448}));
  r = ReducePrecision(Lit(ElementType::kF8E4M3FN, {448}), 4, 3);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isnan(Doubles(*r)[0]));
}

// The spec's definition, on values: round to `m` mantissa bits (ties to
// even) at the value's binade, on the reduced format's subnormal grid when
// the exponent is not reduced; then overflow to infinity and underflow to
// zero (the reduced format's subnormals flush, as XLA does) when it is.
//
// Ties go to the even last kept bit of the encoding: with m = 0 that is the
// exponent's, so 3 = 1.5 * 2^1 goes to 2 (biased exponent even) and 0.75 to
// 0.5. NaN stays NaN, except that a format with no mantissa bits has none
// and gives +infinity.
double ReferenceReduce(double v, int src_e, int src_m, int e, int m) {
  if (std::isnan(v)) return m == 0 ? kInf : v;
  if (std::isinf(v) || v == 0) return v;
  const double a = std::fabs(v);
  const int src_bias = (1 << (src_e - 1)) - 1;
  double q = a;
  if (m < src_m) {
    int binade = std::ilogb(a);
    if (e >= src_e) binade = std::max(binade, 1 - src_bias);
    // Scaling by powers of two is exact here (no overflow or underflow).
    const double scaled = std::ldexp(a, m - binade);
    double units = std::nearbyint(scaled);
    const bool normal = std::ilogb(a) >= 1 - src_bias;
    if (m == 0 && normal && scaled - std::floor(scaled) == 0.5) {
      // Between 2^binade and 2^(binade+1): the even biased exponent wins.
      units = (binade + src_bias) % 2 == 0 ? std::floor(scaled) : 2;
    }
    q = std::ldexp(units, binade - m);
  }
  if (e < src_e) {
    const int emax = (1 << (e - 1)) - 1;
    const int emin = 1 - emax;
    const double largest = std::ldexp(2.0 - std::ldexp(1.0, -m), emax);
    if (q > largest) q = kInf;
    if (q < std::ldexp(1.0, emin)) q = 0;
  }
  return std::copysign(q, v);
}

// Every exponent width 1..src+1 and mantissa width 0..src+1 on `values`,
// against ReferenceReduce computed in double (exact for these sources).
void ExpectReferenceOn(ElementType type, int src_e, int src_m,
                       const std::vector<double>& values) {
  const ir::Literal x = Lit(type, values);
  const std::vector<double> exact = Doubles(x);
  for (int e = 1; e <= src_e + 1; ++e) {
    for (int m = 0; m <= src_m + 1; ++m) {
      absl::StatusOr<ir::Literal> r = ReducePrecision(x, e, m);
      ASSERT_TRUE(r.ok()) << r.status();
      const std::vector<double> got = Doubles(*r);
      for (size_t i = 0; i < exact.size(); ++i) {
        const double want = ReferenceReduce(exact[i], src_e, src_m, e, m);
        if (std::isnan(want)) {
          ASSERT_TRUE(std::isnan(got[i]))
              << "NaN stays NaN: " << ir::ElementTypeToMlir(type) << " e" << e
              << "m" << m << " gave " << got[i];
          continue;
        }
        if (std::isnan(exact[i])) {
          ASSERT_EQ(got[i], kInf) << "m = 0 has no NaN";
          continue;
        }
        // The source format's own overflow (a carry out of its largest
        // binade) is infinity too.
        const double in_type = Doubles(Lit(type, {want}))[0];
        ASSERT_EQ(got[i], in_type) << ir::ElementTypeToMlir(type) << " e" << e
                                   << "m" << m << " of " << exact[i];
        ASSERT_EQ(std::signbit(got[i]), std::signbit(exact[i]));
      }
    }
  }
}

std::vector<double> AllHalfValues(bool bf16) {
  std::vector<double> values;
  // Every fifth encoding (all exponents, mantissas of every residue), so
  // the sweep stays fast in unoptimised builds.
  for (uint32_t bits = 0; bits < 0x10000; bits += 5) {
    values.push_back(bf16 ? ir::BF16ToFloat(static_cast<uint16_t>(bits))
                          : ir::HalfToFloat(static_cast<uint16_t>(bits)));
  }
  return values;
}

TEST(ReducePrecision, EveryWidthOnEveryF16AndBF16ValueMatchesTheReference) {
  ExpectReferenceOn(ElementType::kF16, 5, 10, AllHalfValues(false));
  ExpectReferenceOn(ElementType::kBF16, 8, 7, AllHalfValues(true));
}

TEST(ReducePrecision, EveryWidthOnF32AndF64SamplesMatchesTheReference) {
  std::mt19937_64 rng(11);
  std::vector<double> f32, f64;
  for (int i = 0; i < 3000; ++i) {
    const uint64_t bits = rng();
    f32.push_back(ir::BitsToFloat(static_cast<uint32_t>(bits)));
    double d;
    std::memcpy(&d, &bits, sizeof(d));
    f64.push_back(d);
  }
  // Edges: the largest finite values, just below and at the halfway
  // points of narrow formats, subnormals, infinities, NaN.
  for (double v :
       {std::numeric_limits<double>::max(), 65504.0, 65519.0, 65520.0, 1.5,
        1.75, 3.0, 0.75, 1e-310, 5e-324, -0.0, kInf, -kInf, std::nan("")}) {
    f64.push_back(v);
    f64.push_back(-v);
    f32.push_back(static_cast<float>(v));
  }
  f32.push_back(std::numeric_limits<float>::max());
  f32.push_back(std::numeric_limits<float>::denorm_min());
  ExpectReferenceOn(ElementType::kF32, 8, 23, f32);
  ExpectReferenceOn(ElementType::kF64, 11, 52, f64);
}

TEST(ReducePrecision, ZeroMantissaBitsOnF64RoundsPastTheLargestToInfinity) {
  // e5m0: finite values are powers of two up to 2^15. 1.75 * 2^15 rounds up
  // to 2^16, past the largest, so to infinity; 1.5 * 2^15 is a tie that
  // goes to the even biased exponent (1023 + 15), so 2^15 stays; 3 =
  // 1.5 * 2^1 goes to 2 (biased exponent 1024).
  absl::StatusOr<ir::Literal> r = ReducePrecision(
      Lit(ElementType::kF64,
          {std::ldexp(1.4, 15), std::ldexp(1.75, 15), -std::ldexp(1.9, 15),
           std::nan(""), 3.0, std::ldexp(1.0, -15), std::ldexp(1.5, 15)}),
      5, 0);
  ASSERT_TRUE(r.ok());
  const std::vector<double> got = Doubles(*r);
  EXPECT_EQ(got[0], std::ldexp(1.0, 15));
  EXPECT_EQ(got[1], kInf);
  EXPECT_EQ(got[2], -kInf);
  EXPECT_EQ(got[3], kInf) << "no NaN without mantissa bits";
  EXPECT_EQ(got[4], 2.0);
  EXPECT_EQ(got[5], 0.0) << "below the smallest normal 2^-14";
  EXPECT_EQ(got[6], std::ldexp(1.0, 15));
}

TEST(ReducePrecision, Errors) {
  absl::StatusOr<ir::Literal> r =
      ReducePrecision(Lit(ElementType::kF32, {1}), 0, 3);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("exponent_bits"), std::string::npos);
  r = ReducePrecision(Lit(ElementType::kF32, {1}), 3, -1);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  r = ReducePrecision(Lit(ElementType::kS32, {1}), 3, 1);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("stablehlo.reduce_precision"),
            std::string::npos);
}

}  // namespace
}  // namespace backplane::kernels::elementwise
