// chlo.top_k: the k largest elements along the last dimension, in
// descending order, and their indices (i32). Ties keep the lower index
// first; floats order by the spec's TOTALORDER, so NaN ranks above +Inf.
//
//   absl::StatusOr<TopKResult> r = TopK(logits, /*k=*/5);
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_TOP_K_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_TOP_K_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

struct TopKResult {
  ir::Literal values;
  ir::Literal indices;  // s32.
};

absl::StatusOr<TopKResult> TopK(const ir::Literal& operand, int64_t k);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_TOP_K_H_
