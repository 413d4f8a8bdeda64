// stablehlo.scatter with the spec's full dimension numbers (including
// batching dimensions), multiple operands and an update computation.
//
//   ScatterDimensionNumbers dn;
//   dn.update_window_dims = {1};
//   dn.inserted_window_dims = {0};
//   dn.scatter_dims_to_operand_dims = {0};
//   dn.index_vector_dim = 1;
//   auto r = Scatter({&table}, ids, {&rows}, dn, add_body);
//
// Scatter indices are not clamped: each update element whose result index
// falls outside the operand is skipped, exactly as the spec says. Updates
// are applied in row-major order of the update tensor.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_SCATTER_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_SCATTER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::kernels::structured {

struct ScatterDimensionNumbers {
  std::vector<int64_t> update_window_dims;
  std::vector<int64_t> inserted_window_dims;
  std::vector<int64_t> input_batching_dims;
  std::vector<int64_t> scatter_indices_batching_dims;
  std::vector<int64_t> scatter_dims_to_operand_dims;
  int64_t index_vector_dim = 0;
};

absl::StatusOr<std::vector<ir::Literal>> Scatter(
    absl::Span<const ir::Literal* const> inputs,
    const ir::Literal& scatter_indices,
    absl::Span<const ir::Literal* const> updates,
    const ScatterDimensionNumbers& dims,
    const ScalarComputation& update_computation);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_SCATTER_H_
