#include "compiler/kernels/elementwise/compare.h"

#include <complex>
#include <cstring>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/elementwise/kernel_util.h"
#include "compiler/kernels/vector_clones.h"

namespace backplane::kernels::elementwise {
namespace {

constexpr absl::string_view kOpName = "stablehlo.compare";

template <ComparisonDirection kDir, typename T>
inline bool CompareOrdered(T a, T b) {
  if constexpr (kDir == ComparisonDirection::kEq) return a == b;
  if constexpr (kDir == ComparisonDirection::kNe) return a != b;
  if constexpr (kDir == ComparisonDirection::kGe) return a >= b;
  if constexpr (kDir == ComparisonDirection::kGt) return a > b;
  if constexpr (kDir == ComparisonDirection::kLe) return a <= b;
  if constexpr (kDir == ComparisonDirection::kLt) return a < b;
}

// Lexicographic comparison of (real, imag); with IEEE comparisons on each
// part, so any NaN makes everything but NE false.
template <ComparisonDirection kDir, typename R>
inline bool CompareComplex(std::complex<R> a, std::complex<R> b) {
  if constexpr (kDir == ComparisonDirection::kEq) return a == b;
  if constexpr (kDir == ComparisonDirection::kNe) return a != b;
  const bool real_equal = a.real() == b.real();
  if constexpr (kDir == ComparisonDirection::kGe) {
    return a.real() > b.real() || (real_equal && a.imag() >= b.imag());
  }
  if constexpr (kDir == ComparisonDirection::kGt) {
    return a.real() > b.real() || (real_equal && a.imag() > b.imag());
  }
  if constexpr (kDir == ComparisonDirection::kLe) {
    return a.real() < b.real() || (real_equal && a.imag() <= b.imag());
  }
  if constexpr (kDir == ComparisonDirection::kLt) {
    return a.real() < b.real() || (real_equal && a.imag() < b.imag());
  }
}

// Maps a float's bit pattern to a signed integer whose order is IEEE
// totalOrder: negative values have their magnitude bits flipped.
template <typename Storage>
inline auto TotalOrderKey(Storage value) {
  constexpr size_t kSize = sizeof(Storage);
  using Unsigned = std::conditional_t<
      kSize == 1, uint8_t,
      std::conditional_t<kSize == 2, uint16_t,
                         std::conditional_t<kSize == 4, uint32_t, uint64_t>>>;
  using Signed = std::make_signed_t<Unsigned>;
  Unsigned bits;
  std::memcpy(&bits, &value, kSize);
  const Signed key = static_cast<Signed>(bits);
  const Signed magnitude_mask = std::numeric_limits<Signed>::max();
  return static_cast<Signed>(
      key ^ ((key < 0 ? Signed(-1) : Signed(0)) & magnitude_mask));
}

template <ComparisonDirection kDir, ElementType E, bool kTotalOrder>
BACKPLANE_VECTOR_CLONES void CompareLoop(const void* lhs, const void* rhs,
                                         uint8_t* out, int64_t n) {
  using Traits = ElementTraits<E>;
  using Storage = typename Traits::Storage;
  const Storage* a = static_cast<const Storage*>(lhs);
  const Storage* b = static_cast<const Storage*>(rhs);
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (kTotalOrder) {
      out[i] = CompareOrdered<kDir>(TotalOrderKey(a[i]), TotalOrderKey(b[i]));
    } else if constexpr (ClassOf(E) == TypeClass::kComplex) {
      out[i] = CompareComplex<kDir>(a[i], b[i]);
    } else {
      out[i] = CompareOrdered<kDir>(Traits::Load(a[i]), Traits::Load(b[i]));
    }
  }
}

template <ElementType E, bool kTotalOrder>
CompareLoopFn CompareLoopFor(ComparisonDirection direction) {
  switch (direction) {
    case ComparisonDirection::kEq:
      return &CompareLoop<ComparisonDirection::kEq, E, kTotalOrder>;
    case ComparisonDirection::kNe:
      return &CompareLoop<ComparisonDirection::kNe, E, kTotalOrder>;
    case ComparisonDirection::kGe:
      return &CompareLoop<ComparisonDirection::kGe, E, kTotalOrder>;
    case ComparisonDirection::kGt:
      return &CompareLoop<ComparisonDirection::kGt, E, kTotalOrder>;
    case ComparisonDirection::kLe:
      return &CompareLoop<ComparisonDirection::kLe, E, kTotalOrder>;
    case ComparisonDirection::kLt:
      return &CompareLoop<ComparisonDirection::kLt, E, kTotalOrder>;
  }
  return nullptr;
}

// Resolves kDefault and checks the spec's (C3) constraint.
absl::StatusOr<CompareType> ResolveCompareType(CompareType requested,
                                               ir::ElementType type) {
  CompareType natural;
  switch (ClassOf(type)) {
    case TypeClass::kPred:
    case TypeClass::kUnsigned:
      natural = CompareType::kUnsigned;
      break;
    case TypeClass::kSigned:
      natural = CompareType::kSigned;
      break;
    case TypeClass::kFloat:
    case TypeClass::kComplex:
      natural = CompareType::kFloat;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(kOpName, ": invalid element type"));
  }
  if (requested == CompareType::kDefault || requested == natural) {
    return natural;
  }
  if (requested == CompareType::kTotalOrder &&
      ClassOf(type) == TypeClass::kFloat) {
    return requested;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      kOpName, ": compare_type ", CompareTypeName(requested),
      " is not valid for element type ", ir::ElementTypeToMlir(type),
      " (expected ", CompareTypeName(natural),
      ClassOf(type) == TypeClass::kFloat ? " or TOTALORDER" : "", ")"));
}

}  // namespace

