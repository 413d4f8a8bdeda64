// The reference interpreter: runs functions of a verified ir::Module on
// host tensors, following the StableHLO spec.
//
//   absl::StatusOr<std::unique_ptr<Interpreter>> interp =
//       Interpreter::Create(*module);
//   absl::StatusOr<std::vector<ir::Literal>> out =
//       (*interp)->Run("main", {x, y});
//
// Every op is dispatched once and its kernel loops over the elements (no
// per-element dispatch except inside region bodies the interpreter does not
// recognise). Values live in a per-call table indexed by value number and
// are released after their last use. Check ops (`check.*`, `custom_call
// @check.*`) are evaluated on the host; a failing check ends the run with
// FAILED_PRECONDITION naming the check, its location and the first
// mismatching element. Unsupported ops are UNIMPLEMENTED naming the op and
// its location. Create verifies the module first (InterpreterOptions) and
// rejects a recv whose channel no send uses (compiler/passes/channel_check.h),
// which would block forever.
// Exhausted host memory (an allocation failing) is RESOURCE_EXHAUSTED naming
// the op, the bytes and the tensor type.
//
// Runs end rather than hang or overflow: a run given a base::Cancellation
// polls it before every op and ends with its CANCELLED or DEADLINE_EXCEEDED;
// calls and regions nest at most InterpreterOptions::max_nesting_depth deep,
// and never into the last base::kStackReserveBytes of the thread's stack (a
// recursive func.call ends with RESOURCE_EXHAUSTED naming the op).
#ifndef BACKPLANE_COMPILER_INTERPRETER_INTERPRETER_H_
#define BACKPLANE_COMPILER_INTERPRETER_INTERPRETER_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/cancellation.h"
#include "compiler/interpreter/probe_store.h"
#include "compiler/interpreter/runtime_value.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter {

struct InterpreterOptions {
  // A run fails with RESOURCE_EXHAUSTED when the tensors it holds exceed
  // this many bytes.
  int64_t max_live_bytes = int64_t{8} << 30;
  // Upper bound on the iterations of one stablehlo.while, so that a
  // runaway loop ends with an error instead of hanging.
  int64_t max_loop_iterations = int64_t{1} << 31;
  // Upper bound on nested regions (function bodies, while/if/case bodies,
  // reduction bodies) open at once, so that recursion or very deep call
  // chains end with RESOURCE_EXHAUSTED instead of overflowing the stack.
  int max_nesting_depth = 1000;
  // Verify the module (compiler/ir/verifier.h) in Create, so that malformed
  // programs are rejected with the verifier's message before they run. Only
  // callers that verified the module themselves should turn this off.
  bool verify = true;
};

struct ExecutionStats {
  int64_t ops_executed = 0;
  int64_t peak_live_bytes = 0;  // Process-wide tensor bytes.
  // Wall time per op name, most expensive first (inclusive: a while op's
  // time contains its body's ops).
  std::vector<std::pair<std::string, int64_t>> op_time_ns;
};

struct FunctionPlan;
struct ProcessContext;
struct Frame;
struct OpPlan;
class OpRegistry;

class Interpreter {
 public:
  static absl::StatusOr<std::unique_ptr<Interpreter>> Create(
      const ir::Module& module, InterpreterOptions options = {});
  ~Interpreter();

  // Runs `function` on tensor arguments; every result must be a tensor.
  // `cancellation` (borrowed for the call; null for this thread's
  // base::CurrentCancellation(), which may be null too) is polled before
  // every op. EvaluateOp polls base::CurrentCancellation().
  absl::StatusOr<std::vector<ir::Literal>> Run(
      absl::string_view function, absl::Span<const ir::Literal> arguments,
      const base::Cancellation* cancellation = nullptr);
  // Runs `function` on any runtime values (tokens and tuples included).
  absl::StatusOr<std::vector<ValueRef>> Call(
      absl::string_view function, std::vector<ValueRef> arguments,
      const base::Cancellation* cancellation = nullptr);

  ExecutionStats stats() const;

 private:
  friend absl::StatusOr<std::vector<ir::Literal>> EvaluateOpUnguarded(
      const ir::Op& op, absl::Span<const ir::Literal> operands);

  // Runs a leaf op's executor (op_registry.h) with its regions in a frame.
  class LeafOpContext;

  Interpreter(const ir::Module* module, InterpreterOptions options,
              const OpRegistry* ops);
  absl::StatusOr<std::vector<ir::Literal>> RunCopying(
      absl::string_view function, absl::Span<const ir::Literal> arguments,
      const base::Cancellation* cancellation);
  absl::StatusOr<std::vector<ValueRef>> CallFunction(
      const ir::Function& function, std::vector<ValueRef> arguments,
      ProcessContext* process);
  absl::StatusOr<std::vector<ValueRef>> RunBlock(Frame& frame,
                                                 const ir::Block& block,
                                                 std::vector<ValueRef> args);
  absl::StatusOr<std::vector<ValueRef>> ExecuteOp(
      Frame& frame, const OpPlan& plan, std::vector<ValueRef>& operands);
  absl::StatusOr<std::vector<ValueRef>> ExecuteLeafOp(
      Frame& frame, const OpPlan& plan, std::vector<ValueRef>& operands);
  absl::StatusOr<std::vector<ValueRef>> RunParallel(
      Frame& frame, const ir::Op& op, std::vector<ValueRef>& operands);

  const ir::Module* module_;
  InterpreterOptions options_;
  absl::flat_hash_map<const ir::Function*, std::unique_ptr<FunctionPlan>>
      plans_;
  std::atomic<int64_t> ops_executed_{0};
  std::array<std::atomic<int64_t>, static_cast<size_t>(ir::OpCode::kNumOpCodes)>
      op_time_ns_{};
  const OpRegistry* ops_;
  ProbeStore probes_;
};

// Evaluates one op on constant operands (for constant folding). Ops with
// regions are supported when the regions use only their own values; ops
// with side effects or cross-process semantics are UNIMPLEMENTED.
absl::StatusOr<std::vector<ir::Literal>> EvaluateOp(
    const ir::Op& op, absl::Span<const ir::Literal> operands);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_INTERPRETER_H_
