#include "compiler/interpreter/interpreter.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/interpreter/body_recognition.h"
#include "compiler/interpreter/checks.h"
#include "compiler/interpreter/collectives.h"
#include "compiler/interpreter/legacy_ops.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/ragged_dot.h"
#include "compiler/ir/verifier.h"
#include "compiler/kernels/elementwise/binary.h"
#include "compiler/kernels/elementwise/compare.h"
#include "compiler/kernels/elementwise/convert.h"
#include "compiler/kernels/elementwise/iota_complex.h"
#include "compiler/kernels/elementwise/reduce_precision.h"
#include "compiler/kernels/elementwise/select_clamp.h"
#include "compiler/kernels/elementwise/unary.h"
#include "compiler/kernels/structured/convolution.h"
#include "compiler/kernels/structured/data_movement.h"
#include "compiler/kernels/structured/dot.h"
#include "compiler/kernels/structured/fft.h"
#include "compiler/kernels/structured/gather.h"
#include "compiler/kernels/structured/linalg.h"
#include "compiler/kernels/structured/reduce.h"
#include "compiler/kernels/structured/reduce_window.h"
#include "compiler/kernels/structured/rng_bit_generator.h"
#include "compiler/kernels/structured/scatter.h"
#include "compiler/kernels/structured/sort.h"
#include "compiler/kernels/structured/top_k.h"

namespace backplane::interpreter {

namespace ks = kernels::structured;
using ir::OpCode;

// ---------------------------------------------------------------------------
// Execution plans: every value of a function (nested regions included) gets
// a slot; each op lists its operand and result slots and the slots whose
// last use it is, so intermediates are released as early as possible.

struct OpPlan {
  const ir::Op* op = nullptr;
  std::vector<int> operands;
  std::vector<int> results;
  std::vector<int> release;  // Slots to clear after this op.
  ValueRef constant;         // Pre-built value of constant ops.
  // Per region: the recognised reduction body and comparator, found once
  // when the plan is built rather than at every execution.
  std::vector<ks::BodyKind> body_kinds;
  std::vector<std::optional<RecognizedComparator>> comparators;
};

namespace {

void RecognizeBodies(OpPlan& plan) {
  for (int r = 0; r < plan.op->num_regions(); ++r) {
    plan.body_kinds.push_back(RecognizeReductionBody(*plan.op->region(r)));
    plan.comparators.push_back(RecognizeComparator(*plan.op->region(r)));
  }
}

}  // namespace

struct BlockPlan {
  std::vector<int> arguments;
  std::vector<int> release_at_entry;  // Unused arguments.
  std::vector<OpPlan> ops;
};

struct FunctionPlan {
  int num_slots = 0;
  absl::flat_hash_map<const ir::Value*, int> slot_of;
  absl::flat_hash_map<const ir::Block*, BlockPlan> blocks;
};

// State of one process of a run (one per replica x partition under
// interpreter.run_parallel; a single default process otherwise).
struct ProcessContext {
  int64_t replica_id = 0;
  int64_t partition_id = 0;
  ParallelRun* run = nullptr;  // Null outside run_parallel.
};

struct Frame {
  const FunctionPlan* plan;
  std::vector<ValueRef> slots;
  ProcessContext* process;
};

namespace {

absl::Status OpError(const ir::Op& op, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(LocationString(op), ": ", op.name(), ": ",
                                   status.message()));
}

absl::Status Unimplemented(const ir::Op& op, absl::string_view what = "") {
  return absl::UnimplementedError(
      absl::StrCat(LocationString(op), ": unsupported op ", op.name(),
                   what.empty() ? "" : " (", what, what.empty() ? "" : ")"));
}

// The op that contains `op` and sits directly in `block`, or null.
const ir::Op* AncestorInBlock(const ir::Op* op, const ir::Block* block) {
  while (op != nullptr && op->parent_block() != block) op = op->parent_op();
  return op;
}

class PlanBuilder {
 public:
  explicit PlanBuilder(FunctionPlan* plan) : plan_(plan) {}

  absl::Status AddRegion(const ir::Region& region) {
    for (int b = 0; b < region.num_blocks(); ++b) {
      const ir::Block* block = region.block(b);
      for (int i = 0; i < block->num_arguments(); ++i) {
        Assign(block->argument(i));
      }
      for (const auto& op : block->ops()) {
        for (int i = 0; i < op->num_results(); ++i) Assign(op->result(i));
        for (int r = 0; r < op->num_regions(); ++r) {
          RETURN_IF_ERROR(AddRegion(*op->region(r)));
        }
      }
    }
    for (int b = 0; b < region.num_blocks(); ++b) {
      RETURN_IF_ERROR(PlanBlock(*region.block(b)));
    }
    return absl::OkStatus();
  }

 private:
  void Assign(const ir::Value* v) { plan_->slot_of[v] = plan_->num_slots++; }

  // Position (op index in `block`) of the last use of `v` by an op of the
  // block or nested in one; -1 when unused; INT_MAX when the terminator
  // uses it (it is then handed out, not released).
  int LastUse(const ir::Value* v, const ir::Block& block,
              const absl::flat_hash_map<const ir::Op*, int>& position) {
    int last = -1;
    for (const ir::Use& use : v->uses()) {
      const ir::Op* anc = AncestorInBlock(use.user, &block);
      if (anc == nullptr) continue;
      auto it = position.find(anc);
      if (it == position.end()) continue;
      last = std::max(last, it->second);
    }
    return last;
  }

  absl::Status PlanBlock(const ir::Block& block) {
    BlockPlan bp;
    absl::flat_hash_map<const ir::Op*, int> position;
    int index = 0;
    for (const auto& op : block.ops()) position[op.get()] = index++;
    const int terminator_index = index - 1;
    bp.ops.resize(block.ops().size());
    auto schedule_release = [&](const ir::Value* v, int defined_at) {
      const int slot = plan_->slot_of[v];
      const int last = LastUse(v, block, position);
      if (last == terminator_index && block.terminator() != nullptr) return;
      if (last < 0) {
        if (defined_at < 0) {
          bp.release_at_entry.push_back(slot);
        } else {
          bp.ops[defined_at].release.push_back(slot);
        }
        return;
      }
      bp.ops[last].release.push_back(slot);
    };
    for (int i = 0; i < block.num_arguments(); ++i) {
      bp.arguments.push_back(plan_->slot_of[block.argument(i)]);
      schedule_release(block.argument(i), -1);
    }
    index = 0;
    for (const auto& op : block.ops()) {
      OpPlan& p = bp.ops[index];
      p.op = op.get();
      RecognizeBodies(p);
      for (const ir::Value* v : op->operands()) {
        auto it = plan_->slot_of.find(v);
        if (it == plan_->slot_of.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat(LocationString(*op), ": ", op->name(),
                           ": operand is defined outside the evaluated code"));
        }
        p.operands.push_back(it->second);
      }
      for (int r = 0; r < op->num_results(); ++r) {
        p.results.push_back(plan_->slot_of[op->result(r)]);
      }
      if (op->code() == OpCode::kConstant ||
          op->code() == OpCode::kChloConstant) {
        const ir::Attribute* value = op->attr("value");
        if (value == nullptr ||
            value->kind() != ir::Attribute::Kind::kDenseElements) {
          return absl::InvalidArgumentError(
              absl::StrCat(LocationString(*op), ": ", op->name(),
                           ": missing dense 'value' attribute"));
        }
        p.constant = RuntimeValue::Tensor(value->literal());
      }
      ++index;
    }
    index = 0;
    for (const auto& op : block.ops()) {
      for (int r = 0; r < op->num_results(); ++r) {
        schedule_release(op->result(r), index);
      }
      ++index;
    }
    plan_->blocks[&block] = std::move(bp);
    return absl::OkStatus();
  }

  FunctionPlan* plan_;
};

