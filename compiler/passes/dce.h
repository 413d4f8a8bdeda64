// Dead-code elimination: erases ops whose results are all unused and that
// have no side effects (op_properties.h), inside nested regions too.
//
//   std::unique_ptr<Pass> dce = CreateDcePass();
//   absl::StatusOr<bool> changed = dce->Run(module);
//
// Kept: check ops, outfeed/send/recv/infeed, collectives, custom calls with
// has_side_effect, terminators, unknown ops, and ops whose regions hold any
// of these. One backwards sweep per block removes whole dead chains.
#ifndef BACKPLANE_COMPILER_PASSES_DCE_H_
#define BACKPLANE_COMPILER_PASSES_DCE_H_

#include <memory>

#include "compiler/passes/pass.h"

namespace backplane::passes {

std::unique_ptr<Pass> CreateDcePass();

// The pass's work on one region; true when something was erased.
absl::StatusOr<bool> EliminateDeadCode(ir::Region& region);

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_DCE_H_
