// The one table of op knowledge: a row per op the parser knows by name.
//
//   #define NAME_OF(e, name, operands, results, elementwise, kernel,
//                   categories, effect, family) name,   (one line)
//   const char* names[] = {BACKPLANE_OP_TABLE(NAME_OF)};
//
// Columns (compiler/ir/op_traits.h turns them into ir::OpTraits):
//   e            OpCode enumerator
//   name         full MLIR name
//   operands     Exactly(n) or AtLeast(n)
//   results      Exactly(n), AtLeast(n) or SameAsOperands()
//   elementwise  element-wise class: None, Unary (result = operand),
//                ToReal (complex -> component), ToPred, Binary, ToComplex,
//                Compare, Select, Clamp, Convert
//   kernel       UnaryKernel(Abs) / BinaryKernel(Add) naming the
//                kernels::elementwise::UnaryOp / BinaryOp that runs it, or
//                NoKernel (compiler/kernels/elementwise/op_kernels.h expands
//                these)
//   categories   element categories of the data operand: Any, PredInt, Int,
//                Float, FloatComplex, IntFloat, IntFloatComplex
//   effect       Pure, Collective, SendRecv, Feed, CustomCall, Rng, Call,
//                Host (check.* and interpreter.* ops)
//   family       the verifier/backend family: Elementwise, DataMovement,
//                Contraction, Reduction, Indexing, Control, Collective, Misc
//
// This header has no includes and defines only the table macros, so that
// any layer can expand it.
#ifndef BACKPLANE_COMPILER_IR_OP_TABLE_H_
#define BACKPLANE_COMPILER_IR_OP_TABLE_H_

