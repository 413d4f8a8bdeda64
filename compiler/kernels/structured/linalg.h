// Dense linear algebra of StableHLO: triangular_solve and cholesky, batched
// over leading dimensions, for floating-point and complex types (f32/c64
// and narrower compute in f64/c128 and round once).
//
//   TriangularSolveParams p;
//   p.left_side = true;
//   p.lower = true;
//   auto x = TriangularSolve(a, b, p);  // Solves a * x = b.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_LINALG_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_LINALG_H_

#include "absl/status/statusor.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

enum class TransposeA { kNoTranspose, kTranspose, kAdjoint };

struct TriangularSolveParams {
  bool left_side = true;  // op(a) * x = b; otherwise x * op(a) = b.
  bool lower = true;      // Which triangle of `a` is read; the other is not.
  bool unit_diagonal = false;  // Diagonal taken as 1 (not read).
  TransposeA transpose_a = TransposeA::kNoTranspose;
};

// a: [..., m, m]; b: [..., m, n] (left side) or [..., n, m] (right side).
absl::StatusOr<ir::Literal> TriangularSolve(const ir::Literal& a,
                                            const ir::Literal& b,
                                            const TriangularSolveParams& p);

// Factor of a Hermitian positive-definite [..., n, n] matrix: L with
// a = L L^H (lower) or U with a = U^H U (upper), reading only that triangle
// of `a`; the other triangle of the result is zero. Matrices that are not
// positive definite produce NaNs, as in XLA.
absl::StatusOr<ir::Literal> Cholesky(const ir::Literal& a, bool lower);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_LINALG_H_
