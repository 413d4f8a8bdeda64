// Numerics cases: shapes large enough that optimising plugins leave their
// generic code for their fast paths (library matmul and convolution with
// fused epilogues, vectorised row reductions, row gathers, fused
// element-wise loops), with the edge cases those paths tend to get wrong:
// NaN in any accumulator lane, signed zeros, infinities, chunk boundaries,
// extreme indices, transposed operands, grouped convolutions.
//
// The inputs are generated from small formulas, and the expected values are
// computed here by plain reference loops in double precision (independent of
// the compiler kit). Integer-valued inputs keep every f32 result exact in
// any summation order, so the element-type tolerance applies unchanged.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {
namespace {

using T = Tensor;

std::vector<double> Generate(int64_t n,
                             const std::function<double(int64_t)>& f) {
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = f(i);
  return v;
}

// C[b][m][n] = sum_k A[b][m][k] * B[b][k][n], all row-major.
std::vector<double> Matmul(const std::vector<double>& a,
                           const std::vector<double>& b, int64_t batch,
                           int64_t m, int64_t k, int64_t n) {
  std::vector<double> c(batch * m * n, 0.0);
  for (int64_t p = 0; p < batch; ++p) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t q = 0; q < k; ++q) {
          acc += a[(p * m + i) * k + q] * b[(p * k + q) * n + j];
        }
        c[(p * m + i) * n + j] = acc;
      }
    }
  }
  return c;
}

// Row-major transpose of an r x c matrix.
std::vector<double> Transpose(const std::vector<double>& x, int64_t r,
                              int64_t c) {
  std::vector<double> t(x.size());
  for (int64_t i = 0; i < r; ++i) {
    for (int64_t j = 0; j < c; ++j) t[j * r + i] = x[i * c + j];
  }
  return t;
}

NumericsCase LargeMatmuls() {
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  constexpr int64_t M = 32, K = 48, N = 40;
  std::vector<double> a = Generate(
      M * K, [](int64_t i) { return (3 * (i / K) + 5 * (i % K)) % 7 - 3.0; });
  std::vector<double> b = Generate(
      K * N, [](int64_t i) { return (2 * (i / N) + (i % N)) % 5 - 2.0; });
  std::vector<double> bias = Generate(N, [](int64_t j) { return j % 3 - 1.0; });
  std::vector<double> c = Matmul(a, b, 1, M, K, N);
  // relu(A.B + bias) + A.B: a bias + activation + residual epilogue.
  std::vector<double> fused(M * N);
  for (int64_t i = 0; i < M * N; ++i) {
    fused[i] = std::max(c[i] + bias[i % N], 0.0) + c[i];
  }
  // Batched, 2 x (16x32 . 32x32).
  constexpr int64_t B = 2, BM = 16, BK = 32, BN = 32;
  std::vector<double> ba =
      Generate(B * BM * BK, [](int64_t i) { return (i * 7) % 9 - 4.0; });
  std::vector<double> bb =
      Generate(B * BK * BN, [](int64_t i) { return (i * 5) % 7 - 3.0; });
  std::vector<double> bc = Matmul(ba, bb, B, BM, BK, BN);
  // HIGHEST precision with values bf16 cannot hold (1 + j/256).
  std::vector<double> ha = Generate(
      M * K, [](int64_t i) { return 1 + ((i / K + i % K) % 7) / 256.0; });
  std::vector<double> hb =
      Generate(K * N, [](int64_t i) { return 1 + ((i / N) % 3) / 1024.0; });
  std::vector<double> hc = Matmul(ha, hb, 1, M, K, N);
  return {
      "DotGeneralLargeMatmulTransposedBatchedHighestAndFusedEpilogue",
      R"(func.func @main(%a: tensor<32x48xf32>, %at: tensor<48x32xf32>, %b: tensor<48x40xf32>, %bias: tensor<40xf32>, %ba: tensor<2x16x32xf32>, %bb: tensor<2x32x32xf32>, %ha: tensor<32x48xf32>, %hb: tensor<48x40xf32>) -> (tensor<32x40xf32>, tensor<32x40xf32>, tensor<32x40xf32>, tensor<2x16x32xf32>, tensor<32x40xf32>) {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<32x48xf32>, tensor<48x40xf32>) -> tensor<32x40xf32>
  %1 = stablehlo.dot_general %at, %b, contracting_dims = [0] x [0] : (tensor<48x32xf32>, tensor<48x40xf32>) -> tensor<32x40xf32>
  %d = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<32x48xf32>, tensor<48x40xf32>) -> tensor<32x40xf32>
  %bb2 = stablehlo.broadcast_in_dim %bias, dims = [1] : (tensor<40xf32>) -> tensor<32x40xf32>
  %sum = stablehlo.add %d, %bb2 : tensor<32x40xf32>
  %zero = stablehlo.constant dense<0.0> : tensor<32x40xf32>
  %relu = stablehlo.maximum %sum, %zero : tensor<32x40xf32>
  %2 = stablehlo.add %relu, %d : tensor<32x40xf32>
  %3 = stablehlo.dot_general %ba, %bb, batching_dims = [0] x [0], contracting_dims = [2] x [1] : (tensor<2x16x32xf32>, tensor<2x32x32xf32>) -> tensor<2x16x32xf32>
  %4 = stablehlo.dot_general %ha, %hb, contracting_dims = [1] x [0], precision = [HIGHEST, HIGHEST] : (tensor<32x48xf32>, tensor<48x40xf32>) -> tensor<32x40xf32>
  return %0, %1, %2, %3, %4 : tensor<32x40xf32>, tensor<32x40xf32>, tensor<32x40xf32>, tensor<2x16x32xf32>, tensor<32x40xf32>
})",
      {T{F32, {M, K}, a}, T{F32, {K, M}, Transpose(a, M, K)}, T{F32, {K, N}, b},
       T{F32, {N}, bias}, T{F32, {B, BM, BK}, ba}, T{F32, {B, BK, BN}, bb},
       T{F32, {M, K}, ha}, T{F32, {K, N}, hb}},
      {T{F32, {M, N}, c}, T{F32, {M, N}, c}, T{F32, {M, N}, fused},
       T{F32, {B, BM, BN}, bc}, T{F32, {M, N}, hc}}};
}