std::optional<kernels::UnaryOp> UnaryFor(OpCode code) {
  using U = kernels::UnaryOp;
  switch (code) {
    case OpCode::kAbs:
      return U::kAbs;
    case OpCode::kCbrt:
      return U::kCbrt;
    case OpCode::kCeil:
      return U::kCeil;
    case OpCode::kCosine:
      return U::kCosine;
    case OpCode::kCountLeadingZeros:
      return U::kCountLeadingZeros;
    case OpCode::kExponential:
      return U::kExponential;
    case OpCode::kExponentialMinusOne:
      return U::kExponentialMinusOne;
    case OpCode::kFloor:
      return U::kFloor;
    case OpCode::kLog:
      return U::kLog;
    case OpCode::kLogPlusOne:
      return U::kLogPlusOne;
    case OpCode::kLogistic:
      return U::kLogistic;
    case OpCode::kNegate:
      return U::kNegate;
    case OpCode::kNot:
      return U::kNot;
    case OpCode::kPopcnt:
      return U::kPopcnt;
    case OpCode::kRoundNearestAfz:
      return U::kRoundNearestAfz;
    case OpCode::kRoundNearestEven:
      return U::kRoundNearestEven;
    case OpCode::kRsqrt:
      return U::kRsqrt;
    case OpCode::kSign:
      return U::kSign;
    case OpCode::kSine:
      return U::kSine;
    case OpCode::kSqrt:
      return U::kSqrt;
    case OpCode::kTan:
      return U::kTan;
    case OpCode::kChloTan:
      return U::kTan;
    case OpCode::kTanh:
      return U::kTanh;
    case OpCode::kChloAcos:
      return U::kAcos;
    case OpCode::kChloAcosh:
      return U::kAcosh;
    case OpCode::kChloAsin:
      return U::kAsin;
    case OpCode::kChloAsinh:
      return U::kAsinh;
    case OpCode::kChloAtan:
      return U::kAtan;
    case OpCode::kChloAtanh:
      return U::kAtanh;
    case OpCode::kChloBesselI1e:
      return U::kBesselI1e;
    case OpCode::kChloConj:
      return U::kConj;
    case OpCode::kChloCosh:
      return U::kCosh;
    case OpCode::kChloDigamma:
      return U::kDigamma;
    case OpCode::kChloErf:
      return U::kErf;
    case OpCode::kChloErfc:
      return U::kErfc;
    case OpCode::kChloErfInv:
      return U::kErfInv;
    case OpCode::kChloLgamma:
      return U::kLgamma;
    case OpCode::kChloSinh:
      return U::kSinh;
    case OpCode::kChloSquare:
      return U::kSquare;
    default:
      return std::nullopt;
  }
}

std::optional<kernels::BinaryOp> BinaryFor(OpCode code) {
  using B = kernels::BinaryOp;
  switch (code) {
    case OpCode::kAdd:
    case OpCode::kChloBroadcastAdd:
      return B::kAdd;
    case OpCode::kAnd:
    case OpCode::kChloBroadcastAnd:
      return B::kAnd;
    case OpCode::kAtan2:
    case OpCode::kChloBroadcastAtan2:
      return B::kAtan2;
    case OpCode::kDivide:
    case OpCode::kChloBroadcastDivide:
      return B::kDivide;
    case OpCode::kMaximum:
    case OpCode::kChloBroadcastMaximum:
      return B::kMaximum;
    case OpCode::kMinimum:
    case OpCode::kChloBroadcastMinimum:
      return B::kMinimum;
    case OpCode::kMultiply:
    case OpCode::kChloBroadcastMultiply:
      return B::kMultiply;
    case OpCode::kOr:
    case OpCode::kChloBroadcastOr:
      return B::kOr;
    case OpCode::kPower:
    case OpCode::kChloBroadcastPower:
      return B::kPower;
    case OpCode::kRemainder:
    case OpCode::kChloBroadcastRemainder:
      return B::kRemainder;
    case OpCode::kShiftLeft:
    case OpCode::kChloBroadcastShiftLeft:
      return B::kShiftLeft;
    case OpCode::kShiftRightArithmetic:
    case OpCode::kChloBroadcastShiftRightArithmetic:
      return B::kShiftRightArithmetic;
    case OpCode::kShiftRightLogical:
    case OpCode::kChloBroadcastShiftRightLogical:
      return B::kShiftRightLogical;
    case OpCode::kSubtract:
    case OpCode::kChloBroadcastSubtract:
      return B::kSubtract;
    case OpCode::kXor:
    case OpCode::kChloBroadcastXor:
      return B::kXor;
    case OpCode::kChloMulhi:
      return B::kMulhi;
    case OpCode::kChloNextAfter:
    case OpCode::kChloBroadcastNextAfter:
      return B::kNextAfter;
    case OpCode::kChloPolygamma:
    case OpCode::kChloBroadcastPolygamma:
      return B::kPolygamma;
    case OpCode::kChloZeta:
    case OpCode::kChloBroadcastZeta:
      return B::kZeta;
    default:
      return std::nullopt;
  }
}

bool IsChloBroadcast(OpCode code) {
  return absl::StartsWith(ir::OpCodeName(code), "chlo.broadcast_");
}

// Numpy-style broadcast of `x` to `dims` (trailing alignment), as the
// chlo.broadcast_* ops define it without explicit broadcast dimensions.
absl::StatusOr<ir::Literal> BroadcastTo(const ir::Literal& x,
                                        const std::vector<int64_t>& dims,
                                        const ir::Op& op) {
  if (x.dims() == dims) return x;
  std::vector<int64_t> mapping;
  absl::StatusOr<std::vector<int64_t>> explicit_dims =
      OptionalI64List(op, "broadcast_dimensions");
  if (explicit_dims.ok() && !explicit_dims->empty() &&
      static_cast<int64_t>(explicit_dims->size()) == x.type().rank()) {
    mapping = *explicit_dims;
  } else {
    const int64_t offset = static_cast<int64_t>(dims.size()) - x.type().rank();
    if (offset < 0) {
      return absl::InvalidArgumentError("operand rank exceeds result rank");
    }
    for (int64_t i = 0; i < x.type().rank(); ++i) mapping.push_back(offset + i);
  }
  return ks::BroadcastInDim(x, dims, mapping);
}

const ir::Literal& T(const std::vector<ValueRef>& v, size_t i) {
  return v[i]->tensor();
}

std::vector<ValueRef> One(ir::Literal literal) {
  return {RuntimeValue::Tensor(std::move(literal))};
}

absl::StatusOr<std::vector<ValueRef>> Wrap(absl::StatusOr<ir::Literal> r) {
  if (!r.ok()) return r.status();
  return One(*std::move(r));
}

absl::StatusOr<std::vector<ValueRef>> WrapAll(
    absl::StatusOr<std::vector<ir::Literal>> r) {
  if (!r.ok()) return r.status();
  std::vector<ValueRef> out;
  for (ir::Literal& l : *r) out.push_back(RuntimeValue::Tensor(std::move(l)));
  return out;
}

const ir::TensorType& ResultType(const ir::Op& op, int i = 0) {
  return op.result(i)->type().tensor();
}

absl::StatusOr<int64_t> ScalarInt(const ir::Literal& x) {
  if (x.element_count() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a scalar index, got ", x.type().ToString()));
  }
  if (!ir::IsInteger(x.element_type()) && !ir::IsPred(x.element_type())) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected an integer scalar, got ", x.type().ToString()));
  }
  if (ir::IsUnsignedInteger(x.element_type()) &&
      x.element_type() == ir::ElementType::kU64) {
    return static_cast<int64_t>(std::min<uint64_t>(
        static_cast<uint64_t>(x.GetAsInt64(0)), uint64_t{1} << 62));
  }
  return x.GetAsInt64(0);
}

absl::StatusOr<std::vector<int64_t>> ScalarInts(
    const std::vector<ValueRef>& operands, size_t begin, size_t end) {
  std::vector<int64_t> out;
  for (size_t i = begin; i < end; ++i) {
    ASSIGN_OR_RETURN(int64_t v, ScalarInt(T(operands, i)));
    out.push_back(v);
  }
  return out;
}

// A Literal converted to `type` when its element type differs.
absl::StatusOr<ir::Literal> ConvertedTo(const ir::Literal& x,
                                        ir::ElementType type) {
  if (x.element_type() == type) return x;
  return kernels::Convert(x, type);
}

