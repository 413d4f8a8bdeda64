#include "compiler/interpreter/interpreter.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/out_of_memory.h"
#include "base/stack.h"
#include "base/status_macros.h"
#include "compiler/interpreter/body_recognition.h"
#include "compiler/interpreter/collectives.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/op_context.h"
#include "compiler/interpreter/op_errors.h"
#include "compiler/interpreter/op_plan.h"
#include "compiler/interpreter/op_registry.h"
#include "compiler/interpreter/operand_values.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/process_context.h"
#include "compiler/ir/op_error.h"
#include "compiler/ir/verifier.h"
#include "compiler/passes/channel_check.h"

namespace backplane::interpreter {

using ir::OpCode;

// ---------------------------------------------------------------------------
// Execution plans: every value of a function (nested regions included) gets
// a slot; each op lists its operand and result slots and the slots whose
// last use it is, so intermediates are released as early as possible
// (OpPlan, op_plan.h).

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

struct Frame {
  const FunctionPlan* plan;
  std::vector<ValueRef> slots;
  ProcessContext* process;
};

namespace {

// "@fn" for a function body, "<location>: <op name>" for an op's region.
std::string RegionOwner(const ir::Block& block) {
  const ir::Region* region = block.parent();
  if (region == nullptr) return "a region";
  if (region->parent_op() != nullptr) {
    return absl::StrCat(ir::FormatLocation(*region->parent_op()), ": ",
                        region->parent_op()->name());
  }
  if (region->parent_function() != nullptr) {
    return absl::StrCat("@", region->parent_function()->name());
  }
  return "a region";
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
              absl::StrCat(ir::FormatLocation(*op), ": ", op->name(),
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
              absl::StrCat(ir::FormatLocation(*op), ": ", op->name(),
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

}  // namespace

// ---------------------------------------------------------------------------

Interpreter::Interpreter(const ir::Module* module, InterpreterOptions options,
                         const OpRegistry* ops)
    : module_(module), options_(options), ops_(ops) {}

Interpreter::~Interpreter() = default;

absl::StatusOr<std::unique_ptr<Interpreter>> Interpreter::Create(
    const ir::Module& module, InterpreterOptions options) {
  if (options.verify) {
    RETURN_IF_ERROR(ir::VerifyModule(module));
  }
  // A recv that no send can feed would block its run forever.
  RETURN_IF_ERROR(passes::CheckRecvsHaveSends(module));
  ASSIGN_OR_RETURN(const OpRegistry* registry, ops::BuiltinOpRegistry());
  std::unique_ptr<Interpreter> interp(
      new Interpreter(&module, options, registry));
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
    absl::string_view function, absl::Span<const ir::Literal> arguments,
    const base::Cancellation* cancellation) {
  // Copying arguments in and results out allocates too.
  return base::CatchOutOfMemory(
      [&] { return RunCopying(function, arguments, cancellation); },
      [&] { return absl::StrCat("@", function); });
}

absl::StatusOr<std::vector<ir::Literal>> Interpreter::RunCopying(
    absl::string_view function, absl::Span<const ir::Literal> arguments,
    const base::Cancellation* cancellation) {
  std::vector<ValueRef> args;
  for (const ir::Literal& a : arguments)
    args.push_back(RuntimeValue::Tensor(a));
  ASSIGN_OR_RETURN(std::vector<ValueRef> out,
                   Call(function, std::move(args), cancellation));
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
    absl::string_view function, std::vector<ValueRef> arguments,
    const base::Cancellation* cancellation) {
  const ir::Function* fn = module_->LookupFunction(function);
  if (fn == nullptr) {
    return absl::NotFoundError(absl::StrCat("no function @", function));
  }
  ProcessContext process;
  process.cancellation =
      cancellation != nullptr ? cancellation : base::CurrentCancellation();
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
  ProcessContext& process = *frame.process;
  if (process.depth >= options_.max_nesting_depth) {
    return absl::ResourceExhaustedError(
        absl::StrCat(RegionOwner(block), ": calls and regions nest more than ",
                     options_.max_nesting_depth,
                     " deep (recursion or a too deep call chain)"));
  }
  if (base::RemainingStackBytes() < base::kStackReserveBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        RegionOwner(block), ": calls and regions nest ", process.depth,
        " deep, which this thread's stack cannot hold (",
        base::RemainingStackBytes(), " bytes left)"));
  }
  ++process.depth;
  struct DepthGuard {
    int& depth;
    ~DepthGuard() { --depth; }
  } depth_guard{process.depth};
  std::vector<ValueRef> operands;
  for (const OpPlan& p : bp.ops) {
    operands.clear();
    for (int slot : p.operands) {
      if (frame.slots[slot] == nullptr) {
        return absl::InternalError(
            absl::StrCat(ir::FormatLocation(*p.op), ": ", p.op->name(),
                         ": operand value is not available"));
      }
      operands.push_back(frame.slots[slot]);
    }
    if (ir::IsTerminator(p.op->code())) return operands;
    const auto start = std::chrono::steady_clock::now();
    if (process.cancellation != nullptr) {
      RETURN_IF_ERROR(process.cancellation->CheckAt(start), "%s: %s",
                      ir::FormatLocation(*p.op), p.op->name());
    }
    absl::StatusOr<std::vector<ValueRef>> results = base::CatchOutOfMemory(
        [&] { return ExecuteOp(frame, p, operands); },
        [&] {
          return absl::StrCat(ir::FormatLocation(*p.op), ": ", p.op->name());
        });
    op_time_ns_[static_cast<size_t>(p.op->code())].fetch_add(
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now() - start)
            .count(),
        std::memory_order_relaxed);
    ASSIGN_OR_RETURN(std::vector<ValueRef> values, std::move(results));
    if (values.size() != p.results.size()) {
      return absl::InternalError(absl::StrCat(
          ir::FormatLocation(*p.op), ": ", p.op->name(), ": produced ",
          values.size(), " results, expected ", p.results.size()));
    }
    for (size_t i = 0; i < values.size(); ++i) {
      frame.slots[p.results[i]] = std::move(values[i]);
    }
    for (int slot : p.release) frame.slots[slot].reset();
    ops_executed_.fetch_add(1, std::memory_order_relaxed);
    if (RuntimeValue::LiveBytes() > options_.max_live_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          ir::FormatLocation(*p.op), ": ", p.op->name(),
          ": live tensors exceed ", options_.max_live_bytes, " bytes"));
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
        return ir::OpError(op, absl::InvalidArgumentError("needs 2 regions"));
      for (int64_t iteration = 0;; ++iteration) {
        if (iteration >= options_.max_loop_iterations) {
          return ir::OpError(op, absl::ResourceExhaustedError(absl::StrCat(
                                     "more than ", options_.max_loop_iterations,
                                     " iterations")));
        }
        RETURN_IF_ERROR(base::CheckCancellation(frame.process->cancellation),
                        "%s: %s, iteration %d", ir::FormatLocation(op),
                        op.name(), iteration);
        ASSIGN_OR_RETURN(std::vector<ValueRef> cond,
                         RunBlock(frame, *op.region(0)->front(), carried));
        if (cond.size() != 1 || !cond[0]->is_tensor() ||
            cond[0]->tensor().element_type() != ir::ElementType::kPred ||
            cond[0]->tensor().element_count() != 1) {
          return ir::OpError(op, absl::InvalidArgumentError(
                                     "condition must return one tensor<i1>"));
        }
        if (cond[0]->tensor().untyped_data()[0] == 0) break;
        ASSIGN_OR_RETURN(carried, RunBlock(frame, *op.region(1)->front(),
                                           std::move(carried)));
      }
      return carried;
    }
    case OpCode::kIf: {
      absl::StatusOr<int64_t> pred = ScalarInt(operands[0]->tensor());
      if (!pred.ok()) return ir::OpError(op, pred.status());
      const ir::Region* region = op.region(*pred ? 0 : 1);
      return RunBlock(frame, *region->front(), {});
    }
    case OpCode::kCase: {
      absl::StatusOr<int64_t> index = ScalarInt(operands[0]->tensor());
      if (!index.ok()) return ir::OpError(op, index.status());
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
        return ir::OpError(
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
        return ir::OpError(op, r.status());
      }
      return r;
    }
  }
}

