#include "compiler/kernels/structured/fft.h"

#include <algorithm>
#include <cmath>

#include "base/status_macros.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {
namespace {

using Complex = std::complex<double>;
constexpr double kPi = 3.14159265358979323846;

// Non-power-of-two lengths up to this use the O(n^2) direct DFT; longer
// ones use Bluestein's O(n log n) chirp z-transform.
constexpr int64_t kMaxDirectLength = 64;

bool IsPowerOfTwo(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

std::vector<Complex> Twiddles(int64_t n) {
  std::vector<Complex> w(static_cast<size_t>(n / 2));
  for (int64_t k = 0; k < n / 2; ++k) {
    const double angle = -2.0 * kPi * static_cast<double>(k) / n;
    w[k] = Complex(std::cos(angle), std::sin(angle));
  }
  return w;
}

}  // namespace

FftPlan::FftPlan(int64_t n) : n_(n), pow2_(IsPowerOfTwo(n)) {
  if (n_ <= 1) return;
  if (pow2_) {
    twiddles_ = Twiddles(n_);
    return;
  }
  if (n_ <= kMaxDirectLength) {
    // All n roots of unity; the direct DFT indexes them by (f * t) mod n.
    twiddles_.resize(n_);
    for (int64_t k = 0; k < n_; ++k) {
      const double angle = -2.0 * kPi * static_cast<double>(k) / n_;
      twiddles_[k] = Complex(std::cos(angle), std::sin(angle));
    }
    twiddles_[0] = Complex(1.0, 0.0);
    scratch_.resize(n_);
    return;
  }
  m_ = 1;
  while (m_ < 2 * n_ - 1) m_ *= 2;
  m_twiddles_ = Twiddles(m_);
  chirp_.resize(n_);
  for (int64_t k = 0; k < n_; ++k) {
    // k^2 mod 2n keeps the angle small, so it stays accurate for large k.
    const int64_t k2 = (k * k) % (2 * n_);
    const double angle = -kPi * static_cast<double>(k2) / n_;
    chirp_[k] = Complex(std::cos(angle), std::sin(angle));
  }
  chirp_fft_.assign(m_, Complex(0));
  chirp_fft_[0] = std::conj(chirp_[0]);
  for (int64_t k = 1; k < n_; ++k) {
    chirp_fft_[k] = std::conj(chirp_[k]);
    chirp_fft_[m_ - k] = std::conj(chirp_[k]);
  }
  PowerOfTwo(chirp_fft_.data(), m_, m_twiddles_);
  scratch_.resize(m_);
}

void FftPlan::PowerOfTwo(Complex* a, int64_t n,
                         const std::vector<Complex>& w) const {
  // Bit-reversal permutation, then iterative Cooley-Tukey butterflies.
  for (int64_t i = 1, j = 0; i < n; ++i) {
    int64_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (int64_t len = 2; len <= n; len <<= 1) {
    const int64_t half = len / 2, step = n / len;
    for (int64_t i = 0; i < n; i += len) {
      for (int64_t k = 0; k < half; ++k) {
        const Complex t = a[i + k + half] * w[k * step];
        a[i + k + half] = a[i + k] - t;
        a[i + k] += t;
      }
    }
  }
}

void FftPlan::Transform(Complex* data, bool inverse) const {
  if (n_ <= 1) return;
  // inverse(x) = conj(forward(conj(x))).
  if (inverse) {
    for (int64_t i = 0; i < n_; ++i) data[i] = std::conj(data[i]);
  }
  if (pow2_) {
    PowerOfTwo(data, n_, twiddles_);
  } else if (n_ <= kMaxDirectLength) {
    // Direct DFT: more accurate than Bluestein for short odd lengths, and
    // exact for the DC term of real input (its twiddles are exactly 1).
    for (int64_t f = 0; f < n_; ++f) {
      Complex sum(0.0, 0.0);
      int64_t idx = 0;
      for (int64_t t = 0; t < n_; ++t) {
        sum += data[t] * twiddles_[idx];
        idx += f;
        if (idx >= n_) idx -= n_;
      }
      scratch_[f] = sum;
    }
    std::copy(scratch_.begin(), scratch_.end(), data);
  } else {
    std::vector<Complex>& a = scratch_;
    std::fill(a.begin(), a.end(), Complex(0));
    for (int64_t k = 0; k < n_; ++k) a[k] = data[k] * chirp_[k];
    PowerOfTwo(a.data(), m_, m_twiddles_);
    for (int64_t k = 0; k < m_; ++k) a[k] *= chirp_fft_[k];
    // Inverse length-m transform via conjugation, scaled by 1/m.
    for (int64_t k = 0; k < m_; ++k) a[k] = std::conj(a[k]);
    PowerOfTwo(a.data(), m_, m_twiddles_);
    const double scale = 1.0 / static_cast<double>(m_);
    for (int64_t k = 0; k < n_; ++k) {
      data[k] = std::conj(a[k]) * scale * chirp_[k];
    }
  }
  if (inverse) {
    for (int64_t i = 0; i < n_; ++i) data[i] = std::conj(data[i]);
  }
}

namespace {

// Applies a 1-D transform along dimension `axis` of the dense complex array
// `data` with dimensions `dims`, optionally scaling by 1/n.
void TransformAxis(std::vector<Complex>& data, const std::vector<int64_t>& dims,
                   int64_t axis, bool inverse) {
  const int64_t n = dims[axis];
  if (n == 0) return;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= dims[d];
  for (int64_t d = axis + 1; d < static_cast<int64_t>(dims.size()); ++d) {
    inner *= dims[d];
  }
  FftPlan plan(n);
  std::vector<Complex> row(static_cast<size_t>(n));
  const double scale = inverse ? 1.0 / static_cast<double>(n) : 1.0;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t k = 0; k < inner; ++k) {
      Complex* base = data.data() + o * n * inner + k;
      for (int64_t i = 0; i < n; ++i) row[i] = base[i * inner];
      plan.Transform(row.data(), inverse);
      for (int64_t i = 0; i < n; ++i) base[i * inner] = row[i] * scale;
    }
  }
}

template <typename C>
std::vector<Complex> LoadComplex(const ir::Literal& lit) {
  absl::Span<const C> d = lit.data<C>();
  std::vector<Complex> out(d.size());
  for (size_t i = 0; i < d.size(); ++i) out[i] = Complex(d[i]);
  return out;
}

template <typename R>
std::vector<Complex> LoadReal(const ir::Literal& lit) {
  absl::Span<const R> d = lit.data<R>();
  std::vector<Complex> out(d.size());
  for (size_t i = 0; i < d.size(); ++i) out[i] = Complex(d[i], 0.0);
  return out;
}

}  // namespace

