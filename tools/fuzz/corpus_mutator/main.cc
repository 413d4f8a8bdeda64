// corpus_mutator: mutates small programs of the shared corpus and runs each
// mutant on the interpreter, the cpu plugin and the sim plugin in a forked
// child, counting signals, hangs, INTERNAL errors and disagreements. See
// README.md.
//
//   bazel run -c opt //tools/fuzz/corpus_mutator -- --seconds=600
//       --seed=1 --findings_dir=/tmp/corpus_findings
//   bazel run -c opt //tools/fuzz/corpus_mutator --
//       --replay=/tmp/corpus_findings/disagreement-s1-m42.mlir
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "compiler/parser/parser.h"
#include "tests/util/corpus.h"
#include "tools/bpl_run/test_discovery.h"
#include "tools/fuzz/corpus_mutator/campaign.h"
#include "tools/fuzz/corpus_mutator/mutator.h"

namespace backplane::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: corpus_mutator [--seconds=N] [--seed=S] [--corpus=PATH]\n"
    "         [--findings_dir=DIR] [--timeout_seconds=T] [--max_seed_bytes=B]\n"
    "         [--cpu_plugin=SO] [--sim_plugin=SO] [--replay=FILE]\n";

struct Flags {
  int64_t seconds = 60;
  uint64_t seed = 1;
  std::string corpus;
  std::string findings_dir;
  int timeout_seconds = 10;
  int64_t max_seed_bytes = 20000;
  std::string replay;
  PluginPaths plugins;
};

bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    bool ok = eq != std::string::npos;
    if (name == "--seconds") {
      ok = ok && absl::SimpleAtoi(value, &flags->seconds);
    } else if (name == "--seed") {
      ok = ok && absl::SimpleAtoi(value, &flags->seed);
    } else if (name == "--corpus") {
      flags->corpus = value;
    } else if (name == "--findings_dir") {
      flags->findings_dir = value;
    } else if (name == "--timeout_seconds") {
      ok = ok && absl::SimpleAtoi(value, &flags->timeout_seconds);
    } else if (name == "--max_seed_bytes") {
      ok = ok && absl::SimpleAtoi(value, &flags->max_seed_bytes);
    } else if (name == "--replay") {
      flags->replay = value;
    } else if (name == "--cpu_plugin") {
      flags->plugins.cpu = value;
    } else if (name == "--sim_plugin") {
      flags->plugins.sim = value;
    } else {
      ok = false;
    }
    if (!ok) {
      std::cerr << "corpus_mutator: bad flag " << arg << "\n" << kUsage;
      return false;
    }
  }
  return true;
}

// A runfile of this binary (bazel run / bazel test), or "" when absent.
std::string Runfile(const char* argv0, const std::string& path) {
  std::vector<std::string> roots;
  for (const char* env : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    if (const char* v = std::getenv(env)) roots.push_back(v);
  }
  roots.push_back(absl::StrCat(argv0, ".runfiles"));
  for (const std::string& root : roots) {
    const std::string candidate = absl::StrCat(root, "/backplane/", path);
    std::error_code ec;
    if (fs::exists(candidate, ec)) return candidate;
  }
  return "";
}

struct SeedChunk {
  std::string path;
  int index = 0;  // 1-based chunk number in the file.
  std::string text;
};

