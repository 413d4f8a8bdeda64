#include "plugins/kit/handle_table.h"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace backplane::kit {
namespace {

TEST(HandleTableTest, LookupFindsTheLiveObject) {
  HandleTable table(7);
  auto object = std::make_shared<int>(42);
  uintptr_t handle = table.Insert(HandleType::kBuffer, object);
  auto found = table.Lookup<int>(handle, HandleType::kBuffer, "buffer");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(**found, 42);
  EXPECT_EQ(found->get(), object.get());
}

TEST(HandleTableTest, StaleHandleNeverNamesTheObjectReusingItsSlot) {
  HandleTable table(7);
  uintptr_t old = table.Insert(HandleType::kBuffer, std::make_shared<int>(1));
  ASSERT_TRUE(table.Remove(old, HandleType::kBuffer, "buffer").ok());
  uintptr_t fresh = table.Insert(HandleType::kBuffer, std::make_shared<int>(2));
  EXPECT_NE(old, fresh);
  auto stale = table.Lookup<int>(old, HandleType::kBuffer, "buffer");
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(table.Remove(old, HandleType::kBuffer, "buffer").status().code(),
            absl::StatusCode::kInvalidArgument)
      << "double remove";
  auto live = table.Lookup<int>(fresh, HandleType::kBuffer, "buffer");
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(**live, 2);
}

TEST(HandleTableTest, WrongTypeNullAndForeignValuesAreRejected) {
  HandleTable table(7);
  uintptr_t handle = table.Insert(HandleType::kEvent, std::make_shared<int>(1));
  EXPECT_FALSE(table.Lookup<int>(handle, HandleType::kBuffer, "b").ok());
  EXPECT_FALSE(table.Lookup<int>(0, HandleType::kEvent, "e").ok());
  int on_stack = 0;
  EXPECT_FALSE(table
                   .Lookup<int>(reinterpret_cast<uintptr_t>(&on_stack),
                                HandleType::kEvent, "e")
                   .ok());
  // The same slot and type in a table with other generations.
  HandleTable other(12345);
  EXPECT_FALSE(other.Lookup<int>(handle, HandleType::kEvent, "e").ok());
}

TEST(HandleTableTest, BorrowedEntriesDieWithTheirOwner) {
  HandleTable table(7);
  auto owner = std::make_shared<int>(5);
  uintptr_t handle =
      table.InsertBorrowed(HandleType::kDevice, owner.get(), owner);
  ASSERT_TRUE(table.Lookup<int>(handle, HandleType::kDevice, "device").ok());
  owner.reset();
  EXPECT_EQ(
      table.Lookup<int>(handle, HandleType::kDevice, "device").status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(HandleTableTest, LookupKeepsTheObjectAliveAfterRemove) {
  HandleTable table(7);
  auto object = std::make_shared<int>(9);
  std::weak_ptr<int> watch = object;
  uintptr_t handle = table.Insert(HandleType::kBuffer, std::move(object));
  auto held = table.Lookup<int>(handle, HandleType::kBuffer, "buffer");
  ASSERT_TRUE(held.ok());
  auto removed = table.Remove(handle, HandleType::kBuffer, "buffer");
  ASSERT_TRUE(removed.ok());
  removed->reset();
  EXPECT_FALSE(watch.expired());
  held->reset();
  EXPECT_TRUE(watch.expired());
  EXPECT_EQ(table.size(), 0u);
}

TEST(HandleTableTest, ASlotWhoseGenerationWouldRepeatIsRetired) {
  // Start one step before the wrap so the second removal comes round.
  HandleTable table(0xFFFFFFFFu);
  uintptr_t first = table.Insert(HandleType::kBuffer, std::make_shared<int>(1));
  ASSERT_TRUE(table.Remove(first, HandleType::kBuffer, "b").ok());
  uintptr_t second =
      table.Insert(HandleType::kBuffer, std::make_shared<int>(2));
  EXPECT_NE(first, second);
  EXPECT_FALSE(table.Lookup<int>(first, HandleType::kBuffer, "b").ok());
}

TEST(HandleTableTest, ManyHandlesStayDistinctAndFreedSlotsAreReused) {
  HandleTable table(7);
  std::vector<uintptr_t> handles;
  for (int i = 0; i < 2000; ++i) {
    handles.push_back(
        table.Insert(HandleType::kBuffer, std::make_shared<int>(i)));
  }
  EXPECT_EQ(table.size(), 2000u);
  for (int i = 0; i < 2000; ++i) {
    auto found = table.Lookup<int>(handles[i], HandleType::kBuffer, "b");
    ASSERT_TRUE(found.ok()) << i;
    ASSERT_EQ(**found, i);
  }
  for (int i = 0; i < 2000; i += 2) {
    ASSERT_TRUE(table.Remove(handles[i], HandleType::kBuffer, "b").ok());
  }
  // Freed slots are reused before new ones are made; stale handles fail.
  for (int i = 0; i < 1000; ++i) {
    uintptr_t fresh =
        table.Insert(HandleType::kBuffer, std::make_shared<int>(-i));
    EXPECT_LT((fresh & 0xFFFFFFFFu) >> 4, 2000u);
  }
  for (int i = 0; i < 2000; ++i) {
    EXPECT_EQ(table.Lookup<int>(handles[i], HandleType::kBuffer, "b").ok(),
              i % 2 == 1)
        << i;
  }
  EXPECT_EQ(table.size(), 2000u);
}

TEST(HandleTableTest, ConcurrentInsertLookupRemoveNeverConfuseObjects) {
  // Each thread inserts objects holding its id and a sequence number, looks
  // them up, removes them and checks that the stale handle fails, while the
  // others reuse the same slots. Run under --config=tsan as well.
  HandleTable table(7);
  constexpr int kThreads = 8;
  constexpr int kRounds = 20000;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&table, &wrong, t] {
      for (int i = 0; i < kRounds; ++i) {
        const int value = t * kRounds + i;
        uintptr_t handle =
            table.Insert(HandleType::kEvent, std::make_shared<int>(value));
        auto found = table.Lookup<int>(handle, HandleType::kEvent, "e");
        if (!found.ok() || **found != value) wrong.fetch_add(1);
        if (!table.Remove(handle, HandleType::kEvent, "e").ok()) {
          wrong.fetch_add(1);
        }
        if (table.Lookup<int>(handle, HandleType::kEvent, "e").ok()) {
          wrong.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(table.size(), 0u);
}

}  // namespace
}  // namespace backplane::kit
