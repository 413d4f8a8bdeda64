#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {

absl::Status CheckUniqueDims(absl::string_view op, absl::string_view what,
                             absl::Span<const int64_t> dims, int64_t rank) {
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  for (int64_t d : dims) {
    if (d < 0 || d >= rank) {
      return OpError(op, what, " ", DimsToString(dims), " has dimension ", d,
                     " outside [0, ", rank, ")");
    }
    if (seen[d]) {
      return OpError(op, what, " ", DimsToString(dims), " repeats dimension ",
                     d);
    }
    seen[d] = true;
  }
  return absl::OkStatus();
}

absl::Status CheckPermutation(absl::string_view op, absl::string_view what,
                              absl::Span<const int64_t> perm, int64_t rank) {
  if (static_cast<int64_t>(perm.size()) != rank) {
    return OpError(op, what, " ", DimsToString(perm), " has ", perm.size(),
                   " entries but the operand has rank ", rank);
  }
  return CheckUniqueDims(op, what, perm, rank);
}

absl::StatusOr<ir::Literal> AllocateResult(absl::string_view op,
                                           ir::ElementType type,
                                           std::vector<int64_t> dims) {
  absl::StatusOr<int64_t> count = ir::TensorType::CheckedElementCount(dims);
  if (!count.ok()) {
    return absl::Status(
        count.status().code(),
        absl::StrCat(op, ": result ", count.status().message()));
  }
  return ir::Literal(ir::TensorType(type, std::move(dims)));
}

absl::Status CheckScalar(absl::string_view op, absl::string_view what,
                         const ir::Literal& lit, ir::ElementType type) {
  if (!lit.dims().empty() || lit.element_type() != type) {
    return OpError(op, what, " must be a tensor<", ir::ElementTypeToMlir(type),
                   ">, got ", lit.type().ToString());
  }
  return absl::OkStatus();
}

}  // namespace backplane::kernels::structured
