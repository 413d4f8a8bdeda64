// Tuple and token ops: tuple, get_tuple_element, after_all and
// create_token.
#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/ops/families.h"

namespace backplane::interpreter::ops {
namespace {

using ir::OpCode;

absl::StatusOr<std::vector<ValueRef>> ExecuteTuple(OpContext& ctx) {
  return std::vector<ValueRef>{RuntimeValue::Tuple(ctx.operands())};
}

absl::StatusOr<std::vector<ValueRef>> ExecuteGetTupleElement(OpContext& ctx) {
  ASSIGN_OR_RETURN(int64_t index, IntAttr(ctx.op(), "index"));
  const ValueRef& tuple = ctx.operands()[0];
  if (!tuple->is_tuple() || index < 0 ||
      index >= static_cast<int64_t>(tuple->elements().size())) {
    return absl::InvalidArgumentError("index out of range");
  }
  return std::vector<ValueRef>{tuple->elements()[index]};
}

absl::StatusOr<std::vector<ValueRef>> ExecuteToken(OpContext&) {
  return std::vector<ValueRef>{RuntimeValue::Token()};
}

}  // namespace

absl::Status RegisterTupleTokenOps(OpRegistry& registry) {
  RETURN_IF_ERROR(registry.Register(OpCode::kTuple, ExecuteTuple));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kGetTupleElement, ExecuteGetTupleElement));
  return registry.Register({OpCode::kAfterAll, OpCode::kCreateToken},
                           ExecuteToken);
}

}  // namespace backplane::interpreter::ops
