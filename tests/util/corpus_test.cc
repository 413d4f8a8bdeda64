#include "tests/util/corpus.h"

#include <sys/stat.h>

#include "gtest/gtest.h"

namespace backplane::testing {
namespace {

TEST(CorpusTest, FoundCorpusHasReadme) {
  std::optional<std::string> dir = FindCorpusDir();
  if (!dir) GTEST_SKIP() << "../shared/corpus is absent";
  struct stat st;
  EXPECT_EQ(stat((*dir + "/README.md").c_str(), &st), 0) << *dir;
}

}  // namespace
}  // namespace backplane::testing
