// stablehlo.reduce: reduces N operands along `dimensions` with a body
// computation (computation.h) and N initial values.
//
//   ScalarComputation sum{BodyKind::kAdd, add_fn};
//   absl::StatusOr<std::vector<ir::Literal>> r =
//       Reduce({&x}, {&zero}, /*dimensions=*/{1}, sum);
//
// The result keeps the operand's other dimensions in order. Recognised
// bodies run typed loops (f16/bf16/f8 accumulate in f32 and round once);
// any other body is called per element in row-major operand order, which is
// one of the schedules the spec allows.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_REDUCE_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_REDUCE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::kernels::structured {

absl::StatusOr<std::vector<ir::Literal>> Reduce(
    absl::Span<const ir::Literal* const> inputs,
    absl::Span<const ir::Literal* const> init_values,
    absl::Span<const int64_t> dimensions, const ScalarComputation& body);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_REDUCE_H_
