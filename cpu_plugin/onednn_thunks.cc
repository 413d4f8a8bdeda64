#include "cpu_plugin/onednn_thunks.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/ir/op_accessors.h"
#include "oneapi/dnnl/dnnl.hpp"

namespace backplane::cpu {
namespace {

using dnnl::memory;
using Dims = memory::dims;

// Below this much work a oneDNN call costs more than it saves, and the
// portable kernels' summation order matches the reference bit for bit on
// the small cases the spec tests check with a few ULP of tolerance.
constexpr int64_t kMinFlops = 1 << 16;

dnnl::engine& Engine() {
  static dnnl::engine* engine = new dnnl::engine(dnnl::engine::kind::cpu, 0);
  return *engine;
}

// One stream per calling thread: streams are cheap to keep and not meant
// to be shared between threads that execute concurrently.
dnnl::stream& ThreadStream() {
  thread_local dnnl::stream stream(Engine());
  return stream;
}

absl::Status DnnlError(const dnnl::error& e, absl::string_view what) {
  return absl::InternalError(absl::StrCat("oneDNN ", what, ": ", e.what()));
}

bool IsF32(const BufferRef& ref) {
  return ref.type.element_type() == ir::ElementType::kF32;
}

// Row-major strides of `dims` (elements).
std::vector<int64_t> Strides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (int i = static_cast<int>(dims.size()) - 2; i >= 0; --i) {
    s[i] = s[i + 1] * dims[i + 1];
  }
  return s;
}

// The residual the primitive reads as a binary post-op's operand (none
// when it is already in the result buffer).
std::optional<BufferRef> BinaryResidual(const Epilogue& epilogue) {
  if (epilogue.residual_in_place) return std::nullopt;
  return epilogue.residual;
}

// Index of the residual's binary post-op in MakeAttr's list.
int ResidualPostOp(const Epilogue& epilogue) {
  return epilogue.output_scale.has_value() ? 1 : 0;
}

// The epilogue as oneDNN post-ops; `residual_md` describes the residual
// operand in the destination's logical dims.
dnnl::primitive_attr MakeAttr(const Epilogue& epilogue,
                              const memory::desc& residual_md,
                              const OneDnnOptions& options) {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (options.bf16) attr.set_fpmath_mode(dnnl::fpmath_mode::bf16);
  dnnl::post_ops ops;
  if (epilogue.output_scale.has_value()) {
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear,
                       *epilogue.output_scale, 0.0f);
  }
  if (epilogue.residual.has_value() && epilogue.residual_in_place) {
    ops.append_sum(1.0f);
  } else if (epilogue.residual.has_value()) {
    ops.append_binary(dnnl::algorithm::binary_add, residual_md);
  }
  if (epilogue.relu) {
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
  }
  attr.set_post_ops(ops);
  return attr;
}

// A primitive with its argument slots. Weights may be a pre-reordered
// constant owned by the thunk.
class DnnlThunk : public Thunk {
 public:
  DnnlThunk(std::string kind, dnnl::primitive primitive, memory::desc src_md,
            memory::desc weights_md, memory::desc bias_md, memory::desc dst_md,
            memory::desc residual_md, memory::desc scratch_md, BufferRef src,
            std::optional<BufferRef> weights, std::optional<memory> packed,
            std::optional<BufferRef> bias, std::optional<BufferRef> residual,
            int residual_post_op, BufferRef dst)
      : kind_(std::move(kind)),
        primitive_(std::move(primitive)),
        src_md_(src_md),
        weights_md_(weights_md),
        bias_md_(bias_md),
        dst_md_(dst_md),
        residual_md_(residual_md),
        scratch_md_(scratch_md),
        src_(std::move(src)),
        weights_(std::move(weights)),
        packed_(std::move(packed)),
        bias_(std::move(bias)),
        residual_(std::move(residual)),
        residual_post_op_(residual_post_op),
        dst_(std::move(dst)) {}

  // The primitive reads its source as `compute_md` (bf16, or a blocked
  // layout): each run first converts the source into scratch memory after
  // the scratchpad.
  void ConvertSource(const memory::desc& compute_md) {
    src_compute_md_ = compute_md;
    src_convert_ = dnnl::reorder(
        dnnl::reorder::primitive_desc(Engine(), src_md_, Engine(), compute_md));
  }
  // The primitive writes its destination as `compute_md` (a blocked
  // layout) into scratch memory; each run then converts it into the
  // result buffer.
  void ConvertDestination(const memory::desc& compute_md) {
    dst_compute_md_ = compute_md;
    dst_convert_ = dnnl::reorder(
        dnnl::reorder::primitive_desc(Engine(), compute_md, Engine(), dst_md_));
  }

