// Element-wise binary kernels (stablehlo add ... xor, chlo mulhi, next_after,
// polygamma, zeta). Operands must have the same type; the interpreter makes
// broadcasts explicit before calling.
//
//   absl::StatusOr<ir::Literal> sum = Binary(BinaryOp::kAdd, a, b);
//   // Allocation-free form for plugins; `out` may be `a` or `b`:
//   absl::Status s = BinaryInto(BinaryOp::kAdd, ElementType::kF32, n, a, b, a);
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_BINARY_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_BINARY_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/literal.h"
#include "compiler/kernels/elementwise/ops.h"

namespace backplane::kernels {

absl::StatusOr<ir::Literal> Binary(BinaryOp op, const ir::Literal& lhs,
                                   const ir::Literal& rhs);

// Applies `op` to `count` element pairs of `type` at `lhs` and `rhs` and
// writes `count` elements of `type` to `out`. `out` may equal `lhs` or `rhs`
// (in-place update); partial overlap is not allowed.
absl::Status BinaryInto(BinaryOp op, ir::ElementType type, int64_t count,
                        const void* lhs, const void* rhs, void* out);

}  // namespace backplane::kernels

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_BINARY_H_
