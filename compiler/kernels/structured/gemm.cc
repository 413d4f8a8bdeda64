#include "compiler/kernels/structured/gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace backplane::kernels::structured {
namespace {

// The register tile is kMr rows of A times kNr columns of B, held as
// kMr x 2 GCC vectors of kNr / 2 floats: 12 accumulators, enough to hide
// the add/FMA latency on two pipes, plus 2 registers of B and 1 broadcast.
// The vector width follows the ISA, chosen once at run time:
//   AVX-512: 6 x 32 (zmm), AVX2+FMA: 6 x 16 (ymm), baseline SSE2: 6 x 8.
constexpr int64_t kMr = 6;
// Cache blocks: a kKc x kNr panel of B stays in L1, a kMc x kKc block of A
// (~96 KiB) in L2, a kKc x kNc panel of B in L3.
constexpr int64_t kKc = 256;
constexpr int64_t kMc = 96;
constexpr int64_t kNc = 2048;

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
template <typename T>
using AlignedBuffer = std::unique_ptr<T[], FreeDeleter>;

template <typename T>
AlignedBuffer<T> AllocateAligned(int64_t count) {
  size_t bytes = static_cast<size_t>(count) * sizeof(T);
  bytes = (bytes + 63) / 64 * 64;
  if (bytes == 0) bytes = 64;
  return AlignedBuffer<T>(static_cast<T*>(std::aligned_alloc(64, bytes)));
}

// Packs rows [0, mc) x cols [0, kc) of A into micro-panels of kMr rows:
// panel r holds, for each p, the kMr values A(r*kMr + i, p). Rows past mc
// are zero so the micro-kernel never branches.
template <typename T>
void PackA(int64_t mc, int64_t kc, const T* a, int64_t rs, int64_t cs, T* out) {
  for (int64_t r = 0; r < mc; r += kMr) {
    const int64_t rows = std::min(kMr, mc - r);
    for (int64_t p = 0; p < kc; ++p) {
      for (int64_t i = 0; i < rows; ++i) out[i] = a[(r + i) * rs + p * cs];
      for (int64_t i = rows; i < kMr; ++i) out[i] = T(0);
      out += kMr;
    }
  }
}

// Packs rows [0, kc) x cols [0, nc) of B into micro-panels of kNr columns.
template <typename T, int64_t kNr>
void PackB(int64_t kc, int64_t nc, const T* b, int64_t rs, int64_t cs, T* out) {
  for (int64_t j = 0; j < nc; j += kNr) {
    const int64_t cols = std::min(kNr, nc - j);
    for (int64_t p = 0; p < kc; ++p) {
      const T* src = b + p * rs + j * cs;
      if (cols == kNr && cs == 1) {
        std::memcpy(out, src, sizeof(T) * kNr);
      } else {
        for (int64_t x = 0; x < cols; ++x) out[x] = src[x * cs];
        for (int64_t x = cols; x < kNr; ++x) out[x] = T(0);
      }
      out += kNr;
    }
  }
}

// tile[kMr][2 * lanes] = sum_p a_panel[p][:] (outer) b_panel[p][:], with
// V a GCC vector of `lanes` floats. Inlined into each ISA-specific wrapper
// below, so V maps onto that ISA's registers.
template <typename T, typename V>
__attribute__((always_inline)) inline void MicroKernelBody(
    int64_t kc, const T* __restrict a, const T* __restrict b,
    T* __restrict tile) {
  constexpr int64_t kLanes = sizeof(V) / sizeof(T);
  V c00 = {}, c01 = {}, c10 = {}, c11 = {}, c20 = {}, c21 = {};
  V c30 = {}, c31 = {}, c40 = {}, c41 = {}, c50 = {}, c51 = {};
  for (int64_t p = 0; p < kc; ++p) {
    V b0, b1;
    std::memcpy(&b0, b, sizeof(V));
    std::memcpy(&b1, b + kLanes, sizeof(V));
    c00 += a[0] * b0;
    c01 += a[0] * b1;
    c10 += a[1] * b0;
    c11 += a[1] * b1;
    c20 += a[2] * b0;
    c21 += a[2] * b1;
    c30 += a[3] * b0;
    c31 += a[3] * b1;
    c40 += a[4] * b0;
    c41 += a[4] * b1;
    c50 += a[5] * b0;
    c51 += a[5] * b1;
    a += kMr;
    b += 2 * kLanes;
  }
  const V* rows[kMr][2] = {{&c00, &c01}, {&c10, &c11}, {&c20, &c21},
                           {&c30, &c31}, {&c40, &c41}, {&c50, &c51}};
  for (int64_t i = 0; i < kMr; ++i) {
    std::memcpy(tile + i * 2 * kLanes, rows[i][0], sizeof(V));
    std::memcpy(tile + i * 2 * kLanes + kLanes, rows[i][1], sizeof(V));
  }
}

typedef float Vec4 __attribute__((vector_size(16)));
typedef float Vec8 __attribute__((vector_size(32)));
typedef float Vec16 __attribute__((vector_size(64)));
typedef double Vec2d __attribute__((vector_size(16)));
typedef double Vec4d __attribute__((vector_size(32)));
typedef double Vec8d __attribute__((vector_size(64)));

void KernelSse2(int64_t kc, const float* a, const float* b, float* tile) {
  MicroKernelBody<float, Vec4>(kc, a, b, tile);
}
__attribute__((target("avx2,fma"))) void KernelAvx2(int64_t kc, const float* a,
                                                    const float* b,
                                                    float* tile) {
  MicroKernelBody<float, Vec8>(kc, a, b, tile);
}
__attribute__((target("avx512f,fma"))) void KernelAvx512(int64_t kc,
                                                         const float* a,
                                                         const float* b,
                                                         float* tile) {
  MicroKernelBody<float, Vec16>(kc, a, b, tile);
}
void KernelSse2(int64_t kc, const double* a, const double* b, double* tile) {
  MicroKernelBody<double, Vec2d>(kc, a, b, tile);
}
__attribute__((target("avx2,fma"))) void KernelAvx2(int64_t kc, const double* a,
                                                    const double* b,
                                                    double* tile) {
  MicroKernelBody<double, Vec4d>(kc, a, b, tile);
}
__attribute__((target("avx512f,fma"))) void KernelAvx512(int64_t kc,
                                                         const double* a,
                                                         const double* b,
                                                         double* tile) {
  MicroKernelBody<double, Vec8d>(kc, a, b, tile);
}

template <typename T>
using KernelFn = void (*)(int64_t, const T*, const T*, T*);

template <typename T, int64_t kNr>
void GemmBlocked(KernelFn<T> kernel, int64_t m, int64_t n, int64_t k,
                 const T* a, int64_t a_row_stride, int64_t a_col_stride,
                 const T* b, int64_t b_row_stride, int64_t b_col_stride, T* c) {
  const int64_t kc_max = std::min(k, kKc);
  const int64_t nc_max = std::min(n, kNc);
  const int64_t mc_max = std::min(m, kMc);
  AlignedBuffer<T> a_pack =
      AllocateAligned<T>(((mc_max + kMr - 1) / kMr) * kMr * kc_max);
  AlignedBuffer<T> b_pack =
      AllocateAligned<T>(((nc_max + kNr - 1) / kNr) * kNr * kc_max);
  alignas(64) T tile[kMr * kNr];

  for (int64_t jc = 0; jc < n; jc += kNc) {
    const int64_t nc = std::min(kNc, n - jc);
    for (int64_t pc = 0; pc < k; pc += kKc) {
      const int64_t kc = std::min(kKc, k - pc);
      PackB<T, kNr>(kc, nc, b + pc * b_row_stride + jc * b_col_stride,
                    b_row_stride, b_col_stride, b_pack.get());
      for (int64_t ic = 0; ic < m; ic += kMc) {
        const int64_t mc = std::min(kMc, m - ic);
        PackA(mc, kc, a + ic * a_row_stride + pc * a_col_stride, a_row_stride,
              a_col_stride, a_pack.get());
        for (int64_t jr = 0; jr < nc; jr += kNr) {
          const int64_t cols = std::min(kNr, nc - jr);
          const T* bp = b_pack.get() + jr * kc;
          for (int64_t ir = 0; ir < mc; ir += kMr) {
            const int64_t rows = std::min(kMr, mc - ir);
            kernel(kc, a_pack.get() + ir * kc, bp, tile);
            T* c_tile = c + (ic + ir) * n + jc + jr;
            for (int64_t i = 0; i < rows; ++i) {
              T* c_row = c_tile + i * n;
              const T* t_row = tile + i * kNr;
              for (int64_t j = 0; j < cols; ++j) c_row[j] += t_row[j];
            }
          }
        }
      }
    }
  }
}

}  // namespace

