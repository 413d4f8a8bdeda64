#include "sim_accelerator/chip_program.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/out_of_memory.h"
#include "base/status_macros.h"
#include "compiler/abi/custom_calls.h"
#include "compiler/interpreter/body_recognition.h"
#include "compiler/interpreter/checks.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/op_error.h"
#include "compiler/ir/opcode.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "compiler/passes/channel_check.h"
#include "compiler/passes/op_properties.h"
#include "compiler/passes/pipeline.h"
#include "sim_accelerator/matrix_unit.h"

namespace backplane::sim {

using ir::OpCode;
using LiteralRef = std::shared_ptr<const ir::Literal>;

enum class OpKind {
  kConstant,
  kMatrix,
  kVector,
  kWhile,
  kIf,
  kCase,
  kCheck,
  kCollective,  // On the inter-chip link.
  kProcessId,   // replica_id, partition_id: a register read.
  kIdentity,    // Returns its first operand.
  kTerminator,
};

struct LoweredOp {
  OpKind kind = OpKind::kVector;
  OpWork work;  // Template recorded each time the op runs.
  LiteralRef constant;
  int passes = 1;
  // Group size of a collective, or -1: every chip of the execution.
  int64_t group = -1;
  kernels::structured::ScalarComputation body;  // all_reduce, reduce_scatter
};

struct LoweredBlock {
  // release_after[i]: values whose last use in this block is op i.
  std::vector<std::vector<const ir::Value*>> release_after;
};

struct ChipProgram::Env {
  absl::flat_hash_map<const ir::Value*, LiteralRef> values;
  const Env* parent = nullptr;
  const interpreter::CollectiveContext* collective = nullptr;
  const base::Cancellation* cancellation = nullptr;

