// Family Execute: results, argument validation, donation, events, errors
// during execution, multi-device execution.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Execute : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (!HasCapability("execute")) {
      GTEST_SKIP() << "plugin does not declare capability 'execute'";
    }
  }
};

TEST_F(Execute, ComputesTheResultAndCompletesEvents) {
  Executable exe = CompileOrDie(kAddProgram);
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  Buffer b = Upload<float>({0.5, 0.5, 0.5, 0.5}, {4});
  std::vector<std::vector<Buffer*>> args = {{&a, &b}};
  auto result = exe.Execute(args);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->outputs.size(), 1u);
  ASSERT_EQ(result->outputs[0].size(), 1u);
  ASSERT_EQ(result->device_done.size(), 1u);
  ASSERT_TRUE(AwaitWithTimeout(result->device_done[0]).ok());
  auto ready = result->outputs[0][0].ReadyEvent();
  ASSERT_TRUE(ready.ok());
  ASSERT_TRUE(AwaitWithTimeout(*ready).ok());
  EXPECT_THAT(Download<float>(result->outputs[0][0]),
              ElementsAre(1.5, 2.5, 3.5, 4.5));
  // The inputs are still usable.
  EXPECT_THAT(Download<float>(a), ElementsAre(1, 2, 3, 4));
}

TEST_F(Execute, RepeatedExecutionsAreIndependent) {
  Executable exe = CompileOrDie(kAddProgram);
  for (int i = 0; i < 20; ++i) {
    Buffer a = Upload<float>({float(i), 1, 2, 3}, {4});
    auto out = exe.ExecuteOnOneDevice({&a, &a});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_THAT(Download<float>((*out)[0]), ElementsAre(2 * i, 2, 4, 6));
  }
}

