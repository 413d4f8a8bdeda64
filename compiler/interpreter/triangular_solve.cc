#include "compiler/interpreter/triangular_solve.h"

#include <complex>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "compiler/kernels/elementwise/convert.h"
#include "compiler/kernels/elementwise/iota_complex.h"

namespace backplane::interpreter {
namespace {

using Complex = std::complex<double>;

absl::StatusOr<std::vector<Complex>> ToComplex(const ir::Literal& x) {
  std::vector<Complex> out(x.element_count());
  if (ir::IsComplex(x.element_type())) {
    for (int64_t i = 0; i < x.element_count(); ++i) {
      out[i] = Complex(x.GetAsDouble(i), x.GetImagAsDouble(i));
    }
  } else {
    for (int64_t i = 0; i < x.element_count(); ++i) out[i] = x.GetAsDouble(i);
  }
  return out;
}

}  // namespace

absl::StatusOr<ir::Literal> TriangularSolve(const ir::Literal& a,
                                            const ir::Literal& b,
                                            bool left_side, bool lower,
                                            bool unit_diagonal,
                                            ir::Transpose transpose_a) {
  const ir::ElementType type = a.element_type();
  if (type != b.element_type() || !(ir::IsFloat(type) || ir::IsComplex(type))) {
    return absl::InvalidArgumentError(
        "triangular_solve: operands must share one float or complex type");
  }
  const int64_t rank = a.type().rank();
  if (rank < 2 || b.type().rank() != rank) {
    return absl::InvalidArgumentError("triangular_solve: bad operand ranks");
  }
  const int64_t m = a.dims()[rank - 1];
  if (a.dims()[rank - 2] != m) {
    return absl::InvalidArgumentError("triangular_solve: a must be square");
  }
  const int64_t br = b.dims()[rank - 2];
  const int64_t bc = b.dims()[rank - 1];
  if ((left_side ? br : bc) != m) {
    return absl::InvalidArgumentError(
        "triangular_solve: b's dimensions do not match a");
  }
  for (int64_t d = 0; d < rank - 2; ++d) {
    if (a.dims()[d] != b.dims()[d]) {
      return absl::InvalidArgumentError(
          "triangular_solve: batch dimensions differ");
    }
  }
  absl::StatusOr<std::vector<Complex>> av = ToComplex(a);
  absl::StatusOr<std::vector<Complex>> bv = ToComplex(b);
  if (!av.ok()) return av.status();
  if (!bv.ok()) return bv.status();
  const int64_t batch = m == 0 ? 0 : a.element_count() / (m * m);
  std::vector<Complex> op(m * m);
  std::vector<Complex> x(br * bc);
  for (int64_t k = 0; k < batch; ++k) {
    const Complex* am = av->data() + k * m * m;
    // op = op(triangle of a).
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < m; ++j) {
        Complex v = 0;
        const bool in_triangle = lower ? j <= i : j >= i;
        if (i == j && unit_diagonal) {
          v = 1;
        } else if (in_triangle) {
          v = am[i * m + j];
        }
        switch (transpose_a) {
          case ir::Transpose::kTranspose:
            op[j * m + i] = v;
            break;
          case ir::Transpose::kAdjoint:
            op[j * m + i] = std::conj(v);
            break;
          default:
            op[i * m + j] = v;
        }
      }
    }
    const bool op_lower = (transpose_a == ir::Transpose::kTranspose ||
                           transpose_a == ir::Transpose::kAdjoint)
                              ? !lower
                              : lower;
    Complex* bm = bv->data() + k * br * bc;
    if (left_side) {
      // op x = b, column by column.
      for (int64_t c = 0; c < bc; ++c) {
        for (int64_t s = 0; s < m; ++s) {
          const int64_t i = op_lower ? s : m - 1 - s;
          Complex sum = bm[i * bc + c];
          if (op_lower) {
            for (int64_t j = 0; j < i; ++j)
              sum -= op[i * m + j] * x[j * bc + c];
          } else {
            for (int64_t j = i + 1; j < m; ++j) {
              sum -= op[i * m + j] * x[j * bc + c];
            }
          }
          x[i * bc + c] = sum / op[i * m + i];
        }
      }
    } else {
      // x op = b, row by row: x[r, :] op = b[r, :].
      for (int64_t r = 0; r < br; ++r) {
        for (int64_t s = 0; s < m; ++s) {
          // For lower op, column j depends on x[r, j+1..]: go backwards.
          const int64_t j = op_lower ? m - 1 - s : s;
          Complex sum = bm[r * bc + j];
          if (op_lower) {
            for (int64_t i = j + 1; i < m; ++i)
              sum -= x[r * bc + i] * op[i * m + j];
          } else {
            for (int64_t i = 0; i < j; ++i)
              sum -= x[r * bc + i] * op[i * m + j];
          }
          x[r * bc + j] = sum / op[j * m + j];
        }
      }
    }
    for (int64_t i = 0; i < br * bc; ++i) bm[i] = x[i];
  }
  // Round once to the operand type.
  ir::Literal wide(ir::TensorType(ir::ElementType::kC128, b.dims()));
  auto dst = wide.data<std::complex<double>>();
  for (size_t i = 0; i < bv->size(); ++i) dst[i] = (*bv)[i];
  if (ir::IsComplex(type)) return kernels::Convert(wide, type);
  absl::StatusOr<ir::Literal> real = kernels::Real(wide);
  if (!real.ok()) return real.status();
  return kernels::Convert(*real, type);
}

}  // namespace backplane::interpreter
