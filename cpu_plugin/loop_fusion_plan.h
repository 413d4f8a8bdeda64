// Loop fusion plan: which ops of a block run together as one fused loop
// (chains of element-wise ops with the broadcasts, transposes and splat
// constants that feed them, possibly ending in an f32 row reduction of their
// last value), and the peepholes that merge a loop program's instructions
// into fewer passes once the loop is built (loop_program.h).
//
//   std::vector<LoopGroup> groups = PlanLoopFusions(block, excluded);
//   for (const LoopGroup& g : groups) Lower(g.root(), g.members);
//   ...
//   OptimizeLoopProgram(&program);  // x * y + c in one pass, Horner chains
#ifndef BACKPLANE_CPU_PLUGIN_LOOP_FUSION_PLAN_H_
#define BACKPLANE_CPU_PLUGIN_LOOP_FUSION_PLAN_H_

#include <functional>
#include <vector>

#include "compiler/ir/ir.h"

namespace backplane::cpu {

struct LoopProgram;

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

// Broadcasts and transposes: members that compute nothing; their users
// read the operand through strides.
bool IsView(const ir::Op& op);

// A view that reads every element at its own index.
bool IsIdentityView(const ir::Op& op);

// A splat dense constant: all elements equal, so it reads with stride 0.
bool IsSplatConstant(const ir::Value* v);

// Groups of two or more fusible ops of `block`; ops for which `excluded`
// returns true (already fused elsewhere, or dead) stay out.
std::vector<LoopGroup> PlanLoopFusions(
    const ir::Block& block, const std::function<bool(const ir::Op&)>& excluded);

// The peepholes, in order: an f32 compare feeding only a select runs inside
// it; a binary op feeding the next as its only reader runs in the same pass;
// runs of multiply-add pairs by the same value become one Horner chain
// (listed as "[chains:8,6]" in the description); binary ops with one splat
// operand read it as one element. Values stay bit for bit the same.
void OptimizeLoopProgram(LoopProgram* program);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_LOOP_FUSION_PLAN_H_
