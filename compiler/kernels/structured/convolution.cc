#include "compiler/kernels/structured/convolution.h"

#include <algorithm>
#include <tuple>
#include <type_traits>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/gemm.h"
#include "compiler/kernels/structured/promote.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {
namespace {

constexpr absl::string_view kOp = "convolution";
// Upper bound on the im2col buffer, in elements; larger problems are cut
// into chunks of output positions.
constexpr int64_t kMaxPatchElements = int64_t{1} << 17;

// Everything the typed loops need, validated and with defaults filled in.
struct ConvGeometry {
  int64_t spatial_rank;
  int64_t batch, in_features, kernel_in_features, out_features;
  int64_t groups_f, groups_b;
  std::vector<int64_t> in_spatial, window, out_spatial;
  // Element strides of each role in lhs, rhs and result.
  int64_t lhs_b, lhs_f, rhs_i, rhs_o, out_b, out_f;
  std::vector<int64_t> lhs_s, rhs_s, out_s;
  // table[i][o * window[i] + w]: input index read by output position o and
  // window position w of spatial dimension i, or -1 (padding or hole).
  std::vector<std::vector<int64_t>> table;
  std::vector<bool> reversal;
  std::vector<int64_t> result_dims;
};

absl::Status CheckDimNumbers(absl::string_view which, int64_t a, int64_t b,
                             const std::vector<int64_t>& spatial,
                             int64_t rank) {
  std::vector<int64_t> all = {a, b};
  all.insert(all.end(), spatial.begin(), spatial.end());
  if (static_cast<int64_t>(all.size()) != rank) {
    return OpError(kOp, which, " dimension numbers name ", all.size(),
                   " dimensions but the tensor has rank ", rank);
  }
  return CheckPermutation(kOp, absl::StrCat(which, " dimension numbers"), all,
                          rank);
}

absl::StatusOr<ConvGeometry> MakeGeometry(const ir::Literal& lhs,
                                          const ir::Literal& rhs,
                                          const ConvolutionParams& p) {
  ConvGeometry g;
  const int64_t rank = lhs.type().rank();
  g.spatial_rank = static_cast<int64_t>(p.input_spatial_dimensions.size());
  const int64_t s = g.spatial_rank;
  if (lhs.element_type() != rhs.element_type()) {
    return OpError(kOp, "lhs ", lhs.type().ToString(), " and rhs ",
                   rhs.type().ToString(), " element types differ");
  }
  if (rhs.type().rank() != rank) {
    return OpError(kOp, "lhs rank ", rank, " and rhs rank ", rhs.type().rank(),
                   " differ");
  }
  RETURN_IF_ERROR(CheckDimNumbers("input", p.input_batch_dimension,
                                  p.input_feature_dimension,
                                  p.input_spatial_dimensions, rank));
  RETURN_IF_ERROR(CheckDimNumbers("kernel", p.kernel_input_feature_dimension,
                                  p.kernel_output_feature_dimension,
                                  p.kernel_spatial_dimensions, rank));
  RETURN_IF_ERROR(CheckDimNumbers("output", p.output_batch_dimension,
                                  p.output_feature_dimension,
                                  p.output_spatial_dimensions, rank));
  auto per_spatial = [&](const std::vector<int64_t>& v, absl::string_view name,
                         int64_t dflt, bool positive,
                         std::vector<int64_t>* out) -> absl::Status {
    if (v.empty()) {
      out->assign(s, dflt);
      return absl::OkStatus();
    }
    if (static_cast<int64_t>(v.size()) != s) {
      return OpError(kOp, name, " ", DimsToString(v), " needs ", s,
                     " entries, one per spatial dimension");
    }
    for (int64_t x : v) {
      if ((positive && x < 1) || x > ir::kMaxTensorElements) {
        return OpError(kOp, name, " ", DimsToString(v),
                       " must be positive and bounded");
      }
    }
    *out = v;
    return absl::OkStatus();
  };
  std::vector<int64_t> strides, lhs_dil, rhs_dil;
  if (absl::Status st =
          per_spatial(p.window_strides, "window_strides", 1, true, &strides);
      !st.ok())
    return st;
  if (absl::Status st =
          per_spatial(p.lhs_dilation, "lhs_dilation", 1, true, &lhs_dil);
      !st.ok())
    return st;
  if (absl::Status st =
          per_spatial(p.rhs_dilation, "rhs_dilation", 1, true, &rhs_dil);
      !st.ok())
    return st;
  if (!p.padding.empty() && static_cast<int64_t>(p.padding.size()) != s) {
    return OpError(kOp, "padding needs ", s, " (low, high) pairs");
  }
  if (!p.window_reversal.empty() &&
      static_cast<int64_t>(p.window_reversal.size()) != s) {
    return OpError(kOp, "window_reversal needs ", s, " entries");
  }
  g.reversal = p.window_reversal.empty() ? std::vector<bool>(s, false)
                                         : p.window_reversal;
  g.groups_f = p.feature_group_count;
  g.groups_b = p.batch_group_count;
  if (g.groups_f < 1 || g.groups_b < 1) {
    return OpError(kOp, "feature_group_count (", g.groups_f,
                   ") and batch_group_count (", g.groups_b,
                   ") must be positive");
  }
  if (g.groups_f > 1 && g.groups_b > 1) {
    return OpError(kOp,
                   "feature_group_count and batch_group_count cannot both "
                   "exceed 1");
  }
  g.batch = lhs.dims()[p.input_batch_dimension];
  g.in_features = lhs.dims()[p.input_feature_dimension];
  g.kernel_in_features = rhs.dims()[p.kernel_input_feature_dimension];
  g.out_features = rhs.dims()[p.kernel_output_feature_dimension];
  if (g.in_features % g.groups_f != 0 ||
      g.in_features / g.groups_f != g.kernel_in_features) {
    return OpError(kOp, "input features (", g.in_features,
                   ") / feature_group_count (", g.groups_f,
                   ") must equal the kernel input features (",
                   g.kernel_in_features, ")");
  }
  if (g.out_features % g.groups_f != 0 || g.out_features % g.groups_b != 0) {
    return OpError(kOp, "kernel output features (", g.out_features,
                   ") must be divisible by feature_group_count and "
                   "batch_group_count");
  }
  if (g.batch % g.groups_b != 0) {
    return OpError(kOp, "input batch (", g.batch,
                   ") must be divisible by batch_group_count (", g.groups_b,
                   ")");
  }
  const std::vector<int64_t> ls = ir::RowMajorStrides(lhs.dims());
  const std::vector<int64_t> rs = ir::RowMajorStrides(rhs.dims());
  g.lhs_b = ls[p.input_batch_dimension];
  g.lhs_f = ls[p.input_feature_dimension];
  g.rhs_i = rs[p.kernel_input_feature_dimension];
  g.rhs_o = rs[p.kernel_output_feature_dimension];
  g.result_dims.assign(rank, 0);
  g.result_dims[p.output_batch_dimension] = g.batch / g.groups_b;
  g.result_dims[p.output_feature_dimension] = g.out_features;
  for (int64_t i = 0; i < s; ++i) {
    const int64_t in = lhs.dims()[p.input_spatial_dimensions[i]];
    const int64_t w = rhs.dims()[p.kernel_spatial_dimensions[i]];
    const int64_t lo = p.padding.empty() ? 0 : p.padding[i].first;
    const int64_t hi = p.padding.empty() ? 0 : p.padding[i].second;
    if (std::abs(lo) > ir::kMaxTensorElements ||
        std::abs(hi) > ir::kMaxTensorElements) {
      return OpError(kOp, "padding of spatial dimension ", i, " is too large");
    }
    const int64_t dilated = in == 0 ? 0 : (in - 1) * lhs_dil[i] + 1;
    const int64_t padded = dilated + lo + hi;
    const int64_t span = w == 0 ? 0 : (w - 1) * rhs_dil[i] + 1;
    if (padded < 0) {
      return OpError(kOp, "padding makes spatial dimension ", i, " negative");
    }
    const int64_t out = padded < span ? 0 : (padded - span) / strides[i] + 1;
    if (out > ir::kMaxTensorElements || out * w > ir::kMaxTensorElements) {
      return OpError(kOp, "spatial dimension ", i, " is too large");
    }
    g.in_spatial.push_back(in);
    g.window.push_back(w);
    g.out_spatial.push_back(out);
    g.lhs_s.push_back(ls[p.input_spatial_dimensions[i]]);
    g.rhs_s.push_back(rs[p.kernel_spatial_dimensions[i]]);
    g.result_dims[p.output_spatial_dimensions[i]] = out;
    std::vector<int64_t> table(static_cast<size_t>(out * w));
    for (int64_t o = 0; o < out; ++o) {
      for (int64_t k = 0; k < w; ++k) {
        const int64_t pos = o * strides[i] + k * rhs_dil[i] - lo;
        table[o * w + k] = (pos >= 0 && pos < dilated && pos % lhs_dil[i] == 0)
                               ? pos / lhs_dil[i]
                               : -1;
      }
    }
    g.table.push_back(std::move(table));
  }
  if (absl::StatusOr<int64_t> n =
          ir::TensorType::CheckedElementCount(g.result_dims);
      !n.ok()) {
    return n.status();
  }
  const std::vector<int64_t> os = ir::RowMajorStrides(g.result_dims);
  g.out_b = os[p.output_batch_dimension];
  g.out_f = os[p.output_feature_dimension];
  for (int64_t i = 0; i < s; ++i) {
    g.out_s.push_back(os[p.output_spatial_dimensions[i]]);
  }
  return g;
}

// Calls fn(index) for every multi-index of `dims` in row-major order.
template <typename Fn>
void ForEachMultiIndex(const std::vector<int64_t>& dims, Fn&& fn) {
  for (int64_t d : dims) {
    if (d == 0) return;
  }
  std::vector<int64_t> idx(dims.size(), 0);
  while (true) {
    fn(idx);
    int64_t k = static_cast<int64_t>(dims.size()) - 1;
    for (; k >= 0; --k) {
      if (++idx[k] < dims[k]) break;
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

template <typename T>
void ConvolveTyped(const ConvGeometry& g, const ir::Literal& lhs,
                   const ir::Literal& rhs, ir::Literal& result) {
  using Acc = typename T::Acc;
  using Storage = typename T::Storage;
  const Storage* in = lhs.data<Storage>().data();
  const Storage* ker = rhs.data<Storage>().data();
  Storage* out = result.data<Storage>().data();
  const int64_t s = g.spatial_rank;
  int64_t window_count = 1, positions = 1;
  for (int64_t i = 0; i < s; ++i) {
    window_count *= g.window[i];
    positions *= g.out_spatial[i];
  }
  const int64_t groups = g.groups_f * g.groups_b;
  const int64_t cin = g.kernel_in_features;
  const int64_t cout = g.out_features / groups;
  const int64_t depth = window_count * cin;  // GEMM inner dimension.
  const int64_t out_batch = g.batch / g.groups_b;

  // Spatial offsets into the kernel of every window position (reversal
  // applied) and into the output of every output position.
  std::vector<int64_t> ker_off, out_off;
  ForEachMultiIndex(g.window, [&](const std::vector<int64_t>& w) {
    int64_t off = 0;
    for (int64_t i = 0; i < s; ++i) {
      off += (g.reversal[i] ? g.window[i] - 1 - w[i] : w[i]) * g.rhs_s[i];
    }
    ker_off.push_back(off);
  });
  if (s == 0) ker_off.assign(1, 0);
  ForEachMultiIndex(g.out_spatial, [&](const std::vector<int64_t>& o) {
    int64_t off = 0;
    for (int64_t i = 0; i < s; ++i) off += o[i] * g.out_s[i];
    out_off.push_back(off);
  });
  if (s == 0) out_off.assign(1, 0);

  const int64_t chunk = std::max<int64_t>(
      1, std::min<int64_t>(positions,
                           kMaxPatchElements / std::max<int64_t>(depth, 1)));
  std::vector<Acc> kernel_matrix(static_cast<size_t>(depth * cout));
  std::vector<Acc> patches(static_cast<size_t>(chunk * depth));
  std::vector<Acc> product(static_cast<size_t>(chunk * cout));
  std::vector<int64_t> in_off(static_cast<size_t>(window_count));
  std::vector<int64_t> o_idx(s), w_idx(s);

  for (int64_t group = 0; group < groups; ++group) {
    const int64_t fg = g.groups_f > 1 ? group : 0;
    const int64_t bg = g.groups_b > 1 ? group : 0;
    const int64_t o_base = group * cout;
    // kernel_matrix[w * cin + c][o].
    for (int64_t w = 0; w < window_count; ++w) {
      for (int64_t c = 0; c < cin; ++c) {
        const Storage* k = ker + ker_off[w] + c * g.rhs_i;
        Acc* row = kernel_matrix.data() + (w * cin + c) * cout;
        for (int64_t o = 0; o < cout; ++o) {
          row[o] = T::Load(k[(o_base + o) * g.rhs_o]);
        }
      }
    }
    for (int64_t b = 0; b < out_batch; ++b) {
      const Storage* in_b =
          in + (bg * out_batch + b) * g.lhs_b + fg * cin * g.lhs_f;
      for (int64_t p0 = 0; p0 < positions; p0 += chunk) {
        const int64_t rows = std::min(chunk, positions - p0);
        for (int64_t r = 0; r < rows; ++r) {
          // Decompose the output position into per-dimension indices.
          int64_t rem = p0 + r;
          for (int64_t i = s - 1; i >= 0; --i) {
            o_idx[i] = rem % g.out_spatial[i];
            rem /= g.out_spatial[i];
          }
          std::fill(w_idx.begin(), w_idx.end(), 0);
          for (int64_t w = 0; w < window_count; ++w) {
            int64_t off = 0;
            for (int64_t i = 0; i < s; ++i) {
              const int64_t x = g.table[i][o_idx[i] * g.window[i] + w_idx[i]];
              if (x < 0) {
                off = -1;
                break;
              }
              off += x * g.lhs_s[i];
            }
            in_off[w] = off;
            for (int64_t i = s - 1; i >= 0; --i) {
              if (++w_idx[i] < g.window[i]) break;
              w_idx[i] = 0;
            }
          }
          Acc* patch = patches.data() + r * depth;
          for (int64_t w = 0; w < window_count; ++w) {
            Acc* dst = patch + w * cin;
            if (in_off[w] < 0) {
              std::fill(dst, dst + cin, T::Zero());
              continue;
            }
            const Storage* src = in_b + in_off[w];
            if constexpr (std::is_same_v<Storage, Acc>) {
              if (g.lhs_f == 1) {  // Channels-last: one contiguous run.
                std::copy(src, src + cin, dst);
                continue;
              }
            }
            for (int64_t c = 0; c < cin; ++c) {
              dst[c] = T::Load(src[c * g.lhs_f]);
            }
          }
        }
        Gemm<T>(rows, cout, depth, patches.data(), depth, 1,
                kernel_matrix.data(), cout, 1, product.data());
        for (int64_t r = 0; r < rows; ++r) {
          Storage* dst = out + b * g.out_b + out_off[p0 + r] + o_base * g.out_f;
          const Acc* src = product.data() + r * cout;
          for (int64_t o = 0; o < cout; ++o)
            dst[o * g.out_f] = T::Store(src[o]);
        }
      }
    }
  }
}

}  // namespace

ConvolutionParams ConvolutionParams::Nhwc(int64_t spatial_rank) {
  ConvolutionParams p;
  p.input_batch_dimension = 0;
  p.input_feature_dimension = spatial_rank + 1;
  p.kernel_input_feature_dimension = spatial_rank;
  p.kernel_output_feature_dimension = spatial_rank + 1;
  p.output_batch_dimension = 0;
  p.output_feature_dimension = spatial_rank + 1;
  for (int64_t i = 0; i < spatial_rank; ++i) {
    p.input_spatial_dimensions.push_back(i + 1);
    p.kernel_spatial_dimensions.push_back(i);
    p.output_spatial_dimensions.push_back(i + 1);
  }
  return p;
}

absl::StatusOr<ir::Literal> Convolution(
    const ir::Literal& lhs_in, const ir::Literal& rhs_in,
    const ConvolutionParams& params,
    std::optional<ir::ElementType> result_type) {
  ir::Literal lhs_promoted, rhs_promoted;
  const ir::Literal* lhs_ptr = &lhs_in;
  const ir::Literal* rhs_ptr = &rhs_in;
  if (result_type.has_value()) {
    for (auto [in, out, ptr] : {std::tuple{&lhs_in, &lhs_promoted, &lhs_ptr},
                                std::tuple{&rhs_in, &rhs_promoted, &rhs_ptr}}) {
      if (in->element_type() == *result_type) continue;
      absl::StatusOr<ir::Literal> p = PromoteElements(*in, *result_type);
      if (!p.ok()) {
        return OpError(kOp, "cannot compute a ",
                       ir::ElementTypeToMlir(*result_type), " result from ",
                       in->type().ToString(), ": ", p.status().message());
      }
      *out = *std::move(p);
      *ptr = out;
    }
  }
  const ir::Literal& lhs = *lhs_ptr;
  const ir::Literal& rhs = *rhs_ptr;
  ASSIGN_OR_RETURN(ConvGeometry g, MakeGeometry(lhs, rhs, params));
  ir::Literal result(ir::TensorType(lhs.element_type(), g.result_dims));
  if (result.element_count() == 0) return result;
  RETURN_IF_ERROR(
      DispatchArithmetic(lhs.element_type(), [&](auto t) -> absl::Status {
        ConvolveTyped<decltype(t)>(g, lhs, rhs, result);
        return absl::OkStatus();
      }));
  return result;
}

}  // namespace backplane::kernels::structured
