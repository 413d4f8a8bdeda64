#include "base/stack.h"

#include <pthread.h>

#include <cstddef>

#include "gtest/gtest.h"

namespace backplane::base {
namespace {

// Recurses until less than `keep` bytes remain; returns the depth reached.
// The volatile buffer gives each frame a real size.
int RecurseUntil(size_t keep, int depth) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth);
  if (RemainingStackBytes() < keep) return depth + frame[0] * 0;
  return RecurseUntil(keep, depth + 1) + frame[1023] * 0;
}

TEST(StackTest, RemainingShrinksAsFramesGrowAndStopsInTime) {
  const size_t top = RemainingStackBytes();
  EXPECT_GT(top, size_t{64} << 10);
  EXPECT_LT(top, size_t{1} << 40);  // Bounds were read, not SIZE_MAX.
  // Recursing to the reserve on this thread ends without overflowing.
  EXPECT_GT(RecurseUntil(kStackReserveBytes, 0), 0);
}

void* SmallStackThread(void* out) {
  *static_cast<size_t*>(out) = RemainingStackBytes();
  RecurseUntil(64 << 10, 0);
  return nullptr;
}

TEST(StackTest, ReadsEachThreadsOwnStack) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, size_t{4} << 20), 0);
  size_t remaining = 0;
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, &SmallStackThread, &remaining), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_LE(remaining, size_t{4} << 20);
  EXPECT_GT(remaining, size_t{3} << 20);
}

}  // namespace
}  // namespace backplane::base
