// bpl_run: runs StableHLO test files (.mlir) on a backend and reports
// PASS/FAIL per test. See docs/bpl_run.md.
//
//   bazel run -c opt //tools:bpl_run -- --interpreter [--random_inputs]
//       [--stats] [--json=FILE] PATHS...
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/runner.h"

namespace {

constexpr char kUsage[] =
    "usage: bpl_run [--interpreter | --plugin=NAME_OR_PATH] "
    "[--plugin_option=KEY=VALUE ...]\n"
    "               [--random_inputs] [--stats] [--json=FILE] PATHS...\n"
    "Runs every .mlir file under PATHS (files or folders) and prints one\n"
    "PASS/FAIL line per test, then 'N passed, M failed'. Exits 0 when\n"
    "nothing failed, 1 when a test failed, 2 for usage errors and when\n"
    "no test ran.\n";

}  // namespace

int main(int argc, char** argv) {
  backplane::bpl_run::RunnerOptions options;
  std::vector<std::string> paths;
  std::string plugin;
  std::vector<std::string> plugin_options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--interpreter") {
      plugin.clear();
    } else if (absl::StartsWith(arg, "--plugin=")) {
      plugin = arg.substr(9);
      if (plugin.empty()) {
        std::cerr << "bpl_run: --plugin= needs a plugin name or library path "
                     "(use --interpreter for the reference interpreter)\n"
                  << kUsage;
        return 2;
      }
    } else if (absl::StartsWith(arg, "--plugin_option=")) {
      plugin_options.push_back(arg.substr(16));
    } else if (arg == "--random_inputs") {
      options.random_inputs = true;
    } else if (arg == "--stats") {
      options.stats = true;
    } else if (absl::StartsWith(arg, "--json=")) {
      options.json_path = arg.substr(7);
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (absl::StartsWith(arg, "--")) {
      std::cerr << "bpl_run: unknown flag " << arg << "\n" << kUsage;
      return 2;
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) {
    std::cerr << "bpl_run: no paths given\n" << kUsage;
    return 2;
  }
  std::unique_ptr<backplane::bpl_run::Backend> backend;
  if (plugin.empty()) {
    backend = backplane::bpl_run::MakeInterpreterBackend();
  } else {
    absl::StatusOr<std::unique_ptr<backplane::bpl_run::Backend>> loaded =
        backplane::bpl_run::MakePluginBackend(plugin, plugin_options,
                                              options.stats);
    if (!loaded.ok()) {
      std::cerr << "bpl_run: cannot use plugin " << plugin << ": "
                << loaded.status().message() << "\n";
      return 2;
    }
    backend = *std::move(loaded);
  }
  absl::StatusOr<backplane::bpl_run::RunSummary> summary =
      backplane::bpl_run::RunTests(paths, options, *backend, std::cout);
  if (!summary.ok()) {
    std::cerr << "bpl_run: " << summary.status().message() << "\n";
    return 2;
  }
  if (summary->passed + summary->failed == 0) {
    // Nothing ran (no .mlir files, or files without tests): a CI job must
    // not pass on that.
    std::cerr << "bpl_run: no tests ran: PATHS hold no .mlir file with a "
                 "test\n";
    return 2;
  }
  return summary->failed == 0 ? 0 : 1;
}