  const LiteralRef* Lookup(const ir::Value* v) const {
    for (const Env* e = this; e != nullptr; e = e->parent) {
      auto it = e->values.find(v);
      if (it != e->values.end()) return &it->second;
    }
    return nullptr;
  }
};

namespace {

constexpr absl::string_view kPipeline = "inline,(canonicalize,cse)*4,dce";
constexpr int64_t kMaxLoopIterations = int64_t{1} << 31;

// The op's place in ops_json and bench/sim_report's tables: "file:line".
// Errors use ir::FormatLocation / ir::OpError like every layer.
std::string ReportLocation(const ir::Op& op) {
  return absl::StrCat(op.location().file, ":", op.location().line);
}

int64_t TensorBytes(const ir::Type& type) {
  return type.is_tensor() ? type.tensor().byte_size() : 0;
}

int64_t TensorElements(const ir::Type& type) {
  return type.is_tensor() ? type.tensor().element_count() : 0;
}

bool IsCheck(const ir::Op& op) {
  switch (op.code()) {
    case OpCode::kCheckExpectEq:
    case OpCode::kCheckExpectEqConst:
    case OpCode::kCheckExpectAlmostEq:
    case OpCode::kCheckExpectAlmostEqConst:
    case OpCode::kCheckExpectClose:
      return true;
    case OpCode::kCustomCall: {
      absl::StatusOr<std::string> target =
          ir::GetString(op, "call_target_name");
      return target.ok() && absl::StartsWith(*target, "check.expect_") &&
             *target != "check.expect_serialized_eq";
    }
    default:
      return false;
  }
}

// Why the chip cannot run `op`, or empty.
std::string Unsupported(const ir::Op& op) {
  switch (op.code()) {
    case OpCode::kUnknown:
    case OpCode::kFuncCall:
    case OpCode::kComposite:
    case OpCode::kRng:
    case OpCode::kRngBitGenerator:
    case OpCode::kInfeed:
    case OpCode::kOutfeed:
    case OpCode::kSend:
    case OpCode::kRecv:
    case OpCode::kInterpreterPrint:
    case OpCode::kInterpreterProbe:
    case OpCode::kInterpreterRunParallel:
    case OpCode::kCheckExpectSerializedEq:
      return absl::StrCat(op.name(), " at ", ir::FormatLocation(op));
    case OpCode::kCustomCall:
      if (!IsCheck(op)) {
        return absl::StrCat("custom_call at ", ir::FormatLocation(op));
      }
      return "";
    default:
      break;
  }
  for (const ir::Type& t : op.result_types()) {
    if (!t.is_tensor()) {
      return absl::StrCat(op.name(), " at ", ir::FormatLocation(op),
                          " produces a token or tuple");
    }
  }
  for (const ir::Type& t : op.operand_types()) {
    if (!t.is_tensor()) {
      return absl::StrCat(op.name(), " at ", ir::FormatLocation(op),
                          " takes a token or tuple");
    }
  }
  return "";
}

std::optional<LinkPattern> CollectivePattern(OpCode code) {
  switch (code) {
    case OpCode::kAllReduce:
    case OpCode::kCrossReplicaSum:
      return LinkPattern::kAllReduce;
    case OpCode::kAllGather:
      return LinkPattern::kAllGather;
    case OpCode::kReduceScatter:
      return LinkPattern::kReduceScatter;
    case OpCode::kAllToAll:
      return LinkPattern::kAllToAll;
    case OpCode::kCollectivePermute:
      return LinkPattern::kPermute;
    case OpCode::kCollectiveBroadcast:
      return LinkPattern::kBroadcast;
    default:
      return std::nullopt;
  }
}

// Size of the replica groups of a collective (all equal, by the verifier),
// or -1 when the op names none (one group of every chip).
int64_t CollectiveGroupSize(const ir::Op& op) {
  if (op.code() == OpCode::kCollectivePermute) return -1;
  const ir::Attribute* a = op.attr("replica_groups");
  if (a == nullptr || a->kind() != ir::Attribute::Kind::kDenseElements) {
    return -1;
  }
  const ir::Literal& groups = a->literal();
  if (groups.type().rank() != 2 || groups.dims()[0] == 0 ||
      groups.dims()[1] == 0) {
    return -1;
  }
  int64_t size = 0;
  for (int64_t c = 0; c < groups.dims()[1]; ++c) {
    if (groups.GetAsInt64(c) >= 0) ++size;  // -1 pads ragged groups.
  }
  return size;
}

// The reduction body of all_reduce / reduce_scatter as a scalar function:
// the region's ops evaluated in order on rank-0 literals, plus its kind
// when it is a plain add, max, ... so that the kernel runs a typed loop.
kernels::structured::ScalarComputation ReductionBody(const ir::Region& region) {
  kernels::structured::ScalarComputation body;
  body.kind = interpreter::RecognizeReductionBody(region);
  const ir::Block* block = region.front();
  body.fn = [block](absl::Span<const ir::Literal> args)
      -> absl::StatusOr<std::vector<ir::Literal>> {
    absl::flat_hash_map<const ir::Value*, ir::Literal> values;
    for (int i = 0;
         i < block->num_arguments() && i < static_cast<int>(args.size()); ++i) {
      values[block->argument(i)] = args[i];
    }
    for (const auto& op : block->ops()) {
      std::vector<ir::Literal> operands;
      for (const ir::Value* v : op->operands()) {
        auto it = values.find(v);
        if (it == values.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat(ir::FormatLocation(*op),
                           ": reduction body uses a value "
                           "from outside its region"));
        }
        operands.push_back(it->second);
      }
      if (IsTerminator(op->code())) return operands;
      absl::StatusOr<std::vector<ir::Literal>> out =
          interpreter::EvaluateOp(*op, operands);
      if (!out.ok()) return out.status();
      for (int r = 0;
           r < op->num_results() && r < static_cast<int>(out->size()); ++r) {
        values[op->result(r)] = std::move((*out)[r]);
      }
    }
    return absl::InvalidArgumentError("reduction body without terminator");
  };
  return body;
}

bool IsControlFlow(OpCode code) {
  return code == OpCode::kWhile || code == OpCode::kIf || code == OpCode::kCase;
}

VectorClass ClassOf(OpCode code) {
  switch (code) {
    case OpCode::kReshape:
    case OpCode::kBitcastConvert:
    case OpCode::kOptimizationBarrier:
    case OpCode::kSdyShardingConstraint:
    case OpCode::kGetDimensionSize:
      return VectorClass::kFree;
    case OpCode::kExponential:
    case OpCode::kExponentialMinusOne:
    case OpCode::kLog:
    case OpCode::kLogPlusOne:
    case OpCode::kLogistic:
    case OpCode::kTanh:
    case OpCode::kSine:
    case OpCode::kCosine:
    case OpCode::kTan:
    case OpCode::kCbrt:
      return VectorClass::kTranscendental;
    case OpCode::kDivide:
    case OpCode::kSqrt:
    case OpCode::kRsqrt:
    case OpCode::kRemainder:
    case OpCode::kPower:
      return VectorClass::kDivide;
    case OpCode::kReduce:
    case OpCode::kReduceWindow:
    case OpCode::kSelectAndScatter:
    case OpCode::kSort:
    case OpCode::kBatchNormGrad:
    case OpCode::kBatchNormInference:
    case OpCode::kBatchNormTraining:
    case OpCode::kChloTopK:
      return VectorClass::kReduction;
    case OpCode::kTranspose:
    case OpCode::kBroadcast:
    case OpCode::kBroadcastInDim:
    case OpCode::kSlice:
    case OpCode::kDynamicSlice:
    case OpCode::kDynamicUpdateSlice:
    case OpCode::kConcatenate:
    case OpCode::kPad:
    case OpCode::kReverse:
    case OpCode::kGather:
    case OpCode::kScatter:
    case OpCode::kTorchIndexSelect:
      return VectorClass::kDataMovement;
    default:
      break;
  }
  const absl::string_view name = ir::OpCodeName(code);
  if (absl::StartsWith(name, "chlo.") &&
      !absl::StartsWith(name, "chlo.broadcast")) {
    return VectorClass::kTranscendental;
  }
  return VectorClass::kSimple;
}

bool FusableEpilogue(OpCode code) {
  return ir::IsElementwiseSameType(code) || code == OpCode::kConvert ||
         code == OpCode::kCompare || code == OpCode::kSelect ||
         code == OpCode::kClamp;
}

// The op of `block` that holds `op` (itself or an ancestor), or nullptr.
const ir::Op* AncestorIn(const ir::Op* op, const ir::Block* block) {
  while (op != nullptr && op->parent_block() != block) op = op->parent_op();
  return op;
}

absl::Status RunCheck(const ir::Op& op, const std::vector<LiteralRef>& in) {
  std::string check;
  if (op.code() == OpCode::kCustomCall) {
    check = *ir::GetString(op, "call_target_name");
  } else {
    check = std::string(op.name());
  }
  if (in.empty()) return absl::InvalidArgumentError("check without operands");
  ir::Literal expected;
  const ir::Literal* expected_ptr = nullptr;
  if (absl::EndsWith(check, "_const")) {
    const ir::Attribute* value = op.attr("value");
    if (value == nullptr ||
        value->kind() != ir::Attribute::Kind::kDenseElements) {
      return absl::InvalidArgumentError(absl::StrCat(
          ir::FormatLocation(op), ": ", check, " without dense value"));
    }
    expected = value->literal();
    expected_ptr = &expected;
  } else if (in.size() >= 2) {
    expected_ptr = in[1].get();
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        ir::FormatLocation(op), ": ", check, " needs an expected value"));
  }
  absl::Status s;
  if (check == "check.expect_eq" || check == "check.expect_eq_const") {
    s = interpreter::ExpectEq(*in[0], *expected_ptr);
  } else if (check == "check.expect_almost_eq" ||
             check == "check.expect_almost_eq_const") {
    s = interpreter::ExpectAlmostEq(
        *in[0], *expected_ptr,
        interpreter::FloatAttrOr(op, "tolerance",
                                 interpreter::kAlmostEqTolerance));
  } else if (check == "check.expect_close") {
    s = interpreter::ExpectClose(
        *in[0], *expected_ptr,
        ir::GetI64Or(op, "min_ulp_difference", 0).value_or(0),
        ir::GetI64Or(op, "max_ulp_difference",
                     interpreter::kDefaultMaxUlpDifference)
            .value_or(interpreter::kDefaultMaxUlpDifference));
  } else {
    return absl::UnimplementedError(
        absl::StrCat(ir::FormatLocation(op), ": unknown check ", check));
  }
  if (!s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(ir::FormatLocation(op), ": ", check, ": ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

ChipProgram::~ChipProgram() = default;

absl::StatusOr<std::unique_ptr<ChipProgram>> ChipProgram::Compile(
    absl::string_view code, absl::string_view entry, const ChipConfig& chip) {
  parser::ParseOptions parse_options;
  parse_options.filename = "program";
  absl::StatusOr<std::unique_ptr<ir::Module>> module =
      parser::ParseModule(code, parse_options);
  if (!module.ok()) return module.status();
  RETURN_IF_ERROR(ir::VerifyModule(**module));
  // A recv no send can feed would block the chip forever.
  RETURN_IF_ERROR(passes::CheckRecvsHaveSends(**module));
  // Unknown call targets fail here, not halfway through an execution.
  RETURN_IF_ERROR(abi::CheckCustomCallTargets(**module, "sim"));
  if ((*module)->LookupFunction(entry) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("the program has no function @", entry));
  }
  passes::PipelineOptions pipeline_options;
  absl::StatusOr<std::unique_ptr<passes::PassManager>> pipeline =
      passes::ParsePipeline(kPipeline, pipeline_options);
  if (!pipeline.ok()) return pipeline.status();
  if (absl::StatusOr<bool> changed = (*pipeline)->Run(**module);
      !changed.ok()) {
    return changed.status();
  }
  auto program = std::unique_ptr<ChipProgram>(new ChipProgram());
  program->module_ = *std::move(module);
  program->entry_name_ = std::string(entry);
  program->entry_ = program->module_->LookupFunction(entry);
  if (program->entry_ == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "@", entry, " disappeared during compilation (is it private?)"));
  }
  if (program->entry_->body().num_blocks() != 1) {
    return absl::UnimplementedError(
        absl::StrCat("@", entry, " has several blocks"));
  }
  for (const ir::Type& t : program->entry_->argument_types()) {
    if (!t.is_tensor()) {
      return absl::UnimplementedError(absl::StrCat(
          "@", entry, " takes a token or tuple; the chip needs tensors"));
    }
    program->parameter_types_.push_back(t.tensor());
  }
  for (const ir::Type& t : program->entry_->result_types()) {
    if (!t.is_tensor()) {
      return absl::UnimplementedError(absl::StrCat(
          "@", entry, " returns a token or tuple; the chip needs tensors"));
    }
    program->result_types_.push_back(t.tensor());
    program->output_bytes_ += t.tensor().byte_size();
  }
  RETURN_IF_ERROR(program->Lower(chip));
  if (program->interpreter_fallback()) {
    absl::StatusOr<std::unique_ptr<interpreter::Interpreter>> interp =
        interpreter::Interpreter::Create(*program->module_);
    if (!interp.ok()) return interp.status();
    program->interpreter_ = *std::move(interp);
  }
  return program;
}

