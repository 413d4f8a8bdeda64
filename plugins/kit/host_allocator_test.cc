#include "plugins/kit/host_allocator.h"

#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace backplane::kit {
namespace {

constexpr size_t kMiB = size_t{1} << 20;

TEST(HostAllocatorTest, ReleasedLargeBlockIsReusedForTheSameSize) {
  HostAllocator allocator(64 * kMiB);
  void* first = allocator.Allocate(8 * kMiB);
  ASSERT_NE(first, nullptr);
  std::memset(first, 1, 8 * kMiB);
  allocator.Free(first, 8 * kMiB);
  EXPECT_EQ(allocator.cached_bytes(), 8 * kMiB);
  // A slightly different size rounds to the same whole huge pages.
  void* again = allocator.Allocate(8 * kMiB - 100);
  EXPECT_EQ(again, first);
  EXPECT_EQ(allocator.cached_bytes(), 0u);
  allocator.Free(again, 8 * kMiB - 100);
}

TEST(HostAllocatorTest, SmallBlocksAreNotCachedAndAllAreAligned) {
  HostAllocator allocator(64 * kMiB);
  for (size_t bytes : {size_t{0}, size_t{1}, size_t{100}, 3 * kMiB + 7}) {
    void* data = allocator.Allocate(bytes);
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(data) % 64, 0u) << bytes;
    allocator.Free(data, bytes);
  }
  EXPECT_EQ(allocator.cached_bytes(), 4 * kMiB);  // Only the large one.
}

TEST(HostAllocatorTest, CacheStaysWithinItsLimitAndTrimEmptiesIt) {
  HostAllocator allocator(10 * kMiB);
  void* a = allocator.Allocate(6 * kMiB);
  void* b = allocator.Allocate(6 * kMiB);
  allocator.Free(a, 6 * kMiB);
  allocator.Free(b, 6 * kMiB);  // Would exceed 10 MiB: freed.
  EXPECT_EQ(allocator.cached_bytes(), 6 * kMiB);
  allocator.Trim();
  EXPECT_EQ(allocator.cached_bytes(), 0u);
}

TEST(HostAllocatorTest, ConcurrentUseIsSafe) {
  HostAllocator allocator(32 * kMiB);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&allocator, t] {
      for (int i = 0; i < 50; ++i) {
        const size_t bytes = (1 + (i + t) % 3) * 2 * kMiB;
        auto* data = static_cast<char*>(allocator.Allocate(bytes));
        ASSERT_NE(data, nullptr);
        data[0] = static_cast<char>(i);
        data[bytes - 1] = static_cast<char>(t);
        allocator.Free(data, bytes);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(allocator.cached_bytes(), 32 * kMiB);
}

}  // namespace
}  // namespace backplane::kit
