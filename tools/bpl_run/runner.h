// The bpl_run driver: discovers tests, runs each on a backend and prints
// one line per test,
//
//   PASS <path>[:<func>]
//   FAIL <path>[:<func>]: <reason>
//
// then `N passed, M failed`. With `stats`, each execution is followed by
// `STATS <path>[:<func>] {"wall_ns":...,...}`; with `json_path`, a JSON
// report of every test (path, function, status, reason, wall time) is
// written there.
//
//   RunnerOptions options;
//   RunSummary s = RunTests({"tests/"}, options, *backend, std::cout);
//   return s.failed == 0 ? 0 : 1;
#ifndef BACKPLANE_TOOLS_BPL_RUN_RUNNER_H_
#define BACKPLANE_TOOLS_BPL_RUN_RUNNER_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/test_discovery.h"

namespace backplane::bpl_run {

struct RunnerOptions {
  // Run functions that take arguments with deterministic random inputs.
  bool random_inputs = false;
  bool stats = false;
  std::string json_path;  // Empty: no JSON report.
};

struct RunSummary {
  int64_t passed = 0;
  int64_t failed = 0;
};

// Deterministic inputs for `function`'s arguments: floats uniform in
// [-1, 1), integers in [0, 4), booleans 0/1, seeded by argument index.
absl::StatusOr<std::vector<ir::Literal>> RandomInputs(
    const ir::Function& function);

// The arguments of `test`: none, the file's --args (file_directives.h), or
// with options.random_inputs RandomInputs; FAILED_PRECONDITION saying why
// when the test takes arguments and neither gives them.
absl::StatusOr<std::vector<ir::Literal>> TestInputs(
    const TestFile& file, const TestChunk& chunk, const TestCase& test,
    const RunnerOptions& options);

// Fails only when a path is missing or the JSON report cannot be written;
// test failures are counted in the summary.
absl::StatusOr<RunSummary> RunTests(const std::vector<std::string>& paths,
                                    const RunnerOptions& options,
                                    Backend& backend, std::ostream& out);

}  // namespace backplane::bpl_run

#endif  // BACKPLANE_TOOLS_BPL_RUN_RUNNER_H_
