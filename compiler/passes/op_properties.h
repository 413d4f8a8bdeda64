// What passes may assume about an op: whether removing, duplicating or
// merging it is observable.
//
//   if (!HasSideEffects(op) && AllResultsUnused(op)) erase it;
//   if (IsCseCandidate(op)) look for an identical earlier op;
//
// Unknown ops are assumed to have side effects: we cannot prove otherwise.
#ifndef BACKPLANE_COMPILER_PASSES_OP_PROPERTIES_H_
#define BACKPLANE_COMPILER_PASSES_OP_PROPERTIES_H_

#include "compiler/ir/ir.h"

namespace backplane::passes {

// True when executing the op does something besides computing its results:
// I/O (infeed, outfeed, send, recv), assertions (check.*), custom calls
// marked has_side_effect, collectives (other replicas wait for them),
// interpreter hooks, calls (the callee is not inspected), unknown ops, and
// any op whose regions contain such an op.
bool HasSideEffects(const ir::Op& op);

// True when two executions with equal operands and attributes give equal
// results, so identical ops may be merged: no side effects, no regions, and
// not a source of fresh randomness (rng) and not a custom call (we
// cannot know that its target is deterministic).
bool IsCseCandidate(const ir::Op& op);

// True when the op's only result-relevant inputs are its operands and
// attributes: CSE candidates minus ops that read the execution context
// (replica_id, partition_id). Used by constant folding.
bool IsFoldable(const ir::Op& op);

bool AllResultsUnused(const ir::Op& op);

// True when an op nested in `op`'s regions reads a value defined outside
// `op` (a reduce body using an outer constant, say). Evaluators that run a
// region on its own arguments only (constant folding, the simulator's
// kernels) must not take such ops. False for ops without regions.
bool RegionsUseOuterValues(const ir::Op& op);

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_OP_PROPERTIES_H_
