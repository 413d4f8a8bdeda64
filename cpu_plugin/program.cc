#include "cpu_plugin/program.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/abi/custom_calls.h"
#include "compiler/abi/donation.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "compiler/passes/canonicalize.h"
#include "compiler/passes/pipeline.h"
#include "cpu_plugin/layout_rewrites.h"
#include "cpu_plugin/program_lowering.h"

namespace backplane::cpu {

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
  auto arena = std::make_unique<Arena>(buffers_.arena_bytes + scratch_bytes_);
  if (arena->data == nullptr) return nullptr;
  return arena;
}

void Program::ReleaseArena(std::unique_ptr<Arena> arena) const {
  std::lock_guard<std::mutex> lock(arena_mu_);
  free_arenas_.push_back(std::move(arena));
}

bool Program::CanWriteResultOver(int64_t result, int64_t parameter) const {
  const BufferLayout& b = buffers_;
  if (result < 0 || result >= static_cast<int64_t>(b.result_def.size()) ||
      parameter < 0 ||
      parameter >= static_cast<int64_t>(b.parameter_last_use.size())) {
    return false;
  }
  const int def = b.result_def[result];
  const int last_use = b.parameter_last_use[parameter];
  if (def < 0 || result_types_[result].byte_size() !=
                     parameter_types_[parameter].byte_size()) {
    return false;
  }
  return last_use < def || (last_use == def && b.result_in_place[result]);
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
  if (buffers_.arena_bytes + scratch_bytes_ > 0) {
    arena = AcquireArena();
    if (arena == nullptr) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "cannot allocate ", buffers_.arena_bytes + scratch_bytes_,
          " bytes of temporaries"));
    }
  }
  const std::vector<Slot>& slots = buffers_.slots;
  absl::InlinedVector<uint8_t*, 32> table(slots.size());
  for (size_t i = 0; i < slots.size(); ++i) {
    const Slot& s = slots[i];
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
  ctx.scratch = arena == nullptr ? nullptr : arena->data + buffers_.arena_bytes;
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

absl::StatusOr<std::unique_ptr<Program>> Program::Compile(
    absl::string_view code, const ProgramOptions& options) {
  parser::ParseOptions parse_options;
  parse_options.filename = "program";
  ASSIGN_OR_RETURN(std::unique_ptr<ir::Module> module,
                   parser::ParseModule(code, parse_options));
  return CompileModule(std::move(module), options);
}

namespace {

// The shared pipeline (inlining only at optimization level 0), then the
// layout rewrites for fusion and the canonicalisation they enable.
absl::Status Optimize(ir::Module& module, const ProgramOptions& options) {
  passes::PipelineOptions pipeline_options;
  pipeline_options.evaluator = interpreter::EvaluateOp;
  std::unique_ptr<passes::PassManager> pm;
  if (options.optimization_level > 0) {
    pm = passes::StandardPipeline(pipeline_options);
  } else {
    ASSIGN_OR_RETURN(pm, passes::ParsePipeline("inline", pipeline_options));
  }
  RETURN_IF_ERROR(pm->Run(module));
  if (options.optimization_level > 0) {
    ir::Function* entry = module.LookupFunction(options.entry);
    if (entry != nullptr && entry->body().num_blocks() == 1) {
      ASSIGN_OR_RETURN(int moved, RewriteLayoutsForFusion(*entry->entry()));
      // Transposes that now meet compose, unused layout ops go.
      if (moved > 0) {
        RETURN_IF_ERROR(passes::CreateCanonicalizePass()->Run(module));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Program>> Program::CompileModule(
    std::unique_ptr<ir::Module> module, const ProgramOptions& options) {
  RETURN_IF_ERROR(ir::VerifyModule(*module));
  // Only the `check.*` targets (always accepted) have implementations here;
  // anything else must fail now, not in the middle of an execution.
  RETURN_IF_ERROR(abi::CheckCustomCallTargets(*module, "cpu"));
  std::vector<bool> donatable;
  if (const ir::Function* entry = module->LookupFunction(options.entry);
      entry != nullptr) {
    ASSIGN_OR_RETURN(donatable, abi::DonatableParameters(
                                    *entry, options.donated_parameters));
  }
  RETURN_IF_ERROR(Optimize(*module, options));
  absl::StatusOr<LoweredProgram> lowered =
      LowerProgram(*module, options, /*fuse=*/true);
  if (!lowered.ok() && IsFusionFailure(lowered.status())) {
    // A planned fusion oneDNN cannot run for some shape: lower again
    // without fusions.
    lowered = LowerProgram(*module, options, /*fuse=*/false);
  }
  ASSIGN_OR_RETURN(LoweredProgram l, std::move(lowered));
  auto program = std::unique_ptr<Program>(new Program());
  program->module_ = std::move(module);
  program->owned_constants_ = std::move(l.owned_constants);
  program->thunks_ = std::move(l.thunks);
  program->parameter_types_ = std::move(l.parameter_types);
  program->result_types_ = std::move(l.result_types);
  program->buffers_ = std::move(l.buffers);
  program->scratch_bytes_ = l.scratch_bytes;
  program->donatable_ = std::move(donatable);
  program->interpreted_ = l.interpreted;
  program->fallback_reason_ = std::move(l.fallback_reason);
  return program;
}

}  // namespace backplane::cpu
