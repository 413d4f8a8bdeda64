// The sim compiler's output and its functional simulation.
//
//   absl::StatusOr<std::unique_ptr<ChipProgram>> program =
//       ChipProgram::Compile(mlir_text, "main", chip);
//   absl::StatusOr<ProgramRun> run = (*program)->Run(arguments);
//   Schedule s = ScheduleExecution(chip, run->work);   // timing.h
//
// Compile parses, verifies and runs the shared passes (inline, canonicalize,
// CSE, DCE; no constant folding, so that the chip computes everything),
// then lowers the entry function to a chip program: dot_general,
// convolution and dot with f32/bf16 operands go to the matrix unit
// (matrix_unit.h), element-wise ops that consume a matrix result alone are
// fused into its output path, everything else runs on the vector unit
// (computed by the compiler kit's portable kernels), and while/if/case are
// sequenced by the chip's scalar control. Check ops (`check.*`) are host
// assertions evaluated as the program runs.
//
// Collectives (all_reduce, all_gather, reduce_scatter, all_to_all,
// collective_permute, collective_broadcast) run on the inter-chip link,
// exchanging values with the other chips of the execution through the
// compiler kit's collective support; replica_id and partition_id read the
// chip's place in it.
//
// Programs the chip cannot express (tuples, tokens, infeed/outfeed,
// send/recv, random number generators, custom calls other than checks,
// regions of data ops that capture outer values) still run, on the
// reference interpreter, on a single chip only, and record no chip work:
// interpreter_fallback() says so and why. Unknown custom_call targets are
// rejected at compile time.
#ifndef BACKPLANE_SIM_ACCELERATOR_CHIP_PROGRAM_H_
#define BACKPLANE_SIM_ACCELERATOR_CHIP_PROGRAM_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/cancellation.h"
#include "compiler/interpreter/collectives.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "sim_accelerator/chip_config.h"
#include "sim_accelerator/timing.h"

namespace backplane::sim {

struct ProgramRun {
  std::vector<ir::Literal> results;
  WorkLog work;  // The chip work of the execution.
};

struct LoweredOp;
struct LoweredBlock;

class ChipProgram {
 public:
  static absl::StatusOr<std::unique_ptr<ChipProgram>> Compile(
      absl::string_view code, absl::string_view entry, const ChipConfig& chip);
  ~ChipProgram();

  const std::vector<ir::TensorType>& parameter_types() const {
    return parameter_types_;
  }
  const std::vector<ir::TensorType>& result_types() const {
    return result_types_;
  }
  // HBM the program's values need at their peak (entry function level,
  // outputs and constants included; arguments excluded).
  int64_t peak_live_bytes() const { return peak_live_bytes_; }
  int64_t output_bytes() const { return output_bytes_; }
  bool interpreter_fallback() const { return !fallback_reason_.empty(); }
  const std::string& fallback_reason() const { return fallback_reason_; }
  // The entry function after compilation (argument attributes intact).
  const ir::Function& entry_function() const { return *entry_; }
  // Matrix-unit ops in the program (nested ones included).
  int64_t matrix_op_count() const { return matrix_op_count_; }

  // Runs the entry function; arguments must match parameter_types(). Safe to
  // call from several threads at once. `collective` places this run in a
  // multi-chip execution (one thread per chip, sharing one ParallelRun);
  // null runs alone, as a group of one. `cancellation` (borrowed; may be
  // null) is polled before every op and loop iteration: the run ends with its
  // CANCELLED or DEADLINE_EXCEEDED.
  absl::StatusOr<ProgramRun> Run(
      const std::vector<std::shared_ptr<const ir::Literal>>& arguments,
      const interpreter::CollectiveContext* collective = nullptr,
      const base::Cancellation* cancellation = nullptr) const;

 private:
  struct Env;
  ChipProgram() = default;
  absl::Status Lower(const ChipConfig& chip);
  absl::Status LowerBlock(const ir::Block& block, const ChipConfig& chip);
  absl::StatusOr<std::vector<std::shared_ptr<const ir::Literal>>> RunBlock(
      const ir::Block& block, Env& env, WorkLog* work) const;
  absl::StatusOr<std::vector<std::shared_ptr<const ir::Literal>>> RunOp(
      const LoweredOp& lowered, const ir::Op& op,
      std::vector<std::shared_ptr<const ir::Literal>> operands, Env& env,
      WorkLog* work) const;

  std::unique_ptr<ir::Module> module_;
  const ir::Function* entry_ = nullptr;
  std::string entry_name_;
  std::vector<ir::TensorType> parameter_types_;
  std::vector<ir::TensorType> result_types_;
  absl::flat_hash_map<const ir::Op*, std::unique_ptr<LoweredOp>> ops_;
  absl::flat_hash_map<const ir::Block*, std::unique_ptr<LoweredBlock>> blocks_;
  int64_t peak_live_bytes_ = 0;
  int64_t output_bytes_ = 0;
  int64_t matrix_op_count_ = 0;
  std::string fallback_reason_;
  // The fallback interpreter keeps per-run state: one run at a time.
  std::unique_ptr<interpreter::Interpreter> interpreter_;
  mutable std::mutex interpreter_mu_;
};

}  // namespace backplane::sim

#endif  // BACKPLANE_SIM_ACCELERATOR_CHIP_PROGRAM_H_
