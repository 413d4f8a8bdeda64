// CHLO decomposition: rewrites the CHLO ops that are only broadcasting or
// notation into plain StableHLO.
//
//   absl::StatusOr<bool> changed = CreateChloDecomposePass()->Run(module);
//
//   chlo.broadcast_<op>(a, b)   -> broadcast_in_dim of each operand whose
//                                  shape differs from the result, then
//                                  stablehlo.<op> (add, and, atan2, compare,
//                                  complex, divide, maximum, minimum,
//                                  multiply, or, power, remainder, select,
//                                  shift_*, subtract, xor)
//   chlo.square(x)              -> x * x            (real types; complex
//                                  squares keep their accurate kernel)
//   chlo.conj(x)                -> complex(real(x), -imag(x)); x when real
//   chlo.is_inf / is_pos_inf / is_neg_inf(x)
//                               -> compare(abs(x), +inf, EQ) / compare with
//                                  +inf / -inf
//   chlo.tan(x)                 -> stablehlo.tan(x)
//   chlo.constant               -> stablehlo.constant
//   chlo.constant_like(x)       -> splat constant shaped like x
//
// Broadcast dimensions follow CHLO: the `broadcast_dimensions` attribute
// when present, otherwise numpy-style alignment of trailing dimensions.
// The transcendental CHLO ops (erf, lgamma, digamma, ...) and those without
// a StableHLO counterpart (next_after, polygamma, zeta) are left for the
// interpreter's kernels.
#ifndef BACKPLANE_COMPILER_PASSES_CHLO_DECOMPOSE_H_
#define BACKPLANE_COMPILER_PASSES_CHLO_DECOMPOSE_H_

#include <memory>

#include "compiler/passes/pass.h"

namespace backplane::passes {

std::unique_ptr<Pass> CreateChloDecomposePass();

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_CHLO_DECOMPOSE_H_