absl::Status ChipProgram::Lower(const ChipConfig& chip) {
  // Anything the chip cannot express sends the program to the interpreter.
  ir::Walk(*entry_, [&](ir::Op& op) {
    if (!fallback_reason_.empty()) return;
    fallback_reason_ = Unsupported(op);
    if (fallback_reason_.empty() && op.num_regions() > 0 &&
        !IsControlFlow(op.code()) && passes::RegionsUseOuterValues(op)) {
      fallback_reason_ =
          absl::StrCat(op.name(), " at ", ir::FormatLocation(op),
                       " has a region that uses values from outside");
    }
  });
  RETURN_IF_ERROR(LowerBlock(*entry_->entry(), chip));

  // Peak HBM of the entry block's values (arguments excluded).
  const ir::Block* block = entry_->entry();
  const LoweredBlock& lowered = *blocks_[block];
  absl::flat_hash_set<const ir::Value*> arguments;
  for (ir::Value* a : block->arguments()) arguments.insert(a);
  int64_t live = 0;
  int i = 0;
  for (const auto& op : block->ops()) {
    for (int r = 0; r < op->num_results(); ++r) {
      live += TensorBytes(op->result(r)->type());
    }
    peak_live_bytes_ = std::max(peak_live_bytes_, live);
    for (const ir::Value* v : lowered.release_after[i]) {
      if (!arguments.contains(v)) live -= TensorBytes(v->type());
    }
    ++i;
  }
  return absl::OkStatus();
}

