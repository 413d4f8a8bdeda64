#include "cpu_plugin/program_lowering.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/op_error.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/epilogue_fusion.h"
#include "cpu_plugin/fusion_plan.h"
#include "cpu_plugin/gather_thunk.h"
#include "cpu_plugin/layout_thunks.h"
#include "cpu_plugin/loop_fusion_thunk.h"
#include "cpu_plugin/onednn_thunks.h"
#include "cpu_plugin/reduce_thunk.h"

namespace backplane::cpu {
namespace {

using ir::OpCode;

constexpr char kFusionFailed[] = "fusion failed at ";

// Whether `op` can run through a thunk of its own.
bool CanLower(const ir::Op& op) {
  switch (op.code()) {
    case OpCode::kFuncReturn:
    case OpCode::kReturn:
    case OpCode::kConstant:
    case OpCode::kReplicaId:
    case OpCode::kPartitionId:
    case OpCode::kCheckExpectEq:
    case OpCode::kCheckExpectEqConst:
    case OpCode::kCheckExpectAlmostEq:
    case OpCode::kCheckExpectAlmostEqConst:
    case OpCode::kCheckExpectClose:
      return true;
    case OpCode::kCustomCall:
      return absl::StartsWith(interpreter::StringAttrOr(op, "call_target_name"),
                              "check.expect_") &&
             op.num_results() == 0;
    default:
      return IsGenericOpSupported(op);
  }
}

OneDnnOptions DnnOptions(const ProgramOptions& options) {
  OneDnnOptions dnn;
  dnn.bf16 = options.matmul_precision == MatmulPrecision::kBf16;
  dnn.winograd = options.convolution_algorithm == ConvolutionAlgorithm::kAuto;
  return dnn;
}

// One lowering of one module: Run plans, walks the entry block and hands
// the thunks and the buffer layout over.
class Lowering {
 public:
  Lowering(const ir::Module& module, const ProgramOptions& options, bool fuse)
      : module_(module),
        options_(options),
        fuse_(fuse),
        dnn_(DnnOptions(options)) {}

  absl::StatusOr<LoweredProgram> Run() &&;

 private:
  absl::Status TakeSignature(const ir::Function& fn);
  absl::Status LowerInterpreted(const ir::Function& fn);
  absl::Status LowerBlock(const ir::Block& block);
  absl::StatusOr<bool> LowerWithoutThunk(const ir::Op& op);
  absl::Status LowerOp(const ir::Op& op);
  absl::Status FinishResults(const ir::Block& block, const ir::Op& terminator);
  absl::StatusOr<std::unique_ptr<Thunk>> Lower(const ir::Op& op,
                                               std::vector<BufferRef>& operands,
                                               std::vector<BufferRef>& results);
  absl::StatusOr<std::unique_ptr<Thunk>> LowerLoopFusion(
      const LoopGroup& group, const BufferRef& result);
  absl::StatusOr<std::unique_ptr<Thunk>> LowerWithEpilogue(
      const ir::Op& op, std::vector<BufferRef>& operands,
      std::vector<BufferRef>& results);
  Epilogue MakeEpilogue(const ir::Op& op, const EpilogueMatch& match,
                        int64_t weights_out_dim, const ir::Literal** weights);
  BufferRef DotOperand(const ir::Op& op, int i, std::vector<int64_t>* strides);
  absl::StatusOr<std::unique_ptr<Thunk>> MakeDnn(
      const ir::Op& op, std::vector<BufferRef>& operands,
      std::vector<BufferRef>& results, const ir::Literal* weights,
      const Epilogue& epilogue);
  void MaterializeFoldedOperands(const ir::Op& op,
                                 std::vector<BufferRef>& operands);

