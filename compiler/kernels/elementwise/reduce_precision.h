// stablehlo.reduce_precision: rounds each float to a format with
// `exponent_bits` exponent bits and `mantissa_bits` mantissa bits (ties to
// even), then overflows to +-inf / underflows to +-0 beyond that format's
// normal range, and returns it in the original type. NaNs pass unchanged.
//
//   // f32 values as f16 would hold them (without f16 subnormals):
//   absl::StatusOr<ir::Literal> r = ReducePrecision(x, 5, 10);
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_REDUCE_PRECISION_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_REDUCE_PRECISION_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::elementwise {

// Works on the operand's own bit layout (f16, bf16, f32, f64, f8E5M2), so
// for example f16 subnormals survive ReducePrecision(x, 5, 10). f8E4M3FN has
// no infinity, so it is reduced through f32 and overflow gives NaN.
absl::StatusOr<ir::Literal> ReducePrecision(const ir::Literal& x,
                                            int32_t exponent_bits,
                                            int32_t mantissa_bits);

// The scalar step on a raw IEEE-style bit pattern with `src_exponent_bits`
// and `src_mantissa_bits` (sign bit above them). Exposed for fused loops.
uint64_t ReducePrecisionBits(uint64_t bits, int src_exponent_bits,
                             int src_mantissa_bits, int exponent_bits,
                             int mantissa_bits);

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_REDUCE_PRECISION_H_
