#include "compiler/kernels/structured/scatter.h"

#include <algorithm>
#include <cstring>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/body_ops.h"
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

// The element types of `inputs`, checked to match `updates` pairwise and
// to share one input shape and one update shape.
absl::StatusOr<std::vector<ir::ElementType>> CheckOperands(
    absl::Span<const ir::Literal* const> inputs,
    absl::Span<const ir::Literal* const> updates) {
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
  return types;
}

// The dimension lists of `dn` checked against the ranks: sorted and unique
// where the spec says so, and of consistent lengths. `removed` is
// inserted_window_dims + input_batching_dims.
absl::Status CheckDimensionNumbers(const ScatterDimensionNumbers& dn,
                                   const std::vector<int64_t>& removed,
                                   int64_t operand_rank, int64_t update_rank,
                                   int64_t indices_rank,
                                   int64_t index_vector_size) {
  const int64_t ivd = dn.index_vector_dim;
  RETURN_IF_ERROR(
      CheckSorted("update_window_dims", dn.update_window_dims, update_rank));
  RETURN_IF_ERROR(CheckSorted("inserted_window_dims", dn.inserted_window_dims,
                              operand_rank));
  RETURN_IF_ERROR(
      CheckSorted("input_batching_dims", dn.input_batching_dims, operand_rank));
  RETURN_IF_ERROR(CheckUniqueDims(kOp,
                                  "inserted_window_dims + input_batching_dims",
                                  removed, operand_rank));
  if (static_cast<int64_t>(dn.update_window_dims.size() + removed.size()) !=
      operand_rank) {
    return OpError(kOp, "update_window_dims (", dn.update_window_dims.size(),
                   ") + inserted_window_dims + input_batching_dims (",
                   removed.size(), ") must equal the operand rank ",
                   operand_rank);
  }
  RETURN_IF_ERROR(CheckUniqueDims(kOp, "scatter_dims_to_operand_dims",
                                  dn.scatter_dims_to_operand_dims,
                                  operand_rank));
  if (static_cast<int64_t>(dn.scatter_dims_to_operand_dims.size()) !=
      index_vector_size) {
    return OpError(kOp, "scatter_dims_to_operand_dims ",
                   DimsToString(dn.scatter_dims_to_operand_dims),
                   " must have one entry per index vector element (",
                   index_vector_size, ")");
  }
  RETURN_IF_ERROR(CheckUniqueDims(kOp, "scatter_indices_batching_dims",
                                  dn.scatter_indices_batching_dims,
                                  indices_rank));
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
  return absl::OkStatus();
}

// How the dimensions of one scatter relate, checked against the shapes.
struct ScatterGeometry {
  // inserted_window_dims + input_batching_dims: operand dimensions without
  // a window.
  std::vector<int64_t> removed;
  // Update dimensions that are not window dimensions, and the
  // scatter_indices dimensions (all but index_vector_dim) they match.
  std::vector<int64_t> update_scatter_dims;
  std::vector<int64_t> index_batch_dims;
  // The operand dimension of each update window dimension.
  std::vector<int64_t> window_operand_dims;
};

absl::StatusOr<ScatterGeometry> AnalyzeGeometry(
    const ir::Literal& operand, const ir::Literal& scatter_indices,
    const ir::Literal& update, const ScatterDimensionNumbers& dn) {
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
  ScatterGeometry g;
  g.removed = dn.inserted_window_dims;
  g.removed.insert(g.removed.end(), dn.input_batching_dims.begin(),
                   dn.input_batching_dims.end());
  RETURN_IF_ERROR(CheckDimensionNumbers(dn, g.removed, operand_rank,
                                        update_rank, indices_rank,
                                        index_vector_size));
  // Update scatter dims must match the index tensor's batch dims.
  for (int64_t d = 0; d < update_rank; ++d) {
    if (std::count(dn.update_window_dims.begin(), dn.update_window_dims.end(),
                   d) == 0) {
      g.update_scatter_dims.push_back(d);
    }
  }
  for (int64_t d = 0; d < indices_rank; ++d) {
    if (d != ivd) g.index_batch_dims.push_back(d);
  }
  if (g.update_scatter_dims.size() != g.index_batch_dims.size()) {
    return OpError(kOp, "updates have ", g.update_scatter_dims.size(),
                   " scatter dimensions but scatter_indices has ",
                   g.index_batch_dims.size(), " batch dimensions");
  }
  for (size_t i = 0; i < g.update_scatter_dims.size(); ++i) {
    if (update.dims()[g.update_scatter_dims[i]] !=
        scatter_indices.dims()[g.index_batch_dims[i]]) {
      return OpError(kOp, "update dimension ", g.update_scatter_dims[i],
                     " does not match scatter_indices dimension ",
                     g.index_batch_dims[i]);
    }
  }
  for (int64_t d = 0; d < operand_rank; ++d) {
    if (std::count(g.removed.begin(), g.removed.end(), d) == 0) {
      g.window_operand_dims.push_back(d);
    }
  }
  for (size_t i = 0; i < dn.update_window_dims.size(); ++i) {
    if (update.dims()[dn.update_window_dims[i]] >
        operand.dims()[g.window_operand_dims[i]]) {
      return OpError(kOp, "update window dimension ", dn.update_window_dims[i],
                     " is larger than operand dimension ",
                     g.window_operand_dims[i]);
    }
  }
  return g;
}