bool GemmIsaSupported(GemmIsa isa) {
  __builtin_cpu_init();
  switch (isa) {
    case GemmIsa::kAvx512:
      return __builtin_cpu_supports("avx512f");
    case GemmIsa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case GemmIsa::kSse2:
      return true;
  }
  return false;
}

GemmIsa BestGemmIsa() {
  static const GemmIsa isa =
      GemmIsaSupported(GemmIsa::kAvx512) ? GemmIsa::kAvx512
      : GemmIsaSupported(GemmIsa::kAvx2) ? GemmIsa::kAvx2
                                         : GemmIsa::kSse2;
  return isa;
}

namespace {

// Lanes per vector register, per element type and ISA; the tile is kMr x
// (2 * lanes).
template <typename T>
void GemmForIsa(GemmIsa isa, int64_t m, int64_t n, int64_t k, const T* a,
                int64_t a_row_stride, int64_t a_col_stride, const T* b,
                int64_t b_row_stride, int64_t b_col_stride, T* c) {
  if (m <= 0 || n <= 0) return;
  std::fill(c, c + m * n, T(0));
  if (k <= 0) return;
  constexpr int64_t kWide = 64 / sizeof(T);  // Floats per zmm.
  switch (isa) {
    case GemmIsa::kAvx512:
      return GemmBlocked<T, 2 * kWide>(KernelAvx512, m, n, k, a, a_row_stride,
                                       a_col_stride, b, b_row_stride,
                                       b_col_stride, c);
    case GemmIsa::kAvx2:
      return GemmBlocked<T, kWide>(KernelAvx2, m, n, k, a, a_row_stride,
                                   a_col_stride, b, b_row_stride, b_col_stride,
                                   c);
    case GemmIsa::kSse2:
      break;
  }
  GemmBlocked<T, kWide / 2>(KernelSse2, m, n, k, a, a_row_stride, a_col_stride,
                            b, b_row_stride, b_col_stride, c);
}

}  // namespace

