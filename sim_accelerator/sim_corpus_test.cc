// Runs the StableHLO corpus (../shared/corpus/stablehlo) on the sim plugin,
// loaded from its shared library, and on the reference interpreter. Every
// test the interpreter passes must pass on the chip at `highest` matmul
// precision; at `default` (one bf16 pass) the deviations are counted and
// listed, not failed. Skips when the corpus is absent.
//
// SIM_CORPUS_FILTER=<substring> limits the run to matching paths.
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "compiler/interpreter/harness/backend.h"
#include "compiler/interpreter/harness/test_discovery.h"
#include "gtest/gtest.h"
#include "tests/util/corpus.h"

namespace backplane::sim {
namespace {

std::string Runfile(const std::string& path) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/backplane/", path);
}

struct SimOutcome {
  absl::Status status;
  bool fallback = false;
};

SimOutcome RunOnSim(const Client& client, const std::string& text,
                    const std::string& function) {
  SimOutcome outcome;
  absl::StatusOr<Executable> exe =
      client.Compile(text, {{"entry_function", function}});
  if (!exe.ok()) {
    outcome.status = exe.status();
    return outcome;
  }
  ExecuteOptions options;
  options.collect_statistics = true;
  absl::StatusOr<ExecuteResult> result =
      exe->Execute(std::vector<std::vector<Buffer*>>{{}}, options);
  if (!result.ok()) {
    outcome.status = result.status();
    return outcome;
  }
  outcome.status = result->device_done[0].Await();
  if (outcome.status.ok() && !result->statistics.empty()) {
    absl::StatusOr<std::vector<NamedValue>> stats = result->statistics[0].Get();
    if (stats.ok()) {
      for (const NamedValue& v : *stats) {
        if (v.name == "interpreter_fallback") {
          outcome.fallback = std::get<bool>(v.value);
        }
      }
    }
  }
  return outcome;
}

TEST(SimCorpusTest, EveryInterpreterPassPassesOnTheChip) {
  std::optional<std::string> corpus = backplane::testing::FindCorpusDir();
  if (!corpus) GTEST_SKIP() << "corpus not found";
  const char* filter = std::getenv("SIM_CORPUS_FILTER");
  absl::StatusOr<Plugin> plugin =
      Plugin::Load(Runfile("sim_accelerator/libbackplane_sim.so"));
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  absl::StatusOr<Client> highest = plugin->CreateClient(
      {{"default_matmul_precision", std::string("highest")}});
  absl::StatusOr<Client> one_pass = plugin->CreateClient(
      {{"default_matmul_precision", std::string("default")}});
  ASSERT_TRUE(highest.ok() && one_pass.ok());
  std::unique_ptr<bpl_run::Backend> interpreter =
      bpl_run::MakeInterpreterBackend();

  absl::StatusOr<std::vector<std::string>> files =
      bpl_run::CollectMlirFiles({*corpus + "/stablehlo"});
  ASSERT_TRUE(files.ok()) << files.status();
  int64_t tests = 0, interpreter_passed = 0, chip_passed = 0, fallbacks = 0,
          default_deviations = 0;
  std::vector<std::string> failures, deviations;
  for (const std::string& path : *files) {
    if (filter != nullptr && !absl::StrContains(path, filter)) continue;
    absl::StatusOr<bpl_run::TestFile> file = bpl_run::LoadTestFile(path);
    ASSERT_TRUE(file.ok()) << file.status();
    for (const bpl_run::TestChunk& chunk : file->chunks) {
      if (chunk.module == nullptr) continue;
      for (const bpl_run::TestCase& test : chunk.tests) {
        if (test.needs_arguments) continue;
        ++tests;
        bpl_run::ExecutionResult reference =
            interpreter->Run(*chunk.module, test.function, {});
        if (!reference.status.ok()) continue;
        ++interpreter_passed;
        SimOutcome sim = RunOnSim(*highest, chunk.text, test.function);
        if (sim.status.ok()) {
          ++chip_passed;
          if (sim.fallback) ++fallbacks;
        } else {
          failures.push_back(
              absl::StrCat(test.label, ": ", sim.status.message()));
        }
        SimOutcome low = RunOnSim(*one_pass, chunk.text, test.function);
        if (!low.status.ok()) {
          ++default_deviations;
          deviations.push_back(
              absl::StrCat(test.label, ": ", low.status.message()));
        }
      }
    }
  }
  for (const std::string& d : deviations) {
    std::cout << "DEVIATION at default precision: " << d.substr(0, 300) << "\n";
  }
  for (const std::string& f : failures) {
    std::cout << "FAIL at highest: " << f.substr(0, 400) << "\n";
  }
  std::cout << "corpus tests: " << tests
            << ", interpreter passes: " << interpreter_passed
            << ", chip passes at highest: " << chip_passed
            << " (of which on the interpreter fallback: " << fallbacks
            << "), deviations at default precision: " << default_deviations
            << "\n";
  EXPECT_TRUE(failures.empty()) << failures.size() << " tests fail on the chip";
}

}  // namespace
}  // namespace backplane::sim
