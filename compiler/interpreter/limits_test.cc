// The interpreter ends instead of hanging, overflowing its stack or
// crashing: runs poll their base::Cancellation (deadline or cancel), calls
// and regions nest at most InterpreterOptions::max_nesting_depth deep, and
// exhausted host memory is RESOURCE_EXHAUSTED.
#include <pthread.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "base/cancellation.h"
#include "base/stack.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/literal.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/child_process.h"

namespace backplane::interpreter {
namespace {

using ::testing::HasSubstr;

// The depth limit's error, or, in sanitizer builds whose frames are several
// times larger, the stack check's that comes first.
::testing::Matcher<const std::string&> NestingLimitMessage() {
  if (base::kStackReserveBytes > (size_t{256} << 10)) {
    return ::testing::AnyOf(HasSubstr("nest more than 1000 deep"),
                            HasSubstr("this thread's stack cannot hold"));
  }
  return HasSubstr("nest more than 1000 deep");
}

std::unique_ptr<ir::Module> Parse(const std::string& text) {
  absl::StatusOr<std::unique_ptr<ir::Module>> m = parser::ParseModule(text);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *std::move(m) : nullptr;
}

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

ir::Literal ScalarI32(int32_t v) {
  ir::Literal l(ir::TensorType(ir::ElementType::kS32, {}));
  l.data<int32_t>()[0] = v;
  return l;
}

TEST(LimitsTest, WhileTrueEndsAtTheDeadline) {
  auto m = Parse(kForever);
  ASSERT_NE(m, nullptr);
  auto interp = Interpreter::Create(*m);
  ASSERT_TRUE(interp.ok()) << interp.status();
  base::Cancellation deadline(base::Cancellation::Clock::now() +
                              std::chrono::milliseconds(100));
  auto out = (*interp)->Run("main", {ScalarI32(0)}, &deadline);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDeadlineExceeded)
      << out.status();
  EXPECT_THAT(out.status().message(), HasSubstr("stablehlo."));
  // The interpreter stays usable.
  base::Cancellation never;
  auto again = (*interp)->Run("main", {ScalarI32(-1)}, &never);
  ASSERT_TRUE(again.ok()) << again.status();
}

TEST(LimitsTest, WhileTrueEndsWhenCancelledFromAnotherThread) {
  auto m = Parse(kForever);
  ASSERT_NE(m, nullptr);
  auto interp = Interpreter::Create(*m);
  ASSERT_TRUE(interp.ok()) << interp.status();
  base::Cancellation cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel.Cancel();
  });
  auto out = (*interp)->Run("main", {ScalarI32(0)}, &cancel);
  canceller.join();
  EXPECT_EQ(out.status().code(), absl::StatusCode::kCancelled) << out.status();
}

TEST(LimitsTest, ThreadsCurrentCancellationIsPolled) {
  auto m = Parse(kForever);
  ASSERT_NE(m, nullptr);
  auto interp = Interpreter::Create(*m);
  ASSERT_TRUE(interp.ok()) << interp.status();
  base::Cancellation deadline(base::Cancellation::Clock::now() +
                              std::chrono::milliseconds(50));
  base::ScopedCancellation scope(&deadline);
  auto out = (*interp)->Run("main", {ScalarI32(0)});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(LimitsTest, EvaluateOpPollsTheThreadsCurrentCancellation) {
  // A self-contained loop, as plugins evaluate single ops with regions.
  auto m = Parse(R"(
func.func @main(%n: tensor<i32>) -> tensor<i32> {
  %r:2 = stablehlo.while(%i = %n, %m = %n) : tensor<i32>, tensor<i32>
    cond {
      %c = stablehlo.compare GE, %m, %m, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    } do {
      %i2 = stablehlo.add %i, %m : tensor<i32>
      stablehlo.return %i2, %m : tensor<i32>, tensor<i32>
    }
  return %r#0 : tensor<i32>
})");
  ASSERT_NE(m, nullptr);
  const ir::Op* loop = m->LookupFunction("main")->entry()->front();
  ASSERT_EQ(loop->name(), "stablehlo.while");
  base::Cancellation deadline(base::Cancellation::Clock::now() +
                              std::chrono::milliseconds(50));
  base::ScopedCancellation scope(&deadline);
  auto folded = EvaluateOp(*loop, {ScalarI32(0), ScalarI32(0)});
  EXPECT_EQ(folded.status().code(), absl::StatusCode::kDeadlineExceeded)
      << folded.status();
}

TEST(LimitsTest, RecursionIsResourceExhausted) {
  auto m = Parse(R"(
func.func @main(%x: tensor<i32>) -> tensor<i32> {
  %r = func.call @main(%x) : (tensor<i32>) -> tensor<i32>
  return %r : tensor<i32>
})");
  ASSERT_NE(m, nullptr);
  auto interp = Interpreter::Create(*m);
  ASSERT_TRUE(interp.ok()) << interp.status();
  auto out = (*interp)->Run("main", {ScalarI32(1)});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted)
      << out.status();
  EXPECT_THAT(std::string(out.status().message()), NestingLimitMessage());
  EXPECT_THAT(out.status().message(), HasSubstr("@main"));
}

