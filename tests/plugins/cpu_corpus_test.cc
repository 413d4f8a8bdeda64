// Runs every test of the shared StableHLO corpus on the cpu plugin (loaded
// through the C ABI from libbackplane_cpu.so) and on the reference
// interpreter, and requires that every test the interpreter passes also
// passes on the plugin. Both optimisation levels are covered: level 0 runs
// each op through its own thunk, level 2 adds the shared passes.
#include "tests/util/corpus.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "gtest/gtest.h"
#include "plugins/loader/loader.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/test_discovery.h"

namespace backplane {
namespace {

std::string Runfile(const std::string& path) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/backplane/", path);
}

class CorpusTest : public ::testing::TestWithParam<int64_t> {
 protected:
  void SetUp() override {
    corpus_ = testing::FindCorpusDir();
    if (!corpus_.has_value()) GTEST_SKIP() << "corpus not found";
    auto loaded = loader::LoadPlugin(Runfile("cpu_plugin/libbackplane_cpu.so"));
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    plugin_ = *loaded;
    auto p = Plugin::FromApi(plugin_->api(), plugin_);
    ASSERT_TRUE(p.ok()) << p.status();
    auto client = p->CreateClient();
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  absl::Status RunOnPlugin(const std::string& text,
                           const std::string& function) {
    auto exe = client_.Compile(text, {{"entry_function", function},
                                      {"optimization_level", GetParam()}});
    if (!exe.ok()) return exe.status();
    auto out = exe->ExecuteOnOneDevice({});
    return out.status();
  }

  std::optional<std::string> corpus_;
  std::shared_ptr<loader::LoadedPlugin> plugin_;
  Client client_;
};

TEST_P(CorpusTest, PassesWhatTheInterpreterPasses) {
  auto files = bpl_run::CollectMlirFiles({*corpus_ + "/stablehlo"});
  ASSERT_TRUE(files.ok()) << files.status();
  std::unique_ptr<bpl_run::Backend> interp = bpl_run::MakeInterpreterBackend();
  int64_t total = 0, interp_pass = 0, plugin_pass = 0, regressions = 0;
  for (const std::string& path : *files) {
    auto file = bpl_run::LoadTestFile(path);
    ASSERT_TRUE(file.ok()) << file.status();
    for (const bpl_run::TestChunk& chunk : file->chunks) {
      for (const bpl_run::TestCase& test : chunk.tests) {
        if (test.needs_arguments) continue;
        ++total;
        bool ok_interp = false;
        if (chunk.module != nullptr) {
          ok_interp = interp->Run(chunk, test, {}).status.ok();
        }
        absl::Status plugin = RunOnPlugin(chunk.text, test.function);
        interp_pass += ok_interp;
        plugin_pass += plugin.ok();
        if (ok_interp && !plugin.ok()) {
          ++regressions;
          ADD_FAILURE() << test.label << ": " << plugin.message();
        }
      }
    }
  }
  std::cout << "optimization_level=" << GetParam() << ": " << total
            << " tests, interpreter passes " << interp_pass
            << ", cpu plugin passes " << plugin_pass << ", regressions "
            << regressions << "\n";
  EXPECT_EQ(regressions, 0);
  EXPECT_GT(interp_pass, 0);
}

INSTANTIATE_TEST_SUITE_P(Levels, CorpusTest, ::testing::Values(0, 2));

}  // namespace
}  // namespace backplane