// NHWC input, HWIO kernel, NHWC output; `groups` feature groups.
struct Conv2D {
  int64_t n, h, w, c;      // Input.
  int64_t kh, kw, o;       // Kernel (input features c / groups).
  int64_t sh, sw;          // Strides.
  int64_t pt, pb, pl, pr;  // Padding (non-negative).
  int64_t dh, dw;          // Kernel dilation.
  int64_t groups;
  int64_t OutH() const { return (h + pt + pb - ((kh - 1) * dh + 1)) / sh + 1; }
  int64_t OutW() const { return (w + pl + pr - ((kw - 1) * dw + 1)) / sw + 1; }
  std::vector<double> Run(const std::vector<double>& x,
                          const std::vector<double>& k) const {
    const int64_t ci = c / groups, og = o / groups;
    std::vector<double> out(n * OutH() * OutW() * o, 0.0);
    for (int64_t b = 0; b < n; ++b)
      for (int64_t y = 0; y < OutH(); ++y)
        for (int64_t z = 0; z < OutW(); ++z)
          for (int64_t f = 0; f < o; ++f) {
            const int64_t g = f / og;
            double acc = 0;
            for (int64_t u = 0; u < kh; ++u)
              for (int64_t v = 0; v < kw; ++v) {
                const int64_t iy = y * sh + u * dh - pt,
                              iz = z * sw + v * dw - pl;
                if (iy < 0 || iy >= h || iz < 0 || iz >= w) continue;
                for (int64_t q = 0; q < ci; ++q) {
                  acc += x[((b * h + iy) * w + iz) * c + g * ci + q] *
                         k[((u * kw + v) * ci + q) * o + f];
                }
              }
            out[((b * OutH() + y) * OutW() + z) * o + f] = acc;
          }
    return out;
  }
};

