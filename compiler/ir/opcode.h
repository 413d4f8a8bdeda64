// OpCode: the closed set of operations the compiler kit knows by name.
//
//   OpCode code = OpCodeFromName("stablehlo.add");   // OpCode::kAdd
//   absl::string_view name = OpCodeName(code);       // "stablehlo.add"
//
// Ops whose name is not in the list parse as OpCode::kUnknown and keep their
// spelled name on the Op; the verifier and the backends decide what to do
// with them (usually UNIMPLEMENTED naming the op).
#ifndef BACKPLANE_COMPILER_IR_OPCODE_H_
#define BACKPLANE_COMPILER_IR_OPCODE_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "compiler/ir/op_table.h"

namespace backplane::ir {

// X(enumerator, "full.name") for every op of compiler/ir/op_table.h, so
// that code needing only names does not spell the table's other columns.
// (The table's rows have more columns: BACKPLANE_OPCODE_FIRST_TWO drops them,
// and BACKPLANE_OPCODE_EXPAND rescans so that X is applied to the pair.)
#define BACKPLANE_OPCODE_EXPAND(...) __VA_ARGS__
#define BACKPLANE_OPCODE_FIRST_TWO(e, s, ...) (e, s)
#define BACKPLANE_ALL_OPCODES(X) \
  BACKPLANE_OPCODE_EXPAND(BACKPLANE_OP_TABLE(X BACKPLANE_OPCODE_FIRST_TWO))

enum class OpCode : uint16_t {
  kUnknown = 0,
#define BACKPLANE_OPCODE_ENUM(e, s) e,
  BACKPLANE_ALL_OPCODES(BACKPLANE_OPCODE_ENUM)
#undef BACKPLANE_OPCODE_ENUM
      kNumOpCodes,
};

// "stablehlo.add" for kAdd; "<unknown>" for kUnknown.
absl::string_view OpCodeName(OpCode code);
// Accepts full names; also the short spellings MLIR prints for the func
// dialect ("call", "return"). kUnknown for anything else.
OpCode OpCodeFromName(absl::string_view name);

// Ops whose result type equals every operand type (spec "elementwise" ops
// with one shared type), e.g. add, negate, clamp.
bool IsElementwiseSameType(OpCode code);
// Ops that end a block: stablehlo.return and func.return.
inline bool IsTerminator(OpCode code) {
  return code == OpCode::kReturn || code == OpCode::kFuncReturn;
}

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_OPCODE_H_
