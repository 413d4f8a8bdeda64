// Argument checks shared by the element-wise kernels, so that every kernel
// reports bad input the same way: INVALID_ARGUMENT naming the op, the
// offending operand and why.
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_KERNEL_UTIL_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_KERNEL_UTIL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::elementwise {

// "<op>: element type i32 is not supported (<what>)".
absl::Status UnsupportedTypeError(absl::string_view op, ir::ElementType type,
                                  absl::string_view allowed);

// Requires `a` and `b` to have the same type (shape and element type).
absl::Status CheckSameType(absl::string_view op, absl::string_view a_name,
                           const ir::Literal& a, absl::string_view b_name,
                           const ir::Literal& b);

// Validates a raw-buffer call: non-negative count, non-null buffers when
// count > 0.
absl::Status CheckBuffers(absl::string_view op, int64_t count, const void* in0,
                          const void* in1, const void* out);

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_KERNEL_UTIL_H_
