// stablehlo.select and stablehlo.clamp. Both accept a 0-dimensional tensor
// in place of a full-shape one for the predicate (select) or the bounds
// (clamp), as the spec allows.
//
//   absl::StatusOr<ir::Literal> r = Select(pred, on_true, on_false);
//   absl::StatusOr<ir::Literal> c = Clamp(lo, x, hi);  // min(max(x, lo), hi)
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_SELECT_CLAMP_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_SELECT_CLAMP_H_

#include "absl/status/statusor.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::elementwise {

// result[i] = pred[i] ? on_true[i] : on_false[i]; pred is i1, either
// 0-dimensional or of on_true's shape.
absl::StatusOr<ir::Literal> Select(const ir::Literal& pred,
                                   const ir::Literal& on_true,
                                   const ir::Literal& on_false);

// result[i] = minimum(maximum(operand[i], min[i]), max[i]) with the
// maximum/minimum semantics of binary.h (NaN propagates). min and max are
// 0-dimensional or of operand's shape, with operand's element type.
absl::StatusOr<ir::Literal> Clamp(const ir::Literal& min,
                                  const ir::Literal& operand,
                                  const ir::Literal& max);

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_SELECT_CLAMP_H_
