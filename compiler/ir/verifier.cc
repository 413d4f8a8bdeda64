#include "compiler/ir/verifier.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_error.h"
#include "compiler/ir/op_traits.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"

namespace backplane::ir {
namespace {

using verify::OpError;

class Verifier {
 public:
  Verifier(const Module* module, const VerifyOptions& options)
      : module_(module), options_(options) {}

  absl::Status VerifyFunction(const Function& f) {
    if (f.body().num_blocks() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(FormatLocation(f.location()), ": func.func @", f.name(),
                       ": function body must have exactly one block"));
    }
    if (f.arg_attrs().size() != static_cast<size_t>(f.num_arguments()) ||
        f.result_attrs().size() != f.result_types().size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          FormatLocation(f.location()), ": func.func @", f.name(),
          ": argument/result attribute lists do not match the signature"));
    }
    Block* entry = f.entry();
    Op* term = entry->back();
    if (!term || term->code() != OpCode::kFuncReturn) {
      return absl::InvalidArgumentError(
          absl::StrCat(FormatLocation(term ? term->location() : f.location()),
                       ": func.func @", f.name(),
                       ": function body must end with func.return"));
    }
    if (term->operand_types() != f.result_types()) {
      return OpError(
          *term,
          absl::StrCat("returns (", TypeListToString(term->operand_types()),
                       ") but @", f.name(), " declares (",
                       TypeListToString(f.result_types()), ")"));
    }
    return VerifyBlock(*entry, /*in_function_body=*/true);
  }

 private:
  absl::Status VerifyBlock(const Block& block, bool in_function_body) {
    size_t mark = log_.size();
    for (int i = 0; i < block.num_arguments(); ++i) Add(block.argument(i));
    for (const auto& op_ptr : block.ops()) {
      const Op& op = *op_ptr;
      for (int i = 0; i < op.num_operands(); ++i) {
        if (!visible_.contains(op.operand(i))) {
          return OpError(
              op, absl::StrCat("operand #", i, " does not dominate this use"));
        }
      }
      bool is_last = &op == block.back();
      if (IsTerminator(op.code()) && !is_last) {
        return OpError(op, "terminator must be the last op of its block");
      }
      if (op.code() == OpCode::kFuncReturn && !in_function_body) {
        return OpError(op,
                       "func.return inside a nested region (use "
                       "stablehlo.return)");
      }
      if (op.code() == OpCode::kReturn && in_function_body) {
        return OpError(op,
                       "stablehlo.return at function level (use "
                       "func.return)");
      }
      if (op.code() == OpCode::kUnknown && !options_.allow_unknown_ops) {
        return absl::UnimplementedError(
            absl::StrCat(FormatLocation(op.location()), ": ", op.name(),
                         ": unsupported operation"));
      }
      for (int r = 0; r < op.num_regions(); ++r) {
        const Region& region = *op.region(r);
        for (int b = 0; b < region.num_blocks(); ++b) {
          const Block& inner = *region.block(b);
          Op* t = inner.back();
          if (!t || t->code() != OpCode::kReturn) {
            return OpError(op, absl::StrCat("region #", r,
                                            " must end with stablehlo.return"));
          }
          RETURN_IF_ERROR(VerifyBlock(inner, false));
        }
      }
      RETURN_IF_ERROR(VerifyOp(op, module_));
      for (int i = 0; i < op.num_results(); ++i) Add(op.result(i));
    }
    while (log_.size() > mark) {
      visible_.erase(log_.back());
      log_.pop_back();
    }
    return absl::OkStatus();
  }

  void Add(const Value* v) {
    visible_.insert(v);
    log_.push_back(v);
  }

  const Module* module_;
  VerifyOptions options_;
  absl::flat_hash_set<const Value*> visible_;
  std::vector<const Value*> log_;
};

}  // namespace

absl::Status VerifyOp(const Op& op, const Module* module) {
  RETURN_IF_ERROR(verify::VerifyTableTraits(op));
  switch (Traits(op.code()).family) {
    case Family::kElementwise:
      return verify::VerifyElementwiseOp(op);
    case Family::kDataMovement:
      return verify::VerifyDataMovementOp(op);
    case Family::kContraction:
      return verify::VerifyContractionOp(op);
    case Family::kReduction:
      return verify::VerifyReductionOp(op);
    case Family::kIndexing:
      return verify::VerifyIndexingOp(op);
    case Family::kControl:
      return verify::VerifyControlOp(op, module);
    case Family::kCollective:
      return verify::VerifyCollectiveOp(op);
    case Family::kMisc:
      return verify::VerifyMiscOp(op);
    case Family::kUnknown:
      return absl::OkStatus();  // Structural checks only.
  }
  return absl::OkStatus();
}

absl::Status VerifyModule(const Module& module, const VerifyOptions& options) {
  for (const auto& f : module.functions()) {
    Verifier verifier(&module, options);
    RETURN_IF_ERROR(verifier.VerifyFunction(*f));
  }
  return verify::VerifyModuleShardings(module);
}

}  // namespace backplane::ir