TEST(LimitsTest, FiveThousandNestedCallsAreResourceExhausted) {
  std::string text;
  constexpr int kDepth = 5000;
  for (int i = 0; i < kDepth; ++i) {
    absl::StrAppend(&text, "func.func @f", i,
                    "(%x: tensor<i32>) -> tensor<i32> {\n");
    if (i + 1 < kDepth) {
      absl::StrAppend(&text, "  %r = func.call @f", i + 1,
                      "(%x) : (tensor<i32>) -> tensor<i32>\n",
                      "  return %r : tensor<i32>\n}\n");
    } else {
      absl::StrAppend(&text, "  return %x : tensor<i32>\n}\n");
    }
  }
  auto m = Parse(text);
  ASSERT_NE(m, nullptr);
  auto interp = Interpreter::Create(*m);
  ASSERT_TRUE(interp.ok()) << interp.status();
  auto out = (*interp)->Run("f0", {ScalarI32(7)});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted)
      << out.status();
  EXPECT_THAT(std::string(out.status().message()), NestingLimitMessage());
  // Within the limit, deep chains still run (sanitizers' frames are several
  // times larger, so their builds go less deep on the same stack).
  const int chain = base::kStackReserveBytes > (size_t{256} << 10) ? 100 : 900;
  auto shallow =
      (*interp)->Run(absl::StrCat("f", kDepth - chain), {ScalarI32(7)});
  ASSERT_TRUE(shallow.ok()) << shallow.status();
  EXPECT_EQ(shallow->at(0).data<int32_t>()[0], 7);

  // On a thread with a small stack the same chain ends with a clear error
  // before the stack overflows, well inside the depth limit.
  absl::StatusOr<std::vector<ir::Literal>> small_stack;
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, size_t{512} << 10), 0);
  struct Job {
    Interpreter* interp;
    std::string function;
    absl::StatusOr<std::vector<ir::Literal>>* out;
  } job{interp->get(), absl::StrCat("f", kDepth - 900), &small_stack};
  pthread_t thread;
  ASSERT_EQ(pthread_create(
                &thread, &attr,
                [](void* p) -> void* {
                  Job& j = *static_cast<Job*>(p);
                  *j.out = j.interp->Run(j.function, {ScalarI32(7)});
                  return nullptr;
                },
                &job),
            0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(small_stack.status().code(), absl::StatusCode::kResourceExhausted)
      << small_stack.status();
  EXPECT_THAT(small_stack.status().message(),
              HasSubstr("this thread's stack cannot hold"));
}

// 4 GiB of f32 under a 2 GiB address-space limit.
constexpr char kHuge[] = R"(
func.func @main(%p: tensor<f32>) -> tensor<f32> {
  %big = stablehlo.broadcast_in_dim %p, dims = [] : (tensor<f32>) -> tensor<1073741824xf32>
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %s = stablehlo.reduce(%big init: %zero) applies stablehlo.add across dimensions = [0] : (tensor<1073741824xf32>, tensor<f32>) -> tensor<f32>
  return %s : tensor<f32>
})";
constexpr size_t kAddressSpaceLimit = size_t{2} << 30;

