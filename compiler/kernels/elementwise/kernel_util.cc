#include "compiler/kernels/elementwise/kernel_util.h"

#include "absl/strings/str_cat.h"

namespace backplane::kernels::elementwise {

absl::Status UnsupportedTypeError(absl::string_view op, ir::ElementType type,
                                  absl::string_view allowed) {
  return absl::InvalidArgumentError(
      absl::StrCat(op, ": element type ", ir::ElementTypeToMlir(type),
                   " is not supported (expected ", allowed, ")"));
}

absl::Status CheckSameType(absl::string_view op, absl::string_view a_name,
                           const ir::Literal& a, absl::string_view b_name,
                           const ir::Literal& b) {
  if (a.type() != b.type()) {
    return absl::InvalidArgumentError(absl::StrCat(
        op, ": ", a_name, " has type ", a.type().ToString(), " but ", b_name,
        " has type ", b.type().ToString(), "; they must be equal"));
  }
  return absl::OkStatus();
}

absl::Status CheckBuffers(absl::string_view op, int64_t count, const void* in0,
                          const void* in1, const void* out) {
  if (count < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(op, ": negative element count ", count));
  }
  if (count > 0 && (in0 == nullptr || in1 == nullptr || out == nullptr)) {
    return absl::InvalidArgumentError(
        absl::StrCat(op, ": null buffer for ", count, " elements"));
  }
  return absl::OkStatus();
}

}  // namespace backplane::kernels::elementwise