// The OpContext of a leaf op: its regions run in the op's frame.
class Interpreter::LeafOpContext final : public OpContext {
 public:
  LeafOpContext(Interpreter& interp, Frame& frame, const OpPlan& plan,
                std::vector<ValueRef>& operands)
      : OpContext(plan, operands, *frame.process, interp.probes_),
        interp_(interp),
        frame_(frame) {}

  absl::StatusOr<std::vector<ValueRef>> RunRegion(
      int region, std::vector<ValueRef> args) override {
    return interp_.RunBlock(frame_, *op().region(region)->front(),
                            std::move(args));
  }

 private:
  Interpreter& interp_;
  Frame& frame_;
};

absl::StatusOr<std::vector<ValueRef>> Interpreter::ExecuteLeafOp(
    Frame& frame, const OpPlan& plan, std::vector<ValueRef>& operands) {
  const OpExecutor execute = ops_->Find(plan.op->code());
  if (execute == nullptr) return Unimplemented(*plan.op);
  LeafOpContext ctx(*this, frame, plan, operands);
  ASSIGN_OR_RETURN(std::vector<ValueRef> results, execute(ctx));
  // An op whose result shape depends on operand values (dynamic_conv's
  // padding, for one) can compute a tensor that contradicts its declared
  // type: the program is invalid, not the interpreter.
  const ir::Op& op = *plan.op;
  for (size_t i = 0;
       i < results.size() && i < static_cast<size_t>(op.num_results()); ++i) {
    const ir::Type& declared = op.result(static_cast<int>(i))->type();
    if (results[i] != nullptr && results[i]->is_tensor() &&
        declared.is_tensor() &&
        results[i]->tensor().type() != declared.tensor()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "result ", i, " is ", results[i]->tensor().type().ToString(),
          " at run time but declared ", declared.ToString()));
    }
  }
  return results;
}

