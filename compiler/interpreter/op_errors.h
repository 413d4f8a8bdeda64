// UNIMPLEMENTED for ops (or variants of them) the interpreter does not run.
// (Other errors about an op are ir::OpError, compiler/ir/op_error.h.)
//
//   return Unimplemented(op, "call target @foo");
//   // "file.mlir:3:5: unsupported op stablehlo.custom_call (call target
//   // @foo)"
#ifndef BACKPLANE_COMPILER_INTERPRETER_OP_ERRORS_H_
#define BACKPLANE_COMPILER_INTERPRETER_OP_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"

namespace backplane::interpreter {

// UNIMPLEMENTED "<location>: unsupported op <name>", followed by
// " (<what>)" when `what` is not empty.
absl::Status Unimplemented(const ir::Op& op, absl::string_view what = "");

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_OP_ERRORS_H_