  const ir::Module& module_;
  const ProgramOptions& options_;
  const bool fuse_;
  const OneDnnOptions dnn_;
  FusionPlan plan_;  // Made when the block is lowered.
  BufferAssignment buffers_;
  LoweredProgram out_;
  int index_ = 0;  // Position (from 1) of the op being lowered.
};

absl::StatusOr<LoweredProgram> Lowering::Run() && {
  const ir::Function* fn = module_.LookupFunction(options_.entry);
  if (fn == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("the program has no function @", options_.entry));
  }
  RETURN_IF_ERROR(TakeSignature(*fn));
  const ir::Block& block = *fn->entry();
  bool lowerable = block.ops().size() > 0 && fn->body().num_blocks() == 1;
  for (const auto& op : block.ops()) {
    if (!lowerable) break;
    lowerable = CanLower(*op);
    if (!lowerable) {
      out_.fallback_reason =
          absl::StrCat(ir::FormatLocation(*op), ": ", op->name());
    }
  }
  if (!lowerable) {
    if (!options_.allow_interpreter_fallback) {
      return absl::UnimplementedError(
          "the program needs the interpreter fallback, which is disabled");
    }
    RETURN_IF_ERROR(LowerInterpreted(*fn));
  } else {
    RETURN_IF_ERROR(LowerBlock(block));
  }
  out_.buffers = std::move(buffers_).Finish();
  return std::move(out_);
}

absl::Status Lowering::TakeSignature(const ir::Function& fn) {
  for (const ir::Type& t : fn.argument_types()) {
    if (!t.is_tensor()) {
      return absl::UnimplementedError(
          absl::StrCat("@", options_.entry, " takes a ", t.ToString(),
                       "; the CPU plugin takes tensors only"));
    }
    out_.parameter_types.push_back(t.tensor());
  }
  for (const ir::Type& t : fn.result_types()) {
    if (!t.is_tensor()) {
      return absl::UnimplementedError(
          absl::StrCat("@", options_.entry, " returns a ", t.ToString(),
                       "; the CPU plugin returns tensors only"));
    }
    out_.result_types.push_back(t.tensor());
  }
  return absl::OkStatus();
}

absl::Status Lowering::LowerInterpreted(const ir::Function& fn) {
  out_.interpreted = true;
  std::vector<BufferRef> params, results;
  for (size_t i = 0; i < out_.parameter_types.size(); ++i) {
    params.push_back(
        {buffers_.AddSlot(SlotKind::kParameter, i), out_.parameter_types[i]});
  }
  for (size_t i = 0; i < out_.result_types.size(); ++i) {
    results.push_back(
        {buffers_.AddSlot(SlotKind::kResult, i), out_.result_types[i]});
  }
  ASSIGN_OR_RETURN(
      std::unique_ptr<Thunk> thunk,
      MakeInterpretFunctionThunk(module_, fn.name(), std::move(params),
                                 std::move(results)));
  out_.thunks.push_back(std::move(thunk));
  return absl::OkStatus();
}

// Walks the block in order: every op that is not dead reads its operands
// at its position; ops fused into another's thunk stop there.
absl::Status Lowering::LowerBlock(const ir::Block& block) {
  for (int i = 0; i < block.num_arguments(); ++i) {
    buffers_.AddParameter(block.argument(i), i);
  }
  const bool optimize = options_.optimization_level > 0;
  plan_ = FusionPlan::Make(block, /*fold_transposes=*/optimize,
                           /*fuse=*/optimize && fuse_);
  index_ = 0;
  const ir::Op* terminator = nullptr;
  for (const auto& op_ptr : block.ops()) {
    const ir::Op& op = *op_ptr;
    ++index_;
    if (plan_.IsDead(op)) continue;
    for (const ir::Value* v : op.operands()) buffers_.Read(v, index_);
    if (plan_.IsAbsorbed(op)) continue;    // Runs inside its producer.
    if (plan_.IsLoopMember(op)) continue;  // Runs in its group's root.
    if (op.code() == OpCode::kFuncReturn || op.code() == OpCode::kReturn) {
      terminator = &op;
      continue;
    }
    ASSIGN_OR_RETURN(bool lowered, LowerWithoutThunk(op));
    if (!lowered) RETURN_IF_ERROR(LowerOp(op));
  }
  if (terminator == nullptr) {
    return absl::InvalidArgumentError("the entry function has no return");
  }
  return FinishResults(block, *terminator);
}

// Ops that need a slot but no thunk: constants, and views of the same
// bytes (reshapes, the interpreter's recording identity, folded
// transposes, which the dot that uses them reads in place).
absl::StatusOr<bool> Lowering::LowerWithoutThunk(const ir::Op& op) {
  if (op.code() == OpCode::kConstant) {
    const ir::Literal* literal = DenseConstantOf(op.result(0));
    if (literal == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          ir::FormatLocation(op), ": constant without a dense value"));
    }
    buffers_.Bind(op.result(0), buffers_.AddConstant(*literal));
    return true;
  }
  if (plan_.IsFoldedTranspose(op) || op.code() == OpCode::kReshape ||
      op.code() == OpCode::kInterpreterProbe ||
      op.code() == OpCode::kSdyShardingConstraint) {
    buffers_.AddAlias(op.result(0), op.operand(0));
    return true;
  }
  return false;
}

