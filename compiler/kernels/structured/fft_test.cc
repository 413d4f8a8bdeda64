#include "compiler/kernels/structured/fft.h"

#include <cmath>
#include <complex>
#include <random>

#include "compiler/kernels/structured/reference_util.h"
#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;
using Complex = std::complex<double>;

// O(n^2) DFT along the last `l` dims of a dense array (naive reference).
std::vector<Complex> ReferenceDft(std::vector<Complex> data,
                                  const std::vector<int64_t>& dims, int64_t l,
                                  bool inverse) {
  const int64_t rank = dims.size();
  for (int64_t axis = rank - l; axis < rank; ++axis) {
    const int64_t n = dims[axis];
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= dims[d];
    for (int64_t d = axis + 1; d < rank; ++d) inner *= dims[d];
    std::vector<Complex> out(data.size());
    const double sign = inverse ? 1 : -1;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0; k < inner; ++k)
        for (int64_t f = 0; f < n; ++f) {
          Complex s = 0;
          for (int64_t t = 0; t < n; ++t) {
            double angle = sign * 2 * M_PI * double((f * t) % n) / n;
            s += data[(o * n + t) * inner + k] *
                 Complex(std::cos(angle), std::sin(angle));
          }
          out[(o * n + f) * inner + k] = inverse ? s / double(n) : s;
        }
    data = out;
  }
  return data;
}

std::vector<Complex> AsComplex(const Literal& x) {
  std::vector<Complex> v(x.element_count());
  for (int64_t i = 0; i < x.element_count(); ++i)
    v[i] = Complex(x.GetAsDouble(i), x.GetImagAsDouble(i));
  return v;
}

void ExpectNear(const Literal& got, const std::vector<Complex>& want,
                double tol, const std::string& what) {
  ASSERT_EQ(got.element_count(), static_cast<int64_t>(want.size())) << what;
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_NEAR(got.GetAsDouble(i), want[i].real(), tol) << what << " " << i;
    ASSERT_NEAR(got.GetImagAsDouble(i), want[i].imag(), tol)
        << what << " " << i;
  }
}

TEST(FftTest, SpecExample) {
  Literal x =
      MakeLiteral<std::complex<float>>(ElementType::kC64, {4}, {1, 0, 0, 0});
  auto r = Fft(x, FftType::kFft, {4});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectNear(*r, {1, 1, 1, 1}, 1e-7, "spec");
}

TEST(FftTest, PlanMatchesDftForManyLengths) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int64_t n : {1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 31, 64, 100, 127, 256}) {
    std::vector<Complex> x(n);
    for (auto& v : x) v = Complex(u(rng), u(rng));
    for (bool inverse : {false, true}) {
      std::vector<Complex> want = ReferenceDft(x, {n}, 1, inverse);
      std::vector<Complex> got = x;
      FftPlan(n).Transform(got.data(), inverse);
      for (int64_t i = 0; i < n; ++i) {
        Complex g = inverse ? got[i] / double(n) : got[i];
        ASSERT_NEAR(std::abs(g - want[i]), 0, 1e-10 * n) << "n=" << n;
      }
    }
  }
}

TEST(FftTest, MultiDimensionalFftAndIfft) {
  for (ElementType t : {ElementType::kC64, ElementType::kC128}) {
    const double tol = t == ElementType::kC64 ? 1e-4 : 1e-10;
    struct Case {
      std::vector<int64_t> dims;
      std::vector<int64_t> len;
    };
    for (const Case& c :
         {Case{{3, 8}, {8}}, Case{{2, 6, 5}, {6, 5}},
          Case{{3, 4, 5}, {3, 4, 5}}, Case{{2, 1, 9}, {1, 9}}}) {
      Literal x = RandomLiteral(t, c.dims, 3);
      const int64_t l = c.len.size();
      auto f = Fft(x, FftType::kFft, c.len);
      ASSERT_TRUE(f.ok()) << f.status();
      EXPECT_EQ(f->element_type(), t);
      ExpectNear(*f, ReferenceDft(AsComplex(x), c.dims, l, false), tol, "fft");
      auto i = Fft(x, FftType::kIfft, c.len);
      ASSERT_TRUE(i.ok());
      ExpectNear(*i, ReferenceDft(AsComplex(x), c.dims, l, true), tol, "ifft");
    }
  }
}

TEST(FftTest, RfftAndIrfftRoundTrip) {
  for (ElementType t : {ElementType::kF32, ElementType::kF64}) {
    const double tol = t == ElementType::kF32 ? 1e-4 : 1e-10;
    for (auto len :
         std::vector<std::vector<int64_t>>{{8}, {7}, {4, 6}, {3, 2, 5}}) {
      std::vector<int64_t> dims = {2};
      dims.insert(dims.end(), len.begin(), len.end());
      Literal x = RandomLiteral(t, dims, 5);
      auto r = Fft(x, FftType::kRfft, len);
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(r->element_type(), t == ElementType::kF32 ? ElementType::kC64
                                                          : ElementType::kC128);
      EXPECT_EQ(r->dims().back(), len.back() / 2 + 1);
      // Reference: full DFT, keep the first n/2+1 of the last dim.
      std::vector<Complex> full =
          ReferenceDft(AsComplex(x), dims, len.size(), false);
      std::vector<Complex> want;
      const int64_t n = len.back(), half = n / 2 + 1;
      for (size_t i = 0; i < full.size(); ++i) {
        if (static_cast<int64_t>(i % n) < half) want.push_back(full[i]);
      }
      ExpectNear(*r, want, tol * n, "rfft");
      auto back = Fft(*r, FftType::kIrfft, len);
      ASSERT_TRUE(back.ok()) << back.status();
      EXPECT_EQ(back->element_type(), t);
      ExpectNear(*back, AsComplex(x), tol, "irfft");
    }
  }
}

TEST(FftTest, Errors) {
  Literal c = RandomLiteral(ElementType::kC64, {4, 8}, 1);
  Literal f = RandomLiteral(ElementType::kF32, {4, 8}, 1);
  EXPECT_EQ(Fft(c, FftType::kFft, {4}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Fft(c, FftType::kFft, {}).ok());
  EXPECT_FALSE(Fft(c, FftType::kFft, {1, 4, 8}).ok());
  EXPECT_FALSE(Fft(f, FftType::kFft, {8}).ok());
  EXPECT_FALSE(Fft(c, FftType::kRfft, {8}).ok());
  EXPECT_FALSE(Fft(c, FftType::kIrfft, {8}).ok());  // Needs last dim 5.
  EXPECT_TRUE(Fft(c, FftType::kIrfft, {14}).ok());  // 14 / 2 + 1 = 8.
}

}  // namespace
}  // namespace backplane::kernels::structured
