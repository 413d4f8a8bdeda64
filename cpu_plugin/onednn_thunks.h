// oneDNN-backed thunks: dot_general as (batched) matmul and convolution,
// with primitives created at compile time and constant weights reordered
// into the primitive's preferred (blocked) layout once, at compile time.
//
//   absl::StatusOr<std::unique_ptr<Thunk>> t =
//       MakeOneDnnDot(op, lhs, rhs, out, /*rhs_constant=*/nullptr, {});
//   if (t.ok() && *t == nullptr) { /* not expressible; use another kernel */ }
#ifndef BACKPLANE_CPU_PLUGIN_ONEDNN_THUNKS_H_
#define BACKPLANE_CPU_PLUGIN_ONEDNN_THUNKS_H_

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/thunk.h"

namespace backplane::cpu {

// Element-wise work fused after the matmul/convolution (oneDNN post-ops),
// applied in this order: + bias (broadcast along the output feature
// dimension), * output_scale, + residual (a full-size buffer), then
// max(x, 0).
struct Epilogue {
  std::optional<BufferRef> bias;      // 1-D, output features.
  std::optional<float> output_scale;  // A splat factor.
  std::optional<BufferRef> residual;  // Same type as the result.
  // The result buffer already holds the residual (the program placed the
  // result over it): oneDNN's sum post-op adds it in place, which keeps
  // the fastest kernels (a binary post-op sends 1x1 convolutions to an
  // older, slower one).
  bool residual_in_place = false;
  bool relu = false;
};

struct OneDnnOptions {
  // Compute f32 matmuls and convolutions in bf16 (f32 accumulation).
  bool bf16 = false;
  // Let f32 3x3 convolutions use the Winograd algorithm where it is
  // faster (see UseWinograd); its rounding differs from the direct sum's
  // by a few ulps of the largest products.
  bool winograd = true;
};

// Returns nullptr (not an error) when `op` is a dot_general that oneDNN
// cannot express: non-f32, non-contiguous free/contracting dimension
// groups, batch dimensions that are not leading.
// `lhs_strides` / `rhs_strides` give the element strides of the operands'
// logical dimensions (empty: row-major), so a transpose feeding the dot
// can be read in place.
absl::StatusOr<std::unique_ptr<Thunk>> MakeOneDnnDot(
    const ir::Op& op, const BufferRef& lhs, const BufferRef& rhs,
    const BufferRef& out, const ir::Literal* rhs_constant,
    const Epilogue& epilogue, const OneDnnOptions& options,
    std::vector<int64_t> lhs_strides = {},
    std::vector<int64_t> rhs_strides = {});

// Returns nullptr when `op` is a convolution oneDNN cannot express:
// non-f32, 0 or > 3 spatial dimensions, lhs dilation, window reversal,
// batch_group_count > 1, negative padding.
absl::StatusOr<std::unique_ptr<Thunk>> MakeOneDnnConvolution(
    const ir::Op& op, const BufferRef& lhs, const BufferRef& rhs,
    const BufferRef& out, const ir::Literal* rhs_constant,
    const Epilogue& epilogue, const OneDnnOptions& options);

// Max or average pooling as oneDNN pooling for reduce_window ops whose body
// is max (with -inf init) or add (with 0 init; `divisor_constant` rescaled
// average pools are left to the caller). Returns nullptr when not
// expressible.
absl::StatusOr<std::unique_ptr<Thunk>> MakeOneDnnPooling(
    const ir::Op& op, const BufferRef& input, const BufferRef& out,
    const OneDnnOptions& options);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_ONEDNN_THUNKS_H_
