// Common-subexpression elimination: an op identical to an earlier op that
// dominates it (same opcode, operands, attributes and result types; see
// IsCseCandidate for which ops qualify) is replaced by that earlier op.
//
//   absl::StatusOr<bool> changed = CreateCsePass()->Run(module);
//
// Scoping: an op inside a region may reuse an op from an enclosing block
// that precedes the region's op (it dominates every op in the region), but
// never one from a sibling region or a different block of the same region,
// and ops inside a region are never reused outside it.
#ifndef BACKPLANE_COMPILER_PASSES_CSE_H_
#define BACKPLANE_COMPILER_PASSES_CSE_H_

#include <memory>

#include "compiler/passes/pass.h"

namespace backplane::passes {

std::unique_ptr<Pass> CreateCsePass();

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_CSE_H_
