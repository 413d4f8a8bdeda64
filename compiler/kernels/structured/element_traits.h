// Compile-time arithmetic traits for every StableHLO element type, and a
// dispatcher that switches on a runtime ElementType once so kernels can run
// tight typed loops:
//
//   return DispatchArithmetic(type, [&](auto traits) -> absl::Status {
//     using T = decltype(traits);
//     typename T::Acc sum = T::Zero();
//     ...
//   });
//
// `Storage` is what a Literal holds (element_type.h); `Acc` is the type in
// which kernels compute: f32 for f16/bf16/f8 (the accumulation precision the
// spec leaves to the implementation; XLA does the same), the storage type
// for everything else. Integer Add/Mul wrap around; sub-byte integers are
// re-normalised to their bit width on Store.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_ELEMENT_TRAITS_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_ELEMENT_TRAITS_H_

#include <complex>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/element_types.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/float16.h"

namespace backplane::kernels::structured {

namespace traits_internal {

// Wrapping integer arithmetic without signed-overflow UB and without the
// promotion of narrow unsigned types to (signed) int.
template <typename T>
using WideUnsigned = std::conditional_t<(sizeof(T) <= 4), uint32_t, uint64_t>;

template <typename T>
T WrapAdd(T a, T b) {
  using U = WideUnsigned<T>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}
template <typename T>
T WrapMul(T a, T b) {
  using U = WideUnsigned<T>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}

}  // namespace traits_internal

// Integer types of 8 bits or more.
template <ir::ElementType kType, typename S>
struct IntTraits {
  static constexpr ir::ElementType kElementType = kType;
  using Storage = S;
  using Acc = S;
  static constexpr bool kIsFloat = false;
  static constexpr bool kIsComplex = false;
  static constexpr bool kIsInteger = true;
  static Acc Load(Storage s) { return s; }
  static Storage Store(Acc a) { return a; }
  static Acc Zero() { return 0; }
  static Acc One() { return 1; }
  static Acc Add(Acc a, Acc b) { return traits_internal::WrapAdd(a, b); }
  static Acc Mul(Acc a, Acc b) { return traits_internal::WrapMul(a, b); }
};

// s2/s4 (sign-extended int8 storage) and u2/u4 (zero-extended uint8).
template <ir::ElementType kType, typename S, int kBits>
struct SubByteIntTraits : IntTraits<kType, S> {
  using Storage = S;
  using Acc = S;
  static Storage Store(Acc a) {
    if constexpr (std::is_signed_v<S>) {
      const int shift = 8 - kBits;
      return static_cast<S>(
          static_cast<int8_t>(static_cast<uint8_t>(a) << shift) >> shift);
    } else {
      return static_cast<S>(a & ((1u << kBits) - 1u));
    }
  }
};

struct PredTraits {
  static constexpr ir::ElementType kElementType = ir::ElementType::kPred;
  using Storage = uint8_t;
  // 0 or 1 in a byte (not bool, so buffers of Acc are ordinary vectors).
  using Acc = uint8_t;
  static constexpr bool kIsFloat = false;
  static constexpr bool kIsComplex = false;
  static constexpr bool kIsInteger = false;
  static Acc Load(Storage s) { return s != 0; }
  static Storage Store(Acc a) { return a != 0; }
  static Acc Zero() { return 0; }
  static Acc One() { return 1; }
  // The boolean semiring: XLA's dot of pred is or-of-ands.
  static Acc Add(Acc a, Acc b) { return a | b; }
  static Acc Mul(Acc a, Acc b) { return a & b; }
};

template <ir::ElementType kType, typename S, typename A, A (*kLoad)(S),
          S (*kStore)(A)>
struct FloatTraits {
  static constexpr ir::ElementType kElementType = kType;
  using Storage = S;
  using Acc = A;
  static constexpr bool kIsFloat = true;
  static constexpr bool kIsComplex = false;
  static constexpr bool kIsInteger = false;
  static Acc Load(Storage s) { return kLoad(s); }
  static Storage Store(Acc a) { return kStore(a); }
  static Acc Zero() { return 0; }
  static Acc One() { return 1; }
  static Acc Add(Acc a, Acc b) { return a + b; }
  static Acc Mul(Acc a, Acc b) { return a * b; }
};

namespace traits_internal {
template <typename T>
T Identity(T v) {
  return v;
}
}  // namespace traits_internal

template <ir::ElementType kType, typename C>
struct ComplexTraits {
  static constexpr ir::ElementType kElementType = kType;
  using Storage = C;
  using Acc = C;
  static constexpr bool kIsFloat = false;
  static constexpr bool kIsComplex = true;
  static constexpr bool kIsInteger = false;
  static Acc Load(Storage s) { return s; }
  static Storage Store(Acc a) { return a; }
  static Acc Zero() { return Acc(0); }
  static Acc One() { return Acc(1); }
  static Acc Add(Acc a, Acc b) { return a + b; }
  static Acc Mul(Acc a, Acc b) { return a * b; }
};

using S2Traits = SubByteIntTraits<ir::ElementType::kS2, int8_t, 2>;
using S4Traits = SubByteIntTraits<ir::ElementType::kS4, int8_t, 4>;
using U2Traits = SubByteIntTraits<ir::ElementType::kU2, uint8_t, 2>;
using U4Traits = SubByteIntTraits<ir::ElementType::kU4, uint8_t, 4>;
using S8Traits = IntTraits<ir::ElementType::kS8, int8_t>;
using S16Traits = IntTraits<ir::ElementType::kS16, int16_t>;
using S32Traits = IntTraits<ir::ElementType::kS32, int32_t>;
using S64Traits = IntTraits<ir::ElementType::kS64, int64_t>;
using U8Traits = IntTraits<ir::ElementType::kU8, uint8_t>;
using U16Traits = IntTraits<ir::ElementType::kU16, uint16_t>;
using U32Traits = IntTraits<ir::ElementType::kU32, uint32_t>;
using U64Traits = IntTraits<ir::ElementType::kU64, uint64_t>;
using F8E4M3FNTraits = FloatTraits<ir::ElementType::kF8E4M3FN, uint8_t, float,
                                   ir::F8E4M3FNToFloat, ir::FloatToF8E4M3FN>;
using F8E5M2Traits = FloatTraits<ir::ElementType::kF8E5M2, uint8_t, float,
                                 ir::F8E5M2ToFloat, ir::FloatToF8E5M2>;
using F8E4M3Traits = FloatTraits<ir::ElementType::kF8E4M3, uint8_t, float,
                                 ir::F8E4M3ToFloat, ir::FloatToF8E4M3>;
using F8E3M4Traits = FloatTraits<ir::ElementType::kF8E3M4, uint8_t, float,
                                 ir::F8E3M4ToFloat, ir::FloatToF8E3M4>;
using F8E4M3FNUZTraits =
    FloatTraits<ir::ElementType::kF8E4M3FNUZ, uint8_t, float,
                ir::F8E4M3FNUZToFloat, ir::FloatToF8E4M3FNUZ>;
using F8E5M2FNUZTraits =
    FloatTraits<ir::ElementType::kF8E5M2FNUZ, uint8_t, float,
                ir::F8E5M2FNUZToFloat, ir::FloatToF8E5M2FNUZ>;
using F8E4M3B11FNUZTraits =
    FloatTraits<ir::ElementType::kF8E4M3B11FNUZ, uint8_t, float,
                ir::F8E4M3B11FNUZToFloat, ir::FloatToF8E4M3B11FNUZ>;
using F8E8M0FNUTraits = FloatTraits<ir::ElementType::kF8E8M0FNU, uint8_t, float,
                                    ir::F8E8M0FNUToFloat, ir::FloatToF8E8M0FNU>;
using F4E2M1FNTraits = FloatTraits<ir::ElementType::kF4E2M1FN, uint8_t, float,
                                   ir::F4E2M1FNToFloat, ir::FloatToF4E2M1FN>;
using F6E2M3FNTraits = FloatTraits<ir::ElementType::kF6E2M3FN, uint8_t, float,
                                   ir::F6E2M3FNToFloat, ir::FloatToF6E2M3FN>;
using F6E3M2FNTraits = FloatTraits<ir::ElementType::kF6E3M2FN, uint8_t, float,
                                   ir::F6E3M2FNToFloat, ir::FloatToF6E3M2FN>;
using F16Traits = FloatTraits<ir::ElementType::kF16, uint16_t, float,
                              ir::HalfToFloat, ir::FloatToHalf>;
using BF16Traits = FloatTraits<ir::ElementType::kBF16, uint16_t, float,
                               ir::BF16ToFloat, ir::FloatToBF16>;
using F32Traits = FloatTraits<ir::ElementType::kF32, float, float,
                              traits_internal::Identity<float>,
                              traits_internal::Identity<float>>;
using F64Traits = FloatTraits<ir::ElementType::kF64, double, double,
                              traits_internal::Identity<double>,
                              traits_internal::Identity<double>>;
using C64Traits = ComplexTraits<ir::ElementType::kC64, std::complex<float>>;
using C128Traits = ComplexTraits<ir::ElementType::kC128, std::complex<double>>;

// Calls `fn(Traits{})` for the traits of `type`. `fn` must return
// absl::Status or absl::StatusOr<X> for one X across all instantiations.
template <typename Fn>
auto DispatchArithmetic(ir::ElementType type, Fn&& fn)
    -> decltype(fn(F32Traits{})) {
  using ir::ElementType;
  switch (type) {
#define BACKPLANE_ARITHMETIC_CASE(e, NAME, mlir, abi_name, storage, bits, \
                                  category)                               \
  case ElementType::k##e:                                                 \
    return fn(e##Traits{});
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_ARITHMETIC_CASE)
#undef BACKPLANE_ARITHMETIC_CASE
    case ElementType::kInvalid:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported element type ", static_cast<int>(type)));
}

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_ELEMENT_TRAITS_H_