// clang-format off
#define BACKPLANE_STABLEHLO_OP_TABLE(X) \
  X(kAbs, "stablehlo.abs", Exactly(1), Exactly(1), ToReal, UnaryKernel(Abs), IntFloatComplex, Pure, Elementwise) \
  X(kAdd, "stablehlo.add", Exactly(2), Exactly(1), Binary, BinaryKernel(Add), Any, Pure, Elementwise) \
  X(kAfterAll, "stablehlo.after_all", AtLeast(0), Exactly(1), None, NoKernel, Any, Pure, Misc) \
  X(kAllGather, "stablehlo.all_gather", AtLeast(1), SameAsOperands(), None, NoKernel, Any, Collective, Collective) \
  X(kAllReduce, "stablehlo.all_reduce", AtLeast(1), SameAsOperands(), None, NoKernel, Any, Collective, Collective) \
  X(kAllToAll, "stablehlo.all_to_all", AtLeast(1), SameAsOperands(), None, NoKernel, Any, Collective, Collective) \
  X(kAnd, "stablehlo.and", Exactly(2), Exactly(1), Binary, BinaryKernel(And), PredInt, Pure, Elementwise) \
  X(kAtan2, "stablehlo.atan2", Exactly(2), Exactly(1), Binary, BinaryKernel(Atan2), FloatComplex, Pure, Elementwise) \
  X(kBatchNormGrad, "stablehlo.batch_norm_grad", Exactly(5), Exactly(3), None, NoKernel, Any, Pure, Reduction) \
  X(kBatchNormInference, "stablehlo.batch_norm_inference", Exactly(5), Exactly(1), None, NoKernel, Any, Pure, Reduction) \
  X(kBatchNormTraining, "stablehlo.batch_norm_training", Exactly(3), Exactly(3), None, NoKernel, Any, Pure, Reduction) \
  X(kBitcastConvert, "stablehlo.bitcast_convert", Exactly(1), Exactly(1), Convert, NoKernel, Any, Pure, Elementwise) \
  X(kBroadcast, "stablehlo.broadcast", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kBroadcastInDim, "stablehlo.broadcast_in_dim", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kCase, "stablehlo.case", Exactly(1), AtLeast(0), None, NoKernel, Any, Pure, Control) \
  X(kCbrt, "stablehlo.cbrt", Exactly(1), Exactly(1), Unary, UnaryKernel(Cbrt), FloatComplex, Pure, Elementwise) \
  X(kCeil, "stablehlo.ceil", Exactly(1), Exactly(1), Unary, UnaryKernel(Ceil), Float, Pure, Elementwise) \
  X(kCholesky, "stablehlo.cholesky", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kClamp, "stablehlo.clamp", Exactly(3), Exactly(1), Clamp, NoKernel, Any, Pure, Elementwise) \
  X(kCollectiveBroadcast, "stablehlo.collective_broadcast", AtLeast(1), AtLeast(1), None, NoKernel, Any, Collective, Collective) \
  X(kCollectivePermute, "stablehlo.collective_permute", Exactly(1), Exactly(1), None, NoKernel, Any, Collective, Collective) \
  X(kCompare, "stablehlo.compare", Exactly(2), Exactly(1), Compare, NoKernel, Any, Pure, Elementwise) \
  X(kComplex, "stablehlo.complex", Exactly(2), Exactly(1), ToComplex, NoKernel, Float, Pure, Elementwise) \
  X(kComposite, "stablehlo.composite", AtLeast(0), AtLeast(0), None, NoKernel, Any, Call, Control) \
  X(kConcatenate, "stablehlo.concatenate", AtLeast(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kConstant, "stablehlo.constant", Exactly(0), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kConvert, "stablehlo.convert", Exactly(1), Exactly(1), Convert, NoKernel, Any, Pure, Elementwise) \
  X(kConvolution, "stablehlo.convolution", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kCosine, "stablehlo.cosine", Exactly(1), Exactly(1), Unary, UnaryKernel(Cosine), FloatComplex, Pure, Elementwise) \
  X(kCountLeadingZeros, "stablehlo.count_leading_zeros", Exactly(1), Exactly(1), Unary, UnaryKernel(CountLeadingZeros), Int, Pure, Elementwise) \
  X(kCreateToken, "stablehlo.create_token", AtLeast(0), Exactly(1), None, NoKernel, Any, Pure, Misc) \
  X(kCrossReplicaSum, "stablehlo.cross-replica-sum", AtLeast(1), SameAsOperands(), None, NoKernel, Any, Collective, Collective) \
  X(kCustomCall, "stablehlo.custom_call", AtLeast(0), AtLeast(0), None, NoKernel, Any, CustomCall, Misc) \
  X(kDivide, "stablehlo.divide", Exactly(2), Exactly(1), Binary, BinaryKernel(Divide), IntFloatComplex, Pure, Elementwise) \
  X(kDot, "stablehlo.dot", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kDotGeneral, "stablehlo.dot_general", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kDynamicBroadcastInDim, "stablehlo.dynamic_broadcast_in_dim", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kDynamicConv, "stablehlo.dynamic_conv", Exactly(3), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kDynamicGather, "stablehlo.dynamic_gather", Exactly(3), Exactly(1), None, NoKernel, Any, Pure, Indexing) \
  X(kDynamicIota, "stablehlo.dynamic_iota", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kDynamicPad, "stablehlo.dynamic_pad", Exactly(5), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kDynamicReshape, "stablehlo.dynamic_reshape", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kDynamicSlice, "stablehlo.dynamic_slice", AtLeast(1), Exactly(1), None, NoKernel, Any, Pure, Indexing) \
  X(kDynamicUpdateSlice, "stablehlo.dynamic_update_slice", AtLeast(2), Exactly(1), None, NoKernel, Any, Pure, Indexing) \
  X(kEinsum, "stablehlo.einsum", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kExponential, "stablehlo.exponential", Exactly(1), Exactly(1), Unary, UnaryKernel(Exponential), FloatComplex, Pure, Elementwise) \
  X(kExponentialMinusOne, "stablehlo.exponential_minus_one", Exactly(1), Exactly(1), Unary, UnaryKernel(ExponentialMinusOne), FloatComplex, Pure, Elementwise) \
  X(kFft, "stablehlo.fft", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kFloor, "stablehlo.floor", Exactly(1), Exactly(1), Unary, UnaryKernel(Floor), Float, Pure, Elementwise) \
  X(kGather, "stablehlo.gather", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, Indexing) \
  X(kGetDimensionSize, "stablehlo.get_dimension_size", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kGetTupleElement, "stablehlo.get_tuple_element", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, Misc) \
  X(kIf, "stablehlo.if", Exactly(1), AtLeast(0), None, NoKernel, Any, Pure, Control) \
  X(kImag, "stablehlo.imag", Exactly(1), Exactly(1), ToReal, NoKernel, FloatComplex, Pure, Elementwise) \
  X(kInfeed, "stablehlo.infeed", Exactly(1), AtLeast(1), None, NoKernel, Any, Feed, Collective) \
  X(kIota, "stablehlo.iota", Exactly(0), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kIsFinite, "stablehlo.is_finite", Exactly(1), Exactly(1), ToPred, NoKernel, Float, Pure, Elementwise) \
  X(kLog, "stablehlo.log", Exactly(1), Exactly(1), Unary, UnaryKernel(Log), FloatComplex, Pure, Elementwise) \
  X(kLogPlusOne, "stablehlo.log_plus_one", Exactly(1), Exactly(1), Unary, UnaryKernel(LogPlusOne), FloatComplex, Pure, Elementwise) \
  X(kLogistic, "stablehlo.logistic", Exactly(1), Exactly(1), Unary, UnaryKernel(Logistic), FloatComplex, Pure, Elementwise) \
  X(kMap, "stablehlo.map", AtLeast(1), Exactly(1), None, NoKernel, Any, Pure, Reduction) \
  X(kMaximum, "stablehlo.maximum", Exactly(2), Exactly(1), Binary, BinaryKernel(Maximum), Any, Pure, Elementwise) \
  X(kMinimum, "stablehlo.minimum", Exactly(2), Exactly(1), Binary, BinaryKernel(Minimum), Any, Pure, Elementwise) \
  X(kMultiply, "stablehlo.multiply", Exactly(2), Exactly(1), Binary, BinaryKernel(Multiply), Any, Pure, Elementwise) \
  X(kNegate, "stablehlo.negate", Exactly(1), Exactly(1), Unary, UnaryKernel(Negate), IntFloatComplex, Pure, Elementwise) \
  X(kNot, "stablehlo.not", Exactly(1), Exactly(1), Unary, UnaryKernel(Not), PredInt, Pure, Elementwise) \
  X(kOptimizationBarrier, "stablehlo.optimization_barrier", AtLeast(0), SameAsOperands(), None, NoKernel, Any, Pure, Control) \
  X(kOr, "stablehlo.or", Exactly(2), Exactly(1), Binary, BinaryKernel(Or), PredInt, Pure, Elementwise) \
  X(kOutfeed, "stablehlo.outfeed", AtLeast(1), Exactly(1), None, NoKernel, Any, Feed, Collective) \
  X(kPad, "stablehlo.pad", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kPartitionId, "stablehlo.partition_id", Exactly(0), Exactly(1), None, NoKernel, Any, Collective, Collective) \
  X(kPopcnt, "stablehlo.popcnt", Exactly(1), Exactly(1), Unary, UnaryKernel(Popcnt), Int, Pure, Elementwise) \
  X(kPower, "stablehlo.power", Exactly(2), Exactly(1), Binary, BinaryKernel(Power), IntFloatComplex, Pure, Elementwise) \
  X(kReal, "stablehlo.real", Exactly(1), Exactly(1), ToReal, NoKernel, FloatComplex, Pure, Elementwise) \
  X(kRealDynamicSlice, "stablehlo.real_dynamic_slice", Exactly(4), Exactly(1), None, NoKernel, Any, Pure, Indexing) \
  X(kRecv, "stablehlo.recv", Exactly(1), AtLeast(1), None, NoKernel, Any, SendRecv, Collective) \
  X(kReduce, "stablehlo.reduce", AtLeast(2), AtLeast(1), None, NoKernel, Any, Pure, Reduction) \
  X(kReducePrecision, "stablehlo.reduce_precision", Exactly(1), Exactly(1), Unary, NoKernel, Float, Pure, Elementwise) \
  X(kReduceScatter, "stablehlo.reduce_scatter", AtLeast(1), SameAsOperands(), None, NoKernel, Any, Collective, Collective) \
  X(kReduceWindow, "stablehlo.reduce_window", AtLeast(2), AtLeast(1), None, NoKernel, Any, Pure, Reduction) \
  X(kRemainder, "stablehlo.remainder", Exactly(2), Exactly(1), Binary, BinaryKernel(Remainder), IntFloatComplex, Pure, Elementwise) \
  X(kReplicaId, "stablehlo.replica_id", Exactly(0), Exactly(1), None, NoKernel, Any, Collective, Collective) \
  X(kReshape, "stablehlo.reshape", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kReturn, "stablehlo.return", AtLeast(0), Exactly(0), None, NoKernel, Any, Pure, Control) \
  X(kReverse, "stablehlo.reverse", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kRng, "stablehlo.rng", Exactly(3), Exactly(1), None, NoKernel, Any, Rng, Misc) \
  X(kRngBitGenerator, "stablehlo.rng_bit_generator", Exactly(1), Exactly(2), None, NoKernel, Any, Rng, Misc) \
  X(kRoundNearestAfz, "stablehlo.round_nearest_afz", Exactly(1), Exactly(1), Unary, UnaryKernel(RoundNearestAfz), Float, Pure, Elementwise) \
  X(kRoundNearestEven, "stablehlo.round_nearest_even", Exactly(1), Exactly(1), Unary, UnaryKernel(RoundNearestEven), Float, Pure, Elementwise) \
  X(kRsqrt, "stablehlo.rsqrt", Exactly(1), Exactly(1), Unary, UnaryKernel(Rsqrt), FloatComplex, Pure, Elementwise) \
  X(kScatter, "stablehlo.scatter", AtLeast(3), AtLeast(1), None, NoKernel, Any, Pure, Indexing) \
  X(kSelect, "stablehlo.select", Exactly(3), Exactly(1), Select, NoKernel, Any, Pure, Elementwise) \
  X(kSelectAndScatter, "stablehlo.select_and_scatter", Exactly(3), Exactly(1), None, NoKernel, Any, Pure, Reduction) \
  X(kSend, "stablehlo.send", AtLeast(1), Exactly(1), None, NoKernel, Any, SendRecv, Collective) \
  X(kSetDimensionSize, "stablehlo.set_dimension_size", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kShiftLeft, "stablehlo.shift_left", Exactly(2), Exactly(1), Binary, BinaryKernel(ShiftLeft), Int, Pure, Elementwise) \
  X(kShiftRightArithmetic, "stablehlo.shift_right_arithmetic", Exactly(2), Exactly(1), Binary, BinaryKernel(ShiftRightArithmetic), Int, Pure, Elementwise) \
  X(kShiftRightLogical, "stablehlo.shift_right_logical", Exactly(2), Exactly(1), Binary, BinaryKernel(ShiftRightLogical), Int, Pure, Elementwise) \
  X(kSign, "stablehlo.sign", Exactly(1), Exactly(1), Unary, UnaryKernel(Sign), IntFloatComplex, Pure, Elementwise) \
  X(kSine, "stablehlo.sine", Exactly(1), Exactly(1), Unary, UnaryKernel(Sine), FloatComplex, Pure, Elementwise) \
  X(kSlice, "stablehlo.slice", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kSort, "stablehlo.sort", AtLeast(1), SameAsOperands(), None, NoKernel, Any, Pure, Reduction) \
  X(kSqrt, "stablehlo.sqrt", Exactly(1), Exactly(1), Unary, UnaryKernel(Sqrt), FloatComplex, Pure, Elementwise) \
  X(kSubtract, "stablehlo.subtract", Exactly(2), Exactly(1), Binary, BinaryKernel(Subtract), Any, Pure, Elementwise) \
  X(kTan, "stablehlo.tan", Exactly(1), Exactly(1), Unary, UnaryKernel(Tan), FloatComplex, Pure, Elementwise) \
  X(kTanh, "stablehlo.tanh", Exactly(1), Exactly(1), Unary, UnaryKernel(Tanh), FloatComplex, Pure, Elementwise) \
  X(kTorchIndexSelect, "stablehlo.torch_index_select", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, Indexing) \
  X(kTranspose, "stablehlo.transpose", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kTriangularSolve, "stablehlo.triangular_solve", Exactly(2), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kTuple, "stablehlo.tuple", AtLeast(0), Exactly(1), None, NoKernel, Any, Pure, Misc) \
  X(kUnaryEinsum, "stablehlo.unary_einsum", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kUniformDequantize, "stablehlo.uniform_dequantize", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, Misc) \
  X(kUniformQuantize, "stablehlo.uniform_quantize", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, Misc) \
  X(kWhile, "stablehlo.while", AtLeast(0), SameAsOperands(), None, NoKernel, Any, Pure, Control) \
  X(kXor, "stablehlo.xor", Exactly(2), Exactly(1), Binary, BinaryKernel(Xor), PredInt, Pure, Elementwise)

#define BACKPLANE_CHLO_OP_TABLE(X) \
  X(kChloAcos, "chlo.acos", Exactly(1), Exactly(1), Unary, UnaryKernel(Acos), FloatComplex, Pure, Elementwise) \
  X(kChloAcosh, "chlo.acosh", Exactly(1), Exactly(1), Unary, UnaryKernel(Acosh), FloatComplex, Pure, Elementwise) \
  X(kChloAsin, "chlo.asin", Exactly(1), Exactly(1), Unary, UnaryKernel(Asin), FloatComplex, Pure, Elementwise) \
  X(kChloAsinh, "chlo.asinh", Exactly(1), Exactly(1), Unary, UnaryKernel(Asinh), FloatComplex, Pure, Elementwise) \
  X(kChloAtan, "chlo.atan", Exactly(1), Exactly(1), Unary, UnaryKernel(Atan), FloatComplex, Pure, Elementwise) \
  X(kChloAtanh, "chlo.atanh", Exactly(1), Exactly(1), Unary, UnaryKernel(Atanh), FloatComplex, Pure, Elementwise) \
  X(kChloBesselI1e, "chlo.bessel_i1e", Exactly(1), Exactly(1), Unary, UnaryKernel(BesselI1e), Float, Pure, Elementwise) \
  X(kChloBroadcastAdd, "chlo.broadcast_add", Exactly(2), Exactly(1), Binary, BinaryKernel(Add), Any, Pure, Elementwise) \
  X(kChloBroadcastAnd, "chlo.broadcast_and", Exactly(2), Exactly(1), Binary, BinaryKernel(And), PredInt, Pure, Elementwise) \
  X(kChloBroadcastAtan2, "chlo.broadcast_atan2", Exactly(2), Exactly(1), Binary, BinaryKernel(Atan2), FloatComplex, Pure, Elementwise) \
  X(kChloBroadcastCompare, "chlo.broadcast_compare", Exactly(2), Exactly(1), Compare, NoKernel, Any, Pure, Elementwise) \
  X(kChloBroadcastComplex, "chlo.broadcast_complex", Exactly(2), Exactly(1), ToComplex, NoKernel, Float, Pure, Elementwise) \
  X(kChloBroadcastDivide, "chlo.broadcast_divide", Exactly(2), Exactly(1), Binary, BinaryKernel(Divide), IntFloatComplex, Pure, Elementwise) \
  X(kChloBroadcastMaximum, "chlo.broadcast_maximum", Exactly(2), Exactly(1), Binary, BinaryKernel(Maximum), Any, Pure, Elementwise) \
  X(kChloBroadcastMinimum, "chlo.broadcast_minimum", Exactly(2), Exactly(1), Binary, BinaryKernel(Minimum), Any, Pure, Elementwise) \
  X(kChloBroadcastMultiply, "chlo.broadcast_multiply", Exactly(2), Exactly(1), Binary, BinaryKernel(Multiply), Any, Pure, Elementwise) \
  X(kChloBroadcastNextAfter, "chlo.broadcast_next_after", Exactly(2), Exactly(1), Binary, BinaryKernel(NextAfter), Float, Pure, Elementwise) \
  X(kChloBroadcastOr, "chlo.broadcast_or", Exactly(2), Exactly(1), Binary, BinaryKernel(Or), PredInt, Pure, Elementwise) \
  X(kChloBroadcastPolygamma, "chlo.broadcast_polygamma", Exactly(2), Exactly(1), Binary, BinaryKernel(Polygamma), Float, Pure, Elementwise) \
  X(kChloBroadcastPower, "chlo.broadcast_power", Exactly(2), Exactly(1), Binary, BinaryKernel(Power), IntFloatComplex, Pure, Elementwise) \
  X(kChloBroadcastRemainder, "chlo.broadcast_remainder", Exactly(2), Exactly(1), Binary, BinaryKernel(Remainder), IntFloat, Pure, Elementwise) \
  X(kChloBroadcastSelect, "chlo.broadcast_select", Exactly(3), Exactly(1), Select, NoKernel, Any, Pure, Elementwise) \
  X(kChloBroadcastShiftLeft, "chlo.broadcast_shift_left", Exactly(2), Exactly(1), Binary, BinaryKernel(ShiftLeft), Int, Pure, Elementwise) \
  X(kChloBroadcastShiftRightArithmetic, "chlo.broadcast_shift_right_arithmetic", Exactly(2), Exactly(1), Binary, BinaryKernel(ShiftRightArithmetic), Int, Pure, Elementwise) \
  X(kChloBroadcastShiftRightLogical, "chlo.broadcast_shift_right_logical", Exactly(2), Exactly(1), Binary, BinaryKernel(ShiftRightLogical), Int, Pure, Elementwise) \
  X(kChloBroadcastSubtract, "chlo.broadcast_subtract", Exactly(2), Exactly(1), Binary, BinaryKernel(Subtract), IntFloatComplex, Pure, Elementwise) \
  X(kChloBroadcastXor, "chlo.broadcast_xor", Exactly(2), Exactly(1), Binary, BinaryKernel(Xor), PredInt, Pure, Elementwise) \
  X(kChloBroadcastZeta, "chlo.broadcast_zeta", Exactly(2), Exactly(1), Binary, BinaryKernel(Zeta), Float, Pure, Elementwise) \
  X(kChloConj, "chlo.conj", Exactly(1), Exactly(1), Unary, UnaryKernel(Conj), FloatComplex, Pure, Elementwise) \
  X(kChloConstant, "chlo.constant", Exactly(0), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kChloConstantLike, "chlo.constant_like", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, DataMovement) \
  X(kChloCosh, "chlo.cosh", Exactly(1), Exactly(1), Unary, UnaryKernel(Cosh), FloatComplex, Pure, Elementwise) \
  X(kChloDigamma, "chlo.digamma", Exactly(1), Exactly(1), Unary, UnaryKernel(Digamma), Float, Pure, Elementwise) \
  X(kChloErf, "chlo.erf", Exactly(1), Exactly(1), Unary, UnaryKernel(Erf), Float, Pure, Elementwise) \
  X(kChloErfInv, "chlo.erf_inv", Exactly(1), Exactly(1), Unary, UnaryKernel(ErfInv), Float, Pure, Elementwise) \
  X(kChloErfc, "chlo.erfc", Exactly(1), Exactly(1), Unary, UnaryKernel(Erfc), Float, Pure, Elementwise) \
  X(kChloIsInf, "chlo.is_inf", Exactly(1), Exactly(1), ToPred, NoKernel, Float, Pure, Elementwise) \
  X(kChloIsNegInf, "chlo.is_neg_inf", Exactly(1), Exactly(1), ToPred, NoKernel, Float, Pure, Elementwise) \
  X(kChloIsPosInf, "chlo.is_pos_inf", Exactly(1), Exactly(1), ToPred, NoKernel, Float, Pure, Elementwise) \
  X(kChloLgamma, "chlo.lgamma", Exactly(1), Exactly(1), Unary, UnaryKernel(Lgamma), Float, Pure, Elementwise) \
  X(kChloMulhi, "chlo.mulhi", Exactly(2), Exactly(1), Binary, BinaryKernel(Mulhi), Int, Pure, Elementwise) \
  X(kChloNextAfter, "chlo.next_after", Exactly(2), Exactly(1), Binary, BinaryKernel(NextAfter), Float, Pure, Elementwise) \
  X(kChloPolygamma, "chlo.polygamma", Exactly(2), Exactly(1), Binary, BinaryKernel(Polygamma), Float, Pure, Elementwise) \
  X(kChloRaggedDot, "chlo.ragged_dot", Exactly(3), Exactly(1), None, NoKernel, Any, Pure, Contraction) \
  X(kChloSinh, "chlo.sinh", Exactly(1), Exactly(1), Unary, UnaryKernel(Sinh), FloatComplex, Pure, Elementwise) \
  X(kChloSquare, "chlo.square", Exactly(1), Exactly(1), Unary, UnaryKernel(Square), IntFloatComplex, Pure, Elementwise) \
  X(kChloTan, "chlo.tan", Exactly(1), Exactly(1), Unary, UnaryKernel(Tan), FloatComplex, Pure, Elementwise) \
  X(kChloScan, "chlo.scan", AtLeast(1), AtLeast(1), None, NoKernel, Any, Pure, Reduction) \
  X(kChloTopK, "chlo.top_k", Exactly(1), Exactly(2), None, NoKernel, Any, Pure, Reduction) \
  X(kChloZeta, "chlo.zeta", Exactly(2), Exactly(1), Binary, BinaryKernel(Zeta), Float, Pure, Elementwise)

#define BACKPLANE_OTHER_OP_TABLE(X) \
  X(kFuncCall, "func.call", AtLeast(0), AtLeast(0), None, NoKernel, Any, Call, Control) \
  X(kFuncReturn, "func.return", AtLeast(0), Exactly(0), None, NoKernel, Any, Pure, Control) \
  X(kCheckExpectAlmostEq, "check.expect_almost_eq", Exactly(2), Exactly(0), None, NoKernel, Any, Host, Misc) \
  X(kCheckExpectAlmostEqConst, "check.expect_almost_eq_const", Exactly(1), Exactly(0), None, NoKernel, Any, Host, Misc) \
  X(kCheckExpectClose, "check.expect_close", Exactly(2), Exactly(0), None, NoKernel, Any, Host, Misc) \
  X(kCheckExpectEq, "check.expect_eq", Exactly(2), Exactly(0), None, NoKernel, Any, Host, Misc) \
  X(kCheckExpectEqConst, "check.expect_eq_const", Exactly(1), Exactly(0), None, NoKernel, Any, Host, Misc) \
  X(kCheckExpectSerializedEq, "check.expect_serialized_eq", Exactly(1), Exactly(0), None, NoKernel, Any, Host, Misc) \
  X(kSdyShardingConstraint, "sdy.sharding_constraint", Exactly(1), Exactly(1), None, NoKernel, Any, Pure, Misc) \
  X(kInterpreterPrint, "interpreter.print", Exactly(1), Exactly(1), None, NoKernel, Any, Host, Misc) \
  X(kInterpreterProbe, "interpreter.probe", Exactly(1), Exactly(1), None, NoKernel, Any, Host, Misc) \
  X(kInterpreterRunParallel, "interpreter.run_parallel", AtLeast(0), AtLeast(0), None, NoKernel, Any, Host, Control)
// clang-format on

#define BACKPLANE_OP_TABLE(X)     \
  BACKPLANE_STABLEHLO_OP_TABLE(X) \
  BACKPLANE_CHLO_OP_TABLE(X)      \
  BACKPLANE_OTHER_OP_TABLE(X)

#endif  // BACKPLANE_COMPILER_IR_OP_TABLE_H_