absl::Status ChipProgram::LowerBlock(const ir::Block& block,
                                     const ChipConfig& chip) {
  auto lowered_block = std::make_unique<LoweredBlock>();
  lowered_block->release_after.resize(block.ops().size());
  absl::flat_hash_map<const ir::Op*, int> position;
  int index = 0;
  for (const auto& op : block.ops()) position[op.get()] = index++;
  const int terminator = index - 1;
  auto schedule_release = [&](const ir::Value* v, int defined_at) {
    int last = -1;
    for (const ir::Use& use : v->uses()) {
      const ir::Op* anc = AncestorIn(use.user, &block);
      if (anc == nullptr) continue;
      auto it = position.find(anc);
      if (it != position.end()) last = std::max(last, it->second);
    }
    if (last == terminator && block.terminator() != nullptr) return;
    if (last < 0) last = defined_at;
    if (last >= 0) lowered_block->release_after[last].push_back(v);
  };
  for (ir::Value* a : block.arguments()) schedule_release(a, -1);

  absl::flat_hash_set<const ir::Op*> fused_sources;  // Matrix or fused.
  index = 0;
  for (const auto& op_ptr : block.ops()) {
    const ir::Op& op = *op_ptr;
    for (int r = 0; r < op.num_results(); ++r) {
      schedule_release(op.result(r), index);
    }
    ++index;
    auto lowered = std::make_unique<LoweredOp>();
    OpWork& w = lowered->work;
    w.op_id = static_cast<int64_t>(ops_.size());
    w.name = std::string(op.name());
    w.location = ReportLocation(op);
    for (const ir::Type& t : op.operand_types()) w.read_bytes += TensorBytes(t);
    for (const ir::Type& t : op.result_types()) {
      w.write_bytes += TensorBytes(t);
      w.elements = std::max(w.elements, TensorElements(t));
    }
    if (IsTerminator(op.code())) {
      lowered->kind = OpKind::kTerminator;
    } else if (op.code() == OpCode::kConstant) {
      lowered->kind = OpKind::kConstant;
      const ir::Attribute* value = op.attr("value");
      if (value == nullptr ||
          value->kind() != ir::Attribute::Kind::kDenseElements) {
        return absl::InvalidArgumentError(absl::StrCat(
            ir::FormatLocation(op), ": constant without dense value"));
      }
      lowered->constant = std::make_shared<const ir::Literal>(value->literal());
    } else if (IsCheck(op)) {
      lowered->kind = OpKind::kCheck;
    } else if (op.code() == OpCode::kWhile) {
      lowered->kind = OpKind::kWhile;
    } else if (op.code() == OpCode::kIf) {
      lowered->kind = OpKind::kIf;
    } else if (op.code() == OpCode::kCase) {
      lowered->kind = OpKind::kCase;
    } else if (std::optional<LinkPattern> pattern =
                   CollectivePattern(op.code())) {
      lowered->kind = OpKind::kCollective;
      w.unit = Unit::kLink;
      w.link_pattern = *pattern;
      w.link_bytes =
          *pattern == LinkPattern::kAllGather ? w.write_bytes : w.read_bytes;
      lowered->group = CollectiveGroupSize(op);
      if (op.num_regions() > 0) {
        lowered->body = ReductionBody(*op.region(0));
      } else if (op.code() == OpCode::kCrossReplicaSum) {
        // The legacy all_reduce whose reduction is always addition.
        lowered->body.kind = kernels::structured::BodyKind::kAdd;
      }
    } else if (op.code() == OpCode::kReplicaId ||
               op.code() == OpCode::kPartitionId) {
      lowered->kind = OpKind::kProcessId;
      w.vector_class = VectorClass::kFree;
    } else if (op.code() == OpCode::kSetDimensionSize &&
               op.num_operands() > 0 &&
               op.result_types()[0] == op.operand_types()[0]) {
      // Setting a static dimension's size: the operand, unchanged.
      lowered->kind = OpKind::kIdentity;
      w.vector_class = VectorClass::kFree;
    } else if (RunsOnMatrixUnit(op)) {
      lowered->kind = OpKind::kMatrix;
      absl::StatusOr<GemmShape> gemm = MatrixOpGemmShape(op);
      if (!gemm.ok()) return gemm.status();
      w.unit = Unit::kMatrix;
      w.gemm = *gemm;
      lowered->passes = MatmulPasses(op, chip.default_matmul_precision);
      w.passes = lowered->passes;
      w.lhs_bytes = TensorBytes(op.operand(0)->type());
      w.rhs_bytes = TensorBytes(op.operand(1)->type());
      w.out_bytes = TensorBytes(op.result(0)->type());
      fused_sources.insert(&op);
      ++matrix_op_count_;
    } else {
      lowered->kind = OpKind::kVector;
      w.unit = Unit::kVector;
      w.vector_class = ClassOf(op.code());
      for (const ir::Type& t : op.operand_types()) {
        w.elements = std::max(w.elements, TensorElements(t));
      }
      if (op.code() == OpCode::kDotGeneral || op.code() == OpCode::kDot ||
          op.code() == OpCode::kConvolution) {
        // Emulated on the vector unit: one MAC per lane per cycle.
        absl::StatusOr<GemmShape> g = MatrixOpGemmShape(op);
        if (g.ok()) w.elements = g->count * g->m * g->k * g->n;
      } else if (op.code() == OpCode::kSort && w.elements > 1) {
        w.elements *= static_cast<int64_t>(
            std::ceil(std::log2(static_cast<double>(w.elements))));
      }
      if (FusableEpilogue(op.code()) && op.num_results() == 1) {
        for (const ir::Value* v : op.operands()) {
          const ir::Op* def = v->defining_op();
          if (def != nullptr && fused_sources.contains(def) &&
              def->result(0)->uses().size() == 1) {
            w.fused = true;
          }
        }
        if (w.fused) fused_sources.insert(&op);
      }
    }
    for (int r = 0; r < op.num_regions(); ++r) {
      if (!IsControlFlow(op.code())) break;
      for (int b = 0; b < op.region(r)->num_blocks(); ++b) {
        RETURN_IF_ERROR(LowerBlock(*op.region(r)->block(b), chip));
      }
    }
    ops_[&op] = std::move(lowered);
  }
  // Broadcasts that only feed fused epilogues (biases, scales) are applied
  // in the output path too.
  for (const auto& op_ptr : block.ops()) {
    const ir::Op& op = *op_ptr;
    if (op.code() != OpCode::kBroadcastInDim &&
        op.code() != OpCode::kBroadcast) {
      continue;
    }
    bool all_fused = !op.result(0)->uses().empty();
    for (const ir::Use& use : op.result(0)->uses()) {
      auto it = ops_.find(use.user);
      if (it == ops_.end() || !it->second->work.fused) all_fused = false;
    }
    if (all_fused) ops_[&op]->work.fused = true;
  }
  blocks_[&block] = std::move(lowered_block);
  return absl::OkStatus();
}

