// The legacy and rarely used StableHLO ops the interpreter runs outside its
// main dispatch: batch_norm_{inference,training,grad} (batch_norm.h),
// einsum/unary_einsum (einsum.h), torch_index_select, set_dimension_size
// and rng.
//
//   if (IsLegacyOp(op.code())) {
//     absl::StatusOr<std::vector<ir::Literal>> out =
//         EvaluateLegacyOp(op, {&x, &y});
//   }
//
// (cross-replica-sum, the other legacy op, is a collective: collectives.cc
// runs it as all_reduce with addition.)
#ifndef BACKPLANE_COMPILER_INTERPRETER_LEGACY_OPS_H_
#define BACKPLANE_COMPILER_INTERPRETER_LEGACY_OPS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/attribute.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter {

bool IsLegacyOp(ir::OpCode code);

// Runs one legacy op on tensor operands. Errors describe the problem but
// not the op's location, which the caller adds.
absl::StatusOr<std::vector<ir::Literal>> EvaluateLegacyOp(
    const ir::Op& op, absl::Span<const ir::Literal* const> operands);

// torch.index_select: picks the `index` entries along `dim` of `operand`.
// The first `batch_dims` dimensions of `index` and `operand` are shared
// (index entry [b..., i...] selects within batch b); the result is
// operand.dims[:dim] + index.dims[batch_dims:] + operand.dims[dim+1:].
// An index outside [0, operand.dims[dim]) is an error.
absl::StatusOr<ir::Literal> TorchIndexSelect(const ir::Literal& operand,
                                             const ir::Literal& index,
                                             int64_t dim, int64_t batch_dims);

// stablehlo.set_dimension_size on static shapes. The ABI carries no
// dynamic sizes, so only size == operand.dims[dimension] can be honoured
// (the result is the operand); a size in [0, dims[dimension]) is
// UNIMPLEMENTED and a size outside that range INVALID_ARGUMENT.
absl::StatusOr<ir::Literal> SetDimensionSize(const ir::Literal& operand,
                                             const ir::Literal& size,
                                             int64_t dimension);

// stablehlo.rng. UNIFORM: values in [a, b) for float and integer types
// (a < b required). NORMAL: float types only, mean a and standard deviation
// b (Box-Muller). `shape` must hold result_type's dimensions. The numbers
// come from a SplitMix64 stream started at `seed`, so equal seeds give
// equal tensors.
absl::StatusOr<ir::Literal> Rng(const ir::Literal& a, const ir::Literal& b,
                                const ir::Literal& shape,
                                ir::RngDistribution distribution,
                                const ir::TensorType& result_type,
                                uint64_t seed);

// The seed EvaluateLegacyOp gives an rng op: a hash of its location and
// result type. Every execution of a program therefore draws the same
// numbers, and rng ops at different places draw different ones; the same
// op inside a loop draws the same numbers at every iteration.
uint64_t RngSeedFor(const ir::Op& op);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_LEGACY_OPS_H_
