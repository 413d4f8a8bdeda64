// Family Cancellation (ABI 1.2): execution deadlines and
// BPL_Executable_Cancel. A `while (true)` program given a deadline completes
// with DEADLINE_EXCEEDED and the device then runs another program; a
// cancelled execution completes with CANCELLED. A plugin that cannot honour
// them must say so with UNIMPLEMENTED (then these tests skip), never ignore
// them.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::ElementsAre;

// Loops until the end of time for any %n >= 0 (the condition is not a
// constant, so no compiler can fold the loop away).
constexpr char kForever[] = R"(
func.func @main(%n: tensor<i32>) -> tensor<i32> {
  %zero = stablehlo.constant dense<0> : tensor<i32>
  %one = stablehlo.constant dense<1> : tensor<i32>
  %r = stablehlo.while(%i = %zero) : tensor<i32>
    cond {
      %c = stablehlo.compare GE, %n, %zero, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    } do {
      %i2 = stablehlo.add %i, %one : tensor<i32>
      stablehlo.return %i2 : tensor<i32>
    }
  return %r : tensor<i32>
})";

class Cancellation : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (!HasCapability("execute")) {
      GTEST_SKIP() << "plugin does not declare capability 'execute'";
    }
    if (GetPlugin().abi_minor() < 2) {
      GTEST_SKIP() << "plugin implements ABI 1." << GetPlugin().abi_minor()
                   << "; deadlines and cancellation are 1.2";
    }
  }

  // Skips the test when the executable answers UNIMPLEMENTED to Cancel (the
  // documented way to say "not supported"); any other error fails.
  bool SupportsCancel(const Executable& exe) {
    absl::Status probe = exe.Cancel();
    if (probe.code() == absl::StatusCode::kUnimplemented) return false;
    EXPECT_TRUE(probe.ok()) << "Cancel with nothing running: " << probe;
    return true;
  }

  void ExpectDeviceStillRuns() {
    Executable add = CompileOrDie(kAddProgram);
    Buffer a = Upload<float>({1, 2, 3, 4}, {4});
    auto out = add.ExecuteOnOneDevice({&a, &a});
    ASSERT_TRUE(out.ok()) << "after the stopped execution: " << out.status();
    EXPECT_THAT(Download<float>((*out)[0]), ElementsAre(2, 4, 6, 8));
  }
};

TEST_F(Cancellation, WhileTrueWithDeadlineIsDeadlineExceeded) {
  Executable exe = CompileOrDie(kForever);
  if (!SupportsCancel(exe)) GTEST_SKIP() << "Cancel is UNIMPLEMENTED";
  Buffer n = Upload<int32_t>({0}, {});
  ExecuteOptions options;
  options.deadline_ns = 200 * 1000 * 1000;  // 200 ms.
  const auto start = std::chrono::steady_clock::now();
  auto result = exe.Execute({{&n}}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  absl::Status done = AwaitWithTimeout(result->device_done[0]);
  EXPECT_EQ(done.code(), absl::StatusCode::kDeadlineExceeded) << done;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10))
      << "the deadline was noticed late";
  auto ready = result->outputs[0][0].ReadyEvent();
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(AwaitWithTimeout(*ready).code(),
            absl::StatusCode::kDeadlineExceeded);
  ExpectDeviceStillRuns();
}

TEST_F(Cancellation, DeadlineThatIsNotReachedChangesNothing) {
  Executable exe = CompileOrDie(kAddProgram);
  if (!SupportsCancel(exe)) GTEST_SKIP() << "Cancel is UNIMPLEMENTED";
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  ExecuteOptions options;
  options.deadline_ns = int64_t{60} * 1000 * 1000 * 1000;
  auto result = exe.Execute({{&a, &a}}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(AwaitWithTimeout(result->device_done[0]).ok());
  EXPECT_THAT(Download<float>(result->outputs[0][0]), ElementsAre(2, 4, 6, 8));
}

TEST_F(Cancellation, NegativeDeadlineIsInvalidArgument) {
  Executable exe = CompileOrDie(kAddProgram);
  if (!SupportsCancel(exe)) GTEST_SKIP() << "Cancel is UNIMPLEMENTED";
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  ExecuteOptions options;
  options.deadline_ns = -1;
  auto result = exe.Execute({{&a, &a}}, options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
      << result.status();
}

TEST_F(Cancellation, CancelEndsARunningWhileTrue) {
  REQUIRE_CAPABILITY("framework_events");
  Executable exe = CompileOrDie(kForever);
  if (!SupportsCancel(exe)) GTEST_SKIP() << "Cancel is UNIMPLEMENTED";
  Buffer n = Upload<int32_t>({0}, {});
  auto gate = Event::Create(GetPlugin().api());
  ASSERT_TRUE(gate.ok()) << gate.status();
  ExecuteOptions options;
  options.wait_events = {&*gate};
  auto result = exe.Execute({{&n}}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  // Plugins may run the execution on the thread that completes its last
  // input: open the gate on a thread of its own.
  std::thread opener([&] { gate->Set(absl::OkStatus()).IgnoreError(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(exe.Cancel().ok());
  absl::Status done = AwaitWithTimeout(result->device_done[0]);
  opener.join();
  EXPECT_EQ(done.code(), absl::StatusCode::kCancelled) << done;
  ExpectDeviceStillRuns();
  // Cancel reaches only executions started before it.
  Buffer zero = Upload<int32_t>({0}, {});
  ExecuteOptions later;
  later.deadline_ns = 100 * 1000 * 1000;
  auto next = exe.Execute({{&zero}}, later);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(AwaitWithTimeout(next->device_done[0]).code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST_F(Cancellation, CancelBeforeTheInputsAreReady) {
  REQUIRE_CAPABILITY("framework_events");
  Executable exe = CompileOrDie(kAddProgram);
  if (!SupportsCancel(exe)) GTEST_SKIP() << "Cancel is UNIMPLEMENTED";
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  auto gate = Event::Create(GetPlugin().api());
  ASSERT_TRUE(gate.ok()) << gate.status();
  ExecuteOptions options;
  options.wait_events = {&*gate};
  auto result = exe.Execute({{&a, &a}}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(exe.Cancel().ok());
  ASSERT_TRUE(gate->Set(absl::OkStatus()).ok());
  EXPECT_EQ(AwaitWithTimeout(result->device_done[0]).code(),
            absl::StatusCode::kCancelled);
  // A new execution of the same executable runs normally.
  auto again = exe.ExecuteOnOneDevice({&a, &a});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(Download<float>((*again)[0]), ElementsAre(2, 4, 6, 8));
}

}  // namespace
}  // namespace backplane::conformance
