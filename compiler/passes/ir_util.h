// Small IR helpers shared by the passes: reading and making constants,
// replacing ops.
//
//   if (const ir::Literal* c = ConstantValue(op->operand(1))) ...
//   ir::Value* zero = MakeSplatConstant(block, op, type, 0.0);
//   ReplaceOp(op, {replacement});
#ifndef BACKPLANE_COMPILER_PASSES_IR_UTIL_H_
#define BACKPLANE_COMPILER_PASSES_IR_UTIL_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "compiler/ir/ir.h"

namespace backplane::passes {

// The literal of a value produced by stablehlo.constant, else nullptr.
const ir::Literal* ConstantValue(const ir::Value* value);

bool IsSplat(const ir::Literal& lit);

// True when every element of `lit` equals `value` exactly, bit for bit
// after converting `value` to the element type: so for floats
// IsSplatOf(x, 0.0) is false for -0.0 and IsSplatOf(x, -0.0) false for
// +0.0. Integers match only a whole `value` that fits their width as a
// signed or unsigned number (-1 matches an all-ones unsigned splat).
// Complex elements must be (value, +0.0).
bool IsSplatOf(const ir::Literal& lit, double value);

// A literal of `type` with every element `value` (converted as the spec's
// convert would: rounding to nearest even for narrow floats, wrapping for
// integers; complex elements are (value, +0.0)).
ir::Literal SplatLiteral(const ir::TensorType& type, double value);

// Inserts `stablehlo.constant` holding `literal` before `before`.
ir::Value* InsertConstant(ir::Op* before, ir::Literal literal);

// Replaces each result of `op` by the matching value and erases `op`.
absl::Status ReplaceOp(ir::Op* op, const std::vector<ir::Value*>& values);

// Reads an integer dense array attribute (`array<i64: ...>`); nullptr when
// missing or of another kind.
const std::vector<int64_t>* DenseArrayAttr(const ir::Op& op,
                                           absl::string_view name);

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_IR_UTIL_H_
