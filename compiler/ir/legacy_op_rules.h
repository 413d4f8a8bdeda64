// Type rules of the legacy StableHLO ops the verifier checks and the
// interpreter runs: batch_norm_{inference,training,grad}, einsum,
// unary_einsum, torch_index_select, set_dimension_size and rng.
//
//   if (HasLegacyOpRules(op.code())) {
//     absl::Status s = VerifyLegacyOp(op);  // "feature_index 3 is out ..."
//   }
//
// Messages are bare (no location); the verifier prefixes the op.
#ifndef BACKPLANE_COMPILER_IR_LEGACY_OP_RULES_H_
#define BACKPLANE_COMPILER_IR_LEGACY_OP_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"

namespace backplane::ir {

bool HasLegacyOpRules(OpCode code);
absl::Status VerifyLegacyOp(const Op& op);

// An einsum_config such as "ij,jk->ik": one letter per operand dimension,
// then the result's letters.
struct EinsumConfig {
  std::vector<std::string> operands;
  std::string result;
};

// Checks the syntax only: letters, commas and exactly one "->" (no
// ellipsis, no implicit form).
absl::StatusOr<EinsumConfig> ParseEinsumConfig(absl::string_view text);

// The result dimensions of `config` on operands of `operand_dims`: every
// letter must have one size, result letters must be distinct and name an
// operand dimension.
absl::StatusOr<std::vector<int64_t>> InferEinsumDims(
    const EinsumConfig& config,
    const std::vector<std::vector<int64_t>>& operand_dims);

// The result dimensions of torch_index_select:
// operand[:dim] + index[batch_dims:] + operand[dim+1:].
absl::StatusOr<std::vector<int64_t>> InferTorchIndexSelectDims(
    const std::vector<int64_t>& operand, const std::vector<int64_t>& index,
    int64_t dim, int64_t batch_dims);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_LEGACY_OP_RULES_H_
