#include "compiler/kernels/structured/linalg.h"

#include <cmath>
#include <complex>

#include "compiler/kernels/structured/reference_util.h"
#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;
using Complex = std::complex<double>;

Complex At(const Literal& x, int64_t i) {
  return Complex(x.GetAsDouble(i), x.GetImagAsDouble(i));
}

TEST(TriangularSolveTest, SpecExample) {
  Literal a = F32({3, 3}, {1, 0, 0, 2, 4, 0, 3, 5, 6});
  Literal b = F32({3, 3}, {2, 0, 0, 4, 8, 0, 6, 10, 12});
  TriangularSolveParams p;
  p.left_side = true;
  p.lower = true;
  p.unit_diagonal = false;
  p.transpose_a = TransposeA::kNoTranspose;
  auto r = TriangularSolve(a, b, p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ToVector<float>(*r),
            (std::vector<float>{2, 0, 0, 0, 2, 0, 0, 0, 2}));
}

// Checks op(a) x = b (or x op(a) = b) by multiplying back, for every
// combination of side, triangle, unit diagonal and transpose.
void CheckAllVariants(ElementType type, double tol) {
  const int64_t m = 5, n = 3;
  for (bool left : {true, false}) {
    for (bool lower : {true, false}) {
      for (bool unit : {false, true}) {
        for (TransposeA tr : {TransposeA::kNoTranspose, TransposeA::kTranspose,
                              TransposeA::kAdjoint}) {
          Literal a = RandomLiteral(type, {2, m, m}, 3);
          // A strong diagonal keeps the system well conditioned.
          for (int64_t bi = 0; bi < 2; ++bi)
            for (int64_t i = 0; i < m; ++i) {
              const int64_t k = (bi * m + i) * m + i;
              if (type == ElementType::kF32) a.data<float>()[k] += 4;
              if (type == ElementType::kF64) a.data<double>()[k] += 4;
              if (type == ElementType::kC64)
                a.data<std::complex<float>>()[k] += 4;
              if (type == ElementType::kC128)
                a.data<std::complex<double>>()[k] += 4;
            }
          std::vector<int64_t> bdims = {2, left ? m : n, left ? n : m};
          Literal b = RandomLiteral(type, bdims, 4);
          TriangularSolveParams p{left, lower, unit, tr};
          auto x = TriangularSolve(a, b, p);
          ASSERT_TRUE(x.ok()) << x.status();
          auto op = [&](int64_t bi, int64_t i, int64_t j) -> Complex {
            const bool t = tr != TransposeA::kNoTranspose;
            const int64_t si = t ? j : i, sj = t ? i : j;
            if (i == j && unit) return 1;
            if (lower ? si < sj : si > sj) return 0;
            Complex v = At(a, (bi * m + si) * m + sj);
            return tr == TransposeA::kAdjoint ? std::conj(v) : v;
          };
          const int64_t rows = bdims[1], cols = bdims[2];
          for (int64_t bi = 0; bi < 2; ++bi)
            for (int64_t r = 0; r < rows; ++r)
              for (int64_t c = 0; c < cols; ++c) {
                Complex s = 0;
                for (int64_t k = 0; k < m; ++k) {
                  s += left ? op(bi, r, k) * At(*x, (bi * rows + k) * cols + c)
                            : At(*x, (bi * rows + r) * cols + k) * op(bi, k, c);
                }
                Complex want = At(b, (bi * rows + r) * cols + c);
                ASSERT_NEAR(std::abs(s - want), 0, tol)
                    << "left=" << left << " lower=" << lower << " unit=" << unit
                    << " tr=" << static_cast<int>(tr);
              }
        }
      }
    }
  }
}

TEST(TriangularSolveTest, AllVariantsF32) {
  CheckAllVariants(ElementType::kF32, 1e-4);
}
TEST(TriangularSolveTest, AllVariantsF64) {
  CheckAllVariants(ElementType::kF64, 1e-12);
}
TEST(TriangularSolveTest, AllVariantsC64) {
  CheckAllVariants(ElementType::kC64, 1e-4);
}
TEST(TriangularSolveTest, AllVariantsC128) {
  CheckAllVariants(ElementType::kC128, 1e-12);
}

TEST(TriangularSolveTest, Errors) {
  Literal a = F32({2, 2}, {1, 0, 1, 1});
  EXPECT_EQ(TriangularSolve(a, F32({3, 1}, {1, 2, 3}), {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(
      TriangularSolve(F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({2, 1}, {1, 2}), {})
          .ok());
  EXPECT_FALSE(
      TriangularSolve(S32({2, 2}, {1, 0, 1, 1}), S32({2, 1}, {1, 2}), {}).ok());
}

TEST(CholeskyTest, SpecExample) {
  Literal a = F64({3, 3}, {1, 2, 3, 2, 20, 26, 3, 26, 70});
  auto l = Cholesky(a, true);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(ToVector<double>(*l),
            (std::vector<double>{1, 0, 0, 2, 4, 0, 3, 5, 6}));
  auto u = Cholesky(a, false);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(ToVector<double>(*u),
            (std::vector<double>{1, 2, 3, 0, 4, 5, 0, 0, 6}));
}

TEST(CholeskyTest, ComplexHermitianReconstructs) {
  // a = m m^H + 4 I is Hermitian positive definite.
  const int64_t n = 4;
  Literal m = RandomLiteral(ElementType::kC128, {n, n}, 9);
  Literal a(ir::TensorType(ElementType::kC128, {n, n}));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      Complex s = i == j ? 4 : 0;
      for (int64_t k = 0; k < n; ++k)
        s += At(m, i * n + k) * std::conj(At(m, j * n + k));
      a.data<Complex>()[i * n + j] = s;
    }
  for (bool lower : {true, false}) {
    auto f = Cholesky(a, lower);
    ASSERT_TRUE(f.ok());
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) {
        Complex s = 0;
        for (int64_t k = 0; k < n; ++k) {
          s += lower ? At(*f, i * n + k) * std::conj(At(*f, j * n + k))
                     : std::conj(At(*f, k * n + i)) * At(*f, k * n + j);
        }
        ASSERT_NEAR(std::abs(s - a.data<Complex>()[i * n + j]), 0, 1e-10);
      }
  }
}

TEST(CholeskyTest, NotPositiveDefiniteGivesNaNAndErrors) {
  Literal a = F32({2, 2}, {-1, 0, 0, 1});
  auto l = Cholesky(a, true);
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(std::isnan(l->data<float>()[0]));
  EXPECT_FALSE(Cholesky(F32({2, 3}, {1, 2, 3, 4, 5, 6}), true).ok());
  EXPECT_FALSE(Cholesky(S32({1, 1}, {1}), true).ok());
}

}  // namespace
}  // namespace backplane::kernels::structured
