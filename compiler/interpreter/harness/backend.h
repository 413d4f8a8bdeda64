// The execution backend interface of bpl_run: something that runs one test
// function of a parsed module and reports whether it (and its checks)
// passed, plus execution statistics.
//
//   std::unique_ptr<Backend> backend = MakeInterpreterBackend();
//   ExecutionResult r = backend->Run(*module, "main", inputs);
//   if (!r.status.ok()) print(r.status.message());
#ifndef BACKPLANE_COMPILER_INTERPRETER_HARNESS_BACKEND_H_
#define BACKPLANE_COMPILER_INTERPRETER_HARNESS_BACKEND_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"

namespace backplane::bpl_run {

struct ExecutionResult {
  absl::Status status;  // OK when the run finished and every check held.
  int64_t wall_ns = 0;
  // Extra statistics as JSON members without braces, e.g.
  // "\"ops_executed\":12"; may be empty.
  std::string extra_stats_json;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // Runs `function` of `module` on `arguments` (empty for argument-less
  // test functions), evaluating the check ops on the host.
  virtual ExecutionResult Run(const ir::Module& module,
                              const std::string& function,
                              const std::vector<ir::Literal>& arguments) = 0;
};

// The reference interpreter (compiler/interpreter).
std::unique_ptr<Backend> MakeInterpreterBackend();

}  // namespace backplane::bpl_run

#endif  // BACKPLANE_COMPILER_INTERPRETER_HARNESS_BACKEND_H_
