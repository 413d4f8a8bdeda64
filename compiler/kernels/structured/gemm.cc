#include "compiler/kernels/structured/gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace backplane::kernels::structured {
namespace {

// Register tile: kMr rows of A times kNr columns of B. Eight floats are one
// 32-byte GCC vector: two SSE2 registers on the baseline target, one AVX
// register on the x86-64-v3 clone, so 6 x 8 keeps the tile in registers on
// both.
constexpr int64_t kMr = 6;
constexpr int64_t kNr = 8;
// Cache blocks: a kKc x kNr panel of B (8 KiB) stays in L1, a kMc x kKc
// block of A (~96 KiB) in L2, a kKc x kNc panel of B in L3.
constexpr int64_t kKc = 256;
constexpr int64_t kMc = 96;
constexpr int64_t kNc = 2048;

typedef float Vec8 __attribute__((vector_size(32)));

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<float[], FreeDeleter>;

AlignedBuffer AllocateAligned(int64_t count) {
  size_t bytes = static_cast<size_t>(count) * sizeof(float);
  bytes = (bytes + 63) / 64 * 64;
  if (bytes == 0) bytes = 64;
  return AlignedBuffer(static_cast<float*>(std::aligned_alloc(64, bytes)));
}

// Packs rows [0, mc) x cols [0, kc) of A into micro-panels of kMr rows:
// panel r holds, for each p, the kMr values A(r*kMr + i, p). Rows past mc
// are zero so the micro-kernel never branches.
void PackA(int64_t mc, int64_t kc, const float* a, int64_t rs, int64_t cs,
           float* out) {
  for (int64_t r = 0; r < mc; r += kMr) {
    const int64_t rows = std::min(kMr, mc - r);
    for (int64_t p = 0; p < kc; ++p) {
      for (int64_t i = 0; i < rows; ++i) out[i] = a[(r + i) * rs + p * cs];
      for (int64_t i = rows; i < kMr; ++i) out[i] = 0.0f;
      out += kMr;
    }
  }
}

// Packs rows [0, kc) x cols [0, nc) of B into micro-panels of kNr columns.
void PackB(int64_t kc, int64_t nc, const float* b, int64_t rs, int64_t cs,
           float* out) {
  for (int64_t j = 0; j < nc; j += kNr) {
    const int64_t cols = std::min(kNr, nc - j);
    for (int64_t p = 0; p < kc; ++p) {
      const float* src = b + p * rs + j * cs;
      if (cols == kNr && cs == 1) {
        std::memcpy(out, src, sizeof(float) * kNr);
      } else {
        for (int64_t x = 0; x < cols; ++x) out[x] = src[x * cs];
        for (int64_t x = cols; x < kNr; ++x) out[x] = 0.0f;
      }
      out += kNr;
    }
  }
}

// tile[kMr][kNr] = sum_p a_panel[p][:] (outer) b_panel[p][:].
__attribute__((target_clones("default", "arch=x86-64-v3"),
               optimize("fp-contract=fast"))) void
MicroKernel(int64_t kc, const float* __restrict a, const float* __restrict b,
            float* __restrict tile) {
  Vec8 c0 = {}, c1 = {}, c2 = {}, c3 = {}, c4 = {}, c5 = {};
  for (int64_t p = 0; p < kc; ++p) {
    Vec8 bv;
    std::memcpy(&bv, b, sizeof(bv));
    c0 += a[0] * bv;
    c1 += a[1] * bv;
    c2 += a[2] * bv;
    c3 += a[3] * bv;
    c4 += a[4] * bv;
    c5 += a[5] * bv;
    a += kMr;
    b += kNr;
  }
  std::memcpy(tile + 0 * kNr, &c0, sizeof(c0));
  std::memcpy(tile + 1 * kNr, &c1, sizeof(c1));
  std::memcpy(tile + 2 * kNr, &c2, sizeof(c2));
  std::memcpy(tile + 3 * kNr, &c3, sizeof(c3));
  std::memcpy(tile + 4 * kNr, &c4, sizeof(c4));
  std::memcpy(tile + 5 * kNr, &c5, sizeof(c5));
}

}  // namespace

void GemmF32(int64_t m, int64_t n, int64_t k, const float* a,
             int64_t a_row_stride, int64_t a_col_stride, const float* b,
             int64_t b_row_stride, int64_t b_col_stride, float* c) {
  if (m <= 0 || n <= 0) return;
  std::fill(c, c + m * n, 0.0f);
  if (k <= 0) return;
  const int64_t kc_max = std::min(k, kKc);
  const int64_t nc_max = std::min(n, kNc);
  const int64_t mc_max = std::min(m, kMc);
  AlignedBuffer a_pack =
      AllocateAligned(((mc_max + kMr - 1) / kMr) * kMr * kc_max);
  AlignedBuffer b_pack =
      AllocateAligned(((nc_max + kNr - 1) / kNr) * kNr * kc_max);
  alignas(64) float tile[kMr * kNr];

  for (int64_t jc = 0; jc < n; jc += kNc) {
    const int64_t nc = std::min(kNc, n - jc);
    for (int64_t pc = 0; pc < k; pc += kKc) {
      const int64_t kc = std::min(kKc, k - pc);
      PackB(kc, nc, b + pc * b_row_stride + jc * b_col_stride, b_row_stride,
            b_col_stride, b_pack.get());
      for (int64_t ic = 0; ic < m; ic += kMc) {
        const int64_t mc = std::min(kMc, m - ic);
        PackA(mc, kc, a + ic * a_row_stride + pc * a_col_stride, a_row_stride,
              a_col_stride, a_pack.get());
        for (int64_t jr = 0; jr < nc; jr += kNr) {
          const int64_t cols = std::min(kNr, nc - jr);
          const float* bp = b_pack.get() + jr * kc;
          for (int64_t ir = 0; ir < mc; ir += kMr) {
            const int64_t rows = std::min(kMr, mc - ir);
            MicroKernel(kc, a_pack.get() + ir * kc, bp, tile);
            float* c_tile = c + (ic + ir) * n + jc + jr;
            for (int64_t i = 0; i < rows; ++i) {
              float* c_row = c_tile + i * n;
              const float* t_row = tile + i * kNr;
              for (int64_t j = 0; j < cols; ++j) c_row[j] += t_row[j];
            }
          }
        }
      }
    }
  }
}

}  // namespace backplane::kernels::structured