// The values of an integer tensor (e.g. dynamic indices) as int64.
absl::StatusOr<std::vector<int64_t>> ToInt64Vector(const ir::Literal& x) {
  if (!ir::IsInteger(x.element_type())) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected an integer tensor, got ", x.type().ToString()));
  }
  ASSIGN_OR_RETURN(ir::Literal wide,
                   kernels::Convert(x, ir::ElementType::kS64));
  absl::Span<const int64_t> data = wide.data<int64_t>();
  return std::vector<int64_t>(data.begin(), data.end());
}

}  // namespace

// ---------------------------------------------------------------------------

Interpreter::Interpreter(const ir::Module* module, InterpreterOptions options)
    : module_(module), options_(options) {}

Interpreter::~Interpreter() = default;

absl::StatusOr<std::unique_ptr<Interpreter>> Interpreter::Create(
    const ir::Module& module, InterpreterOptions options) {
  if (options.verify) {
    RETURN_IF_ERROR(ir::VerifyModule(module));
  }
  std::unique_ptr<Interpreter> interp(new Interpreter(&module, options));
  for (const auto& fn : module.functions()) {
    auto plan = std::make_unique<FunctionPlan>();
    PlanBuilder builder(plan.get());
    RETURN_IF_ERROR(builder.AddRegion(fn->body()));
    interp->plans_[fn.get()] = std::move(plan);
  }
  return interp;
}

ExecutionStats Interpreter::stats() const {
  ExecutionStats s;
  s.ops_executed = ops_executed_.load();
  s.peak_live_bytes = RuntimeValue::PeakLiveBytes();
  for (size_t i = 0; i < op_time_ns_.size(); ++i) {
    const int64_t ns = op_time_ns_[i].load();
    if (ns > 0) {
      s.op_time_ns.emplace_back(
          std::string(ir::OpCodeName(static_cast<OpCode>(i))), ns);
    }
  }
  std::sort(s.op_time_ns.begin(), s.op_time_ns.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  return s;
}

absl::StatusOr<std::vector<ir::Literal>> Interpreter::Run(
    absl::string_view function, absl::Span<const ir::Literal> arguments) {
  std::vector<ValueRef> args;
  for (const ir::Literal& a : arguments)
    args.push_back(RuntimeValue::Tensor(a));
  ASSIGN_OR_RETURN(std::vector<ValueRef> out, Call(function, std::move(args)));
  std::vector<ir::Literal> results;
  for (const ValueRef& v : out) {
    if (!v->is_tensor()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "@", function, " returns a token or tuple; use Call() instead"));
    }
    results.push_back(v->tensor());
  }
  return results;
}

absl::StatusOr<std::vector<ValueRef>> Interpreter::Call(
    absl::string_view function, std::vector<ValueRef> arguments) {
  const ir::Function* fn = module_->LookupFunction(function);
  if (fn == nullptr) {
    return absl::NotFoundError(absl::StrCat("no function @", function));
  }
  ProcessContext process;
  return CallFunction(*fn, std::move(arguments), &process);
}

absl::StatusOr<std::vector<ValueRef>> Interpreter::CallFunction(
    const ir::Function& function, std::vector<ValueRef> arguments,
    ProcessContext* process) {
  auto it = plans_.find(&function);
  if (it == plans_.end()) {
    return absl::InternalError(absl::StrCat("no plan for @", function.name()));
  }
  if (static_cast<int>(arguments.size()) != function.num_arguments()) {
    return absl::InvalidArgumentError(
        absl::StrCat("@", function.name(), " takes ", function.num_arguments(),
                     " arguments, got ", arguments.size()));
  }
  const std::vector<ir::Type> types = function.argument_types();
  for (size_t i = 0; i < arguments.size(); ++i) {
    const ir::Type& t = types[i];
    const RuntimeValue& v = *arguments[i];
    const bool ok = t.is_tensor()
                        ? v.is_tensor() && v.tensor().type() == t.tensor()
                        : (t.is_token() ? v.is_token() : v.is_tuple());
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "@", function.name(), " argument ", i, " must be ", t.ToString(),
          v.is_tensor() ? absl::StrCat(", got ", v.tensor().type().ToString())
                        : ""));
    }
  }
  Frame frame{it->second.get(), std::vector<ValueRef>(it->second->num_slots),
              process};
  return RunBlock(frame, *function.entry(), std::move(arguments));
}

absl::StatusOr<std::vector<ValueRef>> Interpreter::RunBlock(
    Frame& frame, const ir::Block& block, std::vector<ValueRef> args) {
  auto it = frame.plan->blocks.find(&block);
  if (it == frame.plan->blocks.end()) {
    return absl::InternalError("block without an execution plan");
  }
  const BlockPlan& bp = it->second;
  if (args.size() != bp.arguments.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("region expects ", bp.arguments.size(), " arguments, got ",
                     args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    frame.slots[bp.arguments[i]] = std::move(args[i]);
  }
  for (int slot : bp.release_at_entry) frame.slots[slot].reset();
  std::vector<ValueRef> operands;
  for (const OpPlan& p : bp.ops) {
    operands.clear();
    for (int slot : p.operands) {
      if (frame.slots[slot] == nullptr) {
        return absl::InternalError(
            absl::StrCat(LocationString(*p.op), ": ", p.op->name(),
                         ": operand value is not available"));
      }
      operands.push_back(frame.slots[slot]);
    }
    if (ir::IsTerminator(p.op->code())) return operands;
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<ValueRef>> results =
        ExecuteOp(frame, p, operands);
    op_time_ns_[static_cast<size_t>(p.op->code())].fetch_add(
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now() - start)
            .count(),
        std::memory_order_relaxed);
    if (!results.ok()) return results.status();
    if (results->size() != p.results.size()) {
      return absl::InternalError(absl::StrCat(
          LocationString(*p.op), ": ", p.op->name(), ": produced ",
          results->size(), " results, expected ", p.results.size()));
    }
    for (size_t i = 0; i < results->size(); ++i) {
      frame.slots[p.results[i]] = std::move((*results)[i]);
    }
    for (int slot : p.release) frame.slots[slot].reset();
    ops_executed_.fetch_add(1, std::memory_order_relaxed);
    if (RuntimeValue::LiveBytes() > options_.max_live_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          LocationString(*p.op), ": ", p.op->name(), ": live tensors exceed ",
          options_.max_live_bytes, " bytes"));
    }
  }
  return std::vector<ValueRef>();  // A block without terminator returns
                                   // nothing.
}

