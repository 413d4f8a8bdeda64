#include "compiler/interpreter/body_recognition.h"

#include <vector>

#include "compiler/interpreter/op_attributes.h"

namespace backplane::interpreter {
namespace {

namespace ks = kernels::structured;

std::optional<ks::BodyKind> KindOf(ir::OpCode code) {
  switch (code) {
    case ir::OpCode::kAdd:
      return ks::BodyKind::kAdd;
    case ir::OpCode::kMultiply:
      return ks::BodyKind::kMultiply;
    case ir::OpCode::kMaximum:
      return ks::BodyKind::kMax;
    case ir::OpCode::kMinimum:
      return ks::BodyKind::kMin;
    case ir::OpCode::kAnd:
      return ks::BodyKind::kAnd;
    case ir::OpCode::kOr:
      return ks::BodyKind::kOr;
    default:
      return std::nullopt;
  }
}

}  // namespace

ks::BodyKind RecognizeReductionBody(const ir::Region& region) {
  if (region.num_blocks() != 1) return ks::BodyKind::kGeneric;
  const ir::Block& block = *region.front();
  const int args = block.num_arguments();
  if (args == 0 || args % 2 != 0) return ks::BodyKind::kGeneric;
  const int n = args / 2;
  const ir::Op* ret = block.terminator();
  if (ret == nullptr || ret->num_operands() != n) return ks::BodyKind::kGeneric;
  // Replace: returns the second half of the arguments unchanged.
  bool replace = block.ops().size() == 1;
  for (int i = 0; replace && i < n; ++i) {
    replace = ret->operand(i) == block.argument(n + i);
  }
  if (replace) return ks::BodyKind::kReplace;
  if (static_cast<int>(block.ops().size()) != n + 1) {
    return ks::BodyKind::kGeneric;
  }
  std::optional<ks::BodyKind> kind;
  for (int i = 0; i < n; ++i) {
    const ir::Op* def = ret->operand(i)->defining_op();
    if (def == nullptr || def->num_operands() != 2 ||
        def->parent_block() != &block || def->num_regions() != 0) {
      return ks::BodyKind::kGeneric;
    }
    std::optional<ks::BodyKind> k = KindOf(def->code());
    if (!k || (kind && *kind != *k)) return ks::BodyKind::kGeneric;
    kind = k;
    const ir::Value* a = def->operand(0);
    const ir::Value* b = def->operand(1);
    const ir::Value* acc = block.argument(i);
    const ir::Value* val = block.argument(n + i);
    if (!((a == acc && b == val) || (a == val && b == acc))) {
      return ks::BodyKind::kGeneric;
    }
  }
  return kind ? *kind : ks::BodyKind::kGeneric;
}

std::optional<RecognizedComparator> RecognizeComparator(
    const ir::Region& region) {
  if (region.num_blocks() != 1) return std::nullopt;
  const ir::Block& block = *region.front();
  if (block.num_arguments() < 2 || block.ops().size() != 2) {
    return std::nullopt;
  }
  const ir::Op* ret = block.terminator();
  const ir::Op* cmp = block.front();
  if (ret == nullptr || ret->num_operands() != 1 ||
      cmp->code() != ir::OpCode::kCompare ||
      ret->operand(0) != cmp->result(0)) {
    return std::nullopt;
  }
  bool swapped;
  if (cmp->operand(0) == block.argument(0) &&
      cmp->operand(1) == block.argument(1)) {
    swapped = false;
  } else if (cmp->operand(0) == block.argument(1) &&
             cmp->operand(1) == block.argument(0)) {
    swapped = true;
  } else {
    return std::nullopt;
  }
  const auto direction = static_cast<ir::ComparisonDirection>(
      EnumAttrOr(*cmp, "comparison_direction", -1));
  const auto type = static_cast<ir::ComparisonType>(EnumAttrOr(
      *cmp, "compare_type", static_cast<int>(ir::ComparisonType::kNoType)));
  RecognizedComparator result;
  result.total_order = type == ir::ComparisonType::kTotalOrder;
  if (type == ir::ComparisonType::kTotalOrder &&
      !ir::IsFloat(block.argument(0)->type().element_type())) {
    result.total_order = false;
  }
  switch (direction) {
    case ir::ComparisonDirection::kLt:
      result.kind =
          swapped ? ks::CompareKind::kGreater : ks::CompareKind::kLess;
      break;
    case ir::ComparisonDirection::kGt:
      result.kind =
          swapped ? ks::CompareKind::kLess : ks::CompareKind::kGreater;
      break;
    case ir::ComparisonDirection::kLe:
      result.kind = swapped ? ks::CompareKind::kGreaterEqual
                            : ks::CompareKind::kLessEqual;
      break;
    case ir::ComparisonDirection::kGe:
      result.kind = swapped ? ks::CompareKind::kLessEqual
                            : ks::CompareKind::kGreaterEqual;
      break;
    default:
      return std::nullopt;
  }
  return result;
}

}  // namespace backplane::interpreter
