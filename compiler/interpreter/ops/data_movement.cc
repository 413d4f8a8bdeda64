// Data movement ops: tensors produced by a shape (iota, chlo.constant_like)
// and ops that rearrange elements without computing on them (broadcasts,
// reshape, transpose, slice, concatenate, pad, reverse) or read a shape
// (get_dimension_size).
#include "compiler/kernels/structured/data_movement.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/operand_values.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/ops/results.h"
#include "compiler/kernels/elementwise/convert.h"
#include "compiler/kernels/elementwise/iota_complex.h"

namespace backplane::interpreter::ops {
namespace {

namespace ks = kernels::structured;
using ir::OpCode;

absl::StatusOr<std::vector<ValueRef>> ExecuteIota(OpContext& ctx) {
  ASSIGN_OR_RETURN(int64_t dim, IntAttr(ctx.op(), "iota_dimension"));
  return Wrap(kernels::elementwise::Iota(ctx.result_type(), dim));
}

// chlo.constant_like: the 'value' attribute (dense, float or integer)
// converted to the result element type and broadcast to its shape.
absl::StatusOr<std::vector<ValueRef>> ExecuteConstantLike(OpContext& ctx) {
  const ir::TensorType& type = ctx.result_type();
  const ir::Attribute* value = ctx.op().attr("value");
  if (value == nullptr) {
    return absl::InvalidArgumentError("missing 'value' attribute");
  }
  if (value->kind() == ir::Attribute::Kind::kDenseElements) {
    ASSIGN_OR_RETURN(ir::Literal v,
                     ConvertedTo(value->literal(), type.element_type()));
    return Wrap(ks::BroadcastInDim(v, type.dims(), {}));
  }
  ir::Literal scalar(ir::TensorType(ir::ElementType::kF64, {}));
  if (value->kind() == ir::Attribute::Kind::kFloat) {
    scalar.data<double>()[0] = value->float_value();
  } else if (value->kind() == ir::Attribute::Kind::kInteger) {
    scalar.data<double>()[0] = static_cast<double>(value->int_value());
  } else {
    return absl::InvalidArgumentError("unsupported 'value' attribute");
  }
  ASSIGN_OR_RETURN(ir::Literal v,
                   kernels::elementwise::Convert(scalar, type.element_type()));
  return Wrap(ks::BroadcastInDim(v, type.dims(), {}));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteBroadcastInDim(OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<int64_t> dims,
                   I64List(ctx.op(), "broadcast_dimensions"));
  return Wrap(
      ks::BroadcastInDim(ctx.tensor(0), ctx.result_type().dims(), dims));
}

// stablehlo.broadcast: the operand's dimensions become the trailing ones.
absl::StatusOr<std::vector<ValueRef>> ExecuteBroadcast(OpContext& ctx) {
  const int64_t rank = ctx.tensor(0).type().rank();
  const int64_t offset = ctx.result_type().rank() - rank;
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < rank; ++i) dims.push_back(offset + i);
  return Wrap(
      ks::BroadcastInDim(ctx.tensor(0), ctx.result_type().dims(), dims));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteReshape(OpContext& ctx) {
  return Wrap(ks::Reshape(ctx.tensor(0), ctx.result_type().dims()));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteTranspose(OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<int64_t> perm, I64List(ctx.op(), "permutation"));
  return Wrap(ks::Transpose(ctx.tensor(0), perm));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteSlice(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  ASSIGN_OR_RETURN(std::vector<int64_t> start, I64List(op, "start_indices"));
  ASSIGN_OR_RETURN(std::vector<int64_t> limit, I64List(op, "limit_indices"));
  ASSIGN_OR_RETURN(std::vector<int64_t> strides,
                   OptionalI64List(op, "strides"));
  if (strides.empty()) strides.assign(start.size(), 1);
  return Wrap(ks::Slice(ctx.tensor(0), start, limit, strides));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteRealDynamicSlice(OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<int64_t> start, ToInt64Vector(ctx.tensor(1)));
  ASSIGN_OR_RETURN(std::vector<int64_t> limit, ToInt64Vector(ctx.tensor(2)));
  ASSIGN_OR_RETURN(std::vector<int64_t> strides, ToInt64Vector(ctx.tensor(3)));
  return Wrap(ks::Slice(ctx.tensor(0), start, limit, strides));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteConcatenate(OpContext& ctx) {
  ASSIGN_OR_RETURN(int64_t dim, IntAttr(ctx.op(), "dimension"));
  return Wrap(ks::Concatenate(ctx.literals(0, ctx.operands().size()), dim));
}

absl::StatusOr<std::vector<ValueRef>> ExecutePad(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  ASSIGN_OR_RETURN(std::vector<int64_t> lo, I64List(op, "edge_padding_low"));
  ASSIGN_OR_RETURN(std::vector<int64_t> hi, I64List(op, "edge_padding_high"));
  ASSIGN_OR_RETURN(std::vector<int64_t> in, I64List(op, "interior_padding"));
  return Wrap(ks::Pad(ctx.tensor(0), ctx.tensor(1), lo, hi, in));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteDynamicPad(OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<int64_t> lo, ToInt64Vector(ctx.tensor(2)));
  ASSIGN_OR_RETURN(std::vector<int64_t> hi, ToInt64Vector(ctx.tensor(3)));
  ASSIGN_OR_RETURN(std::vector<int64_t> in, ToInt64Vector(ctx.tensor(4)));
  return Wrap(ks::Pad(ctx.tensor(0), ctx.tensor(1), lo, hi, in));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteReverse(OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, I64List(ctx.op(), "dimensions"));
  return Wrap(ks::Reverse(ctx.tensor(0), dims));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteGetDimensionSize(OpContext& ctx) {
  ASSIGN_OR_RETURN(int64_t dim, IntAttr(ctx.op(), "dimension"));
  const ir::Literal& x = ctx.tensor(0);
  if (dim < 0 || dim >= x.type().rank()) {
    return absl::InvalidArgumentError("dimension out of range");
  }
  ir::Literal out(ctx.result_type());
  out.data<int32_t>()[0] = static_cast<int32_t>(x.dims()[dim]);
  return One(std::move(out));
}

}  // namespace

absl::Status RegisterDataMovementOps(OpRegistry& registry) {
  RETURN_IF_ERROR(
      registry.Register({OpCode::kIota, OpCode::kDynamicIota}, ExecuteIota));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kChloConstantLike, ExecuteConstantLike));
  RETURN_IF_ERROR(registry.Register(
      {OpCode::kBroadcastInDim, OpCode::kDynamicBroadcastInDim},
      ExecuteBroadcastInDim));
  RETURN_IF_ERROR(registry.Register(OpCode::kBroadcast, ExecuteBroadcast));
  RETURN_IF_ERROR(registry.Register({OpCode::kReshape, OpCode::kDynamicReshape},
                                    ExecuteReshape));
  RETURN_IF_ERROR(registry.Register(OpCode::kTranspose, ExecuteTranspose));
  RETURN_IF_ERROR(registry.Register(OpCode::kSlice, ExecuteSlice));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kRealDynamicSlice, ExecuteRealDynamicSlice));
  RETURN_IF_ERROR(registry.Register(OpCode::kConcatenate, ExecuteConcatenate));
  RETURN_IF_ERROR(registry.Register(OpCode::kPad, ExecutePad));
  RETURN_IF_ERROR(registry.Register(OpCode::kDynamicPad, ExecuteDynamicPad));
  RETURN_IF_ERROR(registry.Register(OpCode::kReverse, ExecuteReverse));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kGetDimensionSize, ExecuteGetDimensionSize));
  return absl::OkStatus();
}

}  // namespace backplane::interpreter::ops
