// Random number ops: rng_bit_generator. (stablehlo.rng is a legacy op:
// legacy.cc.)
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/kernels/structured/rng_bit_generator.h"

namespace backplane::interpreter::ops {
namespace {

namespace ks = kernels::structured;
using ir::OpCode;

// Results: the new state, then the random bits.
absl::StatusOr<std::vector<ValueRef>> ExecuteRngBitGenerator(OpContext& ctx) {
  const auto algorithm =
      static_cast<ks::RngAlgorithm>(EnumAttrOr(ctx.op(), "rng_algorithm", 0));
  const ir::TensorType& out_type = ctx.result_type(1);
  ASSIGN_OR_RETURN(
      ks::RngBitGeneratorResult r,
      ks::RngBitGenerator(algorithm, ctx.tensor(0), out_type.element_type(),
                          out_type.dims()));
  return std::vector<ValueRef>{RuntimeValue::Tensor(std::move(r.output_state)),
                               RuntimeValue::Tensor(std::move(r.output))};
}

}  // namespace

absl::Status RegisterRandomOps(OpRegistry& registry) {
  return registry.Register(OpCode::kRngBitGenerator, ExecuteRngBitGenerator);
}

}  // namespace backplane::interpreter::ops