  absl::Status Run(const RunContext& ctx) const override {
    try {
      dnnl::engine& engine = Engine();
      std::unordered_map<int, memory> args;
      if (src_convert_.has_value()) {
        memory f32_src(src_md_, engine, ctx.buffers[src_.slot]);
        memory converted(src_compute_md_, engine,
                         ctx.scratch + ConvertedSourceOffset());
        src_convert_->execute(ThreadStream(), f32_src, converted);
        args.emplace(DNNL_ARG_SRC, converted);
      } else {
        args.emplace(DNNL_ARG_SRC,
                     memory(src_md_, engine, ctx.buffers[src_.slot]));
      }
      if (packed_.has_value()) {
        args.emplace(DNNL_ARG_WEIGHTS, *packed_);
      } else if (weights_.has_value()) {
        args.emplace(DNNL_ARG_WEIGHTS,
                     memory(weights_md_, engine, ctx.buffers[weights_->slot]));
      }
      if (bias_.has_value()) {
        args.emplace(DNNL_ARG_BIAS,
                     memory(bias_md_, engine, ctx.buffers[bias_->slot]));
      }
      if (residual_.has_value()) {
        args.emplace(
            DNNL_ARG_ATTR_MULTIPLE_POST_OP(residual_post_op_) | DNNL_ARG_SRC_1,
            memory(residual_md_, engine, ctx.buffers[residual_->slot]));
      }
      memory dst(dst_md_, engine, ctx.buffers[dst_.slot]);
      std::optional<memory> blocked_dst;
      if (dst_convert_.has_value()) {
        blocked_dst.emplace(dst_compute_md_, engine,
                            ctx.scratch + ConvertedDestinationOffset());
        args.emplace(DNNL_ARG_DST, *blocked_dst);
      } else {
        args.emplace(DNNL_ARG_DST, dst);
      }
      if (scratch_md_.get_size() > 0) {
        args.emplace(DNNL_ARG_SCRATCHPAD,
                     memory(scratch_md_, engine, ctx.scratch));
      }
      dnnl::stream& stream = ThreadStream();
      primitive_.execute(stream, args);
      if (dst_convert_.has_value()) {
        dst_convert_->execute(stream, *blocked_dst, dst);
      }
      stream.wait();
    } catch (const dnnl::error& e) {
      return DnnlError(e, kind_);
    }
    return absl::OkStatus();
  }
  std::string kind() const override { return kind_; }
  int64_t scratch_bytes() const override {
    return ConvertedDestinationOffset() +
           (dst_convert_.has_value()
                ? static_cast<int64_t>(dst_compute_md_.get_size())
                : 0);
  }

 private:
  std::string kind_;
  dnnl::primitive primitive_;
  memory::desc src_md_, weights_md_, bias_md_, dst_md_, residual_md_,
      scratch_md_;
  BufferRef src_;
  std::optional<BufferRef> weights_;
  std::optional<memory> packed_;
  std::optional<BufferRef> bias_;
  std::optional<BufferRef> residual_;
  int residual_post_op_;  // Its index among the primitive's post-ops.
  BufferRef dst_;
  memory::desc src_compute_md_, dst_compute_md_;
  std::optional<dnnl::reorder> src_convert_, dst_convert_;

  // Scratch memory: the primitive's scratchpad, then the converted source,
  // then the converted destination, each 64-byte aligned.
  static int64_t Align64(size_t bytes) {
    return (static_cast<int64_t>(bytes) + 63) / 64 * 64;
  }
  int64_t ConvertedSourceOffset() const {
    return Align64(scratch_md_.get_size());
  }
  int64_t ConvertedDestinationOffset() const {
    return ConvertedSourceOffset() +
           (src_convert_.has_value() ? Align64(src_compute_md_.get_size()) : 0);
  }
};

