#include "compiler/kernels/structured/linalg.h"

#include <cmath>
#include <complex>
#include <vector>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {
namespace {

template <typename V>
V Conj(V v) {
  return v;
}
template <typename R>
std::complex<R> Conj(std::complex<R> v) {
  return std::conj(v);
}
template <typename V>
double RealPart(V v) {
  return static_cast<double>(v);
}
template <typename R>
double RealPart(std::complex<R> v) {
  return static_cast<double>(v.real());
}

// Solves and factorisations run in double precision for f32/c64 (and
// narrower) inputs and round once at the end: substitution errors compound
// along the matrix, and the extra precision costs little here.
template <typename A>
struct WideOf {
  using type = A;
};
template <>
struct WideOf<float> {
  using type = double;
};
template <>
struct WideOf<std::complex<float>> {
  using type = std::complex<double>;
};

absl::Status CheckFloating(absl::string_view op, const ir::Literal& x) {
  if (!ir::IsFloat(x.element_type()) && !ir::IsComplex(x.element_type())) {
    return OpError(op, "operand ", x.type().ToString(),
                   " must be floating-point or complex");
  }
  return absl::OkStatus();
}

template <typename T>
void SolveTyped(const ir::Literal& a_lit, const ir::Literal& b_lit,
                const TriangularSolveParams& p, int64_t batch, int64_t m,
                int64_t rows, int64_t cols, ir::Literal& out) {
  using Acc = typename WideOf<typename T::Acc>::type;
  using Storage = typename T::Storage;
  const Storage* a_all = a_lit.data<Storage>().data();
  const Storage* b_all = b_lit.data<Storage>().data();
  Storage* x_all = out.data<Storage>().data();
  // op(a) restricted to the referenced triangle, as a dense matrix.
  const bool trans = p.transpose_a != TransposeA::kNoTranspose;
  const bool lower = p.lower != trans;  // Triangle of op(a).
  std::vector<Acc> op(static_cast<size_t>(m * m));
  std::vector<Acc> x(static_cast<size_t>(rows * cols));
  for (int64_t bi = 0; bi < batch; ++bi) {
    const Storage* a = a_all + bi * m * m;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < m; ++j) {
        // op(a)[i][j] = a[i][j], a[j][i] or conj(a[j][i]).
        const int64_t si = trans ? j : i, sj = trans ? i : j;
        const bool in_triangle = p.lower ? si >= sj : si <= sj;
        Acc v = in_triangle ? Acc(T::Load(a[si * m + sj])) : Acc(T::Zero());
        if (p.transpose_a == TransposeA::kAdjoint) v = Conj(v);
        if (i == j && p.unit_diagonal) v = Acc(T::One());
        op[i * m + j] = v;
      }
    }
    const Storage* b = b_all + bi * rows * cols;
    for (int64_t i = 0; i < rows * cols; ++i) x[i] = Acc(T::Load(b[i]));
    if (p.left_side) {
      // op(a) (m x m) * X (m x cols) = B: substitute row by row.
      for (int64_t step = 0; step < m; ++step) {
        const int64_t i = lower ? step : m - 1 - step;
        Acc* xi = x.data() + i * cols;
        const int64_t k0 = lower ? 0 : i + 1, k1 = lower ? i : m;
        for (int64_t k = k0; k < k1; ++k) {
          const Acc f = op[i * m + k];
          const Acc* xk = x.data() + k * cols;
          for (int64_t c = 0; c < cols; ++c) xi[c] -= f * xk[c];
        }
        const Acc d = op[i * m + i];
        for (int64_t c = 0; c < cols; ++c) xi[c] /= d;
      }
    } else {
      // X (rows x m) * op(a) = B: column j of X depends on columns after
      // it (lower) or before it (upper).
      for (int64_t r = 0; r < rows; ++r) {
        Acc* xr = x.data() + r * m;
        for (int64_t step = 0; step < m; ++step) {
          const int64_t j = lower ? m - 1 - step : step;
          Acc s = xr[j];
          const int64_t k0 = lower ? j + 1 : 0, k1 = lower ? m : j;
          for (int64_t k = k0; k < k1; ++k) s -= xr[k] * op[k * m + j];
          xr[j] = s / op[j * m + j];
        }
      }
    }
    Storage* dst = x_all + bi * rows * cols;
    for (int64_t i = 0; i < rows * cols; ++i) {
      dst[i] = T::Store(static_cast<typename T::Acc>(x[i]));
    }
  }
}

