// Contraction ops: dot, dot_general, convolution (static and dynamic
// padding) and chlo.ragged_dot. Operands are converted to the result
// element type first.
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/operand_values.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/ops/results.h"
#include "compiler/interpreter/ragged_dot.h"
#include "compiler/kernels/structured/convolution.h"
#include "compiler/kernels/structured/dot.h"

namespace backplane::interpreter::ops {
namespace {

namespace ks = kernels::structured;
using ir::OpCode;

absl::StatusOr<ks::DotDimensionNumbers> DotDimensions(const ir::Op& op,
                                                      int64_t lhs_rank) {
  ks::DotDimensionNumbers dn;
  if (op.code() == OpCode::kDot) {
    dn.lhs_contracting = {lhs_rank - 1};
    dn.rhs_contracting = {0};
    return dn;
  }
  const ir::Attribute* a = op.attr("dot_dimension_numbers");
  const ir::DotDimensionNumbers* d =
      a == nullptr ? nullptr : a->dot_dimension_numbers();
  if (d == nullptr) {
    return absl::InvalidArgumentError("missing dot_dimension_numbers");
  }
  dn.lhs_batch = d->lhs_batching_dimensions;
  dn.rhs_batch = d->rhs_batching_dimensions;
  dn.lhs_contracting = d->lhs_contracting_dimensions;
  dn.rhs_contracting = d->rhs_contracting_dimensions;
  return dn;
}

absl::StatusOr<std::vector<ValueRef>> ExecuteDot(OpContext& ctx) {
  const ir::ElementType type = ctx.result_type().element_type();
  ASSIGN_OR_RETURN(ir::Literal lhs, ConvertedTo(ctx.tensor(0), type));
  ASSIGN_OR_RETURN(ir::Literal rhs, ConvertedTo(ctx.tensor(1), type));
  ASSIGN_OR_RETURN(ks::DotDimensionNumbers dn,
                   DotDimensions(ctx.op(), lhs.type().rank()));
  return Wrap(ks::DotGeneral(lhs, rhs, dn));
}

// The convolution parameters of `op`; stablehlo.dynamic_conv reads its
// padding from `padding_operand`, the others from the 'padding' attribute.
absl::StatusOr<ks::ConvolutionParams> ConvolutionParamsOf(
    const ir::Op& op, const ir::Literal* padding_operand) {
  ks::ConvolutionParams p;
  const ir::Attribute* a = op.attr("dimension_numbers");
  const ir::ConvDimensionNumbers* d =
      a == nullptr ? nullptr : a->conv_dimension_numbers();
  if (d == nullptr) {
    return absl::InvalidArgumentError("missing dimension_numbers");
  }
  p.input_batch_dimension = d->input_batch_dimension;
  p.input_feature_dimension = d->input_feature_dimension;
  p.input_spatial_dimensions = d->input_spatial_dimensions;
  p.kernel_input_feature_dimension = d->kernel_input_feature_dimension;
  p.kernel_output_feature_dimension = d->kernel_output_feature_dimension;
  p.kernel_spatial_dimensions = d->kernel_spatial_dimensions;
  p.output_batch_dimension = d->output_batch_dimension;
  p.output_feature_dimension = d->output_feature_dimension;
  p.output_spatial_dimensions = d->output_spatial_dimensions;
  ASSIGN_OR_RETURN(p.window_strides, OptionalI64List(op, "window_strides"));
  ASSIGN_OR_RETURN(p.lhs_dilation, OptionalI64List(op, "lhs_dilation"));
  ASSIGN_OR_RETURN(p.rhs_dilation, OptionalI64List(op, "rhs_dilation"));
  ASSIGN_OR_RETURN(std::vector<int64_t> reversal,
                   OptionalI64List(op, "window_reversal"));
  for (int64_t r : reversal) p.window_reversal.push_back(r != 0);
  if (padding_operand != nullptr) {
    ASSIGN_OR_RETURN(std::vector<int64_t> pad, ToInt64Vector(*padding_operand));
    for (size_t i = 0; i + 1 < pad.size(); i += 2) {
      p.padding.emplace_back(pad[i], pad[i + 1]);
    }
  } else {
    ASSIGN_OR_RETURN(p.padding, PaddingPairs(op, "padding"));
  }
  p.feature_group_count = IntAttrOr(op, "feature_group_count", 1);
  p.batch_group_count = IntAttrOr(op, "batch_group_count", 1);
  return p;
}

absl::StatusOr<std::vector<ValueRef>> ExecuteConvolution(OpContext& ctx) {
  const bool dynamic = ctx.op().code() == OpCode::kDynamicConv;
  ASSIGN_OR_RETURN(
      ks::ConvolutionParams p,
      ConvolutionParamsOf(ctx.op(), dynamic ? &ctx.tensor(2) : nullptr));
  const ir::ElementType type = ctx.result_type().element_type();
  ASSIGN_OR_RETURN(ir::Literal lhs, ConvertedTo(ctx.tensor(0), type));
  ASSIGN_OR_RETURN(ir::Literal rhs, ConvertedTo(ctx.tensor(1), type));
  return Wrap(ks::Convolution(lhs, rhs, p));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteRaggedDot(OpContext& ctx) {
  const ir::Attribute* a = ctx.op().attr("ragged_dot_dimension_numbers");
  if (a == nullptr || a->kind() != ir::Attribute::Kind::kOpaque) {
    return absl::InvalidArgumentError("missing ragged_dot_dimension_numbers");
  }
  ASSIGN_OR_RETURN(RaggedDotDimensionNumbers dims,
                   ParseRaggedDotDimensionNumbers(a->string_value()));
  return Wrap(RaggedDot(ctx.tensor(0), ctx.tensor(1), ctx.tensor(2), dims,
                        ctx.result_type()));
}

}  // namespace

absl::Status RegisterContractionOps(OpRegistry& registry) {
  RETURN_IF_ERROR(
      registry.Register({OpCode::kDot, OpCode::kDotGeneral}, ExecuteDot));
  RETURN_IF_ERROR(registry.Register(
      {OpCode::kConvolution, OpCode::kDynamicConv}, ExecuteConvolution));
  RETURN_IF_ERROR(registry.Register(OpCode::kChloRaggedDot, ExecuteRaggedDot));
  return absl::OkStatus();
}

}  // namespace backplane::interpreter::ops