absl::string_view ComparisonDirectionName(ComparisonDirection direction) {
  switch (direction) {
    case ComparisonDirection::kEq:
      return "EQ";
    case ComparisonDirection::kNe:
      return "NE";
    case ComparisonDirection::kGe:
      return "GE";
    case ComparisonDirection::kGt:
      return "GT";
    case ComparisonDirection::kLe:
      return "LE";
    case ComparisonDirection::kLt:
      return "LT";
  }
  return "?";
}

absl::string_view CompareTypeName(CompareType type) {
  switch (type) {
    case CompareType::kDefault:
      return "NOTYPE";
    case CompareType::kFloat:
      return "FLOAT";
    case CompareType::kTotalOrder:
      return "TOTALORDER";
    case CompareType::kSigned:
      return "SIGNED";
    case CompareType::kUnsigned:
      return "UNSIGNED";
  }
  return "?";
}

std::optional<ComparisonDirection> ComparisonDirectionFromName(
    absl::string_view name) {
  for (ComparisonDirection d :
       {ComparisonDirection::kEq, ComparisonDirection::kNe,
        ComparisonDirection::kGe, ComparisonDirection::kGt,
        ComparisonDirection::kLe, ComparisonDirection::kLt}) {
    if (name == ComparisonDirectionName(d)) return d;
  }
  return std::nullopt;
}

std::optional<CompareType> CompareTypeFromName(absl::string_view name) {
  for (CompareType t :
       {CompareType::kDefault, CompareType::kFloat, CompareType::kTotalOrder,
        CompareType::kSigned, CompareType::kUnsigned}) {
    if (name == CompareTypeName(t)) return t;
  }
  return std::nullopt;
}

absl::Status CompareInto(ComparisonDirection direction,
                         CompareType compare_type, ir::ElementType type,
                         int64_t count, const void* lhs, const void* rhs,
                         uint8_t* out) {
  absl::StatusOr<CompareLoopFn> loop =
      ResolveCompareLoop(direction, compare_type, type);
  if (!loop.ok()) return loop.status();
  RETURN_IF_ERROR(CheckBuffers(kOpName, count, lhs, rhs, out));
  (*loop)(lhs, rhs, out, count);
  return absl::OkStatus();
}

absl::StatusOr<CompareLoopFn> ResolveCompareLoop(ComparisonDirection direction,
                                                 CompareType compare_type,
                                                 ir::ElementType type) {
  ASSIGN_OR_RETURN(CompareType resolved,
                   ResolveCompareType(compare_type, type));
  const bool total_order = resolved == CompareType::kTotalOrder;
  CompareLoopFn loop = nullptr;
  absl::Status s = DispatchElementType(type, [&](auto tag) {
    constexpr ElementType E = decltype(tag)::kType;
    if constexpr (ClassOf(E) == TypeClass::kFloat) {
      if (total_order) {
        loop = CompareLoopFor<E, true>(direction);
        return absl::OkStatus();
      }
    }
    loop = CompareLoopFor<E, false>(direction);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (loop == nullptr) {
    return absl::InvalidArgumentError("compare: unknown comparison direction");
  }
  return loop;
}

absl::StatusOr<ir::Literal> Compare(ComparisonDirection direction,
                                    CompareType compare_type,
                                    const ir::Literal& lhs,
                                    const ir::Literal& rhs) {
  RETURN_IF_ERROR(CheckSameType(kOpName, "lhs", lhs, "rhs", rhs));
  ir::Literal result(ir::TensorType(ir::ElementType::kPred, lhs.dims()));
  RETURN_IF_ERROR(CompareInto(direction, compare_type, lhs.element_type(),
                              lhs.element_count(), lhs.untyped_data(),
                              rhs.untyped_data(), result.untyped_data()));
  return result;
}

}  // namespace backplane::kernels::elementwise
