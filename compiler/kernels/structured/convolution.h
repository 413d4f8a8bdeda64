// stablehlo.convolution with full dimension numbers for any spatial rank,
// window strides, padding, lhs/rhs dilation, window reversal,
// feature_group_count and batch_group_count.
//
//   ConvolutionParams p = ConvolutionParams::Nhwc(/*spatial_rank=*/2);
//   p.padding = {{1, 1}, {1, 1}};
//   absl::StatusOr<ir::Literal> y = Convolution(x, w, p);
//
// Lowered to im2col + GEMM (the dot kernel's GEMM for f32, so it is fast),
// accumulating like dot_general. Without `result_type`, lhs, rhs and result
// share one element type; with it, the operands are promoted to it first.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_CONVOLUTION_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_CONVOLUTION_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

struct ConvolutionParams {
  // Per spatial dimension; empty means strides/dilations 1, padding 0, no
  // reversal.
  std::vector<int64_t> window_strides;
  std::vector<std::pair<int64_t, int64_t>> padding;  // (low, high).
  std::vector<int64_t> lhs_dilation;
  std::vector<int64_t> rhs_dilation;
  std::vector<bool> window_reversal;

  int64_t input_batch_dimension = 0;
  int64_t input_feature_dimension = 0;
  std::vector<int64_t> input_spatial_dimensions;
  int64_t kernel_input_feature_dimension = 0;
  int64_t kernel_output_feature_dimension = 0;
  std::vector<int64_t> kernel_spatial_dimensions;
  int64_t output_batch_dimension = 0;
  int64_t output_feature_dimension = 0;
  std::vector<int64_t> output_spatial_dimensions;

  int64_t feature_group_count = 1;
  int64_t batch_group_count = 1;

  // [b, 0..n-1, f] x [0..n-1, i, o] -> [b, 0..n-1, f], the TensorFlow layout.
  static ConvolutionParams Nhwc(int64_t spatial_rank);
};

absl::StatusOr<ir::Literal> Convolution(
    const ir::Literal& lhs, const ir::Literal& rhs,
    const ConvolutionParams& params,
    std::optional<ir::ElementType> result_type = std::nullopt);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_CONVOLUTION_H_
