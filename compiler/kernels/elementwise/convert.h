// stablehlo.convert and stablehlo.bitcast_convert.
//
//   absl::StatusOr<ir::Literal> h = Convert(x, ElementType::kF16);
//   // f32[2,3] -> ui8[2,3,4]: each f32 becomes its 4 bytes, least
//   // significant first; ui8[2,3,4] -> f32[2,3] packs them back.
//   absl::StatusOr<ir::Literal> bytes = BitcastConvert(x, ElementType::kU8);
//
// Value conversion rules are listed in scalar_convert.h.
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_CONVERT_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_CONVERT_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::elementwise {

absl::StatusOr<ir::Literal> Convert(const ir::Literal& x,
                                    ir::ElementType to_type);

// Raw-buffer form: `count` elements of `from` at `in` to `count` elements of
// `to` at `out` (buffers must not overlap unless from == to).
absl::Status ConvertInto(ir::ElementType from, ir::ElementType to,
                         int64_t count, const void* in, void* out);

// Reinterprets the bits of each element. With equal bit widths the shape is
// kept; converting to a narrower type (bit width ratio r) appends a
// dimension of size r; converting to a wider type requires the last
// dimension to be r and removes it. Element order within a group is little
// endian (least significant bits first), matching memory on the host.
absl::StatusOr<ir::Literal> BitcastConvert(const ir::Literal& x,
                                           ir::ElementType to_type);

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_CONVERT_H_
