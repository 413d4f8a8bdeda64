// Epilogue fusion: finds the element-wise ops after a convolution or
// matmul that oneDNN can apply inside the primitive, so that they never
// materialise a tensor:
//
//   y = conv(x, W); y = (y - mean) * scale + beta   -> conv(x, W * s) + b
//   y = matmul(x, W) + broadcast(b)  (b computed)   -> bias argument
//   y = y * s  (s a splat constant, after the bias) -> linear post-op
//   y = y + residual                                -> binary-add post-op
//   y = max(y, 0)                                   -> relu post-op
//
// Per-channel constants (batch-norm in inference form, biases) are folded
// into a per-output-channel affine map; the multiplicative part is folded
// into constant weights at compile time (so it needs constant weights).
//
//   EpilogueMatch m = MatchEpilogue(conv->result(0), feature_dim, channels,
//                                   weights_are_constant, is_available);
//   for (const ir::Op* op : m.absorbed) skip(op);
#ifndef BACKPLANE_CPU_PLUGIN_EPILOGUE_FUSION_H_
#define BACKPLANE_CPU_PLUGIN_EPILOGUE_FUSION_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"

namespace backplane::cpu {

struct EpilogueMatch {
  std::vector<const ir::Op*> absorbed;  // In program order.
  const ir::Value* final_value = nullptr;
  // y_c = x_c * scale[c] + shift[c]; empty when the chain has no affine op.
  std::vector<float> scale;
  std::vector<float> shift;
  // A computed per-channel bias (rank 1, `channels` elements, available
  // before the producer runs), added first; never with scale / shift.
  const ir::Value* bias = nullptr;
  // y * output_scale after the bias and before the residual, for a splat
  // constant that cannot be folded into the weights (they are computed).
  std::optional<float> output_scale;
  const ir::Value* residual = nullptr;
  bool relu = false;
};

// The per-channel values of `v` (f32, channels along `feature_dim`) when v
// is a constant, or a broadcast of one, that is constant along every other
// dimension; std::nullopt otherwise.
std::optional<std::vector<float>> PerChannelConstant(const ir::Value* v,
                                                     int64_t feature_dim);

// The value that `v` broadcasts along `feature_dim` when v is a chain of
// broadcast_in_dim ops from a rank-1 f32 value of `channels` elements;
// nullptr otherwise.
const ir::Value* PerChannelSource(const ir::Value* v, int64_t feature_dim,
                                  int64_t channels);

// Longest fusible chain after `result`. `can_scale` allows multiplicative
// per-channel ops (weights are constant); `is_available(v)` says whether a
// residual operand is computed before the producer runs.
EpilogueMatch MatchEpilogue(
    const ir::Value* result, int64_t feature_dim, bool can_scale,
    const std::function<bool(const ir::Value*)>& is_available);

// The output feature dimension of a convolution / dot result and the
// weights dimension it comes from; -1 when a dot has several rhs free
// dimensions (no per-channel epilogue then).
absl::Status EpilogueDims(const ir::Op& op, int64_t* feature_dim,
                          int64_t* weights_out_dim);

// Multiplies the weights of output channel c by scale[c]; `out_dim` is the
// weights' output-feature dimension (f32).
ir::Literal ScaleOutputChannels(const ir::Literal& weights, int64_t out_dim,
                                const std::vector<float>& scale);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_EPILOGUE_FUSION_H_
