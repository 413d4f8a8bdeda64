#include "compiler/passes/op_properties.h"

namespace backplane::passes {

using ir::OpCode;

namespace {

bool OpItselfHasSideEffects(const ir::Op& op) {
  switch (op.code()) {
    case OpCode::kUnknown:
    case OpCode::kInfeed:
    case OpCode::kOutfeed:
    case OpCode::kSend:
    case OpCode::kRecv:
    case OpCode::kAllGather:
    case OpCode::kAllReduce:
    case OpCode::kAllToAll:
    case OpCode::kCollectiveBroadcast:
    case OpCode::kCollectivePermute:
    case OpCode::kCrossReplicaSum:
    case OpCode::kReduceScatter:
    case OpCode::kFuncCall:
    case OpCode::kCheckExpectAlmostEq:
    case OpCode::kCheckExpectAlmostEqConst:
    case OpCode::kCheckExpectClose:
    case OpCode::kCheckExpectEq:
    case OpCode::kCheckExpectEqConst:
    case OpCode::kCheckExpectSerializedEq:
    case OpCode::kInterpreterPrint:
    case OpCode::kInterpreterProbe:
    case OpCode::kInterpreterRunParallel:
    case OpCode::kReturn:
    case OpCode::kFuncReturn:
      return true;
    case OpCode::kCustomCall: {
      const ir::Attribute* a = op.attr("has_side_effect");
      // The corpus' check.* custom calls assert results: keep them even if
      // the flag is missing.
      const ir::Attribute* target = op.attr("call_target_name");
      if (target && target->kind() == ir::Attribute::Kind::kString &&
          target->string_value().rfind("check.", 0) == 0) {
        return true;
      }
      return a && a->kind() == ir::Attribute::Kind::kBool && a->bool_value();
    }
    default:
      return false;
  }
}

}  // namespace

bool HasSideEffects(const ir::Op& op) {
  if (OpItselfHasSideEffects(op)) return true;
  for (int r = 0; r < op.num_regions(); ++r) {
    const ir::Region& region = *op.region(r);
    for (int b = 0; b < region.num_blocks(); ++b) {
      for (const auto& inner : region.block(b)->ops()) {
        // Region terminators only pass values out of the region.
        if (ir::IsTerminator(inner->code())) continue;
        if (HasSideEffects(*inner)) return true;
      }
    }
  }
  return false;
}

bool IsCseCandidate(const ir::Op& op) {
  if (op.num_regions() != 0 || op.num_results() == 0) return false;
  // Two custom calls to the same target may still differ (a random number
  // source, a timer) even when the target claims no side effect.
  if (op.code() == OpCode::kRng || op.code() == OpCode::kCustomCall) {
    return false;
  }
  return !HasSideEffects(op);
}

bool IsFoldable(const ir::Op& op) {
  if (op.code() == OpCode::kReplicaId || op.code() == OpCode::kPartitionId ||
      op.code() == OpCode::kRng || op.code() == OpCode::kRngBitGenerator ||
      op.code() == OpCode::kCustomCall) {
    return false;
  }
  return op.num_results() > 0 && !HasSideEffects(op);
}

bool AllResultsUnused(const ir::Op& op) {
  for (int i = 0; i < op.num_results(); ++i) {
    if (!op.result(i)->use_empty()) return false;
  }
  return true;
}

namespace {

// True when `value` is defined in `region` or in a region nested in it.
bool DefinedWithin(const ir::Value* value, const ir::Region* region) {
  const ir::Block* block = value->is_block_argument()
                               ? value->owner_block()
                               : value->defining_op()->parent_block();
  const ir::Region* r = block ? block->parent() : nullptr;
  while (r != nullptr && r != region) {
    const ir::Op* parent = r->parent_op();
    r = parent && parent->parent_block() ? parent->parent_block()->parent()
                                         : nullptr;
  }
  return r != nullptr;
}

}  // namespace

bool RegionsUseOuterValues(const ir::Op& op) {
  bool outer = false;
  for (int r = 0; r < op.num_regions() && !outer; ++r) {
    const ir::Region* region = op.region(r);
    ir::Walk(*region, [&](ir::Op& inner) {
      for (const ir::Value* v : inner.operands()) {
        if (!DefinedWithin(v, region)) outer = true;
      }
    });
  }
  return outer;
}

}  // namespace backplane::passes
