// The errors the interpreter reports about one op: a status prefixed with
// the op's location and name, and UNIMPLEMENTED for ops (or variants of
// them) it does not run.
//
//   return OpError(op, absl::InvalidArgumentError("needs 2 regions"));
//   return Unimplemented(op, "call target @foo");
//   // "file.mlir:3:5: unsupported op stablehlo.custom_call (call target
//   // @foo)"
#ifndef BACKPLANE_COMPILER_INTERPRETER_OP_ERRORS_H_
#define BACKPLANE_COMPILER_INTERPRETER_OP_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"

namespace backplane::interpreter {

// `status` (same code) with "<location>: <op name>: " before its message.
absl::Status OpError(const ir::Op& op, const absl::Status& status);

// UNIMPLEMENTED "<location>: unsupported op <name>", followed by
// " (<what>)" when `what` is not empty.
absl::Status Unimplemented(const ir::Op& op, absl::string_view what = "");

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_OP_ERRORS_H_
