// Shape, attribute and region rules of the reducing ops (reduce,
// reduce_window, select_and_scatter, sort, map, top_k, batch_norm_*).
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/legacy_op_rules.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/shape_inference.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"

namespace backplane::ir::verify {
namespace {

// N inputs, N init values, N results; returns N.
absl::StatusOr<int> InputsAndInits(const Op& op) {
  RETURN_IF_ERROR(ExpectRegions(op, 1));
  int n = op.num_operands() / 2;
  if (n == 0 || op.num_operands() != 2 * n || op.num_results() != n) {
    return OpError(op, "expected N inputs, N init values and N results");
  }
  return n;
}

// The region of a reduction over `inits`: (acc..., x...) -> acc...
absl::Status CheckReducer(const Op& op, const std::vector<TensorType>& inits) {
  std::vector<Type> scalars = ScalarTypes(inits);
  std::vector<Type> args = scalars;
  args.insert(args.end(), scalars.begin(), scalars.end());
  return CheckRegion(op, 0, args, scalars);
}

absl::Status VerifyReduce(const Op& op) {
  ASSIGN_OR_RETURN(int n, InputsAndInits(op));
  ASSIGN_OR_RETURN(auto dims, Wrap(op, GetI64Array(op, "dimensions")));
  std::vector<TensorType> inits = Inputs(op, n, 2 * n);
  ASSIGN_OR_RETURN(auto types,
                   Wrap(op, InferReduceTypes(Inputs(op, 0, n), inits, dims)));
  for (int i = 0; i < n; ++i) RETURN_IF_ERROR(ExpectResult(op, i, types[i]));
  return CheckReducer(op, inits);
}

absl::Status VerifyReduceWindow(const Op& op) {
  ASSIGN_OR_RETURN(int n, InputsAndInits(op));
  int64_t rank = In(op, 0).rank();
  std::vector<int64_t> ones(rank, 1);
  ASSIGN_OR_RETURN(auto wd, Wrap(op, GetI64Array(op, "window_dimensions")));
  ASSIGN_OR_RETURN(auto ws,
                   Wrap(op, GetI64ArrayOr(op, "window_strides", ones)));
  ASSIGN_OR_RETURN(auto bd,
                   Wrap(op, GetI64ArrayOr(op, "base_dilations", ones)));
  ASSIGN_OR_RETURN(auto wdl,
                   Wrap(op, GetI64ArrayOr(op, "window_dilations", ones)));
  ASSIGN_OR_RETURN(auto pad, Wrap(op, GetPaddingPairs(op, "padding", rank)));
  std::vector<TensorType> inits = Inputs(op, n, 2 * n);
  ASSIGN_OR_RETURN(auto types,
                   Wrap(op, InferReduceWindowTypes(Inputs(op, 0, n), inits, wd,
                                                   ws, bd, wdl, pad)));
  for (int i = 0; i < n; ++i) RETURN_IF_ERROR(ExpectResult(op, i, types[i]));
  return CheckReducer(op, inits);
}

absl::Status VerifySelectAndScatter(const Op& op) {
  RETURN_IF_ERROR(ExpectRegions(op, 2));
  RETURN_IF_ERROR(ExpectResult(op, 0, In(op, 0)));
  Type elem = Type::Tensor(In(op, 0).element_type(), {});
  Type src = Type::Tensor(In(op, 1).element_type(), {});
  RETURN_IF_ERROR(
      CheckRegion(op, 0, {elem, elem}, {Type::Tensor(ElementType::kPred, {})}));
  return CheckRegion(op, 1, {src, src}, {src});
}

absl::Status VerifySort(const Op& op) {
  RETURN_IF_ERROR(ExpectRegions(op, 1));
  int n = op.num_operands();
  std::vector<TensorType> inputs = Inputs(op, 0, n);
  for (int i = 0; i < n; ++i) {
    if (inputs[i].dims() != inputs[0].dims()) {
      return OpError(op, "sort inputs must share a shape");
    }
    RETURN_IF_ERROR(ExpectResult(op, i, inputs[i]));
  }
  ASSIGN_OR_RETURN(auto dim, Wrap(op, GetI64Or(op, "dimension", -1)));
  int64_t rank = inputs[0].rank();
  if (dim < -rank || dim >= rank) {
    return OpError(op, absl::StrCat("dimension ", dim,
                                    " is out of range for rank ", rank));
  }
  std::vector<Type> args;
  for (const TensorType& t : inputs) {
    Type s = Type::Tensor(t.element_type(), {});
    args.push_back(s);
    args.push_back(s);
  }
  return CheckRegion(op, 0, args, {Type::Tensor(ElementType::kPred, {})});
}

absl::Status VerifyMap(const Op& op) {
  RETURN_IF_ERROR(ExpectRegions(op, 1));
  std::vector<TensorType> inputs = Inputs(op, 0, op.num_operands());
  for (const TensorType& t : inputs) {
    if (t.dims() != Out(op, 0).dims()) {
      return OpError(op, "map inputs and result must share a shape");
    }
  }
  return CheckRegion(op, 0, ScalarTypes(inputs),
                     {Type::Tensor(Out(op, 0).element_type(), {})});
}

absl::Status VerifyTopK(const Op& op) {
  ASSIGN_OR_RETURN(auto k, Wrap(op, GetI64(op, "k")));
  const TensorType& in = In(op, 0);
  if (in.rank() < 1 || k < 0 || k > in.dims().back()) {
    return OpError(op, "k must be in [0, size of the last dimension]");
  }
  std::vector<int64_t> dims = in.dims();
  dims.back() = k;
  RETURN_IF_ERROR(ExpectResult(op, 0, TensorType(in.element_type(), dims)));
  return ExpectResult(op, 1, TensorType(ElementType::kS32, dims));
}

// `t` without dimension `d`.
Type Erased(const TensorType& t, int64_t d) {
  std::vector<int64_t> dims = t.dims();
  dims.erase(dims.begin() + d);
  return Type::Tensor(t.element_type(), dims);
}

// chlo.scan: every input and output runs `length` along `dimension`; the
// body maps (input slices..., carries...) to (output slices..., carries...)
// and the carries keep the inits' types.
absl::Status VerifyScan(const Op& op) {
  ASSIGN_OR_RETURN(ScanAttrs s, Wrap(op, GetScanAttrs(op)));
  RETURN_IF_ERROR(ExpectRegions(op, 1));
  const int64_t d = s.dimension;
  const int64_t length =
      In(op, 0).rank() > d && d >= 0 ? In(op, 0).dims()[d] : -1;
  std::vector<Type> args, returns;
  auto along = [&](const TensorType& t,
                   const std::string& what) -> absl::Status {
    if (d < 0 || d >= t.rank() || t.dims()[d] != length) {
      return OpError(
          op, absl::StrCat(what, " (", t.ToString(), ") does not run ", length,
                           " along the scan dimension ", d));
    }
    return absl::OkStatus();
  };
  if (length < 0) {
    return OpError(op, absl::StrCat("dimension ", d, " is out of range for ",
                                    In(op, 0).ToString()));
  }
  for (int i = 0; i < s.num_inputs; ++i) {
    RETURN_IF_ERROR(along(In(op, i), absl::StrCat("input #", i)));
    args.push_back(Erased(In(op, i), d));
  }
  for (int i = 0; i < s.num_outputs; ++i) {
    RETURN_IF_ERROR(along(Out(op, i), absl::StrCat("output #", i)));
    returns.push_back(Erased(Out(op, i), d));
  }
  for (int i = 0; i < s.num_inits; ++i) {
    const Type& init = op.operand(s.num_inputs + i)->type();
    RETURN_IF_ERROR(ExpectResult(op, s.num_outputs + i, init.tensor()));
    args.push_back(init);
    returns.push_back(init);
  }
  return CheckRegion(op, 0, args, returns);
}

}  // namespace

absl::Status VerifyReductionOp(const Op& op) {
  switch (op.code()) {
    case OpCode::kBatchNormInference:
    case OpCode::kBatchNormTraining:
    case OpCode::kBatchNormGrad:
      return Wrap(op, VerifyLegacyOp(op));
    default:
      break;
  }
  RETURN_IF_ERROR(AllTensors(op));
  switch (op.code()) {
    case OpCode::kReduce:
      return VerifyReduce(op);
    case OpCode::kReduceWindow:
      return VerifyReduceWindow(op);
    case OpCode::kSelectAndScatter:
      return VerifySelectAndScatter(op);
    case OpCode::kSort:
      return VerifySort(op);
    case OpCode::kMap:
      return VerifyMap(op);
    case OpCode::kChloTopK:
      return VerifyTopK(op);
    case OpCode::kChloScan:
      return VerifyScan(op);
    default:
      return absl::OkStatus();
  }
}

}  // namespace backplane::ir::verify
