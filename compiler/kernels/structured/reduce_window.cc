#include "compiler/kernels/structured/reduce_window.h"

#include <cstring>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/body_ops.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {
namespace {

constexpr double kMaxWindowWork = 68719476736.0;  // 2^36.

// Parameters with defaults filled in, plus for every dimension the table
// operand_index[out * window + w]: the operand index that window element w
// of output position out reads, or -1 for padding / dilation holes.
struct WindowGeometry {
  std::vector<int64_t> out_dims;
  std::vector<int64_t> window;
  std::vector<std::vector<int64_t>> operand_index;
};

absl::StatusOr<WindowGeometry> MakeGeometry(absl::string_view op,
                                            absl::Span<const int64_t> dims,
                                            const WindowParams& p) {
  const size_t rank = dims.size();
  auto get = [&](const std::vector<int64_t>& v, absl::string_view name,
                 std::vector<int64_t>* out) -> absl::Status {
    if (v.empty()) {
      out->assign(rank, 1);
      return absl::OkStatus();
    }
    if (v.size() != rank) {
      return OpError(op, name, " ", DimsToString(v), " has ", v.size(),
                     " entries but the operand has rank ", rank);
    }
    for (int64_t x : v) {
      if (x < 1 || x > ir::kMaxTensorElements) {
        return OpError(op, name, " ", DimsToString(v),
                       " must be positive and bounded");
      }
    }
    *out = v;
    return absl::OkStatus();
  };
  WindowGeometry g;
  std::vector<int64_t> strides, base_dil, win_dil;
  if (p.window_dimensions.size() != rank) {
    return OpError(op, "window_dimensions ", DimsToString(p.window_dimensions),
                   " must have one entry per operand dimension (", rank, ")");
  }
  RETURN_IF_ERROR(get(p.window_dimensions, "window_dimensions", &g.window));
  RETURN_IF_ERROR(get(p.window_strides, "window_strides", &strides));
  RETURN_IF_ERROR(get(p.base_dilations, "base_dilations", &base_dil));
  RETURN_IF_ERROR(get(p.window_dilations, "window_dilations", &win_dil));
  if (!p.padding.empty() && p.padding.size() != rank) {
    return OpError(op, "padding has ", p.padding.size(),
                   " entries but the operand has rank ", rank);
  }
  int64_t table_size = 0;
  for (size_t d = 0; d < rank; ++d) {
    const int64_t lo = p.padding.empty() ? 0 : p.padding[d].first;
    const int64_t hi = p.padding.empty() ? 0 : p.padding[d].second;
    if (std::abs(lo) > ir::kMaxTensorElements ||
        std::abs(hi) > ir::kMaxTensorElements) {
      return OpError(op, "padding of dimension ", d, " is too large");
    }
    const int64_t dilated = dims[d] == 0 ? 0 : (dims[d] - 1) * base_dil[d] + 1;
    const int64_t padded = dilated + lo + hi;
    const int64_t span = (g.window[d] - 1) * win_dil[d] + 1;
    if (padded < 0) {
      return OpError(op, "padding makes dimension ", d, " negative");
    }
    const int64_t out = padded < span ? 0 : (padded - span) / strides[d] + 1;
    g.out_dims.push_back(out);
    table_size += out * g.window[d];
    if (table_size > ir::kMaxTensorElements) {
      return OpError(op, "window geometry is too large");
    }
    std::vector<int64_t> table(static_cast<size_t>(out * g.window[d]));
    for (int64_t o = 0; o < out; ++o) {
      for (int64_t w = 0; w < g.window[d]; ++w) {
        const int64_t pos = o * strides[d] + w * win_dil[d] - lo;
        int64_t idx = -1;
        if (pos >= 0 && pos < dilated && pos % base_dil[d] == 0) {
          idx = pos / base_dil[d];
        }
        table[o * g.window[d] + w] = idx;
      }
    }
    g.operand_index.push_back(std::move(table));
  }
  ASSIGN_OR_RETURN(int64_t out_count,
                   ir::TensorType::CheckedElementCount(g.out_dims));
  // Bound the total work (windows x window size) so a legal but absurd
  // window cannot hang the caller.
  double work = static_cast<double>(out_count);
  for (int64_t w : g.window) work *= static_cast<double>(w);
  if (work > kMaxWindowWork) {
    return absl::ResourceExhaustedError(absl::StrCat(
        op, ": ", out_count, " windows of ", DimsToString(g.window),
        " elements exceed the supported work limit of ", kMaxWindowWork,
        " element visits"));
  }
  return g;
}

// Calls fn(out_linear, window_linear, operand_linear_or_minus_one) for
// every output position and every window element, both in row-major order.
template <typename Fn>
void ForEachWindowElement(const WindowGeometry& g,
                          absl::Span<const int64_t> operand_dims, Fn&& fn) {
  const size_t rank = g.out_dims.size();
  for (int64_t d : g.out_dims) {
    if (d == 0) return;
  }
  const std::vector<int64_t> strides = ir::RowMajorStrides(operand_dims);
  std::vector<int64_t> out_idx(rank, 0), w_idx(rank, 0);
  int64_t out_linear = 0;
  while (true) {
    std::fill(w_idx.begin(), w_idx.end(), 0);
    int64_t w_linear = 0;
    while (true) {
      int64_t offset = 0;
      for (size_t d = 0; d < rank; ++d) {
        const int64_t i =
            g.operand_index[d][out_idx[d] * g.window[d] + w_idx[d]];
        if (i < 0) {
          offset = -1;
          break;
        }
        offset += i * strides[d];
      }
      fn(out_linear, w_linear, offset);
      ++w_linear;
      int64_t k = static_cast<int64_t>(rank) - 1;
      for (; k >= 0; --k) {
        if (++w_idx[k] < g.window[k]) break;
        w_idx[k] = 0;
      }
      if (k < 0) break;
    }
    ++out_linear;
    int64_t k = static_cast<int64_t>(rank) - 1;
    for (; k >= 0; --k) {
      if (++out_idx[k] < g.out_dims[k]) break;
      out_idx[k] = 0;
    }
    if (k < 0) return;
  }
}

bool AllSupport(absl::Span<const ir::Literal* const> inputs, BodyKind kind) {
  if (kind == BodyKind::kGeneric) return false;
  for (const ir::Literal* in : inputs) {
    absl::StatusOr<bool> ok = DispatchArithmetic(
        in->element_type(), [&](auto t) -> absl::StatusOr<bool> {
          return SupportsBodyKind<decltype(t)>(kind);
        });
    if (!ok.ok() || !*ok) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<ir::Literal>> ReduceWindow(
    absl::Span<const ir::Literal* const> inputs,
    absl::Span<const ir::Literal* const> init_values,
    const WindowParams& params, const ScalarComputation& body) {
  constexpr absl::string_view kOp = "reduce_window";
  if (inputs.empty()) return OpError(kOp, "needs at least one input");
  if (inputs.size() != init_values.size()) {
    return OpError(kOp, inputs.size(), " inputs but ", init_values.size(),
                   " init values");
  }
  const std::vector<int64_t>& dims = inputs[0]->dims();
  std::vector<ir::ElementType> types;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i]->dims() != dims) {
      return OpError(kOp, "input ", i, " ", inputs[i]->type().ToString(),
                     " has a different shape than input 0 ",
                     inputs[0]->type().ToString());
    }
    if (absl::Status s =
            CheckScalar(kOp, absl::StrCat("init value ", i), *init_values[i],
                        inputs[i]->element_type());
        !s.ok()) {
      return s;
    }
    types.push_back(inputs[i]->element_type());
  }
  ASSIGN_OR_RETURN(WindowGeometry g, MakeGeometry(kOp, dims, params));
  std::vector<ir::Literal> results;
  for (size_t i = 0; i < inputs.size(); ++i) {
    results.emplace_back(ir::TensorType(types[i], g.out_dims));
  }

