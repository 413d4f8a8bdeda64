// Verifier for the IR: structure (SSA dominance, terminators, region
// shapes, call targets) and per-op type rules from the StableHLO spec.
//
//   absl::Status s = VerifyModule(*module);
//   // "model.mlir:12:5: stablehlo.add: operand #1 has type tensor<2xf32>, ..."
//
// Unknown ops (parsed from the generic form with a name the kit does not
// know) pass structural checks only, unless options reject them with
// UNIMPLEMENTED.
#ifndef BACKPLANE_COMPILER_IR_VERIFIER_H_
#define BACKPLANE_COMPILER_IR_VERIFIER_H_

#include "absl/status/status.h"
#include "compiler/ir/ir.h"

namespace backplane::ir {

struct VerifyOptions {
  bool allow_unknown_ops = true;
};

absl::Status VerifyModule(const Module& module,
                          const VerifyOptions& options = {});
// Per-op type rules only (no dominance); `module` resolves call targets and
// may be null, which skips those checks.
absl::Status VerifyOp(const Op& op, const Module* module);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_VERIFIER_H_
