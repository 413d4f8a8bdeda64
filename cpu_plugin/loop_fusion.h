// Loop fusion: chains of element-wise ops (with the broadcasts, transposes
// and splat constants that feed them) run as one loop nest over the result,
// with no intermediate tensors. A group may end in an f32 row reduction of
// its last value (reduce_thunk.h): the loop then runs over the reduction's
// input and accumulates each row (RowAccumulator, the row reduction's
// order) instead of storing it.
//
//   std::vector<LoopGroup> groups = PlanLoopFusions(block, excluded);
//   // ... when lowering group.root():
//   absl::StatusOr<std::unique_ptr<Thunk>> t =
//       MakeLoopFusionThunk(group, slot_of, result, accuracy);
//
// The loop walks the result in row-major order, the innermost (collapsed)
// dimension in chunks of a few hundred elements that stay in L1. Each input
// is read through a stride per result dimension (0 where it is broadcast,
// permuted where it is transposed),
// and each op runs over a whole chunk with the kernel library's element-wise
// kernels (the interpreter's own kernels, so the values are bit-identical to
// op-by-op evaluation at the same MathAccuracy, NaNs included).
#ifndef BACKPLANE_CPU_PLUGIN_LOOP_FUSION_H_
#define BACKPLANE_CPU_PLUGIN_LOOP_FUSION_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/thunk.h"

namespace backplane::cpu {

// Ops of one fused loop in program order; the last one is the root, whose
// result is the only value the loop writes. Every other member's users are
// all members, except views (broadcast, transpose), which may also belong
// to other groups: each loop reads through its own copy.
struct LoopGroup {
  std::vector<const ir::Op*> members;
  const ir::Op* root() const { return members.back(); }
};

// Whether `op` can be computed inside a fused loop (element-wise op the
// kernels support on its types, broadcast_in_dim or transpose).
bool IsLoopFusible(const ir::Op& op);

// Groups of two or more fusible ops of `block`; ops for which `excluded`
// returns true (already fused elsewhere, or dead) stay out.
std::vector<LoopGroup> PlanLoopFusions(
    const ir::Block& block, const std::function<bool(const ir::Op&)>& excluded);

// The thunk computing `group` into `result`; `slot_of` gives the buffer of
// every value the group reads from outside. `accuracy` selects the
// transcendental kernels (kernels/elementwise/unary.h).
absl::StatusOr<std::unique_ptr<Thunk>> MakeLoopFusionThunk(
    const LoopGroup& group, const std::function<int(const ir::Value*)>& slot_of,
    const BufferRef& result, kernels::MathAccuracy accuracy);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_LOOP_FUSION_H_
