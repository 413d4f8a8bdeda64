#include "compiler/interpreter/ragged_dot.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "compiler/kernels/elementwise/convert.h"
#include "compiler/kernels/structured/data_movement.h"
#include "compiler/kernels/structured/dot.h"

namespace backplane::interpreter {
namespace {

namespace ks = kernels::structured;

absl::StatusOr<std::vector<int64_t>> ListAfter(absl::string_view text,
                                               absl::string_view key) {
  const size_t at = text.find(absl::StrCat(key, " = ["));
  if (at == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("ragged_dot_dimension_numbers: missing ", key));
  }
  const size_t open = text.find('[', at);
  const size_t close = text.find(']', open);
  if (close == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("ragged_dot_dimension_numbers: unterminated ", key));
  }
  std::vector<int64_t> out;
  for (absl::string_view part :
       absl::StrSplit(text.substr(open + 1, close - open - 1), ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (part.empty()) continue;
    int64_t v;
    if (!absl::SimpleAtoi(part, &v)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ragged_dot_dimension_numbers: bad entry '", part, "' in ", key));
    }
    out.push_back(v);
  }
  return out;
}

bool Contains(const std::vector<int64_t>& v, int64_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

absl::StatusOr<RaggedDotDimensionNumbers> ParseRaggedDotDimensionNumbers(
    absl::string_view text) {
  RaggedDotDimensionNumbers d;
  struct Field {
    const char* key;
    std::vector<int64_t>* out;
  };
  for (const Field& f :
       {Field{"lhs_batching_dimensions", &d.lhs_batching_dimensions},
        Field{"rhs_batching_dimensions", &d.rhs_batching_dimensions},
        Field{"lhs_contracting_dimensions", &d.lhs_contracting_dimensions},
        Field{"rhs_contracting_dimensions", &d.rhs_contracting_dimensions},
        Field{"lhs_ragged_dimensions", &d.lhs_ragged_dimensions},
        Field{"rhs_group_dimensions", &d.rhs_group_dimensions}}) {
    ASSIGN_OR_RETURN(std::vector<int64_t> v, ListAfter(text, f.key));
    *f.out = std::move(v);
  }
  return d;
}

absl::StatusOr<ir::Literal> RaggedDot(const ir::Literal& lhs_in,
                                      const ir::Literal& rhs_in,
                                      const ir::Literal& group_sizes,
                                      const RaggedDotDimensionNumbers& d,
                                      const ir::TensorType& result_type) {
  if (d.lhs_ragged_dimensions.size() != 1 ||
      d.rhs_group_dimensions.size() != 1) {
    return absl::UnimplementedError(
        "ragged_dot: only the ragged non-contracting mode (one lhs ragged "
        "dimension, one rhs group dimension) is supported");
  }
  const int64_t ragged = d.lhs_ragged_dimensions[0];
  const int64_t group_dim = d.rhs_group_dimensions[0];
  const int64_t lhs_rank = lhs_in.type().rank();
  const int64_t rhs_rank = rhs_in.type().rank();
  if (ragged < 0 || ragged >= lhs_rank || group_dim < 0 ||
      group_dim >= rhs_rank) {
    return absl::InvalidArgumentError("ragged_dot: dimension out of range");
  }
  if (Contains(d.lhs_contracting_dimensions, ragged) ||
      Contains(d.lhs_batching_dimensions, ragged)) {
    return absl::UnimplementedError(
        "ragged_dot: ragged contracting or batch dimensions are not "
        "supported");
  }
  if (group_sizes.type().rank() != 1 ||
      !ir::IsInteger(group_sizes.element_type())) {
    return absl::UnimplementedError(
        "ragged_dot: group_sizes must be a 1-D integer tensor");
  }
  const int64_t groups = group_sizes.dims()[0];
  if (rhs_in.dims()[group_dim] != groups) {
    return absl::InvalidArgumentError(
        "ragged_dot: group_sizes does not match the rhs group dimension");
  }
  const ir::ElementType type = result_type.element_type();
  ASSIGN_OR_RETURN(const ir::Literal lhs,
                   lhs_in.element_type() == type
                       ? absl::StatusOr<ir::Literal>(lhs_in)
                       : kernels::elementwise::Convert(lhs_in, type));
  ASSIGN_OR_RETURN(const ir::Literal rhs,
                   rhs_in.element_type() == type
                       ? absl::StatusOr<ir::Literal>(rhs_in)
                       : kernels::elementwise::Convert(rhs_in, type));

  // dot_general dimension numbers for the rhs without its group dimension.
  auto drop = [group_dim](const std::vector<int64_t>& v) {
    std::vector<int64_t> out;
    for (int64_t x : v) out.push_back(x > group_dim ? x - 1 : x);
    return out;
  };
  ks::DotDimensionNumbers dn;
  dn.lhs_batch = d.lhs_batching_dimensions;
  dn.rhs_batch = drop(d.rhs_batching_dimensions);
  dn.lhs_contracting = d.lhs_contracting_dimensions;
  dn.rhs_contracting = drop(d.rhs_contracting_dimensions);
  // Position of the ragged dimension in the result: after the batch
  // dimensions, among the lhs free dimensions in order.
  int64_t ragged_out = static_cast<int64_t>(d.lhs_batching_dimensions.size());
  for (int64_t i = 0; i < ragged; ++i) {
    if (!Contains(d.lhs_batching_dimensions, i) &&
        !Contains(d.lhs_contracting_dimensions, i)) {
      ++ragged_out;
    }
  }
  ir::Literal result(result_type);
  if (ragged_out >= result_type.rank()) {
    return absl::InvalidArgumentError("ragged_dot: result rank mismatch");
  }
  const int64_t rows = result_type.dim(ragged_out);
  std::vector<int64_t> rhs_slice_dims = rhs.dims();
  rhs_slice_dims.erase(rhs_slice_dims.begin() + group_dim);
  int64_t start = 0;
  for (int64_t g = 0; g < groups && start < rows; ++g) {
    const int64_t size = std::max<int64_t>(group_sizes.GetAsInt64(g), 0);
    const int64_t end = std::min(start + size, rows);
    if (end <= start) continue;
    std::vector<int64_t> lo(rhs_rank, 0), hi = rhs.dims(), st(rhs_rank, 1);
    lo[group_dim] = g;
    hi[group_dim] = g + 1;
    ASSIGN_OR_RETURN(ir::Literal slice, ks::Slice(rhs, lo, hi, st));
    ASSIGN_OR_RETURN(ir::Literal rhs_g, ks::Reshape(slice, rhs_slice_dims));
    ASSIGN_OR_RETURN(ir::Literal prod, ks::DotGeneral(lhs, rhs_g, dn));
    if (prod.dims() != result_type.dims()) {
      return absl::InvalidArgumentError(
          "ragged_dot: result type does not match the dimension numbers");
    }
    std::vector<int64_t> plo(result_type.rank(), 0), phi = prod.dims(),
                                                     pst(result_type.rank(), 1);
    plo[ragged_out] = start;
    phi[ragged_out] = end;
    ASSIGN_OR_RETURN(ir::Literal rows_g, ks::Slice(prod, plo, phi, pst));
    ASSIGN_OR_RETURN(result, ks::DynamicUpdateSlice(result, rows_g, plo));
    start = end;
  }
  return result;
}

}  // namespace backplane::interpreter
