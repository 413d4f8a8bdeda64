// Mapping between the compiler kit's types and the C ABI's, for plugins
// that compile with the compiler kit. Both sides store host data the same
// way (sub-byte integers one per byte, f16/bf16 as bit patterns, complex as
// pairs), so a Literal and a dense ABI host buffer of the same shape have
// identical bytes.
#ifndef BACKPLANE_COMPILER_ABI_ABI_TYPES_H_
#define BACKPLANE_COMPILER_ABI_ABI_TYPES_H_

#include "absl/status/statusor.h"
#include "api/backplane_c_api.h"
#include "api/cpp/shape.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/literal.h"
#include "compiler/ir/type.h"

namespace backplane::abi {

// INVALID_ARGUMENT for element types the ABI cannot carry (none today: ABI
// 1.1 added the small float formats; a newer compiler kit type would be).
absl::StatusOr<BPL_ElementType> ToAbiElementType(ir::ElementType type);
absl::StatusOr<ir::ElementType> FromAbiElementType(BPL_ElementType type);

// The ABI shape of a tensor type; tokens and tuples are INVALID_ARGUMENT.
absl::StatusOr<Shape> ToAbiShape(const ir::Type& type);
absl::StatusOr<ir::TensorType> FromAbiShape(const Shape& shape);

}  // namespace backplane::abi

#endif  // BACKPLANE_COMPILER_ABI_ABI_TYPES_H_
