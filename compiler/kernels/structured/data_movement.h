// Data-movement kernels of StableHLO: broadcast_in_dim, reshape, transpose,
// slice, dynamic_slice, dynamic_update_slice, concatenate, pad, reverse.
// They work for every element type (only the byte size matters) and return
// a new Literal; parameters follow the spec's attribute names.
//
//   absl::StatusOr<ir::Literal> t = Transpose(x, {1, 0});
//   absl::StatusOr<ir::Literal> p = Pad(x, zero, {1, -1}, {0, 2}, {1, 0});
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_DATA_MOVEMENT_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_DATA_MOVEMENT_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

// Operand dimension i maps to result dimension broadcast_dimensions[i]; it
// must be 1 or equal to that result dimension.
absl::StatusOr<ir::Literal> BroadcastInDim(
    const ir::Literal& operand, absl::Span<const int64_t> result_dims,
    absl::Span<const int64_t> broadcast_dimensions);

absl::StatusOr<ir::Literal> Reshape(const ir::Literal& operand,
                                    absl::Span<const int64_t> result_dims);

// result.dim(i) = operand.dim(permutation[i]).
absl::StatusOr<ir::Literal> Transpose(const ir::Literal& operand,
                                      absl::Span<const int64_t> permutation);

absl::StatusOr<ir::Literal> Slice(const ir::Literal& operand,
                                  absl::Span<const int64_t> start_indices,
                                  absl::Span<const int64_t> limit_indices,
                                  absl::Span<const int64_t> strides);

// Start indices are clamped to [0, operand.dim(i) - slice_sizes[i]] as the
// spec requires, so any index value is valid.
absl::StatusOr<ir::Literal> DynamicSlice(
    const ir::Literal& operand, absl::Span<const int64_t> start_indices,
    absl::Span<const int64_t> slice_sizes);

// Start indices are clamped to [0, operand.dim(i) - update.dim(i)].
absl::StatusOr<ir::Literal> DynamicUpdateSlice(
    const ir::Literal& operand, const ir::Literal& update,
    absl::Span<const int64_t> start_indices);

absl::StatusOr<ir::Literal> Concatenate(
    absl::Span<const ir::Literal* const> inputs, int64_t dimension);

// Low/high padding may be negative (removes elements); interior padding
// must be >= 0. `padding_value` is rank 0 of the operand's element type.
absl::StatusOr<ir::Literal> Pad(const ir::Literal& operand,
                                const ir::Literal& padding_value,
                                absl::Span<const int64_t> edge_padding_low,
                                absl::Span<const int64_t> edge_padding_high,
                                absl::Span<const int64_t> interior_padding);

absl::StatusOr<ir::Literal> Reverse(const ir::Literal& operand,
                                    absl::Span<const int64_t> dimensions);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_DATA_MOVEMENT_H_
