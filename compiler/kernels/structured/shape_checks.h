// Validation helpers shared by the structured kernels: every kernel checks
// its parameters against the operand shapes before touching memory, and
// reports violations as INVALID_ARGUMENT naming the op and the parameter.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_SHAPE_CHECKS_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_SHAPE_CHECKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

// "op: message".
template <typename... Args>
absl::Status OpError(absl::string_view op, const Args&... args) {
  return absl::InvalidArgumentError(absl::StrCat(op, ": ", args...));
}

inline std::string DimsToString(absl::Span<const int64_t> dims) {
  return absl::StrCat("[", absl::StrJoin(dims, ", "), "]");
}

// Checks that every entry of `dims` is in [0, rank) and none repeats.
absl::Status CheckUniqueDims(absl::string_view op, absl::string_view what,
                             absl::Span<const int64_t> dims, int64_t rank);

// Checks `perm` is a permutation of [0, rank).
absl::Status CheckPermutation(absl::string_view op, absl::string_view what,
                              absl::Span<const int64_t> perm, int64_t rank);

// Validates `dims` and allocates a zeroed Literal of that shape.
absl::StatusOr<ir::Literal> AllocateResult(absl::string_view op,
                                           ir::ElementType type,
                                           std::vector<int64_t> dims);

// Checks `lit` is rank 0 of `type`.
absl::Status CheckScalar(absl::string_view op, absl::string_view what,
                         const ir::Literal& lit, ir::ElementType type);

// Reads an integer tensor (any signed/unsigned width) as int64 values, for
// index operands such as gather's start_indices. Unsigned 64-bit values
// above INT64_MAX saturate, which keeps them out of bounds.
absl::StatusOr<std::vector<int64_t>> IndicesAsInt64(absl::string_view op,
                                                    absl::string_view what,
                                                    const ir::Literal& lit);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_SHAPE_CHECKS_H_
