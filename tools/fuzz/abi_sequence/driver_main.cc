// abi_sequence_fuzz: the standalone driver of the ABI call-sequence fuzzer
// (README.md). Generates seeded random inputs and mutations of earlier
// ones, runs each as a sequence against the plugins, and aborts on the
// first finding (exit code non-zero), leaving the input in --crash_dir.
//
//   abi_sequence_fuzz --seconds=600 --seed=1 --crash_dir=/tmp/crashes
//   abi_sequence_fuzz --replay=/tmp/crashes/current.bin
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/fuzz/abi_sequence/abi_sequence.h"
#include "tools/fuzz/abi_sequence/load_plugins.h"

namespace backplane::fuzz {
namespace {

struct Flags {
  int64_t seconds = 60;
  uint64_t seed = 0;
  bool seed_set = false;
  size_t max_len = 512;
  std::string replay;
  std::string crash_dir;
  std::vector<std::string> plugins = DefaultPluginPaths();
  int event_timeout = 10;
  int watchdog = 20;
};

bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::vector<std::string> kv = absl::StrSplit(arg, absl::MaxSplits('=', 1));
    const std::string& key = kv[0];
    const std::string value = kv.size() > 1 ? kv[1] : "";
    bool ok = true;
    if (key == "--seconds") {
      ok = absl::SimpleAtoi(value, &flags->seconds);
    } else if (key == "--seed") {
      ok = absl::SimpleAtoi(value, &flags->seed);
      flags->seed_set = true;
    } else if (key == "--max_len") {
      ok = absl::SimpleAtoi(value, &flags->max_len) && flags->max_len > 0;
    } else if (key == "--replay") {
      flags->replay = value;
    } else if (key == "--crash_dir") {
      flags->crash_dir = value;
    } else if (key == "--plugins") {
      flags->plugins = absl::StrSplit(value, ',', absl::SkipEmpty());
    } else if (key == "--event_timeout") {
      ok = absl::SimpleAtoi(value, &flags->event_timeout);
    } else if (key == "--watchdog") {
      ok = absl::SimpleAtoi(value, &flags->watchdog);
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "abi_sequence_fuzz: bad flag '%s'\n", arg.c_str());
      return false;
    }
  }
  return true;
}

bool WriteFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

void PrintSummary(const LoadedPlugins& plugins, const SequenceStats& stats,
                  uint64_t executions, double seconds, int findings) {
  std::printf(
      "abi_sequence_fuzz: executions=%llu seconds=%.0f calls=%llu "
      "findings=%d\n",
      static_cast<unsigned long long>(executions), seconds,
      static_cast<unsigned long long>(stats.calls), findings);
  for (size_t i = 0; i < plugins.names.size(); ++i) {
    std::printf("abi_sequence_fuzz: plugin=%s calls=%llu\n",
                plugins.names[i].c_str(),
                static_cast<unsigned long long>(stats.calls_per_plugin[i]));
  }
  std::fflush(stdout);
}

int Replay(const Flags& flags, const LoadedPlugins& plugins) {
  std::ifstream in(flags.replay, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "abi_sequence_fuzz: cannot read %s\n",
                 flags.replay.c_str());
    return 2;
  }
  std::vector<uint8_t> input((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  SequenceStats stats(plugins.apis.size());
  ActionLog log(/*echo=*/true);
  Watchdog watchdog(flags.watchdog, &log);
  SequenceOptions options;
  options.event_timeout_seconds = flags.event_timeout;
  options.log = &log;
  watchdog.Arm();
  absl::Status finding =
      RunSequence(input.data(), input.size(), plugins.apis, &stats, options);
  watchdog.Disarm();
  PrintSummary(plugins, stats, 1, 0, finding.ok() ? 0 : 1);
  if (!finding.ok()) {
    std::fprintf(stderr, "abi_sequence_fuzz: FINDING: %s\n",
                 std::string(finding.message()).c_str());
    std::abort();
  }
  return 0;
}

int Fuzz(const Flags& flags, const LoadedPlugins& plugins) {
  const uint64_t seed =
      flags.seed_set
          ? flags.seed
          : static_cast<uint64_t>(
                std::chrono::system_clock::now().time_since_epoch().count());
  std::printf("abi_sequence_fuzz: seed=%llu max_len=%zu seconds=%lld\n",
              static_cast<unsigned long long>(seed), flags.max_len,
              static_cast<long long>(flags.seconds));
  InputGenerator generator(seed, flags.max_len);
  SequenceStats stats(plugins.apis.size());
  ActionLog log;
  Watchdog watchdog(flags.watchdog, &log);
  SequenceOptions options;
  options.event_timeout_seconds = flags.event_timeout;
  options.log = &log;
  const auto start = std::chrono::steady_clock::now();
  uint64_t executions = 0;
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  while (elapsed() < static_cast<double>(flags.seconds)) {
    std::vector<uint8_t> input = generator.Next();
    if (!flags.crash_dir.empty()) {
      WriteFile(flags.crash_dir + "/current.bin", input);
    }
    watchdog.Arm();
    absl::Status finding =
        RunSequence(input.data(), input.size(), plugins.apis, &stats, options);
    watchdog.Disarm();
    ++executions;
    if (!finding.ok()) {
      std::string saved;
      if (!flags.crash_dir.empty()) {
        saved = absl::StrCat(flags.crash_dir, "/finding-", executions, ".bin");
        WriteFile(saved, input);
      }
      std::fprintf(stderr,
                   "abi_sequence_fuzz: FINDING: %s\ninput saved to %s\n"
                   "action log:\n%s\n",
                   std::string(finding.message()).c_str(),
                   saved.empty() ? "(no --crash_dir)" : saved.c_str(),
                   log.Dump().c_str());
      PrintSummary(plugins, stats, executions, elapsed(), 1);
      std::abort();
    }
    generator.Remember(std::move(input));
  }
  PrintSummary(plugins, stats, executions, elapsed(), 0);
  return 0;
}

}  // namespace
}  // namespace backplane::fuzz

int main(int argc, char** argv) {
  backplane::fuzz::Flags flags;
  if (!backplane::fuzz::ParseFlags(argc, argv, &flags)) return 2;
  auto plugins = backplane::fuzz::LoadPlugins(flags.plugins, argv[0]);
  if (!plugins.ok()) {
    std::fprintf(stderr, "abi_sequence_fuzz: %s\n",
                 plugins.status().ToString().c_str());
    return 2;
  }
  if (!flags.replay.empty()) return backplane::fuzz::Replay(flags, *plugins);
  return backplane::fuzz::Fuzz(flags, *plugins);
}
