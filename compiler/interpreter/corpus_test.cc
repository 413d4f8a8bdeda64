// Runs the shared StableHLO corpus (testdata and per-op interpret tests)
// on the interpreter through the bpl_run harness and requires at least 97%
// of the tests to pass; runs the three models with random inputs. Skips
// when the corpus is absent.
#include "tests/util/corpus.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/runner.h"

namespace backplane::interpreter {
namespace {

TEST(CorpusTest, StableHloTestsPassOnTheInterpreter) {
  std::optional<std::string> corpus = testing::FindCorpusDir();
  if (!corpus) GTEST_SKIP() << "corpus not found";
  std::unique_ptr<bpl_run::Backend> backend = bpl_run::MakeInterpreterBackend();
  std::ostringstream out;
  absl::StatusOr<bpl_run::RunSummary> summary = bpl_run::RunTests(
      {*corpus + "/stablehlo"}, bpl_run::RunnerOptions(), *backend, out);
  ASSERT_TRUE(summary.ok()) << summary.status();
  const int64_t total = summary->passed + summary->failed;
  ASSERT_GT(total, 1300);
  EXPECT_GE(summary->passed * 100, total * 97) << out.str();
  std::cout << summary->passed << " of " << total << " passed\n";
}

TEST(CorpusTest, ModelsRunWithRandomInputs) {
  std::optional<std::string> corpus = testing::FindCorpusDir();
  if (!corpus) GTEST_SKIP() << "corpus not found";
  std::unique_ptr<bpl_run::Backend> backend = bpl_run::MakeInterpreterBackend();
  std::ostringstream out;
  bpl_run::RunnerOptions options;
  options.random_inputs = true;
  absl::StatusOr<bpl_run::RunSummary> summary =
      bpl_run::RunTests({*corpus + "/models"}, options, *backend, out);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->passed, 3) << out.str();
  EXPECT_EQ(summary->failed, 0) << out.str();
}

}  // namespace
}  // namespace backplane::interpreter