TEST(LimitsTest, LiteralAllocateReportsExhaustedHostMemory) {
  if (!tests::AddressSpaceLimitsWork()) GTEST_SKIP() << "sanitizer build";
  std::optional<std::string> text = tests::RunInChild(
      [] {
        absl::StatusOr<ir::Literal> l = ir::Literal::Allocate(
            ir::TensorType(ir::ElementType::kF64, {int64_t{1} << 31}));
        return l.ok()
                   ? std::string("allocated")
                   : absl::StrCat(absl::StatusCodeToString(l.status().code()),
                                  ": ", l.status().message());
      },
      kAddressSpaceLimit);
  ASSERT_TRUE(text.has_value()) << "the child crashed";
  EXPECT_THAT(*text, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_THAT(*text, HasSubstr("17179869184 bytes"));
  EXPECT_THAT(*text, HasSubstr("tensor<2147483648xf64>"));
}

TEST(LimitsTest, HugeTensorUnderMemoryLimitIsResourceExhausted) {
  if (!tests::AddressSpaceLimitsWork()) GTEST_SKIP() << "sanitizer build";
  std::optional<std::string> text = tests::RunInChild(
      [] {
        auto m = parser::ParseModule(kHuge);
        if (!m.ok()) return std::string(m.status().message());
        auto interp = Interpreter::Create(**m);
        if (!interp.ok()) return std::string(interp.status().message());
        ir::Literal p(ir::TensorType(ir::ElementType::kF32, {}));
        auto out = (*interp)->Run("main", {p});
        return out.ok()
                   ? std::string("ran")
                   : absl::StrCat(absl::StatusCodeToString(out.status().code()),
                                  ": ", out.status().message());
      },
      kAddressSpaceLimit);
  ASSERT_TRUE(text.has_value()) << "the interpreter crashed out of memory";
  EXPECT_THAT(*text, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_THAT(*text, HasSubstr("stablehlo.broadcast_in_dim"));
  EXPECT_THAT(*text, HasSubstr("4294967296 bytes"));
}

// Two processes that each receive before they send: every process of the
// run waits, so the run is a deadlock, reported at once.
constexpr char kRecvDeadlock[] = R"(
func.func @first(%x: tensor<2xi64>) -> tensor<2xi64> {
  %t = stablehlo.after_all : !stablehlo.token
  %v, %t1 = "stablehlo.recv"(%t) {channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, is_host_transfer = false} : (!stablehlo.token) -> (tensor<2xi64>, !stablehlo.token)
  %t2 = "stablehlo.send"(%x, %t1) {channel_handle = #stablehlo.channel_handle<handle = 2, type = 1>, is_host_transfer = false} : (tensor<2xi64>, !stablehlo.token) -> !stablehlo.token
  func.return %v : tensor<2xi64>
}
func.func @second(%x: tensor<2xi64>) -> tensor<2xi64> {
  %t = stablehlo.after_all : !stablehlo.token
  %v, %t1 = "stablehlo.recv"(%t) {channel_handle = #stablehlo.channel_handle<handle = 2, type = 1>, is_host_transfer = false} : (!stablehlo.token) -> (tensor<2xi64>, !stablehlo.token)
  %t2 = "stablehlo.send"(%x, %t1) {channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, is_host_transfer = false} : (tensor<2xi64>, !stablehlo.token) -> !stablehlo.token
  func.return %v : tensor<2xi64>
}
func.func @main(%a: tensor<2xi64>) -> (tensor<2xi64>, tensor<2xi64>) {
  %r:2 = "interpreter.run_parallel"(%a, %a) {programs = [[@first], [@second]]} : (tensor<2xi64>, tensor<2xi64>) -> (tensor<2xi64>, tensor<2xi64>)
  func.return %r#0, %r#1 : tensor<2xi64>, tensor<2xi64>
})";

ir::Literal VectorI64() {
  return ir::Literal(ir::TensorType(ir::ElementType::kS64, {2}));
}

TEST(LimitsTest, DeadlockedRecvsFailAtOnce) {
  auto m = Parse(kRecvDeadlock);
  ASSERT_NE(m, nullptr);
  auto interp = Interpreter::Create(*m);
  ASSERT_TRUE(interp.ok()) << interp.status();
  auto out = (*interp)->Run("main", {VectorI64()});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument)
      << out.status();
  EXPECT_THAT(out.status().message(), HasSubstr("deadlock: recv on channel"));
}

// One process waits in a recv while the other loops forever before its
// send: cancelling the run ends the loop, and the run reports CANCELLED
// (the cause), not the waiter's ABORTED.
TEST(LimitsTest, RecvWaitingOnALoopingProcessEndsWhenCancelled) {
  auto m = Parse(R"(
func.func @receives(%x: tensor<2xi64>) -> tensor<2xi64> {
  %t = stablehlo.after_all : !stablehlo.token
  %v, %t1 = "stablehlo.recv"(%t) {channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, is_host_transfer = false} : (!stablehlo.token) -> (tensor<2xi64>, !stablehlo.token)
  func.return %v : tensor<2xi64>
}
func.func @loops_then_sends(%x: tensor<2xi64>) -> tensor<2xi64> {
  %zero = stablehlo.constant dense<0> : tensor<i64>
  %r = stablehlo.while(%i = %zero) : tensor<i64>
    cond {
      %c = stablehlo.compare GE, %i, %zero, SIGNED : (tensor<i64>, tensor<i64>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    } do {
      stablehlo.return %i : tensor<i64>
    }
  %t = stablehlo.after_all : !stablehlo.token
  %t2 = "stablehlo.send"(%x, %t) {channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, is_host_transfer = false} : (tensor<2xi64>, !stablehlo.token) -> !stablehlo.token
  func.return %x : tensor<2xi64>
}
func.func @main(%a: tensor<2xi64>) -> (tensor<2xi64>, tensor<2xi64>) {
  %r:2 = "interpreter.run_parallel"(%a, %a) {programs = [[@receives], [@loops_then_sends]]} : (tensor<2xi64>, tensor<2xi64>) -> (tensor<2xi64>, tensor<2xi64>)
  func.return %r#0, %r#1 : tensor<2xi64>, tensor<2xi64>
})");
  ASSERT_NE(m, nullptr);
  auto interp = Interpreter::Create(*m);
  ASSERT_TRUE(interp.ok()) << interp.status();
  base::Cancellation cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel.Cancel();
  });
  auto out = (*interp)->Run("main", {VectorI64()}, &cancel);
  canceller.join();
  EXPECT_EQ(out.status().code(), absl::StatusCode::kCancelled) << out.status();
}

}  // namespace
}  // namespace backplane::interpreter
