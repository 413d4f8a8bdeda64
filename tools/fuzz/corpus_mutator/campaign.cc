#include "tools/fuzz/corpus_mutator/campaign.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/build_sanitizer.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/test_discovery.h"

namespace backplane::fuzz {
namespace {

std::string OneLine(absl::string_view s) {
  std::string out(s.substr(0, 200));
  for (char& c : out) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  return out;
}

char VerdictChar(Verdict v) {
  switch (v) {
    case Verdict::kPassed:
      return 'P';
    case Verdict::kCheckFailed:
      return 'F';
    case Verdict::kRejected:
      return 'R';
  }
  return 'R';
}

bool IsCapabilityRefusal(absl::StatusCode code) {
  return code == absl::StatusCode::kUnimplemented ||
         code == absl::StatusCode::kResourceExhausted;
}

std::string Describe(const BackendOutcome& o) {
  switch (o.verdict) {
    case Verdict::kPassed:
      return absl::StrCat(o.backend, " PASS");
    case Verdict::kCheckFailed:
      return absl::StrCat(o.backend, " CHECK_FAILED (", o.message, ")");
    case Verdict::kRejected:
      return absl::StrCat(o.backend, " ", absl::StatusCodeToString(o.code),
                          " (", o.message, ")");
  }
  return o.backend;
}

// The class of one test's outcomes across the backends and why.
Classification ClassifyTest(const TestOutcome& test) {
  const BackendOutcome* passed = nullptr;
  for (const BackendOutcome& o : test.backends) {
    if (o.verdict == Verdict::kRejected &&
        o.code == absl::StatusCode::kInternal) {
      return {MutantKind::kInternal,
              absl::StrCat("@", test.test, ": ", Describe(o))};
    }
    if (o.verdict == Verdict::kPassed && passed == nullptr) passed = &o;
  }
  bool any_ran = false;
  for (const BackendOutcome& o : test.backends) {
    if (o.verdict != Verdict::kRejected) any_ran = true;
  }
  if (passed == nullptr) {
    return {any_ran ? MutantKind::kRan : MutantKind::kRejectedByAll, ""};
  }
  const BackendOutcome* unsupported = nullptr;
  for (const BackendOutcome& o : test.backends) {
    if (o.verdict == Verdict::kCheckFailed ||
        (o.verdict == Verdict::kRejected && !IsCapabilityRefusal(o.code))) {
      return {MutantKind::kDisagreement,
              absl::StrCat("@", test.test, ": ", Describe(*passed), " but ",
                           Describe(o))};
    }
    if (o.verdict == Verdict::kRejected) unsupported = &o;
  }
  if (unsupported != nullptr) {
    return {MutantKind::kUnsupported,
            absl::StrCat("@", test.test, ": ", Describe(*passed), " but ",
                         Describe(*unsupported))};
  }
  return {MutantKind::kRan, ""};
}

int Severity(MutantKind kind) {
  switch (kind) {
    case MutantKind::kSignal:
      return 6;
    case MutantKind::kHang:
      return 5;
    case MutantKind::kInternal:
      return 4;
    case MutantKind::kDisagreement:
      return 3;
    case MutantKind::kUnsupported:
    case MutantKind::kNonterminating:
      return 2;
    case MutantKind::kRan:
      return 1;
    case MutantKind::kRejectedByAll:
      return 0;
  }
  return 0;
}

}  // namespace

BackendOutcome OutcomeOf(const std::string& backend,
                         const absl::Status& status) {
  BackendOutcome o;
  o.backend = backend;
  o.code = status.code();
  o.message = OneLine(status.message());
  if (status.ok()) {
    o.verdict = Verdict::kPassed;
  } else if (status.code() == absl::StatusCode::kFailedPrecondition) {
    o.verdict = Verdict::kCheckFailed;
  } else {
    o.verdict = Verdict::kRejected;
  }
  return o;
}

std::string EncodeOutcomes(const std::vector<TestOutcome>& tests) {
  std::string out;
  for (const TestOutcome& t : tests) {
    for (const BackendOutcome& o : t.backends) {
      absl::StrAppend(&out, OneLine(t.test), "\t", o.backend, "\t",
                      std::string(1, VerdictChar(o.verdict)), "\t",
                      static_cast<int>(o.code), "\t", OneLine(o.message), "\n");
    }
  }
  return out;
}

std::vector<TestOutcome> DecodeOutcomes(absl::string_view text) {
  std::vector<TestOutcome> tests;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits('\t', 4));
    int code = 0;
    if (f.size() != 5 || f[2].size() != 1 || !absl::SimpleAtoi(f[3], &code)) {
      continue;
    }
    if (tests.empty() || tests.back().test != f[0]) {
      tests.push_back(TestOutcome{f[0], {}});
    }
    BackendOutcome o;
    o.backend = f[1];
    o.verdict = f[2] == "P"   ? Verdict::kPassed
                : f[2] == "F" ? Verdict::kCheckFailed
                              : Verdict::kRejected;
    o.code = static_cast<absl::StatusCode>(code);
    o.message = f[4];
    tests.back().backends.push_back(std::move(o));
  }
  return tests;
}

