#include "cpu_plugin/fusion_plan.h"

#include <algorithm>
#include <utility>

#include "compiler/ir/op_accessors.h"
#include "cpu_plugin/basic_thunks.h"

namespace backplane::cpu {

using ir::OpCode;

const ir::Literal* DenseConstantOf(const ir::Value* v) {
  const ir::Op* def = v->defining_op();
  if (def == nullptr || def->code() != OpCode::kConstant) return nullptr;
  const ir::Attribute* value = def->attr("value");
  if (value == nullptr ||
      value->kind() != ir::Attribute::Kind::kDenseElements) {
    return nullptr;
  }
  return &value->literal();
}

FusionPlan FusionPlan::Make(const ir::Block& block, bool fold_transposes,
                            bool fuse) {
  FusionPlan plan;
  if (fold_transposes) plan.FindFoldableTransposes(block);
  if (fold_transposes && fuse) {
    plan.PlanEpilogues(block);
    plan.PlanLoops(block);
    plan.PlanResidualsInPlace(block);
  }
  return plan;
}

const LoopGroup* FusionPlan::LoopRootedAt(const ir::Op& op) const {
  auto it = loop_root_index_.find(&op);
  return it == loop_root_index_.end() ? nullptr : &loop_groups_[it->second];
}

const EpilogueMatch* FusionPlan::EpilogueOf(const ir::Op& op) const {
  auto it = epilogues_.find(&op);
  return it == epilogues_.end() ? nullptr : &it->second;
}

// Transposes whose only user is a dot_general: the dot reads them in
// place through strides instead of materialising them.
void FusionPlan::FindFoldableTransposes(const ir::Block& block) {
  for (const auto& op : block.ops()) {
    if (op->code() != OpCode::kDotGeneral) continue;
    for (int i = 0; i < 2; ++i) {
      const ir::Op* def = op->operand(i)->defining_op();
      if (def != nullptr && def->code() == OpCode::kTranspose &&
          def->result(0)->uses().size() == 1 &&
          op->operand(0) != op->operand(1)) {
        folded_transposes_.insert(def);
      }
    }
  }
}

// Decides the epilogue fusions before lowering, so that ops whose only
// users are fused away (the broadcasts of batch-norm parameters) are
// never lowered at all.
void FusionPlan::PlanEpilogues(const ir::Block& block) {
  absl::flat_hash_map<const ir::Op*, int> position;
  int index = 0;
  for (const auto& op : block.ops()) position[op.get()] = index++;
  absl::flat_hash_set<const ir::Value*> read_by_fusions;
  for (const auto& op : block.ops()) {
    if (op->code() != OpCode::kConvolution &&
        op->code() != OpCode::kDotGeneral) {
      continue;
    }
    if (op->result(0)->type().tensor().element_type() !=
        ir::ElementType::kF32) {
      continue;
    }
    int64_t feature_dim = -1, weights_out_dim = -1;
    if (!EpilogueDims(*op, &feature_dim, &weights_out_dim).ok() ||
        feature_dim < 0) {
      continue;
    }
    const int here = position[op.get()];
    EpilogueMatch match = MatchEpilogue(
        op->result(0), feature_dim, DenseConstantOf(op->operand(1)) != nullptr,
        [&](const ir::Value* v) {
          const ir::Op* def = v->defining_op();
          return def == nullptr || position.at(def) < here;
        });
    if (match.absorbed.empty()) continue;
    for (const ir::Op* a : match.absorbed) absorbed_.insert(a);
    if (match.residual != nullptr) read_by_fusions.insert(match.residual);
    if (match.bias != nullptr) read_by_fusions.insert(match.bias);
    epilogues_[op.get()] = std::move(match);
  }
  FindDeadOps(block, read_by_fusions);
}

// Pure ops whose every user is absorbed (or itself dead) are dead; a
// residual or bias is read by the fused producer although its user (the
// add) is absorbed.
void FusionPlan::FindDeadOps(
    const ir::Block& block,
    const absl::flat_hash_set<const ir::Value*>& read_by_fusions) {
  for (auto it = block.ops().rbegin(); it != block.ops().rend(); ++it) {
    const ir::Op& op = **it;
    if (absorbed_.contains(&op) || epilogues_.contains(&op) ||
        op.num_results() == 0) {
      continue;
    }
    const bool pure = op.code() == OpCode::kConstant ||
                      op.code() == OpCode::kReshape || IsGenericOpSupported(op);
    if (!pure) continue;
    bool dead = true;
    for (int r = 0; r < op.num_results() && dead; ++r) {
      if (read_by_fusions.contains(op.result(r))) dead = false;
    }
    for (int r = 0; r < op.num_results() && dead; ++r) {
      for (const ir::Use& use : op.result(r)->uses()) {
        if (!absorbed_.contains(use.user) && !dead_.contains(use.user)) {
          dead = false;
          break;
        }
      }
    }
    if (dead) dead_.insert(&op);
  }
}

// Groups of element-wise ops run as one loop (loop_fusion_plan.h), planned
// after the epilogue fusions, which take precedence.
void FusionPlan::PlanLoops(const ir::Block& block) {
  loop_groups_ = PlanLoopFusions(block, [&](const ir::Op& op) {
    return absorbed_.contains(&op) || epilogues_.contains(&op) ||
           dead_.contains(&op) || folded_transposes_.contains(&op);
  });
  for (size_t i = 0; i < loop_groups_.size(); ++i) {
    const LoopGroup& g = loop_groups_[i];
    loop_root_index_[g.root()] = static_cast<int>(i);
    for (const ir::Op* m : g.members) {
      if (m != g.root()) loop_members_.insert(m);
    }
  }
}

// Producers with a fused residual that may write their result over it
// (oneDNN's sum post-op): the residual is computed into a buffer of its
// own (not a parameter, constant or view of another value) and every
// other reader has run before the producer does. Runs after the loop
// plan, because a fused loop reads its members' operands when its root
// runs.
void FusionPlan::PlanResidualsInPlace(const ir::Block& block) {
  absl::flat_hash_map<const ir::Op*, int> runs_at;
  int index = 0;
  for (const auto& op : block.ops()) runs_at[op.get()] = index++;
  for (const auto& [producer, match] : epilogues_) {
    for (const ir::Op* a : match.absorbed) runs_at[a] = runs_at[producer];
  }
  for (const LoopGroup& g : loop_groups_) {
    for (const ir::Op* m : g.members) runs_at[m] = runs_at[g.root()];
  }
  for (const auto& [producer, match] : epilogues_) {
    const ir::Value* residual = match.residual;
    if (residual == nullptr) continue;
    const ir::Op* def = residual->defining_op();
    if (def == nullptr || def->num_regions() > 0 ||
        def->code() == OpCode::kConstant || def->code() == OpCode::kReshape ||
        def->code() == OpCode::kTranspose ||
        def->code() == OpCode::kInterpreterProbe ||
        def->code() == OpCode::kSdyShardingConstraint) {
      continue;
    }
    const int here = runs_at.at(producer);
    bool dies_here = true;
    for (const ir::Use& use : residual->uses()) {
      const ir::Op* user = use.user;
      if (dead_.contains(user)) continue;
      auto at = runs_at.find(user);
      const bool absorbed_here =
          std::find(match.absorbed.begin(), match.absorbed.end(), user) !=
          match.absorbed.end();
      const bool view = user->code() == OpCode::kReshape ||
                        user->code() == OpCode::kTranspose ||
                        user->code() == OpCode::kInterpreterProbe ||
                        user->code() == OpCode::kSdyShardingConstraint;
      if (absorbed_here) continue;
      if (at == runs_at.end() || view || user->num_regions() > 0 ||
          at->second >= here) {
        dies_here = false;
        break;
      }
    }
    if (dies_here) residual_in_place_.insert(producer);
  }
}

}  // namespace backplane::cpu
