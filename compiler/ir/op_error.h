// Where an op is, and errors about it, written one way for every layer (the
// parser's positions, the verifier, the interpreter, the plugins).
//
//   std::string where = ir::FormatLocation(op);  // "model.mlir:12:5"
//   return ir::OpError(op, absl::InvalidArgumentError("operand #1 is f32"));
//   // INVALID_ARGUMENT "model.mlir:12:5: stablehlo.add: operand #1 is f32"
//
// OpError keeps the status' code and payloads, and does not prefix a
// message that already starts with the op's location and name (an error
// passed up through several layers names the op once).
#ifndef BACKPLANE_COMPILER_IR_OP_ERROR_H_
#define BACKPLANE_COMPILER_IR_OP_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "compiler/ir/ir.h"

namespace backplane::ir {

// "file:line:column" when the line is known ("<input>" for a nameless
// file), else the source's loc(...) text, else the file, else
// "<unknown location>".
std::string FormatLocation(const Location& location);
std::string FormatLocation(const Op& op);

// `status` with "location: op-name: " before its message; OK stays OK.
absl::Status OpError(const Op& op, const absl::Status& status);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_OP_ERROR_H_
