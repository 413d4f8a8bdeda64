// The oracle can fail: RunSequence reports a finding against the broken
// plugin whose destroyed buffer handles alias the next uploaded buffer
// (tests/fixtures/broken_plugin.cc, mode stale_buffer_aliases), and none
// against the hello plugin it was made from, on the same inputs.
//
//   abi_sequence_oracle_test <broken plugin .so> <hello plugin .so>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tools/fuzz/abi_sequence/abi_sequence.h"
#include "tools/fuzz/abi_sequence/load_plugins.h"

namespace backplane::fuzz {
namespace {

std::string g_broken;
std::string g_hello;

// The first finding over `count` seeded inputs, or OK.
absl::Status FirstFinding(const std::string& path, int count) {
  absl::StatusOr<LoadedPlugins> plugins = LoadPlugins({path}, "");
  EXPECT_TRUE(plugins.ok()) << plugins.status();
  if (!plugins.ok()) return plugins.status();
  InputGenerator generator(7, 512);
  for (int i = 0; i < count; ++i) {
    std::vector<uint8_t> input = generator.Next();
    absl::Status finding =
        RunSequence(input.data(), input.size(), plugins->apis);
    if (!finding.ok()) return finding;
    generator.Remember(std::move(input));
  }
  return absl::OkStatus();
}

TEST(AbiSequenceOracle, FindsStaleHandlesThatAliasNewBuffers) {
  absl::Status finding = FirstFinding(g_broken, 2000);
  ASSERT_FALSE(finding.ok()) << "no finding against the broken plugin";
  EXPECT_TRUE(absl::StrContains(finding.message(), "INVALID_ARGUMENT"))
      << finding;
  EXPECT_TRUE(absl::StrContains(finding.message(), "finding at action "))
      << finding;
}

TEST(AbiSequenceOracle, TheCorrectPluginPassesTheSameInputs) {
  absl::Status finding = FirstFinding(g_hello, 200);
  EXPECT_TRUE(finding.ok()) << finding;
}

}  // namespace
}  // namespace backplane::fuzz

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <broken plugin> <hello plugin>\n", argv[0]);
    return 2;
  }
  backplane::fuzz::g_broken = argv[1];
  backplane::fuzz::g_hello = argv[2];
  return RUN_ALL_TESTS();
}
