// Scalar semantics of stablehlo.convert, as an inline template that fused
// loops can call: ConvertScalar<To>(value) takes a compute value (bool,
// integer, float, double, std::complex) and returns To's storage value.
//
//   uint16_t h = ConvertScalar<ElementType::kF16>(1.0 / 3);   // one rounding
//   int8_t s = ConvertScalar<ElementType::kS8>(300.7f);       // 127
//
// Rules (the reference interpreter's and XLA's):
//   * to i1: x != 0 (NaN is true); complex uses the real part.
//   * integer -> integer: two's complement wrap to the destination width.
//   * float -> integer: truncate toward zero, saturate to the destination's
//     range, NaN -> 0.
//   * integer/float -> float: round to nearest, ties to even, rounding once
//     even when the source is wider than f32 (f64/i64 -> f16/bf16/f8).
//   * complex -> real types: the real part; real -> complex: imaginary 0.
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_SCALAR_CONVERT_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_SCALAR_CONVERT_H_

#include <cmath>
#include <complex>
#include <cstdint>
#include <type_traits>

#include "compiler/ir/float16.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/narrow_float.h"
#include "compiler/kernels/elementwise/scalar_ops.h"

namespace backplane::kernels::elementwise {
namespace convert_internal {

// Saturating float -> integer of kBits bits, truncating toward zero.
template <typename I, int kBits, typename F>
inline I FloatToInteger(F f) {
  if (std::isnan(f)) return 0;
  if constexpr (std::is_signed_v<I>) {
    const F limit = std::ldexp(F(1), kBits - 1);  // Exact: 2^(kBits-1).
    if (f <= -limit) {
      return static_cast<I>(std::numeric_limits<I>::min() >>
                            (8 * sizeof(I) - kBits));
    }
    if (f >= limit) {
      return static_cast<I>(std::numeric_limits<I>::max() >>
                            (8 * sizeof(I) - kBits));
    }
    return static_cast<I>(static_cast<int64_t>(f));
  } else {
    if (!(f >= 1)) return 0;  // Negative values and (-1, 1) truncate to 0.
    const F limit = std::ldexp(F(1), kBits);
    if (f >= limit) {
      return static_cast<I>(std::numeric_limits<I>::max() >>
                            (8 * sizeof(I) - kBits));
    }
    return static_cast<I>(static_cast<uint64_t>(f));
  }
}

// An integer as a double rounded to odd (sticky last bit): exact below 2^53,
// and rounding it once more to any format with <= 51 mantissa bits equals a
// single correct rounding of the integer.
template <typename I>
inline double IntegerToDoubleRoundToOdd(I value) {
  bool negative = false;
  if constexpr (std::is_signed_v<I>) negative = value < 0;
  const uint64_t magnitude = negative
                                 ? uint64_t{0} - static_cast<uint64_t>(value)
                                 : static_cast<uint64_t>(value);
  if (magnitude < (uint64_t{1} << 53)) {
    const double d = static_cast<double>(magnitude);
    return negative ? -d : d;
  }
  const int shift = 64 - __builtin_clzll(magnitude) - 53;
  uint64_t kept = magnitude >> shift;
  if (magnitude & ((uint64_t{1} << shift) - 1)) kept |= 1;
  const double d = std::ldexp(static_cast<double>(kept), shift);
  return negative ? -d : d;
}

}  // namespace convert_internal

template <ElementType To, typename From>
inline typename ElementTraits<To>::Storage ConvertScalar(From value) {
  namespace ci = convert_internal;
  using ToTraits = ElementTraits<To>;
  using ToStorage = typename ToTraits::Storage;
  constexpr TypeClass kToClass = ClassOf(To);
  if constexpr (kIsComplex<From>) {
    if constexpr (kToClass == TypeClass::kComplex) {
      using R = typename ToTraits::Compute::value_type;
      constexpr ElementType kPart =
          std::is_same_v<R, float> ? ElementType::kF32 : ElementType::kF64;
      return ToStorage(ConvertScalar<kPart>(value.real()),
                       ConvertScalar<kPart>(value.imag()));
    } else {
      return ConvertScalar<To>(value.real());
    }
  } else if constexpr (kToClass == TypeClass::kPred) {
    return value != From(0) ? 1 : 0;
  } else if constexpr (kToClass == TypeClass::kComplex) {
    using R = typename ToTraits::Compute::value_type;
    constexpr ElementType kPart =
        std::is_same_v<R, float> ? ElementType::kF32 : ElementType::kF64;
    return ToStorage(ConvertScalar<kPart>(value), R(0));
  } else if constexpr (IsIntegerClass(kToClass)) {
    using I = typename ToTraits::Compute;
    if constexpr (std::is_floating_point_v<From>) {
      return ci::FloatToInteger<I, ToTraits::kBits>(value);
    } else {
      return WrapToBits<I, ToTraits::kBits>(static_cast<I>(value));
    }
  } else if constexpr (To == ElementType::kF32 || To == ElementType::kF64) {
    return static_cast<ToStorage>(value);  // Hardware rounding: ties-to-even.
  } else {
    // Narrow float destinations: get a float (or a double for wide sources)
    // that rounds to the right narrow value in one step.
    if constexpr (std::is_same_v<From, float> || std::is_same_v<From, bool> ||
                  (std::is_integral_v<From> && sizeof(From) <= 2)) {
      return ToTraits::Store(static_cast<float>(value));  // Exact in f32.
    } else {
      double wide;
      if constexpr (std::is_integral_v<From>) {
        wide = ci::IntegerToDoubleRoundToOdd(value);
      } else {
        wide = value;
      }
      if constexpr (To == ElementType::kF16) {
        return ir::DoubleToHalf(wide);
      } else if constexpr (To == ElementType::kBF16) {
        return ir::DoubleToBF16(wide);
      } else {
        return ToTraits::Store(DoubleToFloatRoundToOdd(wide));
      }
    }
  }
}

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_SCALAR_CONVERT_H_
