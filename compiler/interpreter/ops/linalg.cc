// Linear algebra ops: fft, triangular_solve and cholesky.
#include "compiler/kernels/structured/linalg.h"

#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/ops/results.h"
#include "compiler/kernels/structured/fft.h"

namespace backplane::interpreter::ops {
namespace {

namespace ks = kernels::structured;
using ir::OpCode;

absl::StatusOr<std::vector<ValueRef>> ExecuteFft(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  ASSIGN_OR_RETURN(std::vector<int64_t> len, I64List(op, "fft_length"));
  const auto type = static_cast<ks::FftType>(EnumAttrOr(op, "fft_type", 0));
  return Wrap(ks::Fft(ctx.tensor(0), type, len));
}

ks::TransposeA TransposeAOf(const ir::Op& op) {
  switch (static_cast<ir::Transpose>(EnumAttrOr(
      op, "transpose_a", static_cast<int>(ir::Transpose::kNoTranspose)))) {
    case ir::Transpose::kTranspose:
      return ks::TransposeA::kTranspose;
    case ir::Transpose::kAdjoint:
      return ks::TransposeA::kAdjoint;
    default:
      return ks::TransposeA::kNoTranspose;
  }
}

absl::StatusOr<std::vector<ValueRef>> ExecuteTriangularSolve(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  ks::TriangularSolveParams p;
  p.left_side = BoolAttrOr(op, "left_side", false);
  p.lower = BoolAttrOr(op, "lower", false);
  p.unit_diagonal = BoolAttrOr(op, "unit_diagonal", false);
  p.transpose_a = TransposeAOf(op);
  return Wrap(ks::TriangularSolve(ctx.tensor(0), ctx.tensor(1), p));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteCholesky(OpContext& ctx) {
  return Wrap(
      ks::Cholesky(ctx.tensor(0), BoolAttrOr(ctx.op(), "lower", false)));
}

}  // namespace

absl::Status RegisterLinalgOps(OpRegistry& registry) {
  RETURN_IF_ERROR(registry.Register(OpCode::kFft, ExecuteFft));
  RETURN_IF_ERROR(
      registry.Register(OpCode::kTriangularSolve, ExecuteTriangularSolve));
  RETURN_IF_ERROR(registry.Register(OpCode::kCholesky, ExecuteCholesky));
  return absl::OkStatus();
}

}  // namespace backplane::interpreter::ops