absl::StatusOr<ProgramRun> ChipProgram::Run(
    const std::vector<LiteralRef>& arguments,
    const interpreter::CollectiveContext* collective,
    const base::Cancellation* cancellation) const {
  if (arguments.size() != parameter_types_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("@", entry_name_, " takes ", parameter_types_.size(),
                     " arguments, got ", arguments.size()));
  }
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i]->type() != parameter_types_[i]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "argument ", i, " must be ", parameter_types_[i].ToString(), ", got ",
          arguments[i]->type().ToString()));
    }
  }
  ProgramRun run;
  if (interpreter_fallback()) {
    std::vector<ir::Literal> inputs;
    for (const LiteralRef& a : arguments) inputs.push_back(*a);
    std::lock_guard<std::mutex> lock(interpreter_mu_);
    absl::StatusOr<std::vector<ir::Literal>> out =
        interpreter_->Run(entry_name_, inputs, cancellation);
    if (!out.ok()) return out.status();
    run.results = *std::move(out);
    return run;
  }
  Env env;
  env.collective = collective;
  env.cancellation = cancellation;
  const ir::Block& block = *entry_->entry();
  for (size_t i = 0; i < arguments.size(); ++i) {
    env.values[block.argument(static_cast<int>(i))] = arguments[i];
  }
  absl::StatusOr<std::vector<LiteralRef>> results =
      RunBlock(block, env, &run.work);
  if (!results.ok()) return results.status();
  for (LiteralRef& r : *results) {
    // Results held only here move out; shared ones are copied.
    if (r.use_count() == 1) {
      run.results.push_back(std::move(const_cast<ir::Literal&>(*r)));
    } else {
      run.results.push_back(*r);
    }
  }
  return run;
}

