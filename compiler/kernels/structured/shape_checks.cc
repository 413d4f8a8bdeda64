#include "compiler/kernels/structured/shape_checks.h"

#include <climits>
#include <type_traits>

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

absl::StatusOr<std::vector<int64_t>> IndicesAsInt64(absl::string_view op,
                                                    absl::string_view what,
                                                    const ir::Literal& lit) {
  if (!ir::IsInteger(lit.element_type())) {
    return OpError(op, what, " must be an integer tensor, got ",
                   lit.type().ToString());
  }
  std::vector<int64_t> out(static_cast<size_t>(lit.element_count()));
  auto copy = [&](auto tag) {
    using T = decltype(tag);
    absl::Span<const T> d = lit.data<T>();
    for (size_t i = 0; i < out.size(); ++i) {
      if constexpr (std::is_same_v<T, uint64_t>) {
        out[i] = d[i] > static_cast<uint64_t>(INT64_MAX)
                     ? INT64_MAX
                     : static_cast<int64_t>(d[i]);
      } else {
        out[i] = static_cast<int64_t>(d[i]);
      }
    }
  };
  switch (lit.element_type()) {
    case ir::ElementType::kS2:
    case ir::ElementType::kS4:
    case ir::ElementType::kS8:
      copy(int8_t{});
      break;
    case ir::ElementType::kS16:
      copy(int16_t{});
      break;
    case ir::ElementType::kS32:
      copy(int32_t{});
      break;
    case ir::ElementType::kS64:
      copy(int64_t{});
      break;
    case ir::ElementType::kU2:
    case ir::ElementType::kU4:
    case ir::ElementType::kU8:
      copy(uint8_t{});
      break;
    case ir::ElementType::kU16:
      copy(uint16_t{});
      break;
    case ir::ElementType::kU32:
      copy(uint32_t{});
      break;
    default:
      copy(uint64_t{});
      break;
  }
  return out;
}

}  // namespace backplane::kernels::structured