  if (AllSupport(inputs, body.kind)) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      RETURN_IF_ERROR(DispatchArithmetic(types[i], [&](auto t) -> absl::Status {
        using T = decltype(t);
        using Storage = typename T::Storage;
        using Acc = typename T::Acc;
        DispatchBodyKind(body.kind, [&](auto kind) {
          constexpr BodyKind kKind = decltype(kind)::value;
          if constexpr (SupportsBodyKind<T>(kKind)) {
            const Storage* in = inputs[i]->data<Storage>().data();
            Storage* out = results[i].data<Storage>().data();
            const Acc init = T::Load(init_values[i]->data<Storage>()[0]);
            Acc acc = init;
            ForEachWindowElement(g, dims,
                                 [&](int64_t o, int64_t w, int64_t src) {
                                   if (w == 0) acc = init;
                                   acc = ApplyBody<T, kKind>(
                                       acc, src < 0 ? init : T::Load(in[src]));
                                   out[o] = T::Store(acc);
                                 });
          }
        });
        return absl::OkStatus();
      }));
    }
    return results;
  }

  ScalarCaller caller(body.fn, types);
  std::vector<int> sizes;
  for (ir::ElementType t : types) sizes.push_back(ir::ElementByteSize(t));
  absl::Status status = absl::OkStatus();
  ForEachWindowElement(g, dims, [&](int64_t o, int64_t w, int64_t src) {
    if (!status.ok()) return;
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (w == 0) {
        std::memcpy(caller.accumulator(i), init_values[i]->untyped_data(),
                    sizes[i]);
      }
      std::memcpy(caller.value(i),
                  src < 0 ? init_values[i]->untyped_data()
                          : inputs[i]->untyped_data() + src * sizes[i],
                  sizes[i]);
    }
    status = caller.Call();
    if (!status.ok()) return;
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::memcpy(results[i].untyped_data() + o * sizes[i],
                  caller.accumulator(i), sizes[i]);
    }
  });
  RETURN_IF_ERROR(status);
  return results;
}