absl::StatusOr<std::vector<ValueRef>> Interpreter::ExecuteOp(
    Frame& frame, const OpPlan& plan, std::vector<ValueRef>& operands) {
  const ir::Op& op = *plan.op;
  switch (op.code()) {
    case OpCode::kConstant:
    case OpCode::kChloConstant:
      return std::vector<ValueRef>{plan.constant};
    case OpCode::kWhile: {
      std::vector<ValueRef> carried = operands;
      if (op.num_regions() != 2)
        return OpError(op, absl::InvalidArgumentError("needs 2 regions"));
      for (int64_t iteration = 0;; ++iteration) {
        if (iteration >= options_.max_loop_iterations) {
          return OpError(op, absl::ResourceExhaustedError(absl::StrCat(
                                 "more than ", options_.max_loop_iterations,
                                 " iterations")));
        }
        absl::StatusOr<std::vector<ValueRef>> cond =
            RunBlock(frame, *op.region(0)->front(), carried);
        if (!cond.ok()) return cond.status();
        if (cond->size() != 1 || !(*cond)[0]->is_tensor() ||
            (*cond)[0]->tensor().element_type() != ir::ElementType::kPred ||
            (*cond)[0]->tensor().element_count() != 1) {
          return OpError(op, absl::InvalidArgumentError(
                                 "condition must return one tensor<i1>"));
        }
        if ((*cond)[0]->tensor().untyped_data()[0] == 0) break;
        absl::StatusOr<std::vector<ValueRef>> next =
            RunBlock(frame, *op.region(1)->front(), std::move(carried));
        if (!next.ok()) return next.status();
        carried = *std::move(next);
      }
      return carried;
    }
    case OpCode::kIf: {
      absl::StatusOr<int64_t> pred = ScalarInt(T(operands, 0));
      if (!pred.ok()) return OpError(op, pred.status());
      const ir::Region* region = op.region(*pred ? 0 : 1);
      return RunBlock(frame, *region->front(), {});
    }
    case OpCode::kCase: {
      absl::StatusOr<int64_t> index = ScalarInt(T(operands, 0));
      if (!index.ok()) return OpError(op, index.status());
      int64_t i = *index;
      if (i < 0 || i >= op.num_regions()) i = op.num_regions() - 1;
      return RunBlock(frame, *op.region(static_cast<int>(i))->front(), {});
    }
    case OpCode::kFuncCall:
    case OpCode::kComposite: {
      const std::string callee = StringAttrOr(
          op, op.code() == OpCode::kFuncCall ? "callee" : "decomposition");
      const ir::Function* fn = module_->LookupFunction(callee);
      if (fn == nullptr) {
        return OpError(
            op, absl::NotFoundError(absl::StrCat("no function @", callee)));
      }
      return CallFunction(*fn, operands, frame.process);
    }
    case OpCode::kOptimizationBarrier:
      return operands;
    case OpCode::kInterpreterRunParallel:
      return RunParallel(frame, op, operands);
    default: {
      absl::StatusOr<std::vector<ValueRef>> r =
          ExecuteLeafOp(frame, plan, operands);
      if (!r.ok() && r.status().code() != absl::StatusCode::kUnimplemented &&
          r.status().code() != absl::StatusCode::kFailedPrecondition) {
        return OpError(op, r.status());
      }
      return r;
    }
  }
}

