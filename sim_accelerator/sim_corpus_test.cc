// Runs the StableHLO corpus (../shared/corpus/stablehlo) the way
// `bpl_run --plugin=sim` does: the sim plugin, loaded from its shared
// library, through the harness's plugin backend (checks evaluated on the
// host), next to the reference interpreter. Every test the interpreter
// passes must pass on the chip at `highest` matmul precision; at `default`
// (one bf16 pass) the deviations are counted and listed, not failed. Skips
// when the corpus is absent.
//
// SIM_CORPUS_FILTER=<substring> limits the run to matching paths.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sim_accelerator/chip_config.h"
#include "sim_accelerator/chip_program.h"
#include "tests/util/corpus.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/test_discovery.h"

namespace backplane::sim {
namespace {

std::string Runfile(const std::string& path) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/backplane/", path);
}

TEST(SimCorpusTest, EveryInterpreterPassPassesOnTheChip) {
  std::optional<std::string> corpus = backplane::testing::FindCorpusDir();
  if (!corpus) GTEST_SKIP() << "corpus not found";
  const char* filter = std::getenv("SIM_CORPUS_FILTER");
  const std::string library = Runfile("sim_accelerator/libbackplane_sim.so");
  absl::StatusOr<std::unique_ptr<bpl_run::Backend>> highest =
      bpl_run::MakePluginBackend(library, {"default_matmul_precision=highest"});
  absl::StatusOr<std::unique_ptr<bpl_run::Backend>> one_pass =
      bpl_run::MakePluginBackend(library, {"default_matmul_precision=default"});
  ASSERT_TRUE(highest.ok()) << highest.status();
  ASSERT_TRUE(one_pass.ok()) << one_pass.status();
  std::unique_ptr<bpl_run::Backend> interpreter =
      bpl_run::MakeInterpreterBackend();

  absl::StatusOr<std::vector<std::string>> files =
      bpl_run::CollectMlirFiles({*corpus + "/stablehlo"});
  ASSERT_TRUE(files.ok()) << files.status();
  int64_t tests = 0, interpreter_passed = 0, chip_passed = 0, fallbacks = 0,
          default_deviations = 0, harness_unsupported = 0;
  std::vector<std::string> failures, deviations, fallback_reasons;
  const ChipConfig chip;
  for (const std::string& path : *files) {
    if (filter != nullptr && !absl::StrContains(path, filter)) continue;
    absl::StatusOr<bpl_run::TestFile> file = bpl_run::LoadTestFile(path);
    ASSERT_TRUE(file.ok()) << file.status();
    for (const bpl_run::TestChunk& chunk : file->chunks) {
      if (chunk.module == nullptr) continue;
      for (const bpl_run::TestCase& test : chunk.tests) {
        if (test.needs_arguments) continue;
        ++tests;
        bpl_run::ExecutionResult reference = interpreter->Run(chunk, test, {});
        if (!reference.status.ok()) continue;
        ++interpreter_passed;
        bpl_run::ExecutionResult sim = (*highest)->Run(chunk, test, {});
        if (absl::StrContains(sim.status.message(),
                              "cannot be evaluated outside the interpreter")) {
          // The harness, not the plugin, refuses these (probe checks need
          // the interpreter's probe store).
          ++harness_unsupported;
          continue;
        }
        if (sim.status.ok()) {
          ++chip_passed;
          // Did the chip run it, or the interpreter fallback?
          absl::StatusOr<std::unique_ptr<ChipProgram>> program =
              ChipProgram::Compile(chunk.text, test.function, chip);
          if (program.ok() && (*program)->interpreter_fallback()) {
            ++fallbacks;
            fallback_reasons.push_back(
                absl::StrCat(test.label, ": ", (*program)->fallback_reason()));
          }
        } else {
          failures.push_back(
              absl::StrCat(test.label, ": ", sim.status.message()));
        }
        bpl_run::ExecutionResult low = (*one_pass)->Run(chunk, test, {});
        if (!low.status.ok()) {
          ++default_deviations;
          deviations.push_back(
              absl::StrCat(test.label, ": ", low.status.message()));
        }
      }
    }
  }
  for (const std::string& r : fallback_reasons) {
    std::cout << "FALLBACK " << r.substr(0, 300) << "\n";
  }
  for (const std::string& d : deviations) {
    std::cout << "DEVIATION at default precision: " << d.substr(0, 300) << "\n";
  }
  for (const std::string& f : failures) {
    std::cout << "FAIL at highest: " << f.substr(0, 400) << "\n";
  }
  std::cout << "corpus tests: " << tests
            << ", interpreter passes: " << interpreter_passed
            << ", not runnable on plugins (harness): " << harness_unsupported
            << ", chip passes at highest: " << chip_passed
            << " (of which on the interpreter fallback: " << fallbacks
            << "), deviations at default precision: " << default_deviations
            << "\n";
  EXPECT_TRUE(failures.empty()) << failures.size() << " tests fail on the chip";
}

}  // namespace
}  // namespace backplane::sim
