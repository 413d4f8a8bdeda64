// Common-subexpression elimination: an op identical to an earlier op that
// dominates it (same opcode, operands, attributes and result types; see
// IsCseCandidate for which ops qualify) is replaced by that earlier op.
//
//   absl::StatusOr<bool> changed = CreateCsePass()->Run(module);
//
// Scoping: within a region, an op may reuse an earlier op of its own block
// or of an enclosing block of the same region. Regions are separate scopes:
// ops are never merged across sibling blocks or regions, and an op inside a
// region body is not replaced by an equivalent op outside it (that would be
// correct but would make the body capture an outer value, which reduction
// bodies and backends' body matchers do not expect).
#ifndef BACKPLANE_COMPILER_PASSES_CSE_H_
#define BACKPLANE_COMPILER_PASSES_CSE_H_

#include <memory>

#include "compiler/passes/pass.h"

namespace backplane::passes {

std::unique_ptr<Pass> CreateCsePass();

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_CSE_H_