template <typename T>
void CholeskyTyped(const ir::Literal& a_lit, bool lower, int64_t batch,
                   int64_t n, ir::Literal& out) {
  using Acc = typename WideOf<typename T::Acc>::type;
  using Storage = typename T::Storage;
  const Storage* a_all = a_lit.data<Storage>().data();
  Storage* out_all = out.data<Storage>().data();
  std::vector<Acc> l(static_cast<size_t>(n * n));
  for (int64_t bi = 0; bi < batch; ++bi) {
    const Storage* a = a_all + bi * n * n;
    // The lower triangle of the Hermitian matrix, from whichever triangle
    // the caller chose.
    auto at = [&](int64_t i, int64_t j) -> Acc {
      return lower ? Acc(T::Load(a[i * n + j]))
                   : Acc(Conj(T::Load(a[j * n + i])));
    };
    std::fill(l.begin(), l.end(), Acc(T::Zero()));
    for (int64_t j = 0; j < n; ++j) {
      Acc d = at(j, j);
      for (int64_t k = 0; k < j; ++k) d -= l[j * n + k] * Conj(l[j * n + k]);
      const Acc diag = static_cast<Acc>(std::sqrt(RealPart(d)));
      l[j * n + j] = diag;
      for (int64_t i = j + 1; i < n; ++i) {
        Acc s = at(i, j);
        for (int64_t k = 0; k < j; ++k) s -= l[i * n + k] * Conj(l[j * n + k]);
        l[i * n + j] = s / diag;
      }
    }
    Storage* dst = out_all + bi * n * n;
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        dst[i * n + j] = T::Store(static_cast<typename T::Acc>(
            lower ? l[i * n + j] : Conj(l[j * n + i])));
      }
    }
  }
}

}  // namespace

absl::StatusOr<ir::Literal> TriangularSolve(const ir::Literal& a,
                                            const ir::Literal& b,
                                            const TriangularSolveParams& p) {
  constexpr absl::string_view kOp = "triangular_solve";
  RETURN_IF_ERROR(CheckFloating(kOp, a));
  const int64_t rank = a.type().rank();
  if (a.element_type() != b.element_type() || b.type().rank() != rank ||
      rank < 2) {
    return OpError(kOp, "a ", a.type().ToString(), " and b ",
                   b.type().ToString(),
                   " must share element type and rank (>= 2)");
  }
  const int64_t m = a.dims()[rank - 1];
  if (a.dims()[rank - 2] != m) {
    return OpError(kOp, "a ", a.type().ToString(), " must be square");
  }
  int64_t batch = 1;
  for (int64_t d = 0; d < rank - 2; ++d) {
    if (a.dims()[d] != b.dims()[d]) {
      return OpError(kOp, "batch dimensions of a ", a.type().ToString(),
                     " and b ", b.type().ToString(), " differ");
    }
    batch *= a.dims()[d];
  }
  const int64_t rows = b.dims()[rank - 2], cols = b.dims()[rank - 1];
  if ((p.left_side ? rows : cols) != m) {
    return OpError(kOp, "b ", b.type().ToString(), " must have ", m,
                   p.left_side ? " rows (left side)" : " columns (right side)");
  }
  ir::Literal out(b.type());
  if (out.element_count() == 0) return out;
  RETURN_IF_ERROR(
      DispatchArithmetic(a.element_type(), [&](auto t) -> absl::Status {
        using T = decltype(t);
        if constexpr (T::kIsFloat || T::kIsComplex) {
          SolveTyped<T>(a, b, p, batch, m, rows, cols, out);
        }
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<ir::Literal> Cholesky(const ir::Literal& a, bool lower) {
  constexpr absl::string_view kOp = "cholesky";
  RETURN_IF_ERROR(CheckFloating(kOp, a));
  const int64_t rank = a.type().rank();
  if (rank < 2 || a.dims()[rank - 1] != a.dims()[rank - 2]) {
    return OpError(kOp, "operand ", a.type().ToString(),
                   " must be a batch of square matrices");
  }
  const int64_t n = a.dims()[rank - 1];
  ir::Literal out(a.type());
  if (out.element_count() == 0) return out;
  const int64_t batch = a.element_count() / (n * n);
  RETURN_IF_ERROR(
      DispatchArithmetic(a.element_type(), [&](auto t) -> absl::Status {
        using T = decltype(t);
        if constexpr (T::kIsFloat || T::kIsComplex) {
          CholeskyTyped<T>(a, lower, batch, n, out);
        }
        return absl::OkStatus();
      }));
  return out;
}

}  // namespace backplane::kernels::structured
