// stablehlo.batch_norm_inference / _training / _grad on host literals.
//
//   absl::StatusOr<ir::Literal> y = BatchNormInference(
//       x, scale, offset, mean, variance, /*epsilon=*/1e-5f, /*feature=*/1);
//
// `feature_index` names the operand dimension the 1-D scale/offset/mean/
// variance run along; every other dimension is reduced over. Element types:
// f16, bf16, f32, f64 (all operands the same). Arithmetic is done in double
// and rounded once to the element type, which is at least as accurate as the
// spec's decomposition into element-type ops.
#ifndef BACKPLANE_COMPILER_INTERPRETER_BATCH_NORM_H_
#define BACKPLANE_COMPILER_INTERPRETER_BATCH_NORM_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter {

absl::StatusOr<ir::Literal> BatchNormInference(
    const ir::Literal& operand, const ir::Literal& scale,
    const ir::Literal& offset, const ir::Literal& mean,
    const ir::Literal& variance, double epsilon, int64_t feature_index);

struct BatchNormTrainingResult {
  ir::Literal output;
  ir::Literal batch_mean;
  ir::Literal batch_var;  // Biased: divided by the element count, not n - 1.
};

absl::StatusOr<BatchNormTrainingResult> BatchNormTraining(
    const ir::Literal& operand, const ir::Literal& scale,
    const ir::Literal& offset, double epsilon, int64_t feature_index);

struct BatchNormGradResult {
  ir::Literal grad_operand;
  ir::Literal grad_scale;
  ir::Literal grad_offset;
};

absl::StatusOr<BatchNormGradResult> BatchNormGrad(
    const ir::Literal& operand, const ir::Literal& scale,
    const ir::Literal& mean, const ir::Literal& variance,
    const ir::Literal& grad_output, double epsilon, int64_t feature_index);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_BATCH_NORM_H_