// Visits (result offset, update offset) of every update element whose
// result index is inside the operand, in row-major order of the update.
class ScatterWalker {
 public:
  ScatterWalker(const ir::Literal& operand, const ir::Literal& scatter_indices,
                const ir::Literal& update, const ScatterDimensionNumbers& dn,
                const ScatterGeometry& g, const std::vector<int64_t>& indices)
      : operand_(operand),
        update_(update),
        dn_(dn),
        g_(g),
        indices_(indices),
        op_strides_(ir::RowMajorStrides(operand.dims())),
        up_strides_(ir::RowMajorStrides(update.dims())),
        idx_strides_(ir::RowMajorStrides(scatter_indices.dims())),
        ivd_stride_(dn.index_vector_dim < scatter_indices.type().rank()
                        ? idx_strides_[dn.index_vector_dim]
                        : 0) {}

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    const size_t nsc = g_.update_scatter_dims.size();
    std::vector<int64_t> sidx(nsc, 0);
    std::vector<int64_t> start(operand_.type().rank());
    while (true) {
      int64_t up_base = 0;
      StartOf(sidx, start, up_base);
      VisitWindow(start, up_base, fn);
      int64_t k = static_cast<int64_t>(nsc) - 1;
      for (; k >= 0; --k) {
        if (++sidx[k] < update_.dims()[g_.update_scatter_dims[k]]) break;
        sidx[k] = 0;
      }
      if (k < 0) return;
    }
  }

 private:
  // The operand index the update window at scatter position `sidx`
  // starts at, and the offset of that window in the update.
  void StartOf(const std::vector<int64_t>& sidx, std::vector<int64_t>& start,
               int64_t& up_base) const {
    const int64_t ivd = dn_.index_vector_dim;
    std::fill(start.begin(), start.end(), 0);
    int64_t idx_base = 0;
    for (size_t i = 0; i < sidx.size(); ++i) {
      idx_base += sidx[i] * idx_strides_[g_.index_batch_dims[i]];
      up_base += sidx[i] * up_strides_[g_.update_scatter_dims[i]];
    }
    for (size_t k = 0; k < dn_.scatter_dims_to_operand_dims.size(); ++k) {
      // Any index this far out is out of bounds; clamping keeps the
      // arithmetic below free of overflow.
      constexpr int64_t kFar = int64_t{1} << 40;
      start[dn_.scatter_dims_to_operand_dims[k]] += std::clamp<int64_t>(
          indices_[idx_base + static_cast<int64_t>(k) * ivd_stride_], -kFar,
          kFar);
    }
    for (size_t k = 0; k < dn_.input_batching_dims.size(); ++k) {
      const int64_t sd = dn_.scatter_indices_batching_dims[k];
      start[dn_.input_batching_dims[k]] += sidx[sd < ivd ? sd : sd - 1];
    }
  }

  // Calls `fn` on the in-bounds elements of the window at `start`.
  // Dimensions without a window must be in bounds outright; window
  // dimensions keep the sub-range of window positions in bounds.
  template <typename Fn>
  void VisitWindow(const std::vector<int64_t>& start, int64_t up_base,
                   Fn&& fn) const {
    const size_t nwin = dn_.update_window_dims.size();
    for (int64_t d : g_.removed) {
      if (start[d] < 0 || start[d] >= operand_.dims()[d]) return;
    }
    std::vector<int64_t> lo(nwin), hi(nwin);
    for (size_t i = 0; i < nwin; ++i) {
      const int64_t d = g_.window_operand_dims[i];
      const int64_t size = update_.dims()[dn_.update_window_dims[i]];
      lo[i] = std::max<int64_t>(0, -start[d]);
      hi[i] = std::min<int64_t>(size, operand_.dims()[d] - start[d]);
      if (lo[i] >= hi[i]) return;
    }
    int64_t res_base = 0;
    for (size_t d = 0; d < start.size(); ++d) {
      res_base += start[d] * op_strides_[d];
    }
    std::vector<int64_t> w = lo;
    while (true) {
      int64_t r = res_base, u = up_base;
      for (size_t i = 0; i < nwin; ++i) {
        r += w[i] * op_strides_[g_.window_operand_dims[i]];
        u += w[i] * up_strides_[dn_.update_window_dims[i]];
      }
      fn(r, u);
      int64_t k = static_cast<int64_t>(nwin) - 1;
      for (; k >= 0; --k) {
        if (++w[k] < hi[k]) break;
        w[k] = lo[k];
      }
      if (k < 0) return;
    }
  }

  const ir::Literal& operand_;
  const ir::Literal& update_;
  const ScatterDimensionNumbers& dn_;
  const ScatterGeometry& g_;
  const std::vector<int64_t>& indices_;
  const std::vector<int64_t> op_strides_;
  const std::vector<int64_t> up_strides_;
  const std::vector<int64_t> idx_strides_;
  const int64_t ivd_stride_;
};

