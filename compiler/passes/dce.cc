#include "compiler/passes/dce.h"

#include <vector>

#include "base/status_macros.h"
#include "compiler/passes/op_properties.h"

namespace backplane::passes {
namespace {

class DcePass : public Pass {
 public:
  absl::string_view name() const override { return "dce"; }
  absl::StatusOr<bool> Run(ir::Module& module) override {
    bool changed = false;
    for (const auto& f : module.functions()) {
      ASSIGN_OR_RETURN(bool c, EliminateDeadCode(f->body()));
      changed |= c;
    }
    return changed;
  }
};

}  // namespace

absl::StatusOr<bool> EliminateDeadCode(ir::Region& region) {
  bool changed = false;
  for (int b = region.num_blocks() - 1; b >= 0; --b) {
    ir::Block& block = *region.block(b);
    // Backwards, so that users die before the ops they use. Nested regions
    // are cleaned before their op is judged: dead inner ops that used outer
    // values must release those uses first.
    std::vector<ir::Op*> ops;
    ops.reserve(block.ops().size());
    for (const auto& op : block.ops()) ops.push_back(op.get());
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
      ir::Op* op = *it;
      for (int r = 0; r < op->num_regions(); ++r) {
        ASSIGN_OR_RETURN(bool c, EliminateDeadCode(*op->region(r)));
        changed |= c;
      }
      if (AllResultsUnused(*op) && !HasSideEffects(*op)) {
        RETURN_IF_ERROR(op->Erase());
        changed = true;
      }
    }
  }
  return changed;
}

std::unique_ptr<Pass> CreateDcePass() { return std::make_unique<DcePass>(); }

}  // namespace backplane::passes
