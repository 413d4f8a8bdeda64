#include "cpu_plugin/program.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_error.h"
#include "compiler/abi/custom_calls.h"
#include "compiler/abi/donation.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "compiler/passes/canonicalize.h"
#include "compiler/passes/pipeline.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/epilogue_fusion.h"
#include "cpu_plugin/gather_thunk.h"
#include "cpu_plugin/layout_rewrites.h"
#include "cpu_plugin/layout_thunks.h"
#include "cpu_plugin/loop_fusion.h"
#include "cpu_plugin/onednn_thunks.h"
#include "cpu_plugin/reduce_thunk.h"

namespace backplane::cpu {

using ir::OpCode;

namespace {
constexpr int64_t kAlignment = 64;
constexpr char kFusionFailed[] = "fusion failed at ";
int64_t AlignUp(int64_t n) {
  return (n + kAlignment - 1) / kAlignment * kAlignment;
}
}  // namespace

struct Program::Arena {
  explicit Arena(int64_t bytes)
      : data(static_cast<uint8_t*>(std::aligned_alloc(
            kAlignment, static_cast<size_t>(std::max<int64_t>(bytes, 64))))) {}
  ~Arena() { std::free(data); }
  uint8_t* data;
};

Program::~Program() = default;

std::unique_ptr<Program::Arena> Program::AcquireArena() const {
  {
    std::lock_guard<std::mutex> lock(arena_mu_);
    if (!free_arenas_.empty()) {
      std::unique_ptr<Arena> arena = std::move(free_arenas_.back());
      free_arenas_.pop_back();
      return arena;
    }
  }
  auto arena = std::make_unique<Arena>(arena_bytes_ + scratch_bytes_);
  if (arena->data == nullptr) return nullptr;
  return arena;
}

void Program::ReleaseArena(std::unique_ptr<Arena> arena) const {
  std::lock_guard<std::mutex> lock(arena_mu_);
  free_arenas_.push_back(std::move(arena));
}

bool Program::CanWriteResultOver(int64_t result, int64_t parameter) const {
  if (result < 0 || result >= static_cast<int64_t>(result_def_.size()) ||
      parameter < 0 ||
      parameter >= static_cast<int64_t>(parameter_last_use_.size())) {
    return false;
  }
  const int def = result_def_[result];
  const int last_use = parameter_last_use_[parameter];
  if (def < 0 || result_types_[result].byte_size() !=
                     parameter_types_[parameter].byte_size()) {
    return false;
  }
  return last_use < def || (last_use == def && result_in_place_[result]);
}

std::vector<std::string> Program::ThunkKinds() const {
  std::vector<std::string> kinds;
  for (const auto& t : thunks_) kinds.push_back(t->kind());
  return kinds;
}

absl::Status Program::Run(absl::Span<const void* const> arguments,
                          absl::Span<void* const> results,
                          int64_t replica_id) const {
  return RunImpl(arguments, results, replica_id, nullptr);
}

absl::StatusOr<std::vector<int64_t>> Program::RunProfiled(
    absl::Span<const void* const> arguments,
    absl::Span<void* const> results) const {
  std::vector<int64_t> ns;
  RETURN_IF_ERROR(RunImpl(arguments, results, 0, &ns));
  return ns;
}

absl::Status Program::RunImpl(absl::Span<const void* const> arguments,
                              absl::Span<void* const> results,
                              int64_t replica_id,
                              std::vector<int64_t>* thunk_ns) const {
  if (arguments.size() != parameter_types_.size() ||
      results.size() != result_types_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the program takes ", parameter_types_.size(),
                     " arguments and ", result_types_.size(), " results, got ",
                     arguments.size(), " and ", results.size()));
  }
  std::unique_ptr<Arena> arena;
  if (arena_bytes_ + scratch_bytes_ > 0) {
    arena = AcquireArena();
    if (arena == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot allocate ", arena_bytes_ + scratch_bytes_,
                       " bytes of temporaries"));
    }
  }
  absl::InlinedVector<uint8_t*, 32> table(slots_.size());
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    switch (s.kind) {
      case SlotKind::kParameter:
        table[i] = const_cast<uint8_t*>(
            static_cast<const uint8_t*>(arguments[s.index]));
        break;
      case SlotKind::kResult:
        table[i] = static_cast<uint8_t*>(results[s.index]);
        break;
      case SlotKind::kConstant:
        table[i] = const_cast<uint8_t*>(s.constant);
        break;
      case SlotKind::kTemp:
        table[i] = arena->data + s.offset;
        break;
      case SlotKind::kAlias:
        table[i] = table[s.index];  // Aliased slots come first.
        break;
    }
  }
  RunContext ctx;
  ctx.buffers = table.data();
  ctx.replica_id = replica_id;
  ctx.scratch = arena == nullptr ? nullptr : arena->data + arena_bytes_;
  absl::Status status;
  for (const auto& thunk : thunks_) {
    if (thunk_ns == nullptr) {
      status = thunk->Run(ctx);
    } else {
      const auto start = std::chrono::steady_clock::now();
      status = thunk->Run(ctx);
      thunk_ns->push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count());
    }
    if (!status.ok()) break;
  }
  if (arena != nullptr) ReleaseArena(std::move(arena));
  return status;
}

