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

namespace backplane::kernels::elementwise {

absl::StatusOr<ir::Literal> Binary(BinaryOp op, const ir::Literal& lhs,
                                   const ir::Literal& rhs);

// Applies `op` to `count` element pairs of `type` at `lhs` and `rhs` and
// writes `count` elements of `type` to `out`. `out` may equal `lhs` or `rhs`
// (in-place update); partial overlap is not allowed.
absl::Status BinaryInto(BinaryOp op, ir::ElementType type, int64_t count,
                        const void* lhs, const void* rhs, void* out);

// The typed loop BinaryInto runs, resolved once: for callers that apply the
// same op to many short runs (fused loops), without BinaryInto's per-call
// dispatch and checks. Same contract as BinaryInto; buffers are not checked.
using BinaryLoopFn = void (*)(const void* lhs, const void* rhs, void* out,
                              int64_t count);
absl::StatusOr<BinaryLoopFn> ResolveBinaryLoop(BinaryOp op,
                                               ir::ElementType type);

// Two binary ops in one pass, as fused loops meet them in polynomial
// evaluation (x * y + c): out = second(first(a, b), c), or
// second(c, first(a, b)) when `intermediate_first` is false. Each op's
// result is rounded as BinaryInto rounds it, so the values are identical
// to two passes (when two NaNs meet, which payload survives is not
// specified, here or in BinaryInto). f32 add / subtract / multiply /
// divide pairs only;
// UNIMPLEMENTED for anything else.
using BinaryPairLoopFn = void (*)(const void* a, const void* b, const void* c,
                                  void* out, int64_t count);
// With `scalar_c`, c is one element used for every i (a splat constant).
absl::StatusOr<BinaryPairLoopFn> ResolveBinaryPairLoop(BinaryOp first,
                                                       BinaryOp second,
                                                       bool intermediate_first,
                                                       ir::ElementType type,
                                                       bool scalar_c = false);

// out[i] = op(s, x[i]) when `scalar_is_lhs`, else op(x[i], s), where s is
// the one element at `scalar`: a binary op with a splat operand, reading
// one stream instead of two; values as BinaryInto's. f32 add / subtract /
// multiply / divide / maximum / minimum only; UNIMPLEMENTED otherwise.
using BinaryScalarLoopFn = void (*)(const void* x, const void* scalar,
                                    void* out, int64_t count);
absl::StatusOr<BinaryScalarLoopFn> ResolveBinaryScalarLoop(
    BinaryOp op, bool scalar_is_lhs, ir::ElementType type);

// Horner's rule as fused loops meet it in exported polynomials (erf, exp
// and tanh expansions): a chain of n multiply-add pairs
//   v = a[i]; for j < n: v = v * z[i] + c[j]; out[i] = v;
// evaluated in registers, one pass for the whole chain. Each multiply and
// add is rounded as BinaryInto rounds it (never an FMA), so the values are
// identical to 2n passes (when two NaNs meet, which payload survives is
// not specified). `out` may be `a` or `z`. f32 only; UNIMPLEMENTED for
// other types.
using MultiplyAddChainLoopFn = void (*)(const void* a, const void* z,
                                        const float* c, int n, void* out,
                                        int64_t count);
absl::StatusOr<MultiplyAddChainLoopFn> ResolveMultiplyAddChainLoop(
    ir::ElementType type);

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_BINARY_H_
