#include "base/cancellation.h"

#include <chrono>

#include "gtest/gtest.h"

namespace backplane::base {
namespace {

TEST(CancellationTest, NeverExpiresWithoutDeadline) {
  Cancellation c;
  EXPECT_TRUE(c.Check().ok());
  EXPECT_TRUE(CheckCancellation(nullptr).ok());
}

TEST(CancellationTest, CancelIsCancelled) {
  Cancellation c(Cancellation::Clock::now() + std::chrono::hours(1));
  EXPECT_TRUE(c.Check().ok());
  c.Cancel();
  EXPECT_EQ(c.Check().code(), absl::StatusCode::kCancelled);
}

TEST(CancellationTest, PastDeadlineIsDeadlineExceeded) {
  Cancellation c(Cancellation::Clock::now() - std::chrono::milliseconds(1));
  absl::Status s = c.Check();
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE(s.message().find("deadline"), absl::string_view::npos);
}

TEST(CancellationTest, ScopedCancellationInstallsAndRestores) {
  Cancellation outer, inner;
  EXPECT_EQ(CurrentCancellation(), nullptr);
  {
    ScopedCancellation a(&outer);
    EXPECT_EQ(CurrentCancellation(), &outer);
    {
      ScopedCancellation b(&inner);
      EXPECT_EQ(CurrentCancellation(), &inner);
    }
    EXPECT_EQ(CurrentCancellation(), &outer);
  }
  EXPECT_EQ(CurrentCancellation(), nullptr);
}

}  // namespace
}  // namespace backplane::base
