// The matrix unit's arithmetic: dot_general and convolution computed as a
// bf16 systolic array computes them (bf16 products, f32 accumulation), with
// f32 operands split into bf16 parts and multiplied in several passes.
//
//   if (RunsOnMatrixUnit(op)) {
//     int passes = MatmulPasses(op, chip.default_matmul_precision);
//     absl::StatusOr<ir::Literal> out =
//         EvaluateOnMatrixUnit(op, lhs, rhs, passes);
//     GemmShape gemm = *MatrixOpGemmShape(op);  // for the timing model
//   }
//
// Passes (x = x0 + x1 + x2, each part a bf16 value): 1 pass is x0*y0;
// 3 passes (bf16x3, HIGH) add x1*y0 + x0*y1; 6 passes (bf16x6, HIGHEST)
// add x1*y1 + x2*y0 + x0*y2. Passes are summed smallest first in f32.
#ifndef BACKPLANE_SIM_ACCELERATOR_MATRIX_UNIT_H_
#define BACKPLANE_SIM_ACCELERATOR_MATRIX_UNIT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "sim_accelerator/chip_config.h"
#include "sim_accelerator/timing.h"

namespace backplane::sim {

// dot_general, dot or convolution whose operands are f32 or bf16 and whose
// result is f32 or bf16. Other matmuls (integers, f16, f64, complex) run on
// the vector unit.
bool RunsOnMatrixUnit(const ir::Op& op);

// 1, 3 or 6: the op's precision_config (the highest of its operands), with
// DEFAULT meaning `default_precision`. Ops whose operands are both bf16 take
// one pass whatever the precision.
int MatmulPasses(const ir::Op& op, MatmulPrecision default_precision);

// The GEMM the op maps to: dot_general M = lhs free elements, K =
// contracted elements, N = rhs free elements, count = batch elements;
// convolution M = output pixels (batch included), K = FH*FW*Cin per group,
// N = Cout per group, count = groups.
absl::StatusOr<GemmShape> MatrixOpGemmShape(const ir::Op& op);

// Splits f32 values into `parts` bf16-valued f32 tensors whose sum is the
// value (exactly for 3 parts and finite values in the normal range).
std::vector<ir::Literal> SplitIntoBf16Parts(const ir::Literal& value,
                                            int parts);

// The op's result computed with `passes` bf16 passes. `op` must satisfy
// RunsOnMatrixUnit.
absl::StatusOr<ir::Literal> EvaluateOnMatrixUnit(const ir::Op& op,
                                                 const ir::Literal& lhs,
                                                 const ir::Literal& rhs,
                                                 int passes);

}  // namespace backplane::sim

#endif  // BACKPLANE_SIM_ACCELERATOR_MATRIX_UNIT_H_
