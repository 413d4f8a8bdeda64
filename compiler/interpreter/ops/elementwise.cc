// Element-wise ops: the unary and binary kernels (with the one OpCode ->
// kernels::elementwise::UnaryOp / BinaryOp map), compare, select, clamp,
// conversions, complex parts, float classification, reduce_precision, map, and
// the chlo broadcasting forms, which broadcast their operands to the result
// shape first.
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/ops/results.h"
#include "compiler/kernels/elementwise/binary.h"
#include "compiler/kernels/elementwise/compare.h"
#include "compiler/kernels/elementwise/convert.h"
#include "compiler/kernels/elementwise/iota_complex.h"
#include "compiler/kernels/elementwise/op_kernels.h"
#include "compiler/kernels/elementwise/reduce_precision.h"
#include "compiler/kernels/elementwise/select_clamp.h"
#include "compiler/kernels/elementwise/unary.h"
#include "compiler/kernels/structured/data_movement.h"

namespace backplane::interpreter::ops {
namespace {

namespace ks = kernels::structured;
using ir::OpCode;

bool IsChloBroadcast(OpCode code) {
  return absl::StartsWith(ir::OpCodeName(code), "chlo.broadcast_");
}

// Numpy-style broadcast of `x` to `dims` (trailing alignment), as the
// chlo.broadcast_* ops define it without explicit broadcast dimensions.
absl::StatusOr<ir::Literal> BroadcastTo(const ir::Literal& x,
                                        const std::vector<int64_t>& dims,
                                        const ir::Op& op) {
  if (x.dims() == dims) return x;
  std::vector<int64_t> mapping;
  absl::StatusOr<std::vector<int64_t>> explicit_dims =
      OptionalI64List(op, "broadcast_dimensions");
  if (explicit_dims.ok() && !explicit_dims->empty() &&
      static_cast<int64_t>(explicit_dims->size()) == x.type().rank()) {
    mapping = *explicit_dims;
  } else {
    const int64_t offset = static_cast<int64_t>(dims.size()) - x.type().rank();
    if (offset < 0) {
      return absl::InvalidArgumentError("operand rank exceeds result rank");
    }
    for (int64_t i = 0; i < x.type().rank(); ++i) mapping.push_back(offset + i);
  }
  return ks::BroadcastInDim(x, dims, mapping);
}

// Operands [0, n) broadcast to the result shape (chlo.broadcast_* ops).
absl::StatusOr<std::vector<ir::Literal>> BroadcastOperands(OpContext& ctx,
                                                           size_t n) {
  const std::vector<int64_t>& dims = ctx.result_type().dims();
  std::vector<ir::Literal> out;
  for (size_t i = 0; i < n; ++i) {
    ASSIGN_OR_RETURN(ir::Literal x, BroadcastTo(ctx.tensor(i), dims, ctx.op()));
    out.push_back(std::move(x));
  }
  return out;
}

absl::StatusOr<std::vector<ValueRef>> ExecuteUnary(OpContext& ctx) {
  return Wrap(kernels::elementwise::Unary(
      *kernels::elementwise::UnaryKernelFor(ctx.op().code()), ctx.tensor(0)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteBinary(OpContext& ctx) {
  return Wrap(kernels::elementwise::Binary(
      *kernels::elementwise::BinaryKernelFor(ctx.op().code()), ctx.tensor(0),
      ctx.tensor(1)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteBroadcastBinary(OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<ir::Literal> b, BroadcastOperands(ctx, 2));
  return Wrap(kernels::elementwise::Binary(
      *kernels::elementwise::BinaryKernelFor(ctx.op().code()), b[0], b[1]));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteCompare(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  const auto direction = static_cast<kernels::elementwise::ComparisonDirection>(
      EnumAttrOr(op, "comparison_direction", 0));
  const auto type = static_cast<kernels::elementwise::CompareType>(
      EnumAttrOr(op, "compare_type", 0));
  if (op.code() == OpCode::kChloBroadcastCompare) {
    ASSIGN_OR_RETURN(std::vector<ir::Literal> b, BroadcastOperands(ctx, 2));
    return Wrap(kernels::elementwise::Compare(direction, type, b[0], b[1]));
  }
  return Wrap(kernels::elementwise::Compare(direction, type, ctx.tensor(0),
                                            ctx.tensor(1)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteSelect(OpContext& ctx) {
  return Wrap(kernels::elementwise::Select(ctx.tensor(0), ctx.tensor(1),
                                           ctx.tensor(2)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteBroadcastSelect(OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<ir::Literal> b, BroadcastOperands(ctx, 3));
  return Wrap(kernels::elementwise::Select(b[0], b[1], b[2]));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteClamp(OpContext& ctx) {
  return Wrap(
      kernels::elementwise::Clamp(ctx.tensor(0), ctx.tensor(1), ctx.tensor(2)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteConvert(OpContext& ctx) {
  return Wrap(kernels::elementwise::Convert(ctx.tensor(0),
                                            ctx.result_type().element_type()));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteBitcastConvert(OpContext& ctx) {
  return Wrap(kernels::elementwise::BitcastConvert(
      ctx.tensor(0), ctx.result_type().element_type()));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteReal(OpContext& ctx) {
  return Wrap(kernels::elementwise::Real(ctx.tensor(0)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteImag(OpContext& ctx) {
  return Wrap(kernels::elementwise::Imag(ctx.tensor(0)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteComplex(OpContext& ctx) {
  return Wrap(kernels::elementwise::Complex(ctx.tensor(0), ctx.tensor(1)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteBroadcastComplex(OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<ir::Literal> b, BroadcastOperands(ctx, 2));
  return Wrap(kernels::elementwise::Complex(b[0], b[1]));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteClassify(OpContext& ctx) {
  kernels::elementwise::FloatClass float_class =
      kernels::elementwise::FloatClass::kFinite;
  switch (ctx.op().code()) {
    case OpCode::kChloIsInf:
      float_class = kernels::elementwise::FloatClass::kInf;
      break;
    case OpCode::kChloIsPosInf:
      float_class = kernels::elementwise::FloatClass::kPosInf;
      break;
    case OpCode::kChloIsNegInf:
      float_class = kernels::elementwise::FloatClass::kNegInf;
      break;
    default:  // stablehlo.is_finite
      break;
  }
  return Wrap(kernels::elementwise::Classify(float_class, ctx.tensor(0)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteReducePrecision(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  ASSIGN_OR_RETURN(int64_t e, IntAttr(op, "exponent_bits"));
  ASSIGN_OR_RETURN(int64_t m, IntAttr(op, "mantissa_bits"));
  return Wrap(kernels::elementwise::ReducePrecision(
      ctx.tensor(0), static_cast<int32_t>(e), static_cast<int32_t>(m)));
}

// stablehlo.map: the region once per element, on rank-0 tensors.
absl::StatusOr<std::vector<ValueRef>> ExecuteMap(OpContext& ctx) {
  const size_t n = ctx.operands().size();
  const ir::Literal& first = ctx.tensor(0);
  ir::Literal out(ctx.result_type());
  const int out_size = ir::ElementByteSize(out.element_type());
  std::vector<int> sizes;
  for (size_t i = 0; i < n; ++i) {
    sizes.push_back(ir::ElementByteSize(ctx.tensor(i).element_type()));
  }
  for (int64_t e = 0; e < first.element_count(); ++e) {
    std::vector<ValueRef> args;
    for (size_t i = 0; i < n; ++i) {
      ir::Literal s(ir::TensorType(ctx.tensor(i).element_type(), {}));
      std::memcpy(s.untyped_data(), ctx.tensor(i).untyped_data() + e * sizes[i],
                  sizes[i]);
      args.push_back(RuntimeValue::Tensor(std::move(s)));
    }
    ASSIGN_OR_RETURN(std::vector<ValueRef> r,
                     ctx.RunRegion(0, std::move(args)));
    if (r.size() != 1 || r[0]->tensor().element_type() != out.element_type()) {
      return absl::InvalidArgumentError("map body must return one scalar");
    }
    std::memcpy(out.untyped_data() + e * out_size,
                r[0]->tensor().untyped_data(), out_size);
  }
  return One(std::move(out));
}

}  // namespace

absl::Status RegisterElementwiseOps(OpRegistry& registry) {
  for (int i = 0; i < static_cast<int>(OpCode::kNumOpCodes); ++i) {
    const OpCode code = static_cast<OpCode>(i);
    if (kernels::elementwise::UnaryKernelFor(code).has_value()) {
      RETURN_IF_ERROR(registry.Register(code, ExecuteUnary));
    } else if (kernels::elementwise::BinaryKernelFor(code).has_value()) {
      RETURN_IF_ERROR(registry.Register(code, IsChloBroadcast(code)
                                                  ? ExecuteBroadcastBinary
                                                  : ExecuteBinary));
    }
  }
  RETURN_IF_ERROR(registry.Register(
      {OpCode::kCompare, OpCode::kChloBroadcastCompare}, ExecuteCompare));
  RETURN_IF_ERROR(registry.Register(OpCode::kSelect, ExecuteSelect));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kChloBroadcastSelect, ExecuteBroadcastSelect));
  RETURN_IF_ERROR(registry.Register(OpCode::kClamp, ExecuteClamp));
  RETURN_IF_ERROR(registry.Register(OpCode::kConvert, ExecuteConvert));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kBitcastConvert, ExecuteBitcastConvert));
  RETURN_IF_ERROR(registry.Register(OpCode::kReal, ExecuteReal));
  RETURN_IF_ERROR(registry.Register(OpCode::kImag, ExecuteImag));
  RETURN_IF_ERROR(registry.Register(OpCode::kComplex, ExecuteComplex));
  RETURN_IF_ERROR(registry.Register(OpCode::kChloBroadcastComplex,
                                    ExecuteBroadcastComplex));
  RETURN_IF_ERROR(
      registry.Register({OpCode::kIsFinite, OpCode::kChloIsInf,
                         OpCode::kChloIsPosInf, OpCode::kChloIsNegInf},
                        ExecuteClassify));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kReducePrecision, ExecuteReducePrecision));
  RETURN_IF_ERROR(registry.Register(OpCode::kMap, ExecuteMap));
  return absl::OkStatus();
}

}  // namespace backplane::interpreter::ops