absl::StatusOr<std::vector<LiteralRef>> ChipProgram::RunBlock(
    const ir::Block& block, Env& env, WorkLog* work) const {
  auto block_it = blocks_.find(&block);
  if (block_it == blocks_.end()) {
    return absl::InternalError("block was not lowered");
  }
  const LoweredBlock& lowered_block = *block_it->second;
  int index = 0;
  for (const auto& op_ptr : block.ops()) {
    const ir::Op& op = *op_ptr;
    std::vector<LiteralRef> operands;
    operands.reserve(op.num_operands());
    for (const ir::Value* v : op.operands()) {
      const LiteralRef* value = env.Lookup(v);
      if (value == nullptr) {
        return absl::InternalError(absl::StrCat(ir::FormatLocation(op), ": ",
                                                op.name(),
                                                " uses a value not computed"));
      }
      operands.push_back(*value);
    }
    const LoweredOp& lowered = *ops_.at(&op);
    if (lowered.kind == OpKind::kTerminator) return operands;
    RETURN_IF_ERROR(base::CheckCancellation(env.cancellation), "%s: %s",
                    ir::FormatLocation(op), op.name());
    // Out of host memory is RESOURCE_EXHAUSTED, not an exception.
    absl::StatusOr<std::vector<LiteralRef>> results = base::CatchOutOfMemory(
        [&] { return RunOp(lowered, op, std::move(operands), env, work); },
        [&] { return absl::StrCat(ir::FormatLocation(op), ": ", op.name()); });
    if (!results.ok()) return results.status();
    for (int r = 0;
         r < op.num_results() && r < static_cast<int>(results->size()); ++r) {
      env.values[op.result(r)] = std::move((*results)[r]);
    }
    for (const ir::Value* v : lowered_block.release_after[index]) {
      env.values.erase(v);
    }
    ++index;
  }
  return absl::InternalError("block without terminator");
}

