// chlo.ragged_dot in its "ragged non-contracting dimension" mode: the lhs
// rows along `lhs_ragged_dimensions[0]` are split into consecutive groups of
// `group_sizes[i]` rows, and group i is multiplied with the rhs slice i of
// `rhs_group_dimensions[0]`; rows past the last group are zero.
//
//   absl::StatusOr<ir::Literal> y = RaggedDot(lhs, rhs, sizes, dims, type);
//
// Built from the kernel library's dot_general, slice and
// dynamic_update_slice. The ragged contracting and ragged batch modes are
// UNIMPLEMENTED.
#ifndef BACKPLANE_COMPILER_INTERPRETER_RAGGED_DOT_H_
#define BACKPLANE_COMPILER_INTERPRETER_RAGGED_DOT_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter {

struct RaggedDotDimensionNumbers {
  std::vector<int64_t> lhs_batching_dimensions;
  std::vector<int64_t> rhs_batching_dimensions;
  std::vector<int64_t> lhs_contracting_dimensions;
  std::vector<int64_t> rhs_contracting_dimensions;
  std::vector<int64_t> lhs_ragged_dimensions;
  std::vector<int64_t> rhs_group_dimensions;
};

// Reads `#chlo.ragged_dot<lhs_batching_dimensions = [...], ...>` text.
absl::StatusOr<RaggedDotDimensionNumbers> ParseRaggedDotDimensionNumbers(
    absl::string_view text);

absl::StatusOr<ir::Literal> RaggedDot(const ir::Literal& lhs,
                                      const ir::Literal& rhs,
                                      const ir::Literal& group_sizes,
                                      const RaggedDotDimensionNumbers& dims,
                                      const ir::TensorType& result_type);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_RAGGED_DOT_H_
