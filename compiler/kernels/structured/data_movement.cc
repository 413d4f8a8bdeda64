#include "compiler/kernels/structured/data_movement.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "base/status_macros.h"
#include "compiler/kernels/structured/shape_checks.h"
#include "compiler/kernels/structured/strided_copy.h"

namespace backplane::kernels::structured {
namespace {

int ElemSize(const ir::Literal& l) {
  return ir::ElementByteSize(l.element_type());
}

absl::Status CheckRankMatches(absl::string_view op, absl::string_view what,
                              absl::Span<const int64_t> values, int64_t rank) {
  if (static_cast<int64_t>(values.size()) != rank) {
    return OpError(op, what, " ", DimsToString(values), " has ", values.size(),
                   " entries but the operand has rank ", rank);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ir::Literal> BroadcastInDim(
    const ir::Literal& operand, absl::Span<const int64_t> result_dims,
    absl::Span<const int64_t> broadcast_dimensions) {
  constexpr absl::string_view kOp = "broadcast_in_dim";
  const int64_t rank = static_cast<int64_t>(result_dims.size());
  if (absl::Status s =
          CheckRankMatches(kOp, "broadcast_dimensions", broadcast_dimensions,
                           operand.type().rank());
      !s.ok()) {
    return s;
  }
  RETURN_IF_ERROR(
      CheckUniqueDims(kOp, "broadcast_dimensions", broadcast_dimensions, rank));
  std::vector<int64_t> src_strides(rank, 0);
  const std::vector<int64_t> in_strides = ir::RowMajorStrides(operand.dims());
  for (size_t i = 0; i < broadcast_dimensions.size(); ++i) {
    const int64_t d = broadcast_dimensions[i];
    const int64_t in_dim = operand.dims()[i];
    if (in_dim != 1 && in_dim != result_dims[d]) {
      return OpError(kOp, "operand dimension ", i, " has size ", in_dim,
                     " but result dimension ", d, " has size ", result_dims[d],
                     "; it must be 1 or equal");
    }
    if (in_dim != 1) src_strides[d] = in_strides[i];
  }
  ASSIGN_OR_RETURN(ir::Literal result,
                   AllocateResult(kOp, operand.element_type(),
                                  std::vector<int64_t>(result_dims.begin(),
                                                       result_dims.end())));
  StridedCopy(ElemSize(operand), result_dims, operand.untyped_data(),
              src_strides, result.untyped_data(),
              ir::RowMajorStrides(result_dims));
  return result;
}

absl::StatusOr<ir::Literal> Reshape(const ir::Literal& operand,
                                    absl::Span<const int64_t> result_dims) {
  constexpr absl::string_view kOp = "reshape";
  ASSIGN_OR_RETURN(ir::Literal result,
                   AllocateResult(kOp, operand.element_type(),
                                  std::vector<int64_t>(result_dims.begin(),
                                                       result_dims.end())));
  if (result.element_count() != operand.element_count()) {
    return OpError(kOp, "cannot reshape ", operand.type().ToString(), " (",
                   operand.element_count(), " elements) to ",
                   DimsToString(result_dims), " (", result.element_count(),
                   " elements)");
  }
  std::memcpy(result.untyped_data(), operand.untyped_data(),
              static_cast<size_t>(operand.byte_size()));
  return result;
}

absl::StatusOr<ir::Literal> Transpose(const ir::Literal& operand,
                                      absl::Span<const int64_t> permutation) {
  constexpr absl::string_view kOp = "transpose";
  const int64_t rank = operand.type().rank();
  RETURN_IF_ERROR(CheckPermutation(kOp, "permutation", permutation, rank));
  const std::vector<int64_t> in_strides = ir::RowMajorStrides(operand.dims());
  std::vector<int64_t> dims(rank), src_strides(rank);
  for (int64_t i = 0; i < rank; ++i) {
    dims[i] = operand.dims()[permutation[i]];
    src_strides[i] = in_strides[permutation[i]];
  }
  ASSIGN_OR_RETURN(ir::Literal result,
                   AllocateResult(kOp, operand.element_type(), dims));
  StridedCopy(ElemSize(operand), dims, operand.untyped_data(), src_strides,
              result.untyped_data(), ir::RowMajorStrides(dims));
  return result;
}

absl::StatusOr<ir::Literal> Slice(const ir::Literal& operand,
                                  absl::Span<const int64_t> start_indices,
                                  absl::Span<const int64_t> limit_indices,
                                  absl::Span<const int64_t> strides) {
  constexpr absl::string_view kOp = "slice";
  const int64_t rank = operand.type().rank();
  for (auto [name, values] :
       {std::pair<absl::string_view, absl::Span<const int64_t>>{"start_indices",
                                                                start_indices},
        {"limit_indices", limit_indices},
        {"strides", strides}}) {
    RETURN_IF_ERROR(CheckRankMatches(kOp, name, values, rank));
  }
  const std::vector<int64_t> in_strides = ir::RowMajorStrides(operand.dims());
  std::vector<int64_t> dims(rank), src_strides(rank);
  int64_t offset = 0;
  for (int64_t i = 0; i < rank; ++i) {
    const int64_t start = start_indices[i], limit = limit_indices[i];
    if (start < 0 || start > limit || limit > operand.dims()[i]) {
      return OpError(kOp, "dimension ", i, ": need 0 <= start (", start,
                     ") <= limit (", limit, ") <= size (", operand.dims()[i],
                     ")");
    }
    if (strides[i] <= 0) {
      return OpError(kOp, "dimension ", i, ": stride ", strides[i],
                     " must be positive");
    }
    dims[i] = (limit - start + strides[i] - 1) / strides[i];
    src_strides[i] = in_strides[i] * strides[i];
    offset += start * in_strides[i];
  }
  ASSIGN_OR_RETURN(ir::Literal result,
                   AllocateResult(kOp, operand.element_type(), dims));
  if (result.element_count() == 0) return result;
  StridedCopy(ElemSize(operand), dims,
              operand.untyped_data() + offset * ElemSize(operand), src_strides,
              result.untyped_data(), ir::RowMajorStrides(dims));
  return result;
}

absl::StatusOr<ir::Literal> DynamicSlice(
    const ir::Literal& operand, absl::Span<const int64_t> start_indices,
    absl::Span<const int64_t> slice_sizes) {
  constexpr absl::string_view kOp = "dynamic_slice";
  const int64_t rank = operand.type().rank();
  if (absl::Status s =
          CheckRankMatches(kOp, "start_indices", start_indices, rank);
      !s.ok()) {
    return s;
  }
  RETURN_IF_ERROR(CheckRankMatches(kOp, "slice_sizes", slice_sizes, rank));
  std::vector<int64_t> start(rank), limit(rank), strides(rank, 1);
  for (int64_t i = 0; i < rank; ++i) {
    if (slice_sizes[i] < 0 || slice_sizes[i] > operand.dims()[i]) {
      return OpError(kOp, "slice size ", slice_sizes[i], " of dimension ", i,
                     " must be in [0, ", operand.dims()[i], "]");
    }
    start[i] = std::clamp<int64_t>(start_indices[i], 0,
                                   operand.dims()[i] - slice_sizes[i]);
    limit[i] = start[i] + slice_sizes[i];
  }
  return Slice(operand, start, limit, strides);
}

absl::StatusOr<ir::Literal> DynamicUpdateSlice(
    const ir::Literal& operand, const ir::Literal& update,
    absl::Span<const int64_t> start_indices) {
  constexpr absl::string_view kOp = "dynamic_update_slice";
  const int64_t rank = operand.type().rank();
  if (update.element_type() != operand.element_type() ||
      update.type().rank() != rank) {
    return OpError(kOp, "update ", update.type().ToString(),
                   " must have the element type and rank of the operand ",
                   operand.type().ToString());
  }
  if (absl::Status s =
          CheckRankMatches(kOp, "start_indices", start_indices, rank);
      !s.ok()) {
    return s;
  }
  const std::vector<int64_t> strides = ir::RowMajorStrides(operand.dims());
  int64_t offset = 0;
  for (int64_t i = 0; i < rank; ++i) {
    if (update.dims()[i] > operand.dims()[i]) {
      return OpError(kOp, "update dimension ", i, " (", update.dims()[i],
                     ") exceeds the operand's (", operand.dims()[i], ")");
    }
    offset +=
        strides[i] * std::clamp<int64_t>(start_indices[i], 0,
                                         operand.dims()[i] - update.dims()[i]);
  }
  ir::Literal result = operand;
  if (update.element_count() == 0) return result;
  StridedCopy(ElemSize(operand), update.dims(), update.untyped_data(),
              ir::RowMajorStrides(update.dims()),
              result.untyped_data() + offset * ElemSize(operand), strides);
  return result;
}

absl::StatusOr<ir::Literal> Concatenate(
    absl::Span<const ir::Literal* const> inputs, int64_t dimension) {
  constexpr absl::string_view kOp = "concatenate";
  if (inputs.empty()) return OpError(kOp, "needs at least one input");
  const ir::Literal& first = *inputs[0];
  const int64_t rank = first.type().rank();
  if (dimension < 0 || dimension >= rank) {
    return OpError(kOp, "dimension ", dimension, " is outside [0, ", rank, ")");
  }
  std::vector<int64_t> dims = first.dims();
  dims[dimension] = 0;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const ir::Literal& in = *inputs[k];
    bool compatible =
        in.element_type() == first.element_type() && in.type().rank() == rank;
    for (int64_t i = 0; compatible && i < rank; ++i) {
      compatible = i == dimension || in.dims()[i] == first.dims()[i];
    }
    if (!compatible) {
      return OpError(kOp, "input ", k, " ", in.type().ToString(),
                     " does not match input 0 ", first.type().ToString(),
                     " outside dimension ", dimension);
    }
    dims[dimension] += in.dims()[dimension];
  }
  ASSIGN_OR_RETURN(ir::Literal result,
                   AllocateResult(kOp, first.element_type(), dims));
  const std::vector<int64_t> out_strides = ir::RowMajorStrides(dims);
  const int es = ElemSize(first);
  int64_t offset = 0;
  for (const ir::Literal* in : inputs) {
    StridedCopy(es, in->dims(), in->untyped_data(),
                ir::RowMajorStrides(in->dims()),
                result.untyped_data() + offset * out_strides[dimension] * es,
                out_strides);
    offset += in->dims()[dimension];
  }
  return result;
}

absl::StatusOr<ir::Literal> Pad(const ir::Literal& operand,
                                const ir::Literal& padding_value,
                                absl::Span<const int64_t> edge_padding_low,
                                absl::Span<const int64_t> edge_padding_high,
                                absl::Span<const int64_t> interior_padding) {
  constexpr absl::string_view kOp = "pad";
  const int64_t rank = operand.type().rank();
  RETURN_IF_ERROR(
      CheckScalar(kOp, "padding_value", padding_value, operand.element_type()));
  for (auto [name, values] :
       {std::pair<absl::string_view, absl::Span<const int64_t>>{
            "edge_padding_low", edge_padding_low},
        {"edge_padding_high", edge_padding_high},
        {"interior_padding", interior_padding}}) {
    RETURN_IF_ERROR(CheckRankMatches(kOp, name, values, rank));
  }
  std::vector<int64_t> dims(rank);
  // Per dimension: the first operand index that lands inside the result,
  // how many do, and where the first one lands.
  std::vector<int64_t> first_in(rank), count(rank), first_out(rank);
  for (int64_t i = 0; i < rank; ++i) {
    const int64_t n = operand.dims()[i], lo = edge_padding_low[i],
                  hi = edge_padding_high[i], in = interior_padding[i];
    if (in < 0) {
      return OpError(kOp, "interior_padding ", in, " of dimension ", i,
                     " must be non-negative");
    }
    if (std::abs(lo) > ir::kMaxTensorElements ||
        std::abs(hi) > ir::kMaxTensorElements || in > ir::kMaxTensorElements) {
      return OpError(kOp, "padding of dimension ", i, " is too large");
    }
    if (n > 1 && n - 1 > ir::kMaxTensorElements / (in + 1)) {
      return OpError(kOp, "interior padding of dimension ", i,
                     " makes the result too large");
    }
    const int64_t dilated = n == 0 ? 0 : (n - 1) * (in + 1) + 1;
    dims[i] = lo + dilated + hi;
    if (dims[i] < 0) {
      return OpError(kOp, "dimension ", i, " would have negative size ",
                     dims[i]);
    }
    const int64_t step = in + 1;
    // Operand index j lands at lo + j * step; keep 0 <= pos < dims[i].
    int64_t j0 = lo >= 0 ? 0 : (-lo + step - 1) / step;
    int64_t j1 = n;  // Exclusive.
    if (dims[i] - lo <= 0) {
      j1 = 0;
    } else {
      j1 = std::min<int64_t>(n, (dims[i] - 1 - lo) / step + 1);
    }
    first_in[i] = j0;
    count[i] = std::max<int64_t>(0, j1 - j0);
    first_out[i] = lo + j0 * step;
  }
  ASSIGN_OR_RETURN(ir::Literal result,
                   AllocateResult(kOp, operand.element_type(), dims));
  const int es = ElemSize(operand);
  FillElements(es, padding_value.untyped_data(), result.element_count(),
               result.untyped_data());
  const std::vector<int64_t> in_strides = ir::RowMajorStrides(operand.dims());
  const std::vector<int64_t> out_strides = ir::RowMajorStrides(dims);
  std::vector<int64_t> dst_strides(rank);
  int64_t src_offset = 0, dst_offset = 0;
  for (int64_t i = 0; i < rank; ++i) {
    if (count[i] == 0) return result;
    src_offset += first_in[i] * in_strides[i];
    dst_offset += first_out[i] * out_strides[i];
    dst_strides[i] = out_strides[i] * (interior_padding[i] + 1);
  }
  StridedCopy(es, count, operand.untyped_data() + src_offset * es, in_strides,
              result.untyped_data() + dst_offset * es, dst_strides);
  return result;
}

absl::StatusOr<ir::Literal> Reverse(const ir::Literal& operand,
                                    absl::Span<const int64_t> dimensions) {
  constexpr absl::string_view kOp = "reverse";
  const int64_t rank = operand.type().rank();
  RETURN_IF_ERROR(CheckUniqueDims(kOp, "dimensions", dimensions, rank));
  ir::Literal result(operand.type());
  if (operand.element_count() == 0) return result;
  std::vector<int64_t> src_strides = ir::RowMajorStrides(operand.dims());
  int64_t offset = 0;
  for (int64_t d : dimensions) {
    offset += (operand.dims()[d] - 1) * src_strides[d];
    src_strides[d] = -src_strides[d];
  }
  const int es = ElemSize(operand);
  StridedCopy(es, operand.dims(), operand.untyped_data() + offset * es,
              src_strides, result.untyped_data(),
              ir::RowMajorStrides(operand.dims()));
  return result;
}

}  // namespace backplane::kernels::structured
