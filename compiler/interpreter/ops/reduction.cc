// Reduction and ordering ops, which run a region body or comparator over
// groups of elements: reduce, reduce_window, select_and_scatter, sort and
// chlo.top_k, and chlo.scan.
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/ops/results.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/kernels/structured/data_movement.h"
#include "compiler/kernels/structured/reduce.h"
#include "compiler/kernels/structured/reduce_window.h"
#include "compiler/kernels/structured/sort.h"
#include "compiler/kernels/structured/top_k.h"

namespace backplane::interpreter::ops {
namespace {

namespace ks = kernels::structured;
using ir::OpCode;

// stablehlo.reduce: N inputs, N init values.
absl::StatusOr<std::vector<ValueRef>> ExecuteReduce(OpContext& ctx) {
  const size_t n = ctx.operands().size() / 2;
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, I64List(ctx.op(), "dimensions"));
  return WrapAll(ks::Reduce(ctx.literals(0, n), ctx.literals(n, 2 * n), dims,
                            ctx.Body(0)));
}

// stablehlo.reduce_window: N inputs, N init values.
absl::StatusOr<std::vector<ValueRef>> ExecuteReduceWindow(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  const size_t n = ctx.operands().size() / 2;
  ks::WindowParams w;
  ASSIGN_OR_RETURN(w.window_dimensions, I64List(op, "window_dimensions"));
  ASSIGN_OR_RETURN(w.window_strides, OptionalI64List(op, "window_strides"));
  ASSIGN_OR_RETURN(w.base_dilations, OptionalI64List(op, "base_dilations"));
  ASSIGN_OR_RETURN(w.window_dilations, OptionalI64List(op, "window_dilations"));
  ASSIGN_OR_RETURN(w.padding, PaddingPairs(op, "padding"));
  return WrapAll(ks::ReduceWindow(ctx.literals(0, n), ctx.literals(n, 2 * n), w,
                                  ctx.Body(0)));
}

// stablehlo.select_and_scatter: operand, source, init value; region 0
// selects, region 1 scatters.
absl::StatusOr<std::vector<ValueRef>> ExecuteSelectAndScatter(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  ks::WindowParams w;
  ASSIGN_OR_RETURN(w.window_dimensions,
                   OptionalI64List(op, "window_dimensions"));
  ASSIGN_OR_RETURN(w.window_strides, OptionalI64List(op, "window_strides"));
  ASSIGN_OR_RETURN(w.padding, PaddingPairs(op, "padding"));
  if (w.window_dimensions.empty()) {
    w.window_dimensions.assign(ctx.tensor(0).type().rank(), 1);
  }
  return Wrap(ks::SelectAndScatter(ctx.tensor(0), ctx.tensor(1), ctx.tensor(2),
                                   w, ctx.Comparator(0), ctx.Body(1)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteSort(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  return WrapAll(ks::Sort(
      ctx.literals(0, ctx.operands().size()), IntAttrOr(op, "dimension", -1),
      BoolAttrOr(op, "is_stable", false), ctx.Comparator(0)));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteTopK(OpContext& ctx) {
  ASSIGN_OR_RETURN(int64_t k, IntAttr(ctx.op(), "k"));
  ASSIGN_OR_RETURN(ks::TopKResult r, ks::TopK(ctx.tensor(0), k));
  return std::vector<ValueRef>{RuntimeValue::Tensor(std::move(r.values)),
                               RuntimeValue::Tensor(std::move(r.indices))};
}

// chlo.scan: the body once per index along the dimension (backwards with
// is_reverse), on the inputs' slices there and the carries; its output
// slices fill the outputs at that index.
absl::StatusOr<std::vector<ValueRef>> ExecuteScan(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  ASSIGN_OR_RETURN(ir::ScanAttrs s, ir::GetScanAttrs(op));
  const int64_t d = s.dimension;
  const int64_t length = ctx.tensor(0).dims()[d];
  std::vector<ValueRef> carries(ctx.operands().begin() + s.num_inputs,
                                ctx.operands().end());
  std::vector<ir::Literal> outputs;
  for (int i = 0; i < s.num_outputs; ++i) {
    outputs.emplace_back(op.result(i)->type().tensor());
  }
  for (int64_t step = 0; step < length; ++step) {
    const int64_t k = s.reverse ? length - 1 - step : step;
    std::vector<ValueRef> args;
    for (int i = 0; i < s.num_inputs; ++i) {
      const ir::Literal& in = ctx.tensor(i);
      std::vector<int64_t> start(in.type().rank(), 0), limit = in.dims(),
                                                       strides(start.size(), 1);
      start[d] = k;
      limit[d] = k + 1;
      ASSIGN_OR_RETURN(ir::Literal slice, ks::Slice(in, start, limit, strides));
      std::vector<int64_t> dims = in.dims();
      dims.erase(dims.begin() + d);
      ASSIGN_OR_RETURN(ir::Literal erased, ks::Reshape(slice, dims));
      args.push_back(RuntimeValue::Tensor(std::move(erased)));
    }
    args.insert(args.end(), carries.begin(), carries.end());
    ASSIGN_OR_RETURN(std::vector<ValueRef> out, ctx.RunRegion(0, args));
    for (int i = 0; i < s.num_outputs; ++i) {
      std::vector<int64_t> dims = outputs[i].dims();
      dims[d] = 1;
      ASSIGN_OR_RETURN(ir::Literal slice, ks::Reshape(out[i]->tensor(), dims));
      std::vector<int64_t> at(dims.size(), 0);
      at[d] = k;
      ASSIGN_OR_RETURN(outputs[i],
                       ks::DynamicUpdateSlice(outputs[i], slice, at));
    }
    carries.assign(out.begin() + s.num_outputs, out.end());
  }
  std::vector<ValueRef> results;
  for (ir::Literal& o : outputs) {
    results.push_back(RuntimeValue::Tensor(std::move(o)));
  }
  results.insert(results.end(), carries.begin(), carries.end());
  return results;
}

}  // namespace

absl::Status RegisterReductionOps(OpRegistry& registry) {
  RETURN_IF_ERROR(registry.Register(OpCode::kReduce, ExecuteReduce));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kReduceWindow, ExecuteReduceWindow));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kSelectAndScatter, ExecuteSelectAndScatter));
  RETURN_IF_ERROR(registry.Register(OpCode::kSort, ExecuteSort));
  RETURN_IF_ERROR(registry.Register(OpCode::kChloTopK, ExecuteTopK));
  RETURN_IF_ERROR(registry.Register(OpCode::kChloScan, ExecuteScan));
  return absl::OkStatus();
}

}  // namespace backplane::interpreter::ops
