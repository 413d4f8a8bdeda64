#include "compiler/kernels/structured/gemm.h"

#include <cmath>
#include <random>
#include <tuple>
#include <vector>

#include "compiler/kernels/element_traits.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

// Every ISA variant of the f32 GEMM (the one the CPU would pick and the
// ones it would not) against a naive double-precision loop, over edge
// shapes of every block size and both operand layouts.
TEST(GemmTest, EveryIsaMatchesNaive) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1, 1);
  struct Shape {
    int64_t m, n, k;
  };
  const Shape shapes[] = {{1, 1, 1},    {5, 7, 3},     {6, 8, 256},
                          {7, 33, 257}, {97, 65, 300}, {13, 2049, 5},
                          {200, 3, 600}};
  for (GemmIsa isa : {GemmIsa::kSse2, GemmIsa::kAvx2, GemmIsa::kAvx512}) {
    if (!GemmIsaSupported(isa)) continue;
    for (const Shape& s : shapes) {
      for (bool transposed : {false, true}) {
        std::vector<float> a(s.m * s.k), b(s.k * s.n), c(s.m * s.n, 42);
        for (float& x : a) x = u(rng);
        for (float& x : b) x = u(rng);
        // transposed: A stored k x m and B stored n x k.
        const int64_t ars = transposed ? 1 : s.k, acs = transposed ? s.m : 1;
        const int64_t brs = transposed ? 1 : s.n, bcs = transposed ? s.k : 1;
        GemmF32ForIsa(isa, s.m, s.n, s.k, a.data(), ars, acs, b.data(), brs,
                      bcs, c.data());
        for (int64_t i = 0; i < s.m; ++i) {
          for (int64_t j = 0; j < s.n; ++j) {
            double want = 0;
            for (int64_t p = 0; p < s.k; ++p) {
              want += double(a[i * ars + p * acs]) * b[p * brs + j * bcs];
            }
            ASSERT_NEAR(c[i * s.n + j], want, 1e-4 * (1 + std::abs(want)))
                << "isa " << static_cast<int>(isa) << " m=" << s.m
                << " n=" << s.n << " k=" << s.k << " at " << i << "," << j;
          }
        }
      }
    }
  }
}

TEST(GemmTest, EveryIsaMatchesNaiveF64) {
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> u(-1, 1);
  for (GemmIsa isa : {GemmIsa::kSse2, GemmIsa::kAvx2, GemmIsa::kAvx512}) {
    if (!GemmIsaSupported(isa)) continue;
    for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1},
                           {7, 17, 300},
                           {13, 40, 9}}) {
      std::vector<double> a(m * k), b(k * n), c(m * n, 42);
      for (double& x : a) x = u(rng);
      for (double& x : b) x = u(rng);
      GemmF64ForIsa(isa, m, n, k, a.data(), k, 1, b.data(), 1, k, c.data());
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          double want = 0;
          for (int64_t p = 0; p < k; ++p) want += a[i * k + p] * b[p + j * k];
          ASSERT_NEAR(c[i * n + j], want, 1e-12) << static_cast<int>(isa);
        }
      }
    }
  }
}

TEST(GemmTest, EmptyContractionZeroesOutput) {
  std::vector<float> c(6, 5.0f);
  GemmF32(2, 3, 0, nullptr, 0, 1, nullptr, 3, 1, c.data());
  EXPECT_EQ(c, std::vector<float>(6, 0.0f));
}

TEST(GemmTest, GenericIntegerWraps) {
  std::vector<int32_t> a = {0x40000000, 2}, b = {4, 1}, c(1);
  GemmGeneric<ArithmeticTraits<ir::ElementType::kS32>>(
      1, 1, 2, a.data(), 2, 1, b.data(), 1, 1, c.data());
  EXPECT_EQ(c[0], 2);  // 2^32 wraps to 0, plus 2.
}

}  // namespace
}  // namespace backplane::kernels::structured
