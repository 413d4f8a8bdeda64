// Windowed reductions: stablehlo.reduce_window and select_and_scatter.
//
//   WindowParams w;
//   w.window_dimensions = {2, 2};
//   w.window_strides = {2, 2};
//   auto pooled = ReduceWindow({&x}, {&neg_inf}, w, max_body);
//
// Empty vectors in WindowParams mean the spec defaults (strides and
// dilations 1, padding 0).
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_REDUCE_WINDOW_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_REDUCE_WINDOW_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::kernels::structured {

struct WindowParams {
  std::vector<int64_t> window_dimensions;
  std::vector<int64_t> window_strides;
  std::vector<int64_t> base_dilations;
  std::vector<int64_t> window_dilations;
  std::vector<std::pair<int64_t, int64_t>> padding;  // (low, high) per dim.
};

// As the spec defines it: the operands are padded (edges and base-dilation
// holes) with the init values, and each window of the padded operands is
// reduced starting from the init values.
absl::StatusOr<std::vector<ir::Literal>> ReduceWindow(
    absl::Span<const ir::Literal* const> inputs,
    absl::Span<const ir::Literal* const> init_values,
    const WindowParams& params, const ScalarComputation& body);

// For each window of `operand` (no dilations allowed), `select` picks one
// element (the first for which select(current, candidate) stays true, over
// the window in row-major order; padding is never selected), and the
// corresponding `source` element is scattered onto that position with
// `scatter`, starting from `init_value` everywhere.
absl::StatusOr<ir::Literal> SelectAndScatter(const ir::Literal& operand,
                                             const ir::Literal& source,
                                             const ir::Literal& init_value,
                                             const WindowParams& params,
                                             const Comparator& select,
                                             const ScalarComputation& scatter);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_REDUCE_WINDOW_H_
