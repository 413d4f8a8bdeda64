#include "compiler/interpreter/ops/families.h"

#include <utility>

#include "base/status_macros.h"

namespace backplane::interpreter::ops {
namespace {

absl::StatusOr<OpRegistry> BuildRegistry() {
  OpRegistry registry;
  RETURN_IF_ERROR(RegisterElementwiseOps(registry));
  RETURN_IF_ERROR(RegisterDataMovementOps(registry));
  RETURN_IF_ERROR(RegisterIndexingOps(registry));
  RETURN_IF_ERROR(RegisterContractionOps(registry));
  RETURN_IF_ERROR(RegisterReductionOps(registry));
  RETURN_IF_ERROR(RegisterLinalgOps(registry));
  RETURN_IF_ERROR(RegisterRandomOps(registry));
  RETURN_IF_ERROR(RegisterTupleTokenOps(registry));
  RETURN_IF_ERROR(RegisterDistributedOps(registry));
  RETURN_IF_ERROR(RegisterCheckOps(registry));
  RETURN_IF_ERROR(RegisterLegacyOps(registry));
  return registry;
}

}  // namespace

absl::StatusOr<const OpRegistry*> BuiltinOpRegistry() {
  static const absl::StatusOr<OpRegistry>* const registry =
      new absl::StatusOr<OpRegistry>(BuildRegistry());
  if (!registry->ok()) return registry->status();
  return &**registry;
}

}  // namespace backplane::interpreter::ops
