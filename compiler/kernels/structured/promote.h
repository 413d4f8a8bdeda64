// Element-type promotion of whole operands, for ops whose result element
// type may differ from their operands' (dot_general and convolution with a
// preferred element type, e.g. bf16 x bf16 -> f32 or i8 x i8 -> i32).
//
//   absl::StatusOr<ir::Literal> wide = PromoteElements(x,
//   ir::ElementType::kF32);
//
// Integers and pred convert exactly (sign- or zero-extended, wrapping when
// narrowing); floats convert through f64 with round-to-nearest-even; real to
// complex sets the imaginary part to 0. Complex to real and float to integer
// are rejected: they are never promotions. General `convert` lives with the
// element-wise kernels.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_PROMOTE_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_PROMOTE_H_

#include "absl/status/statusor.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

absl::StatusOr<ir::Literal> PromoteElements(const ir::Literal& x,
                                            ir::ElementType to);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_PROMOTE_H_
