// Tests of the host-side check semantics (checks.h).
#include "compiler/interpreter/checks.h"

#include <cstring>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::interpreter {
namespace {

using ::testing::HasSubstr;

ir::Literal F32(std::vector<float> values) {
  ir::Literal l(ir::TensorType(ir::ElementType::kF32,
                               {static_cast<int64_t>(values.size())}));
  std::memcpy(l.untyped_data(), values.data(), values.size() * 4);
  return l;
}

float NextUp(float f, int steps) {
  for (int i = 0; i < steps; ++i) {
    f = std::nextafter(f, std::numeric_limits<float>::infinity());
  }
  return f;
}

TEST(ChecksTest, UlpDistanceCountsAcrossZero) {
  EXPECT_EQ(UlpDistance(0x3f800000, 0x3f800003, 32), 3u);
  EXPECT_EQ(UlpDistance(0x00000000, 0x80000000, 32), 0u);  // +0 vs -0.
  EXPECT_EQ(UlpDistance(0x00000001, 0x80000001, 32), 2u);  // Smallest +-.
  EXPECT_EQ(UlpDistance(0x3c00, 0x3c01, 16), 1u);          // f16.
}

TEST(ChecksTest, ExpectEqTreatsNansAsEqualButNotSignedZeros) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(ExpectEq(F32({1, nan}), F32({1, -nan})).ok());
  EXPECT_FALSE(ExpectEq(F32({0.0f}), F32({-0.0f})).ok());
  absl::Status s = ExpectEq(F32({1, 2}), F32({1, 3}));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("index [1]: 2 (actual) vs 3 (expected)"));
  ir::Literal i32(ir::TensorType(ir::ElementType::kS32, {2}));
  EXPECT_THAT(ExpectEq(F32({1, 2}), i32).message(), HasSubstr("type"));
}

TEST(ChecksTest, ExpectCloseHonoursUlpBounds) {
  EXPECT_TRUE(ExpectClose(F32({1.0f}), F32({NextUp(1.0f, 3)}), 0, 3).ok());
  EXPECT_FALSE(ExpectClose(F32({1.0f}), F32({NextUp(1.0f, 4)}), 0, 3).ok());
  // A minimum distance makes exact equality fail.
  EXPECT_FALSE(ExpectClose(F32({1.0f}), F32({1.0f}), 1, 3).ok());
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(ExpectClose(F32({inf}), F32({inf}), 0, 3).ok());
  EXPECT_FALSE(ExpectClose(F32({inf}), F32({-inf}), 0, 3).ok());
  EXPECT_FALSE(ExpectClose(F32({3.4e38f}), F32({inf}), 0, 3).ok());
}

TEST(ChecksTest, ExpectAlmostEqUsesTheTolerance) {
  EXPECT_TRUE(ExpectAlmostEq(F32({1.0f}), F32({1.00005f})).ok());
  EXPECT_FALSE(ExpectAlmostEq(F32({1.0f}), F32({1.001f})).ok());
  EXPECT_TRUE(ExpectAlmostEq(F32({1.0f}), F32({1.001f}), 1e-2).ok());
  EXPECT_TRUE(ExpectAlmostEq(F32({1000.0f}), F32({1000.05f})).ok());
}

}  // namespace
}  // namespace backplane::interpreter
