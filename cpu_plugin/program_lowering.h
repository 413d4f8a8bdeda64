// Program lowering: turns the entry function of a module into the thunks
// Program (program.h) runs. It plans the fusions (fusion_plan.h), then
// walks the entry block once in order: each op that runs a thunk of its
// own is lowered (oneDNN, fused loops, row reductions, layout copies,
// kernels, the interpreter's generic op), and every slot, write and read
// is reported to the buffer assignment (buffer_assignment.h). A function
// the thunks cannot cover becomes one interpreter thunk instead.
//
//   ASSIGN_OR_RETURN(LoweredProgram lowered,
//                    LowerProgram(*module, options, /*fuse=*/true));
//   // IsFusionFailure(status): a planned fusion oneDNN cannot run for
//   // this shape; lower again with fuse = false.
//
// The thunks point into the module, which must outlive them; the lowered
// program owns the constants it made (fused biases, scaled weights).
#ifndef BACKPLANE_CPU_PLUGIN_PROGRAM_LOWERING_H_
#define BACKPLANE_CPU_PLUGIN_PROGRAM_LOWERING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "cpu_plugin/buffer_assignment.h"
#include "cpu_plugin/program_options.h"
#include "cpu_plugin/thunk.h"

namespace backplane::cpu {

struct LoweredProgram {
  std::vector<ir::TensorType> parameter_types;
  std::vector<ir::TensorType> result_types;
  std::vector<std::unique_ptr<Thunk>> thunks;  // In execution order.
  // Constants the lowering made; constant slots point at their bytes.
  std::vector<std::unique_ptr<ir::Literal>> owned_constants;
  BufferLayout buffers;
  int64_t scratch_bytes = 0;  // The largest thunk's, aligned.
  bool interpreted = false;
  // Why the function runs on the interpreter (its first op that cannot run
  // alone), or empty.
  std::string fallback_reason;
};

// Lowers `options.entry` of `module`; `fuse` enables the epilogue and loop
// fusions (at optimization level > 0).
absl::StatusOr<LoweredProgram> LowerProgram(const ir::Module& module,
                                            const ProgramOptions& options,
                                            bool fuse);

// Whether LowerProgram failed because a planned fusion is not available.
bool IsFusionFailure(const absl::Status& status);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_PROGRAM_LOWERING_H_
