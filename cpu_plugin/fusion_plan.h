// Fusion plan: which ops of an entry block run inside another op's thunk,
// decided before lowering (program_lowering.h): element-wise epilogues that
// a convolution or matmul absorbs as oneDNN post-ops (epilogue_fusion.h),
// the pure ops that only they read (dead), transposes a dot reads in place,
// groups of element-wise ops that run as one loop (loop_fusion_plan.h), and
// producers whose result may be written over their fused residual.
//
//   FusionPlan plan = FusionPlan::Make(block, /*fold_transposes=*/true,
//                                      /*fuse=*/true);
//   if (plan.IsDead(op) || plan.IsAbsorbed(op)) continue;
//   if (const LoopGroup* g = plan.LoopRootedAt(op)) LowerLoop(*g);
//   if (const EpilogueMatch* m = plan.EpilogueOf(op)) LowerFused(op, *m);
//
// The plan holds pointers into the block, which must outlive it.
#ifndef BACKPLANE_CPU_PLUGIN_FUSION_PLAN_H_
#define BACKPLANE_CPU_PLUGIN_FUSION_PLAN_H_

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "cpu_plugin/epilogue_fusion.h"
#include "cpu_plugin/loop_fusion_plan.h"

namespace backplane::cpu {

// The literal of `v` when a dense constant defines it; nullptr otherwise.
const ir::Literal* DenseConstantOf(const ir::Value* v);

class FusionPlan {
 public:
  // An empty plan: every op runs alone.
  FusionPlan() = default;
  // `fold_transposes`: transposes whose only user is a dot are read in
  // place (optimization level > 0); `fuse`: also the epilogue and loop
  // fusions and residuals in place.
  static FusionPlan Make(const ir::Block& block, bool fold_transposes,
                         bool fuse);

  // A pure op whose every user is absorbed or dead: never lowered.
  bool IsDead(const ir::Op& op) const { return dead_.contains(&op); }
  // Runs inside its producer's oneDNN primitive.
  bool IsAbsorbed(const ir::Op& op) const { return absorbed_.contains(&op); }
  // Runs inside the loop of its group's root (roots excluded).
  bool IsLoopMember(const ir::Op& op) const {
    return loop_members_.contains(&op);
  }
  // Read in place by the dot that uses it (or materialised there).
  bool IsFoldedTranspose(const ir::Op& op) const {
    return folded_transposes_.contains(&op);
  }
  // The group `op` is the root of, or nullptr.
  const LoopGroup* LoopRootedAt(const ir::Op& op) const;
  // The epilogue a convolution or dot absorbs, or nullptr.
  const EpilogueMatch* EpilogueOf(const ir::Op& op) const;
  // Whether `producer` writes its result over its fused residual.
  bool ResidualInPlace(const ir::Op& producer) const {
    return residual_in_place_.contains(&producer);
  }

 private:
  void FindFoldableTransposes(const ir::Block& block);
  void PlanEpilogues(const ir::Block& block);
  void FindDeadOps(
      const ir::Block& block,
      const absl::flat_hash_set<const ir::Value*>& read_by_fusions);
  void PlanLoops(const ir::Block& block);
  void PlanResidualsInPlace(const ir::Block& block);

  absl::flat_hash_set<const ir::Op*> folded_transposes_;
  absl::flat_hash_map<const ir::Op*, EpilogueMatch> epilogues_;
  absl::flat_hash_set<const ir::Op*> absorbed_;
  absl::flat_hash_set<const ir::Op*> dead_;
  std::vector<LoopGroup> loop_groups_;
  absl::flat_hash_map<const ir::Op*, int> loop_root_index_;
  absl::flat_hash_set<const ir::Op*> loop_members_;
  absl::flat_hash_set<const ir::Op*> residual_in_place_;
};

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_FUSION_PLAN_H_
