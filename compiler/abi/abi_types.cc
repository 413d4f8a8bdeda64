#include "compiler/abi/abi_types.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/element_types.h"
#include "base/status_macros.h"

namespace backplane::abi {
namespace {

struct Pair {
  ir::ElementType ir;
  BPL_ElementType abi;
};

constexpr Pair kPairs[] = {
#define BACKPLANE_ABI_PAIR(e, NAME, mlir, abi_name, storage, bits, category) \
  {ir::ElementType::k##e, BPL_ELEMENT_TYPE_##NAME},
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_ABI_PAIR)
#undef BACKPLANE_ABI_PAIR
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
  ASSIGN_OR_RETURN(BPL_ElementType element,
                   ToAbiElementType(type.element_type()));
  return Shape{element, type.dims()};
}

absl::StatusOr<ir::TensorType> FromAbiShape(const Shape& shape) {
  ASSIGN_OR_RETURN(ir::ElementType element,
                   FromAbiElementType(shape.element_type));
  return ir::TensorType(element, shape.dims);
}

}  // namespace backplane::abi
