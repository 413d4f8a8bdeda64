// stablehlo.map: applies a scalar computation element-wise across N inputs
// of one shape.
//
//   ScalarComputation add;
//   add.kind = BodyKind::kAdd;  // Recognised: a typed loop, no callbacks.
//   auto sum = Map({&x, &y}, /*dimensions=*/{0, 1}, add,
//   ir::ElementType::kF32);
//
// Unlike reduce's bodies, a map body takes the N input elements and returns
// ONE rank-0 value of `result_type`. Recognised kinds apply to exactly two
// inputs whose type equals `result_type` (kReplace returns the second).
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_MAP_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_MAP_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::kernels::structured {

// `dimensions` must be [0, 1, ..., rank - 1], as the spec requires.
absl::StatusOr<ir::Literal> Map(absl::Span<const ir::Literal* const> inputs,
                                absl::Span<const int64_t> dimensions,
                                const ScalarComputation& computation,
                                ir::ElementType result_type);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_MAP_H_
