// What an op executor (op_registry.h) sees of the op it runs: the op and
// its plan, the operand values, its region bodies as kernel callbacks, the
// process it runs in and the run's probes.
//
//   absl::StatusOr<std::vector<ValueRef>> ExecuteReduce(OpContext& ctx) {
//     const size_t n = ctx.operands().size() / 2;
//     ASSIGN_OR_RETURN(std::vector<int64_t> dims,
//                      I64List(ctx.op(), "dimensions"));
//     return WrapAll(ks::Reduce(ctx.literals(0, n), ctx.literals(n, 2 * n),
//                               dims, ctx.Body(0)));
//   }
//
// The interpreter implements RunRegion; the callbacks Body, Comparator and
// RegionFn hand out call it and must not outlive the context.
#ifndef BACKPLANE_COMPILER_INTERPRETER_OP_CONTEXT_H_
#define BACKPLANE_COMPILER_INTERPRETER_OP_CONTEXT_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/interpreter/op_plan.h"
#include "compiler/interpreter/probe_store.h"
#include "compiler/interpreter/process_context.h"
#include "compiler/interpreter/runtime_value.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::interpreter {

class OpContext {
 public:
  OpContext(const OpPlan& plan, std::vector<ValueRef>& operands,
            const ProcessContext& process, ProbeStore& probes)
      : plan_(plan), operands_(operands), process_(process), probes_(probes) {}
  OpContext(const OpContext&) = delete;
  OpContext& operator=(const OpContext&) = delete;
  virtual ~OpContext() = default;

  const ir::Op& op() const { return *plan_.op; }
  const OpPlan& plan() const { return plan_; }
  std::vector<ValueRef>& operands() { return operands_; }
  // Operand `i`, which must be a tensor.
  const ir::Literal& tensor(size_t i) const { return operands_[i]->tensor(); }
  // The tensors of operands [begin, end).
  std::vector<const ir::Literal*> literals(size_t begin, size_t end) const;
  const ir::TensorType& result_type(int i = 0) const {
    return op().result(i)->type().tensor();
  }
  const ProcessContext& process() const { return process_; }
  ProbeStore& probes() { return probes_; }

  // Runs the entry block of the op's region `region` on `args`.
  virtual absl::StatusOr<std::vector<ValueRef>> RunRegion(
      int region, std::vector<ValueRef> args) = 0;

  // Region `region` as a callback on rank-0 literals.
  kernels::structured::ScalarFn RegionFn(int region);
  // Region `region` as a reduction body (recognised kind + callback).
  kernels::structured::ScalarComputation Body(int region);
  // Region `region` as a comparator (recognised kind + callback returning
  // its one i1 result).
  kernels::structured::Comparator Comparator(int region);

 private:
  const OpPlan& plan_;
  std::vector<ValueRef>& operands_;
  const ProcessContext& process_;
  ProbeStore& probes_;
};

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_OP_CONTEXT_H_