ChildResult RunForked(const std::function<std::string()>& body,
                      int timeout_seconds,
                      std::optional<size_t> address_space_bytes) {
  ChildResult result;
  int out[2];
  if (pipe(out) != 0) return result;
  const pid_t pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    return result;
  }
  if (pid == 0) {
    close(out[0]);
    if (address_space_bytes) {
      struct rlimit limit = {*address_space_bytes, *address_space_bytes};
      if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(3);
    }
    const std::string text = body();
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = write(out[1], text.data() + done, text.size() - done);
      if (n <= 0) _exit(1);
      done += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(out[1]);
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  int status = 0;
  bool exited = false;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  char buf[4096];
  ssize_t n;
  while (!exited && std::chrono::steady_clock::now() < deadline) {
    while ((n = read(out[0], buf, sizeof(buf))) > 0)
      result.output.append(buf, n);
    exited = waitpid(pid, &status, WNOHANG) == pid;
    if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  while ((n = read(out[0], buf, sizeof(buf))) > 0) result.output.append(buf, n);
  close(out[0]);
  if (!exited) {
    result.end = ChildResult::End::kTimedOut;
  } else if (WIFSIGNALED(status)) {
    result.end = ChildResult::End::kSignaled;
    result.signal = WTERMSIG(status);
  } else {
    result.end = ChildResult::End::kExited;
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

bool AddressSpaceLimitsWork() {
  return std::string(base::ThisBuildSanitizer()) == "none";
}

std::string RunMutantOnBackends(const std::string& path,
                                const PluginPaths& plugins,
                                bool interpreter_only) {
  std::vector<std::pair<std::string, std::unique_ptr<bpl_run::Backend>>>
      backends;
  backends.emplace_back("interpreter", bpl_run::MakeInterpreterBackend());
  for (const auto& [name, so] :
       {std::pair<std::string, std::string>("cpu", plugins.cpu),
        std::pair<std::string, std::string>("sim", plugins.sim)}) {
    if (interpreter_only) break;
    absl::StatusOr<std::unique_ptr<bpl_run::Backend>> b =
        bpl_run::MakePluginBackend(so, {});
    if (!b.ok()) {
      return absl::StrCat("SETUP_ERROR cannot load ", name, " from ", so, ": ",
                          OneLine(b.status().message()), "\n");
    }
    backends.emplace_back(name, *std::move(b));
  }
  absl::StatusOr<bpl_run::TestFile> file = bpl_run::LoadTestFile(path);
  if (!file.ok()) {
    return absl::StrCat("SETUP_ERROR ", OneLine(file.status().message()), "\n");
  }
  std::vector<TestOutcome> tests;
  for (const bpl_run::TestChunk& chunk : file->chunks) {
    if (!chunk.parse_status.ok()) {
      // One parser for all backends: its verdict is everyone's.
      TestOutcome t{"parse", {}};
      for (const auto& b : backends) {
        t.backends.push_back(OutcomeOf(b.first, chunk.parse_status));
      }
      tests.push_back(std::move(t));
      continue;
    }
    for (const bpl_run::TestCase& test : chunk.tests) {
      if (test.needs_arguments) continue;
      TestOutcome t{test.function, {}};
      for (auto& b : backends) {
        const bpl_run::ExecutionResult r = b.second->Run(chunk, test, {});
        t.backends.push_back(OutcomeOf(b.first, r.status));
      }
      tests.push_back(std::move(t));
    }
  }
  return EncodeOutcomes(tests);
}

const char* MutantKindName(MutantKind kind) {
  switch (kind) {
    case MutantKind::kSignal:
      return "signal";
    case MutantKind::kHang:
      return "hang";
    case MutantKind::kInternal:
      return "internal";
    case MutantKind::kDisagreement:
      return "disagreement";
    case MutantKind::kUnsupported:
      return "unsupported";
    case MutantKind::kNonterminating:
      return "nonterminating";
    case MutantKind::kRejectedByAll:
      return "rejected_by_all";
    case MutantKind::kRan:
      return "ran";
  }
  return "unknown";
}

bool IsFinding(MutantKind kind) { return Severity(kind) >= 3; }

Classification ClassifyOutcomes(const std::vector<TestOutcome>& tests) {
  Classification worst{MutantKind::kRejectedByAll, ""};
  for (const TestOutcome& t : tests) {
    Classification c = ClassifyTest(t);
    if (Severity(c.kind) > Severity(worst.kind)) worst = std::move(c);
  }
  return worst;
}

Classification Classify(const ChildResult& child) {
  switch (child.end) {
    case ChildResult::End::kForkFailed:
      return {MutantKind::kSignal, "fork failed"};
    case ChildResult::End::kTimedOut:
      return {MutantKind::kHang, "timed out"};
    case ChildResult::End::kSignaled:
      return {MutantKind::kSignal,
              absl::StrCat("killed by signal ", child.signal, " (",
                           strsignal(child.signal), ")")};
    case ChildResult::End::kExited:
      break;
  }
  if (child.exit_code != 0) {
    return {MutantKind::kSignal,
            absl::StrCat("exited with code ", child.exit_code,
                         " without a report")};
  }
  return ClassifyOutcomes(DecodeOutcomes(child.output));
}

}  // namespace backplane::fuzz
