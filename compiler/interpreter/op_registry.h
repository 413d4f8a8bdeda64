// The table from ir::OpCode to the function that executes ops of that code
// (an array indexed by opcode: one lookup per executed op).
//
//   absl::StatusOr<std::vector<ValueRef>> ExecuteNegate(OpContext& ctx);
//
//   OpRegistry registry;
//   RETURN_IF_ERROR(registry.Register(ir::OpCode::kNegate, ExecuteNegate));
//   if (OpExecutor execute = registry.Find(op.code())) {
//     ASSIGN_OR_RETURN(std::vector<ValueRef> results, execute(ctx));
//   }
//
// ops/families.h fills the interpreter's registry, one function per op
// family.
#ifndef BACKPLANE_COMPILER_INTERPRETER_OP_REGISTRY_H_
#define BACKPLANE_COMPILER_INTERPRETER_OP_REGISTRY_H_

#include <array>
#include <cstddef>
#include <initializer_list>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compiler/interpreter/op_context.h"
#include "compiler/interpreter/runtime_value.h"
#include "compiler/ir/opcode.h"

namespace backplane::interpreter {

using OpExecutor = absl::StatusOr<std::vector<ValueRef>> (*)(OpContext& ctx);

class OpRegistry {
 public:
  // Makes `execute` the executor of `code`; ALREADY_EXISTS when `code`
  // has one.
  absl::Status Register(ir::OpCode code, OpExecutor execute);
  absl::Status Register(std::initializer_list<ir::OpCode> codes,
                        OpExecutor execute);

  // The executor of `code`, or null.
  OpExecutor Find(ir::OpCode code) const {
    return executors_[static_cast<size_t>(code)];
  }

 private:
  std::array<OpExecutor, static_cast<size_t>(ir::OpCode::kNumOpCodes)>
      executors_{};
};

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_OP_REGISTRY_H_