// Whether every element type supports the recognised body kind.
bool HasTypedBody(const std::vector<ir::ElementType>& types,
                  const ScalarComputation& body) {
  bool fast = body.kind != BodyKind::kGeneric;
  for (ir::ElementType t : types) {
    absl::StatusOr<bool> ok =
        DispatchArithmetic(t, [&](auto tr) -> absl::StatusOr<bool> {
          return SupportsBodyKind<decltype(tr)>(body.kind);
        });
    fast = fast && ok.ok() && *ok;
  }
  return fast;
}

// Applies a recognised body with typed loops, input by input.
absl::Status ApplyTypedBody(const ScatterWalker& walker,
                            const std::vector<ir::ElementType>& types,
                            absl::Span<const ir::Literal* const> updates,
                            BodyKind body_kind,
                            std::vector<ir::Literal>& results) {
  for (size_t i = 0; i < results.size(); ++i) {
    RETURN_IF_ERROR(DispatchArithmetic(types[i], [&](auto tr) -> absl::Status {
      using T = decltype(tr);
      using Storage = typename T::Storage;
      DispatchBodyKind(body_kind, [&](auto kind) {
        constexpr BodyKind kKind = decltype(kind)::value;
        if constexpr (SupportsBodyKind<T>(kKind)) {
          Storage* out = results[i].data<Storage>().data();
          const Storage* up = updates[i]->data<Storage>().data();
          walker.ForEach([&](int64_t r, int64_t u) {
            out[r] =
                T::Store(ApplyBody<T, kKind>(T::Load(out[r]), T::Load(up[u])));
          });
        }
      });
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

// Calls the body once per element on all inputs at once.
absl::Status ApplyGenericBody(const ScatterWalker& walker,
                              const std::vector<ir::ElementType>& types,
                              absl::Span<const ir::Literal* const> updates,
                              const ScalarFn& body,
                              std::vector<ir::Literal>& results) {
  ScalarCaller caller(body, types);
  std::vector<int> sizes;
  for (ir::ElementType t : types) sizes.push_back(ir::ElementByteSize(t));
  absl::Status status = absl::OkStatus();
  walker.ForEach([&](int64_t r, int64_t u) {
    if (!status.ok()) return;
    for (size_t i = 0; i < results.size(); ++i) {
      std::memcpy(caller.accumulator(i),
                  results[i].untyped_data() + r * sizes[i], sizes[i]);
      std::memcpy(caller.value(i), updates[i]->untyped_data() + u * sizes[i],
                  sizes[i]);
    }
    status = caller.Call();
    if (!status.ok()) return;
    for (size_t i = 0; i < results.size(); ++i) {
      std::memcpy(results[i].untyped_data() + r * sizes[i],
                  caller.accumulator(i), sizes[i]);
    }
  });
  return status;
}

}  // namespace

absl::StatusOr<std::vector<ir::Literal>> Scatter(
    absl::Span<const ir::Literal* const> inputs,
    const ir::Literal& scatter_indices,
    absl::Span<const ir::Literal* const> updates,
    const ScatterDimensionNumbers& dn, const ScalarComputation& body) {
  ASSIGN_OR_RETURN(std::vector<ir::ElementType> types,
                   CheckOperands(inputs, updates));
  const ir::Literal& operand = *inputs[0];
  const ir::Literal& update = *updates[0];
  ASSIGN_OR_RETURN(ScatterGeometry geometry,
                   AnalyzeGeometry(operand, scatter_indices, update, dn));
  ASSIGN_OR_RETURN(std::vector<int64_t> indices,
                   IndicesAsInt64(kOp, "scatter_indices", scatter_indices));

  std::vector<ir::Literal> results;
  for (const ir::Literal* in : inputs) results.push_back(*in);
  if (update.element_count() == 0) return results;

  const ScatterWalker walker(operand, scatter_indices, update, dn, geometry,
                             indices);
  if (HasTypedBody(types, body)) {
    RETURN_IF_ERROR(ApplyTypedBody(walker, types, updates, body.kind, results));
  } else {
    RETURN_IF_ERROR(ApplyGenericBody(walker, types, updates, body.fn, results));
  }
  return results;
}

}  // namespace backplane::kernels::structured
