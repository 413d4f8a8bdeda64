// Prints an ir::Module as MLIR text that ParseModule reads back.
//
//   std::string text = PrintModule(*module);
//
// Common ops print in their custom syntax (`%0 = stablehlo.add %a, %b :
// tensor<2xf32>`, constants, calls, returns, compare, dot_general, ...)
// when their attributes fit it exactly; everything else prints in MLIR's
// generic form (`%0 = "stablehlo.sort"(%a) ({...}) {...} : (...) -> ...`),
// which is valid for every op. Functions and the module use the usual
// func/module syntax. Values are
// renumbered per function (%0, %1:2 with %1#0, %argN for block arguments),
// so printing is deterministic: parse(print(m)) prints identically.
#ifndef BACKPLANE_COMPILER_PARSER_PRINTER_H_
#define BACKPLANE_COMPILER_PARSER_PRINTER_H_

#include <string>

#include "compiler/ir/ir.h"

namespace backplane::parser {

std::string PrintModule(const ir::Module& module);
// One op (and its regions) with values named by position, for messages.
std::string PrintOp(const ir::Op& op);

}  // namespace backplane::parser

#endif  // BACKPLANE_COMPILER_PARSER_PRINTER_H_
