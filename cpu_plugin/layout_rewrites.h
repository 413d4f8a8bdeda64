// Layout rewrites that let the CPU pipeline fuse more, run on the entry
// function after the shared passes. Neither changes any value: the same
// arithmetic happens on the same elements, only the order of layout ops
// and arithmetic changes.
//
// - Scale hoisting: a multiplication by a splat constant that follows
//   reshapes and transposes moves above them, next to the op that
//   computed the value, so that epilogue fusion applies it inside that op
//   (exported attention: matmul + bias, split into heads, transposed, then
//   scaled). It moves past a layout op only when the layout op's operand
//   has no other user (otherwise it would be computed twice or would not
//   reach its producer).
// - Unit reshapes after transposes: reshape(transpose(x)) that only drops
//   size-1 dimensions becomes transpose(reshape(x)), so that a dot reading
//   the result sees a transpose, which it reads in place through strides
//   (the attention heads: [1, H, S, D] -> [H, S, D]).
//
//   absl::StatusOr<int> changed = RewriteLayoutsForFusion(block);
#ifndef BACKPLANE_CPU_PLUGIN_LAYOUT_REWRITES_H_
#define BACKPLANE_CPU_PLUGIN_LAYOUT_REWRITES_H_

#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"

namespace backplane::cpu {

// Applies both rewrites to the ops of `block` (not of nested regions);
// returns how many ops were moved. Layout ops left unused stay in the
// block for dead-code elimination.
absl::StatusOr<int> RewriteLayoutsForFusion(ir::Block& block);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_LAYOUT_REWRITES_H_