// Reorders constant `data` (described by `plain`) into a new memory of the
// primitive's chosen layout `chosen`.
memory PackWeights(const memory::desc& plain, const memory::desc& chosen,
                   const ir::Literal& data) {
  dnnl::engine& engine = Engine();
  memory src(plain, engine, const_cast<uint8_t*>(data.untyped_data()));
  memory dst(chosen, engine);
  dnnl::stream stream(engine);
  dnnl::reorder(src, dst).execute(stream, src, dst);
  stream.wait();
  return dst;
}

std::string Suffix(const Epilogue& e, const OneDnnOptions& o) {
  std::string s;
  if (e.bias.has_value()) s += "+bias";
  if (e.output_scale.has_value()) s += "+scale";
  if (e.residual.has_value()) s += "+residual";
  if (e.relu) s += "+relu";
  if (e.residual.has_value() && e.residual_in_place) s += "[residual_in_place]";
  if (o.bf16) s += "[bf16]";
  return s;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Thunk>> MakeOneDnnDot(
    const ir::Op& op, const BufferRef& lhs, const BufferRef& rhs,
    const BufferRef& out, const ir::Literal* rhs_constant,
    const Epilogue& epilogue, const OneDnnOptions& options,
    std::vector<int64_t> lhs_strides, std::vector<int64_t> rhs_strides) {
  if (!IsF32(lhs) || !IsF32(rhs) || !IsF32(out)) return nullptr;
  ASSIGN_OR_RETURN(ir::DotDimensionNumbers dn, ir::GetDotDimensionNumbers(op));
  const auto& ld = lhs.type.dims();
  const auto& rd = rhs.type.dims();
  if (lhs_strides.empty()) lhs_strides = Strides(ld);
  if (rhs_strides.empty()) rhs_strides = Strides(rd);
  // Each group of dimensions (batch, free, contracting) must collapse to
  // one strided dimension; its order is the order the output (or the
  // pairing of contracting dimensions) uses.
  auto free_dims = [](int64_t rank, const std::vector<int64_t>& a,
                      const std::vector<int64_t>& b) {
    std::vector<int64_t> out;
    for (int64_t d = 0; d < rank; ++d) {
      if (std::find(a.begin(), a.end(), d) == a.end() &&
          std::find(b.begin(), b.end(), d) == b.end()) {
        out.push_back(d);
      }
    }
    return out;
  };
  // Size and stride of a collapsed group, or nullopt.
  auto collapse = [](const std::vector<int64_t>& group,
                     const std::vector<int64_t>& dims,
                     const std::vector<int64_t>& strides)
      -> std::optional<std::pair<int64_t, int64_t>> {
    int64_t size = 1, stride = 1;
    bool have = false;
    for (auto it = group.rbegin(); it != group.rend(); ++it) {
      const int64_t d = *it;
      if (dims[d] == 1) continue;
      if (!have) {
        stride = strides[d];
        have = true;
      } else if (strides[d] != stride * size) {
        return std::nullopt;
      }
      size *= dims[d];
    }
    return std::make_pair(size, stride);
  };
  const std::vector<int64_t> lf =
      free_dims(lhs.type.rank(), dn.lhs_batching_dimensions,
                dn.lhs_contracting_dimensions);
  const std::vector<int64_t> rf =
      free_dims(rhs.type.rank(), dn.rhs_batching_dimensions,
                dn.rhs_contracting_dimensions);
  auto lb = collapse(dn.lhs_batching_dimensions, ld, lhs_strides);
  auto lm = collapse(lf, ld, lhs_strides);
  auto lk = collapse(dn.lhs_contracting_dimensions, ld, lhs_strides);
  auto rb = collapse(dn.rhs_batching_dimensions, rd, rhs_strides);
  auto rk = collapse(dn.rhs_contracting_dimensions, rd, rhs_strides);
  auto rn = collapse(rf, rd, rhs_strides);
  if (!lb || !lm || !lk || !rb || !rk || !rn) return nullptr;
  // The batch groups must also collapse the same way on both sides: a
  // mismatch in how unit dims fall is fine, sizes must agree.
  const int64_t batch = lb->first, m = lm->first, k = lk->first, n = rn->first;
  if (rb->first != batch || rk->first != k) return nullptr;
  if (batch == 0 || k == 0 || m == 0 || n == 0) return nullptr;
  if (2 * batch * m * n * k < kMinFlops) return nullptr;
  try {
    const Dims src_dims = {batch, m, k}, w_dims = {batch, k, n},
               dst_dims = {batch, m, n};
    const Dims src_strides = {batch == 1 ? m * k : lb->second,
                              m == 1 ? k : lm->second, k == 1 ? 1 : lk->second};
    const Dims w_strides = {batch == 1 ? k * n : rb->second,
                            k == 1 ? n : rk->second, n == 1 ? 1 : rn->second};
    memory::desc src_md(src_dims, memory::data_type::f32, src_strides);
    memory::desc w_plain(w_dims, memory::data_type::f32, w_strides);
    memory::desc dst_md(dst_dims, memory::data_type::f32, Dims{m * n, n, 1});
    memory::desc bias_md;
    if (epilogue.bias.has_value()) {
      bias_md = memory::desc({1, 1, n}, memory::data_type::f32,
                             memory::format_tag::abc);
    }
    memory::desc residual_md = dst_md;
    const bool pack = rhs_constant != nullptr;
    memory::desc w_md = pack ? memory::desc(w_dims, memory::data_type::f32,
                                            memory::format_tag::any)
                             : w_plain;
    dnnl::primitive_attr attr = MakeAttr(epilogue, residual_md, options);
    dnnl::matmul::desc desc(src_md, w_md, bias_md, dst_md);
    dnnl::matmul::primitive_desc pd(desc, attr, Engine());
    std::optional<memory> packed;
    if (pack) packed = PackWeights(w_plain, pd.weights_desc(), *rhs_constant);
    return std::unique_ptr<Thunk>(new DnnlThunk(
        "onednn.matmul" + Suffix(epilogue, options), dnnl::matmul(pd), src_md,
        pd.weights_desc(), bias_md, dst_md, residual_md, pd.scratchpad_desc(),
        lhs, pack ? std::nullopt : std::optional<BufferRef>(rhs),
        std::move(packed), epilogue.bias, BinaryResidual(epilogue),
        ResidualPostOp(epilogue), out));
  } catch (const dnnl::error& e) {
    return nullptr;  // No implementation for this shape: another kernel.
  }
}

namespace {

// Whether the f32 Winograd algorithm pays off: 3x3 kernels at stride 1
// without dilation or groups, 16-channel multiples (the blocked layout),
// and outputs of at least 14x14. Below that the transformed weights,
// 16/9 the size of the plain ones, make a convolution whose time is
// reading its weights slower still (ResNet-50's 7x7 stage); measured on
// AVX-512 with oneDNN 2.6: 56x56x64 0.50 -> 0.39 ms, 14x14x256 0.51 ->
// 0.35 ms, 7x7x512 0.58 -> 0.59 ms, conversions included. The residual
// post-op is left to the direct kernel (its layout would have to be
// blocked too).
bool UseWinograd(const Dims& src, const Dims& weights, const Dims& dst,
                 const Dims& strides, const Dims& dilates, int64_t groups,
                 const Epilogue& epilogue) {
  if (src.size() != 4 || groups != 1 || epilogue.residual.has_value()) {
    return false;
  }
  const bool shape = weights[2] == 3 && weights[3] == 3 && strides[0] == 1 &&
                     strides[1] == 1 && dilates[0] == 0 && dilates[1] == 0;
  const bool channels = src[1] % 16 == 0 && dst[1] % 16 == 0;
  return shape && channels && dst[2] * dst[3] >= 14 * 14;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Thunk>> MakeOneDnnConvolution(
    const ir::Op& op, const BufferRef& lhs, const BufferRef& rhs,
    const BufferRef& out, const ir::Literal* rhs_constant,
    const Epilogue& epilogue, const OneDnnOptions& options) {
  if (!IsF32(lhs) || !IsF32(rhs) || !IsF32(out)) return nullptr;
  ASSIGN_OR_RETURN(ir::ConvDimensionNumbers dn,
                   ir::GetConvDimensionNumbers(op));
  const int64_t sp = static_cast<int64_t>(dn.input_spatial_dimensions.size());
  if (sp < 1 || sp > 3) return nullptr;
  ASSIGN_OR_RETURN(ir::ConvWindow w, ir::GetConvWindow(op, sp));
  if (interpreter::IntAttrOr(op, "batch_group_count", 1) != 1) return nullptr;
  const int64_t groups = interpreter::IntAttrOr(op, "feature_group_count", 1);
  for (int64_t i = 0; i < sp; ++i) {
    if (w.lhs_dilation[i] != 1 || w.reversal[i] || w.padding[i].first < 0 ||
        w.padding[i].second < 0 || w.rhs_dilation[i] < 1 || w.strides[i] < 1) {
      return nullptr;
    }
  }
  const auto& id = lhs.type.dims();
  const auto& kd = rhs.type.dims();
  const auto& od = out.type.dims();
  const std::vector<int64_t> is = Strides(id), ks = Strides(kd),
                             os = Strides(od);
  for (int64_t d : id)
    if (d == 0) return nullptr;
  for (int64_t d : kd)
    if (d == 0) return nullptr;
  for (int64_t d : od)
    if (d == 0) return nullptr;
  {
    int64_t flops = 2 * out.type.element_count();
    for (int64_t d : kd) flops *= d;
    flops /= std::max<int64_t>(kd[dn.kernel_output_feature_dimension], 1);
    if (flops < kMinFlops) return nullptr;
  }
  Dims src_dims = {id[dn.input_batch_dimension],
                   id[dn.input_feature_dimension]};
  Dims src_strides = {is[dn.input_batch_dimension],
                      is[dn.input_feature_dimension]};
  Dims dst_dims = {od[dn.output_batch_dimension],
                   od[dn.output_feature_dimension]};
  Dims dst_strides = {os[dn.output_batch_dimension],
                      os[dn.output_feature_dimension]};
  const int64_t oc = kd[dn.kernel_output_feature_dimension];
  const int64_t icg = kd[dn.kernel_input_feature_dimension];
  const int64_t ocs = ks[dn.kernel_output_feature_dimension];
  Dims w_dims, w_strides;
  if (groups > 1) {
    if (oc % groups != 0) return nullptr;
    w_dims = {groups, oc / groups, icg};
    w_strides = {ocs * (oc / groups), ocs,
                 ks[dn.kernel_input_feature_dimension]};
  } else {
    w_dims = {oc, icg};
    w_strides = {ocs, ks[dn.kernel_input_feature_dimension]};
  }
  Dims strides, dilates, pad_l, pad_r;
  for (int64_t i = 0; i < sp; ++i) {
    src_dims.push_back(id[dn.input_spatial_dimensions[i]]);
    src_strides.push_back(is[dn.input_spatial_dimensions[i]]);
    dst_dims.push_back(od[dn.output_spatial_dimensions[i]]);
    dst_strides.push_back(os[dn.output_spatial_dimensions[i]]);
    w_dims.push_back(kd[dn.kernel_spatial_dimensions[i]]);
    w_strides.push_back(ks[dn.kernel_spatial_dimensions[i]]);
    strides.push_back(w.strides[i]);
    dilates.push_back(w.rhs_dilation[i] - 1);
    pad_l.push_back(w.padding[i].first);
    pad_r.push_back(w.padding[i].second);
  }
  try {
    const auto f32 = memory::data_type::f32;
    memory::desc src_md(src_dims, f32, src_strides);
    memory::desc dst_md(dst_dims, f32, dst_strides);
    memory::desc w_plain(w_dims, f32, w_strides);
    memory::desc bias_md;
    if (epilogue.bias.has_value()) {
      bias_md = memory::desc({oc}, f32, memory::format_tag::a);
    }
    const bool pack = rhs_constant != nullptr;
    dnnl::primitive_attr attr = MakeAttr(epilogue, dst_md, options);
    if (pack && options.bf16) {
      // bf16 convolution with f32 accumulation and an f32 destination: the
      // weights are converted once, here; the source per run. oneDNN 2.6
      // ignores fpmath_mode for f32 convolutions, so bf16 must be asked
      // for through the data types. Without an implementation (no
      // AVX512-BF16), fall through to f32.
      try {
        const auto bf16 = memory::data_type::bf16;
        memory::desc src_bf16(src_dims, bf16, src_strides);
        dnnl::convolution_forward::desc desc(
            dnnl::prop_kind::forward_inference,
            dnnl::algorithm::convolution_direct, src_bf16,
            memory::desc(w_dims, bf16, memory::format_tag::any), bias_md,
            dst_md, strides, dilates, pad_l, pad_r);
        dnnl::convolution_forward::primitive_desc pd(desc, attr, Engine());
        memory packed = PackWeights(w_plain, pd.weights_desc(), *rhs_constant);
        auto thunk = std::make_unique<DnnlThunk>(
            "onednn.convolution" + Suffix(epilogue, options),
            dnnl::convolution_forward(pd), src_md, pd.weights_desc(), bias_md,
            dst_md, dst_md, pd.scratchpad_desc(), lhs, std::nullopt,
            std::move(packed), epilogue.bias, BinaryResidual(epilogue),
            ResidualPostOp(epilogue), out);
        thunk->ConvertSource(src_bf16);
        return std::unique_ptr<Thunk>(std::move(thunk));
      } catch (const dnnl::error& e) {
        // No bf16 implementation: the f32 primitive below.
      }
    }
    // From here on the convolution is f32 whatever was allowed, and its
    // name says so.
    OneDnnOptions f32_options = options;
    f32_options.bf16 = false;
    if (pack && options.winograd &&
        UseWinograd(src_dims, w_dims, dst_dims, strides, dilates, groups,
                    epilogue)) {
      // Winograd F(2x2, 3x3) in f32 reads and writes the 16-channel
      // blocked layout; the activations are converted around it, which
      // costs far less than the multiplications it saves.
      try {
        const auto tag = memory::format_tag::nChw16c;
        memory::desc src_blocked(src_dims, f32, tag);
        memory::desc dst_blocked(dst_dims, f32, tag);
        dnnl::convolution_forward::desc desc(
            dnnl::prop_kind::forward_inference,
            dnnl::algorithm::convolution_winograd, src_blocked,
            memory::desc(w_dims, f32, memory::format_tag::any), bias_md,
            dst_blocked, strides, dilates, pad_l, pad_r);
        dnnl::convolution_forward::primitive_desc pd(
            desc, MakeAttr(epilogue, dst_blocked, options), Engine());
        memory packed = PackWeights(w_plain, pd.weights_desc(), *rhs_constant);
        auto thunk = std::make_unique<DnnlThunk>(
            "onednn.convolution" + Suffix(epilogue, f32_options) + "[winograd]",
            dnnl::convolution_forward(pd), src_md, pd.weights_desc(), bias_md,
            dst_md, dst_md, pd.scratchpad_desc(), lhs, std::nullopt,
            std::move(packed), epilogue.bias, BinaryResidual(epilogue),
            ResidualPostOp(epilogue), out);
        thunk->ConvertSource(src_blocked);
        thunk->ConvertDestination(dst_blocked);
        return std::unique_ptr<Thunk>(std::move(thunk));
      } catch (const dnnl::error& e) {
        // No Winograd implementation here: the direct primitive below.
      }
    }
    memory::desc w_md =
        pack ? memory::desc(w_dims, f32, memory::format_tag::any) : w_plain;
    dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
        src_md, w_md, bias_md, dst_md, strides, dilates, pad_l, pad_r);
    dnnl::convolution_forward::primitive_desc pd(desc, attr, Engine());
    std::optional<memory> packed;
    if (pack) packed = PackWeights(w_plain, pd.weights_desc(), *rhs_constant);
    return std::unique_ptr<Thunk>(
        new DnnlThunk("onednn.convolution" + Suffix(epilogue, f32_options),
                      dnnl::convolution_forward(pd), src_md, pd.weights_desc(),
                      bias_md, dst_md, dst_md, pd.scratchpad_desc(), lhs,
                      pack ? std::nullopt : std::optional<BufferRef>(rhs),
                      std::move(packed), epilogue.bias,
                      BinaryResidual(epilogue), ResidualPostOp(epilogue), out));
  } catch (const dnnl::error& e) {
    return nullptr;
  }
}

namespace {

// The single binary op of a reduce_window body over its two block
// arguments, or kUnknown.
ir::OpCode BodyOp(const ir::Op& op) {
  if (op.num_regions() != 1 || op.region(0)->num_blocks() != 1) {
    return ir::OpCode::kUnknown;
  }
  const ir::Block& body = *op.region(0)->block(0);
  if (body.ops().size() != 2 || body.num_arguments() != 2) {
    return ir::OpCode::kUnknown;
  }
  const ir::Op& combine = *body.front();
  const ir::Op& ret = *body.back();
  if (combine.num_operands() != 2 || ret.num_operands() != 1 ||
      ret.operand(0) != combine.result(0)) {
    return ir::OpCode::kUnknown;
  }
  const bool args = (combine.operand(0) == body.argument(0) &&
                     combine.operand(1) == body.argument(1)) ||
                    (combine.operand(0) == body.argument(1) &&
                     combine.operand(1) == body.argument(0));
  return args ? combine.code() : ir::OpCode::kUnknown;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Thunk>> MakeOneDnnPooling(
    const ir::Op& op, const BufferRef& input, const BufferRef& out,
    const OneDnnOptions& options) {
  if (!IsF32(input) || !IsF32(out) || op.num_operands() != 2) return nullptr;
  if (BodyOp(op) != ir::OpCode::kMaximum) return nullptr;
  const ir::Op* init = op.operand(1)->defining_op();
  if (init == nullptr || init->code() != ir::OpCode::kConstant) return nullptr;
  const ir::Attribute* value = init->attr("value");
  if (value == nullptr ||
      value->kind() != ir::Attribute::Kind::kDenseElements) {
    return nullptr;
  }
  const float init_value = value->literal().data<float>()[0];
  if (!(std::isinf(init_value) && init_value < 0)) return nullptr;
  const int64_t rank = input.type.rank();
  if (rank < 3 || rank > 5) return nullptr;
  absl::StatusOr<ir::ReduceWindowAttrs> attrs =
      ir::GetReduceWindowAttrs(op, rank);
  if (!attrs.ok()) return nullptr;
  const std::vector<int64_t>& window = attrs->window_dimensions;
  const std::vector<int64_t>& wstrides = attrs->window_strides;
  const std::vector<int64_t>& base_dil = attrs->base_dilations;
  const std::vector<int64_t>& win_dil = attrs->window_dilations;
  const auto& padding = attrs->padding;
  // Two dimensions that are not pooled play N and C.
  std::vector<int64_t> plain_dims;
  for (int64_t i = 0; i < rank; ++i) {
    if (base_dil[i] != 1 || win_dil[i] < 1) return nullptr;
    if (padding[i].first < 0 || padding[i].second < 0) return nullptr;
    if (window[i] == 1 && wstrides[i] == 1 && padding[i].first == 0 &&
        padding[i].second == 0 && plain_dims.size() < 2) {
      plain_dims.push_back(i);
    }
  }
  if (plain_dims.size() != 2) return nullptr;
  const auto& id = input.type.dims();
  const auto& od = out.type.dims();
  for (int64_t d : id)
    if (d == 0) return nullptr;
  for (int64_t d : od)
    if (d == 0) return nullptr;
  const std::vector<int64_t> is = Strides(id), os = Strides(od);
  Dims src_dims, src_strides, dst_dims, dst_strides, kernel, strides, dil,
      pad_l, pad_r;
  for (int64_t p : plain_dims) {
    src_dims.push_back(id[p]);
    src_strides.push_back(is[p]);
    dst_dims.push_back(od[p]);
    dst_strides.push_back(os[p]);
  }
  for (int64_t i = 0; i < rank; ++i) {
    if (i == plain_dims[0] || i == plain_dims[1]) continue;
    src_dims.push_back(id[i]);
    src_strides.push_back(is[i]);
    dst_dims.push_back(od[i]);
    dst_strides.push_back(os[i]);
    kernel.push_back(window[i]);
    strides.push_back(wstrides[i]);
    dil.push_back(win_dil[i] - 1);
    pad_l.push_back(padding[i].first);
    pad_r.push_back(padding[i].second);
  }
  try {
    const auto f32 = memory::data_type::f32;
    memory::desc src_md(src_dims, f32, src_strides);
    memory::desc dst_md(dst_dims, f32, dst_strides);
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::pooling_v2_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max,
        src_md, dst_md, strides, kernel, dil, pad_l, pad_r);
    dnnl::pooling_v2_forward::primitive_desc pd(desc, attr, Engine());
    (void)options;
    return std::unique_ptr<Thunk>(new DnnlThunk(
        "onednn.max_pool", dnnl::pooling_v2_forward(pd), src_md, memory::desc(),
        memory::desc(), dst_md, memory::desc(), pd.scratchpad_desc(), input,
        std::nullopt, std::nullopt, std::nullopt, std::nullopt,
        /*residual_post_op=*/0, out));
  } catch (const dnnl::error& e) {
    return nullptr;
  }
}

}  // namespace backplane::cpu
