// A million loop iterations on the simulated chip run at flat host memory:
// the chip work of a loop is logged once per distinct op (timing.h
// WorkLog), not once per executed op (which cost about 1 KB an iteration).
#include <sys/resource.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "sim_accelerator/chip_config.h"
#include "sim_accelerator/chip_program.h"
#include "sim_accelerator/timing.h"

namespace backplane::sim {
namespace {

constexpr char kLoop[] = R"(
func.func @main() -> tensor<i64> {
  %c0 = stablehlo.constant dense<0> : tensor<i64>
  %c1 = stablehlo.constant dense<1> : tensor<i64>
  %n = stablehlo.constant dense<N> : tensor<i64>
  %r = stablehlo.while(%i = %c0) : tensor<i64>
    cond {
      %p = stablehlo.compare LT, %i, %n : (tensor<i64>, tensor<i64>) -> tensor<i1>
      stablehlo.return %p : tensor<i1>
    } do {
      %j = stablehlo.add %i, %c1 : tensor<i64>
      stablehlo.return %j : tensor<i64>
    }
  return %r : tensor<i64>
})";

int64_t PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

struct Result {
  int64_t value;
  Schedule schedule;
  std::shared_ptr<ProgramRun> run;
};

Result RunLoop(int64_t iterations) {
  ChipConfig chip;
  auto program = ChipProgram::Compile(
      absl::StrReplaceAll(kLoop, {{"N", absl::StrCat(iterations)}}), "main",
      chip);
  EXPECT_TRUE(program.ok()) << program.status();
  auto run = (*program)->Run({});
  EXPECT_TRUE(run.ok()) << run.status();
  auto kept = std::make_shared<ProgramRun>(*std::move(run));
  Result r{kept->results[0].GetAsInt64(0), ScheduleExecution(chip, kept->work),
           kept};
  return r;
}

TEST(LongLoopTest, MillionIterationsAtFlatMemory) {
  // Warm up allocator pools and code paths.
  Result small = RunLoop(20000);
  EXPECT_EQ(small.value, 20000);
  const int64_t before_kb = PeakRssKb();
  Result big = RunLoop(1000000);
  const int64_t after_kb = PeakRssKb();
  EXPECT_EQ(big.value, 1000000);
  // A handful of distinct works, however many iterations ran.
  EXPECT_LE(big.run->work.distinct().size(), 8u);
  EXPECT_GE(big.run->work.executed(), 2000000);
  EXPECT_TRUE(big.schedule.ops_truncated);
  EXPECT_LE(static_cast<int64_t>(big.schedule.ops.size()),
            WorkLog::kDefaultMaxSequence);
  // The old per-op log grew by about 900 MB here. AddressSanitizer holds
  // freed memory in its quarantine (256 MB by default) and pads every
  // allocation, so peak RSS says nothing there; its leak check stands in.
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(after_kb - before_kb, 32 * 1024)
      << "peak RSS grew from " << before_kb << " KB to " << after_kb << " KB";
#else
  (void)before_kb;
  (void)after_kb;
#endif
  // Cycles scale with the iterations: the counts are exact.
  const double ratio = static_cast<double>(big.schedule.totals.cycles) /
                       small.schedule.totals.cycles;
  EXPECT_NEAR(ratio, 50.0, 0.5);
}

}  // namespace
}  // namespace backplane::sim
