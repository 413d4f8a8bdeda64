// The one description of the element types for the kernels: how each
// ElementType is stored in a Literal, in which C++ type kernels compute on
// it, its arithmetic for accumulating kernels, and the switches that turn a
// runtime ElementType into a compile-time tag. Every kernel switches on the
// type once per call and then runs a typed loop.
//
// Element-wise kernels (compute type, Load/Store):
//
//   absl::Status s = DispatchElementType(type, [&](auto tag) {
//     using Traits = typename decltype(tag)::Traits;
//     ... Traits::Load(storage[i]) ... Traits::Store(result) ...
//     return absl::OkStatus();
//   });
//
// Accumulating kernels (dot, convolution, reductions: Acc, Zero, Add, Mul):
//
//   return DispatchArithmetic(type, [&](auto traits) -> absl::Status {
//     using T = decltype(traits);
//     typename T::Acc sum = T::Zero();
//     ...
//   });
//
// Compute types: pred -> bool; si2/si4 -> int8_t and ui2/ui4 -> uint8_t
// (results are wrapped back to the narrow width); f8/f16/bf16 -> float
// (every operation is done in f32 and rounded once, to nearest even; f32 is
// also the accumulation precision, which the spec leaves to the
// implementation; XLA does the same); the rest -> their native C++ type.
// Accumulating arithmetic keeps pred in a byte (0/1, the boolean semiring:
// or-of-ands) and wraps integer Add/Mul around.
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENT_TRAITS_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENT_TRAITS_H_

#include <complex>
#include <cstdint>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/element_types.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/float16.h"
#include "compiler/kernels/narrow_float.h"

namespace backplane::kernels {

using ir::ElementType;

// Broad families of element types, as the spec groups them.
enum class TypeClass { kInvalid, kPred, kSigned, kUnsigned, kFloat, kComplex };

constexpr TypeClass ClassOf(ElementType type) {
  switch (type) {
#define BACKPLANE_CLASS_CASE(e, NAME, mlir, abi_name, storage, bits, category) \
  case ElementType::k##e:                                                      \
    return TypeClass::k##category;
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_CLASS_CASE)
#undef BACKPLANE_CLASS_CASE
    case ElementType::kInvalid:
      break;
  }
  return TypeClass::kInvalid;
}

constexpr bool IsIntegerClass(TypeClass c) {
  return c == TypeClass::kSigned || c == TypeClass::kUnsigned;
}

// Wraps an integer computed in a wider C++ type to `kBits` bits:
// sign-extends for signed types, masks for unsigned ones. The identity when
// kBits is the full width of T.
template <typename T, int kBits>
constexpr T WrapToBits(T value) {
  if constexpr (std::is_same_v<T, bool> || kBits >= 8 * int{sizeof(T)}) {
    return value;
  } else {
    using U = std::make_unsigned_t<T>;
    constexpr int kShift = 8 * int{sizeof(T)} - kBits;
    if constexpr (std::is_signed_v<T>) {
      const U shifted = static_cast<U>(static_cast<U>(value) << kShift);
      return static_cast<T>(static_cast<T>(shifted) >> kShift);
    } else {
      return static_cast<T>(value & static_cast<U>((U{1} << kBits) - 1));
    }
  }
}

template <ElementType E>
struct ElementTraits;

// Types whose storage is the compute type (all native integers and floats).
template <typename T, int kBitWidth>
struct NativeTraits {
  using Storage = T;
  using Compute = T;
  static constexpr int kBits = kBitWidth;
  static Compute Load(Storage s) { return s; }
  static Storage Store(Compute c) { return c; }
};

// Sub-byte integers: one per byte, kept sign- or zero-extended.
template <typename T, int kBitWidth>
struct NarrowIntTraits {
  using Storage = T;
  using Compute = T;
  static constexpr int kBits = kBitWidth;
  static Compute Load(Storage s) { return s; }
  static Storage Store(Compute c) { return WrapToBits<T, kBitWidth>(c); }
};

