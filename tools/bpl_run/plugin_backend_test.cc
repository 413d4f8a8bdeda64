// Tests of the plugin backend's statistics: the in-tree simulator and hello
// plugins, loaded by path from the runfiles, report their own statistics
// through the profiling extension when --stats asks for them.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/runner.h"

namespace backplane::bpl_run {
namespace {

namespace fs = std::filesystem;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Runfile(const std::string& path) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/backplane/", path);
}

class PluginStatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    test_path_ =
        (fs::path(tmp ? tmp : "/tmp") /
         (std::string(
              ::testing::UnitTest::GetInstance()->current_test_info()->name()) +
          ".mlir"))
            .string();
    std::ofstream(test_path_) << R"(
func.func @main() {
  %a = stablehlo.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = stablehlo.dot_general %a, %a, contracting_dims = [1] x [0] : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = stablehlo.add %b, %a : tensor<2x2xf32>
  check.expect_almost_eq_const %c, dense<[[8.0, 12.0], [18.0, 26.0]]> : tensor<2x2xf32>
  func.return
})";
  }

  // Runs the test file on `plugin` and returns bpl_run's output.
  std::string Run(const std::string& plugin, bool stats) {
    absl::StatusOr<std::unique_ptr<Backend>> backend =
        MakePluginBackend(Runfile(plugin), {}, stats);
    EXPECT_TRUE(backend.ok()) << backend.status();
    if (!backend.ok()) return "";
    RunnerOptions options;
    options.stats = stats;
    std::ostringstream out;
    absl::StatusOr<RunSummary> summary =
        RunTests({test_path_}, options, **backend, out);
    EXPECT_TRUE(summary.ok()) << summary.status();
    EXPECT_EQ(summary->failed, 0) << out.str();
    return out.str();
  }

  std::string test_path_;
};

TEST_F(PluginStatsTest, SimulatorReportsCyclesAndEmbedsItsOpsJson) {
  const std::string out = Run("sim_accelerator/libbackplane_sim.so", true);
  EXPECT_THAT(out, HasSubstr("STATS " + test_path_ + " {\"wall_ns\":"));
  // A positive cycle count, from the simulator's own timing model.
  EXPECT_THAT(out, ContainsRegex("\"cycles\":[1-9][0-9]*[,}]"));
  EXPECT_THAT(out, HasSubstr("\"timing_model\":\""));
  // ops_json is a JSON string value, embedded as JSON rather than quoted.
  EXPECT_THAT(out, ContainsRegex("\"ops_json\":[[{]"));
  EXPECT_THAT(out, ContainsRegex("\"compile_ns\":[0-9]+}"));
  // Only one wall_ns: the plugin's own.
  EXPECT_EQ(out.find("\"wall_ns\""), out.rfind("\"wall_ns\"")) << out;
}

TEST_F(PluginStatsTest, HelloPluginReportsItsWallTime) {
  const std::string out =
      Run("examples/hello_plugin/libbackplane_hello.so", true);
  EXPECT_THAT(out, ContainsRegex("STATS [^\n]* \\{\"wall_ns\":[0-9]+,"
                                 "\"compile_ns\":[0-9]+\\}\n"));
}

TEST_F(PluginStatsTest, WithoutStatsNoStatisticsAreRequested) {
  const std::string out = Run("sim_accelerator/libbackplane_sim.so", false);
  EXPECT_THAT(out, Not(HasSubstr("STATS")));
  EXPECT_THAT(out, HasSubstr("1 passed, 0 failed"));
}

// A file's RUN --args and CHECK lines hold on plugins as on the
// interpreter: the results come back from the device and are printed and
// matched on the host; a wrong CHECK value fails.
TEST(PluginFileDirectivesTest, ArgumentsAndCheckLinesOnSimAndHello) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = tmp ? tmp : "/tmp";
  const std::string program = R"(
// RUN: tool %s --interpret --args="[dense<[1, 2]> : tensor<2xi32>, dense<5> : tensor<2xi32>]" | FileCheck %s
func.func @main(%x: tensor<2xi32>, %y: tensor<2xi32>) -> tensor<2xi32> {
  %0 = stablehlo.multiply %x, %y : tensor<2xi32>
  return %0 : tensor<2xi32>
}
)";
  const std::string good = dir + "/directives_good.mlir";
  const std::string bad = dir + "/directives_bad.mlir";
  std::ofstream(good) << program << "// CHECK: tensor<2xi32> {\n"
                      << "// CHECK-NEXT: [5, 10]\n";
  std::ofstream(bad) << program << "// CHECK: tensor<2xi32> {\n"
                     << "// CHECK-NEXT: [5, 11]\n";
  for (const char* plugin : {"sim_accelerator/libbackplane_sim.so",
                             "examples/hello_plugin/libbackplane_hello.so"}) {
    SCOPED_TRACE(plugin);
    absl::StatusOr<std::unique_ptr<Backend>> backend =
        MakePluginBackend(Runfile(plugin), {}, false);
    ASSERT_TRUE(backend.ok()) << backend.status();
    std::ostringstream out;
    absl::StatusOr<RunSummary> summary =
        RunTests({good, bad}, RunnerOptions(), **backend, out);
    ASSERT_TRUE(summary.ok()) << summary.status();
    EXPECT_EQ(summary->passed, 1) << out.str();
    EXPECT_EQ(summary->failed, 1) << out.str();
    EXPECT_THAT(out.str(), HasSubstr("FAIL " + bad + ": CHECK-NEXT on line"));
  }
}

}  // namespace
}  // namespace backplane::bpl_run
