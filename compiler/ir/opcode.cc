#include "compiler/ir/opcode.h"

#include "absl/container/flat_hash_map.h"

namespace backplane::ir {
namespace {

constexpr absl::string_view kNames[] = {
    "<unknown>",
#define BACKPLANE_OPCODE_NAME(e, s) s,
    BACKPLANE_ALL_OPCODES(BACKPLANE_OPCODE_NAME)
#undef BACKPLANE_OPCODE_NAME
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) ==
              static_cast<size_t>(OpCode::kNumOpCodes));

const absl::flat_hash_map<absl::string_view, OpCode>& NameTable() {
  static const auto* table = [] {
    auto* t = new absl::flat_hash_map<absl::string_view, OpCode>();
    for (int i = 1; i < static_cast<int>(OpCode::kNumOpCodes); ++i) {
      (*t)[kNames[i]] = static_cast<OpCode>(i);
    }
    (*t)["call"] = OpCode::kFuncCall;
    (*t)["return"] = OpCode::kFuncReturn;
    return t;
  }();
  return *table;
}

}  // namespace

absl::string_view OpCodeName(OpCode code) {
  int i = static_cast<int>(code);
  if (i < 0 || i >= static_cast<int>(OpCode::kNumOpCodes)) return kNames[0];
  return kNames[i];
}

OpCode OpCodeFromName(absl::string_view name) {
  auto it = NameTable().find(name);
  return it == NameTable().end() ? OpCode::kUnknown : it->second;
}

bool IsElementwiseSameType(OpCode code) {
  switch (code) {
    case OpCode::kAbs:  // Not for complex operands; the verifier checks.
    case OpCode::kAdd:
    case OpCode::kAnd:
    case OpCode::kAtan2:
    case OpCode::kCbrt:
    case OpCode::kCeil:
    case OpCode::kClamp:
    case OpCode::kCosine:
    case OpCode::kCountLeadingZeros:
    case OpCode::kDivide:
    case OpCode::kExponential:
    case OpCode::kExponentialMinusOne:
    case OpCode::kFloor:
    case OpCode::kLog:
    case OpCode::kLogPlusOne:
    case OpCode::kLogistic:
    case OpCode::kMaximum:
    case OpCode::kMinimum:
    case OpCode::kMultiply:
    case OpCode::kNegate:
    case OpCode::kNot:
    case OpCode::kOr:
    case OpCode::kPopcnt:
    case OpCode::kPower:
    case OpCode::kRemainder:
    case OpCode::kRoundNearestAfz:
    case OpCode::kRoundNearestEven:
    case OpCode::kRsqrt:
    case OpCode::kShiftLeft:
    case OpCode::kShiftRightArithmetic:
    case OpCode::kShiftRightLogical:
    case OpCode::kSign:
    case OpCode::kSine:
    case OpCode::kSqrt:
    case OpCode::kSubtract:
    case OpCode::kTan:
    case OpCode::kTanh:
    case OpCode::kXor:
    case OpCode::kReducePrecision:
      return true;
    default:
      return false;
  }
}

}  // namespace backplane::ir
