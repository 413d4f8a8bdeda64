// The legacy ops of legacy_ops.h (batch_norm_*, einsum, unary_einsum,
// torch_index_select, set_dimension_size, rng), registered for every
// opcode IsLegacyOp accepts.
#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "compiler/interpreter/legacy_ops.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/ops/results.h"

namespace backplane::interpreter::ops {
namespace {

absl::StatusOr<std::vector<ValueRef>> ExecuteLegacy(OpContext& ctx) {
  return WrapAll(
      EvaluateLegacyOp(ctx.op(), ctx.literals(0, ctx.operands().size())));
}

}  // namespace

absl::Status RegisterLegacyOps(OpRegistry& registry) {
  for (int i = 0; i < static_cast<int>(ir::OpCode::kNumOpCodes); ++i) {
    const ir::OpCode code = static_cast<ir::OpCode>(i);
    if (IsLegacyOp(code))
      RETURN_IF_ERROR(registry.Register(code, ExecuteLegacy));
  }
  return absl::OkStatus();
}

}  // namespace backplane::interpreter::ops