absl::StatusOr<std::vector<ValueRef>> Interpreter::ExecuteLeafOp(
    Frame& frame, const OpPlan& plan, std::vector<ValueRef>& operands) {
  const ir::Op& op = *plan.op;
  const OpCode code = op.code();

  // Region bodies as callbacks on rank-0 literals.
  auto region_fn = [this, &frame](const ir::Region* region) -> ks::ScalarFn {
    return [this, &frame, region](absl::Span<const ir::Literal> args)
               -> absl::StatusOr<std::vector<ir::Literal>> {
      std::vector<ValueRef> in;
      in.reserve(args.size());
      for (const ir::Literal& a : args) in.push_back(RuntimeValue::Tensor(a));
      absl::StatusOr<std::vector<ValueRef>> out =
          RunBlock(frame, *region->front(), std::move(in));
      if (!out.ok()) return out.status();
      std::vector<ir::Literal> results;
      for (const ValueRef& v : *out) results.push_back(v->tensor());
      return results;
    };
  };
  auto make_body = [&](int region) {
    ks::ScalarComputation body;
    body.kind = plan.body_kinds[region];
    body.fn = region_fn(op.region(region));
    return body;
  };
  auto make_comparator = [&](int region) {
    ks::Comparator cmp;
    if (const std::optional<RecognizedComparator>& r =
            plan.comparators[region]) {
      cmp.kind = r->kind;
      cmp.total_order = r->total_order;
    }
    ks::ScalarFn fn = region_fn(op.region(region));
    cmp.fn = [fn](absl::Span<const ir::Literal> args) -> absl::StatusOr<bool> {
      ASSIGN_OR_RETURN(std::vector<ir::Literal> r, fn(args));
      if (r.size() != 1 || r[0].element_count() != 1) {
        return absl::InvalidArgumentError("comparator must return one i1");
      }
      return r[0].untyped_data()[0] != 0;
    };
    return cmp;
  };
  auto literals = [&](size_t begin, size_t end) {
    std::vector<const ir::Literal*> out;
    for (size_t i = begin; i < end; ++i) out.push_back(&T(operands, i));
    return out;
  };

  if (std::optional<kernels::UnaryOp> u = UnaryFor(code)) {
    return Wrap(kernels::Unary(*u, T(operands, 0)));
  }
  if (std::optional<kernels::BinaryOp> b = BinaryFor(code)) {
    if (IsChloBroadcast(code)) {
      const std::vector<int64_t>& dims = ResultType(op).dims();
      ASSIGN_OR_RETURN(ir::Literal l, BroadcastTo(T(operands, 0), dims, op));
      ASSIGN_OR_RETURN(ir::Literal r, BroadcastTo(T(operands, 1), dims, op));
      return Wrap(kernels::Binary(*b, l, r));
    }
    return Wrap(kernels::Binary(*b, T(operands, 0), T(operands, 1)));
  }
  if (IsLegacyOp(code)) {
    return WrapAll(EvaluateLegacyOp(op, literals(0, operands.size())));
  }

  switch (code) {
    case OpCode::kCompare:
    case OpCode::kChloBroadcastCompare: {
      const auto direction = static_cast<kernels::ComparisonDirection>(
          EnumAttrOr(op, "comparison_direction", 0));
      const auto type =
          static_cast<kernels::CompareType>(EnumAttrOr(op, "compare_type", 0));
      if (code == OpCode::kChloBroadcastCompare) {
        const std::vector<int64_t>& dims = ResultType(op).dims();
        ASSIGN_OR_RETURN(ir::Literal l, BroadcastTo(T(operands, 0), dims, op));
        ASSIGN_OR_RETURN(ir::Literal r, BroadcastTo(T(operands, 1), dims, op));
        return Wrap(kernels::Compare(direction, type, l, r));
      }
      return Wrap(
          kernels::Compare(direction, type, T(operands, 0), T(operands, 1)));
    }
    case OpCode::kSelect:
      return Wrap(
          kernels::Select(T(operands, 0), T(operands, 1), T(operands, 2)));
    case OpCode::kChloBroadcastSelect: {
      const std::vector<int64_t>& dims = ResultType(op).dims();
      std::vector<ir::Literal> b;
      for (int i = 0; i < 3; ++i) {
        ASSIGN_OR_RETURN(ir::Literal x, BroadcastTo(T(operands, i), dims, op));
        b.push_back(std::move(x));
      }
      return Wrap(kernels::Select(b[0], b[1], b[2]));
    }
    case OpCode::kClamp:
      return Wrap(
          kernels::Clamp(T(operands, 0), T(operands, 1), T(operands, 2)));
    case OpCode::kConvert:
      return Wrap(
          kernels::Convert(T(operands, 0), ResultType(op).element_type()));
    case OpCode::kBitcastConvert:
      return Wrap(kernels::BitcastConvert(T(operands, 0),
                                          ResultType(op).element_type()));
    case OpCode::kReal:
      return Wrap(kernels::Real(T(operands, 0)));
    case OpCode::kImag:
      return Wrap(kernels::Imag(T(operands, 0)));
    case OpCode::kComplex:
      return Wrap(kernels::Complex(T(operands, 0), T(operands, 1)));
    case OpCode::kChloBroadcastComplex: {
      const std::vector<int64_t>& dims = ResultType(op).dims();
      ASSIGN_OR_RETURN(ir::Literal l, BroadcastTo(T(operands, 0), dims, op));
      ASSIGN_OR_RETURN(ir::Literal r, BroadcastTo(T(operands, 1), dims, op));
      return Wrap(kernels::Complex(l, r));
    }
    case OpCode::kIsFinite:
      return Wrap(
          kernels::Classify(kernels::FloatClass::kFinite, T(operands, 0)));
    case OpCode::kChloIsInf:
      return Wrap(kernels::Classify(kernels::FloatClass::kInf, T(operands, 0)));
    case OpCode::kChloIsPosInf:
      return Wrap(
          kernels::Classify(kernels::FloatClass::kPosInf, T(operands, 0)));
    case OpCode::kChloIsNegInf:
      return Wrap(
          kernels::Classify(kernels::FloatClass::kNegInf, T(operands, 0)));
    case OpCode::kReducePrecision: {
      absl::StatusOr<int64_t> e = IntAttr(op, "exponent_bits");
      absl::StatusOr<int64_t> m = IntAttr(op, "mantissa_bits");
      if (!e.ok()) return e.status();
      if (!m.ok()) return m.status();
      return Wrap(kernels::ReducePrecision(
          T(operands, 0), static_cast<int32_t>(*e), static_cast<int32_t>(*m)));
    }
    case OpCode::kIota:
    case OpCode::kDynamicIota: {
      ASSIGN_OR_RETURN(int64_t dim, IntAttr(op, "iota_dimension"));
      return Wrap(kernels::Iota(ResultType(op), dim));
    }
    case OpCode::kBroadcastInDim:
    case OpCode::kDynamicBroadcastInDim: {
      absl::StatusOr<std::vector<int64_t>> dims =
          I64List(op, "broadcast_dimensions");
      if (!dims.ok()) return dims.status();
      return Wrap(
          ks::BroadcastInDim(T(operands, 0), ResultType(op).dims(), *dims));
    }
    case OpCode::kBroadcast: {
      const int64_t rank = T(operands, 0).type().rank();
      const int64_t offset = ResultType(op).rank() - rank;
      std::vector<int64_t> dims;
      for (int64_t i = 0; i < rank; ++i) dims.push_back(offset + i);
      return Wrap(
          ks::BroadcastInDim(T(operands, 0), ResultType(op).dims(), dims));
    }
    case OpCode::kChloConstantLike: {
      const ir::Attribute* value = op.attr("value");
      if (value == nullptr ||
          value->kind() == ir::Attribute::Kind::kDenseElements) {
        if (value == nullptr) {
          return absl::InvalidArgumentError("missing 'value' attribute");
        }
        absl::StatusOr<ir::Literal> v =
            ConvertedTo(value->literal(), ResultType(op).element_type());
        if (!v.ok()) return v.status();
        return Wrap(ks::BroadcastInDim(*v, ResultType(op).dims(), {}));
      }
      ir::Literal scalar(ir::TensorType(ir::ElementType::kF64, {}));
      if (value->kind() == ir::Attribute::Kind::kFloat) {
        scalar.data<double>()[0] = value->float_value();
      } else if (value->kind() == ir::Attribute::Kind::kInteger) {
        scalar.data<double>()[0] = static_cast<double>(value->int_value());
      } else {
        return absl::InvalidArgumentError("unsupported 'value' attribute");
      }
      absl::StatusOr<ir::Literal> v =
          kernels::Convert(scalar, ResultType(op).element_type());
      if (!v.ok()) return v.status();
      return Wrap(ks::BroadcastInDim(*v, ResultType(op).dims(), {}));
    }
    case OpCode::kReshape:
    case OpCode::kDynamicReshape:
      return Wrap(ks::Reshape(T(operands, 0), ResultType(op).dims()));
    case OpCode::kTranspose: {
      ASSIGN_OR_RETURN(std::vector<int64_t> perm, I64List(op, "permutation"));
      return Wrap(ks::Transpose(T(operands, 0), perm));
    }
    case OpCode::kSlice: {
      absl::StatusOr<std::vector<int64_t>> start = I64List(op, "start_indices");
      absl::StatusOr<std::vector<int64_t>> limit = I64List(op, "limit_indices");
      absl::StatusOr<std::vector<int64_t>> strides =
          OptionalI64List(op, "strides");
      if (!start.ok()) return start.status();
      if (!limit.ok()) return limit.status();
      if (!strides.ok()) return strides.status();
      if (strides->empty()) strides->assign(start->size(), 1);
      return Wrap(ks::Slice(T(operands, 0), *start, *limit, *strides));
    }
    case OpCode::kRealDynamicSlice: {
      absl::StatusOr<std::vector<int64_t>> start =
          ToInt64Vector(T(operands, 1));
      absl::StatusOr<std::vector<int64_t>> limit =
          ToInt64Vector(T(operands, 2));
      absl::StatusOr<std::vector<int64_t>> strides =
          ToInt64Vector(T(operands, 3));
      if (!start.ok()) return start.status();
      if (!limit.ok()) return limit.status();
      if (!strides.ok()) return strides.status();
      return Wrap(ks::Slice(T(operands, 0), *start, *limit, *strides));
    }
    case OpCode::kDynamicSlice: {
      ASSIGN_OR_RETURN(std::vector<int64_t> sizes, I64List(op, "slice_sizes"));
      absl::StatusOr<std::vector<int64_t>> start =
          ScalarInts(operands, 1, operands.size());
      if (!start.ok()) return start.status();
      return Wrap(ks::DynamicSlice(T(operands, 0), *start, sizes));
    }
    case OpCode::kDynamicUpdateSlice: {
      absl::StatusOr<std::vector<int64_t>> start =
          ScalarInts(operands, 2, operands.size());
      if (!start.ok()) return start.status();
      return Wrap(
          ks::DynamicUpdateSlice(T(operands, 0), T(operands, 1), *start));
    }
    case OpCode::kConcatenate: {
      ASSIGN_OR_RETURN(int64_t dim, IntAttr(op, "dimension"));
      std::vector<const ir::Literal*> inputs = literals(0, operands.size());
      return Wrap(ks::Concatenate(inputs, dim));
    }
    case OpCode::kPad: {
      absl::StatusOr<std::vector<int64_t>> lo = I64List(op, "edge_padding_low");
      absl::StatusOr<std::vector<int64_t>> hi =
          I64List(op, "edge_padding_high");
      absl::StatusOr<std::vector<int64_t>> in = I64List(op, "interior_padding");
      if (!lo.ok()) return lo.status();
      if (!hi.ok()) return hi.status();
      if (!in.ok()) return in.status();
      return Wrap(ks::Pad(T(operands, 0), T(operands, 1), *lo, *hi, *in));
    }
    case OpCode::kDynamicPad: {
      absl::StatusOr<std::vector<int64_t>> lo = ToInt64Vector(T(operands, 2));
      absl::StatusOr<std::vector<int64_t>> hi = ToInt64Vector(T(operands, 3));
      absl::StatusOr<std::vector<int64_t>> in = ToInt64Vector(T(operands, 4));
      if (!lo.ok()) return lo.status();
      if (!hi.ok()) return hi.status();
      if (!in.ok()) return in.status();
      return Wrap(ks::Pad(T(operands, 0), T(operands, 1), *lo, *hi, *in));
    }
    case OpCode::kReverse: {
      ASSIGN_OR_RETURN(std::vector<int64_t> dims, I64List(op, "dimensions"));
      return Wrap(ks::Reverse(T(operands, 0), dims));
    }
    case OpCode::kGetDimensionSize: {
      ASSIGN_OR_RETURN(int64_t dim, IntAttr(op, "dimension"));
      const ir::Literal& x = T(operands, 0);
      if (dim < 0 || dim >= x.type().rank()) {
        return absl::InvalidArgumentError("dimension out of range");
      }
      ir::Literal out(ResultType(op));
      out.data<int32_t>()[0] = static_cast<int32_t>(x.dims()[dim]);
      return One(std::move(out));
    }
    case OpCode::kDotGeneral:
    case OpCode::kDot: {
      const ir::ElementType type = ResultType(op).element_type();
      absl::StatusOr<ir::Literal> lhs = ConvertedTo(T(operands, 0), type);
      absl::StatusOr<ir::Literal> rhs = ConvertedTo(T(operands, 1), type);
      if (!lhs.ok()) return lhs.status();
      if (!rhs.ok()) return rhs.status();
      ks::DotDimensionNumbers dn;
      if (code == OpCode::kDot) {
        dn.lhs_contracting = {lhs->type().rank() - 1};
        dn.rhs_contracting = {0};
      } else {
        const ir::Attribute* a = op.attr("dot_dimension_numbers");
        const ir::DotDimensionNumbers* d =
            a == nullptr ? nullptr : a->dot_dimension_numbers();
        if (d == nullptr) {
          return absl::InvalidArgumentError("missing dot_dimension_numbers");
        }
        dn.lhs_batch = d->lhs_batching_dimensions;
        dn.rhs_batch = d->rhs_batching_dimensions;
        dn.lhs_contracting = d->lhs_contracting_dimensions;
        dn.rhs_contracting = d->rhs_contracting_dimensions;
      }
      return Wrap(ks::DotGeneral(*lhs, *rhs, dn));
    }
    case OpCode::kConvolution:
    case OpCode::kDynamicConv: {
      ks::ConvolutionParams p;
      const ir::Attribute* a = op.attr("dimension_numbers");
      const ir::ConvDimensionNumbers* d =
          a == nullptr ? nullptr : a->conv_dimension_numbers();
      if (d == nullptr) {
        return absl::InvalidArgumentError("missing dimension_numbers");
      }
      p.input_batch_dimension = d->input_batch_dimension;
      p.input_feature_dimension = d->input_feature_dimension;
      p.input_spatial_dimensions = d->input_spatial_dimensions;
      p.kernel_input_feature_dimension = d->kernel_input_feature_dimension;
      p.kernel_output_feature_dimension = d->kernel_output_feature_dimension;
      p.kernel_spatial_dimensions = d->kernel_spatial_dimensions;
      p.output_batch_dimension = d->output_batch_dimension;
      p.output_feature_dimension = d->output_feature_dimension;
      p.output_spatial_dimensions = d->output_spatial_dimensions;
      auto list = [&](absl::string_view name, std::vector<int64_t>& out) {
        ASSIGN_OR_RETURN(std::vector<int64_t> v, OptionalI64List(op, name));
        out = std::move(v);
        return absl::OkStatus();
      };
      std::vector<int64_t> reversal;
      RETURN_IF_ERROR(list("window_strides", p.window_strides));
      RETURN_IF_ERROR(list("lhs_dilation", p.lhs_dilation));
      RETURN_IF_ERROR(list("rhs_dilation", p.rhs_dilation));
      RETURN_IF_ERROR(list("window_reversal", reversal));
      for (int64_t r : reversal) p.window_reversal.push_back(r != 0);
      if (code == OpCode::kDynamicConv) {
        absl::StatusOr<std::vector<int64_t>> pad =
            ToInt64Vector(T(operands, 2));
        if (!pad.ok()) return pad.status();
        for (size_t i = 0; i + 1 < pad->size(); i += 2) {
          p.padding.emplace_back((*pad)[i], (*pad)[i + 1]);
        }
      } else {
        absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> pad =
            PaddingPairs(op, "padding");
        if (!pad.ok()) return pad.status();
        p.padding = *std::move(pad);
      }
      p.feature_group_count = IntAttrOr(op, "feature_group_count", 1);
      p.batch_group_count = IntAttrOr(op, "batch_group_count", 1);
      const ir::ElementType type = ResultType(op).element_type();
      absl::StatusOr<ir::Literal> lhs = ConvertedTo(T(operands, 0), type);
      absl::StatusOr<ir::Literal> rhs = ConvertedTo(T(operands, 1), type);
      if (!lhs.ok()) return lhs.status();
      if (!rhs.ok()) return rhs.status();
      return Wrap(ks::Convolution(*lhs, *rhs, p));
    }
    case OpCode::kReduce: {
      const size_t n = operands.size() / 2;
      ASSIGN_OR_RETURN(std::vector<int64_t> dims, I64List(op, "dimensions"));
      std::vector<const ir::Literal*> inputs = literals(0, n);
      std::vector<const ir::Literal*> inits = literals(n, 2 * n);
      return WrapAll(ks::Reduce(inputs, inits, dims, make_body(0)));
    }
    case OpCode::kReduceWindow: {
      const size_t n = operands.size() / 2;
      ks::WindowParams w;
      absl::StatusOr<std::vector<int64_t>> wd =
          I64List(op, "window_dimensions");
      absl::StatusOr<std::vector<int64_t>> ws =
          OptionalI64List(op, "window_strides");
      absl::StatusOr<std::vector<int64_t>> bd =
          OptionalI64List(op, "base_dilations");
      absl::StatusOr<std::vector<int64_t>> wdl =
          OptionalI64List(op, "window_dilations");
      absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> pad =
          PaddingPairs(op, "padding");
      for (const absl::Status& s : {wd.status(), ws.status(), bd.status(),
                                    wdl.status(), pad.status()}) {
        if (!s.ok()) return s;
      }
      w.window_dimensions = *wd;
      w.window_strides = *ws;
      w.base_dilations = *bd;
      w.window_dilations = *wdl;
      w.padding = *pad;
      std::vector<const ir::Literal*> inputs = literals(0, n);
      std::vector<const ir::Literal*> inits = literals(n, 2 * n);
      return WrapAll(ks::ReduceWindow(inputs, inits, w, make_body(0)));
    }
    case OpCode::kSelectAndScatter: {
      ks::WindowParams w;
      absl::StatusOr<std::vector<int64_t>> wd =
          OptionalI64List(op, "window_dimensions");
      absl::StatusOr<std::vector<int64_t>> ws =
          OptionalI64List(op, "window_strides");
      absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> pad =
          PaddingPairs(op, "padding");
      for (const absl::Status& s : {wd.status(), ws.status(), pad.status()}) {
        if (!s.ok()) return s;
      }
      w.window_dimensions = *wd;
      if (w.window_dimensions.empty()) {
        w.window_dimensions.assign(T(operands, 0).type().rank(), 1);
      }
      w.window_strides = *ws;
      w.padding = *pad;
      return Wrap(ks::SelectAndScatter(T(operands, 0), T(operands, 1),
                                       T(operands, 2), w, make_comparator(0),
                                       make_body(1)));
    }
    case OpCode::kMap: {
      const size_t n = operands.size();
      const ir::Literal& first = T(operands, 0);
      ir::Literal out(ResultType(op));
      const int out_size = ir::ElementByteSize(out.element_type());
      std::vector<int> sizes;
      for (size_t i = 0; i < n; ++i) {
        sizes.push_back(ir::ElementByteSize(T(operands, i).element_type()));
      }
      for (int64_t e = 0; e < first.element_count(); ++e) {
        std::vector<ValueRef> args;
        for (size_t i = 0; i < n; ++i) {
          ir::Literal s(ir::TensorType(T(operands, i).element_type(), {}));
          std::memcpy(s.untyped_data(),
                      T(operands, i).untyped_data() + e * sizes[i], sizes[i]);
          args.push_back(RuntimeValue::Tensor(std::move(s)));
        }
        absl::StatusOr<std::vector<ValueRef>> r =
            RunBlock(frame, *op.region(0)->front(), std::move(args));
        if (!r.ok()) return r.status();
        if (r->size() != 1 ||
            (*r)[0]->tensor().element_type() != out.element_type()) {
          return absl::InvalidArgumentError("map body must return one scalar");
        }
        std::memcpy(out.untyped_data() + e * out_size,
                    (*r)[0]->tensor().untyped_data(), out_size);
      }
      return One(std::move(out));
    }
    case OpCode::kGather:
    case OpCode::kDynamicGather: {
      const ir::Attribute* a = op.attr("dimension_numbers");
      const ir::GatherDimensionNumbers* d =
          a == nullptr ? nullptr : a->gather_dimension_numbers();
      if (d == nullptr) {
        return absl::InvalidArgumentError("missing dimension_numbers");
      }
      absl::StatusOr<std::vector<int64_t>> sizes =
          code == OpCode::kGather ? I64List(op, "slice_sizes")
                                  : ToInt64Vector(T(operands, 2));
      if (!sizes.ok()) return sizes.status();
      ks::GatherDimensionNumbers dn;
      dn.offset_dims = d->offset_dims;
      dn.collapsed_slice_dims = d->collapsed_slice_dims;
      dn.operand_batching_dims = d->operand_batching_dims;
      dn.start_indices_batching_dims = d->start_indices_batching_dims;
      dn.start_index_map = d->start_index_map;
      dn.index_vector_dim = d->index_vector_dim;
      return Wrap(ks::Gather(T(operands, 0), T(operands, 1), dn, *sizes));
    }
    case OpCode::kScatter: {
      const size_t n = (operands.size() - 1) / 2;
      const ir::Attribute* a = op.attr("scatter_dimension_numbers");
      const ir::ScatterDimensionNumbers* d =
          a == nullptr ? nullptr : a->scatter_dimension_numbers();
      if (d == nullptr) {
        return absl::InvalidArgumentError("missing scatter_dimension_numbers");
      }
      std::vector<const ir::Literal*> inputs = literals(0, n);
      std::vector<const ir::Literal*> updates = literals(n + 1, 2 * n + 1);
      ks::ScatterDimensionNumbers dn;
      dn.update_window_dims = d->update_window_dims;
      dn.inserted_window_dims = d->inserted_window_dims;
      dn.input_batching_dims = d->input_batching_dims;
      dn.scatter_indices_batching_dims = d->scatter_indices_batching_dims;
      dn.scatter_dims_to_operand_dims = d->scatter_dims_to_operand_dims;
      dn.index_vector_dim = d->index_vector_dim;
      return WrapAll(
          ks::Scatter(inputs, T(operands, n), updates, dn, make_body(0)));
    }
    case OpCode::kSort: {
      std::vector<const ir::Literal*> inputs = literals(0, operands.size());
      return WrapAll(ks::Sort(inputs, IntAttrOr(op, "dimension", -1),
                              BoolAttrOr(op, "is_stable", false),
                              make_comparator(0)));
    }
    case OpCode::kChloTopK: {
      ASSIGN_OR_RETURN(int64_t k, IntAttr(op, "k"));
      ASSIGN_OR_RETURN(ks::TopKResult r, ks::TopK(T(operands, 0), k));
      return std::vector<ValueRef>{RuntimeValue::Tensor(std::move(r.values)),
                                   RuntimeValue::Tensor(std::move(r.indices))};
    }
    case OpCode::kFft: {
      ASSIGN_OR_RETURN(std::vector<int64_t> len, I64List(op, "fft_length"));
      const auto type = static_cast<ks::FftType>(EnumAttrOr(op, "fft_type", 0));
      return Wrap(ks::Fft(T(operands, 0), type, len));
    }
    case OpCode::kTriangularSolve: {
      ks::TriangularSolveParams p;
      p.left_side = BoolAttrOr(op, "left_side", false);
      p.lower = BoolAttrOr(op, "lower", false);
      p.unit_diagonal = BoolAttrOr(op, "unit_diagonal", false);
      switch (static_cast<ir::Transpose>(EnumAttrOr(
          op, "transpose_a", static_cast<int>(ir::Transpose::kNoTranspose)))) {
        case ir::Transpose::kTranspose:
          p.transpose_a = ks::TransposeA::kTranspose;
          break;
        case ir::Transpose::kAdjoint:
          p.transpose_a = ks::TransposeA::kAdjoint;
          break;
        default:
          p.transpose_a = ks::TransposeA::kNoTranspose;
      }
      return Wrap(ks::TriangularSolve(T(operands, 0), T(operands, 1), p));
    }
    case OpCode::kCholesky:
      return Wrap(ks::Cholesky(T(operands, 0), BoolAttrOr(op, "lower", false)));
    case OpCode::kRngBitGenerator: {
      const auto algorithm =
          static_cast<ks::RngAlgorithm>(EnumAttrOr(op, "rng_algorithm", 0));
      const ir::TensorType& out_type = ResultType(op, 1);
      ASSIGN_OR_RETURN(
          ks::RngBitGeneratorResult r,
          ks::RngBitGenerator(algorithm, T(operands, 0),
                              out_type.element_type(), out_type.dims()));
      return std::vector<ValueRef>{
          RuntimeValue::Tensor(std::move(r.output_state)),
          RuntimeValue::Tensor(std::move(r.output))};
    }
    case OpCode::kChloRaggedDot: {
      const ir::Attribute* a = op.attr("ragged_dot_dimension_numbers");
      if (a == nullptr || a->kind() != ir::Attribute::Kind::kOpaque) {
        return absl::InvalidArgumentError(
            "missing ragged_dot_dimension_numbers");
      }
      absl::StatusOr<RaggedDotDimensionNumbers> dims =
          ParseRaggedDotDimensionNumbers(a->string_value());
      if (!dims.ok()) return dims.status();
      return Wrap(RaggedDot(T(operands, 0), T(operands, 1), T(operands, 2),
                            *dims, ResultType(op)));
    }
    case OpCode::kTuple:
      return std::vector<ValueRef>{RuntimeValue::Tuple(operands)};
    case OpCode::kGetTupleElement: {
      ASSIGN_OR_RETURN(int64_t index, IntAttr(op, "index"));
      if (!operands[0]->is_tuple() || index < 0 ||
          index >= static_cast<int64_t>(operands[0]->elements().size())) {
        return absl::InvalidArgumentError("index out of range");
      }
      return std::vector<ValueRef>{operands[0]->elements()[index]};
    }
    case OpCode::kAfterAll:
    case OpCode::kCreateToken:
      return std::vector<ValueRef>{RuntimeValue::Token()};
    case OpCode::kReplicaId:
    case OpCode::kPartitionId: {
      ir::Literal out(ResultType(op));
      out.data<uint32_t>()[0] = static_cast<uint32_t>(
          code == OpCode::kReplicaId ? frame.process->replica_id
                                     : frame.process->partition_id);
      return One(std::move(out));
    }
    case OpCode::kAllReduce:
    case OpCode::kAllGather:
    case OpCode::kAllToAll:
    case OpCode::kReduceScatter:
    case OpCode::kCollectivePermute:
    case OpCode::kCollectiveBroadcast:
    case OpCode::kCrossReplicaSum:
    case OpCode::kInfeed:
    case OpCode::kOutfeed:
    case OpCode::kSend:
    case OpCode::kRecv: {
      CollectiveContext ctx{frame.process->run, frame.process->replica_id,
                            frame.process->partition_id};
      ks::ScalarComputation body;
      if (op.num_regions() > 0) body = make_body(0);
      return ExecuteCollective(op, ctx, operands, body);
    }
    case OpCode::kInterpreterProbe: {
      const std::string id = StringAttrOr(op, "probe_id");
      std::lock_guard<std::mutex> lock(probe_mutex_);
      probes_[id].push_back(T(operands, 0));
      return std::vector<ValueRef>{operands[0]};
    }
    case OpCode::kCheckExpectSerializedEq: {
      const std::string id = StringAttrOr(op, "probe_id");
      // The pretty syntax spells the attribute `iter`.
      const int64_t iteration =
          IntAttrOr(op, "iteration", IntAttrOr(op, "iter", 0));
      ir::Literal expected;
      {
        std::lock_guard<std::mutex> lock(probe_mutex_);
        auto it = probes_.find(id);
        if (it == probes_.end() || iteration < 0 ||
            iteration >= static_cast<int64_t>(it->second.size())) {
          return absl::FailedPreconditionError(absl::StrCat(
              LocationString(op), ": check.expect_serialized_eq: no probe '",
              id, "' iteration ", iteration));
        }
        expected = it->second[iteration];
      }
      absl::Status s = ExpectEq(T(operands, 0), expected);
      if (!s.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            LocationString(op), ": check.expect_serialized_eq: ", s.message()));
      }
      return std::vector<ValueRef>();
    }
    case OpCode::kCheckExpectEq:
    case OpCode::kCheckExpectEqConst:
    case OpCode::kCheckExpectAlmostEq:
    case OpCode::kCheckExpectAlmostEqConst:
    case OpCode::kCheckExpectClose:
    case OpCode::kCustomCall: {
      absl::string_view check;
      std::string target;
      if (code == OpCode::kCustomCall) {
        target = StringAttrOr(op, "call_target_name");
        if (!absl::StartsWith(target, "check.")) {
          return Unimplemented(op, absl::StrCat("call target @", target));
        }
        check = target;
      } else {
        check = op.name();
      }
      const ir::Literal& actual = T(operands, 0);
      ir::Literal expected;
      if (absl::EndsWith(check, "_const")) {
        const ir::Attribute* value = op.attr("value");
        if (value == nullptr ||
            value->kind() != ir::Attribute::Kind::kDenseElements) {
          return absl::InvalidArgumentError("missing dense 'value' attribute");
        }
        expected = value->literal();
      } else if (operands.size() >= 2) {
        expected = T(operands, 1);
      } else {
        return absl::InvalidArgumentError("needs an expected operand");
      }
      absl::Status s;
      if (check == "check.expect_eq" || check == "check.expect_eq_const") {
        s = ExpectEq(actual, expected);
      } else if (check == "check.expect_almost_eq" ||
                 check == "check.expect_almost_eq_const") {
        s = ExpectAlmostEq(actual, expected,
                           FloatAttrOr(op, "tolerance", kAlmostEqTolerance));
      } else if (check == "check.expect_close") {
        s = ExpectClose(
            actual, expected, IntAttrOr(op, "min_ulp_difference", 0),
            IntAttrOr(op, "max_ulp_difference", kDefaultMaxUlpDifference));
      } else {
        return Unimplemented(op, absl::StrCat("check @", check));
      }
      if (!s.ok()) {
        return absl::FailedPreconditionError(
            absl::StrCat(LocationString(op), ": ", s.message()));
      }
      return std::vector<ValueRef>();
    }
    default:
      if (op.name() == "stablehlo.collective_reduce") {
        CollectiveContext ctx{frame.process->run, frame.process->replica_id,
                              frame.process->partition_id};
        return ExecuteCollective(op, ctx, operands, make_body(0));
      }
      return Unimplemented(op);
  }
}

