// Loop fusion thunk: runs a LoopProgram (loop_program.h) over the result
// in row-major order, the innermost (collapsed) dimension in chunks of
// kLoopChunk elements that stay in L1, with no intermediate tensors. Each
// input is read through a stride per loop dimension (0 where it is
// broadcast, permuted where it is transposed), and each instruction runs
// over a whole chunk with the kernel library's element-wise kernels (the
// interpreter's own kernels, so the values are bit-identical to op-by-op
// evaluation at the same MathAccuracy, NaNs included). A loop that ends in
// a row reduction accumulates each row (RowAccumulator, the row
// reduction's order) instead of storing it.
//
//   std::vector<LoopGroup> groups = PlanLoopFusions(block, excluded);
//   // ... when lowering group.root():
//   ASSIGN_OR_RETURN(std::unique_ptr<Thunk> t,
//                    MakeLoopFusionThunk(group, slot_of, result, accuracy));
#ifndef BACKPLANE_CPU_PLUGIN_LOOP_FUSION_THUNK_H_
#define BACKPLANE_CPU_PLUGIN_LOOP_FUSION_THUNK_H_

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "compiler/kernels/elementwise/unary.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/loop_fusion_plan.h"
#include "cpu_plugin/thunk.h"

namespace backplane::cpu {

// The thunk computing `group` into `result`: its loop program
// (BuildLoopProgram) after the peepholes (OptimizeLoopProgram). `slot_of`
// gives the buffer of every value the group reads from outside. `accuracy`
// selects the transcendental kernels (kernels/elementwise/unary.h).
absl::StatusOr<std::unique_ptr<Thunk>> MakeLoopFusionThunk(
    const LoopGroup& group, const std::function<int(const ir::Value*)>& slot_of,
    const BufferRef& result, kernels::elementwise::MathAccuracy accuracy);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_LOOP_FUSION_THUNK_H_
