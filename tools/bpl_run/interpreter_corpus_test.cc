// Runs the shared StableHLO corpus (testdata and per-op interpret tests)
// on the interpreter through the bpl_run harness and requires at least 97%
// of the tests to pass; runs the three models with random inputs. Skips
// when the corpus is absent.
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/util/corpus.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/runner.h"

namespace backplane::bpl_run {
namespace {

TEST(CorpusTest, StableHloTestsPassOnTheInterpreter) {
  std::optional<std::string> corpus = testing::FindCorpusDir();
  if (!corpus) GTEST_SKIP() << "corpus not found";
  std::unique_ptr<Backend> backend = MakeInterpreterBackend();
  std::ostringstream out;
  absl::StatusOr<RunSummary> summary =
      RunTests({*corpus + "/stablehlo"}, RunnerOptions(), *backend, out);
  ASSERT_TRUE(summary.ok()) << summary.status();
  const int64_t total = summary->passed + summary->failed;
  ASSERT_GT(total, 1300);
  EXPECT_GE(summary->passed * 100, total * 97) << out.str();
  std::cout << summary->passed << " of " << total << " passed\n";
}

TEST(CorpusTest, ModelsRunWithRandomInputs) {
  std::optional<std::string> corpus = testing::FindCorpusDir();
  if (!corpus) GTEST_SKIP() << "corpus not found";
  std::unique_ptr<Backend> backend = MakeInterpreterBackend();
  std::ostringstream out;
  RunnerOptions options;
  options.random_inputs = true;
  absl::StatusOr<RunSummary> summary =
      RunTests({*corpus + "/models"}, options, *backend, out);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->passed, 3) << out.str();
  EXPECT_EQ(summary->failed, 0) << out.str();
}

}  // namespace
}  // namespace backplane::bpl_run
