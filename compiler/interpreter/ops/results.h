// Op executor results as runtime values: one tensor, a kernel's tensor or
// tensors with their error passed through.
//
//   return
//   Wrap(kernels::elementwise::Unary(kernels::elementwise::UnaryOp::kNegate,
//   ctx.tensor(0))); return WrapAll(ks::Sort(inputs, dim, stable,
//   ctx.Comparator(0)));
#ifndef BACKPLANE_COMPILER_INTERPRETER_OPS_RESULTS_H_
#define BACKPLANE_COMPILER_INTERPRETER_OPS_RESULTS_H_

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "compiler/interpreter/runtime_value.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter::ops {

inline std::vector<ValueRef> One(ir::Literal literal) {
  return {RuntimeValue::Tensor(std::move(literal))};
}

inline absl::StatusOr<std::vector<ValueRef>> Wrap(
    absl::StatusOr<ir::Literal> r) {
  ASSIGN_OR_RETURN(ir::Literal literal, std::move(r));
  return One(std::move(literal));
}

inline absl::StatusOr<std::vector<ValueRef>> WrapAll(
    absl::StatusOr<std::vector<ir::Literal>> r) {
  ASSIGN_OR_RETURN(std::vector<ir::Literal> literals, std::move(r));
  std::vector<ValueRef> out;
  for (ir::Literal& l : literals) {
    out.push_back(RuntimeValue::Tensor(std::move(l)));
  }
  return out;
}

}  // namespace backplane::interpreter::ops

#endif  // BACKPLANE_COMPILER_INTERPRETER_OPS_RESULTS_H_