// interpreter.run_parallel
// -----------------------------------------------------

absl::StatusOr<std::vector<ValueRef>> Interpreter::RunParallel(
    Frame& frame, const ir::Op& op, std::vector<ValueRef>& operands) {
  const ir::Attribute* programs = op.attr("programs");
  if (programs == nullptr || programs->kind() != ir::Attribute::Kind::kArray ||
      programs->array().empty()) {
    return ir::OpError(op, absl::InvalidArgumentError("missing 'programs'"));
  }
  const int64_t replicas = static_cast<int64_t>(programs->array().size());
  int64_t partitions = -1;
  std::vector<const ir::Function*> functions;
  for (const ir::Attribute& row : programs->array()) {
    if (row.kind() != ir::Attribute::Kind::kArray) {
      return ir::OpError(op,
                         absl::InvalidArgumentError("'programs' must be 2-D"));
    }
    if (partitions >= 0 &&
        partitions != static_cast<int64_t>(row.array().size())) {
      return ir::OpError(op, absl::InvalidArgumentError("ragged 'programs'"));
    }
    partitions = static_cast<int64_t>(row.array().size());
    for (const ir::Attribute& f : row.array()) {
      const ir::Function* fn = module_->LookupFunction(f.string_value());
      if (fn == nullptr) {
        return ir::OpError(op, absl::NotFoundError(absl::StrCat(
                                   "no function @", f.string_value())));
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
          return ir::OpError(
              op, absl::NotFoundError(
                      absl::StrCat("no infeed function @", f.string_value())));
        }
        ASSIGN_OR_RETURN(std::vector<ValueRef> v,
                         CallFunction(*fn, {}, frame.process));
        for (ValueRef& x : v) infeed.push_back(std::move(x));
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
      return ir::OpError(op,
                         absl::InvalidArgumentError(
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
    contexts[i].cancellation = frame.process->cancellation;
    contexts[i].depth = frame.process->depth;
    threads.emplace_back([&, i] {
      absl::StatusOr<std::vector<ValueRef>> r =
          CallFunction(*functions[i], args[i], &contexts[i]);
      if (r.ok()) {
        results[i] = *std::move(r);
      } else {
        statuses[i] = r.status();
        run.Abort();  // Before ProcessFinished: the others end ABORTED.
      }
      run.ProcessFinished();
    });
  }
  for (std::thread& t : threads) t.join();
  // The cause, not its echo: a process that failed (or was cancelled)
  // aborts the others, whose ABORTED says only that.
  for (const absl::Status& s : statuses) {
    if (!s.ok() && s.code() != absl::StatusCode::kAborted) return s;
  }
  for (const absl::Status& s : statuses) RETURN_IF_ERROR(s);
  std::vector<ValueRef> out;
  for (auto& r : results) {
    for (ValueRef& v : r) out.push_back(std::move(v));
  }
  return out;
}

// EvaluateOp -----------------------------------------------------------------

// EvaluateOp without the conversion of exhausted host memory (a friend of
// Interpreter, see interpreter.h).
absl::StatusOr<std::vector<ir::Literal>> EvaluateOpUnguarded(
    const ir::Op& op, absl::Span<const ir::Literal> operands);

absl::StatusOr<std::vector<ir::Literal>> EvaluateOp(
    const ir::Op& op, absl::Span<const ir::Literal> operands) {
  return base::CatchOutOfMemory(
      [&] { return EvaluateOpUnguarded(op, operands); },
      [&] { return absl::StrCat(ir::FormatLocation(op), ": ", op.name()); });
}

absl::StatusOr<std::vector<ir::Literal>> EvaluateOpUnguarded(
    const ir::Op& op, absl::Span<const ir::Literal> operands) {
  switch (op.code()) {
    case OpCode::kFuncCall:
    case OpCode::kComposite:
    case OpCode::kInterpreterRunParallel:
    case OpCode::kInterpreterPrint:
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
  ASSIGN_OR_RETURN(const OpRegistry* registry, ops::BuiltinOpRegistry());
  Interpreter interp(empty_module, InterpreterOptions(), registry);
  ProcessContext process;
  // A plugin's execution may run ops with regions here (a while loop).
  process.cancellation = base::CurrentCancellation();
  Frame frame{plan.get(), std::vector<ValueRef>(plan->num_slots), &process};
  std::vector<ValueRef> values;
  for (const ir::Literal& l : operands)
    values.push_back(RuntimeValue::Tensor(l));
  ASSIGN_OR_RETURN(std::vector<ValueRef> out,
                   interp.ExecuteOp(frame, op_plan, values));
  std::vector<ir::Literal> results;
  for (const ValueRef& v : out) {
    if (!v->is_tensor()) {
      return Unimplemented(op, "produces a token or tuple");
    }
    results.push_back(v->tensor());
  }
  return results;
}

}  // namespace backplane::interpreter
