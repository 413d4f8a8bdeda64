#include "compiler/kernels/structured/scatter.h"

#include <algorithm>
#include <cstring>

#include "base/status_macros.h"
#include "compiler/kernels/structured/body_ops.h"
#include "compiler/kernels/structured/element_traits.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {
namespace {

constexpr absl::string_view kOp = "scatter";

absl::Status CheckSorted(absl::string_view what,
                         const std::vector<int64_t>& dims, int64_t rank) {
  if (!std::is_sorted(dims.begin(), dims.end())) {
    return OpError(kOp, what, " ", DimsToString(dims), " must be sorted");
  }
  return CheckUniqueDims(kOp, what, dims, rank);
}

}  // namespace

absl::StatusOr<std::vector<ir::Literal>> Scatter(
    absl::Span<const ir::Literal* const> inputs,
    const ir::Literal& scatter_indices,
    absl::Span<const ir::Literal* const> updates,
    const ScatterDimensionNumbers& dn, const ScalarComputation& body) {
  if (inputs.empty()) return OpError(kOp, "needs at least one input");
  if (inputs.size() != updates.size()) {
    return OpError(kOp, inputs.size(), " inputs but ", updates.size(),
                   " updates");
  }
  const ir::Literal& operand = *inputs[0];
  const ir::Literal& update = *updates[0];
  std::vector<ir::ElementType> types;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i]->dims() != operand.dims() ||
        updates[i]->dims() != update.dims()) {
      return OpError(kOp,
                     "all inputs must share one shape and all updates "
                     "another; input ",
                     i, " is ", inputs[i]->type().ToString(), " and update ", i,
                     " is ", updates[i]->type().ToString());
    }
    if (updates[i]->element_type() != inputs[i]->element_type()) {
      return OpError(kOp, "update ", i, " element type differs from input ", i);
    }
    types.push_back(inputs[i]->element_type());
  }
  const int64_t operand_rank = operand.type().rank();
  const int64_t update_rank = update.type().rank();
  const int64_t indices_rank = scatter_indices.type().rank();
  const int64_t ivd = dn.index_vector_dim;
  if (ivd < 0 || ivd > indices_rank) {
    return OpError(kOp, "index_vector_dim ", ivd, " is outside [0, ",
                   indices_rank, "]");
  }
  const int64_t index_vector_size =
      ivd == indices_rank ? 1 : scatter_indices.dims()[ivd];
  if (absl::Status s =
          CheckSorted("update_window_dims", dn.update_window_dims, update_rank);
      !s.ok())
    return s;
  RETURN_IF_ERROR(CheckSorted("inserted_window_dims", dn.inserted_window_dims,
                              operand_rank));
  RETURN_IF_ERROR(
      CheckSorted("input_batching_dims", dn.input_batching_dims, operand_rank));
  std::vector<int64_t> removed = dn.inserted_window_dims;
  removed.insert(removed.end(), dn.input_batching_dims.begin(),
                 dn.input_batching_dims.end());
  if (absl::Status s =
          CheckUniqueDims(kOp, "inserted_window_dims + input_batching_dims",
                          removed, operand_rank);
      !s.ok())
    return s;
  if (static_cast<int64_t>(dn.update_window_dims.size() + removed.size()) !=
      operand_rank) {
    return OpError(kOp, "update_window_dims (", dn.update_window_dims.size(),
                   ") + inserted_window_dims + input_batching_dims (",
                   removed.size(), ") must equal the operand rank ",
                   operand_rank);
  }
  if (absl::Status s =
          CheckUniqueDims(kOp, "scatter_dims_to_operand_dims",
                          dn.scatter_dims_to_operand_dims, operand_rank);
      !s.ok())
    return s;
  if (static_cast<int64_t>(dn.scatter_dims_to_operand_dims.size()) !=
      index_vector_size) {
    return OpError(kOp, "scatter_dims_to_operand_dims ",
                   DimsToString(dn.scatter_dims_to_operand_dims),
                   " must have one entry per index vector element (",
                   index_vector_size, ")");
  }
  if (absl::Status s =
          CheckUniqueDims(kOp, "scatter_indices_batching_dims",
                          dn.scatter_indices_batching_dims, indices_rank);
      !s.ok())
    return s;
  if (dn.scatter_indices_batching_dims.size() !=
      dn.input_batching_dims.size()) {
    return OpError(kOp,
                   "input_batching_dims and "
                   "scatter_indices_batching_dims differ in length");
  }
  for (int64_t sd : dn.scatter_indices_batching_dims) {
    if (sd == ivd) {
      return OpError(kOp,
                     "scatter_indices_batching_dims contains "
                     "index_vector_dim ",
                     ivd);
    }
  }
  // Update scatter dims must match the index tensor's batch dims.
  std::vector<int64_t> update_scatter_dims, index_batch_dims;
  for (int64_t d = 0; d < update_rank; ++d) {
    if (std::count(dn.update_window_dims.begin(), dn.update_window_dims.end(),
                   d) == 0) {
      update_scatter_dims.push_back(d);
    }
  }
  for (int64_t d = 0; d < indices_rank; ++d) {
    if (d != ivd) index_batch_dims.push_back(d);
  }
  if (update_scatter_dims.size() != index_batch_dims.size()) {
    return OpError(kOp, "updates have ", update_scatter_dims.size(),
                   " scatter dimensions but scatter_indices has ",
                   index_batch_dims.size(), " batch dimensions");
  }
  for (size_t i = 0; i < update_scatter_dims.size(); ++i) {
    if (update.dims()[update_scatter_dims[i]] !=
        scatter_indices.dims()[index_batch_dims[i]]) {
      return OpError(kOp, "update dimension ", update_scatter_dims[i],
                     " does not match scatter_indices dimension ",
                     index_batch_dims[i]);
    }
  }
  std::vector<int64_t> window_operand_dims;
  for (int64_t d = 0; d < operand_rank; ++d) {
    if (std::count(removed.begin(), removed.end(), d) == 0) {
      window_operand_dims.push_back(d);
    }
  }
  for (size_t i = 0; i < dn.update_window_dims.size(); ++i) {
    if (update.dims()[dn.update_window_dims[i]] >
        operand.dims()[window_operand_dims[i]]) {
      return OpError(kOp, "update window dimension ", dn.update_window_dims[i],
                     " is larger than operand dimension ",
                     window_operand_dims[i]);
    }
  }
  absl::StatusOr<std::vector<int64_t>> indices =
      IndicesAsInt64(kOp, "scatter_indices", scatter_indices);
  if (!indices.ok()) return indices.status();

  std::vector<ir::Literal> results;
  for (const ir::Literal* in : inputs) results.push_back(*in);
  if (update.element_count() == 0) return results;

  const std::vector<int64_t> op_strides = ir::RowMajorStrides(operand.dims());
  const std::vector<int64_t> up_strides = ir::RowMajorStrides(update.dims());
  const std::vector<int64_t> idx_strides =
      ir::RowMajorStrides(scatter_indices.dims());
  const int64_t ivd_stride = ivd < indices_rank ? idx_strides[ivd] : 0;
  const size_t nwin = dn.update_window_dims.size();

  // Visits (result offset, update offset) of every in-bounds element.
  auto for_each_element = [&](auto&& fn) {
    const size_t nsc = update_scatter_dims.size();
    std::vector<int64_t> sidx(nsc, 0);
    std::vector<int64_t> start(operand_rank);
    std::vector<int64_t> lo(nwin), hi(nwin), w(nwin);
    while (true) {
      std::fill(start.begin(), start.end(), 0);
      int64_t idx_base = 0, up_base = 0;
      for (size_t i = 0; i < nsc; ++i) {
        idx_base += sidx[i] * idx_strides[index_batch_dims[i]];
        up_base += sidx[i] * up_strides[update_scatter_dims[i]];
      }
      for (size_t k = 0; k < dn.scatter_dims_to_operand_dims.size(); ++k) {
        // Any index this far out is out of bounds; clamping keeps the
        // arithmetic below free of overflow.
        constexpr int64_t kFar = int64_t{1} << 40;
        start[dn.scatter_dims_to_operand_dims[k]] += std::clamp<int64_t>(
            (*indices)[idx_base + static_cast<int64_t>(k) * ivd_stride], -kFar,
            kFar);
      }
      for (size_t k = 0; k < dn.input_batching_dims.size(); ++k) {
        const int64_t sd = dn.scatter_indices_batching_dims[k];
        start[dn.input_batching_dims[k]] += sidx[sd < ivd ? sd : sd - 1];
      }
      // Dimensions without a window must be in bounds outright; window
      // dimensions keep the sub-range of window positions in bounds.
      bool any = true;
      int64_t res_base = 0;
      for (int64_t d : removed) {
        if (start[d] < 0 || start[d] >= operand.dims()[d]) any = false;
      }
      for (size_t i = 0; i < nwin && any; ++i) {
        const int64_t d = window_operand_dims[i];
        const int64_t size = update.dims()[dn.update_window_dims[i]];
        lo[i] = std::max<int64_t>(0, -start[d]);
        hi[i] = std::min<int64_t>(size, operand.dims()[d] - start[d]);
        if (lo[i] >= hi[i]) any = false;
      }
      if (any) {
        for (int64_t d = 0; d < operand_rank; ++d) {
          res_base += start[d] * op_strides[d];
        }
        w = lo;
        while (true) {
          int64_t r = res_base, u = up_base;
          for (size_t i = 0; i < nwin; ++i) {
            r += w[i] * op_strides[window_operand_dims[i]];
            u += w[i] * up_strides[dn.update_window_dims[i]];
          }
          fn(r, u);
          int64_t k = static_cast<int64_t>(nwin) - 1;
          for (; k >= 0; --k) {
            if (++w[k] < hi[k]) break;
            w[k] = lo[k];
          }
          if (k < 0) break;
        }
      }
      int64_t k = static_cast<int64_t>(nsc) - 1;
      for (; k >= 0; --k) {
        if (++sidx[k] < update.dims()[update_scatter_dims[k]]) break;
        sidx[k] = 0;
      }
      if (k < 0) return;
    }
  };

  bool fast = body.kind != BodyKind::kGeneric;
  for (ir::ElementType t : types) {
    absl::StatusOr<bool> ok =
        DispatchArithmetic(t, [&](auto tr) -> absl::StatusOr<bool> {
          return SupportsBodyKind<decltype(tr)>(body.kind);
        });
    fast = fast && ok.ok() && *ok;
  }
  if (fast) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      absl::Status s =
          DispatchArithmetic(types[i], [&](auto tr) -> absl::Status {
            using T = decltype(tr);
            using Storage = typename T::Storage;
            DispatchBodyKind(body.kind, [&](auto kind) {
              constexpr BodyKind kKind = decltype(kind)::value;
              if constexpr (SupportsBodyKind<T>(kKind)) {
                Storage* out = results[i].data<Storage>().data();
                const Storage* up = updates[i]->data<Storage>().data();
                for_each_element([&](int64_t r, int64_t u) {
                  out[r] = T::Store(
                      ApplyBody<T, kKind>(T::Load(out[r]), T::Load(up[u])));
                });
              }
            });
            return absl::OkStatus();
          });
      if (!s.ok()) return s;
    }
    return results;
  }

  ScalarCaller caller(body.fn, types);
  std::vector<int> sizes;
  for (ir::ElementType t : types) sizes.push_back(ir::ElementByteSize(t));
  absl::Status status = absl::OkStatus();
  for_each_element([&](int64_t r, int64_t u) {
    if (!status.ok()) return;
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::memcpy(caller.accumulator(i),
                  results[i].untyped_data() + r * sizes[i], sizes[i]);
      std::memcpy(caller.value(i), updates[i]->untyped_data() + u * sizes[i],
                  sizes[i]);
    }
    status = caller.Call();
    if (!status.ok()) return;
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::memcpy(results[i].untyped_data() + r * sizes[i],
                  caller.accumulator(i), sizes[i]);
    }
  });
  if (!status.ok()) return status;
  return results;
}

}  // namespace backplane::kernels::structured
