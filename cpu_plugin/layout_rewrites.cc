#include "cpu_plugin/layout_rewrites.h"

#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "compiler/ir/attribute.h"
#include "compiler/ir/literal.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/passes/ir_util.h"

namespace backplane::cpu {
namespace {

using ir::OpCode;

// The operand index of a splat f32 constant operand of `op`, or -1.
int SplatOperand(const ir::Op& op) {
  for (int i = 0; i < op.num_operands(); ++i) {
    const ir::Literal* lit = passes::ConstantValue(op.operand(i));
    if (lit != nullptr && lit->element_type() == ir::ElementType::kF32 &&
        lit->element_count() > 0 && passes::IsSplat(*lit)) {
      return i;
    }
  }
  return -1;
}

bool IsLayoutOp(const ir::Op* op) {
  return op != nullptr && op->num_results() == 1 && op->num_operands() == 1 &&
         op->operand(0)->type().is_tensor() &&
         (op->code() == OpCode::kReshape || op->code() == OpCode::kTranspose);
}

bool IsF32Multiply(const ir::Op& op) {
  return op.code() == OpCode::kMultiply && op.num_operands() == 2 &&
         op.num_results() == 1 && op.result(0)->type().is_tensor() &&
         op.result(0)->type().tensor().element_type() == ir::ElementType::kF32;
}

// Moves `multiply` (by the splat operand `splat`) above the layout ops
// that feed it; returns how many it passed.
absl::StatusOr<int> HoistMultiply(ir::Block& block, ir::Op* multiply,
                                  int splat) {
  const float factor =
      passes::ConstantValue(multiply->operand(splat))->data<float>()[0];
  int moved = 0;
  while (true) {
    ir::Value* value = multiply->operand(1 - splat);
    ir::Op* layout = value->defining_op();
    if (!IsLayoutOp(layout) || value->uses().size() != 1) break;
    ir::Value* source = layout->operand(0);
    if (source->uses().size() != 1) break;
    ir::Value* constant = passes::InsertConstant(
        layout, passes::SplatLiteral(source->type().tensor(), factor));
    std::vector<ir::Value*> operands = {source, constant};
    if (splat == 0) std::swap(operands[0], operands[1]);
    ir::Op* hoisted = block.InsertBefore(
        layout, ir::Op::Create(OpCode::kMultiply, operands, {source->type()}));
    layout->SetOperand(0, hoisted->result(0));
    multiply->result(0)->ReplaceAllUsesWith(layout->result(0));
    RETURN_IF_ERROR(multiply->Erase());
    multiply = hoisted;
    ++moved;
  }
  return moved;
}

// reshape(transpose(x)) -> transpose(reshape(x)) when the reshape drops
// size-1 dimensions and nothing else; returns whether it rewrote.
absl::StatusOr<bool> SwapUnitReshape(ir::Block& block, ir::Op* reshape) {
  ir::Value* transposed = reshape->operand(0);
  ir::Op* transpose = transposed->defining_op();
  if (transpose == nullptr || transpose->code() != OpCode::kTranspose ||
      transposed->uses().size() != 1 || !transposed->type().is_tensor()) {
    return false;
  }
  absl::StatusOr<std::vector<int64_t>> perm =
      ir::GetI64Array(*transpose, "permutation");
  if (!perm.ok()) return false;
  const ir::TensorType& t = transposed->type().tensor();
  const ir::TensorType& r = reshape->result(0)->type().tensor();
  const ir::TensorType& x = transpose->operand(0)->type().tensor();
  if (static_cast<int64_t>(perm->size()) != t.rank() || x.rank() != t.rank()) {
    return false;
  }
  // The reshape must keep exactly t's dimensions other than 1, in order.
  std::vector<int64_t> kept;
  for (int64_t d = 0; d < t.rank(); ++d) {
    if (t.dim(d) != 1) kept.push_back(t.dim(d));
  }
  if (r.dims() != kept || r.rank() == t.rank()) return false;
  // x without its size-1 dimensions, and each remaining x dimension's
  // position there.
  std::vector<int64_t> squeezed_dims, position(x.rank(), -1);
  for (int64_t d = 0; d < x.rank(); ++d) {
    if (x.dim(d) == 1) continue;
    position[d] = static_cast<int64_t>(squeezed_dims.size());
    squeezed_dims.push_back(x.dim(d));
  }
  std::vector<int64_t> squeezed_perm;
  for (int64_t i = 0; i < t.rank(); ++i) {
    const int64_t from = (*perm)[i];
    if (from < 0 || from >= x.rank()) return false;
    if (t.dim(i) != 1) squeezed_perm.push_back(position[from]);
  }
  ir::Op* new_reshape = block.InsertBefore(
      reshape,
      ir::Op::Create(OpCode::kReshape, {transpose->operand(0)},
                     {ir::Type::Tensor(x.element_type(), squeezed_dims)}));
  ir::NamedAttrList attrs;
  attrs.Set("permutation",
            ir::Attribute::DenseArray(ir::ElementType::kS64, squeezed_perm));
  ir::Op* new_transpose = block.InsertBefore(
      reshape, ir::Op::Create(OpCode::kTranspose, {new_reshape->result(0)},
                              {reshape->result(0)->type()}, std::move(attrs)));
  reshape->result(0)->ReplaceAllUsesWith(new_transpose->result(0));
  RETURN_IF_ERROR(reshape->Erase());
  RETURN_IF_ERROR(transpose->Erase());
  return true;
}

}  // namespace

absl::StatusOr<int> RewriteLayoutsForFusion(ir::Block& block) {
  std::vector<ir::Op*> multiplies, reshapes;
  for (const auto& op : block.ops()) {
    if (IsF32Multiply(*op) && SplatOperand(*op) >= 0) {
      multiplies.push_back(op.get());
    }
  }
  int changed = 0;
  for (ir::Op* multiply : multiplies) {
    ASSIGN_OR_RETURN(int moved,
                     HoistMultiply(block, multiply, SplatOperand(*multiply)));
    changed += moved;
  }
  for (const auto& op : block.ops()) {
    if (op->code() == OpCode::kReshape && op->num_operands() == 1 &&
        op->num_results() == 1 && op->result(0)->type().is_tensor()) {
      reshapes.push_back(op.get());
    }
  }
  for (ir::Op* reshape : reshapes) {
    ASSIGN_OR_RETURN(bool swapped, SwapUnitReshape(block, reshape));
    changed += swapped ? 1 : 0;
  }
  return changed;
}

}  // namespace backplane::cpu
