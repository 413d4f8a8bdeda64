// Family Event: framework-created events, await, on_ready semantics.
#include <atomic>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::HasSubstr;

class Events : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (!HasCapability("framework_events")) {
      GTEST_SKIP() << "plugin does not declare capability 'framework_events'";
    }
  }
};

TEST_F(Events, CreatedEventIsPendingUntilSet) {
  auto event = Event::Create(GetPlugin().api());
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_FALSE(*event->IsReady());
  EXPECT_TRUE(event->status().ok());
  ASSERT_TRUE(event->Set(absl::OkStatus()).ok());
  EXPECT_TRUE(*event->IsReady());
  EXPECT_TRUE(event->Await().ok());
}

TEST_F(Events, SetTwiceIsFailedPrecondition) {
  auto event = Event::Create(GetPlugin().api());
  ASSERT_TRUE(event.ok());
  ASSERT_TRUE(event->Set(absl::OkStatus()).ok());
  EXPECT_EQ(event->Set(absl::OkStatus()).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(Events, ErrorCodeAndMessageArePreserved) {
  auto event = Event::Create(GetPlugin().api());
  ASSERT_TRUE(event.ok());
  ASSERT_TRUE(event->Set(absl::ResourceExhaustedError("out of tokens")).ok());
  absl::Status awaited = event->Await();
  EXPECT_EQ(awaited.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(awaited.message(), HasSubstr("out of tokens"));
  EXPECT_EQ(event->status().code(), absl::StatusCode::kResourceExhausted);
}

TEST_F(Events, OnReadyRunsExactlyOnceBeforeAndAfterCompletion) {
  auto event = Event::Create(GetPlugin().api());
  ASSERT_TRUE(event.ok());
  std::atomic<int> before{0}, after{0};
  absl::Status seen;
  ASSERT_TRUE(event
                  ->OnReady([&](absl::Status s) {
                    seen = s;
                    ++before;
                  })
                  .ok());
  EXPECT_EQ(before.load(), 0);
  ASSERT_TRUE(event->Set(absl::CancelledError("stop")).ok());
  EXPECT_EQ(before.load(), 1);
  EXPECT_EQ(seen.code(), absl::StatusCode::kCancelled);
  ASSERT_TRUE(event->OnReady([&](absl::Status) { ++after; }).ok());
  EXPECT_EQ(after.load(), 1);  // At once, on this thread.
  EXPECT_EQ(before.load(), 1);
}

TEST_F(Events, AwaitWakesWhenAnotherThreadSets) {
  auto event = Event::Create(GetPlugin().api());
  ASSERT_TRUE(event.ok());
  std::thread setter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(event->Set(absl::OkStatus()).ok());
  });
  EXPECT_TRUE(AwaitWithTimeout(*event).ok());
  setter.join();
}

TEST_F(Events, PluginEventsCannotBeSetByTheFramework) {
  Buffer x = Upload<float>({1}, {1});
  auto ready = x.ReadyEvent();
  ASSERT_TRUE(ready.ok());
  EXPECT_FALSE(ready->Set(absl::OkStatus()).ok());
}

TEST_F(Events, TransferWaitsForFrameworkEvent) {
  std::vector<float> host = {1, 2, 3};
  auto gate = Event::Create(GetPlugin().api());
  ASSERT_TRUE(gate.ok());
  BufferFromHostOptions options;
  options.semantics = BPL_HOST_BUFFER_IMMUTABLE_UNTIL_TRANSFER_COMPLETES;
  options.wait_events = {&*gate};
  auto result = client_.BufferFromHost(
      host.data(), Shape{BPL_ELEMENT_TYPE_F32, {3}}, device_, options);
  ASSERT_TRUE(result.ok()) << result.status();
  // The data only becomes valid now.
  host = {4, 5, 6};
  ASSERT_TRUE(gate->Set(absl::OkStatus()).ok());
  EXPECT_EQ(Download<float>(result->buffer), (std::vector<float>{4, 5, 6}));
}

TEST_F(Events, CopyDuringCallCannotWaitForEvents) {
  float host[1] = {1};
  auto gate = Event::Create(GetPlugin().api());
  ASSERT_TRUE(gate.ok());
  BufferFromHostOptions options;
  options.wait_events = {&*gate};
  auto result = client_.BufferFromHost(host, Shape{BPL_ELEMENT_TYPE_F32, {1}},
                                       device_, options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace backplane::conformance