// An op with a thunk of its own, writing new temporaries (or its fused
// residual's buffer).
absl::Status Lowering::LowerOp(const ir::Op& op) {
  const LoopGroup* group = plan_.LoopRootedAt(op);
  std::vector<BufferRef> operands;
  if (group == nullptr) {  // Loops resolve their own inputs.
    for (const ir::Value* v : op.operands())
      operands.push_back(buffers_.Ref(v));
  }
  std::vector<BufferRef> results;
  for (int r = 0; r < op.num_results(); ++r) {
    const ir::Value* result = op.result(r);
    if (r == 0 && plan_.ResidualInPlace(op)) {
      // Written over the residual, which dies here (sum post-op).
      const ir::Value* residual = plan_.EpilogueOf(op)->residual;
      buffers_.AddAlias(result, residual);
      buffers_.Read(residual, index_);
    } else {
      buffers_.Bind(result, buffers_.AddTemp(
                                result->type().tensor().byte_size(), index_));
    }
    results.push_back(buffers_.Ref(result));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Thunk> thunk,
                   group != nullptr ? LowerLoopFusion(*group, results[0])
                                    : Lower(op, operands, results));
  if (thunk->in_place_safe()) buffers_.MarkInPlace(index_);
  out_.thunks.push_back(std::move(thunk));
  return absl::OkStatus();
}

