// Scalar special functions behind the CHLO ops that the C++ standard library
// lacks or gets wrong at the edges. All work in double; the kernels call them
// for every float type and round the result once.
//
//   double y = ErfInv(0.5);        // 0.4769362762044699
//   double z = HurwitzZeta(2, 1);  // pi^2 / 6
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_SPECIAL_FUNCTIONS_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_SPECIAL_FUNCTIONS_H_

namespace backplane::kernels::elementwise {

// Inverse error function: ErfInv(erf(x)) == x. +-1 give +-inf, |y| > 1 and
// NaN give NaN.
double ErfInv(double y);

// log|gamma(x)|, thread-safe (std::lgamma writes the global signgam).
double LogGamma(double x);

// psi(x) = d/dx log gamma(x). NaN at the poles (zero and negative integers),
// like XLA's chlo.digamma lowering.
double Digamma(double x);

// Hurwitz zeta function sum_{k>=0} (q + k)^-s. +inf for s == 1 and at the
// poles q = 0, -1, -2, ...; NaN for s < 1 and where the terms are not real
// (negative q with non-integer s) or q is too negative to sum (< -1e6).
double HurwitzZeta(double s, double q);

// n-th derivative of digamma; n must be a non-negative integer (else NaN).
double Polygamma(double n, double x);

// Exponentially scaled modified Bessel function of the first kind, order 1:
// I1(x) * exp(-|x|). Odd in x.
double BesselI1e(double x);

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_SPECIAL_FUNCTIONS_H_