// Lowers the entry function of a module into a Program.
class ProgramBuilder {
 public:
  ProgramBuilder(Program* program, const ProgramOptions& options, bool fuse)
      : p_(program), options_(options), fuse_(fuse) {}

  absl::Status Build() {
    const ir::Function* fn = p_->module_->LookupFunction(options_.entry);
    if (fn == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("the program has no function @", options_.entry));
    }
    for (const ir::Type& t : fn->argument_types()) {
      if (!t.is_tensor()) {
        return absl::UnimplementedError(
            absl::StrCat("@", options_.entry, " takes a ", t.ToString(),
                         "; the CPU plugin takes tensors only"));
      }
      p_->parameter_types_.push_back(t.tensor());
    }
    for (const ir::Type& t : fn->result_types()) {
      if (!t.is_tensor()) {
        return absl::UnimplementedError(
            absl::StrCat("@", options_.entry, " returns a ", t.ToString(),
                         "; the CPU plugin returns tensors only"));
      }
      p_->result_types_.push_back(t.tensor());
    }
    const ir::Block& block = *fn->entry();
    bool lowerable = block.ops().size() > 0 && fn->body().num_blocks() == 1;
    for (const auto& op : block.ops()) {
      if (!lowerable) break;
      lowerable = CanLower(*op);
      if (!lowerable) {
        p_->fallback_reason_ =
            absl::StrCat(ir::FormatLocation(*op), ": ", op->name());
      }
    }
    if (!lowerable) {
      if (!options_.allow_interpreter_fallback) {
        return absl::UnimplementedError(
            "the program needs the interpreter fallback, which is disabled");
      }
      return BuildInterpreted(*fn);
    }
    return BuildThunks(*fn);
  }

 private:
  static bool CanLower(const ir::Op& op) {
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
        return absl::StartsWith(
                   interpreter::StringAttrOr(op, "call_target_name"),
                   "check.expect_") &&
               op.num_results() == 0;
      default:
        return IsGenericOpSupported(op);
    }
  }

  absl::Status BuildInterpreted(const ir::Function& fn) {
    p_->interpreted_ = true;
    std::vector<BufferRef> params, results;
    for (size_t i = 0; i < p_->parameter_types_.size(); ++i) {
      params.push_back(
          {NewSlot(Program::SlotKind::kParameter, i), p_->parameter_types_[i]});
    }
    for (size_t i = 0; i < p_->result_types_.size(); ++i) {
      results.push_back(
          {NewSlot(Program::SlotKind::kResult, i), p_->result_types_[i]});
    }
    ASSIGN_OR_RETURN(
        std::unique_ptr<Thunk> thunk,
        MakeInterpretFunctionThunk(*p_->module_, fn.name(), std::move(params),
                                   std::move(results)));
    p_->thunks_.push_back(std::move(thunk));
    return absl::OkStatus();
  }

  int NewSlot(Program::SlotKind kind, int64_t index) {
    Program::Slot s;
    s.kind = kind;
    s.index = index;
    p_->slots_.push_back(s);
    root_.push_back(static_cast<int>(p_->slots_.size()) - 1);
    def_.push_back(-1);
    last_use_.push_back(-1);
    bytes_.push_back(0);
    return static_cast<int>(p_->slots_.size()) - 1;
  }

  BufferRef Ref(const ir::Value* v) {
    return BufferRef{slot_of_.at(v), v->type().tensor()};
  }

  const ir::Literal* ConstantOf(const ir::Value* v) {
    const ir::Op* def = v->defining_op();
    if (def == nullptr || def->code() != OpCode::kConstant) return nullptr;
    const ir::Attribute* value = def->attr("value");
    if (value == nullptr ||
        value->kind() != ir::Attribute::Kind::kDenseElements) {
      return nullptr;
    }
    return &value->literal();
  }

  absl::Status BuildThunks(const ir::Function& fn) {
    const ir::Block& block = *fn.entry();
    for (int i = 0; i < block.num_arguments(); ++i) {
      slot_of_[block.argument(i)] = NewSlot(Program::SlotKind::kParameter, i);
    }
    OneDnnOptions dnn;
    dnn.bf16 = options_.matmul_precision == MatmulPrecision::kBf16;
    dnn.winograd =
        options_.convolution_algorithm == ConvolutionAlgorithm::kAuto;
    if (options_.optimization_level > 0) FindFoldableTransposes(block);
    if (options_.optimization_level > 0 && fuse_) {
      PlanFusions(block);
      PlanLoops(block);
      PlanResidualsInPlace(block);
    }
    int index = 0;
    const ir::Op* terminator = nullptr;
    for (const auto& op_ptr : block.ops()) {
      const ir::Op& op = *op_ptr;
      ++index;
      current_index_ = index;
      if (dead_.contains(&op)) continue;
      for (const ir::Value* v : op.operands()) {
        auto it = slot_of_.find(v);
        if (it == slot_of_.end()) continue;  // A dead value.
        const int root = root_[it->second];
        last_use_[root] = std::max(last_use_[root], index);
      }
      if (absorbed_.contains(&op)) continue;      // Runs inside its producer.
      if (loop_members_.contains(&op)) continue;  // Runs in its group's root.
      if (op.code() == OpCode::kFuncReturn || op.code() == OpCode::kReturn) {
        terminator = &op;
        continue;
      }
      if (op.code() == OpCode::kConstant) {
        const ir::Literal* literal = ConstantOf(op.result(0));
        if (literal == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat(ir::FormatLocation(op),
                           ": constant without a dense value"));
        }
        const int slot = NewSlot(Program::SlotKind::kConstant, 0);
        p_->slots_[slot].constant = literal->untyped_data();
        p_->constant_bytes_ += literal->byte_size();
        slot_of_[op.result(0)] = slot;
        continue;
      }
      if (folded_transposes_.contains(&op)) {
        // Read in place by the dot that uses it (or materialised there).
        const int from = slot_of_.at(op.operand(0));
        const int slot = NewSlot(Program::SlotKind::kAlias, from);
        root_[slot] = root_[from];
        slot_of_[op.result(0)] = slot;
        continue;
      }
      if (op.code() == OpCode::kReshape ||
          op.code() == OpCode::kInterpreterProbe) {
        // Same bytes (a new type, or the interpreter's recording identity):
        // an alias, no thunk.
        const int from = slot_of_.at(op.operand(0));
        const int slot = NewSlot(Program::SlotKind::kAlias, from);
        root_[slot] = root_[from];
        slot_of_[op.result(0)] = slot;
        continue;
      }
      std::vector<BufferRef> operands;
      if (!loop_roots_.contains(&op)) {  // Loops resolve their own inputs.
        for (const ir::Value* v : op.operands()) operands.push_back(Ref(v));
      }
      std::vector<BufferRef> results;
      for (int r = 0; r < op.num_results(); ++r) {
        if (r == 0 && residual_in_place_.contains(&op)) {
          // Written over the residual, which dies here (sum post-op).
          const int from = slot_of_.at(planned_.at(&op).residual);
          const int slot = NewSlot(Program::SlotKind::kAlias, from);
          root_[slot] = root_[from];
          last_use_[root_[from]] = std::max(last_use_[root_[from]], index);
          slot_of_[op.result(r)] = slot;
          results.push_back(Ref(op.result(r)));
          continue;
        }
        const int slot = NewSlot(Program::SlotKind::kTemp, 0);
        def_[slot] = index;
        last_use_[slot] = index;
        slot_of_[op.result(r)] = slot;
        bytes_[slot] = op.result(r)->type().tensor().byte_size();
        results.push_back(Ref(op.result(r)));
      }
      absl::StatusOr<std::unique_ptr<Thunk>> thunk =
          loop_roots_.contains(&op)
              ? LowerLoopFusion(*loop_roots_.at(&op), results[0], index)
              : Lower(op, operands, results, dnn);
      if (!thunk.ok()) return thunk.status();
      if ((*thunk)->in_place_safe()) in_place_ops_.insert(index);
      p_->thunks_.push_back(*std::move(thunk));
    }
    if (terminator == nullptr) {
      return absl::InvalidArgumentError("the entry function has no return");
    }
    // Results: computed temporaries become the result buffers themselves;
    // parameters, constants, aliases and repeated values are copied.
    p_->result_def_.assign(terminator->num_operands(), -1);
    p_->result_in_place_.assign(terminator->num_operands(), false);
    for (int i = 0; i < block.num_arguments(); ++i) {
      p_->parameter_last_use_.push_back(
          last_use_[root_[slot_of_.at(block.argument(i))]]);
    }
    std::vector<bool> claimed(p_->slots_.size(), false);
    std::vector<bool> aliased(p_->slots_.size(), false);
    for (size_t s = 0; s < p_->slots_.size(); ++s) {
      if (p_->slots_[s].kind == Program::SlotKind::kAlias) {
        aliased[root_[s]] = true;
      }
    }
    for (int j = 0; j < terminator->num_operands(); ++j) {
      const ir::Value* v = terminator->operand(j);
      const int slot = slot_of_.at(v);
      Program::Slot& s = p_->slots_[slot];
      if (s.kind == Program::SlotKind::kTemp && !claimed[slot] &&
          !aliased[slot]) {
        s.kind = Program::SlotKind::kResult;
        s.index = j;
        claimed[slot] = true;
        p_->result_def_[j] = def_[slot];
        p_->result_in_place_[j] = in_place_ops_.contains(def_[slot]);
        continue;
      }
      const int out = NewSlot(Program::SlotKind::kResult, j);
      p_->thunks_.push_back(MakeCopyThunk(Ref(v), {out, v->type().tensor()}));
    }
    AssignArena();
    for (const auto& t : p_->thunks_) {
      p_->scratch_bytes_ =
          std::max(p_->scratch_bytes_, AlignUp(t->scratch_bytes()));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<Thunk>> Lower(const ir::Op& op,
                                               std::vector<BufferRef>& operands,
                                               std::vector<BufferRef>& results,
                                               const OneDnnOptions& dnn) {
    switch (op.code()) {
      case OpCode::kReplicaId:
        return MakeReplicaIdThunk(results[0], /*partition=*/false);
      case OpCode::kPartitionId:
        return MakeReplicaIdThunk(results[0], /*partition=*/true);
      case OpCode::kDotGeneral:
      case OpCode::kConvolution: {
        absl::StatusOr<std::unique_ptr<Thunk>> t =
            LowerWithEpilogue(op, operands, results, dnn);
        if (!t.ok() || *t != nullptr) return t;
        break;
      }
      case OpCode::kReduceWindow: {
        if (operands.size() != 2) break;
        absl::StatusOr<std::unique_ptr<Thunk>> t =
            MakeOneDnnPooling(op, operands[0], results[0], dnn);
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
        if (auto t =
                MakeRowGatherThunk(op, operands[0], operands[1], results[0]);
            t.has_value()) {
          return *std::move(t);
        }
        break;
      }
      case OpCode::kReduce: {
        if (operands.size() != 2 || results.size() != 1) break;
        if (auto t =
                MakeRowReduceThunk(op, operands[0], operands[1], results[0]);
            t.has_value()) {
          return *std::move(t);
        }
        break;
      }
      default:
        break;
    }
    if (op.code() == OpCode::kTranspose ||
        op.code() == OpCode::kBroadcastInDim) {
      if (auto t = MakeLayoutThunk(op, operands[0], results[0]);
          t.has_value()) {
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

  // The output feature dimension of a convolution / dot result and the
  // weights dimension it comes from; -1 when a dot has several rhs free
  // dimensions (no per-channel epilogue then).
  absl::Status EpilogueDims(const ir::Op& op, int64_t* feature_dim,
                            int64_t* weights_out_dim) {
    *feature_dim = -1;
    *weights_out_dim = -1;
    if (op.code() == OpCode::kConvolution) {
      ASSIGN_OR_RETURN(auto cdn, ir::GetConvDimensionNumbers(op));
      *feature_dim = cdn.output_feature_dimension;
      *weights_out_dim = cdn.kernel_output_feature_dimension;
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(auto ddn, ir::GetDotDimensionNumbers(op));
    const int64_t rrank = op.operand(1)->type().tensor().rank();
    const int64_t free_dims =
        rrank - static_cast<int64_t>(ddn.rhs_batching_dimensions.size() +
                                     ddn.rhs_contracting_dimensions.size());
    const int64_t out_rank = op.result(0)->type().tensor().rank();
    if (free_dims == 1 && out_rank > 0) {
      *feature_dim = out_rank - 1;
      for (int64_t d = 0; d < rrank; ++d) {
        bool used = false;
        for (int64_t b : ddn.rhs_batching_dimensions) used |= b == d;
        for (int64_t c : ddn.rhs_contracting_dimensions) used |= c == d;
        if (!used) *weights_out_dim = d;
      }
    }
    return absl::OkStatus();
  }

  // Decides the epilogue fusions before lowering, so that ops whose only
  // users are fused away (the broadcasts of batch-norm parameters) are
  // never lowered at all.
  void PlanFusions(const ir::Block& block) {
    absl::flat_hash_map<const ir::Op*, int> position;
    int index = 0;
    for (const auto& op : block.ops()) position[op.get()] = index++;
    for (const auto& op : block.ops()) {
      if (op->code() != OpCode::kConvolution &&
          op->code() != OpCode::kDotGeneral) {
        continue;
      }
      if (op->result(0)->type().tensor().element_type() !=
          ir::ElementType::kF32) {
        continue;
      }
      int64_t feature_dim = -1, weights_out_dim = -1;
      if (!EpilogueDims(*op, &feature_dim, &weights_out_dim).ok() ||
          feature_dim < 0) {
        continue;
      }
      const int here = position[op.get()];
      EpilogueMatch match = MatchEpilogue(
          op->result(0), feature_dim, ConstantOf(op->operand(1)) != nullptr,
          [&](const ir::Value* v) {
            const ir::Op* def = v->defining_op();
            return def == nullptr || position.at(def) < here;
          });
      if (match.absorbed.empty()) continue;
      for (const ir::Op* a : match.absorbed) absorbed_.insert(a);
      if (match.residual != nullptr) read_by_fusions_.insert(match.residual);
      if (match.bias != nullptr) read_by_fusions_.insert(match.bias);
      planned_[op.get()] = std::move(match);
    }
    // Pure ops whose every user is absorbed (or itself dead) are dead.
    for (auto it = block.ops().rbegin(); it != block.ops().rend(); ++it) {
      const ir::Op& op = **it;
      if (absorbed_.contains(&op) || planned_.contains(&op) ||
          op.num_results() == 0) {
        continue;
      }
      const bool pure = op.code() == OpCode::kConstant ||
                        op.code() == OpCode::kReshape ||
                        IsGenericOpSupported(op);
      if (!pure) continue;
      // A residual is read by the fused producer although its user (the
      // add) is absorbed.
      bool dead = true;
      for (int r = 0; r < op.num_results() && dead; ++r) {
        if (read_by_fusions_.contains(op.result(r))) dead = false;
      }
      for (int r = 0; r < op.num_results() && dead; ++r) {
        for (const ir::Use& use : op.result(r)->uses()) {
          if (!absorbed_.contains(use.user) && !dead_.contains(use.user)) {
            dead = false;
            break;
          }
        }
      }
      if (dead) dead_.insert(&op);
    }
  }

  // Groups of element-wise ops run as one loop (loop_fusion.h), planned
  // after the epilogue fusions, which take precedence.
  void PlanLoops(const ir::Block& block) {
    loop_groups_ = PlanLoopFusions(block, [&](const ir::Op& op) {
      return absorbed_.contains(&op) || planned_.contains(&op) ||
             dead_.contains(&op) || folded_transposes_.contains(&op);
    });
    for (const LoopGroup& g : loop_groups_) {
      loop_roots_[g.root()] = &g;
      for (const ir::Op* m : g.members) {
        if (m != g.root()) loop_members_.insert(m);
      }
    }
  }

  absl::StatusOr<std::unique_ptr<Thunk>> LowerLoopFusion(
      const LoopGroup& group, const BufferRef& result, int index) {
    // Every outside value the members read is read when the root runs.
    for (const ir::Op* m : group.members) {
      for (const ir::Value* v : m->operands()) {
        auto it = slot_of_.find(v);
        if (it == slot_of_.end()) continue;
        last_use_[root_[it->second]] =
            std::max(last_use_[root_[it->second]], index);
      }
    }
    return MakeLoopFusionThunk(
        group,
        [&](const ir::Value* v) {
          auto it = slot_of_.find(v);
          return it == slot_of_.end() ? -1 : it->second;
        },
        result, options_.math_accuracy);
  }

  // Producers with a fused residual that may write their result over it
  // (oneDNN's sum post-op): the residual is computed into a buffer of its
  // own (not a parameter, constant or view of another value) and every
  // other reader has run before the producer does. Runs after the loop
  // plan, because a fused loop reads its members' operands when its root
  // runs.
  void PlanResidualsInPlace(const ir::Block& block) {
    absl::flat_hash_map<const ir::Op*, int> runs_at;
    int index = 0;
    for (const auto& op : block.ops()) runs_at[op.get()] = index++;
    for (const auto& [producer, match] : planned_) {
      for (const ir::Op* a : match.absorbed) runs_at[a] = runs_at[producer];
    }
    for (const LoopGroup& g : loop_groups_) {
      for (const ir::Op* m : g.members) runs_at[m] = runs_at[g.root()];
    }
    for (const auto& [producer, match] : planned_) {
      const ir::Value* residual = match.residual;
      if (residual == nullptr) continue;
      const ir::Op* def = residual->defining_op();
      if (def == nullptr || def->num_regions() > 0 ||
          def->code() == OpCode::kConstant || def->code() == OpCode::kReshape ||
          def->code() == OpCode::kTranspose ||
          def->code() == OpCode::kInterpreterProbe) {
        continue;
      }
      const int here = runs_at.at(producer);
      bool dies_here = true;
      for (const ir::Use& use : residual->uses()) {
        const ir::Op* user = use.user;
        if (dead_.contains(user)) continue;
        auto at = runs_at.find(user);
        const bool absorbed_here =
            std::find(match.absorbed.begin(), match.absorbed.end(), user) !=
            match.absorbed.end();
        const bool view = user->code() == OpCode::kReshape ||
                          user->code() == OpCode::kTranspose ||
                          user->code() == OpCode::kInterpreterProbe;
        if (absorbed_here) continue;
        if (at == runs_at.end() || view || user->num_regions() > 0 ||
            at->second >= here) {
          dies_here = false;
          break;
        }
      }
      if (dies_here) residual_in_place_.insert(producer);
    }
  }

  // Transposes whose only user is a dot_general: the dot reads them in
  // place through strides instead of materialising them.
  void FindFoldableTransposes(const ir::Block& block) {
    for (const auto& op : block.ops()) {
      if (op->code() != OpCode::kDotGeneral) continue;
      for (int i = 0; i < 2; ++i) {
        const ir::Op* def = op->operand(i)->defining_op();
        if (def != nullptr && def->code() == OpCode::kTranspose &&
            def->result(0)->uses().size() == 1 &&
            op->operand(0) != op->operand(1)) {
          folded_transposes_.insert(def);
        }
      }
    }
  }

  // Operand `i` of a dot as the dot reads it: the transpose's input with
  // permuted strides when the transpose was folded.
  BufferRef DotOperand(const ir::Op& op, int i, std::vector<int64_t>* strides) {
    const ir::Op* def = op.operand(i)->defining_op();
    if (def == nullptr || !folded_transposes_.contains(def)) {
      return Ref(op.operand(i));
    }
    const ir::TensorType& in = def->operand(0)->type().tensor();
    std::vector<int64_t> in_strides(in.rank(), 1);
    for (int64_t d = in.rank() - 2; d >= 0; --d) {
      in_strides[d] = in_strides[d + 1] * in.dim(d + 1);
    }
    auto perm = ir::GetI64Array(*def, "permutation");
    strides->clear();
    for (int64_t p : *perm) strides->push_back(in_strides[p]);
    return BufferRef{slot_of_.at(def->operand(0)),
                     op.operand(i)->type().tensor()};
  }

  absl::StatusOr<std::unique_ptr<Thunk>> MakeDnn(
      const ir::Op& op, std::vector<BufferRef>& operands,
      std::vector<BufferRef>& results, const ir::Literal* weights,
      const Epilogue& epilogue, const OneDnnOptions& dnn) {
    if (op.code() == OpCode::kDotGeneral) {
      std::vector<int64_t> lhs_strides, rhs_strides;
      BufferRef lhs = DotOperand(op, 0, &lhs_strides);
      BufferRef rhs = DotOperand(op, 1, &rhs_strides);
      return MakeOneDnnDot(op, lhs, rhs, results[0], weights, epilogue, dnn,
                           lhs_strides, rhs_strides);
    }
    return MakeOneDnnConvolution(op, operands[0], operands[1], results[0],
                                 weights, epilogue, dnn);
  }

  // Lowers a dot_general / convolution with the element-wise ops after it
  // fused as oneDNN post-ops (see epilogue_fusion.h).
  absl::StatusOr<std::unique_ptr<Thunk>> LowerWithEpilogue(
      const ir::Op& op, std::vector<BufferRef>& operands,
      std::vector<BufferRef>& results, const OneDnnOptions& dnn) {
    const ir::Literal* weights = ConstantOf(op.operand(1));
    int64_t feature_dim = -1, weights_out_dim = -1;
    RETURN_IF_ERROR(EpilogueDims(op, &feature_dim, &weights_out_dim));
    auto planned = planned_.find(&op);
    const EpilogueMatch match =
        planned == planned_.end() ? EpilogueMatch() : planned->second;
    if (!match.absorbed.empty()) {
      Epilogue epilogue;
      const ir::Literal* fused_weights = weights;
      if (!match.scale.empty()) {
        bool scaled = false;
        for (float f : match.scale) scaled |= f != 1.0f;
        if (scaled) {
          p_->owned_constants_.push_back(std::make_unique<ir::Literal>(
              ScaleOutputChannels(*weights, weights_out_dim, match.scale)));
          fused_weights = p_->owned_constants_.back().get();
        }
        ir::TensorType bias_type(ir::ElementType::kF32,
                                 {static_cast<int64_t>(match.shift.size())});
        auto bias = std::make_unique<ir::Literal>(bias_type);
        std::copy(match.shift.begin(), match.shift.end(),
                  bias->data<float>().begin());
        const int slot = NewSlot(Program::SlotKind::kConstant, 0);
        p_->slots_[slot].constant = bias->untyped_data();
        p_->constant_bytes_ += bias->byte_size();
        p_->owned_constants_.push_back(std::move(bias));
        epilogue.bias = BufferRef{slot, bias_type};
      }
      if (match.residual != nullptr) {
        epilogue.residual = Ref(match.residual);
        epilogue.residual_in_place = residual_in_place_.contains(&op);
      }
      if (match.bias != nullptr) {
        // Read by the producer itself, where the broadcasts that fed the
        // absorbed add are dead.
        const int root = root_[slot_of_.at(match.bias)];
        last_use_[root] = std::max(last_use_[root], current_index_);
        epilogue.bias = Ref(match.bias);
      }
      epilogue.output_scale = match.output_scale;
      epilogue.relu = match.relu;
      absl::StatusOr<std::unique_ptr<Thunk>> t =
          MakeDnn(op, operands, results, fused_weights, epilogue, dnn);
      if (!t.ok()) return t;
      if (*t == nullptr) {
        // The planned fusion is not available in oneDNN for this shape;
        // Compile retries without fusions.
        return absl::InternalError(
            absl::StrCat(kFusionFailed, ir::FormatLocation(op)));
      }
      for (const ir::Op* absorbed : match.absorbed) {
        slot_of_[absorbed->result(0)] = results[0].slot;
      }
      return t;
    }
    absl::StatusOr<std::unique_ptr<Thunk>> t =
        MakeDnn(op, operands, results, weights, Epilogue(), dnn);
    if (!t.ok() || *t != nullptr) return t;
    MaterializeFoldedOperands(op, operands);
    return t;
  }

  // A folded transpose whose dot cannot read it in place: give it its own
  // buffer, written right before the dot.
  void MaterializeFoldedOperands(const ir::Op& op,
                                 std::vector<BufferRef>& operands) {
    for (int i = 0; i < op.num_operands(); ++i) {
      const ir::Op* def = op.operand(i)->defining_op();
      if (def == nullptr || !folded_transposes_.contains(def)) continue;
      const int slot = NewSlot(Program::SlotKind::kTemp, 0);
      def_[slot] = current_index_;
      last_use_[slot] = current_index_;
      bytes_[slot] = operands[i].type.byte_size();
      BufferRef in{slot_of_.at(def->operand(0)),
                   def->operand(0)->type().tensor()};
      BufferRef materialized{slot, operands[i].type};
      auto t = MakeLayoutThunk(*def, in, materialized);
      p_->thunks_.push_back(*std::move(t));
      operands[i] = materialized;
    }
  }

  // Places temporaries in one arena: buffers whose live ranges [def, last
  // use] overlap get disjoint bytes; others may share. Largest first, each
  // at the lowest offset that fits (first fit by offset).
  void AssignArena() {
    struct Item {
      int slot;
      int64_t bytes;
      int begin, end;
      int64_t offset;
    };
    std::vector<Item> items;
    for (size_t s = 0; s < p_->slots_.size(); ++s) {
      if (p_->slots_[s].kind != Program::SlotKind::kTemp) continue;
      const int64_t bytes = bytes_[s];
      items.push_back({static_cast<int>(s),
                       AlignUp(std::max<int64_t>(bytes, 1)), def_[s],
                       std::max(def_[s], last_use_[s]), 0});
      p_->unshared_temp_bytes_ += AlignUp(bytes);
    }
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return a.bytes != b.bytes ? a.bytes > b.bytes : a.slot < b.slot;
    });
    std::vector<const Item*> placed;
    int64_t peak = 0;
    for (Item& item : items) {
      std::vector<std::pair<int64_t, int64_t>> busy;
      for (const Item* other : placed) {
        if (other->begin <= item.end && item.begin <= other->end) {
          busy.push_back({other->offset, other->offset + other->bytes});
        }
      }
      std::sort(busy.begin(), busy.end());
      int64_t offset = 0;
      for (const auto& [lo, hi] : busy) {
        if (offset + item.bytes <= lo) break;
        offset = std::max(offset, hi);
      }
      item.offset = offset;
      placed.push_back(&item);
      peak = std::max(peak, offset + item.bytes);
      p_->slots_[item.slot].offset = offset;
    }
    p_->arena_bytes_ = peak;
  }

  Program* p_;
  const ProgramOptions& options_;
  absl::flat_hash_map<const ir::Value*, int> slot_of_;
  std::vector<int> root_;       // Slot whose memory a slot uses.
  std::vector<int> def_;        // Op index that writes a temp.
  std::vector<int> last_use_;   // Last op index reading a root slot.
  std::vector<int64_t> bytes_;  // Sizes of temps.
  absl::flat_hash_set<const ir::Op*> absorbed_;  // Fused into a producer.
  absl::flat_hash_set<const ir::Op*> folded_transposes_;
  absl::flat_hash_set<const ir::Op*> dead_;
  absl::flat_hash_set<const ir::Value*> read_by_fusions_;
  // Producers whose result is placed over their fused residual.
  absl::flat_hash_set<const ir::Op*> residual_in_place_;
  absl::flat_hash_map<const ir::Op*, EpilogueMatch> planned_;
  absl::flat_hash_set<int> in_place_ops_;  // Op indices of in-place thunks.
  std::vector<LoopGroup> loop_groups_;
  absl::flat_hash_map<const ir::Op*, const LoopGroup*> loop_roots_;
  absl::flat_hash_set<const ir::Op*> loop_members_;  // Roots excluded.
  bool fuse_;
  int current_index_ = 0;
};

absl::StatusOr<std::unique_ptr<Program>> Program::Compile(
    absl::string_view code, const ProgramOptions& options) {
  parser::ParseOptions parse_options;
  parse_options.filename = "program";
  absl::StatusOr<std::unique_ptr<ir::Module>> module =
      parser::ParseModule(code, parse_options);
  if (!module.ok()) return module.status();
  return CompileModule(*std::move(module), options);
}

absl::StatusOr<std::unique_ptr<Program>> Program::CompileModule(
    std::unique_ptr<ir::Module> module, const ProgramOptions& options) {
  RETURN_IF_ERROR(ir::VerifyModule(*module));
  // Only the `check.*` targets (always accepted) have implementations here;
  // anything else must fail now, not in the middle of an execution.
  RETURN_IF_ERROR(abi::CheckCustomCallTargets(*module, "cpu"));
  std::vector<bool> donatable;
  if (const ir::Function* entry = module->LookupFunction(options.entry);
      entry != nullptr) {
    absl::StatusOr<std::vector<bool>> d =
        abi::DonatableParameters(*entry, options.donated_parameters);
    if (!d.ok()) return d.status();
    donatable = *std::move(d);
  }
  passes::PipelineOptions pipeline_options;
  pipeline_options.evaluator = interpreter::EvaluateOp;
  std::unique_ptr<passes::PassManager> pm;
  if (options.optimization_level > 0) {
    pm = passes::StandardPipeline(pipeline_options);
  } else {
    absl::StatusOr<std::unique_ptr<passes::PassManager>> parsed =
        passes::ParsePipeline("inline", pipeline_options);
    if (!parsed.ok()) return parsed.status();
    pm = *std::move(parsed);
  }
  if (absl::StatusOr<bool> changed = pm->Run(*module); !changed.ok()) {
    return changed.status();
  }
  if (options.optimization_level > 0) {
    ir::Function* entry = module->LookupFunction(options.entry);
    if (entry != nullptr && entry->body().num_blocks() == 1) {
      ASSIGN_OR_RETURN(int moved, RewriteLayoutsForFusion(*entry->entry()));
      // Transposes that now meet compose, unused layout ops go.
      if (moved > 0) {
        absl::StatusOr<bool> changed =
            passes::CreateCanonicalizePass()->Run(*module);
        if (!changed.ok()) return changed.status();
      }
    }
  }
  for (bool fuse : {true, false}) {
    auto program = std::unique_ptr<Program>(new Program());
    program->module_ = std::move(module);
    ProgramBuilder builder(program.get(), options, fuse);
    absl::Status s = builder.Build();
    if (s.ok()) {
      program->donatable_ = donatable;
      return program;
    }
    if (!fuse || !absl::StartsWith(s.message(), kFusionFailed)) return s;
    module = std::move(program->module_);
  }
  return absl::InternalError("unreachable");
}

}  // namespace backplane::cpu
