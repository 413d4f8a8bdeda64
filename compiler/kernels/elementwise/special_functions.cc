#include "compiler/kernels/elementwise/special_functions.h"

#include <cmath>
#include <limits>

namespace backplane::kernels::elementwise {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Bernoulli numbers B_2, B_4, ..., B_24 for the Euler-Maclaurin and
// asymptotic series below.
constexpr double kBernoulli[] = {
    1.0 / 6,       -1.0 / 30,       1.0 / 42,       -1.0 / 30,
    5.0 / 66,      -691.0 / 2730,   7.0 / 6,        -3617.0 / 510,
    43867.0 / 798, -174611.0 / 330, 854513.0 / 138, -236364091.0 / 2730,
};
constexpr int kBernoulliCount = sizeof(kBernoulli) / sizeof(kBernoulli[0]);

bool IsInteger(double x) { return std::isfinite(x) && x == std::floor(x); }

}  // namespace

double ErfInv(double y) {
  if (std::isnan(y) || y < -1 || y > 1) return kNaN;
  if (y == 1) return kInf;
  if (y == -1) return -kInf;
  if (y == 0) return y;  // Keeps the sign of zero.
  // Winitzki's closed-form approximation (relative error ~2e-3) ...
  const double a = 0.147;
  const double ln = std::log1p(-y * y);
  const double t = 2 / (kPi * a) + ln / 2;
  double x = std::copysign(std::sqrt(std::sqrt(t * t - ln / a) - t), y);
  // ... refined by Halley steps on f(x) = erf(x) - y, which converge
  // cubically; three reach double precision from 2e-3. Near |y| = 1 the
  // residual uses erfc so that 1 - |y| is not lost to cancellation.
  const double two_over_sqrt_pi = 1.1283791670955126;
  for (int i = 0; i < 3; ++i) {
    double residual;
    if (std::fabs(y) > 0.5) {
      const double tail = 1 - std::fabs(y);  // Exact (Sterbenz).
      const double magnitude_residual = tail - std::erfc(std::fabs(x));
      residual = y < 0 ? -magnitude_residual : magnitude_residual;
    } else {
      residual = std::erf(x) - y;
    }
    const double derivative = two_over_sqrt_pi * std::exp(-x * x);
    if (derivative == 0) break;
    const double step = residual / derivative;
    x -= step / (1 + x * step);
  }
  return x;
}

double LogGamma(double x) {
  int sign;
  return lgamma_r(x, &sign);
}

double Digamma(double x) {
  if (std::isnan(x) || x == -kInf) return kNaN;
  if (x == kInf) return kInf;
  if (x <= 0 && x == std::floor(x)) return kNaN;
  double result = 0;
  if (x < 0.5) {
    // Reflection: psi(x) = psi(1 - x) - pi / tan(pi x). Reduce the argument
    // of tan to [0, 1) first so large negative x keeps its precision.
    const double fraction = x - std::floor(x);
    result = -kPi / std::tan(kPi * fraction);
    x = 1 - x;
  }
  // Recurrence psi(x) = psi(x + 1) - 1/x up to where the asymptotic series
  // is accurate to double precision.
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const double inv2 = 1 / (x * x);
  double power = inv2;
  double series = 0;
  for (int k = 0; k < 7; ++k) {
    series += kBernoulli[k] / (2 * (k + 1)) * power;
    power *= inv2;
  }
  return result + std::log(x) - 0.5 / x - series;
}

double HurwitzZeta(double s, double q) {
  if (std::isnan(s) || std::isnan(q)) return kNaN;
  if (s == 1) return kInf;
  if (s < 1) return kNaN;
  if (q <= 0) {
    if (q == std::floor(q)) return kInf;
    if (!IsInteger(s) || q < -1e6) return kNaN;
  }
  if (s == kInf) return q == 1 ? 1 : (q < 1 ? kInf : 0);
  // Euler-Maclaurin: sum the first terms directly until a = q + n is large
  // enough for the tail integral plus Bernoulli corrections to converge.
  // The corrections shrink roughly like (s / (2 pi a))^2 per term, so a must
  // grow with s; beyond s = 1e4 the direct sum converges in a few terms.
  const double target = std::fmax(10.0, std::fmin(s, 1e4));
  double sum = 0;
  double a = q;
  int steps = 0;
  while (a < target) {
    const double term = std::pow(a, -s);
    sum += term;
    a += 1;
    if (++steps > 2000000) return kNaN;  // Unreachable with q >= -1e6.
    if (s > 1e4 && sum != 0 && term < sum * 1e-17) return sum;
  }
  if (s > 1e4) {
    // Direct summation only; the remaining terms are below double's reach
    // relative to the first one unless q is huge, where the integral wins.
    if (sum == 0) return std::pow(a, 1 - s) / (s - 1);
    return sum;
  }
  const double a_pow = std::pow(a, -s);
  sum += a * a_pow / (s - 1) + a_pow / 2;
  // Term j: B_2j / (2j)! * s (s+1) ... (s+2j-2) * a^(-s-2j+1).
  double rising = s * a_pow / a;  // s * a^(-s-1)
  double factorial = 2;           // (2j)!
  for (int j = 0; j < kBernoulliCount; ++j) {
    const double term = kBernoulli[j] / factorial * rising;
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * 1e-17) break;
    const double k = 2.0 * j + 1;  // Next two factors: (s + 2j + 1)(s + 2j + 2)
    rising *= (s + k) * (s + k + 1) / (a * a);
    factorial *= (k + 2) * (k + 3);
  }
  return sum;
}

double Polygamma(double n, double x) {
  if (std::isnan(n) || std::isnan(x) || n < 0 || !IsInteger(n)) return kNaN;
  if (n == 0) return Digamma(x);
  // psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x).
  const double sign = std::fmod(n, 2) == 1 ? 1 : -1;
  return sign * std::exp(LogGamma(n + 1)) * HurwitzZeta(n + 1, x);
}

double BesselI1e(double x) {
  if (std::isnan(x)) return x;
  const double ax = std::fabs(x);
  double result;
  if (ax == kInf) {
    result = 0;
  } else if (ax <= 500) {
    // I1(500) ~ 1e215, still finite in double.
    result = std::cyl_bessel_i(1.0, ax) * std::exp(-ax);
  } else {
    // Asymptotic expansion I1(x) e^-x ~ (2 pi x)^-1/2 sum_k (-1)^k a_k / x^k
    // with a_k = prod_{i=1..k} (4 - (2i-1)^2) / (k! 8^k); for x > 500 ten
    // terms are far below double precision.
    double term = 1;
    double sum = 1;
    for (int k = 1; k < 10; ++k) {
      const double odd = 2.0 * k - 1;
      term *= -(4 - odd * odd) / (8.0 * k * ax);
      sum += term;
    }
    result = sum / std::sqrt(2 * kPi * ax);
  }
  return std::copysign(result, x);
}

}  // namespace backplane::kernels::elementwise
