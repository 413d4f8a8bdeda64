#include "compiler/kernels/elementwise/binary.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/elementwise/kernel_util.h"
#include "compiler/kernels/elementwise/scalar_ops.h"
#include "compiler/kernels/vector_clones.h"

namespace backplane::kernels::elementwise {
namespace {

// next_after must step by one unit of the narrow format itself, so it works
// on the bit pattern rather than on the f32 compute value.
template <ElementType E>
typename ElementTraits<E>::Storage NarrowNextAfter(
    typename ElementTraits<E>::Storage a,
    typename ElementTraits<E>::Storage b) {
  using Traits = ElementTraits<E>;
  using Storage = typename Traits::Storage;
  const float x = Traits::Load(a);
  const float y = Traits::Load(b);
  if (std::isnan(x) || std::isnan(y)) {
    return Traits::Store(std::numeric_limits<float>::quiet_NaN());
  }
  if (x == y) return b;
  if constexpr (E == ElementType::kF8E8M0FNU) {
    // Unsigned powers of two without zero: step the exponent; below the
    // smallest value there is nothing, above the largest only NaN.
    if (x < y) return static_cast<Storage>(a + 1);
    return a == 0 ? a : static_cast<Storage>(a - 1);
  }
  // The sign is the top bit of the format (bit 3 of an f4, 5 of an f6).
  constexpr int kWidth =
      E == ElementType::kF4E2M1FN ? 4
      : (E == ElementType::kF6E2M3FN || E == ElementType::kF6E3M2FN)
          ? 6
          : 8 * int{sizeof(Storage)};
  constexpr Storage kSignBit = static_cast<Storage>(1u << (kWidth - 1));
  if (x == 0) return static_cast<Storage>((std::signbit(y) ? kSignBit : 0) | 1);
  const bool away_from_zero = (x < y) == (x > 0);
  const Storage stepped = static_cast<Storage>(away_from_zero ? a + 1 : a - 1);
  // Reaching zero from below: a signed zero, or +0 in the FNUZ formats where
  // the -0 pattern is NaN.
  if ((stepped & ~kSignBit & ((1u << kWidth) - 1)) == 0) {
    return Traits::Store(std::signbit(x) ? -0.0f : 0.0f);
  }
  return stepped;
}

template <BinaryOp kOp, ElementType E>
BACKPLANE_VECTOR_CLONES void BinaryLoop(const void* lhs, const void* rhs,
                                        void* out, int64_t n) {
  using Traits = ElementTraits<E>;
  using Storage = typename Traits::Storage;
  using Compute = typename Traits::Compute;
  const Storage* a = static_cast<const Storage*>(lhs);
  const Storage* b = static_cast<const Storage*>(rhs);
  Storage* y = static_cast<Storage*>(out);
  if constexpr (kOp == BinaryOp::kNextAfter && IsNarrowFloat(E)) {
    for (int64_t i = 0; i < n; ++i) y[i] = NarrowNextAfter<E>(a[i], b[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) {
      y[i] = Traits::Store(ApplyBinary<kOp, Compute, Traits::kBits>(
          Traits::Load(a[i]), Traits::Load(b[i])));
    }
  }
}

template <ElementType E>
BinaryLoopFn BinaryLoopFor(BinaryOp op) {
  switch (op) {
#define BACKPLANE_BINARY_CASE(OP)                      \
  case BinaryOp::OP:                                   \
    if constexpr (BinaryOpSupports(BinaryOp::OP, E)) { \
      return &BinaryLoop<BinaryOp::OP, E>;             \
    }                                                  \
    break;
    BACKPLANE_BINARY_CASE(kAdd)
    BACKPLANE_BINARY_CASE(kAnd)
    BACKPLANE_BINARY_CASE(kAtan2)
    BACKPLANE_BINARY_CASE(kDivide)
    BACKPLANE_BINARY_CASE(kMaximum)
    BACKPLANE_BINARY_CASE(kMinimum)
    BACKPLANE_BINARY_CASE(kMultiply)
    BACKPLANE_BINARY_CASE(kOr)
    BACKPLANE_BINARY_CASE(kPower)
    BACKPLANE_BINARY_CASE(kRemainder)
    BACKPLANE_BINARY_CASE(kShiftLeft)
    BACKPLANE_BINARY_CASE(kShiftRightArithmetic)
    BACKPLANE_BINARY_CASE(kShiftRightLogical)
    BACKPLANE_BINARY_CASE(kSubtract)
    BACKPLANE_BINARY_CASE(kXor)
    BACKPLANE_BINARY_CASE(kMulhi)
    BACKPLANE_BINARY_CASE(kNextAfter)
    BACKPLANE_BINARY_CASE(kPolygamma)
    BACKPLANE_BINARY_CASE(kZeta)
#undef BACKPLANE_BINARY_CASE
  }
  return nullptr;
}

absl::string_view AllowedTypes(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
    case BinaryOp::kMultiply:
    case BinaryOp::kMaximum:
    case BinaryOp::kMinimum:
      return "any";
    case BinaryOp::kSubtract:
    case BinaryOp::kDivide:
    case BinaryOp::kPower:
      return "integer, floating-point or complex";
    case BinaryOp::kRemainder:
      return "integer or floating-point; complex remainder is TBD in the spec";
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
    case BinaryOp::kXor:
      return "boolean or integer";
    case BinaryOp::kShiftLeft:
    case BinaryOp::kShiftRightArithmetic:
    case BinaryOp::kShiftRightLogical:
    case BinaryOp::kMulhi:
      return "integer";
    case BinaryOp::kAtan2:
      return "floating-point or complex";
    case BinaryOp::kNextAfter:
    case BinaryOp::kPolygamma:
    case BinaryOp::kZeta:
      return "floating-point";
  }
  return "unknown";
}

// out = second(first(a, b), c), or second(c, first(a, b)) when
// !kIntermediateFirst: the two ops exactly as two BinaryLoop passes would
// compute them (each result rounded to the type), in one pass. kScalarC:
// c is one element, used for every i.
template <BinaryOp kFirst, BinaryOp kSecond, bool kIntermediateFirst,
          bool kScalarC, ElementType E>
BACKPLANE_VECTOR_CLONES void BinaryPairLoop(const void* a_in, const void* b_in,
                                            const void* c_in, void* out,
                                            int64_t n) {
  using Traits = ElementTraits<E>;
  using Storage = typename Traits::Storage;
  using Compute = typename Traits::Compute;
  const Storage* a = static_cast<const Storage*>(a_in);
  const Storage* b = static_cast<const Storage*>(b_in);
  const Storage* c = static_cast<const Storage*>(c_in);
  Storage* y = static_cast<Storage*>(out);
  Compute c0{};
  if constexpr (kScalarC) c0 = Traits::Load(c[0]);
  for (int64_t i = 0; i < n; ++i) {
    const Compute t =
        Traits::Load(Traits::Store(ApplyBinary<kFirst, Compute, Traits::kBits>(
            Traits::Load(a[i]), Traits::Load(b[i]))));
    const Compute z = kScalarC ? c0 : Traits::Load(c[i]);
    y[i] =
        Traits::Store(kIntermediateFirst
                          ? ApplyBinary<kSecond, Compute, Traits::kBits>(t, z)
                          : ApplyBinary<kSecond, Compute, Traits::kBits>(z, t));
  }
}

template <BinaryOp kFirst, BinaryOp kSecond>
BinaryPairLoopFn PairFor(bool intermediate_first, bool scalar_c) {
  constexpr ElementType F32 = ElementType::kF32;
  if (scalar_c) {
    return intermediate_first
               ? &BinaryPairLoop<kFirst, kSecond, true, true, F32>
               : &BinaryPairLoop<kFirst, kSecond, false, true, F32>;
  }
  return intermediate_first
             ? &BinaryPairLoop<kFirst, kSecond, true, false, F32>
             : &BinaryPairLoop<kFirst, kSecond, false, false, F32>;
}

template <BinaryOp kFirst>
BinaryPairLoopFn PairWithSecond(BinaryOp second, bool intermediate_first,
                                bool scalar_c) {
  switch (second) {
    case BinaryOp::kAdd:
      return PairFor<kFirst, BinaryOp::kAdd>(intermediate_first, scalar_c);
    case BinaryOp::kSubtract:
      return PairFor<kFirst, BinaryOp::kSubtract>(intermediate_first, scalar_c);
    case BinaryOp::kMultiply:
      return PairFor<kFirst, BinaryOp::kMultiply>(intermediate_first, scalar_c);
    case BinaryOp::kDivide:
      return PairFor<kFirst, BinaryOp::kDivide>(intermediate_first, scalar_c);
    default:
      return nullptr;
  }
}

// out[i] = op(s, x[i]) (kScalarLhs) or op(x[i], s), s = scalar[0].
template <BinaryOp kOp, bool kScalarLhs, ElementType E>
BACKPLANE_VECTOR_CLONES void BinaryScalarLoop(const void* x_in,
                                              const void* scalar, void* out,
                                              int64_t n) {
  using Traits = ElementTraits<E>;
  using Storage = typename Traits::Storage;
  using Compute = typename Traits::Compute;
  const Storage* x = static_cast<const Storage*>(x_in);
  const Compute s = Traits::Load(static_cast<const Storage*>(scalar)[0]);
  Storage* y = static_cast<Storage*>(out);
  for (int64_t i = 0; i < n; ++i) {
    const Compute v = Traits::Load(x[i]);
    y[i] = Traits::Store(kScalarLhs
                             ? ApplyBinary<kOp, Compute, Traits::kBits>(s, v)
                             : ApplyBinary<kOp, Compute, Traits::kBits>(v, s));
  }
}

template <BinaryOp kOp>
BinaryScalarLoopFn ScalarFor(bool scalar_is_lhs) {
  return scalar_is_lhs ? &BinaryScalarLoop<kOp, true, ElementType::kF32>
                       : &BinaryScalarLoop<kOp, false, ElementType::kF32>;
}

// Eight 16-float vectors in flight: a multiply and an add per step each
// take a few cycles of latency, and eight independent chains keep both
// floating-point ports busy on AVX-512 (the baseline build splits each
// vector into SSE registers; same values, slower).
typedef float ChainVector __attribute__((vector_size(64)));

BACKPLANE_VECTOR_CLONES void MultiplyAddChainF32(const void* a_in,
                                                 const void* z_in,
                                                 const float* c, int n,
                                                 void* out_buffer,
                                                 int64_t count) {
  const float* a = static_cast<const float*>(a_in);
  const float* z = static_cast<const float*>(z_in);
  float* out = static_cast<float*>(out_buffer);
  constexpr int kVectors = 8;
  constexpr int kLanes = 16;
  constexpr int64_t kBlock = kVectors * kLanes;
  int64_t i = 0;
  for (; i + kBlock <= count; i += kBlock) {
    ChainVector v[kVectors], zv[kVectors];
    for (int k = 0; k < kVectors; ++k) {
      std::memcpy(&v[k], a + i + k * kLanes, sizeof(ChainVector));
      std::memcpy(&zv[k], z + i + k * kLanes, sizeof(ChainVector));
    }
    for (int j = 0; j < n; ++j) {
      const float cj = c[j];
      for (int k = 0; k < kVectors; ++k) {
        v[k] = v[k] * zv[k];
        v[k] = v[k] + cj;
      }
    }
    for (int k = 0; k < kVectors; ++k) {
      std::memcpy(out + i + k * kLanes, &v[k], sizeof(ChainVector));
    }
  }
  for (; i < count; ++i) {
    float v = a[i];
    const float zi = z[i];
    for (int j = 0; j < n; ++j) {
      v = v * zi;
      v = v + c[j];
    }
    out[i] = v;
  }
}

}  // namespace

absl::StatusOr<MultiplyAddChainLoopFn> ResolveMultiplyAddChainLoop(
    ir::ElementType type) {
  if (type != ir::ElementType::kF32) {
    return absl::UnimplementedError(absl::StrCat(
        "no multiply-add chain loop for ", ir::ElementTypeToMlir(type)));
  }
  return &MultiplyAddChainF32;
}

absl::StatusOr<BinaryPairLoopFn> ResolveBinaryPairLoop(BinaryOp first,
                                                       BinaryOp second,
                                                       bool intermediate_first,
                                                       ir::ElementType type,
                                                       bool scalar_c) {
  BinaryPairLoopFn loop = nullptr;
  if (type == ir::ElementType::kF32) {
    switch (first) {
      case BinaryOp::kAdd:
        loop = PairWithSecond<BinaryOp::kAdd>(second, intermediate_first,
                                              scalar_c);
        break;
      case BinaryOp::kSubtract:
        loop = PairWithSecond<BinaryOp::kSubtract>(second, intermediate_first,
                                                   scalar_c);
        break;
      case BinaryOp::kMultiply:
        loop = PairWithSecond<BinaryOp::kMultiply>(second, intermediate_first,
                                                   scalar_c);
        break;
      case BinaryOp::kDivide:
        loop = PairWithSecond<BinaryOp::kDivide>(second, intermediate_first,
                                                 scalar_c);
        break;
      default:
        break;
    }
  }
  if (loop == nullptr) {
    return absl::UnimplementedError(absl::StrCat(
        "no fused loop for ", BinaryOpName(first), " then ",
        BinaryOpName(second), " on ", ir::ElementTypeToMlir(type)));
  }
  return loop;
}

absl::StatusOr<BinaryScalarLoopFn> ResolveBinaryScalarLoop(
    BinaryOp op, bool scalar_is_lhs, ir::ElementType type) {
  BinaryScalarLoopFn loop = nullptr;
  if (type == ir::ElementType::kF32) {
    switch (op) {
      case BinaryOp::kAdd:
        loop = ScalarFor<BinaryOp::kAdd>(scalar_is_lhs);
        break;
      case BinaryOp::kSubtract:
        loop = ScalarFor<BinaryOp::kSubtract>(scalar_is_lhs);
        break;
      case BinaryOp::kMultiply:
        loop = ScalarFor<BinaryOp::kMultiply>(scalar_is_lhs);
        break;
      case BinaryOp::kDivide:
        loop = ScalarFor<BinaryOp::kDivide>(scalar_is_lhs);
        break;
      case BinaryOp::kMaximum:
        loop = ScalarFor<BinaryOp::kMaximum>(scalar_is_lhs);
        break;
      case BinaryOp::kMinimum:
        loop = ScalarFor<BinaryOp::kMinimum>(scalar_is_lhs);
        break;
      default:
        break;
    }
  }
  if (loop == nullptr) {
    return absl::UnimplementedError(absl::StrCat("no scalar-operand loop for ",
                                                 BinaryOpName(op), " on ",
                                                 ir::ElementTypeToMlir(type)));
  }
  return loop;
}

absl::Status BinaryInto(BinaryOp op, ir::ElementType type, int64_t count,
                        const void* lhs, const void* rhs, void* out) {
  if (!BinaryOpSupports(op, type)) {
    return UnsupportedTypeError(BinaryOpName(op), type, AllowedTypes(op));
  }
  RETURN_IF_ERROR(CheckBuffers(BinaryOpName(op), count, lhs, rhs, out));
  ASSIGN_OR_RETURN(BinaryLoopFn loop, ResolveBinaryLoop(op, type));
  (loop)(lhs, rhs, out, count);
  return absl::OkStatus();
}

absl::StatusOr<BinaryLoopFn> ResolveBinaryLoop(BinaryOp op,
                                               ir::ElementType type) {
  if (!BinaryOpSupports(op, type)) {
    return UnsupportedTypeError(BinaryOpName(op), type, AllowedTypes(op));
  }
  BinaryLoopFn loop = nullptr;
  absl::Status s = DispatchElementType(type, [&](auto tag) {
    loop = BinaryLoopFor<decltype(tag)::kType>(op);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (loop == nullptr) {
    return absl::InternalError("unreachable: binary op/type check passed");
  }
  return loop;
}

absl::StatusOr<ir::Literal> Binary(BinaryOp op, const ir::Literal& lhs,
                                   const ir::Literal& rhs) {
  RETURN_IF_ERROR(CheckSameType(BinaryOpName(op), "lhs", lhs, "rhs", rhs));
  ir::Literal result(lhs.type());
  absl::Status s =
      BinaryInto(op, lhs.element_type(), lhs.element_count(),
                 lhs.untyped_data(), rhs.untyped_data(), result.untyped_data());
  if (!s.ok()) return s;
  return result;
}

}  // namespace backplane::kernels::elementwise
