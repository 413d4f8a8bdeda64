// Canonicalisation and algebraic simplification: local rewrites that make
// the program smaller without changing any result, followed by removal of
// every dead op (the ones the rewrites orphaned and any others).
//
//   absl::StatusOr<bool> changed = CreateCanonicalizePass()->Run(module);
//
// Rewrites (x, y values; c a constant or a broadcast/reshape of one):
//   x + 0 -> x, x - 0 -> x, x * 1 -> x, x * 0 -> 0, x - x -> 0,
//     x & x, x | x, max(x,x), min(x,x) -> x, x ^ x -> 0, x & ~0 -> x,
//     x | 0, x ^ 0 -> x, x & 0 -> 0, x | ~0 -> ~0      (integers and i1)
//   x + (-0.0) -> x, x - (+0.0) -> x, x * 1.0 -> x          (floats)
//   negate(negate(x)) -> x, not(not(x)) -> x
//   select(c, a, b) -> a or b for a splat predicate; select(p, a, a) -> a
//   convert/reshape/slice/pad/reverse/transpose/broadcast_in_dim that
//     change nothing -> operand; concatenate of one operand -> operand
//   reshape(reshape(x)) -> reshape(x); transpose(transpose(x)) and
//     broadcast_in_dim(broadcast_in_dim(x)) -> one op; reshape(constant)
//     -> constant (when small)
//   compare(x, x) for integers -> splat; compare(c1, c2) -> constant
//   get_tuple_element(tuple(...)) -> element
//
// Floating point: only rewrites that are exact for every input under IEEE
// 754 are applied. x + 0.0 is not x (it turns -0.0 into +0.0) but
// x + (-0.0) is; likewise x - (+0.0). x * 1.0 is x. x * 0.0 is not 0
// (NaN, infinities, -0.0), and x - x is not 0 (NaN, infinities), so those
// stay integer-only. The one residual difference is that an arithmetic op
// quiets a signalling NaN, which the rewritten program no longer does;
// StableHLO does not distinguish NaN payloads, so we accept that. Complex
// numbers get none of the arithmetic rewrites (x * (1+0i) is not x when a
// part is infinite).
#ifndef BACKPLANE_COMPILER_PASSES_CANONICALIZE_H_
#define BACKPLANE_COMPILER_PASSES_CANONICALIZE_H_

#include <cstdint>
#include <memory>

#include "compiler/passes/pass.h"

namespace backplane::passes {

struct CanonicalizeOptions {
  // New constants (a folded compare, a reshaped constant, a splat zero)
  // larger than this are not materialised; splats become a broadcast of a
  // scalar instead.
  int64_t max_constant_bytes = int64_t{1} << 20;
  // Sweeps over each function before giving up on reaching a fixed point.
  int max_sweeps = 16;
};

std::unique_ptr<Pass> CreateCanonicalizePass(CanonicalizeOptions options = {});

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_CANONICALIZE_H_