absl::StatusOr<std::vector<LiteralRef>> ChipProgram::RunOp(
    const LoweredOp& lowered, const ir::Op& op,
    std::vector<LiteralRef> operands, Env& env, WorkLog* work) const {
  auto wrap = [](std::vector<ir::Literal> literals) {
    std::vector<LiteralRef> out;
    out.reserve(literals.size());
    for (ir::Literal& l : literals) {
      out.push_back(std::make_shared<ir::Literal>(std::move(l)));
    }
    return out;
  };
  auto run_region = [&](int region, std::vector<LiteralRef> args)
      -> absl::StatusOr<std::vector<LiteralRef>> {
    const ir::Block& body = *op.region(region)->front();
    Env inner;
    inner.parent = &env;
    inner.collective = env.collective;
    inner.cancellation = env.cancellation;
    for (int i = 0;
         i < body.num_arguments() && i < static_cast<int>(args.size()); ++i) {
      inner.values[body.argument(i)] = std::move(args[i]);
    }
    return RunBlock(body, inner, work);
  };
  auto control = [&] {
    OpWork w = lowered.work;
    w.unit = Unit::kControl;
    work->Record(std::move(w));
  };
  switch (lowered.kind) {
    case OpKind::kConstant:
      return std::vector<LiteralRef>{lowered.constant};
    case OpKind::kCheck: {
      RETURN_IF_ERROR(RunCheck(op, operands));
      return std::vector<LiteralRef>();
    }
    case OpKind::kMatrix: {
      absl::StatusOr<ir::Literal> out =
          EvaluateOnMatrixUnit(op, *operands[0], *operands[1], lowered.passes);
      if (!out.ok()) return out.status();
      work->Record(lowered.work);
      std::vector<LiteralRef> results;
      results.push_back(std::make_shared<ir::Literal>(*std::move(out)));
      return results;
    }
    case OpKind::kVector: {
      std::vector<ir::Literal> inputs;
      inputs.reserve(operands.size());
      for (const LiteralRef& o : operands) inputs.push_back(*o);
      operands.clear();
      absl::StatusOr<std::vector<ir::Literal>> out =
          interpreter::EvaluateOp(op, inputs);
      if (!out.ok()) {
        return ir::OpError(op, out.status());
      }
      work->Record(lowered.work);
      return wrap(*std::move(out));
    }
    case OpKind::kWhile: {
      std::vector<LiteralRef> state = std::move(operands);
      for (int64_t iteration = 0;; ++iteration) {
        if (iteration >= kMaxLoopIterations) {
          return absl::ResourceExhaustedError(absl::StrCat(
              ir::FormatLocation(op), ": while loop ran more than ",
              kMaxLoopIterations, " iterations"));
        }
        RETURN_IF_ERROR(base::CheckCancellation(env.cancellation),
                        "%s: while loop, iteration %d", ir::FormatLocation(op),
                        iteration);
        ASSIGN_OR_RETURN(std::vector<LiteralRef> cond, run_region(0, state));
        control();
        if (cond.empty() || cond[0]->GetAsInt64(0) == 0) break;
        ASSIGN_OR_RETURN(std::vector<LiteralRef> next, run_region(1, state));
        state = std::move(next);
      }
      return state;
    }
    case OpKind::kIf: {
      control();
      const bool taken = operands[0]->GetAsInt64(0) != 0;
      return run_region(taken ? 0 : 1, {});
    }
    case OpKind::kCase: {
      control();
      int64_t index = operands[0]->GetAsInt64(0);
      if (index < 0 || index >= op.num_regions()) index = op.num_regions() - 1;
      return run_region(static_cast<int>(index), {});
    }
    case OpKind::kCollective: {
      const interpreter::CollectiveContext solo{nullptr, 0, 0};
      const interpreter::CollectiveContext& ctx =
          env.collective != nullptr ? *env.collective : solo;
      std::vector<interpreter::ValueRef> in;
      in.reserve(operands.size());
      for (const LiteralRef& o : operands) {
        in.push_back(interpreter::RuntimeValue::Tensor(*o));
      }
      operands.clear();
      absl::StatusOr<std::vector<interpreter::ValueRef>> out =
          interpreter::ExecuteCollective(op, ctx, in, lowered.body);
      if (!out.ok()) {
        return ir::OpError(op, out.status());
      }
      OpWork w = lowered.work;
      const int64_t everyone =
          ctx.run != nullptr ? ctx.run->replicas() * ctx.run->partitions() : 1;
      w.link_group = lowered.group < 0 ? everyone : lowered.group;
      work->Record(std::move(w));
      std::vector<LiteralRef> results;
      for (const interpreter::ValueRef& v : *out) {
        if (!v->is_tensor()) {
          return absl::InternalError(absl::StrCat(
              ir::FormatLocation(op), ": collective returned no tensor"));
        }
        results.push_back(std::make_shared<ir::Literal>(v->tensor()));
      }
      return results;
    }
    case OpKind::kProcessId: {
      const int64_t id = env.collective == nullptr ? 0
                         : op.code() == OpCode::kReplicaId
                             ? env.collective->replica_id
                             : env.collective->partition_id;
      ir::Literal value(op.result(0)->type().tensor());
      if (value.element_count() != 1 ||
          ir::ElementByteSize(value.element_type()) != 4) {
        return absl::InvalidArgumentError(
            absl::StrCat(ir::FormatLocation(op), ": ", op.name(),
                         " must return tensor<ui32>"));
      }
      value.data<uint32_t>()[0] = static_cast<uint32_t>(id);
      work->Record(lowered.work);
      return std::vector<LiteralRef>{
          std::make_shared<ir::Literal>(std::move(value))};
    }
    case OpKind::kIdentity:
      work->Record(lowered.work);
      return std::vector<LiteralRef>{operands[0]};
    case OpKind::kTerminator:
      break;
  }
  return absl::InternalError("unhandled op kind");
}

}  // namespace backplane::sim
