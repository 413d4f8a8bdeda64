// Matrix multiply cores used by dot_general and convolution.
//
//   GemmF32(m, n, k, a, /*a_row_stride=*/k, /*a_col_stride=*/1,
//           b, /*b_row_stride=*/n, /*b_col_stride=*/1, c);  // c = a * b
//
// Operands are addressed through (row, column) element strides, so
// transposed operands need no copy. C is dense row-major m x n and is
// overwritten.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_GEMM_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_GEMM_H_

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace backplane::kernels::structured {

// Cache-blocked f32 GEMM: panels of A and B are packed into contiguous
// buffers and a register-tiled micro-kernel (6 x 8, 6 x 16 or 6 x 32
// floats for SSE2, AVX2+FMA or AVX-512, picked once from the running CPU)
// accumulates in vector registers.
void GemmF32(int64_t m, int64_t n, int64_t k, const float* a,
             int64_t a_row_stride, int64_t a_col_stride, const float* b,
             int64_t b_row_stride, int64_t b_col_stride, float* c);

// The same for f64 (tiles of 6 x 4, 6 x 8 or 6 x 16 doubles).
void GemmF64(int64_t m, int64_t n, int64_t k, const double* a,
             int64_t a_row_stride, int64_t a_col_stride, const double* b,
             int64_t b_row_stride, int64_t b_col_stride, double* c);

// The instruction sets the packed GEMMs can use; tests run each one the
// CPU has.
enum class GemmIsa { kSse2, kAvx2, kAvx512 };
bool GemmIsaSupported(GemmIsa isa);
GemmIsa BestGemmIsa();
// GemmF32 / GemmF64 with a fixed ISA; `isa` must be supported.
void GemmF32ForIsa(GemmIsa isa, int64_t m, int64_t n, int64_t k, const float* a,
                   int64_t a_row_stride, int64_t a_col_stride, const float* b,
                   int64_t b_row_stride, int64_t b_col_stride, float* c);
void GemmF64ForIsa(GemmIsa isa, int64_t m, int64_t n, int64_t k,
                   const double* a, int64_t a_row_stride, int64_t a_col_stride,
                   const double* b, int64_t b_row_stride, int64_t b_col_stride,
                   double* c);

// Straightforward i-p-j loop nest for every other accumulation type
// (integers wrap, pred is or-of-ands, complex). `Traits` comes from
// element_traits.h.
template <typename Traits>
void GemmGeneric(int64_t m, int64_t n, int64_t k, const typename Traits::Acc* a,
                 int64_t a_row_stride, int64_t a_col_stride,
                 const typename Traits::Acc* b, int64_t b_row_stride,
                 int64_t b_col_stride, typename Traits::Acc* c) {
  using Acc = typename Traits::Acc;
  for (int64_t i = 0; i < m; ++i) {
    Acc* c_row = c + i * n;
    for (int64_t j = 0; j < n; ++j) c_row[j] = Traits::Zero();
    for (int64_t p = 0; p < k; ++p) {
      const Acc av = a[i * a_row_stride + p * a_col_stride];
      const Acc* bp = b + p * b_row_stride;
      for (int64_t j = 0; j < n; ++j) {
        c_row[j] = Traits::Add(c_row[j], Traits::Mul(av, bp[j * b_col_stride]));
      }
    }
  }
}

// Picks the fastest core for Traits::Acc: packed f32/f64, generic otherwise.
// Complex stays on the generic loop on purpose: accumulating whole complex
// products term by term rounds like XLA, while split real/imaginary planes
// re-associate the sums and drift by many ULP on cancelling outputs.
template <typename Traits>
void Gemm(int64_t m, int64_t n, int64_t k, const typename Traits::Acc* a,
          int64_t a_row_stride, int64_t a_col_stride,
          const typename Traits::Acc* b, int64_t b_row_stride,
          int64_t b_col_stride, typename Traits::Acc* c) {
  using Acc = typename Traits::Acc;
  if constexpr (std::is_same_v<Acc, float>) {
    GemmF32(m, n, k, a, a_row_stride, a_col_stride, b, b_row_stride,
            b_col_stride, c);
  } else if constexpr (std::is_same_v<Acc, double>) {
    GemmF64(m, n, k, a, a_row_stride, a_col_stride, b, b_row_stride,
            b_col_stride, c);
  } else {
    GemmGeneric<Traits>(m, n, k, a, a_row_stride, a_col_stride, b, b_row_stride,
                        b_col_stride, c);
  }
}

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_GEMM_H_
