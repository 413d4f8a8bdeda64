#include "compiler/kernels/elementwise/reduce_precision.h"

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