NumericsCase LargeConvolution() {
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  const Conv2D p{2, 9, 9, 8, 3, 3, 16, 2, 1, 1, 1, 2, 0, 1, 2, 2};
  std::vector<double> x = Generate(p.n * p.h * p.w * p.c,
                                   [](int64_t i) { return (i * 5) % 7 - 3.0; });
  std::vector<double> k = Generate(p.kh * p.kw * (p.c / p.groups) * p.o,
                                   [](int64_t i) { return (i * 3) % 5 - 2.0; });
  const Conv2D q{2, 9, 9, 8, 3, 3, 16, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  std::vector<double> k1 = Generate(
      q.kh * q.kw * q.c * q.o, [](int64_t i) { return (i * 2) % 5 - 2.0; });
  return {
      "ConvolutionLargeNhwcPaddingStrideDilationAndFeatureGroups",
      R"(func.func @main(%x: tensor<2x9x9x8xf32>, %k: tensor<3x3x4x16xf32>, %k1: tensor<3x3x8x16xf32>) -> (tensor<2x5x7x16xf32>, tensor<2x9x9x16xf32>) {
  %0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [2, 1], pad = [[1, 1], [2, 0]], rhs_dilate = [1, 2]} {batch_group_count = 1 : i64, feature_group_count = 2 : i64} : (tensor<2x9x9x8xf32>, tensor<3x3x4x16xf32>) -> tensor<2x5x7x16xf32>
  %1 = stablehlo.convolution(%x, %k1) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1], pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<2x9x9x8xf32>, tensor<3x3x8x16xf32>) -> tensor<2x9x9x16xf32>
  return %0, %1 : tensor<2x5x7x16xf32>, tensor<2x9x9x16xf32>
})",
      {T{F32, {p.n, p.h, p.w, p.c}, x},
       T{F32, {p.kh, p.kw, p.c / p.groups, p.o}, k},
       T{F32, {q.kh, q.kw, q.c, q.o}, k1}},
      {T{F32, {p.n, p.OutH(), p.OutW(), p.o}, p.Run(x, k)},
       T{F32, {q.n, q.OutH(), q.OutW(), q.o}, q.Run(x, k1)}}};
}

NumericsCase RowReductions() {
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  constexpr int64_t R = 4, L = 37;
  const double inf = INFINITY;
  // Rows longer than a vector of accumulators. Row 0: 1..37 with one NaN;
  // row 1: alternating -0, +0 (19 negative zeros: the product is -0);
  // row 2: finite values with +inf and -inf; row 3: 0.5, 1, ..., 18.5.
  std::vector<double> x = Generate(R * L, [&](int64_t i) -> double {
    const int64_t r = i / L, j = i % L;
    switch (r) {
      case 0:
        return j == 29 ? NAN : j + 1.0;
      case 1:
        return j % 2 == 0 ? -0.0 : 0.0;
      case 2:
        return j == 3 ? inf : j == 35 ? -inf : j - 18.0;
      default:
        return (j + 1) / 2.0;
    }
  });
  double sum3 = 0, prod3 = 1;
  for (int64_t j = 0; j < L; ++j) {
    sum3 += (j + 1) / 2.0;
    prod3 *= (j + 1) / 2.0;
  }
  return {
      "ReduceRowsWithNaNInfinitiesAndSignedZeros",
      R"(func.func @main(%x: tensor<4x37xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %one = stablehlo.constant dense<1.0> : tensor<f32>
  %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %pinf = stablehlo.constant dense<0x7F800000> : tensor<f32>
  %0 = stablehlo.reduce(%x init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<4x37xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = stablehlo.reduce(%x init: %one) applies stablehlo.multiply across dimensions = [1] : (tensor<4x37xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = stablehlo.reduce(%x init: %ninf) applies stablehlo.maximum across dimensions = [1] : (tensor<4x37xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = stablehlo.reduce(%x init: %pinf) applies stablehlo.minimum across dimensions = [1] : (tensor<4x37xf32>, tensor<f32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
})",
      {T{F32, {R, L}, x}},
      {T{F32, {R}, {NAN, 0, NAN, sum3}}, T{F32, {R}, {NAN, -0.0, NAN, prod3}},
       T{F32, {R}, {NAN, 0, inf, 18.5}}, T{F32, {R}, {NAN, -0.0, -inf, 0.5}}}};
}

NumericsCase ExtremeIndexGather() {
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  std::vector<double> table = Generate(5 * 64, [](int64_t i) { return i; });
  // INT64_MIN, 2^63 - 1024 (the largest int64 a double holds), 2, -1, 4
  // clamp to rows 0, 4, 2, 0, 4.
  const std::vector<int64_t> rows = {0, 4, 2, 0, 4};
  std::vector<double> expected;
  for (int64_t r : rows) {
    for (int64_t j = 0; j < 64; ++j) expected.push_back(r * 64 + j);
  }
  const std::vector<int64_t> rows32 = {0, 4, 1};
  std::vector<double> expected32;
  for (int64_t r : rows32) {
    for (int64_t j = 0; j < 64; ++j) expected32.push_back(r * 64 + j);
  }
  return {
      "GatherEmbeddingRowsWithExtremeIndicesClamped",
      R"(func.func @main(%t: tensor<5x64xf32>, %i: tensor<5x1xi64>, %j: tensor<3x1xi32>) -> (tensor<5x64xf32>, tensor<3x64xf32>) {
  %0 = "stablehlo.gather"(%t, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 64>}> : (tensor<5x64xf32>, tensor<5x1xi64>) -> tensor<5x64xf32>
  %1 = "stablehlo.gather"(%t, %j) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 64>}> : (tensor<5x64xf32>, tensor<3x1xi32>) -> tensor<3x64xf32>
  return %0, %1 : tensor<5x64xf32>, tensor<3x64xf32>
})",
      {T{F32, {5, 64}, table},
       T{S64,
         {5, 1},
         {-9223372036854775808.0, 9223372036854774784.0, 2, -1, 4}},
       T{S32, {3, 1}, {-2147483648.0, 2147483647.0, 1}}},
      {T{F32, {5, 64}, expected}, T{F32, {3, 64}, expected32}}};
}

