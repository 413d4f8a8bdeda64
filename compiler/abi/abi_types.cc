#include "compiler/abi/abi_types.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace backplane::abi {
namespace {

struct Pair {
  ir::ElementType ir;
  BPL_ElementType abi;
};

constexpr Pair kPairs[] = {
    {ir::ElementType::kPred, BPL_ELEMENT_TYPE_PRED},
    {ir::ElementType::kS2, BPL_ELEMENT_TYPE_S2},
    {ir::ElementType::kS4, BPL_ELEMENT_TYPE_S4},
    {ir::ElementType::kS8, BPL_ELEMENT_TYPE_S8},
    {ir::ElementType::kS16, BPL_ELEMENT_TYPE_S16},
    {ir::ElementType::kS32, BPL_ELEMENT_TYPE_S32},
    {ir::ElementType::kS64, BPL_ELEMENT_TYPE_S64},
    {ir::ElementType::kU2, BPL_ELEMENT_TYPE_U2},
    {ir::ElementType::kU4, BPL_ELEMENT_TYPE_U4},
    {ir::ElementType::kU8, BPL_ELEMENT_TYPE_U8},
    {ir::ElementType::kU16, BPL_ELEMENT_TYPE_U16},
    {ir::ElementType::kU32, BPL_ELEMENT_TYPE_U32},
    {ir::ElementType::kU64, BPL_ELEMENT_TYPE_U64},
    {ir::ElementType::kF16, BPL_ELEMENT_TYPE_F16},
    {ir::ElementType::kBF16, BPL_ELEMENT_TYPE_BF16},
    {ir::ElementType::kF32, BPL_ELEMENT_TYPE_F32},
    {ir::ElementType::kF64, BPL_ELEMENT_TYPE_F64},
    {ir::ElementType::kC64, BPL_ELEMENT_TYPE_C64},
    {ir::ElementType::kC128, BPL_ELEMENT_TYPE_C128},
    {ir::ElementType::kF8E5M2, BPL_ELEMENT_TYPE_F8E5M2},
    {ir::ElementType::kF8E4M3FN, BPL_ELEMENT_TYPE_F8E4M3FN},
    {ir::ElementType::kF8E4M3, BPL_ELEMENT_TYPE_F8E4M3},
    {ir::ElementType::kF8E3M4, BPL_ELEMENT_TYPE_F8E3M4},
    {ir::ElementType::kF8E4M3FNUZ, BPL_ELEMENT_TYPE_F8E4M3FNUZ},
    {ir::ElementType::kF8E5M2FNUZ, BPL_ELEMENT_TYPE_F8E5M2FNUZ},
    {ir::ElementType::kF8E4M3B11FNUZ, BPL_ELEMENT_TYPE_F8E4M3B11FNUZ},
    {ir::ElementType::kF8E8M0FNU, BPL_ELEMENT_TYPE_F8E8M0FNU},
    {ir::ElementType::kF4E2M1FN, BPL_ELEMENT_TYPE_F4E2M1FN},
    {ir::ElementType::kF6E2M3FN, BPL_ELEMENT_TYPE_F6E2M3FN},
    {ir::ElementType::kF6E3M2FN, BPL_ELEMENT_TYPE_F6E3M2FN},
};

}  // namespace

absl::StatusOr<BPL_ElementType> ToAbiElementType(ir::ElementType type) {
  for (const Pair& p : kPairs) {
    if (p.ir == type) return p.abi;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("element type ", ir::ElementTypeToMlir(type),
                   " cannot cross the Backplane ABI (version ", BPL_API_MAJOR,
                   ".", BPL_API_MINOR, ")"));
}

absl::StatusOr<ir::ElementType> FromAbiElementType(BPL_ElementType type) {
  for (const Pair& p : kPairs) {
    if (p.abi == type) return p.ir;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ABI element type ", static_cast<int>(type)));
}

absl::StatusOr<Shape> ToAbiShape(const ir::Type& type) {
  if (!type.is_tensor()) {
    return absl::InvalidArgumentError(
        "only tensor values can cross the ABI (tokens and tuples cannot)");
  }
  absl::StatusOr<BPL_ElementType> element =
      ToAbiElementType(type.element_type());
  if (!element.ok()) return element.status();
  return Shape{*element, type.dims()};
}

absl::StatusOr<ir::TensorType> FromAbiShape(const Shape& shape) {
  absl::StatusOr<ir::ElementType> element =
      FromAbiElementType(shape.element_type);
  if (!element.ok()) return element.status();
  return ir::TensorType(*element, shape.dims);
}

}  // namespace backplane::abi
