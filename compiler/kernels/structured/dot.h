// stablehlo.dot_general: batched matrix products with batch and contracting
// dimensions in any positions.
//
//   DotDimensionNumbers dn;
//   dn.lhs_contracting = {1};
//   dn.rhs_contracting = {0};
//   absl::StatusOr<ir::Literal> c = DotGeneral(a, b, dn);  // matmul
//
// Result dimensions are: batch dims, lhs free dims, rhs free dims (each in
// operand order). Without `result_type` both operands must share one
// element type, which is also the result type; with it, the operands are
// first promoted to it (promote.h), e.g. bf16 x bf16 -> f32 or
// i8 x i8 -> i32. Accumulation: f32 for f16/bf16/f8 (rounded once at the
// end), native otherwise; integers wrap around; pred is or-of-ands.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_DOT_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_DOT_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

struct DotDimensionNumbers {
  std::vector<int64_t> lhs_batch;
  std::vector<int64_t> rhs_batch;
  std::vector<int64_t> lhs_contracting;
  std::vector<int64_t> rhs_contracting;
};

absl::StatusOr<ir::Literal> DotGeneral(
    const ir::Literal& lhs, const ir::Literal& rhs,
    const DotDimensionNumbers& dims,
    std::optional<ir::ElementType> result_type = std::nullopt);

// Batched product of canonical operands, the building block of DotGeneral
// and Convolution: for each b < batch, out[b] (m x n, row-major) =
// lhs[b] (m x k) * rhs[b] (k x n). Operand element (b, i, p) of lhs is at
// b * lhs_batch_stride + i * lhs_row_stride + p * lhs_col_stride (rhs
// likewise). All three share `type`; `out` is overwritten.
absl::Status BatchedMatMul(ir::ElementType type, int64_t batch, int64_t m,
                           int64_t n, int64_t k, const uint8_t* lhs,
                           int64_t lhs_batch_stride, int64_t lhs_row_stride,
                           int64_t lhs_col_stride, const uint8_t* rhs,
                           int64_t rhs_batch_stride, int64_t rhs_row_stride,
                           int64_t rhs_col_stride, uint8_t* out);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_DOT_H_