template <>
struct ElementTraits<ElementType::kPred> {
  using Storage = uint8_t;  // Never read a byte as bool: 2 would be UB.
  using Compute = bool;
  static constexpr int kBits = 1;
  static Compute Load(Storage s) { return s != 0; }
  static Storage Store(Compute c) { return c ? 1 : 0; }
};
template <>
struct ElementTraits<ElementType::kS2> : NarrowIntTraits<int8_t, 2> {};
template <>
struct ElementTraits<ElementType::kS4> : NarrowIntTraits<int8_t, 4> {};
template <>
struct ElementTraits<ElementType::kS8> : NativeTraits<int8_t, 8> {};
template <>
struct ElementTraits<ElementType::kS16> : NativeTraits<int16_t, 16> {};
template <>
struct ElementTraits<ElementType::kS32> : NativeTraits<int32_t, 32> {};
template <>
struct ElementTraits<ElementType::kS64> : NativeTraits<int64_t, 64> {};
template <>
struct ElementTraits<ElementType::kU2> : NarrowIntTraits<uint8_t, 2> {};
template <>
struct ElementTraits<ElementType::kU4> : NarrowIntTraits<uint8_t, 4> {};
template <>
struct ElementTraits<ElementType::kU8> : NativeTraits<uint8_t, 8> {};
template <>
struct ElementTraits<ElementType::kU16> : NativeTraits<uint16_t, 16> {};
template <>
struct ElementTraits<ElementType::kU32> : NativeTraits<uint32_t, 32> {};
template <>
struct ElementTraits<ElementType::kU64> : NativeTraits<uint64_t, 64> {};
template <>
struct ElementTraits<ElementType::kF32> : NativeTraits<float, 32> {};
template <>
struct ElementTraits<ElementType::kF64> : NativeTraits<double, 64> {};
template <>
struct ElementTraits<ElementType::kC64>
    : NativeTraits<std::complex<float>, 64> {};
template <>
struct ElementTraits<ElementType::kC128>
    : NativeTraits<std::complex<double>, 128> {};

template <>
struct ElementTraits<ElementType::kF16> {
  using Storage = uint16_t;
  using Compute = float;
  static constexpr int kBits = 16;
  static Compute Load(Storage s) { return HalfBitsToFloat(s); }
  static Storage Store(Compute c) { return FloatToHalfBits(c); }
};
template <>
struct ElementTraits<ElementType::kBF16> {
  using Storage = uint16_t;
  using Compute = float;
  static constexpr int kBits = 16;
  static Compute Load(Storage s) { return ir::BF16ToFloat(s); }
  static Storage Store(Compute c) { return FloatToBF16Bits(c); }
};
template <>
struct ElementTraits<ElementType::kF8E4M3FN> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F8E4M3FNToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF8E4M3FN(c); }
};
template <>
struct ElementTraits<ElementType::kF8E5M2> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F8E5M2ToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF8E5M2(c); }
};

template <>
struct ElementTraits<ElementType::kF8E4M3> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F8E4M3ToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF8E4M3(c); }
};
template <>
struct ElementTraits<ElementType::kF8E3M4> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F8E3M4ToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF8E3M4(c); }
};
template <>
struct ElementTraits<ElementType::kF8E4M3FNUZ> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F8E4M3FNUZToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF8E4M3FNUZ(c); }
};
template <>
struct ElementTraits<ElementType::kF8E5M2FNUZ> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F8E5M2FNUZToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF8E5M2FNUZ(c); }
};
template <>
struct ElementTraits<ElementType::kF8E4M3B11FNUZ> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F8E4M3B11FNUZToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF8E4M3B11FNUZ(c); }
};
template <>
struct ElementTraits<ElementType::kF8E8M0FNU> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F8E8M0FNUToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF8E8M0FNU(c); }
};
template <>
struct ElementTraits<ElementType::kF4E2M1FN> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F4E2M1FNToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF4E2M1FN(c); }
};
template <>
struct ElementTraits<ElementType::kF6E2M3FN> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F6E2M3FNToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF6E2M3FN(c); }
};
template <>
struct ElementTraits<ElementType::kF6E3M2FN> {
  using Storage = uint8_t;
  using Compute = float;
  static constexpr int kBits = 8;
  static Compute Load(Storage s) { return ir::F6E3M2FNToFloat(s); }
  static Storage Store(Compute c) { return ir::FloatToF6E3M2FN(c); }
};