absl::StatusOr<ir::Literal> SelectAndScatter(const ir::Literal& operand,
                                             const ir::Literal& source,
                                             const ir::Literal& init_value,
                                             const WindowParams& params,
                                             const Comparator& select,
                                             const ScalarComputation& scatter) {
  constexpr absl::string_view kOp = "select_and_scatter";
  const ir::ElementType type = operand.element_type();
  if (source.element_type() != type) {
    return OpError(kOp, "source ", source.type().ToString(),
                   " must have the operand's element type");
  }
  RETURN_IF_ERROR(CheckScalar(kOp, "init_value", init_value, type));
  if (!params.base_dilations.empty() || !params.window_dilations.empty()) {
    return OpError(kOp, "takes no dilations");
  }
  ASSIGN_OR_RETURN(WindowGeometry g, MakeGeometry(kOp, operand.dims(), params));
  if (g.out_dims != source.dims()) {
    return OpError(kOp, "source ", source.type().ToString(),
                   " must have the window grid's shape ",
                   DimsToString(g.out_dims));
  }
  ir::Literal result(operand.type());
  const int es = ir::ElementByteSize(type);
  for (int64_t j = 0; j < result.element_count(); ++j) {
    std::memcpy(result.untyped_data() + j * es, init_value.untyped_data(), es);
  }
  // Pass 1: the selected operand position of every window.
  std::vector<int64_t> selected(static_cast<size_t>(source.element_count()),
                                -1);
  absl::Status status = absl::OkStatus();
  const bool fast_select =
      select.kind != CompareKind::kGeneric && !IsComplex(type);
  if (fast_select) {
    status = DispatchArithmetic(type, [&](auto t) -> absl::Status {
      using T = decltype(t);
      using Storage = typename T::Storage;
      const Storage* in = operand.data<Storage>().data();
      ForEachWindowElement(
          g, operand.dims(), [&](int64_t o, int64_t, int64_t src) {
            if (src < 0) return;
            int64_t& sel = selected[o];
            if (sel < 0 ||
                !TypedCompare<T>(select.kind, T::Load(in[sel]),
                                 T::Load(in[src]), select.total_order)) {
              sel = src;
            }
          });
      return absl::OkStatus();
    });
  } else {
    std::vector<ir::Literal> args;
    args.emplace_back(ir::TensorType(type, {}));
    args.emplace_back(ir::TensorType(type, {}));
    ForEachWindowElement(g, operand.dims(),
                         [&](int64_t o, int64_t, int64_t src) {
                           if (src < 0 || !status.ok()) return;
                           int64_t& sel = selected[o];
                           if (sel < 0) {
                             sel = src;
                             return;
                           }
                           std::memcpy(args[0].untyped_data(),
                                       operand.untyped_data() + sel * es, es);
                           std::memcpy(args[1].untyped_data(),
                                       operand.untyped_data() + src * es, es);
                           if (!select.fn) {
                             status = OpError(kOp, "select has no callback");
                             return;
                           }
                           absl::StatusOr<bool> keep = select.fn(args);
                           if (!keep.ok()) {
                             status = keep.status();
                             return;
                           }
                           if (!*keep) sel = src;
                         });
  }
  RETURN_IF_ERROR(status);

  // Pass 2: scatter the source values onto the selected positions.
  const ir::Literal* as_inputs[] = {&operand};
  if (AllSupport(as_inputs, scatter.kind)) {
    status = DispatchArithmetic(type, [&](auto t) -> absl::Status {
      using T = decltype(t);
      using Storage = typename T::Storage;
      DispatchBodyKind(scatter.kind, [&](auto kind) {
        constexpr BodyKind kKind = decltype(kind)::value;
        if constexpr (SupportsBodyKind<T>(kKind)) {
          Storage* out = result.data<Storage>().data();
          const Storage* src = source.data<Storage>().data();
          for (size_t o = 0; o < selected.size(); ++o) {
            if (selected[o] < 0) continue;
            Storage& dst = out[selected[o]];
            dst = T::Store(ApplyBody<T, kKind>(T::Load(dst), T::Load(src[o])));
          }
        }
      });
      return absl::OkStatus();
    });
    RETURN_IF_ERROR(status);
    return result;
  }
  const ir::ElementType types[] = {type};
  ScalarCaller caller(scatter.fn, types);
  for (size_t o = 0; o < selected.size(); ++o) {
    if (selected[o] < 0) continue;
    uint8_t* dst = result.untyped_data() + selected[o] * es;
    std::memcpy(caller.accumulator(0), dst, es);
    std::memcpy(caller.value(0), source.untyped_data() + o * es, es);
    RETURN_IF_ERROR(caller.Call());
    std::memcpy(dst, caller.accumulator(0), es);
  }
  return result;
}

}  // namespace backplane::kernels::structured
