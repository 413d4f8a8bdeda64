// Running one mutant in a forked child on the interpreter, the cpu plugin
// and the sim plugin, and classifying what happened (README.md,
// "Classification").
//
//   PluginPaths plugins = {cpu_so, sim_so};
//   ChildResult child = RunForked(
//       [&] { return RunMutantOnBackends(mutant_path, plugins); },
//       /*timeout_seconds=*/10, /*address_space_bytes=*/size_t{4} << 30);
//   Classification c = Classify(child);
//   if (IsFinding(c.kind)) save(mutant, c.reason);
#ifndef BACKPLANE_TOOLS_FUZZ_CORPUS_MUTATOR_CAMPAIGN_H_
#define BACKPLANE_TOOLS_FUZZ_CORPUS_MUTATOR_CAMPAIGN_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace backplane::fuzz {

// What one backend did with one test.
enum class Verdict {
  kPassed,       // OK: the run finished and every check held.
  kCheckFailed,  // FAILED_PRECONDITION: a check saw a wrong value.
  kRejected,     // Any other error status (`code` says which).
};

struct BackendOutcome {
  std::string backend;  // "interpreter", "cpu", "sim".
  Verdict verdict = Verdict::kRejected;
  absl::StatusCode code = absl::StatusCode::kUnknown;
  std::string message;  // One line, clipped.
};

struct TestOutcome {
  std::string test;  // The test function, or "parse" for a parse failure.
  std::vector<BackendOutcome> backends;
};

BackendOutcome OutcomeOf(const std::string& backend,
                         const absl::Status& status);

// The child's report: one line per test per backend.
std::string EncodeOutcomes(const std::vector<TestOutcome>& tests);
std::vector<TestOutcome> DecodeOutcomes(absl::string_view text);

struct ChildResult {
  enum class End { kExited, kSignaled, kTimedOut, kForkFailed };
  End end = End::kForkFailed;
  int exit_code = 0;  // kExited.
  int signal = 0;     // kSignaled.
  std::string output;
};

// Runs `body` in a forked child (under RLIMIT_AS when `address_space_bytes`
// is set) and kills it after `timeout_seconds`; the child writes what
// `body` returns to a pipe and exits 0.
ChildResult RunForked(const std::function<std::string()>& body,
                      int timeout_seconds,
                      std::optional<size_t> address_space_bytes);

// False under AddressSanitizer or ThreadSanitizer, whose shadow memory
// cannot live under an address-space limit.
bool AddressSpaceLimitsWork();

struct PluginPaths {
  std::string cpu;
  std::string sim;
};

// In the child: discovers the tests of the .mlir file at `path`, runs each
// argument-less test on the interpreter, cpu and sim (plugin clients are
// created here, in the child; with `interpreter_only`, on the interpreter
// alone) and returns EncodeOutcomes of the results.
std::string RunMutantOnBackends(const std::string& path,
                                const PluginPaths& plugins,
                                bool interpreter_only = false);

enum class MutantKind {
  kSignal,          // Killed by a signal, or exited without a report.
  kHang,            // Ran past the timeout.
  kNonterminating,  // Ran past the timeout, and so did the interpreter alone
                    // on a program with a while loop: the mutant does not
                    // terminate (or not soon), which is no bug.
  kInternal,        // Some backend returned INTERNAL.
  kDisagreement,    // PASS on one backend, wrong value or error on another.
  kUnsupported,     // PASS on one backend, UNIMPLEMENTED/RESOURCE_EXHAUSTED
                    // on another, and nothing worse.
  kRejectedByAll,   // No backend ran any test to completion.
  kRan,             // Some test ran on some backend; backends agree.
};

const char* MutantKindName(MutantKind kind);
bool IsFinding(MutantKind kind);

struct Classification {
  MutantKind kind = MutantKind::kRan;
  std::string reason;  // One line; empty for kRan / kRejectedByAll.
};

Classification ClassifyOutcomes(const std::vector<TestOutcome>& tests);
Classification Classify(const ChildResult& child);

}  // namespace backplane::fuzz

#endif  // BACKPLANE_TOOLS_FUZZ_CORPUS_MUTATOR_CAMPAIGN_H_