std::vector<SeedChunk> LoadSeeds(const std::string& corpus, int64_t max_bytes) {
  std::vector<SeedChunk> seeds;
  absl::StatusOr<std::vector<std::string>> files =
      bpl_run::CollectMlirFiles({corpus + "/stablehlo/interpret"});
  if (!files.ok()) return seeds;
  for (const std::string& path : *files) {
    std::error_code ec;
    if (static_cast<int64_t>(fs::file_size(path, ec)) > max_bytes || ec) {
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::vector<parser::InputChunk> chunks =
        parser::SplitInputFile(buffer.str());
    for (size_t c = 0; c < chunks.size(); ++c) {
      if (!absl::StrContains(chunks[c].text, "check.")) continue;
      seeds.push_back(SeedChunk{path, static_cast<int>(c + 1), chunks[c].text});
    }
  }
  return seeds;
}

ChildResult RunFile(const std::string& path, const Flags& flags,
                    bool interpreter_only = false) {
  std::optional<size_t> limit;
  if (AddressSpaceLimitsWork()) limit = size_t{4} << 30;
  return RunForked(
      [&] {
        return RunMutantOnBackends(path, flags.plugins, interpreter_only);
      },
      flags.timeout_seconds, limit);
}

// Classify(child), where a hang of a program with a while loop that the
// interpreter alone also cannot finish in time is kNonterminating.
Classification ClassifyRun(const ChildResult& child, const std::string& path,
                           const std::string& text, const Flags& flags) {
  Classification c = Classify(child);
  if (c.kind != MutantKind::kHang ||
      !absl::StrContains(text, "stablehlo.while")) {
    return c;
  }
  if (RunFile(path, flags, /*interpreter_only=*/true).end ==
      ChildResult::End::kTimedOut) {
    return {MutantKind::kNonterminating,
            "timed out, and so did the interpreter alone"};
  }
  c.reason = "timed out; the interpreter alone finished in time";
  return c;
}

bool SetupFailed(const ChildResult& child) {
  if (!absl::StartsWith(child.output, "SETUP_ERROR")) return false;
  std::cerr << "corpus_mutator: " << child.output;
  return true;
}

int Replay(const Flags& flags) {
  const ChildResult child = RunFile(flags.replay, flags);
  if (SetupFailed(child)) return 2;
  std::ifstream in(flags.replay, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  for (const TestOutcome& t : DecodeOutcomes(child.output)) {
    for (const BackendOutcome& o : t.backends) {
      std::cout << "@" << t.test << " " << o.backend << " "
                << absl::StatusCodeToString(o.code) << " " << o.message << "\n";
    }
  }
  const Classification c = ClassifyRun(child, flags.replay, text.str(), flags);
  std::cout << "corpus_mutator: replay " << flags.replay << ": "
            << MutantKindName(c.kind) << (c.reason.empty() ? "" : ": ")
            << c.reason << "\n";
  return IsFinding(c.kind) ? 1 : 0;
}

struct Campaign {
  const Flags& flags;
  std::string work_dir;
  std::map<MutantKind, int64_t> counts;
  int64_t mutants = 0;
  int64_t baseline = 0;
  // Per seed chunk: the class of the unmutated chunk, once computed.
  std::map<size_t, Classification> baselines;

  void Save(const std::string& name, const std::string& header,
            const std::string& text) {
    if (flags.findings_dir.empty()) return;
    std::ofstream(fs::path(flags.findings_dir) / name)
        << "// corpus_mutator: " << header << "\n"
        << text;
  }

  // The unmutated chunk's class (a finding there is not the mutant's).
  const Classification& Baseline(size_t index, const SeedChunk& seed) {
    auto it = baselines.find(index);
    if (it != baselines.end()) return it->second;
    const std::string path = work_dir + "/baseline.mlir";
    std::ofstream(path) << seed.text;
    Classification c =
        ClassifyRun(RunFile(path, flags), path, seed.text, flags);
    if (IsFinding(c.kind)) {
      std::cerr << "corpus_mutator: baseline " << MutantKindName(c.kind) << " "
                << seed.path << " chunk " << seed.index << ": " << c.reason
                << "\n";
      Save(absl::StrCat("baseline-", fs::path(seed.path).stem().string(), "-",
                        seed.index, ".mlir"),
           absl::StrCat("baseline ", MutantKindName(c.kind), ": ", c.reason,
                        " | source=", seed.path, " chunk=", seed.index),
           seed.text);
    }
    return baselines.emplace(index, std::move(c)).first->second;
  }

  // Runs one mutant; false when the backends cannot be set up.
  bool RunOne(const std::vector<SeedChunk>& seeds, std::mt19937_64& rng) {
    const size_t index =
        std::uniform_int_distribution<size_t>(0, seeds.size() - 1)(rng);
    const SeedChunk& seed = seeds[index];
    const Mutant mutant = Mutate(seed.text, rng);
    const std::string path = work_dir + "/mutant.mlir";
    std::ofstream(path) << mutant.text;
    const ChildResult child = RunFile(path, flags);
    if (SetupFailed(child)) return false;
    ++mutants;
    Classification c = ClassifyRun(child, path, mutant.text, flags);
    if (IsFinding(c.kind) && Baseline(index, seed).kind == c.kind) {
      ++baseline;
      return true;
    }
    ++counts[c.kind];
    if (IsFinding(c.kind)) {
      const std::string header = absl::StrCat(
          MutantKindName(c.kind), ": ", c.reason, " | seed=", flags.seed,
          " mutant=", mutants, " source=", seed.path, " chunk=", seed.index,
          " | ", mutant.description);
      std::cerr << "corpus_mutator: finding " << header << "\n";
      Save(absl::StrCat(MutantKindName(c.kind), "-s", flags.seed, "-m", mutants,
                        ".mlir"),
           header, mutant.text);
    }
    return true;
  }
};

int RunCampaign(const Flags& flags) {
  std::string corpus = flags.corpus;
  if (corpus.empty()) corpus = testing::FindCorpusDir().value_or("");
  std::vector<SeedChunk> seeds;
  if (!corpus.empty()) seeds = LoadSeeds(corpus, flags.max_seed_bytes);
  if (seeds.empty()) {
    std::cout << "corpus_mutator: no corpus seeds found (corpus '" << corpus
              << "'); nothing to do\n";
    return 0;
  }
  Campaign campaign{flags, "", {}, 0, 0, {}};
  const char* tmp = std::getenv("TEST_TMPDIR");
  campaign.work_dir = flags.findings_dir.empty()
                          ? (tmp ? tmp : fs::temp_directory_path().string())
                          : flags.findings_dir;
  if (!flags.findings_dir.empty()) fs::create_directories(flags.findings_dir);
  std::cerr << "corpus_mutator: " << seeds.size() << " seed chunks from "
            << corpus << "/stablehlo/interpret\n";
  std::mt19937_64 rng(flags.seed);
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::seconds(flags.seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (!campaign.RunOne(seeds, rng)) return 2;
  }
  const int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();
  auto n = [&](MutantKind k) { return campaign.counts[k]; };
  std::cout << "corpus_mutator: mutants=" << campaign.mutants
            << " seconds=" << seconds << " signals=" << n(MutantKind::kSignal)
            << " hangs=" << n(MutantKind::kHang)
            << " disagreements=" << n(MutantKind::kDisagreement)
            << " internal=" << n(MutantKind::kInternal)
            << " unsupported=" << n(MutantKind::kUnsupported)
            << " nonterminating=" << n(MutantKind::kNonterminating)
            << " rejected_by_all=" << n(MutantKind::kRejectedByAll)
            << " ran=" << n(MutantKind::kRan)
            << " baseline=" << campaign.baseline << "\n";
  return n(MutantKind::kSignal) + n(MutantKind::kHang) +
                     n(MutantKind::kDisagreement) + n(MutantKind::kInternal) >
                 0
             ? 1
             : 0;
}

}  // namespace
}  // namespace backplane::fuzz

int main(int argc, char** argv) {
  backplane::fuzz::Flags flags;
  if (!backplane::fuzz::ParseFlags(argc, argv, &flags)) return 2;
  if (flags.plugins.cpu.empty()) {
    flags.plugins.cpu =
        backplane::fuzz::Runfile(argv[0], "cpu_plugin/libbackplane_cpu.so");
  }
  if (flags.plugins.sim.empty()) {
    flags.plugins.sim = backplane::fuzz::Runfile(
        argv[0], "sim_accelerator/libbackplane_sim.so");
  }
  if (!flags.replay.empty()) return backplane::fuzz::Replay(flags);
  return backplane::fuzz::RunCampaign(flags);
}
