// Shape and attribute rules of the contraction and linear-algebra ops (dot,
// dot_general, convolution, einsum, triangular_solve, cholesky, fft).
#include "base/status_macros.h"
#include "compiler/ir/legacy_op_rules.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/shape_inference.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"

namespace backplane::ir::verify {
namespace {

absl::Status VerifyDotGeneral(const Op& op) {
  ASSIGN_OR_RETURN(auto dims, Wrap(op, GetDotDimensionNumbers(op)));
  ASSIGN_OR_RETURN(auto t,
                   Wrap(op, InferDotGeneralType(In(op, 0), In(op, 1), dims,
                                                Out(op, 0).element_type())));
  ASSIGN_OR_RETURN(auto precision, Wrap(op, GetPrecisionConfig(op)));
  if (!precision.empty() && precision.size() != 2) {
    return OpError(op, "precision_config must have 0 or 2 entries");
  }
  return ExpectResult(op, 0, t);
}

absl::Status VerifyConvolution(const Op& op) {
  ASSIGN_OR_RETURN(auto dims, Wrap(op, GetConvDimensionNumbers(op)));
  ASSIGN_OR_RETURN(
      auto window,
      Wrap(op, GetConvWindow(op, static_cast<int64_t>(
                                     dims.input_spatial_dimensions.size()))));
  ASSIGN_OR_RETURN(auto fgc, Wrap(op, GetI64Or(op, "feature_group_count", 1)));
  ASSIGN_OR_RETURN(auto bgc, Wrap(op, GetI64Or(op, "batch_group_count", 1)));
  ASSIGN_OR_RETURN(auto t, Wrap(op, InferConvolutionType(
                                        In(op, 0), In(op, 1), dims, window, fgc,
                                        bgc, Out(op, 0).element_type())));
  return ExpectResult(op, 0, t);
}

absl::Status VerifyTriangularSolve(const Op& op) {
  const TensorType& a = In(op, 0);
  const TensorType& b = In(op, 1);
  if (a.rank() < 2 || a.rank() != b.rank() ||
      a.dim(a.rank() - 1) != a.dim(a.rank() - 2) ||
      a.element_type() != b.element_type()) {
    return OpError(op,
                   "a must be square matrices matching b's rank and "
                   "element type");
  }
  return ExpectResult(op, 0, b);
}

}  // namespace

absl::Status VerifyContractionOp(const Op& op) {
  switch (op.code()) {
    case OpCode::kEinsum:
    case OpCode::kUnaryEinsum:
      return Wrap(op, VerifyLegacyOp(op));
    case OpCode::kDotGeneral:
      RETURN_IF_ERROR(AllTensors(op));
      return VerifyDotGeneral(op);
    case OpCode::kDot: {
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto t,
                       Wrap(op, InferDotType(In(op, 0), In(op, 1),
                                             Out(op, 0).element_type())));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kConvolution:
      RETURN_IF_ERROR(AllTensors(op));
      return VerifyConvolution(op);
    case OpCode::kTriangularSolve:
      RETURN_IF_ERROR(AllTensors(op));
      return VerifyTriangularSolve(op);
    case OpCode::kCholesky: {
      RETURN_IF_ERROR(AllTensors(op));
      const TensorType& a = In(op, 0);
      if (a.rank() < 2 || a.dim(a.rank() - 1) != a.dim(a.rank() - 2)) {
        return OpError(op, "operand must be a batch of square matrices");
      }
      return ExpectResult(op, 0, In(op, 0));
    }
    case OpCode::kFft: {
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto type, Wrap(op, GetFftType(op)));
      ASSIGN_OR_RETURN(auto length, Wrap(op, GetI64Array(op, "fft_length")));
      ASSIGN_OR_RETURN(auto t, Wrap(op, InferFftType(In(op, 0), type, length)));
      return ExpectResult(op, 0, t);
    }
    default:
      // dynamic_conv and chlo.ragged_dot: the table's counts only.
      return absl::OkStatus();
  }
}

}  // namespace backplane::ir::verify
