// Recognises the common region bodies of reduce-like ops and comparators so
// that kernels can run typed loops instead of calling the region per
// element.
//
//   BodyKind k = RecognizeReductionBody(op.region(0));  // e.g. kAdd
//   std::optional<RecognizedComparator> c = RecognizeComparator(region);
#ifndef BACKPLANE_COMPILER_INTERPRETER_BODY_RECOGNITION_H_
#define BACKPLANE_COMPILER_INTERPRETER_BODY_RECOGNITION_H_

#include <optional>

#include "compiler/ir/ir.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::interpreter {

// kAdd ... kOr when, for N operands, the body's result i is that binary op
// of arguments i and N + i (either order); kReplace when the results are
// the second half of the arguments; kGeneric otherwise.
kernels::structured::BodyKind RecognizeReductionBody(const ir::Region& region);

struct RecognizedComparator {
  kernels::structured::CompareKind kind;
  bool total_order;
};
// A body that is one stablehlo.compare of arguments 0 and 1 (LT, LE, GT,
// GE; FLOAT, TOTALORDER or default type) and returns it.
std::optional<RecognizedComparator> RecognizeComparator(
    const ir::Region& region);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_BODY_RECOGNITION_H_