TEST_F(Execute, WrongArgumentCountIsInvalidArgument) {
  Executable exe = CompileOrDie(kAddProgram);
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  auto out = exe.ExecuteOnOneDevice({&a});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(Execute, WrongTypeOrShapeIsInvalidArgument) {
  Executable exe = CompileOrDie(kAddProgram);
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  Buffer wrong_type = Upload<int32_t>({1, 2, 3, 4}, {4});
  Buffer wrong_shape = Upload<float>({1, 2, 3, 4}, {2, 2});
  auto t = exe.ExecuteOnOneDevice({&a, &wrong_type});
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  auto s = exe.ExecuteOnOneDevice({&a, &wrong_shape});
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  auto null_arg = exe.ExecuteOnOneDevice({&a, nullptr});
  EXPECT_EQ(null_arg.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(Execute, WrongNumberOfDeviceListsIsInvalidArgument) {
  Executable exe = CompileOrDie(kAddProgram);
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  std::vector<std::vector<Buffer*>> two = {{&a, &a}, {&a, &a}};
  auto out = exe.Execute(two);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(Execute, DonatedArgumentIsDeletedAfterExecute) {
  Executable exe = CompileOrDie(
      kAddProgram, {{"donated_parameters", std::vector<int64_t>{0}}});
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  Buffer b = Upload<float>({1, 1, 1, 1}, {4});
  auto out = exe.ExecuteOnOneDevice({&a, &b});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(Download<float>((*out)[0]), ElementsAre(2, 3, 4, 5));
  EXPECT_TRUE(*a.IsDeleted());
  EXPECT_FALSE(*b.IsDeleted());
}

TEST_F(Execute, NonDonatableIndicesAreRespected) {
  Executable exe = CompileOrDie(
      kAddProgram, {{"donated_parameters", std::vector<int64_t>{0, 1}}});
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  Buffer b = Upload<float>({1, 1, 1, 1}, {4});
  ExecuteOptions options;
  options.non_donatable_input_indices = {0};
  std::vector<std::vector<Buffer*>> args = {{&a, &b}};
  auto result = exe.Execute(args, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(AwaitWithTimeout(result->device_done[0]).ok());
  EXPECT_FALSE(*a.IsDeleted());
  EXPECT_TRUE(*b.IsDeleted());
  EXPECT_THAT(Download<float>(result->outputs[0][0]), ElementsAre(2, 3, 4, 5));
  options.non_donatable_input_indices = {5};
  Buffer c = Upload<float>({1, 2, 3, 4}, {4});
  auto bad = exe.Execute({{&a, &c}}, options);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(Execute, SameBufferTwiceIsNotDonated) {
  Executable exe = CompileOrDie(
      kAddProgram, {{"donated_parameters", std::vector<int64_t>{0}}});
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  auto out = exe.ExecuteOnOneDevice({&a, &a});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(Download<float>((*out)[0]), ElementsAre(2, 4, 6, 8));
  EXPECT_FALSE(*a.IsDeleted());
}

TEST_F(Execute, WaitsForFrameworkEventAndPropagatesItsError) {
  REQUIRE_CAPABILITY("framework_events");
  Executable exe = CompileOrDie(kAddProgram);
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  auto gate = Event::Create(GetPlugin().api());
  ASSERT_TRUE(gate.ok()) << gate.status();
  ExecuteOptions options;
  options.wait_events = {&*gate};
  auto result = exe.Execute({{&a, &a}}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  auto ready = result->outputs[0][0].ReadyEvent();
  ASSERT_TRUE(ready.ok());
  EXPECT_FALSE(*ready->IsReady())
      << "the output was ready before its dependency completed";
  ASSERT_TRUE(gate->Set(absl::OkStatus()).ok());
  ASSERT_TRUE(AwaitWithTimeout(*ready).ok());
  EXPECT_THAT(Download<float>(result->outputs[0][0]), ElementsAre(2, 4, 6, 8));

  // A failed dependency: execution fails and its events carry the error.
  auto failing = Event::Create(GetPlugin().api());
  ASSERT_TRUE(failing.ok());
  options.wait_events = {&*failing};
  auto doomed = exe.Execute({{&a, &a}}, options);
  ASSERT_TRUE(doomed.ok()) << doomed.status();
  ASSERT_TRUE(failing->Set(absl::DataLossError("input never arrived")).ok());
  absl::Status done = AwaitWithTimeout(doomed->device_done[0]);
  EXPECT_EQ(done.code(), absl::StatusCode::kDataLoss) << done;
  EXPECT_THAT(done.message(), HasSubstr("input never arrived"));
  auto output_ready = doomed->outputs[0][0].ReadyEvent();
  ASSERT_TRUE(output_ready.ok());
  EXPECT_EQ(AwaitWithTimeout(*output_ready).code(),
            absl::StatusCode::kDataLoss);
  std::vector<float> host(4);
  auto to_host = doomed->outputs[0][0].ToHost(host.data(), 16);
  if (to_host.ok()) {
    EXPECT_FALSE(AwaitWithTimeout(*to_host).ok());
  }
}

TEST_F(Execute, StatisticsReportWallTime) {
  REQUIRE_CAPABILITY("statistics");
  Executable exe = CompileOrDie(kAddProgram);
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  ExecuteOptions options;
  options.collect_statistics = true;
  auto result = exe.Execute({{&a, &a}}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(AwaitWithTimeout(result->device_done[0]).ok());
  ASSERT_EQ(result->statistics.size(), 1u);
  auto values = result->statistics[0].Get();
  ASSERT_TRUE(values.ok()) << values.status();
  bool has_wall = false;
  for (const NamedValue& v : *values) {
    if (v.name == "wall_ns") {
      has_wall = true;
      EXPECT_GE(std::get<int64_t>(v.value), 0);
    }
  }
  EXPECT_TRUE(has_wall) << "statistics lack wall_ns";
}

TEST_F(Execute, MultiDeviceExecution) {
  REQUIRE_CAPABILITY("multi_device");
  auto devices = client_.addressable_devices();
  ASSERT_TRUE(devices.ok());
  if (devices->size() < 2) GTEST_SKIP() << "needs two addressable devices";
  auto exe = client_.Compile(kAddProgram, {}, {(*devices)[0], (*devices)[1]});
  ASSERT_TRUE(exe.ok()) << exe.status();
  Buffer a0 = Upload<float>({1, 2, 3, 4}, {4}, &(*devices)[0]);
  Buffer a1 = Upload<float>({10, 20, 30, 40}, {4}, &(*devices)[1]);
  auto result = exe->Execute({{&a0, &a0}, {&a1, &a1}});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->outputs.size(), 2u);
  EXPECT_THAT(Download<float>(result->outputs[0][0]), ElementsAre(2, 4, 6, 8));
  EXPECT_THAT(Download<float>(result->outputs[1][0]),
              ElementsAre(20, 40, 60, 80));
  EXPECT_EQ(result->outputs[1][0].device()->get(), (*devices)[1].get());
  // An argument on the wrong device is rejected.
  auto wrong = exe->Execute({{&a1, &a1}, {&a0, &a0}});
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace backplane::conformance
