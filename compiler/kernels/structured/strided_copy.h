// The data-movement engine behind transpose, broadcast, slice, reverse, pad,
// concatenate and gather: copies a box of `dims` elements from `src` to
// `dst`, where each side walks its own (possibly zero or negative) element
// strides. Element-type agnostic: only the byte size matters.
//
//   StridedCopy(4, {2, 3}, in, {1, 2}, out, {3, 1});  // 2x3 transpose of f32
//
// The innermost loop is specialised for the common element sizes and for
// the contiguous case (a single memcpy per row), so callers never pay a
// per-element dispatch.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_STRIDED_COPY_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_STRIDED_COPY_H_

#include <cstdint>

#include "absl/types/span.h"

namespace backplane::kernels::structured {

// `src` and `dst` point at the element with index (0, ..., 0) of the box;
// strides are in elements. Zero-sized boxes copy nothing.
void StridedCopy(int element_size, absl::Span<const int64_t> dims,
                 const uint8_t* src, absl::Span<const int64_t> src_strides,
                 uint8_t* dst, absl::Span<const int64_t> dst_strides);

// Fills `count` elements at `dst` with copies of the element at `value`.
void FillElements(int element_size, const uint8_t* value, int64_t count,
                  uint8_t* dst);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_STRIDED_COPY_H_
