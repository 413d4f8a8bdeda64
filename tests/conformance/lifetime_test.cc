// Family Lifetime: what the framework destroys while work is pending. An
// event's callbacks may destroy it; a run keeps its executable, arguments
// (donated ones too) and client alive until it completes; a framework event
// destroyed before it is set completes the runs waiting on it with
// CANCELLED. Each test runs in a forked child, so a crash or a hang fails
// the test instead of ending the suite.
#include <atomic>
#include <memory>
#include <type_traits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::ElementsAre;

// Keeps a C++ wrapper from destroying its handle (the test destroys it
// through the C ABI; in a child process, so nothing leaks).
template <typename T>
void Forget(T&& wrapper) {
  new std::decay_t<T>(std::move(wrapper));
}

class Lifetime : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (!HasCapability("framework_events")) {
      GTEST_SKIP() << "plugin does not declare capability 'framework_events'";
    }
  }
};

struct CallbackState {
  BPL_Event* event = nullptr;
  std::atomic<int> destroyer_ran{0};
  std::atomic<int> later_ran{0};
};

void DestroyingCallback(const BPL_Error*, void* arg) {
  auto* state = static_cast<CallbackState*>(arg);
  BPL_Event_Destroy_Args destroy{};
  destroy.struct_size = BPL_Event_Destroy_Args_STRUCT_SIZE;
  destroy.event = state->event;
  EXPECT_EQ(TakeErrorCode(Api()->Event_Destroy(&destroy)), BPL_CODE_OK);
  ++state->destroyer_ran;
}

void CountingCallback(const BPL_Error* error, void* arg) {
  EXPECT_EQ(error, nullptr);
  ++static_cast<CallbackState*>(arg)->later_ran;
}

