// The execution backend interface of bpl_run: something that runs one test
// function of a parsed module and reports whether it (and its checks)
// passed, plus execution statistics.
//
//   std::unique_ptr<Backend> backend = MakeInterpreterBackend();
//   ExecutionResult r = backend->Run(chunk, test, std::move(inputs));
//   if (!r.status.ok()) print(r.status.message());
#ifndef BACKPLANE_TOOLS_BPL_RUN_BACKEND_H_
#define BACKPLANE_TOOLS_BPL_RUN_BACKEND_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "tools/bpl_run/test_discovery.h"

namespace backplane::bpl_run {

struct ExecutionResult {
  absl::Status status;  // OK when the run finished and every check held.
  int64_t wall_ns = 0;
  // Extra statistics as JSON members without braces, e.g.
  // "\"ops_executed\":12"; may be empty.
  std::string extra_stats_json;
  // True when extra_stats_json already holds the backend's own
  // "wall_ns" (a plugin's execution time); the runner then prints no
  // "wall_ns" of its own in the STATS line.
  bool extra_stats_has_wall_ns = false;
  // The test function's results when the run finished (without the values
  // the checks inspected).
  std::vector<ir::Literal> outputs;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // Runs `test` of the parsed `chunk` on `arguments` (empty for
  // argument-less test functions); its check ops must hold.
  virtual ExecutionResult Run(const TestChunk& chunk, const TestCase& test,
                              std::vector<ir::Literal> arguments) = 0;
};

// The reference interpreter (compiler/interpreter).
std::unique_ptr<Backend> MakeInterpreterBackend();

// A plugin loaded by name or path (plugins/loader) through the C++ API.
// The test function, with its checks moved to extra results (see
// host_checks.h), is compiled as @main and run on the first addressable
// device; the checks are evaluated on the host. `client_options` are
// "key=value" strings; values that parse as integers, floats or
// true/false are passed typed, the rest as strings.
//
// With `collect_statistics`, every execution asks the plugin for its
// execution statistics (the ABI's profiling extension) and reports them
// in extra_stats_json (see statistics_json.h) with "compile_ns"; a plugin
// without the extension, or one that reports no "wall_ns", gets the
// execution time measured around Execute as "wall_ns".
absl::StatusOr<std::unique_ptr<Backend>> MakePluginBackend(
    const std::string& name_or_path,
    const std::vector<std::string>& client_options,
    bool collect_statistics = false);

}  // namespace backplane::bpl_run

#endif  // BACKPLANE_TOOLS_BPL_RUN_BACKEND_H_
