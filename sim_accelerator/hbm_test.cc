#include "sim_accelerator/hbm.h"

#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::sim {
namespace {

using ::testing::HasSubstr;

TEST(HbmSpaceTest, ReservesRoundedAndReleases) {
  HbmSpace hbm("sim:0", 1024);
  {
    absl::StatusOr<HbmReservation> a = hbm.Reserve(1, "a");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->bytes(), kHbmGranule);
    EXPECT_EQ(hbm.stats().bytes_in_use, kHbmGranule);
    HbmReservation moved = *std::move(a);
    EXPECT_EQ(hbm.stats().bytes_in_use, kHbmGranule);
  }
  EXPECT_EQ(hbm.stats().bytes_in_use, 0);
  EXPECT_EQ(hbm.stats().peak_bytes_in_use, kHbmGranule);
  EXPECT_EQ(hbm.stats().num_allocs, 1);
}

TEST(HbmSpaceTest, FullIsResourceExhaustedWithSizesAndChangesNothing) {
  HbmSpace hbm("sim:3", 1024);
  absl::StatusOr<HbmReservation> a = hbm.Reserve(768, "first");
  ASSERT_TRUE(a.ok());
  absl::StatusOr<HbmReservation> b = hbm.Reserve(300, "a buffer of f32[75]");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(b.status().message(), HasSubstr("sim:3"));
  EXPECT_THAT(b.status().message(), HasSubstr("a buffer of f32[75] needs 300"));
  EXPECT_THAT(b.status().message(), HasSubstr("256 of 1024 bytes are free"));
  EXPECT_EQ(hbm.stats().bytes_in_use, 768);
  EXPECT_TRUE(hbm.Reserve(256, "fits").ok());
  // Huge requests do not overflow.
  EXPECT_FALSE(hbm.Reserve(int64_t{1} << 62, "huge").ok());
  EXPECT_FALSE(hbm.Reserve(-1, "negative").ok());
}

}  // namespace
}  // namespace backplane::sim
