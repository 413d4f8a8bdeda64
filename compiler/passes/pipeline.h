// Named passes and pipelines: how a plugin picks its optimisations.
//
//   PipelineOptions options;
//   options.evaluator = interpreter::EvaluateOp;  // compiler/interpreter
//   absl::StatusOr<std::unique_ptr<PassManager>> pm =
//       ParsePipeline("chlo-decompose,inline,(canonicalize,constant-fold)*8,"
//                     "cse,dce", options);
//   std::unique_ptr<PassManager> standard = StandardPipeline(options);
//
// Pass names: inline, canonicalize, constant-fold, cse, dce, chlo-decompose.
// A parenthesised group followed by `*N` runs as a fixed point of at most N
// rounds. PassManager::Describe() prints a pipeline in this syntax.
#ifndef BACKPLANE_COMPILER_PASSES_PIPELINE_H_
#define BACKPLANE_COMPILER_PASSES_PIPELINE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/passes/constant_fold.h"
#include "compiler/passes/pass_manager.h"

namespace backplane::passes {

struct PipelineOptions {
  // Needed by constant-fold; without it StandardPipeline leaves folding out
  // and ParsePipeline rejects "constant-fold".
  ConstantEvaluator evaluator;
  // Rounds of the canonicalize/fold/CSE fixed point in StandardPipeline.
  int max_iterations = 8;
  // Run after every pass that changed the module when set.
  Verifier verifier;
};

// The names CreatePassByName accepts.
std::vector<std::string> RegisteredPassNames();

absl::StatusOr<std::unique_ptr<Pass>> CreatePassByName(
    absl::string_view name, const PipelineOptions& options);

// inline, then (canonicalize, constant-fold, cse) to a fixed point, then
// dce. CSE sits inside the loop because merged ops expose new
// simplifications (x - y with y a duplicate of x becomes x - x).
std::unique_ptr<PassManager> StandardPipeline(const PipelineOptions& options);

absl::StatusOr<std::unique_ptr<PassManager>> ParsePipeline(
    absl::string_view spec, const PipelineOptions& options);

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_PIPELINE_H_