NumericsCase FusedElementwiseChain() {
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  constexpr int64_t R = 3, C = 700;
  // NaNs at likely chunk boundaries; they must reach the output through
  // maximum (which propagates NaN).
  auto is_nan_at = [](int64_t j) {
    return j == 255 || j == 256 || j == 511 || j == 512;
  };
  std::vector<double> x = Generate(R * C, [&](int64_t i) {
    return i / C == 1 && is_nan_at(i % C) ? NAN : (i * 7) % 13 - 6.0;
  });
  std::vector<double> bias = Generate(C, [](int64_t j) { return j % 5 - 2.0; });
  std::vector<double> scale = {2, -1, 0.5};
  std::vector<double> y(R * C);
  for (int64_t i = 0; i < R * C; ++i) {
    const double t = (x[i] + bias[i % C]) * scale[i / C];
    y[i] = std::isnan(t) ? NAN : std::max(t, 0.0) - 1.5;
  }
  return {
      "FusedElementwiseChainWithBroadcastsAcrossChunkBoundaries",
      R"(func.func @main(%x: tensor<3x700xf32>, %bias: tensor<700xf32>, %scale: tensor<3xf32>) -> tensor<3x700xf32> {
  %b = stablehlo.broadcast_in_dim %bias, dims = [1] : (tensor<700xf32>) -> tensor<3x700xf32>
  %s = stablehlo.broadcast_in_dim %scale, dims = [0] : (tensor<3xf32>) -> tensor<3x700xf32>
  %zero = stablehlo.constant dense<0.0> : tensor<3x700xf32>
  %c = stablehlo.constant dense<1.5> : tensor<3x700xf32>
  %0 = stablehlo.add %x, %b : tensor<3x700xf32>
  %1 = stablehlo.multiply %0, %s : tensor<3x700xf32>
  %2 = stablehlo.maximum %1, %zero : tensor<3x700xf32>
  %3 = stablehlo.subtract %2, %c : tensor<3x700xf32>
  return %3 : tensor<3x700xf32>
})",
      {T{F32, {R, C}, x}, T{F32, {C}, bias}, T{F32, {R}, scale}},
      {T{F32, {R, C}, y}}};
}

}  // namespace

std::vector<NumericsCase> FastPathCases() {
  return {LargeMatmuls(), LargeConvolution(), RowReductions(),
          ExtremeIndexGather(), FusedElementwiseChain()};
}

}  // namespace backplane::conformance
