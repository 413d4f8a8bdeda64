// Shape and attribute rules of the data-movement ops (broadcast, reshape,
// transpose, slice, concatenate, pad, iota, constants, dimension sizes).
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

absl::Status VerifyConstant(const Op& op) {
  const Attribute* v = op.attr("value");
  if (!v || v->kind() != Attribute::Kind::kDenseElements) {
    return OpError(op, "needs a dense 'value' attribute");
  }
  if (op.result(0)->type() != Type::Tensor(v->literal().type())) {
    return OpError(op,
                   absl::StrCat("value type ", v->literal().type().ToString(),
                                " differs from result type ",
                                op.result(0)->type().ToString()));
  }
  return absl::OkStatus();
}

absl::Status VerifySlice(const Op& op) {
  ASSIGN_OR_RETURN(auto start, Wrap(op, GetI64Array(op, "start_indices")));
  ASSIGN_OR_RETURN(auto limit, Wrap(op, GetI64Array(op, "limit_indices")));
  ASSIGN_OR_RETURN(
      auto strides,
      Wrap(op, GetI64ArrayOr(op, "strides",
                             std::vector<int64_t>(start.size(), 1))));
  ASSIGN_OR_RETURN(auto t,
                   Wrap(op, InferSliceType(In(op, 0), start, limit, strides)));
  return ExpectResult(op, 0, t);
}

absl::Status VerifyPad(const Op& op) {
  ASSIGN_OR_RETURN(auto lo, Wrap(op, GetI64Array(op, "edge_padding_low")));
  ASSIGN_OR_RETURN(auto hi, Wrap(op, GetI64Array(op, "edge_padding_high")));
  ASSIGN_OR_RETURN(auto in, Wrap(op, GetI64Array(op, "interior_padding")));
  ASSIGN_OR_RETURN(auto t,
                   Wrap(op, InferPadType(In(op, 0), In(op, 1), lo, hi, in)));
  return ExpectResult(op, 0, t);
}

// Ops with one tensor operand whose result follows from an attribute.
absl::Status VerifyReshaping(const Op& op) {
  switch (op.code()) {
    case OpCode::kBroadcastInDim: {
      ASSIGN_OR_RETURN(auto dims,
                       Wrap(op, GetI64Array(op, "broadcast_dimensions")));
      return Wrap(op, CheckBroadcastInDim(In(op, 0), dims, Out(op, 0)));
    }
    case OpCode::kBroadcast: {
      ASSIGN_OR_RETURN(auto sizes,
                       Wrap(op, GetI64Array(op, "broadcast_sizes")));
      ASSIGN_OR_RETURN(auto t, Wrap(op, InferBroadcastType(In(op, 0), sizes)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kReshape:
      return Wrap(op, CheckReshape(In(op, 0), Out(op, 0)));
    case OpCode::kTranspose: {
      ASSIGN_OR_RETURN(auto perm, Wrap(op, GetI64Array(op, "permutation")));
      ASSIGN_OR_RETURN(auto t, Wrap(op, InferTransposeType(In(op, 0), perm)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kReverse: {
      ASSIGN_OR_RETURN(auto dims, Wrap(op, GetI64Array(op, "dimensions")));
      ASSIGN_OR_RETURN(auto t, Wrap(op, InferReverseType(In(op, 0), dims)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kSlice:
      return VerifySlice(op);
    case OpCode::kPad:
      return VerifyPad(op);
    default:
      return absl::OkStatus();
  }
}

}  // namespace

absl::Status VerifyDataMovementOp(const Op& op) {
  switch (op.code()) {
    case OpCode::kConstant:
      return VerifyConstant(op);
    case OpCode::kBroadcastInDim:
    case OpCode::kBroadcast:
    case OpCode::kReshape:
    case OpCode::kTranspose:
    case OpCode::kReverse:
    case OpCode::kSlice:
    case OpCode::kPad:
      RETURN_IF_ERROR(AllTensors(op));
      return VerifyReshaping(op);
    case OpCode::kConcatenate: {
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dim, Wrap(op, GetI64(op, "dimension")));
      ASSIGN_OR_RETURN(auto t,
                       Wrap(op, InferConcatenateType(
                                    Inputs(op, 0, op.num_operands()), dim)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kIota: {
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dim, Wrap(op, GetI64(op, "iota_dimension")));
      return Wrap(op, CheckIota(Out(op, 0), dim));
    }
    case OpCode::kGetDimensionSize: {
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dim, Wrap(op, GetI64(op, "dimension")));
      if (dim < 0 || dim >= In(op, 0).rank()) {
        return OpError(op, absl::StrCat("dimension ", dim, " is out of range"));
      }
      return ExpectResult(op, 0, TensorType(ElementType::kS32, {}));
    }
    case OpCode::kSetDimensionSize:
      return Wrap(op, VerifyLegacyOp(op));
    default:
      // Dynamic-shape ops and chlo constants: the table's counts only.
      return absl::OkStatus();
  }
}

}  // namespace backplane::ir::verify
