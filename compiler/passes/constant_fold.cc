#include "compiler/passes/constant_fold.h"

#include <utility>

#include "base/status_macros.h"
#include "compiler/passes/dce.h"
#include "compiler/passes/ir_util.h"
#include "compiler/passes/op_properties.h"

namespace backplane::passes {
namespace {

class ConstantFoldPass : public Pass {
 public:
  ConstantFoldPass(ConstantEvaluator evaluator, ConstantFoldOptions options)
      : evaluator_(std::move(evaluator)), options_(options) {}
  absl::string_view name() const override { return "constant-fold"; }

  absl::StatusOr<bool> Run(ir::Module& module) override {
    bool changed = false;
    for (const auto& f : module.functions()) {
      ASSIGN_OR_RETURN(bool c, FoldRegion(f->body()));
      if (c) {
        // The folded ops' operands are often dead now.
        RETURN_IF_ERROR(EliminateDeadCode(f->body()));
        changed = true;
      }
    }
    return changed;
  }

 private:
  absl::StatusOr<bool> FoldRegion(ir::Region& region) {
    bool changed = false;
    for (int b = 0; b < region.num_blocks(); ++b) {
      std::vector<ir::Op*> ops;
      for (const auto& op : region.block(b)->ops()) ops.push_back(op.get());
      // In order, so a fold's new constants feed the next op's fold.
      for (ir::Op* op : ops) {
        for (int r = 0; r < op->num_regions(); ++r) {
          ASSIGN_OR_RETURN(bool c, FoldRegion(*op->region(r)));
          changed |= c;
        }
        ASSIGN_OR_RETURN(bool c, TryFold(op));
        changed |= c;
      }
    }
    return changed;
  }

  absl::StatusOr<bool> TryFold(ir::Op* op) {
    if (op->num_operands() == 0 || !IsFoldable(*op)) return false;
    int64_t result_bytes = 0;
    for (int i = 0; i < op->num_results(); ++i) {
      const ir::Type& t = op->result(i)->type();
      if (!t.is_tensor()) return false;
      result_bytes += t.tensor().byte_size();
    }
    if (result_bytes > options_.max_result_bytes) return false;
    std::vector<ir::Literal> operands;
    operands.reserve(op->num_operands());
    for (ir::Value* v : op->operands()) {
      const ir::Literal* lit = ConstantValue(v);
      if (lit == nullptr) return false;
      operands.push_back(*lit);
    }
    // Ops in regions may read values defined outside (e.g. a reduce body
    // using an outer value); the evaluator only sees operands, so such ops
    // are not folded.
    if (RegionsUseOuterValues(*op)) return false;

    absl::StatusOr<std::vector<ir::Literal>> results =
        evaluator_(*op, operands);
    if (!results.ok()) return false;
    if (static_cast<int>(results->size()) != op->num_results()) return false;
    std::vector<ir::Value*> replacements;
    for (int i = 0; i < op->num_results(); ++i) {
      // A result of the wrong type would be an evaluator bug; refusing to
      // fold keeps the program correct.
      if ((*results)[i].type() != op->result(i)->type().tensor()) return false;
    }
    for (int i = 0; i < op->num_results(); ++i) {
      replacements.push_back(InsertConstant(op, std::move((*results)[i])));
    }
    RETURN_IF_ERROR(ReplaceOp(op, replacements));
    return true;
  }

  ConstantEvaluator evaluator_;
  ConstantFoldOptions options_;
};

}  // namespace

std::unique_ptr<Pass> CreateConstantFoldPass(ConstantEvaluator evaluator,
                                             ConstantFoldOptions options) {
  return std::make_unique<ConstantFoldPass>(std::move(evaluator), options);
}

}  // namespace backplane::passes
