#include "compiler/kernels/elementwise/ops.h"

namespace backplane::kernels::elementwise {

absl::string_view UnaryOpName(UnaryOp op) {
  switch (op) {
    case UnaryOp::kAbs:
      return "stablehlo.abs";
    case UnaryOp::kCbrt:
      return "stablehlo.cbrt";
    case UnaryOp::kCeil:
      return "stablehlo.ceil";
    case UnaryOp::kCosine:
      return "stablehlo.cosine";
    case UnaryOp::kCountLeadingZeros:
      return "stablehlo.count_leading_zeros";
    case UnaryOp::kExponential:
      return "stablehlo.exponential";
    case UnaryOp::kExponentialMinusOne:
      return "stablehlo.exponential_minus_one";
    case UnaryOp::kFloor:
      return "stablehlo.floor";
    case UnaryOp::kLog:
      return "stablehlo.log";
    case UnaryOp::kLogPlusOne:
      return "stablehlo.log_plus_one";
    case UnaryOp::kLogistic:
      return "stablehlo.logistic";
    case UnaryOp::kNegate:
      return "stablehlo.negate";
    case UnaryOp::kNot:
      return "stablehlo.not";
    case UnaryOp::kPopcnt:
      return "stablehlo.popcnt";
    case UnaryOp::kRoundNearestAfz:
      return "stablehlo.round_nearest_afz";
    case UnaryOp::kRoundNearestEven:
      return "stablehlo.round_nearest_even";
    case UnaryOp::kRsqrt:
      return "stablehlo.rsqrt";
    case UnaryOp::kSign:
      return "stablehlo.sign";
    case UnaryOp::kSine:
      return "stablehlo.sine";
    case UnaryOp::kSqrt:
      return "stablehlo.sqrt";
    case UnaryOp::kTan:
      return "stablehlo.tan";
    case UnaryOp::kTanh:
      return "stablehlo.tanh";
    case UnaryOp::kAcos:
      return "chlo.acos";
    case UnaryOp::kAcosh:
      return "chlo.acosh";
    case UnaryOp::kAsin:
      return "chlo.asin";
    case UnaryOp::kAsinh:
      return "chlo.asinh";
    case UnaryOp::kAtan:
      return "chlo.atan";
    case UnaryOp::kAtanh:
      return "chlo.atanh";
    case UnaryOp::kBesselI1e:
      return "chlo.bessel_i1e";
    case UnaryOp::kConj:
      return "chlo.conj";
    case UnaryOp::kCosh:
      return "chlo.cosh";
    case UnaryOp::kDigamma:
      return "chlo.digamma";
    case UnaryOp::kErf:
      return "chlo.erf";
    case UnaryOp::kErfc:
      return "chlo.erfc";
    case UnaryOp::kErfInv:
      return "chlo.erf_inv";
    case UnaryOp::kLgamma:
      return "chlo.lgamma";
    case UnaryOp::kSinh:
      return "chlo.sinh";
    case UnaryOp::kSquare:
      return "chlo.square";
  }
  return "unknown unary op";
}

absl::string_view BinaryOpName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "stablehlo.add";
    case BinaryOp::kAnd:
      return "stablehlo.and";
    case BinaryOp::kAtan2:
      return "stablehlo.atan2";
    case BinaryOp::kDivide:
      return "stablehlo.divide";
    case BinaryOp::kMaximum:
      return "stablehlo.maximum";
    case BinaryOp::kMinimum:
      return "stablehlo.minimum";
    case BinaryOp::kMultiply:
      return "stablehlo.multiply";
    case BinaryOp::kOr:
      return "stablehlo.or";
    case BinaryOp::kPower:
      return "stablehlo.power";
    case BinaryOp::kRemainder:
      return "stablehlo.remainder";
    case BinaryOp::kShiftLeft:
      return "stablehlo.shift_left";
    case BinaryOp::kShiftRightArithmetic:
      return "stablehlo.shift_right_arithmetic";
    case BinaryOp::kShiftRightLogical:
      return "stablehlo.shift_right_logical";
    case BinaryOp::kSubtract:
      return "stablehlo.subtract";
    case BinaryOp::kXor:
      return "stablehlo.xor";
    case BinaryOp::kMulhi:
      return "chlo.mulhi";
    case BinaryOp::kNextAfter:
      return "chlo.next_after";
    case BinaryOp::kPolygamma:
      return "chlo.polygamma";
    case BinaryOp::kZeta:
      return "chlo.zeta";
  }
  return "unknown binary op";
}

}  // namespace backplane::kernels::elementwise