// interpreter.run_parallel
// -----------------------------------------------------

absl::StatusOr<std::vector<ValueRef>> Interpreter::RunParallel(
    Frame& frame, const ir::Op& op, std::vector<ValueRef>& operands) {
  const ir::Attribute* programs = op.attr("programs");
  if (programs == nullptr || programs->kind() != ir::Attribute::Kind::kArray ||
      programs->array().empty()) {
    return OpError(op, absl::InvalidArgumentError("missing 'programs'"));
  }
  const int64_t replicas = static_cast<int64_t>(programs->array().size());
  int64_t partitions = -1;
  std::vector<const ir::Function*> functions;
  for (const ir::Attribute& row : programs->array()) {
    if (row.kind() != ir::Attribute::Kind::kArray) {
      return OpError(op, absl::InvalidArgumentError("'programs' must be 2-D"));
    }
    if (partitions >= 0 &&
        partitions != static_cast<int64_t>(row.array().size())) {
      return OpError(op, absl::InvalidArgumentError("ragged 'programs'"));
    }
    partitions = static_cast<int64_t>(row.array().size());
    for (const ir::Attribute& f : row.array()) {
      const ir::Function* fn = module_->LookupFunction(f.string_value());
      if (fn == nullptr) {
        return OpError(op, absl::NotFoundError(absl::StrCat("no function @",
                                                            f.string_value())));
      }
      functions.push_back(fn);
    }
  }
  // Infeed queues: each listed function is called once to produce one entry.
  std::vector<ValueRef> infeed;
  if (const ir::Attribute* feeds = op.attr("infeed")) {
    if (feeds->kind() == ir::Attribute::Kind::kArray) {
      for (const ir::Attribute& f : feeds->array()) {
        const ir::Function* fn = module_->LookupFunction(f.string_value());
        if (fn == nullptr) {
          return OpError(op, absl::NotFoundError(absl::StrCat(
                                 "no infeed function @", f.string_value())));
        }
        absl::StatusOr<std::vector<ValueRef>> v =
            CallFunction(*fn, {}, frame.process);
        if (!v.ok()) return v.status();
        for (ValueRef& x : *v) infeed.push_back(std::move(x));
      }
    }
  }
  ParallelRun run(replicas, partitions, std::move(infeed));
  const size_t n = functions.size();
  std::vector<std::vector<ValueRef>> args(n), results(n);
  size_t next = 0;
  for (size_t i = 0; i < n; ++i) {
    const int count = functions[i]->num_arguments();
    if (next + count > operands.size()) {
      return OpError(op, absl::InvalidArgumentError(
                             "too few operands for the programs' arguments"));
    }
    args[i].assign(operands.begin() + next, operands.begin() + next + count);
    next += count;
  }
  std::vector<absl::Status> statuses(n);
  std::vector<ProcessContext> contexts(n);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < n; ++i) {
    contexts[i].replica_id = static_cast<int64_t>(i) / partitions;
    contexts[i].partition_id = static_cast<int64_t>(i) % partitions;
    contexts[i].run = &run;
    threads.emplace_back([&, i] {
      absl::StatusOr<std::vector<ValueRef>> r =
          CallFunction(*functions[i], args[i], &contexts[i]);
      if (r.ok()) {
        results[i] = *std::move(r);
      } else {
        statuses[i] = r.status();
        run.Abort();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::Status& s : statuses) {
    if (!s.ok()) return s;
  }
  std::vector<ValueRef> out;
  for (auto& r : results) {
    for (ValueRef& v : r) out.push_back(std::move(v));
  }
  return out;
}

// EvaluateOp -----------------------------------------------------------------

absl::StatusOr<std::vector<ir::Literal>> EvaluateOp(
    const ir::Op& op, absl::Span<const ir::Literal> operands) {
  switch (op.code()) {
    case OpCode::kFuncCall:
    case OpCode::kComposite:
    case OpCode::kInterpreterRunParallel:
    case OpCode::kInterpreterProbe:
    case OpCode::kCustomCall:
    case OpCode::kInfeed:
    case OpCode::kOutfeed:
    case OpCode::kSend:
    case OpCode::kRecv:
    case OpCode::kAllReduce:
    case OpCode::kAllGather:
    case OpCode::kAllToAll:
    case OpCode::kReduceScatter:
    case OpCode::kCollectivePermute:
    case OpCode::kCollectiveBroadcast:
    case OpCode::kCrossReplicaSum:
    case OpCode::kReplicaId:
    case OpCode::kPartitionId:
    case OpCode::kRng:
    case OpCode::kRngBitGenerator:
      return Unimplemented(op, "not evaluable on constants");
    default:
      break;
  }
  if (static_cast<int>(operands.size()) != op.num_operands()) {
    return absl::InvalidArgumentError(
        absl::StrCat(op.name(), ": expected ", op.num_operands(),
                     " operands, got ", operands.size()));
  }
  for (size_t i = 0; i < operands.size(); ++i) {
    const ir::Type& t = op.operand(static_cast<int>(i))->type();
    if (!t.is_tensor() || t.tensor() != operands[i].type()) {
      return absl::InvalidArgumentError(
          absl::StrCat(op.name(), ": operand ", i, " must be ", t.ToString(),
                       ", got ", operands[i].type().ToString()));
    }
  }
  auto plan = std::make_unique<FunctionPlan>();
  PlanBuilder builder(plan.get());
  for (int r = 0; r < op.num_regions(); ++r) {
    RETURN_IF_ERROR(builder.AddRegion(*op.region(r)));
  }
  OpPlan op_plan;
  op_plan.op = &op;
  RecognizeBodies(op_plan);
  if (op.code() == OpCode::kConstant || op.code() == OpCode::kChloConstant) {
    const ir::Attribute* value = op.attr("value");
    if (value == nullptr ||
        value->kind() != ir::Attribute::Kind::kDenseElements) {
      return absl::InvalidArgumentError("constant without dense value");
    }
    return std::vector<ir::Literal>{value->literal()};
  }
  static const ir::Module* const empty_module = new ir::Module();
  Interpreter interp(empty_module, InterpreterOptions());
  ProcessContext process;
  Frame frame{plan.get(), std::vector<ValueRef>(plan->num_slots), &process};
  std::vector<ValueRef> values;
  for (const ir::Literal& l : operands)
    values.push_back(RuntimeValue::Tensor(l));
  absl::StatusOr<std::vector<ValueRef>> out =
      interp.ExecuteOp(frame, op_plan, values);
  if (!out.ok()) return out.status();
  std::vector<ir::Literal> results;
  for (const ValueRef& v : *out) {
    if (!v->is_tensor()) {
      return Unimplemented(op, "produces a token or tuple");
    }
    results.push_back(v->tensor());
  }
  return results;
}

}  // namespace backplane::interpreter
