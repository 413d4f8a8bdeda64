// Result-type inference and operand checks for StableHLO ops, following the
// constraints of the StableHLO spec. Pure functions on types and attribute
// values, so the verifier, passes and plugins share them.
//
//   absl::StatusOr<TensorType> t = InferDotGeneralType(lhs, rhs, dims);
//   absl::StatusOr<TensorType> s = InferSliceType(x, {0, 0}, {2, 3}, {1, 1});
//
// Failures are InvalidArgumentError with the violated constraint in words
// (without a location; callers add it).
#ifndef BACKPLANE_COMPILER_IR_SHAPE_INFERENCE_H_
#define BACKPLANE_COMPILER_IR_SHAPE_INFERENCE_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/attribute.h"
#include "compiler/ir/literal.h"
#include "compiler/ir/op_accessors.h"

namespace backplane::ir {

// All operands share one shape; the result takes it with `element_type`.
absl::StatusOr<TensorType> InferElementwiseType(
    absl::Span<const TensorType> operands, ElementType element_type);
// compare: same-typed operands, i1 result of their shape.
absl::StatusOr<TensorType> InferCompareType(const TensorType& lhs,
                                            const TensorType& rhs);
// select: pred is i1 and scalar or of the branches' shape.
absl::StatusOr<TensorType> InferSelectType(const TensorType& pred,
                                           const TensorType& on_true,
                                           const TensorType& on_false);
// clamp: min / max are scalars or of the operand's type.
absl::StatusOr<TensorType> InferClampType(const TensorType& min,
                                          const TensorType& operand,
                                          const TensorType& max);
absl::Status CheckBroadcastInDim(const TensorType& operand,
                                 absl::Span<const int64_t> dims,
                                 const TensorType& result);
absl::StatusOr<TensorType> InferBroadcastType(const TensorType& operand,
                                              absl::Span<const int64_t> sizes);
absl::Status CheckReshape(const TensorType& operand, const TensorType& result);
absl::StatusOr<TensorType> InferTransposeType(
    const TensorType& operand, absl::Span<const int64_t> permutation);
absl::StatusOr<TensorType> InferReverseType(const TensorType& operand,
                                            absl::Span<const int64_t> dims);
absl::StatusOr<TensorType> InferSliceType(const TensorType& operand,
                                          absl::Span<const int64_t> start,
                                          absl::Span<const int64_t> limit,
                                          absl::Span<const int64_t> strides);
absl::StatusOr<TensorType> InferDynamicSliceType(
    const TensorType& operand, absl::Span<const TensorType> start_indices,
    absl::Span<const int64_t> slice_sizes);
absl::Status CheckDynamicUpdateSlice(
    const TensorType& operand, const TensorType& update,
    absl::Span<const TensorType> start_indices);
absl::StatusOr<TensorType> InferConcatenateType(
    absl::Span<const TensorType> inputs, int64_t dimension);
absl::StatusOr<TensorType> InferPadType(const TensorType& operand,
                                        const TensorType& padding_value,
                                        absl::Span<const int64_t> low,
                                        absl::Span<const int64_t> high,
                                        absl::Span<const int64_t> interior);
absl::Status CheckIota(const TensorType& result, int64_t iota_dimension);
// Result element type is not inferable (it may be wider); pass it in.
absl::StatusOr<TensorType> InferDotGeneralType(const TensorType& lhs,
                                               const TensorType& rhs,
                                               const DotDimensionNumbers& dims,
                                               ElementType result_element);
absl::StatusOr<TensorType> InferDotType(const TensorType& lhs,
                                        const TensorType& rhs,
                                        ElementType result_element);
absl::StatusOr<TensorType> InferConvolutionType(
    const TensorType& lhs, const TensorType& rhs,
    const ConvDimensionNumbers& dims, const ConvWindow& window,
    int64_t feature_group_count, int64_t batch_group_count,
    ElementType result_element);
// reduce: inputs share a shape; results drop `dimensions`, element types
// from the init values.
absl::StatusOr<std::vector<TensorType>> InferReduceTypes(
    absl::Span<const TensorType> inputs,
    absl::Span<const TensorType> init_values,
    absl::Span<const int64_t> dimensions);
absl::StatusOr<std::vector<TensorType>> InferReduceWindowTypes(
    absl::Span<const TensorType> inputs,
    absl::Span<const TensorType> init_values,
    absl::Span<const int64_t> window_dimensions,
    absl::Span<const int64_t> window_strides,
    absl::Span<const int64_t> base_dilations,
    absl::Span<const int64_t> window_dilations,
    absl::Span<const std::pair<int64_t, int64_t>> padding);
absl::StatusOr<TensorType> InferGatherType(
    const TensorType& operand, const TensorType& start_indices,
    const GatherDimensionNumbers& dims, absl::Span<const int64_t> slice_sizes);
absl::Status CheckScatter(absl::Span<const TensorType> inputs,
                          const TensorType& scatter_indices,
                          absl::Span<const TensorType> updates,
                          const ScatterDimensionNumbers& dims);
// The type produced by a (strided, padded, dilated) window reduction along
// one dimension: the spec's formula, shared by reduce_window and conv.
// INVALID_ARGUMENT when an intermediate size overflows int64_t.
absl::StatusOr<int64_t> WindowedOutputSize(int64_t input, int64_t window,
                                           int64_t stride,
                                           int64_t base_dilation,
                                           int64_t window_dilation,
                                           int64_t pad_low, int64_t pad_high);
absl::StatusOr<TensorType> InferFftType(const TensorType& operand, FftType type,
                                        absl::Span<const int64_t> length);
absl::StatusOr<TensorType> InferBitcastConvertType(const TensorType& operand,
                                                   const TensorType& result);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_SHAPE_INFERENCE_H_