void GemmF32(int64_t m, int64_t n, int64_t k, const float* a,
             int64_t a_row_stride, int64_t a_col_stride, const float* b,
             int64_t b_row_stride, int64_t b_col_stride, float* c) {
  GemmForIsa<float>(BestGemmIsa(), m, n, k, a, a_row_stride, a_col_stride, b,
                    b_row_stride, b_col_stride, c);
}

void GemmF64(int64_t m, int64_t n, int64_t k, const double* a,
             int64_t a_row_stride, int64_t a_col_stride, const double* b,
             int64_t b_row_stride, int64_t b_col_stride, double* c) {
  GemmForIsa<double>(BestGemmIsa(), m, n, k, a, a_row_stride, a_col_stride, b,
                     b_row_stride, b_col_stride, c);
}

void GemmF32ForIsa(GemmIsa isa, int64_t m, int64_t n, int64_t k, const float* a,
                   int64_t a_row_stride, int64_t a_col_stride, const float* b,
                   int64_t b_row_stride, int64_t b_col_stride, float* c) {
  GemmForIsa<float>(isa, m, n, k, a, a_row_stride, a_col_stride, b,
                    b_row_stride, b_col_stride, c);
}

void GemmF64ForIsa(GemmIsa isa, int64_t m, int64_t n, int64_t k,
                   const double* a, int64_t a_row_stride, int64_t a_col_stride,
                   const double* b, int64_t b_row_stride, int64_t b_col_stride,
                   double* c) {
  GemmForIsa<double>(isa, m, n, k, a, a_row_stride, a_col_stride, b,
                     b_row_stride, b_col_stride, c);
}

}  // namespace backplane::kernels::structured
