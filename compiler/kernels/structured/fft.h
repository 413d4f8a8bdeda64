// stablehlo.fft: FFT, IFFT, RFFT and IRFFT over the last 1-3 dimensions.
//
//   absl::StatusOr<ir::Literal> spectrum =
//       Fft(signal, FftType::kRfft, /*fft_length=*/{256});
//
// O(n log n) for every length: radix-2 for powers of two, Bluestein's chirp
// z-transform (via a power-of-two FFT) for other lengths above 64; short
// non-power-of-two lengths use a direct DFT, which is more accurate.
// Computed in double precision for both c64 and c128, then rounded to the
// result type. IFFT and IRFFT scale by 1/n like the spec (and numpy).
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_FFT_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_FFT_H_

#include <complex>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

enum class FftType { kFft, kIfft, kRfft, kIrfft };

// FFT/IFFT: complex -> same complex type. RFFT: f32/f64 -> c64/c128 with the
// last dimension n/2+1. IRFFT: c64/c128 (last dimension n/2+1) -> f32/f64.
absl::StatusOr<ir::Literal> Fft(const ir::Literal& operand, FftType type,
                                absl::Span<const int64_t> fft_length);

// A reusable 1-D transform of one length; exposed for tests and for callers
// that transform many rows.
class FftPlan {
 public:
  explicit FftPlan(int64_t n);
  int64_t size() const { return n_; }
  // In place; `inverse` computes the unscaled inverse transform.
  void Transform(std::complex<double>* data, bool inverse) const;

 private:
  void PowerOfTwo(std::complex<double>* data, int64_t n,
                  const std::vector<std::complex<double>>& twiddles) const;

  int64_t n_;
  bool pow2_;
  // exp(-2 pi i k / n_): k < n_/2 for radix-2, k < n_ for the direct DFT.
  std::vector<std::complex<double>> twiddles_;
  // Bluestein: chirp exp(-pi i k^2 / n), padded length m, the transformed
  // conjugate chirp, and twiddles of length m.
  int64_t m_ = 0;
  std::vector<std::complex<double>> chirp_;
  std::vector<std::complex<double>> chirp_fft_;
  std::vector<std::complex<double>> m_twiddles_;
  mutable std::vector<std::complex<double>> scratch_;
};

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_FFT_H_
