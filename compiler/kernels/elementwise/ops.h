// The element-wise operations of the kernel library and which element types
// each accepts (following the StableHLO spec, and CHLO for the chlo ops).
//
//   if (!UnaryOpSupports(UnaryOp::kSqrt, type)) { ... }
//   std::string name = UnaryOpName(UnaryOp::kSqrt);  // "stablehlo.sqrt"
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_OPS_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_OPS_H_

#include "absl/strings/string_view.h"
#include "compiler/ir/element_type.h"
#include "compiler/kernels/element_traits.h"

namespace backplane::kernels::elementwise {

enum class UnaryOp {
  // stablehlo
  kAbs,
  kCbrt,
  kCeil,
  kCosine,
  kCountLeadingZeros,
  kExponential,
  kExponentialMinusOne,
  kFloor,
  kLog,
  kLogPlusOne,
  kLogistic,
  kNegate,
  kNot,
  kPopcnt,
  kRoundNearestAfz,
  kRoundNearestEven,
  kRsqrt,
  kSign,
  kSine,
  kSqrt,
  kTan,
  kTanh,
  // chlo
  kAcos,
  kAcosh,
  kAsin,
  kAsinh,
  kAtan,
  kAtanh,
  kBesselI1e,
  kConj,
  kCosh,
  kDigamma,
  kErf,
  kErfc,
  kErfInv,
  kLgamma,
  kSinh,
  kSquare,
};

enum class BinaryOp {
  // stablehlo
  kAdd,
  kAnd,
  kAtan2,
  kDivide,
  kMaximum,
  kMinimum,
  kMultiply,
  kOr,
  kPower,
  kRemainder,
  kShiftLeft,
  kShiftRightArithmetic,
  kShiftRightLogical,
  kSubtract,
  kXor,
  // chlo
  kMulhi,
  kNextAfter,
  kPolygamma,
  kZeta,
};

// "stablehlo.abs", "chlo.erf_inv", ... for error messages.
absl::string_view UnaryOpName(UnaryOp op);
absl::string_view BinaryOpName(BinaryOp op);

constexpr bool UnaryOpSupports(UnaryOp op, ElementType type) {
  const TypeClass c = ClassOf(type);
  const bool is_int = IsIntegerClass(c);
  const bool is_float = c == TypeClass::kFloat;
  const bool is_complex = c == TypeClass::kComplex;
  switch (op) {
    case UnaryOp::kAbs:
    case UnaryOp::kSign:
      return c == TypeClass::kSigned || is_float || is_complex;
    case UnaryOp::kNegate:
    case UnaryOp::kSquare:
      return is_int || is_float || is_complex;
    case UnaryOp::kNot:
      return is_int || c == TypeClass::kPred;
    case UnaryOp::kPopcnt:
    case UnaryOp::kCountLeadingZeros:
      return is_int;
    case UnaryOp::kCeil:
    case UnaryOp::kFloor:
    case UnaryOp::kRoundNearestAfz:
    case UnaryOp::kRoundNearestEven:
    case UnaryOp::kBesselI1e:
    case UnaryOp::kDigamma:
    case UnaryOp::kErf:
    case UnaryOp::kErfc:
    case UnaryOp::kErfInv:
    case UnaryOp::kLgamma:
      return is_float;
    case UnaryOp::kCbrt:
    case UnaryOp::kCosine:
    case UnaryOp::kExponential:
    case UnaryOp::kExponentialMinusOne:
    case UnaryOp::kLog:
    case UnaryOp::kLogPlusOne:
    case UnaryOp::kLogistic:
    case UnaryOp::kRsqrt:
    case UnaryOp::kSine:
    case UnaryOp::kSqrt:
    case UnaryOp::kTan:
    case UnaryOp::kTanh:
    case UnaryOp::kAcos:
    case UnaryOp::kAcosh:
    case UnaryOp::kAsin:
    case UnaryOp::kAsinh:
    case UnaryOp::kAtan:
    case UnaryOp::kAtanh:
    case UnaryOp::kConj:
    case UnaryOp::kCosh:
    case UnaryOp::kSinh:
      return is_float || is_complex;
  }
  return false;
}

constexpr bool BinaryOpSupports(BinaryOp op, ElementType type) {
  const TypeClass c = ClassOf(type);
  const bool is_int = IsIntegerClass(c);
  const bool is_float = c == TypeClass::kFloat;
  const bool is_complex = c == TypeClass::kComplex;
  switch (op) {
    case BinaryOp::kAdd:
    case BinaryOp::kMultiply:
    case BinaryOp::kMaximum:
    case BinaryOp::kMinimum:
      return c != TypeClass::kInvalid;
    case BinaryOp::kSubtract:
    case BinaryOp::kDivide:
    case BinaryOp::kPower:
      return is_int || is_float || is_complex;
    case BinaryOp::kRemainder:
      // The spec leaves complex remainder TBD (openxla/stablehlo#997).
      return is_int || is_float;
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
    case BinaryOp::kXor:
      return is_int || c == TypeClass::kPred;
    case BinaryOp::kShiftLeft:
    case BinaryOp::kShiftRightArithmetic:
    case BinaryOp::kShiftRightLogical:
    case BinaryOp::kMulhi:
      return is_int;
    case BinaryOp::kAtan2:
      return is_float || is_complex;
    case BinaryOp::kNextAfter:
    case BinaryOp::kPolygamma:
    case BinaryOp::kZeta:
      return is_float;
  }
  return false;
}

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_OPS_H_
