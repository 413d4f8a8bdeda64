// Reading operand tensors as the plain values ops need: scalar indices,
// integer vectors (dynamic sizes, paddings) and tensors converted to a
// computation type.
//
//   ASSIGN_OR_RETURN(int64_t i, ScalarInt(predicate));
//   ASSIGN_OR_RETURN(std::vector<int64_t> sizes, ToInt64Vector(x));
#ifndef BACKPLANE_COMPILER_INTERPRETER_OPERAND_VALUES_H_
#define BACKPLANE_COMPILER_INTERPRETER_OPERAND_VALUES_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/interpreter/runtime_value.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter {

// The value of a one-element integer or i1 tensor; u64 values are capped
// at 2^62 so that they stay positive.
absl::StatusOr<int64_t> ScalarInt(const ir::Literal& x);

// ScalarInt of the tensors operands[begin, end).
absl::StatusOr<std::vector<int64_t>> ScalarInts(
    const std::vector<ValueRef>& operands, size_t begin, size_t end);

// The values of an integer tensor (e.g. dynamic indices) as int64.
absl::StatusOr<std::vector<int64_t>> ToInt64Vector(const ir::Literal& x);

// `x` converted to `type` when its element type differs.
absl::StatusOr<ir::Literal> ConvertedTo(const ir::Literal& x,
                                        ir::ElementType type);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_OPERAND_VALUES_H_
