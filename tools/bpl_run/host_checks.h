// Moves a test function's check ops out of the program so that a backend
// that does not know the `check` dialect (a plugin) can run it: each check
// is removed and the values it inspects become extra results of the
// function; the checks are then evaluated on the host against those
// results.
//
//   absl::StatusOr<std::vector<HostCheck>> checks =
//       ExtractChecks(*module, "main");   // rewrites @main in place
//   ... run @main, get `outputs` (original results, then checked values) ...
//   absl::Status s = EvaluateHostChecks(*checks, outputs);
#ifndef BACKPLANE_TOOLS_BPL_RUN_HOST_CHECKS_H_
#define BACKPLANE_TOOLS_BPL_RUN_HOST_CHECKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"

namespace backplane::bpl_run {

struct HostCheck {
  enum class Kind { kEq, kAlmostEq, kClose };
  Kind kind = Kind::kEq;
  std::string name;      // "check.expect_eq", for messages.
  std::string location;  // "file:line:column" of the removed op.
  int actual_output = -1;
  int expected_output = -1;  // -1: `expected_constant` holds the value.
  ir::Literal expected_constant;
  int64_t min_ulp_difference = 0;
  int64_t max_ulp_difference = 0;
  double tolerance = 0;  // kAlmostEq.
};

// Rewrites `function` of `module`: removes its top-level check ops
// (check.expect_eq/_const, expect_almost_eq/_const, expect_close and
// custom_call @check.*, expect_serialized_eq) and appends the values they
// inspect to the function's results. expect_serialized_eq compares the
// checked value with the operand of the interpreter.probe that recorded
// it (the backend must run interpreter.probe as the identity): the n-th
// probe of an id in the function body records iteration n; a probe alone
// in the body of a top-level while loop records one value per iteration,
// so the loop is rebuilt to carry the requested iterations' values and
// an iteration count, and a second check requires that the loop ran that
// iteration. UNIMPLEMENTED for checks nested in regions and for other
// nested probes.
absl::StatusOr<std::vector<HostCheck>> ExtractChecks(
    ir::Module& module, absl::string_view function);

// Evaluates the extracted checks against the function's outputs.
absl::Status EvaluateHostChecks(const std::vector<HostCheck>& checks,
                                absl::Span<const ir::Literal> outputs);

}  // namespace backplane::bpl_run

#endif  // BACKPLANE_TOOLS_BPL_RUN_HOST_CHECKS_H_
