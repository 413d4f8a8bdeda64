// stablehlo.triangular_solve: solves op(a) x = b (left_side) or
// x op(a) = b for batches of triangular matrices, in double precision,
// rounding the result once to the operand type.
//
//   absl::StatusOr<ir::Literal> x = TriangularSolve(a, b, /*left_side=*/true,
//       /*lower=*/true, /*unit_diagonal=*/false, ir::Transpose::kNoTranspose);
#ifndef BACKPLANE_COMPILER_INTERPRETER_TRIANGULAR_SOLVE_H_
#define BACKPLANE_COMPILER_INTERPRETER_TRIANGULAR_SOLVE_H_

#include "absl/status/statusor.h"
#include "compiler/ir/attribute.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter {

absl::StatusOr<ir::Literal> TriangularSolve(const ir::Literal& a,
                                            const ir::Literal& b,
                                            bool left_side, bool lower,
                                            bool unit_diagonal,
                                            ir::Transpose transpose_a);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_TRIANGULAR_SOLVE_H_
