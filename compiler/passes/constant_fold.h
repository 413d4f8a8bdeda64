// Constant folding: an op whose operands are all stablehlo.constant values
// is evaluated at compile time and replaced by constants.
//
//   ConstantEvaluator eval = [](const ir::Op& op,
//                               absl::Span<const ir::Literal> operands)
//       -> absl::StatusOr<std::vector<ir::Literal>> { ... };
//   absl::StatusOr<bool> changed = CreateConstantFoldPass(eval)->Run(module);
//
// The evaluator is a callback so the pass does not depend on the
// interpreter; the interpreter's EvaluateOp is the usual choice. When the
// evaluator fails (an op it does not implement, a runtime error such as an
// out-of-range index) the op is left alone: folding is an optimisation,
// the program keeps its meaning either way.
//
// Not folded: ops with side effects, rng, replica/partition ids, custom
// calls, ops without operands (iota stays small in the IR), ops with
// non-tensor results, and any op whose results would exceed
// `max_result_bytes` in total, so that e.g. a broadcast of a scalar to 10^8
// elements stays a broadcast.
#ifndef BACKPLANE_COMPILER_PASSES_CONSTANT_FOLD_H_
#define BACKPLANE_COMPILER_PASSES_CONSTANT_FOLD_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/ir.h"
#include "compiler/passes/pass.h"

namespace backplane::passes {

// Computes the results of `op` from the values of its operands.
using ConstantEvaluator =
    std::function<absl::StatusOr<std::vector<ir::Literal>>(
        const ir::Op& op, absl::Span<const ir::Literal> operands)>;

struct ConstantFoldOptions {
  int64_t max_result_bytes = int64_t{1} << 20;
};

std::unique_ptr<Pass> CreateConstantFoldPass(ConstantEvaluator evaluator,
                                             ConstantFoldOptions options = {});

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_CONSTANT_FOLD_H_
