// The text interpreter.print writes: the tensor's type, then its elements
// nested by dimension, as the upstream StableHLO interpreter prints them.
//
//   FormatPrintedValue(literal) ==
//       "tensor<2x2xi8> {\n  [\n    [1, 2],\n    [3, 4]\n  ]\n}\n"
//   FormatPrintedValue(scalar_ui8_one) == "tensor<ui8> {1}\n"
//   WritePrintedValue(literal);  // to stdout, whole, even from threads
//
// Elements: true/false for i1, decimal integers (unsigned ones unsigned),
// floats in %e form (1.000000e+00), complex values as (real, imag).
#ifndef BACKPLANE_COMPILER_INTERPRETER_PRINT_VALUE_H_
#define BACKPLANE_COMPILER_INTERPRETER_PRINT_VALUE_H_

#include <string>

#include "compiler/ir/literal.h"

namespace backplane::interpreter {

std::string FormatPrintedValue(const ir::Literal& value);

// Writes FormatPrintedValue(value) to stdout and flushes; one value's text
// is never interleaved with another's (the processes of run_parallel print
// from their own threads).
void WritePrintedValue(const ir::Literal& value);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_PRINT_VALUE_H_
