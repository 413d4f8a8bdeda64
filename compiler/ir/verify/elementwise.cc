// Shape and attribute rules of the element-wise ops; counts, categories and
// result element types come from the op table (generic.cc).
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/op_traits.h"
#include "compiler/ir/shape_inference.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"

namespace backplane::ir::verify {
namespace {

// All operands of `ins` (from `begin`) must have the same element type (when
// `element_only`) or the same type.
absl::Status SameOperandTypes(const Op& op, int begin, bool element_only) {
  std::vector<TensorType> ins = Inputs(op, begin, op.num_operands());
  for (const TensorType& t : ins) {
    const bool same =
        element_only ? t.element_type() == ins[0].element_type() : t == ins[0];
    if (!same) {
      return OpError(op, absl::StrCat("operand types differ: ",
                                      ins[0].ToString(), " vs ", t.ToString()));
    }
  }
  return absl::OkStatus();
}

// stablehlo ops whose result type is every operand's type, and abs.
absl::Status VerifySameType(const Op& op) {
  if (op.code() == OpCode::kClamp) {
    ASSIGN_OR_RETURN(auto t,
                     Wrap(op, InferClampType(In(op, 0), In(op, 1), In(op, 2))));
    return ExpectResult(op, 0, t);
  }
  if (op.code() == OpCode::kAbs) {
    ElementType et = In(op, 0).element_type();
    ElementType result = IsComplex(et) ? ComplexComponentType(et) : et;
    return ExpectResult(op, 0, TensorType(result, In(op, 0).dims()));
  }
  RETURN_IF_ERROR(SameOperandTypes(op, 0, /*element_only=*/false));
  if (op.code() == OpCode::kReducePrecision) {
    ASSIGN_OR_RETURN(auto e, Wrap(op, GetI64(op, "exponent_bits")));
    ASSIGN_OR_RETURN(auto m, Wrap(op, GetI64(op, "mantissa_bits")));
    if (e < 1 || m < 0) {
      return OpError(op, "exponent_bits must be >= 1 and mantissa_bits >= 0");
    }
  }
  return ExpectResult(op, 0, In(op, 0));
}

// chlo ops: unary ones keep the shape, broadcasting ones need operands of one
// element type (their shapes broadcast at run time), the others one type.
absl::Status VerifyChlo(const Op& op, ElementwiseClass c) {
  if (IsImplicitlyBroadcasting(op.code())) {
    return SameOperandTypes(op, c == ElementwiseClass::kSelect ? 1 : 0,
                            /*element_only=*/true);
  }
  if (c == ElementwiseClass::kUnary || c == ElementwiseClass::kToPred) {
    if (In(op, 0).dims() != Out(op, 0).dims()) {
      return OpError(op, "result shape must match the operand");
    }
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(SameOperandTypes(op, 0, /*element_only=*/false));
  return ExpectResult(op, 0, In(op, 0));
}

absl::Status VerifyStablehloOther(const Op& op) {
  switch (op.code()) {
    case OpCode::kCompare: {
      RETURN_IF_ERROR(Wrap(op, GetComparisonDirection(op).status()));
      RETURN_IF_ERROR(Wrap(op, GetComparisonType(op).status()));
      ASSIGN_OR_RETURN(auto t,
                       Wrap(op, InferCompareType(In(op, 0), In(op, 1))));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kSelect: {
      ASSIGN_OR_RETURN(
          auto t, Wrap(op, InferSelectType(In(op, 0), In(op, 1), In(op, 2))));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kConvert:
      if (In(op, 0).dims() != Out(op, 0).dims()) {
        return OpError(op, "convert must keep the shape");
      }
      return absl::OkStatus();
    case OpCode::kBitcastConvert:
      return Wrap(op, InferBitcastConvertType(In(op, 0), Out(op, 0)).status());
    case OpCode::kReal:
    case OpCode::kImag: {
      ElementType et = In(op, 0).element_type();
      ElementType r = IsComplex(et) ? ComplexComponentType(et) : et;
      return ExpectResult(op, 0, TensorType(r, In(op, 0).dims()));
    }
    case OpCode::kComplex: {
      ElementType et = In(op, 0).element_type();
      if (In(op, 0) != In(op, 1) ||
          (et != ElementType::kF32 && et != ElementType::kF64)) {
        return OpError(op, "operands must be equal f32 or f64 tensors");
      }
      return ExpectResult(
          op, 0,
          TensorType(
              et == ElementType::kF32 ? ElementType::kC64 : ElementType::kC128,
              In(op, 0).dims()));
    }
    case OpCode::kIsFinite:
      return ExpectResult(op, 0,
                          TensorType(ElementType::kPred, In(op, 0).dims()));
    default:
      return absl::OkStatus();
  }
}

}  // namespace

absl::Status VerifyElementwiseOp(const Op& op) {
  if (IsElementwiseSameType(op.code())) return VerifySameType(op);
  const OpTraits& t = Traits(op.code());
  if (t.name.substr(0, 5) == "chlo.") return VerifyChlo(op, t.elementwise);
  return VerifyStablehloOther(op);
}

}  // namespace backplane::ir::verify