// Computed temporaries become the result buffers themselves; parameters,
// constants, aliases and repeated values are copied.
absl::Status Lowering::FinishResults(const ir::Block& block,
                                     const ir::Op& terminator) {
  for (auto& [from, to] : buffers_.AssignResults(block, terminator)) {
    out_.thunks.push_back(MakeCopyThunk(from, to));
  }
  for (const auto& t : out_.thunks) {
    out_.scratch_bytes =
        std::max(out_.scratch_bytes, AlignUp(t->scratch_bytes()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Thunk>> Lowering::Lower(
    const ir::Op& op, std::vector<BufferRef>& operands,
    std::vector<BufferRef>& results) {
  switch (op.code()) {
    case OpCode::kReplicaId:
      return MakeReplicaIdThunk(results[0], /*partition=*/false);
    case OpCode::kPartitionId:
      return MakeReplicaIdThunk(results[0], /*partition=*/true);
    case OpCode::kDotGeneral:
    case OpCode::kConvolution: {
      absl::StatusOr<std::unique_ptr<Thunk>> t =
          LowerWithEpilogue(op, operands, results);
      if (!t.ok() || *t != nullptr) return t;
      break;
    }
    case OpCode::kReduceWindow: {
      if (operands.size() != 2) break;
      absl::StatusOr<std::unique_ptr<Thunk>> t =
          MakeOneDnnPooling(op, operands[0], results[0], dnn_);
      if (!t.ok() || *t != nullptr) return t;
      if (results.size() != 1) break;
      if (auto w =
              MakeWindowReduceThunk(op, operands[0], operands[1], results[0]);
          w.has_value()) {
        return *std::move(w);
      }
      break;
    }
    case OpCode::kGather: {
      if (operands.size() != 2 || results.size() != 1) break;
      if (auto t = MakeRowGatherThunk(op, operands[0], operands[1], results[0]);
          t.has_value()) {
        return *std::move(t);
      }
      break;
    }
    case OpCode::kReduce: {
      if (operands.size() != 2 || results.size() != 1) break;
      if (auto t = MakeRowReduceThunk(op, operands[0], operands[1], results[0]);
          t.has_value()) {
        return *std::move(t);
      }
      break;
    }
    default:
      break;
  }
  if (op.code() == OpCode::kTranspose || op.code() == OpCode::kBroadcastInDim) {
    if (auto t = MakeLayoutThunk(op, operands[0], results[0]); t.has_value()) {
      return *std::move(t);
    }
  }
  if (auto check = MakeCheckThunk(op, operands); check.has_value()) {
    return *std::move(check);
  }
  if (results.size() == 1) {
    if (auto e = MakeElementwiseThunk(op, operands, results[0],
                                      options_.math_accuracy);
        e.has_value()) {
      return *std::move(e);
    }
  }
  return MakeGenericOpThunk(&op, operands, results);
}

absl::StatusOr<std::unique_ptr<Thunk>> Lowering::LowerLoopFusion(
    const LoopGroup& group, const BufferRef& result) {
  // Every outside value the members read is read when the root runs.
  for (const ir::Op* m : group.members) {
    for (const ir::Value* v : m->operands()) buffers_.Read(v, index_);
  }
  return MakeLoopFusionThunk(
      group, [&](const ir::Value* v) { return buffers_.SlotOf(v); }, result,
      options_.math_accuracy);
}

// Lowers a dot_general / convolution with the element-wise ops after it
// fused as oneDNN post-ops (see epilogue_fusion.h).
absl::StatusOr<std::unique_ptr<Thunk>> Lowering::LowerWithEpilogue(
    const ir::Op& op, std::vector<BufferRef>& operands,
    std::vector<BufferRef>& results) {
  const ir::Literal* weights = DenseConstantOf(op.operand(1));
  int64_t feature_dim = -1, weights_out_dim = -1;
  RETURN_IF_ERROR(EpilogueDims(op, &feature_dim, &weights_out_dim));
  const EpilogueMatch* match = plan_.EpilogueOf(op);
  if (match != nullptr && !match->absorbed.empty()) {
    const Epilogue epilogue =
        MakeEpilogue(op, *match, weights_out_dim, &weights);
    ASSIGN_OR_RETURN(std::unique_ptr<Thunk> t,
                     MakeDnn(op, operands, results, weights, epilogue));
    if (t == nullptr) {
      // The planned fusion is not available in oneDNN for this shape;
      // Compile retries without fusions.
      return absl::InternalError(
          absl::StrCat(kFusionFailed, ir::FormatLocation(op)));
    }
    for (const ir::Op* absorbed : match->absorbed) {
      buffers_.Bind(absorbed->result(0), results[0].slot);
    }
    return t;
  }
  absl::StatusOr<std::unique_ptr<Thunk>> t =
      MakeDnn(op, operands, results, weights, Epilogue());
  if (!t.ok() || *t != nullptr) return t;
  MaterializeFoldedOperands(op, operands);
  return t;
}

// The post-ops of `match`; per-channel scales are folded into a scaled copy
// of the constant `*weights`, which then points at it.
Epilogue Lowering::MakeEpilogue(const ir::Op& op, const EpilogueMatch& match,
                                int64_t weights_out_dim,
                                const ir::Literal** weights) {
  Epilogue epilogue;
  if (!match.scale.empty()) {
    bool scaled = false;
    for (float f : match.scale) scaled |= f != 1.0f;
    if (scaled) {
      out_.owned_constants.push_back(std::make_unique<ir::Literal>(
          ScaleOutputChannels(**weights, weights_out_dim, match.scale)));
      *weights = out_.owned_constants.back().get();
    }
    ir::TensorType bias_type(ir::ElementType::kF32,
                             {static_cast<int64_t>(match.shift.size())});
    auto bias = std::make_unique<ir::Literal>(bias_type);
    std::copy(match.shift.begin(), match.shift.end(),
              bias->data<float>().begin());
    epilogue.bias = BufferRef{buffers_.AddConstant(*bias), bias_type};
    out_.owned_constants.push_back(std::move(bias));
  }
  if (match.residual != nullptr) {
    epilogue.residual = buffers_.Ref(match.residual);
    epilogue.residual_in_place = plan_.ResidualInPlace(op);
  }
  if (match.bias != nullptr) {
    // Read by the producer itself, where the broadcasts that fed the
    // absorbed add are dead.
    buffers_.Read(match.bias, index_);
    epilogue.bias = buffers_.Ref(match.bias);
  }
  epilogue.output_scale = match.output_scale;
  epilogue.relu = match.relu;
  return epilogue;
}

// Operand `i` of a dot as the dot reads it: the transpose's input with
// permuted strides when the transpose was folded.
BufferRef Lowering::DotOperand(const ir::Op& op, int i,
                               std::vector<int64_t>* strides) {
  const ir::Op* def = op.operand(i)->defining_op();
  if (def == nullptr || !plan_.IsFoldedTranspose(*def)) {
    return buffers_.Ref(op.operand(i));
  }
  const ir::TensorType& in = def->operand(0)->type().tensor();
  std::vector<int64_t> in_strides(in.rank(), 1);
  for (int64_t d = in.rank() - 2; d >= 0; --d) {
    in_strides[d] = in_strides[d + 1] * in.dim(d + 1);
  }
  auto perm = ir::GetI64Array(*def, "permutation");
  strides->clear();
  for (int64_t p : *perm) strides->push_back(in_strides[p]);
  return BufferRef{buffers_.Ref(def->operand(0)).slot,
                   op.operand(i)->type().tensor()};
}

absl::StatusOr<std::unique_ptr<Thunk>> Lowering::MakeDnn(
    const ir::Op& op, std::vector<BufferRef>& operands,
    std::vector<BufferRef>& results, const ir::Literal* weights,
    const Epilogue& epilogue) {
  if (op.code() == OpCode::kDotGeneral) {
    std::vector<int64_t> lhs_strides, rhs_strides;
    BufferRef lhs = DotOperand(op, 0, &lhs_strides);
    BufferRef rhs = DotOperand(op, 1, &rhs_strides);
    return MakeOneDnnDot(op, lhs, rhs, results[0], weights, epilogue, dnn_,
                         lhs_strides, rhs_strides);
  }
  return MakeOneDnnConvolution(op, operands[0], operands[1], results[0],
                               weights, epilogue, dnn_);
}

// A folded transpose whose dot cannot read it in place: give it its own
// buffer, written right before the dot.
void Lowering::MaterializeFoldedOperands(const ir::Op& op,
                                         std::vector<BufferRef>& operands) {
  for (int i = 0; i < op.num_operands(); ++i) {
    const ir::Op* def = op.operand(i)->defining_op();
    if (def == nullptr || !plan_.IsFoldedTranspose(*def)) continue;
    const int slot = buffers_.AddTemp(operands[i].type.byte_size(), index_);
    BufferRef in = buffers_.Ref(def->operand(0));
    BufferRef materialized{slot, operands[i].type};
    auto t = MakeLayoutThunk(*def, in, materialized);
    out_.thunks.push_back(*std::move(t));
    operands[i] = materialized;
  }
}

}  // namespace

absl::StatusOr<LoweredProgram> LowerProgram(const ir::Module& module,
                                            const ProgramOptions& options,
                                            bool fuse) {
  return Lowering(module, options, fuse).Run();
}

bool IsFusionFailure(const absl::Status& status) {
  return absl::StartsWith(status.message(), kFusionFailed);
}

}  // namespace backplane::cpu
