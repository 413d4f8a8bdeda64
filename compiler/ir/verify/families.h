// The verifier's per-family op checks, one file per Family of the op table
// (compiler/ir/op_traits.h). VerifyTableTraits runs first for every op (counts,
// element categories, result element type); the family functions check only
// what the table cannot say: shapes, attributes and regions.
//
//   RETURN_IF_ERROR(VerifyTableTraits(op));
//   switch (Traits(op.code()).family) {
//     case Family::kElementwise: return VerifyElementwiseOp(op);
//     ...
//   }
//
// `module` resolves call targets and may be null, which skips those checks.
#ifndef BACKPLANE_COMPILER_IR_VERIFY_FAMILIES_H_
#define BACKPLANE_COMPILER_IR_VERIFY_FAMILIES_H_

#include "absl/status/status.h"
#include "compiler/ir/ir.h"

namespace backplane::ir::verify {

// The table's rules (generic.cc).
absl::Status VerifyTableTraits(const Op& op);

absl::Status VerifyElementwiseOp(const Op& op);
absl::Status VerifyDataMovementOp(const Op& op);
absl::Status VerifyContractionOp(const Op& op);
absl::Status VerifyReductionOp(const Op& op);
absl::Status VerifyIndexingOp(const Op& op);
absl::Status VerifyControlOp(const Op& op, const Module* module);
absl::Status VerifyCollectiveOp(const Op& op);
absl::Status VerifyMiscOp(const Op& op);

// The module's sharding annotations (verify/sharding.cc): its meshes, the
// mhlo.sharding / sdy.sharding of every function argument and result, and
// those of sharding ops, against the values' types and the module's
// mhlo.num_partitions (1 when absent). Run after the functions verify.
absl::Status VerifyModuleShardings(const Module& module);

}  // namespace backplane::ir::verify

#endif  // BACKPLANE_COMPILER_IR_VERIFY_FAMILIES_H_
