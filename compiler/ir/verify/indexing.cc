// Shape and attribute rules of the indexing ops (dynamic slices, gather,
// scatter, torch_index_select).
#include <vector>

#include "base/status_macros.h"
#include "compiler/ir/legacy_op_rules.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/shape_inference.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"

namespace backplane::ir::verify {
namespace {

absl::Status VerifyScatter(const Op& op) {
  RETURN_IF_ERROR(ExpectRegions(op, 1));
  int n = (op.num_operands() - 1) / 2;
  if (n == 0 || op.num_operands() != 2 * n + 1 || op.num_results() != n) {
    return OpError(op, "expected N inputs, indices, N updates, N results");
  }
  ASSIGN_OR_RETURN(auto dims, Wrap(op, GetScatterDimensionNumbers(op)));
  std::vector<TensorType> inputs = Inputs(op, 0, n);
  RETURN_IF_ERROR(Wrap(
      op, CheckScatter(inputs, In(op, n), Inputs(op, n + 1, 2 * n + 1), dims)));
  for (int i = 0; i < n; ++i) RETURN_IF_ERROR(ExpectResult(op, i, inputs[i]));
  std::vector<Type> scalars = ScalarTypes(inputs);
  std::vector<Type> args = scalars;
  args.insert(args.end(), scalars.begin(), scalars.end());
  return CheckRegion(op, 0, args, scalars);
}

}  // namespace

absl::Status VerifyIndexingOp(const Op& op) {
  if (op.code() == OpCode::kTorchIndexSelect) {
    return Wrap(op, VerifyLegacyOp(op));
  }
  RETURN_IF_ERROR(AllTensors(op));
  switch (op.code()) {
    case OpCode::kDynamicSlice: {
      ASSIGN_OR_RETURN(auto sizes, Wrap(op, GetI64Array(op, "slice_sizes")));
      ASSIGN_OR_RETURN(
          auto t,
          Wrap(op, InferDynamicSliceType(
                       In(op, 0), Inputs(op, 1, op.num_operands()), sizes)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kDynamicUpdateSlice:
      RETURN_IF_ERROR(
          Wrap(op, CheckDynamicUpdateSlice(In(op, 0), In(op, 1),
                                           Inputs(op, 2, op.num_operands()))));
      return ExpectResult(op, 0, In(op, 0));
    case OpCode::kGather: {
      ASSIGN_OR_RETURN(auto dims, Wrap(op, GetGatherDimensionNumbers(op)));
      ASSIGN_OR_RETURN(auto sizes, Wrap(op, GetI64Array(op, "slice_sizes")));
      ASSIGN_OR_RETURN(
          auto t, Wrap(op, InferGatherType(In(op, 0), In(op, 1), dims, sizes)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kScatter:
      return VerifyScatter(op);
    default:
      // dynamic_gather, real_dynamic_slice: sizes come from operand values.
      return absl::OkStatus();
  }
}

}  // namespace backplane::ir::verify
