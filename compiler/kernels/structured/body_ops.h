// Typed implementations of the recognised body kinds (computation.h), so a
// kernel can pick its inner loop once per call:
//
//   DispatchBodyKind(body.kind, [&](auto kind) {
//     acc = ApplyBody<T, decltype(kind)::value>(acc, x);
//   });
//
// and the typed comparisons behind sort's and select_and_scatter's fast
// paths.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_BODY_OPS_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_BODY_OPS_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::kernels::structured {

// Whether `kind` has a typed implementation for traits T.
template <typename T>
constexpr bool SupportsBodyKind(BodyKind kind) {
  switch (kind) {
    case BodyKind::kAdd:
    case BodyKind::kMultiply:
    case BodyKind::kReplace:
      return true;
    case BodyKind::kMax:
    case BodyKind::kMin:
      return !T::kIsComplex;
    case BodyKind::kAnd:
    case BodyKind::kOr:
      return T::kIsInteger || T::kElementType == ir::ElementType::kPred;
    case BodyKind::kGeneric:
      return false;
  }
  return false;
}

template <typename T, BodyKind kKind>
inline typename T::Acc ApplyBody(typename T::Acc a, typename T::Acc b) {
  using Acc = typename T::Acc;
  if constexpr (kKind == BodyKind::kAdd) {
    return T::Add(a, b);
  } else if constexpr (kKind == BodyKind::kMultiply) {
    return T::Mul(a, b);
  } else if constexpr (kKind == BodyKind::kReplace) {
    return b;
  } else if constexpr (T::kIsComplex) {
    return a;  // Never selected: SupportsBodyKind rules complex out.
  } else if constexpr (kKind == BodyKind::kMax || kKind == BodyKind::kMin) {
    if constexpr (T::kIsFloat) {
      if (a != a) return a;  // NaN propagates, as in stablehlo.maximum.
      if (b != b) return b;
      // -0 == +0 under `<`, but stablehlo.maximum orders -0 below +0, so
      // the result must not depend on which zero the fold met first.
      if (a == b) {
        const bool a_negative = std::signbit(a);
        if constexpr (kKind == BodyKind::kMax) {
          return a_negative ? b : a;
        } else {
          return a_negative ? a : b;
        }
      }
    }
    if constexpr (kKind == BodyKind::kMax) {
      return a < b ? b : a;
    } else {
      return b < a ? b : a;
    }
  } else if constexpr (std::is_integral_v<Acc>) {
    if constexpr (kKind == BodyKind::kAnd) {
      return static_cast<Acc>(a & b);
    } else {
      return static_cast<Acc>(a | b);
    }
  } else {
    return a;  // Never selected: SupportsBodyKind rules floats out.
  }
}

// Calls fn(std::integral_constant<BodyKind, kind>{}) for a non-generic kind.
template <typename Fn>
void DispatchBodyKind(BodyKind kind, Fn&& fn) {
  switch (kind) {
    case BodyKind::kAdd:
      return fn(std::integral_constant<BodyKind, BodyKind::kAdd>{});
    case BodyKind::kMultiply:
      return fn(std::integral_constant<BodyKind, BodyKind::kMultiply>{});
    case BodyKind::kMax:
      return fn(std::integral_constant<BodyKind, BodyKind::kMax>{});
    case BodyKind::kMin:
      return fn(std::integral_constant<BodyKind, BodyKind::kMin>{});
    case BodyKind::kAnd:
      return fn(std::integral_constant<BodyKind, BodyKind::kAnd>{});
    case BodyKind::kOr:
      return fn(std::integral_constant<BodyKind, BodyKind::kOr>{});
    case BodyKind::kReplace:
      return fn(std::integral_constant<BodyKind, BodyKind::kReplace>{});
    case BodyKind::kGeneric:
      return;
  }
}

// Maps a float to an unsigned key whose natural order is the spec's
// TOTALORDER: -NaN < -Inf < ... < -0 < +0 < ... < +Inf < +NaN.
inline uint64_t TotalOrderKey(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
}

// Strict "a < b"; for floats either IEEE (NaN unordered) or TOTALORDER;
// complex values compare lexicographically by (real, imag), as the spec's
// compare does.
template <typename T>
inline bool TypedLess(typename T::Acc a, typename T::Acc b, bool total_order) {
  if constexpr (T::kIsComplex) {
    if (a.real() != b.real()) return a.real() < b.real();
    return a.imag() < b.imag();
  } else if constexpr (T::kIsFloat) {
    if (total_order) {
      return TotalOrderKey(static_cast<double>(a)) <
             TotalOrderKey(static_cast<double>(b));
    }
    return a < b;
  } else {
    return a < b;
  }
}

// Evaluates a recognised comparator kind on operand-0 values.
template <typename T>
inline bool TypedCompare(CompareKind kind, typename T::Acc a, typename T::Acc b,
                         bool total_order) {
  switch (kind) {
    case CompareKind::kLess:
      return TypedLess<T>(a, b, total_order);
    case CompareKind::kGreater:
      return TypedLess<T>(b, a, total_order);
    case CompareKind::kLessEqual:
      if constexpr (T::kIsFloat) {
        if (!total_order && (a != a || b != b)) return false;
      }
      return !TypedLess<T>(b, a, total_order);
    case CompareKind::kGreaterEqual:
      if constexpr (T::kIsFloat) {
        if (!total_order && (a != a || b != b)) return false;
      }
      return !TypedLess<T>(a, b, total_order);
    case CompareKind::kGeneric:
      break;
  }
  return false;
}

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_BODY_OPS_H_