TEST_F(Lifetime, OnReadyCallbackMayDestroyTheEvent) {
  IsolatedResult result = RunIsolated([&] {
    auto event = Event::Create(GetPlugin().api());
    ASSERT_TRUE(event.ok()) << event.status();
    CallbackState state;
    state.event = event->get();
    Forget(*std::move(event));
    BPL_Event_OnReady_Args on_ready{};
    on_ready.struct_size = BPL_Event_OnReady_Args_STRUCT_SIZE;
    on_ready.event = state.event;
    on_ready.callback = &DestroyingCallback;
    on_ready.user_arg = &state;
    ASSERT_EQ(TakeErrorCode(Api()->Event_OnReady(&on_ready)), BPL_CODE_OK);
    on_ready.callback = &CountingCallback;
    ASSERT_EQ(TakeErrorCode(Api()->Event_OnReady(&on_ready)), BPL_CODE_OK);
    BPL_Event_Set_Args set{};
    set.struct_size = BPL_Event_Set_Args_STRUCT_SIZE;
    set.event = state.event;
    EXPECT_EQ(TakeErrorCode(Api()->Event_Set(&set)), BPL_CODE_OK)
        << "Event_Set whose first callback destroyed the event";
    EXPECT_EQ(state.destroyer_ran.load(), 1);
    EXPECT_EQ(state.later_ran.load(), 1)
        << "the callbacks after the destroying one must still run";
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(Lifetime, RunKeepsExecutableAndArgumentsAlive) {
  IsolatedResult result = RunIsolated([&] {
    auto gate = Event::Create(GetPlugin().api());
    ASSERT_TRUE(gate.ok()) << gate.status();
    auto exe = std::make_unique<Executable>(CompileOrDie(kAddProgram));
    auto a = std::make_unique<Buffer>(Upload<float>({1, 2, 3, 4}, {4}));
    auto b = std::make_unique<Buffer>(Upload<float>({10, 20, 30, 40}, {4}));
    ExecuteOptions options;
    options.wait_events = {&*gate};
    auto run = exe->Execute({{a.get(), b.get()}}, options);
    ASSERT_TRUE(run.ok()) << run.status();
    // The framework lets go of everything the run uses.
    exe.reset();
    a.reset();
    b.reset();
    // Unrelated work that may reuse the freed memory.
    std::vector<Buffer> others;
    for (int i = 0; i < 8; ++i) {
      others.push_back(Upload<float>({-7, -7, -7, -7}, {4}));
    }
    ASSERT_TRUE(gate->Set(absl::OkStatus()).ok());
    ASSERT_TRUE(AwaitWithTimeout(run->device_done[0]).ok());
    EXPECT_THAT(Download<float>(run->outputs[0][0]),
                ElementsAre(11, 22, 33, 44));
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(Lifetime, RunKeepsDonatedArgumentsAlive) {
  IsolatedResult result = RunIsolated([&] {
    auto gate = Event::Create(GetPlugin().api());
    ASSERT_TRUE(gate.ok()) << gate.status();
    Executable exe = CompileOrDie(
        kAddProgram, {{"donated_parameters", std::vector<int64_t>{0, 1}}});
    auto a = std::make_unique<Buffer>(Upload<float>({1, 2, 3, 4}, {4}));
    auto b = std::make_unique<Buffer>(Upload<float>({10, 20, 30, 40}, {4}));
    ExecuteOptions options;
    options.wait_events = {&*gate};
    auto run = exe.Execute({{a.get(), b.get()}}, options);
    ASSERT_TRUE(run.ok()) << run.status();
    a.reset();
    b.reset();
    std::vector<Buffer> others;
    for (int i = 0; i < 8; ++i) {
      others.push_back(Upload<float>({-7, -7, -7, -7}, {4}));
    }
    ASSERT_TRUE(gate->Set(absl::OkStatus()).ok());
    ASSERT_TRUE(AwaitWithTimeout(run->device_done[0]).ok());
    EXPECT_THAT(Download<float>(run->outputs[0][0]),
                ElementsAre(11, 22, 33, 44));
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(Lifetime, RunSurvivesDestroyingTheClient) {
  IsolatedResult result = RunIsolated([&] {
    auto gate = Event::Create(GetPlugin().api());
    ASSERT_TRUE(gate.ok()) << gate.status();
    Executable exe = CompileOrDie(kAddProgram);
    Buffer a = Upload<float>({1, 2, 3, 4}, {4});
    Buffer b = Upload<float>({10, 20, 30, 40}, {4});
    ExecuteOptions options;
    options.wait_events = {&*gate};
    auto run = exe.Execute({{&a, &b}}, options);
    ASSERT_TRUE(run.ok()) << run.status();
    // Destroy the arguments, the executable and the client through the C
    // ABI; the wrappers are forgotten so they do not destroy them again.
    auto destroy_buffer = [](BPL_Buffer* buffer) {
      BPL_Buffer_Destroy_Args args{};
      args.struct_size = BPL_Buffer_Destroy_Args_STRUCT_SIZE;
      args.buffer = buffer;
      EXPECT_EQ(TakeErrorCode(Api()->Buffer_Destroy(&args)), BPL_CODE_OK);
    };
    destroy_buffer(a.get());
    destroy_buffer(b.get());
    BPL_Executable_Destroy_Args destroy_exe{};
    destroy_exe.struct_size = BPL_Executable_Destroy_Args_STRUCT_SIZE;
    destroy_exe.executable = exe.get();
    EXPECT_EQ(TakeErrorCode(Api()->Executable_Destroy(&destroy_exe)),
              BPL_CODE_OK);
    BPL_Client_Destroy_Args destroy_client{};
    destroy_client.struct_size = BPL_Client_Destroy_Args_STRUCT_SIZE;
    destroy_client.client = client_.get();
    EXPECT_EQ(TakeErrorCode(Api()->Client_Destroy(&destroy_client)),
              BPL_CODE_OK);
    Forget(std::move(a));
    Forget(std::move(b));
    Forget(std::move(exe));
    Forget(std::move(device_));
    Forget(std::move(client_));
    ASSERT_TRUE(gate->Set(absl::OkStatus()).ok());
    // The run completes (the ABI makes reading its outputs after the client
    // is gone FAILED_PRECONDITION, so completion is what is checked).
    EXPECT_TRUE(AwaitWithTimeout(run->device_done[0]).ok());
    auto ready = run->outputs[0][0].ReadyEvent();
    if (ready.ok()) {
      EXPECT_TRUE(AwaitWithTimeout(*ready).ok());
    }
    Forget(*std::move(run));
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(Lifetime, DestroyingAnUnsetFrameworkEventCancelsWaitingRuns) {
  IsolatedResult result = RunIsolated([&] {
    Executable exe = CompileOrDie(kAddProgram);
    Buffer a = Upload<float>({1, 2, 3, 4}, {4});
    auto gate = std::make_unique<Event>(*Event::Create(GetPlugin().api()));
    ExecuteOptions options;
    options.wait_events = {gate.get()};
    auto run = exe.Execute({{&a, &a}}, options);
    ASSERT_TRUE(run.ok()) << run.status();
    gate.reset();  // Never set.
    absl::Status done = AwaitWithTimeout(run->device_done[0]);
    EXPECT_EQ(done.code(), absl::StatusCode::kCancelled) << done;
    auto ready = run->outputs[0][0].ReadyEvent();
    ASSERT_TRUE(ready.ok()) << ready.status();
    absl::Status output = AwaitWithTimeout(*ready);
    EXPECT_EQ(output.code(), absl::StatusCode::kCancelled) << output;
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

}  // namespace
}  // namespace backplane::conformance
