// stablehlo.gather with the spec's full dimension numbers, including
// operand/start-indices batching dimensions.
//
//   GatherDimensionNumbers dn;
//   dn.offset_dims = {1};
//   dn.collapsed_slice_dims = {0};
//   dn.start_index_map = {0};
//   dn.index_vector_dim = 1;
//   auto rows = Gather(table, ids, dn, /*slice_sizes=*/{1, 64});
//
// Start indices are clamped so every slice lies inside the operand, as the
// spec defines; any integer index type is accepted.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_GATHER_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_GATHER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

struct GatherDimensionNumbers {
  std::vector<int64_t> offset_dims;
  std::vector<int64_t> collapsed_slice_dims;
  std::vector<int64_t> operand_batching_dims;
  std::vector<int64_t> start_indices_batching_dims;
  std::vector<int64_t> start_index_map;
  int64_t index_vector_dim = 0;
};

absl::StatusOr<ir::Literal> Gather(const ir::Literal& operand,
                                   const ir::Literal& start_indices,
                                   const GatherDimensionNumbers& dims,
                                   absl::Span<const int64_t> slice_sizes);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_GATHER_H_
