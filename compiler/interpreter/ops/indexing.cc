// Indexing ops: slices at run-time offsets (dynamic_slice,
// dynamic_update_slice) and the index-tensor driven gather and scatter.
#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/operand_values.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/ops/results.h"
#include "compiler/kernels/structured/data_movement.h"
#include "compiler/kernels/structured/gather.h"
#include "compiler/kernels/structured/scatter.h"

namespace backplane::interpreter::ops {
namespace {

namespace ks = kernels::structured;
using ir::OpCode;

absl::StatusOr<std::vector<ValueRef>> ExecuteDynamicSlice(OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<int64_t> sizes,
                   I64List(ctx.op(), "slice_sizes"));
  ASSIGN_OR_RETURN(std::vector<int64_t> start,
                   ScalarInts(ctx.operands(), 1, ctx.operands().size()));
  return Wrap(ks::DynamicSlice(ctx.tensor(0), start, sizes));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteDynamicUpdateSlice(
    OpContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<int64_t> start,
                   ScalarInts(ctx.operands(), 2, ctx.operands().size()));
  return Wrap(ks::DynamicUpdateSlice(ctx.tensor(0), ctx.tensor(1), start));
}

// stablehlo.gather (slice_sizes attribute) and dynamic_gather (slice sizes
// operand).
absl::StatusOr<std::vector<ValueRef>> ExecuteGather(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  const ir::Attribute* a = op.attr("dimension_numbers");
  const ir::GatherDimensionNumbers* d =
      a == nullptr ? nullptr : a->gather_dimension_numbers();
  if (d == nullptr) {
    return absl::InvalidArgumentError("missing dimension_numbers");
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> sizes,
                   op.code() == OpCode::kGather ? I64List(op, "slice_sizes")
                                                : ToInt64Vector(ctx.tensor(2)));
  ks::GatherDimensionNumbers dn;
  dn.offset_dims = d->offset_dims;
  dn.collapsed_slice_dims = d->collapsed_slice_dims;
  dn.operand_batching_dims = d->operand_batching_dims;
  dn.start_indices_batching_dims = d->start_indices_batching_dims;
  dn.start_index_map = d->start_index_map;
  dn.index_vector_dim = d->index_vector_dim;
  return Wrap(ks::Gather(ctx.tensor(0), ctx.tensor(1), dn, sizes));
}

// stablehlo.scatter: N inputs, the indices, N updates.
absl::StatusOr<std::vector<ValueRef>> ExecuteScatter(OpContext& ctx) {
  const size_t n = (ctx.operands().size() - 1) / 2;
  const ir::Attribute* a = ctx.op().attr("scatter_dimension_numbers");
  const ir::ScatterDimensionNumbers* d =
      a == nullptr ? nullptr : a->scatter_dimension_numbers();
  if (d == nullptr) {
    return absl::InvalidArgumentError("missing scatter_dimension_numbers");
  }
  ks::ScatterDimensionNumbers dn;
  dn.update_window_dims = d->update_window_dims;
  dn.inserted_window_dims = d->inserted_window_dims;
  dn.input_batching_dims = d->input_batching_dims;
  dn.scatter_indices_batching_dims = d->scatter_indices_batching_dims;
  dn.scatter_dims_to_operand_dims = d->scatter_dims_to_operand_dims;
  dn.index_vector_dim = d->index_vector_dim;
  return WrapAll(ks::Scatter(ctx.literals(0, n), ctx.tensor(n),
                             ctx.literals(n + 1, 2 * n + 1), dn, ctx.Body(0)));
}

}  // namespace

absl::Status RegisterIndexingOps(OpRegistry& registry) {
  RETURN_IF_ERROR(
      registry.Register(OpCode::kDynamicSlice, ExecuteDynamicSlice));
  RETURN_IF_ERROR(registry.Register(OpCode::kDynamicUpdateSlice,
                                    ExecuteDynamicUpdateSlice));
  RETURN_IF_ERROR(registry.Register({OpCode::kGather, OpCode::kDynamicGather},
                                    ExecuteGather));
  RETURN_IF_ERROR(registry.Register(OpCode::kScatter, ExecuteScatter));
  return absl::OkStatus();
}

}  // namespace backplane::interpreter::ops
