// The execution plan of one op: its operand and result slots in the frame,
// the slots its execution releases, and what was recognised about it once
// when the plan was built (the constant value, the region bodies).
//
//   const OpPlan& plan = ...;
//   frame.slots[plan.results[0]] = ...;
//   ks::BodyKind kind = plan.body_kinds[0];  // e.g. kAdd for a sum body
#ifndef BACKPLANE_COMPILER_INTERPRETER_OP_PLAN_H_
#define BACKPLANE_COMPILER_INTERPRETER_OP_PLAN_H_

#include <optional>
#include <vector>

#include "compiler/interpreter/body_recognition.h"
#include "compiler/interpreter/runtime_value.h"
#include "compiler/ir/ir.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::interpreter {

struct OpPlan {
  const ir::Op* op = nullptr;
  std::vector<int> operands;
  std::vector<int> results;
  std::vector<int> release;  // Slots to clear after this op.
  ValueRef constant;         // Pre-built value of constant ops.
  // Per region: the recognised reduction body and comparator, found once
  // when the plan is built rather than at every execution.
  std::vector<kernels::structured::BodyKind> body_kinds;
  std::vector<std::optional<RecognizedComparator>> comparators;
};

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_OP_PLAN_H_
