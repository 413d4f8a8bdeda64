// Element-wise unary kernels (stablehlo abs ... tanh and the chlo math ops).
//
//   absl::StatusOr<ir::Literal> y = Unary(UnaryOp::kExponential, x);
//   // Allocation-free form for plugins; `out` may be `x` itself:
//   absl::Status s = UnaryInto(UnaryOp::kNegate, ElementType::kF32, n, x, out);
//
// The result has x's type, except abs of a complex tensor, whose elements
// are the real component type (see UnaryResultType).
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_UNARY_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_UNARY_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/literal.h"
#include "compiler/kernels/elementwise/ops.h"

namespace backplane::kernels::elementwise {

// Element type of op's result for an operand of element type `type`.
ir::ElementType UnaryResultType(UnaryOp op, ir::ElementType type);

absl::StatusOr<ir::Literal> Unary(UnaryOp op, const ir::Literal& x);

// Applies `op` to `count` elements of `type` stored at `x` (as element_type.h
// describes) and writes them to `out`, which holds `count` elements of
// UnaryResultType(op, type). `out == x` is allowed; partial overlap is not.
absl::Status UnaryInto(UnaryOp op, ir::ElementType type, int64_t count,
                       const void* x, void* out);

// How close transcendental results must be to the correctly rounded ones.
// kCorrectlyRounded is what the interpreter computes (every kernel here).
// kFast lets a plugin take faster approximations where they exist: f32
// exponential within 1 ulp (scalar_ops.h FastExpF32); every other op and
// type is computed as with kCorrectlyRounded.
enum class MathAccuracy { kCorrectlyRounded, kFast };

// The typed loop UnaryInto runs, resolved once (see ResolveBinaryLoop);
// buffers are not checked.
using UnaryLoopFn = void (*)(const void* x, void* out, int64_t count);
absl::StatusOr<UnaryLoopFn> ResolveUnaryLoop(
    UnaryOp op, ir::ElementType type,
    MathAccuracy accuracy = MathAccuracy::kCorrectlyRounded);

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_UNARY_H_
