// The libFuzzer entry point (optional; see README.md, "Coverage-guided
// mode"). The plugins come from BACKPLANE_FUZZ_PLUGINS, a comma-separated
// list of library paths (default: the bundled three, from the runfiles or
// the current folder):
//
//   BACKPLANE_FUZZ_PLUGINS=/abs/libbackplane_hello.so ./abi_sequence_libfuzzer
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "tools/fuzz/abi_sequence/abi_sequence.h"
#include "tools/fuzz/abi_sequence/load_plugins.h"

namespace {

const backplane::fuzz::LoadedPlugins& Plugins() {
  static const backplane::fuzz::LoadedPlugins* plugins = [] {
    std::vector<std::string> paths = backplane::fuzz::DefaultPluginPaths();
    if (const char* env = std::getenv("BACKPLANE_FUZZ_PLUGINS")) {
      paths = absl::StrSplit(env, ',', absl::SkipEmpty());
    }
    auto loaded = backplane::fuzz::LoadPlugins(paths, "");
    if (!loaded.ok()) {
      std::fprintf(stderr, "abi_sequence fuzz target: %s\n",
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return new backplane::fuzz::LoadedPlugins(*std::move(loaded));
  }();
  return *plugins;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  backplane::fuzz::RunSequenceOrDie(data, size, Plugins().apis);
  return 0;
}
