// Program: a StableHLO module compiled for the CPU: a list of thunks over a
// buffer table, with temporaries placed in one arena by liveness.
//
//   absl::Status AddOne(absl::string_view text, const std::vector<float>& x,
//                       std::vector<float>& out) {
//     ProgramOptions options;
//     options.matmul_precision = MatmulPrecision::kBf16;
//     ASSIGN_OR_RETURN(std::unique_ptr<Program> program,
//                      Program::Compile(text, options));
//     return program->Run({x.data()}, {out.data()}, /*replica_id=*/0);
//   }
//
// (compiled and run by program_test.cc's HeaderExampleRuns)
//
// Compilation: parse, verify, shared passes (inline; at optimization level
// > 0 also canonicalize / constant-fold / CSE / DCE, then the layout
// rewrites), then the lowering (program_lowering.h): the fusion plan
// (fusion_plan.h), one thunk per op that runs alone (oneDNN for dot_general
// and convolution, fused loops, kernel-library element-wise kernels, checks,
// interpreter::EvaluateOp for every other op) and the buffer assignment
// (buffer_assignment.h). When an op cannot run alone (collectives, tokens,
// regions that capture outer values), the whole function runs on the
// reference interpreter instead.
//
// The Program owns its module, its thunks and the constants they read.
// Run is thread-safe; each call uses its own arena (pooled).
#ifndef BACKPLANE_CPU_PLUGIN_PROGRAM_H_
#define BACKPLANE_CPU_PLUGIN_PROGRAM_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "cpu_plugin/buffer_assignment.h"
#include "cpu_plugin/program_options.h"
#include "cpu_plugin/thunk.h"

namespace backplane::cpu {

class Program {
 public:
  static absl::StatusOr<std::unique_ptr<Program>> Compile(
      absl::string_view code, const ProgramOptions& options);
  // Compiles an already parsed module (takes ownership).
  static absl::StatusOr<std::unique_ptr<Program>> CompileModule(
      std::unique_ptr<ir::Module> module, const ProgramOptions& options);
  ~Program();

  const std::vector<ir::TensorType>& parameter_types() const {
    return parameter_types_;
  }
  const std::vector<ir::TensorType>& result_types() const {
    return result_types_;
  }

  // Which parameters may be donated (see ProgramOptions).
  const std::vector<bool>& donatable_parameters() const { return donatable_; }
  // Whether Run may be given the same buffer for parameter `parameter` and
  // result `result` (a donated argument reused for an output): the same
  // size, and the program reads the parameter for the last time before (or
  // element-wise while) it writes the result.
  bool CanWriteResultOver(int64_t result, int64_t parameter) const;

  // `arguments[i]` holds parameter i (dense, parameter_types()[i]);
  // `results[i]` receives result i. Parameters are never written, except
  // when a result shares a parameter's buffer (CanWriteResultOver).
  absl::Status Run(absl::Span<const void* const> arguments,
                   absl::Span<void* const> results, int64_t replica_id) const;

  // Like Run, and returns the wall time of each thunk in nanoseconds (in
  // ThunkKinds() order), for profiling.
  absl::StatusOr<std::vector<int64_t>> RunProfiled(
      absl::Span<const void* const> arguments,
      absl::Span<void* const> results) const;

  // Peak bytes of temporaries of one execution (the arena size).
  int64_t temp_bytes() const { return buffers_.arena_bytes; }
  // Sum of the temporaries' sizes without reuse, to show what liveness saves.
  int64_t unshared_temp_bytes() const { return buffers_.unshared_temp_bytes; }
  int64_t constant_bytes() const { return buffers_.constant_bytes; }
  bool interpreted() const { return interpreted_; }
  // Why the program runs on the interpreter (the first op that cannot run
  // alone), or empty.
  const std::string& fallback_reason() const { return fallback_reason_; }
  // One entry per thunk, in execution order (e.g. "onednn.matmul").
  std::vector<std::string> ThunkKinds() const;

 private:
  Program() = default;

  absl::Status RunImpl(absl::Span<const void* const> arguments,
                       absl::Span<void* const> results, int64_t replica_id,
                       std::vector<int64_t>* thunk_ns) const;

  std::unique_ptr<ir::Module> module_;
  std::vector<std::unique_ptr<ir::Literal>> owned_constants_;
  std::vector<std::unique_ptr<Thunk>> thunks_;
  std::vector<ir::TensorType> parameter_types_;
  std::vector<ir::TensorType> result_types_;

  BufferLayout buffers_;
  int64_t scratch_bytes_ = 0;
  std::vector<bool> donatable_;
  bool interpreted_ = false;
  std::string fallback_reason_;

  // Arenas of finished executions, reused so steady-state runs do not
  // allocate (or fault in) fresh pages.
  struct Arena;
  std::unique_ptr<Arena> AcquireArena() const;
  void ReleaseArena(std::unique_ptr<Arena> arena) const;
  mutable std::mutex arena_mu_;
  mutable std::vector<std::unique_ptr<Arena>> free_arenas_;
};

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_PROGRAM_H_
