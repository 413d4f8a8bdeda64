// The interpreter's op executors, grouped by op family. Each family file
// registers all of its ops in one function; BuiltinOpRegistry calls them in
// one list and builds the registry once.
//
//   ASSIGN_OR_RETURN(const OpRegistry* ops, ops::BuiltinOpRegistry());
//   OpExecutor execute = ops->Find(op.code());  // Null when unsupported.
#ifndef BACKPLANE_COMPILER_INTERPRETER_OPS_FAMILIES_H_
#define BACKPLANE_COMPILER_INTERPRETER_OPS_FAMILIES_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compiler/interpreter/op_registry.h"

namespace backplane::interpreter::ops {

// Unary, binary, compare, select, clamp, conversions, complex parts, float
// classification, reduce_precision and their chlo (broadcasting) forms.
absl::Status RegisterElementwiseOps(OpRegistry& registry);
// Reshape, transpose, broadcasts, slice, concatenate, pad, reverse, iota,
// chlo.constant_like, get_dimension_size.
absl::Status RegisterDataMovementOps(OpRegistry& registry);
// dynamic_slice, dynamic_update_slice, gather, scatter.
absl::Status RegisterIndexingOps(OpRegistry& registry);
// dot, dot_general, convolution, chlo.ragged_dot.
absl::Status RegisterContractionOps(OpRegistry& registry);
// reduce, reduce_window, select_and_scatter, map, sort, chlo.top_k.
absl::Status RegisterReductionOps(OpRegistry& registry);
// fft, triangular_solve, cholesky.
absl::Status RegisterLinalgOps(OpRegistry& registry);
// rng_bit_generator.
absl::Status RegisterRandomOps(OpRegistry& registry);
// tuple, get_tuple_element, after_all, create_token.
absl::Status RegisterTupleTokenOps(OpRegistry& registry);
// Collectives, host transfers, replica_id and partition_id.
absl::Status RegisterDistributedOps(OpRegistry& registry);
// interpreter.probe, check.* and custom_call @check.*.
absl::Status RegisterCheckOps(OpRegistry& registry);
// The legacy ops of legacy_ops.h (batch_norm_*, einsum, rng, ...).
absl::Status RegisterLegacyOps(OpRegistry& registry);

// The registry of every family above, built on first use.
absl::StatusOr<const OpRegistry*> BuiltinOpRegistry();

}  // namespace backplane::interpreter::ops

#endif  // BACKPLANE_COMPILER_INTERPRETER_OPS_FAMILIES_H_
