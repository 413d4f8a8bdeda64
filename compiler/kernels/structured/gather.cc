#include "compiler/kernels/structured/gather.h"

#include <algorithm>

#include "base/status_macros.h"
#include "compiler/kernels/structured/shape_checks.h"
#include "compiler/kernels/structured/strided_copy.h"

namespace backplane::kernels::structured {
namespace {

constexpr absl::string_view kOp = "gather";

absl::Status CheckSorted(absl::string_view what,
                         const std::vector<int64_t>& dims, int64_t rank) {
  if (!std::is_sorted(dims.begin(), dims.end())) {
    return OpError(kOp, what, " ", DimsToString(dims), " must be sorted");
  }
  return CheckUniqueDims(kOp, what, dims, rank);
}

}  // namespace

absl::StatusOr<ir::Literal> Gather(const ir::Literal& operand,
                                   const ir::Literal& start_indices,
                                   const GatherDimensionNumbers& dn,
                                   absl::Span<const int64_t> slice_sizes) {
  const int64_t operand_rank = operand.type().rank();
  const int64_t indices_rank = start_indices.type().rank();
  const int64_t ivd = dn.index_vector_dim;
  if (ivd < 0 || ivd > indices_rank) {
    return OpError(kOp, "index_vector_dim ", ivd, " is outside [0, ",
                   indices_rank, "]");
  }
  const int64_t index_vector_size =
      ivd == indices_rank ? 1 : start_indices.dims()[ivd];
  if (static_cast<int64_t>(slice_sizes.size()) != operand_rank) {
    return OpError(kOp, "slice_sizes ", DimsToString(slice_sizes),
                   " needs one entry per operand dimension (", operand_rank,
                   ")");
  }
  const int64_t batch_rank = indices_rank - (ivd < indices_rank ? 1 : 0);
  const int64_t result_rank =
      batch_rank + static_cast<int64_t>(dn.offset_dims.size());
  RETURN_IF_ERROR(CheckSorted("offset_dims", dn.offset_dims, result_rank));
  RETURN_IF_ERROR(CheckSorted("collapsed_slice_dims", dn.collapsed_slice_dims,
                              operand_rank));
  RETURN_IF_ERROR(CheckSorted("operand_batching_dims", dn.operand_batching_dims,
                              operand_rank));
  std::vector<int64_t> removed = dn.collapsed_slice_dims;
  removed.insert(removed.end(), dn.operand_batching_dims.begin(),
                 dn.operand_batching_dims.end());
  if (absl::Status s =
          CheckUniqueDims(kOp, "collapsed_slice_dims + operand_batching_dims",
                          removed, operand_rank);
      !s.ok())
    return s;
  if (static_cast<int64_t>(dn.offset_dims.size()) +
          static_cast<int64_t>(removed.size()) !=
      operand_rank) {
    return OpError(kOp, "offset_dims has ", dn.offset_dims.size(),
                   " entries; the operand rank ", operand_rank, " minus ",
                   removed.size(), " collapsed/batching dims requires ",
                   operand_rank - static_cast<int64_t>(removed.size()));
  }
  RETURN_IF_ERROR(CheckUniqueDims(kOp, "start_index_map", dn.start_index_map,
                                  operand_rank));
  if (static_cast<int64_t>(dn.start_index_map.size()) != index_vector_size) {
    return OpError(kOp, "start_index_map ", DimsToString(dn.start_index_map),
                   " must have one entry per index vector element (",
                   index_vector_size, ")");
  }
  for (int64_t d : dn.start_index_map) {
    if (std::count(dn.operand_batching_dims.begin(),
                   dn.operand_batching_dims.end(), d) != 0) {
      return OpError(kOp, "start_index_map entry ", d,
                     " is also an operand batching dimension");
    }
  }
  if (absl::Status s =
          CheckUniqueDims(kOp, "start_indices_batching_dims",
                          dn.start_indices_batching_dims, indices_rank);
      !s.ok())
    return s;
  if (dn.start_indices_batching_dims.size() !=
      dn.operand_batching_dims.size()) {
    return OpError(kOp,
                   "operand_batching_dims and "
                   "start_indices_batching_dims differ in length");
  }
  for (size_t i = 0; i < dn.start_indices_batching_dims.size(); ++i) {
    const int64_t sd = dn.start_indices_batching_dims[i];
    if (sd == ivd) {
      return OpError(kOp,
                     "start_indices_batching_dims contains "
                     "index_vector_dim ",
                     ivd);
    }
    if (start_indices.dims()[sd] !=
        operand.dims()[dn.operand_batching_dims[i]]) {
      return OpError(kOp,
                     "batching dimension sizes differ: start_indices "
                     "dimension ",
                     sd, " vs operand dimension ", dn.operand_batching_dims[i]);
    }
  }
  for (int64_t d = 0; d < operand_rank; ++d) {
    if (slice_sizes[d] < 0 || slice_sizes[d] > operand.dims()[d]) {
      return OpError(kOp, "slice size ", slice_sizes[d], " of dimension ", d,
                     " must be in [0, ", operand.dims()[d], "]");
    }
    if (std::count(removed.begin(), removed.end(), d) != 0 &&
        slice_sizes[d] > 1) {
      return OpError(kOp, "collapsed or batching dimension ", d,
                     " must have slice size <= 1, got ", slice_sizes[d]);
    }
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> indices,
                   IndicesAsInt64(kOp, "start_indices", start_indices));

  // Result shape: batch dims fill the positions not in offset_dims.
  std::vector<int64_t> batch_dims_of_indices;  // start_indices dims, in order.
  for (int64_t d = 0; d < indices_rank; ++d) {
    if (d != ivd) batch_dims_of_indices.push_back(d);
  }
  std::vector<int64_t> offset_operand_dims;  // Operand dims kept in result.
  for (int64_t d = 0; d < operand_rank; ++d) {
    if (std::count(removed.begin(), removed.end(), d) == 0) {
      offset_operand_dims.push_back(d);
    }
  }
  std::vector<int64_t> result_dims(result_rank);
  std::vector<int64_t> result_batch_positions;
  {
    size_t b = 0, o = 0;
    for (int64_t r = 0; r < result_rank; ++r) {
      if (o < dn.offset_dims.size() && dn.offset_dims[o] == r) {
        result_dims[r] = slice_sizes[offset_operand_dims[o++]];
      } else {
        result_dims[r] = start_indices.dims()[batch_dims_of_indices[b++]];
        result_batch_positions.push_back(r);
      }
    }
  }
  ASSIGN_OR_RETURN(ir::Literal result,
                   AllocateResult(kOp, operand.element_type(), result_dims));
  if (result.element_count() == 0) return result;

  const int es = ir::ElementByteSize(operand.element_type());
  const std::vector<int64_t> op_strides = ir::RowMajorStrides(operand.dims());
  const std::vector<int64_t> res_strides = ir::RowMajorStrides(result_dims);
  const std::vector<int64_t> idx_strides =
      ir::RowMajorStrides(start_indices.dims());
  // Where each operand dim of the slice lands in the result.
  std::vector<int64_t> dst_strides(operand_rank, 0);
  for (size_t o = 0; o < offset_operand_dims.size(); ++o) {
    dst_strides[offset_operand_dims[o]] = res_strides[dn.offset_dims[o]];
  }
  const int64_t ivd_stride = ivd < indices_rank ? idx_strides[ivd] : 0;
  std::vector<int64_t> batch_idx(batch_rank, 0), batch_sizes(batch_rank);
  for (int64_t i = 0; i < batch_rank; ++i) {
    batch_sizes[i] = start_indices.dims()[batch_dims_of_indices[i]];
  }
  while (true) {
    int64_t idx_base = 0, dst_base = 0;
    for (int64_t i = 0; i < batch_rank; ++i) {
      idx_base += batch_idx[i] * idx_strides[batch_dims_of_indices[i]];
      dst_base += batch_idx[i] * res_strides[result_batch_positions[i]];
    }
    int64_t src_base = 0;
    for (size_t k = 0; k < dn.start_index_map.size(); ++k) {
      const int64_t d = dn.start_index_map[k];
      const int64_t start = std::clamp<int64_t>(
          indices[idx_base + static_cast<int64_t>(k) * ivd_stride], 0,
          operand.dims()[d] - slice_sizes[d]);
      src_base += start * op_strides[d];
    }
    for (size_t k = 0; k < dn.operand_batching_dims.size(); ++k) {
      const int64_t sd = dn.start_indices_batching_dims[k];
      const int64_t pos = sd < ivd ? sd : sd - 1;  // Position in batch_idx.
      src_base += batch_idx[pos] * op_strides[dn.operand_batching_dims[k]];
    }
    StridedCopy(es, slice_sizes, operand.untyped_data() + src_base * es,
                op_strides, result.untyped_data() + dst_base * es, dst_strides);
    int64_t k = batch_rank - 1;
    for (; k >= 0; --k) {
      if (++batch_idx[k] < batch_sizes[k]) break;
      batch_idx[k] = 0;
    }
    if (k < 0) break;
  }
  return result;
}

}  // namespace backplane::kernels::structured
