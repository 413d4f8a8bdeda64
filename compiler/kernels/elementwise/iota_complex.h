// Small constructors and projections: stablehlo.iota, stablehlo.complex,
// stablehlo.real, stablehlo.imag, stablehlo.is_finite and chlo.is_inf /
// is_neg_inf / is_pos_inf.
//
//   absl::StatusOr<ir::Literal> i =
//       Iota(ir::TensorType(ElementType::kS32, {2, 3}), /*iota_dimension=*/1);
//   absl::StatusOr<ir::Literal> z = Complex(re, im);   // f32 -> complex<f32>
//   absl::StatusOr<ir::Literal> f = IsFinite(x);       // i1
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_IOTA_COMPLEX_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_IOTA_COMPLEX_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::elementwise {

// result[i0, ..., iR-1] = convert(i_d) with d = iota_dimension. The shape is
// validated (non-negative, bounded size) since it may come from a program.
absl::StatusOr<ir::Literal> Iota(const ir::TensorType& type,
                                 int64_t iota_dimension);

// Builds complex<f32>/complex<f64> from two f32/f64 tensors of equal type.
absl::StatusOr<ir::Literal> Complex(const ir::Literal& real,
                                    const ir::Literal& imag);

// Real and imaginary parts; for a real operand, the operand itself and
// zeros respectively.
absl::StatusOr<ir::Literal> Real(const ir::Literal& x);
absl::StatusOr<ir::Literal> Imag(const ir::Literal& x);

// Float classification into i1 tensors.
enum class FloatClass { kFinite, kInf, kNegInf, kPosInf };
absl::StatusOr<ir::Literal> Classify(FloatClass what, const ir::Literal& x);
inline absl::StatusOr<ir::Literal> IsFinite(const ir::Literal& x) {
  return Classify(FloatClass::kFinite, x);
}

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_IOTA_COMPLEX_H_