absl::StatusOr<ir::Literal> Fft(const ir::Literal& operand, FftType type,
                                absl::Span<const int64_t> fft_length) {
  constexpr absl::string_view kOp = "fft";
  const int64_t rank = operand.type().rank();
  const int64_t l = static_cast<int64_t>(fft_length.size());
  if (l < 1 || l > 3 || l > rank) {
    return OpError(kOp, "fft_length ", DimsToString(fft_length),
                   " must have 1 to 3 entries and at most the operand rank ",
                   rank);
  }
  for (int64_t x : fft_length) {
    if (x < 0) return OpError(kOp, "fft_length entries must be >= 0");
  }
  const ir::ElementType et = operand.element_type();
  const bool real_in = type == FftType::kRfft;
  const bool real_out = type == FftType::kIrfft;
  if (real_in ? (et != ir::ElementType::kF32 && et != ir::ElementType::kF64)
              : !ir::IsComplex(et)) {
    return OpError(kOp, "operand ", operand.type().ToString(),
                   real_in ? " must be f32 or f64 for RFFT"
                           : " must be complex for this fft_type");
  }
  const bool wide = et == ir::ElementType::kF64 || et == ir::ElementType::kC128;
  std::vector<int64_t> full_dims = operand.dims();  // Dims of the full array.
  for (int64_t i = 0; i < l; ++i) {
    const int64_t d = rank - l + i;
    int64_t expected = fft_length[i];
    if (real_out && i == l - 1) expected = fft_length[i] / 2 + 1;
    if (operand.dims()[d] != expected) {
      return OpError(kOp, "operand dimension ", d, " has size ",
                     operand.dims()[d], " but fft_length ",
                     DimsToString(fft_length), " requires ", expected);
    }
    full_dims[d] = fft_length[i];
  }
  std::vector<int64_t> result_dims = full_dims;
  if (real_in) result_dims[rank - 1] = fft_length[l - 1] / 2 + 1;
  const ir::ElementType result_type =
      real_in    ? (wide ? ir::ElementType::kC128 : ir::ElementType::kC64)
      : real_out ? (wide ? ir::ElementType::kF64 : ir::ElementType::kF32)
                 : et;
  ASSIGN_OR_RETURN(ir::Literal result,
                   AllocateResult(kOp, result_type, result_dims));
  if (result.element_count() == 0) return result;

  std::vector<Complex> data;
  std::vector<int64_t> dims = operand.dims();
  if (real_in) {
    data = wide ? LoadReal<double>(operand) : LoadReal<float>(operand);
  } else {
    data = wide ? LoadComplex<std::complex<double>>(operand)
                : LoadComplex<std::complex<float>>(operand);
  }
  if (type == FftType::kFft || type == FftType::kRfft) {
    for (int64_t d = rank - l; d < rank; ++d) {
      TransformAxis(data, dims, d, /*inverse=*/false);
    }
  } else if (type == FftType::kIfft) {
    for (int64_t d = rank - l; d < rank; ++d) {
      TransformAxis(data, dims, d, /*inverse=*/true);
    }
  } else {
    for (int64_t d = rank - l; d < rank - 1; ++d) {
      TransformAxis(data, dims, d, /*inverse=*/true);
    }
    // Rebuild each Hermitian row to full length n, then invert it.
    const int64_t n = fft_length[l - 1], half = dims[rank - 1];
    const int64_t rows = static_cast<int64_t>(data.size()) / half;
    std::vector<Complex> full(static_cast<size_t>(rows * n));
    for (int64_t r = 0; r < rows; ++r) {
      const Complex* src = data.data() + r * half;
      Complex* dst = full.data() + r * n;
      for (int64_t k = 0; k < n; ++k) {
        dst[k] = k < half ? src[k] : std::conj(src[n - k]);
      }
    }
    data.swap(full);
    dims[rank - 1] = n;
    TransformAxis(data, dims, rank - 1, /*inverse=*/true);
  }

  // Store, truncating the last dimension for RFFT.
  const int64_t out_last = result_dims[rank - 1];
  const int64_t in_last = dims[rank - 1];
  const int64_t rows = result.element_count() / out_last;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t k = 0; k < out_last; ++k) {
      const Complex v = data[r * in_last + k];
      const int64_t o = r * out_last + k;
      switch (result_type) {
        case ir::ElementType::kC64:
          result.data<std::complex<float>>()[o] = std::complex<float>(v);
          break;
        case ir::ElementType::kC128:
          result.data<std::complex<double>>()[o] = v;
          break;
        case ir::ElementType::kF32:
          result.data<float>()[o] = static_cast<float>(v.real());
          break;
        default:
          result.data<double>()[o] = v.real();
          break;
      }
    }
  }
  return result;
}

}  // namespace backplane::kernels::structured
