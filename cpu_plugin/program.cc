#include "cpu_plugin/program.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "compiler/passes/pipeline.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/onednn_thunks.h"

namespace backplane::cpu {

using ir::OpCode;

namespace {
constexpr int64_t kAlignment = 64;
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
    absl::MutexLock lock(&arena_mu_);
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
  absl::MutexLock lock(&arena_mu_);
  free_arenas_.push_back(std::move(arena));
}

std::vector<std::string> Program::ThunkKinds() const {
  std::vector<std::string> kinds;
  for (const auto& t : thunks_) kinds.push_back(t->kind());
  return kinds;
}

absl::Status Program::Run(absl::Span<const void* const> arguments,
                          absl::Span<void* const> results,
                          int64_t replica_id) const {
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
    status = thunk->Run(ctx);
    if (!status.ok()) break;
  }
  if (arena != nullptr) ReleaseArena(std::move(arena));
  return status;
}

// Lowers the entry function of a module into a Program.
class ProgramBuilder {
 public:
  ProgramBuilder(Program* program, const ProgramOptions& options)
      : p_(program), options_(options) {}

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
    absl::StatusOr<std::unique_ptr<Thunk>> thunk = MakeInterpretFunctionThunk(
        *p_->module_, fn.name(), std::move(params), std::move(results));
    if (!thunk.ok()) return thunk.status();
    p_->thunks_.push_back(*std::move(thunk));
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
    const OneDnnOptions dnn{options_.matmul_precision ==
                            MatmulPrecision::kBf16};
    int index = 0;
    const ir::Op* terminator = nullptr;
    for (const auto& op_ptr : block.ops()) {
      const ir::Op& op = *op_ptr;
      ++index;
      for (const ir::Value* v : op.operands()) {
        const int root = root_[slot_of_.at(v)];
        last_use_[root] = std::max(last_use_[root], index);
      }
      if (op.code() == OpCode::kFuncReturn || op.code() == OpCode::kReturn) {
        terminator = &op;
        continue;
      }
      if (op.code() == OpCode::kConstant) {
        const ir::Literal* literal = ConstantOf(op.result(0));
        if (literal == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat(interpreter::LocationString(op),
                           ": constant without a dense value"));
        }
        const int slot = NewSlot(Program::SlotKind::kConstant, 0);
        p_->slots_[slot].constant = literal->untyped_data();
        p_->constant_bytes_ += literal->byte_size();
        slot_of_[op.result(0)] = slot;
        continue;
      }
      if (op.code() == OpCode::kReshape) {
        // Same bytes, new type: an alias, no thunk.
        const int from = slot_of_.at(op.operand(0));
        const int slot = NewSlot(Program::SlotKind::kAlias, from);
        root_[slot] = root_[from];
        slot_of_[op.result(0)] = slot;
        continue;
      }
      std::vector<BufferRef> operands;
      for (const ir::Value* v : op.operands()) operands.push_back(Ref(v));
      std::vector<BufferRef> results;
      for (int r = 0; r < op.num_results(); ++r) {
        const int slot = NewSlot(Program::SlotKind::kTemp, 0);
        def_[slot] = index;
        last_use_[slot] = index;
        slot_of_[op.result(r)] = slot;
        bytes_[slot] = op.result(r)->type().tensor().byte_size();
        results.push_back(Ref(op.result(r)));
      }
      absl::StatusOr<std::unique_ptr<Thunk>> thunk =
          Lower(op, operands, results, dnn);
      if (!thunk.ok()) return thunk.status();
      p_->thunks_.push_back(*std::move(thunk));
    }
    if (terminator == nullptr) {
      return absl::InvalidArgumentError("the entry function has no return");
    }
    // Results: computed temporaries become the result buffers themselves;
    // parameters, constants, aliases and repeated values are copied.
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
      case OpCode::kDotGeneral: {
        absl::StatusOr<std::unique_ptr<Thunk>> t =
            MakeOneDnnDot(op, operands[0], operands[1], results[0],
                          ConstantOf(op.operand(1)), Epilogue(), dnn);
        if (!t.ok() || *t != nullptr) return t;
        break;
      }
      case OpCode::kConvolution: {
        absl::StatusOr<std::unique_ptr<Thunk>> t =
            MakeOneDnnConvolution(op, operands[0], operands[1], results[0],
                                  ConstantOf(op.operand(1)), Epilogue(), dnn);
        if (!t.ok() || *t != nullptr) return t;
        break;
      }
      case OpCode::kReduceWindow: {
        if (operands.size() != 2) break;
        absl::StatusOr<std::unique_ptr<Thunk>> t =
            MakeOneDnnPooling(op, operands[0], results[0], dnn);
        if (!t.ok() || *t != nullptr) return t;
        break;
      }
      default:
        break;
    }
    if (auto check = MakeCheckThunk(op, operands); check.has_value()) {
      return *std::move(check);
    }
    if (results.size() == 1) {
      if (auto e = MakeElementwiseThunk(op, operands, results[0]);
          e.has_value()) {
        return *std::move(e);
      }
    }
    return MakeGenericOpThunk(&op, operands, results);
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
  if (absl::Status s = ir::VerifyModule(*module); !s.ok()) return s;
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
  auto program = std::unique_ptr<Program>(new Program());
  program->module_ = std::move(module);
  ProgramBuilder builder(program.get(), options);
  if (absl::Status s = builder.Build(); !s.ok()) return s;
  return program;
}

}  // namespace backplane::cpu