// True for the float formats stored as bit patterns and computed in f32.
constexpr bool IsNarrowFloat(ElementType type) {
  switch (type) {
#define BACKPLANE_NARROW_CASE(e, NAME, mlir, abi_name, storage, bits, \
                              category)                               \
  case ElementType::k##e:                                             \
    return TypeClass::k##category == TypeClass::kFloat &&             \
           !std::is_floating_point_v<storage>;
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_NARROW_CASE)
#undef BACKPLANE_NARROW_CASE
    case ElementType::kInvalid:
      break;
  }
  return false;
}

template <ElementType E>
struct TypeTag {
  static constexpr ElementType kType = E;
  using Traits = ElementTraits<E>;
};

// Calls `fn(TypeTag<type>{})` and returns its absl::Status. kInvalid (or
// any value outside the enum) gives INVALID_ARGUMENT without calling `fn`.
template <typename Fn>
absl::Status DispatchElementType(ElementType type, Fn&& fn) {
  switch (type) {
#define BACKPLANE_DISPATCH_CASE(e, NAME, mlir, abi_name, storage, bits, \
                                category)                               \
  case ElementType::k##e:                                               \
    return fn(TypeTag<ElementType::k##e>{});
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_DISPATCH_CASE)
#undef BACKPLANE_DISPATCH_CASE
    case ElementType::kInvalid:
      break;
  }
  return absl::InvalidArgumentError("invalid element type");
}

// Arithmetic for accumulating kernels, on top of ElementTraits<E>.
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

template <ElementType E>
struct ArithmeticTraits {
  using Element = ElementTraits<E>;
  static constexpr ElementType kElementType = E;
  static constexpr TypeClass kClass = ClassOf(E);
  static constexpr bool kIsFloat = kClass == TypeClass::kFloat;
  static constexpr bool kIsComplex = kClass == TypeClass::kComplex;
  static constexpr bool kIsInteger = IsIntegerClass(kClass);
  using Storage = typename Element::Storage;
  // 0 or 1 in a byte for pred (not bool, so buffers of Acc are ordinary
  // vectors); the compute type for everything else.
  using Acc = std::conditional_t<kClass == TypeClass::kPred, uint8_t,
                                 typename Element::Compute>;
  static Acc Load(Storage s) { return static_cast<Acc>(Element::Load(s)); }
  static Storage Store(Acc a) {
    if constexpr (kClass == TypeClass::kPred) {
      return Element::Store(a != 0);
    } else {
      return Element::Store(a);
    }
  }
  static Acc Zero() { return Acc(0); }
  static Acc One() { return Acc(1); }
  static Acc Add(Acc a, Acc b) {
    if constexpr (kClass == TypeClass::kPred) {
      return a | b;
    } else if constexpr (kIsInteger) {
      return traits_internal::WrapAdd(a, b);
    } else {
      return a + b;
    }
  }
  static Acc Mul(Acc a, Acc b) {
    if constexpr (kClass == TypeClass::kPred) {
      return a & b;
    } else if constexpr (kIsInteger) {
      return traits_internal::WrapMul(a, b);
    } else {
      return a * b;
    }
  }
};

// Calls `fn(ArithmeticTraits<type>{})`. `fn` must return absl::Status or
// absl::StatusOr<X> for one X across all instantiations; kInvalid gives
// INVALID_ARGUMENT without calling `fn`.
template <typename Fn>
auto DispatchArithmetic(ElementType type, Fn&& fn)
    -> decltype(fn(ArithmeticTraits<ElementType::kF32>{})) {
  switch (type) {
#define BACKPLANE_ARITHMETIC_CASE(e, NAME, mlir, abi_name, storage, bits, \
                                  category)                               \
  case ElementType::k##e:                                                 \
    return fn(ArithmeticTraits<ElementType::k##e>{});
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_ARITHMETIC_CASE)
#undef BACKPLANE_ARITHMETIC_CASE
    case ElementType::kInvalid:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported element type ", static_cast<int>(type)));
}

}  // namespace backplane::kernels

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENT_TRAITS_H_
