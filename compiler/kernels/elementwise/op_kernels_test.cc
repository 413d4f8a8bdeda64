#include "compiler/kernels/elementwise/op_kernels.h"

#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace backplane::kernels::elementwise {
namespace {

using ir::OpCode;
using B = BinaryOp;
using U = UnaryOp;

// The interpreter's OpCode -> kernel maps (compiler/interpreter/
// interpreter.cc UnaryFor/BinaryFor) as they were when the table took over.
const std::vector<std::pair<OpCode, UnaryOp>>& InterpreterUnary() {
  static const auto* m = new std::vector<std::pair<OpCode, UnaryOp>>{
      {OpCode::kAbs, U::kAbs},
      {OpCode::kCbrt, U::kCbrt},
      {OpCode::kCeil, U::kCeil},
      {OpCode::kCosine, U::kCosine},
      {OpCode::kCountLeadingZeros, U::kCountLeadingZeros},
      {OpCode::kExponential, U::kExponential},
      {OpCode::kExponentialMinusOne, U::kExponentialMinusOne},
      {OpCode::kFloor, U::kFloor},
      {OpCode::kLog, U::kLog},
      {OpCode::kLogPlusOne, U::kLogPlusOne},
      {OpCode::kLogistic, U::kLogistic},
      {OpCode::kNegate, U::kNegate},
      {OpCode::kNot, U::kNot},
      {OpCode::kPopcnt, U::kPopcnt},
      {OpCode::kRoundNearestAfz, U::kRoundNearestAfz},
      {OpCode::kRoundNearestEven, U::kRoundNearestEven},
      {OpCode::kRsqrt, U::kRsqrt},
      {OpCode::kSign, U::kSign},
      {OpCode::kSine, U::kSine},
      {OpCode::kSqrt, U::kSqrt},
      {OpCode::kTan, U::kTan},
      {OpCode::kChloTan, U::kTan},
      {OpCode::kTanh, U::kTanh},
      {OpCode::kChloAcos, U::kAcos},
      {OpCode::kChloAcosh, U::kAcosh},
      {OpCode::kChloAsin, U::kAsin},
      {OpCode::kChloAsinh, U::kAsinh},
      {OpCode::kChloAtan, U::kAtan},
      {OpCode::kChloAtanh, U::kAtanh},
      {OpCode::kChloBesselI1e, U::kBesselI1e},
      {OpCode::kChloConj, U::kConj},
      {OpCode::kChloCosh, U::kCosh},
      {OpCode::kChloDigamma, U::kDigamma},
      {OpCode::kChloErf, U::kErf},
      {OpCode::kChloErfc, U::kErfc},
      {OpCode::kChloErfInv, U::kErfInv},
      {OpCode::kChloLgamma, U::kLgamma},
      {OpCode::kChloSinh, U::kSinh},
      {OpCode::kChloSquare, U::kSquare},
  };
  return *m;
}

const std::vector<std::pair<OpCode, BinaryOp>>& InterpreterBinary() {
  static const auto* m = new std::vector<std::pair<OpCode, BinaryOp>>{
      {OpCode::kAdd, B::kAdd},
      {OpCode::kChloBroadcastAdd, B::kAdd},
      {OpCode::kAnd, B::kAnd},
      {OpCode::kChloBroadcastAnd, B::kAnd},
      {OpCode::kAtan2, B::kAtan2},
      {OpCode::kChloBroadcastAtan2, B::kAtan2},
      {OpCode::kDivide, B::kDivide},
      {OpCode::kChloBroadcastDivide, B::kDivide},
      {OpCode::kMaximum, B::kMaximum},
      {OpCode::kChloBroadcastMaximum, B::kMaximum},
      {OpCode::kMinimum, B::kMinimum},
      {OpCode::kChloBroadcastMinimum, B::kMinimum},
      {OpCode::kMultiply, B::kMultiply},
      {OpCode::kChloBroadcastMultiply, B::kMultiply},
      {OpCode::kOr, B::kOr},
      {OpCode::kChloBroadcastOr, B::kOr},
      {OpCode::kPower, B::kPower},
      {OpCode::kChloBroadcastPower, B::kPower},
      {OpCode::kRemainder, B::kRemainder},
      {OpCode::kChloBroadcastRemainder, B::kRemainder},
      {OpCode::kShiftLeft, B::kShiftLeft},
      {OpCode::kChloBroadcastShiftLeft, B::kShiftLeft},
      {OpCode::kShiftRightArithmetic, B::kShiftRightArithmetic},
      {OpCode::kChloBroadcastShiftRightArithmetic, B::kShiftRightArithmetic},
      {OpCode::kShiftRightLogical, B::kShiftRightLogical},
      {OpCode::kChloBroadcastShiftRightLogical, B::kShiftRightLogical},
      {OpCode::kSubtract, B::kSubtract},
      {OpCode::kChloBroadcastSubtract, B::kSubtract},
      {OpCode::kXor, B::kXor},
      {OpCode::kChloBroadcastXor, B::kXor},
      {OpCode::kChloMulhi, B::kMulhi},
      {OpCode::kChloNextAfter, B::kNextAfter},
      {OpCode::kChloBroadcastNextAfter, B::kNextAfter},
      {OpCode::kChloPolygamma, B::kPolygamma},
      {OpCode::kChloBroadcastPolygamma, B::kPolygamma},
      {OpCode::kChloZeta, B::kZeta},
      {OpCode::kChloBroadcastZeta, B::kZeta},
  };
  return *m;
}

// cpu_plugin/basic_thunks.cc UnaryFor/BinaryFor: the ops the CPU thunks run,
// a subset of the interpreter's with the same kernels.
const std::vector<OpCode>& CpuUnary() {
  static const auto* m = new std::vector<OpCode>{OpCode::kAbs,
                                                 OpCode::kCeil,
                                                 OpCode::kCosine,
                                                 OpCode::kExponential,
                                                 OpCode::kExponentialMinusOne,
                                                 OpCode::kFloor,
                                                 OpCode::kLog,
                                                 OpCode::kLogPlusOne,
                                                 OpCode::kLogistic,
                                                 OpCode::kNegate,
                                                 OpCode::kNot,
                                                 OpCode::kRsqrt,
                                                 OpCode::kSign,
                                                 OpCode::kSine,
                                                 OpCode::kSqrt,
                                                 OpCode::kTanh};
  return *m;
}
const std::vector<OpCode>& CpuBinary() {
  static const auto* m = new std::vector<OpCode>{
      OpCode::kAdd,       OpCode::kAnd,      OpCode::kDivide, OpCode::kMaximum,
      OpCode::kMinimum,   OpCode::kMultiply, OpCode::kOr,     OpCode::kPower,
      OpCode::kRemainder, OpCode::kSubtract, OpCode::kXor};
  return *m;
}

TEST(OpKernelsTest, AgreesWithTheInterpreter) {
  size_t unary = 0, binary = 0;
  for (int i = 0; i < static_cast<int>(OpCode::kNumOpCodes); ++i) {
    const OpCode code = static_cast<OpCode>(i);
    if (UnaryKernelFor(code)) ++unary;
    if (BinaryKernelFor(code)) ++binary;
    EXPECT_FALSE(UnaryKernelFor(code) && BinaryKernelFor(code))
        << ir::OpCodeName(code);
  }
  EXPECT_EQ(unary, InterpreterUnary().size());
  EXPECT_EQ(binary, InterpreterBinary().size());
  for (const auto& [code, op] : InterpreterUnary()) {
    EXPECT_EQ(UnaryKernelFor(code), op) << ir::OpCodeName(code);
  }
  for (const auto& [code, op] : InterpreterBinary()) {
    EXPECT_EQ(BinaryKernelFor(code), op) << ir::OpCodeName(code);
  }
  EXPECT_EQ(UnaryKernelFor(static_cast<OpCode>(60000)), std::nullopt);
}

TEST(OpKernelsTest, CoversTheCpuPlugin) {
  for (OpCode code : CpuUnary()) {
    ASSERT_TRUE(UnaryKernelFor(code).has_value()) << ir::OpCodeName(code);
    EXPECT_EQ(ir::OpCodeName(code), UnaryOpName(*UnaryKernelFor(code)));
  }
  for (OpCode code : CpuBinary()) {
    ASSERT_TRUE(BinaryKernelFor(code).has_value()) << ir::OpCodeName(code);
    EXPECT_EQ(ir::OpCodeName(code), BinaryOpName(*BinaryKernelFor(code)));
  }
}

}  // namespace
}  // namespace backplane::kernels::elementwise
