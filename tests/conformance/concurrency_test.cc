// Family Concurrency: many threads compiling, transferring and executing at
// once; destroying a client with live objects.
#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::ElementsAre;

class Concurrency : public ConformanceTest {};

TEST_F(Concurrency, ThreadsCompileTransferAndExecuteTogether) {
  REQUIRE_CAPABILITY("execute");
  constexpr int kThreads = 4;
  constexpr int kIterations = 10;
  Executable shared = CompileOrDie(kAddProgram);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread also compiles its own program.
      auto own = client_.Compile(absl::StrCat(R"(
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  %k = stablehlo.constant dense<)",
                                              t, R"(.0> : tensor<4xf32>
  %b = stablehlo.multiply %a, %k : tensor<4xf32>
  return %b : tensor<4xf32>
})"));
      if (!own.ok()) {
        ++failures;
        return;
      }
      for (int i = 0; i < kIterations; ++i) {
        float v = static_cast<float>(t * 100 + i);
        auto a = client_.BufferFromVector<float>({v, v, v, v}, {4}, device_);
        if (!a.ok()) {
          ++failures;
          continue;
        }
        auto sum = shared.ExecuteOnOneDevice({&*a, &*a});
        auto product = own->ExecuteOnOneDevice({&*a});
        if (!sum.ok() || !product.ok()) {
          ++failures;
          continue;
        }
        auto s = (*sum)[0].ToVector<float>();
        auto p = (*product)[0].ToVector<float>();
        if (!s.ok() || !p.ok() || (*s)[3] != 2 * v || (*p)[0] != v * t) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(Concurrency, DestroyingClientWithLiveObjectsIsDefined) {
  REQUIRE_CAPABILITY("execute");
  auto client = GetPlugin().CreateClient();
  ASSERT_TRUE(client.ok());
  Device device = (*client->addressable_devices())[0];
  auto buffer = client->BufferFromVector<float>({1, 2, 3, 4}, {4}, device);
  ASSERT_TRUE(buffer.ok());
  auto exe = client->Compile(kAddProgram);
  ASSERT_TRUE(exe.ok());
  // Destroy the client through the C ABI while the objects live on.
  BPL_Client_Destroy_Args destroy{};
  destroy.struct_size = BPL_Client_Destroy_Args_STRUCT_SIZE;
  destroy.client = client->get();
  // In a child process, so the C++ wrappers of this process, which still
  // own these objects, are unaffected.
  IsolatedResult result = RunIsolated([&] {
    ASSERT_EQ(TakeErrorCode(Api()->Client_Destroy(&destroy)), 0);
    // Queries still work.
    BPL_Buffer_Shape_Args shape{};
    shape.struct_size = BPL_Buffer_Shape_Args_STRUCT_SIZE;
    shape.buffer = buffer->get();
    EXPECT_EQ(TakeErrorCode(Api()->Buffer_Shape(&shape)), 0);
    // Work that needs the client fails cleanly.
    auto run = exe->ExecuteOnOneDevice({&*buffer, &*buffer});
    EXPECT_EQ(run.status().code(), absl::StatusCode::kFailedPrecondition)
        << run.status();
    // Destroying the remaining objects is fine.
    BPL_Buffer_Destroy_Args destroy_buffer{};
    destroy_buffer.struct_size = BPL_Buffer_Destroy_Args_STRUCT_SIZE;
    destroy_buffer.buffer = buffer->get();
    EXPECT_EQ(TakeErrorCode(Api()->Buffer_Destroy(&destroy_buffer)), 0);
    BPL_Executable_Destroy_Args destroy_exe{};
    destroy_exe.struct_size = BPL_Executable_Destroy_Args_STRUCT_SIZE;
    destroy_exe.executable = exe->get();
    EXPECT_EQ(TakeErrorCode(Api()->Executable_Destroy(&destroy_exe)), 0);
    std::fflush(stdout);
    _exit(::testing::Test::HasFailure() ? 1 : 0);
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

}  // namespace
}  // namespace backplane::conformance
