#include "compiler/ir/shape_inference.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"

namespace backplane::ir {
namespace {

template <typename... Args>
absl::Status Invalid(Args&&... args) {
  return absl::InvalidArgumentError(absl::StrCat(std::forward<Args>(args)...));
}

std::string Dims(absl::Span<const int64_t> d) {
  return absl::StrCat("[", absl::StrJoin(d, ", "), "]");
}

// Every entry in [0, rank) and no duplicates.
absl::Status CheckDimList(absl::Span<const int64_t> dims, int64_t rank,
                          absl::string_view what) {
  std::vector<bool> seen(rank, false);
  for (int64_t d : dims) {
    if (d < 0 || d >= rank) {
      return Invalid(what, " ", Dims(dims), " has dimension ", d,
                     " outside [0, ", rank, ")");
    }
    if (seen[d])
      return Invalid(what, " ", Dims(dims), " repeats dimension ", d);
    seen[d] = true;
  }
  return absl::OkStatus();
}

bool Contains(absl::Span<const int64_t> v, int64_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

absl::Status CheckCount(const std::vector<int64_t>& dims) {
  auto n = TensorType::CheckedElementCount(dims);
  return n.ok() ? absl::OkStatus() : n.status();
}

}  // namespace

absl::StatusOr<int64_t> WindowedOutputSize(int64_t input, int64_t window,
                                           int64_t stride,
                                           int64_t base_dilation,
                                           int64_t window_dilation,
                                           int64_t pad_low, int64_t pad_high) {
  // (input - 1) * base_dilation + 1 + pad_low + pad_high and
  // (window - 1) * window_dilation + 1, without signed overflow.
  int64_t dilated_input = 0;
  int64_t dilated_window = 0;
  int64_t padded = 0;
  bool overflow = false;
  if (input != 0) {
    overflow |=
        __builtin_mul_overflow(input - 1, base_dilation, &dilated_input);
    overflow |= __builtin_add_overflow(dilated_input, 1, &dilated_input);
  }
  overflow |= __builtin_add_overflow(dilated_input, pad_low, &padded);
  overflow |= __builtin_add_overflow(padded, pad_high, &padded);
  if (window != 0) {
    overflow |=
        __builtin_mul_overflow(window - 1, window_dilation, &dilated_window);
    overflow |= __builtin_add_overflow(dilated_window, 1, &dilated_window);
  }
  if (overflow) {
    return Invalid("window of size ", window, " (dilation ", window_dilation,
                   ") over a dimension of size ", input, " (dilation ",
                   base_dilation, ", padding ", pad_low, "/", pad_high,
                   ") overflows 64-bit sizes");
  }
  if (padded < dilated_window) return 0;
  return (padded - dilated_window) / stride + 1;
}

absl::StatusOr<TensorType> InferElementwiseType(
    absl::Span<const TensorType> operands, ElementType element_type) {
  if (operands.empty()) return Invalid("elementwise op without operands");
  for (const TensorType& t : operands) {
    if (t.dims() != operands[0].dims()) {
      return Invalid("operand shapes differ: ", operands[0].ToString(), " vs ",
                     t.ToString());
    }
  }
  return TensorType(element_type, operands[0].dims());
}

absl::StatusOr<TensorType> InferCompareType(const TensorType& lhs,
                                            const TensorType& rhs) {
  if (lhs != rhs) {
    return Invalid("compare operands differ: ", lhs.ToString(), " vs ",
                   rhs.ToString());
  }
  return TensorType(ElementType::kPred, lhs.dims());
}

absl::StatusOr<TensorType> InferSelectType(const TensorType& pred,
                                           const TensorType& on_true,
                                           const TensorType& on_false) {
  if (pred.element_type() != ElementType::kPred) {
    return Invalid("select predicate must be i1, got ", pred.ToString());
  }
  if (on_true != on_false) {
    return Invalid("select branches differ: ", on_true.ToString(), " vs ",
                   on_false.ToString());
  }
  if (pred.rank() != 0 && pred.dims() != on_true.dims()) {
    return Invalid("select predicate ", pred.ToString(),
                   " must be a scalar or match ", on_true.ToString());
  }
  return on_true;
}

absl::StatusOr<TensorType> InferClampType(const TensorType& min,
                                          const TensorType& operand,
                                          const TensorType& max) {
  for (const TensorType* b : {&min, &max}) {
    if (b->element_type() != operand.element_type() ||
        (b->rank() != 0 && b->dims() != operand.dims())) {
      return Invalid("clamp bound ", b->ToString(),
                     " must be a scalar or match ", operand.ToString());
    }
  }
  return operand;
}

absl::Status CheckBroadcastInDim(const TensorType& operand,
                                 absl::Span<const int64_t> dims,
                                 const TensorType& result) {
  if (operand.element_type() != result.element_type()) {
    return Invalid("element types differ: ", operand.ToString(), " vs ",
                   result.ToString());
  }
  if (static_cast<int64_t>(dims.size()) != operand.rank()) {
    return Invalid("broadcast_dimensions ", Dims(dims),
                   " must have one entry "
                   "per operand dimension (",
                   operand.rank(), ")");
  }
  RETURN_IF_ERROR(CheckDimList(dims, result.rank(), "broadcast_dimensions"));
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t od = operand.dim(i), rd = result.dim(dims[i]);
    if (od != 1 && od != rd) {
      return Invalid("operand dimension ", i, " (size ", od,
                     ") cannot broadcast to result dimension ", dims[i],
                     " (size ", rd, ")");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<TensorType> InferBroadcastType(const TensorType& operand,
                                              absl::Span<const int64_t> sizes) {
  std::vector<int64_t> dims(sizes.begin(), sizes.end());
  dims.insert(dims.end(), operand.dims().begin(), operand.dims().end());
  RETURN_IF_ERROR(CheckCount(dims));
  return TensorType(operand.element_type(), dims);
}

absl::Status CheckReshape(const TensorType& operand, const TensorType& result) {
  if (operand.element_type() != result.element_type()) {
    return Invalid("element types differ: ", operand.ToString(), " vs ",
                   result.ToString());
  }
  if (operand.element_count() != result.element_count()) {
    return Invalid("reshape from ", operand.ToString(), " to ",
                   result.ToString(), " changes the element count");
  }
  return absl::OkStatus();
}

absl::StatusOr<TensorType> InferTransposeType(
    const TensorType& operand, absl::Span<const int64_t> permutation) {
  if (static_cast<int64_t>(permutation.size()) != operand.rank()) {
    return Invalid("permutation ", Dims(permutation), " must have ",
                   operand.rank(), " entries");
  }
  RETURN_IF_ERROR(CheckDimList(permutation, operand.rank(), "permutation"));
  std::vector<int64_t> dims;
  for (int64_t p : permutation) dims.push_back(operand.dim(p));
  return TensorType(operand.element_type(), dims);
}

absl::StatusOr<TensorType> InferReverseType(const TensorType& operand,
                                            absl::Span<const int64_t> dims) {
  RETURN_IF_ERROR(CheckDimList(dims, operand.rank(), "dimensions"));
  return operand;
}

absl::StatusOr<TensorType> InferSliceType(const TensorType& operand,
                                          absl::Span<const int64_t> start,
                                          absl::Span<const int64_t> limit,
                                          absl::Span<const int64_t> strides) {
  size_t rank = operand.rank();
  if (start.size() != rank || limit.size() != rank || strides.size() != rank) {
    return Invalid("slice needs ", rank, " start/limit/stride entries, got ",
                   start.size(), "/", limit.size(), "/", strides.size());
  }
  std::vector<int64_t> dims;
  for (size_t i = 0; i < rank; ++i) {
    if (start[i] < 0 || start[i] > limit[i] || limit[i] > operand.dim(i) ||
        strides[i] <= 0) {
      return Invalid("slice range ", start[i], ":", limit[i], ":", strides[i],
                     " is invalid for dimension ", i, " of size ",
                     operand.dim(i));
    }
    // ceil((limit - start) / stride) without overflow for huge strides.
    const int64_t extent = limit[i] - start[i];
    dims.push_back(extent == 0 ? 0 : (extent - 1) / strides[i] + 1);
  }
  return TensorType(operand.element_type(), dims);
}

absl::StatusOr<TensorType> InferDynamicSliceType(
    const TensorType& operand, absl::Span<const TensorType> start_indices,
    absl::Span<const int64_t> slice_sizes) {
  if (static_cast<int64_t>(start_indices.size()) != operand.rank() ||
      static_cast<int64_t>(slice_sizes.size()) != operand.rank()) {
    return Invalid("dynamic_slice of a rank-", operand.rank(),
                   " operand needs that many start indices and slice sizes");
  }
  for (const TensorType& s : start_indices) {
    if (s.rank() != 0 || !IsInteger(s.element_type())) {
      return Invalid("start indices must be integer scalars, got ",
                     s.ToString());
    }
  }
  for (size_t i = 0; i < slice_sizes.size(); ++i) {
    if (slice_sizes[i] < 0 || slice_sizes[i] > operand.dim(i)) {
      return Invalid("slice size ", slice_sizes[i], " for dimension ", i,
                     " exceeds its size ", operand.dim(i));
    }
  }
  return TensorType(
      operand.element_type(),
      std::vector<int64_t>(slice_sizes.begin(), slice_sizes.end()));
}

absl::Status CheckDynamicUpdateSlice(
    const TensorType& operand, const TensorType& update,
    absl::Span<const TensorType> start_indices) {
  if (update.rank() != operand.rank() ||
      update.element_type() != operand.element_type()) {
    return Invalid("update ", update.ToString(), " does not fit operand ",
                   operand.ToString());
  }
  if (static_cast<int64_t>(start_indices.size()) != operand.rank()) {
    return Invalid("expected ", operand.rank(), " start indices, got ",
                   start_indices.size());
  }
  for (int64_t i = 0; i < operand.rank(); ++i) {
    if (update.dim(i) > operand.dim(i)) {
      return Invalid("update dimension ", i, " (", update.dim(i),
                     ") exceeds operand dimension (", operand.dim(i), ")");
    }
  }
  for (const TensorType& s : start_indices) {
    if (s.rank() != 0 || !IsInteger(s.element_type())) {
      return Invalid("start indices must be integer scalars, got ",
                     s.ToString());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<TensorType> InferConcatenateType(
    absl::Span<const TensorType> inputs, int64_t dimension) {
  if (inputs.empty()) return Invalid("concatenate needs at least one input");
  const TensorType& first = inputs[0];
  if (dimension < 0 || dimension >= first.rank()) {
    return Invalid("dimension ", dimension, " is out of range for rank ",
                   first.rank());
  }
  std::vector<int64_t> dims = first.dims();
  dims[dimension] = 0;
  for (const TensorType& t : inputs) {
    if (t.rank() != first.rank() || t.element_type() != first.element_type()) {
      return Invalid("inputs ", first.ToString(), " and ", t.ToString(),
                     " cannot be concatenated");
    }
    for (int64_t i = 0; i < t.rank(); ++i) {
      if (i != dimension && t.dim(i) != first.dim(i)) {
        return Invalid("inputs ", first.ToString(), " and ", t.ToString(),
                       " differ in dimension ", i);
      }
    }
    dims[dimension] += t.dim(dimension);
  }
  RETURN_IF_ERROR(CheckCount(dims));
  return TensorType(first.element_type(), dims);
}

absl::StatusOr<TensorType> InferPadType(const TensorType& operand,
                                        const TensorType& padding_value,
                                        absl::Span<const int64_t> low,
                                        absl::Span<const int64_t> high,
                                        absl::Span<const int64_t> interior) {
  if (padding_value.rank() != 0 ||
      padding_value.element_type() != operand.element_type()) {
    return Invalid(
        "padding value must be a scalar of the operand's element "
        "type, got ",
        padding_value.ToString());
  }
  size_t rank = operand.rank();
  if (low.size() != rank || high.size() != rank || interior.size() != rank) {
    return Invalid("pad needs ", rank, " low/high/interior entries");
  }
  std::vector<int64_t> dims;
  for (size_t i = 0; i < rank; ++i) {
    if (interior[i] < 0) return Invalid("interior padding must be >= 0");
    int64_t d = operand.dim(i);
    int64_t size = 0;
    if (__builtin_mul_overflow(std::max<int64_t>(d - 1, 0), interior[i],
                               &size) ||
        __builtin_add_overflow(size, d, &size) ||
        __builtin_add_overflow(size, low[i], &size) ||
        __builtin_add_overflow(size, high[i], &size)) {
      return Invalid("padding dimension ", i, " overflows 64-bit sizes");
    }
    if (size < 0) {
      return Invalid("padding makes dimension ", i, " negative (", size, ")");
    }
    dims.push_back(size);
  }
  RETURN_IF_ERROR(CheckCount(dims));
  return TensorType(operand.element_type(), dims);
}

absl::Status CheckIota(const TensorType& result, int64_t iota_dimension) {
  if (iota_dimension < 0 || iota_dimension >= result.rank()) {
    return Invalid("iota_dimension ", iota_dimension, " is out of range for ",
                   result.ToString());
  }
  return absl::OkStatus();
}

absl::StatusOr<TensorType> InferDotGeneralType(const TensorType& lhs,
                                               const TensorType& rhs,
                                               const DotDimensionNumbers& d,
                                               ElementType result_element) {
  if (d.lhs_batching_dimensions.size() != d.rhs_batching_dimensions.size() ||
      d.lhs_contracting_dimensions.size() !=
          d.rhs_contracting_dimensions.size()) {
    return Invalid(
        "lhs and rhs must have as many batching and contracting "
        "dimensions as each other");
  }
  std::vector<int64_t> lhs_all = d.lhs_batching_dimensions;
  lhs_all.insert(lhs_all.end(), d.lhs_contracting_dimensions.begin(),
                 d.lhs_contracting_dimensions.end());
  std::vector<int64_t> rhs_all = d.rhs_batching_dimensions;
  rhs_all.insert(rhs_all.end(), d.rhs_contracting_dimensions.begin(),
                 d.rhs_contracting_dimensions.end());
  absl::Status st = CheckDimList(lhs_all, lhs.rank(), "lhs dimensions");
  if (!st.ok()) return st;
  st = CheckDimList(rhs_all, rhs.rank(), "rhs dimensions");
  if (!st.ok()) return st;
  for (size_t i = 0; i < lhs_all.size(); ++i) {
    if (lhs.dim(lhs_all[i]) != rhs.dim(rhs_all[i])) {
      return Invalid("lhs dimension ", lhs_all[i], " (size ",
                     lhs.dim(lhs_all[i]), ") does not match rhs dimension ",
                     rhs_all[i], " (size ", rhs.dim(rhs_all[i]), ")");
    }
  }
  std::vector<int64_t> dims;
  for (int64_t b : d.lhs_batching_dimensions) dims.push_back(lhs.dim(b));
  for (int64_t i = 0; i < lhs.rank(); ++i) {
    if (!Contains(lhs_all, i)) dims.push_back(lhs.dim(i));
  }
  for (int64_t i = 0; i < rhs.rank(); ++i) {
    if (!Contains(rhs_all, i)) dims.push_back(rhs.dim(i));
  }
  st = CheckCount(dims);
  if (!st.ok()) return st;
  return TensorType(result_element, dims);
}

absl::StatusOr<TensorType> InferDotType(const TensorType& lhs,
                                        const TensorType& rhs,
                                        ElementType result_element) {
  if (lhs.rank() < 1 || lhs.rank() > 2 || rhs.rank() < 1 || rhs.rank() > 2) {
    return Invalid("dot operands must have rank 1 or 2");
  }
  DotDimensionNumbers d;
  d.lhs_contracting_dimensions = {lhs.rank() - 1};
  d.rhs_contracting_dimensions = {0};
  return InferDotGeneralType(lhs, rhs, d, result_element);
}

absl::StatusOr<TensorType> InferConvolutionType(
    const TensorType& lhs, const TensorType& rhs, const ConvDimensionNumbers& d,
    const ConvWindow& w, int64_t feature_group_count, int64_t batch_group_count,
    ElementType result_element) {
  int64_t n = static_cast<int64_t>(d.input_spatial_dimensions.size());
  if (lhs.rank() != n + 2 || rhs.rank() != n + 2 ||
      static_cast<int64_t>(d.kernel_spatial_dimensions.size()) != n ||
      static_cast<int64_t>(d.output_spatial_dimensions.size()) != n) {
    return Invalid("convolution operands must have rank ", n + 2,
                   " to match the dimension numbers");
  }
  if (feature_group_count <= 0 || batch_group_count <= 0 ||
      (feature_group_count > 1 && batch_group_count > 1)) {
    return Invalid("invalid group counts: feature_group_count ",
                   feature_group_count, ", batch_group_count ",
                   batch_group_count);
  }
  std::vector<int64_t> in_dims = {d.input_batch_dimension,
                                  d.input_feature_dimension};
  in_dims.insert(in_dims.end(), d.input_spatial_dimensions.begin(),
                 d.input_spatial_dimensions.end());
  absl::Status st = CheckDimList(in_dims, lhs.rank(), "input dimensions");
  if (!st.ok()) return st;
  std::vector<int64_t> k_dims = {d.kernel_input_feature_dimension,
                                 d.kernel_output_feature_dimension};
  k_dims.insert(k_dims.end(), d.kernel_spatial_dimensions.begin(),
                d.kernel_spatial_dimensions.end());
  st = CheckDimList(k_dims, rhs.rank(), "kernel dimensions");
  if (!st.ok()) return st;
  std::vector<int64_t> o_dims = {d.output_batch_dimension,
                                 d.output_feature_dimension};
  o_dims.insert(o_dims.end(), d.output_spatial_dimensions.begin(),
                d.output_spatial_dimensions.end());
  st = CheckDimList(o_dims, n + 2, "output dimensions");
  if (!st.ok()) return st;
  int64_t in_batch = lhs.dim(d.input_batch_dimension);
  int64_t in_feature = lhs.dim(d.input_feature_dimension);
  int64_t k_in = rhs.dim(d.kernel_input_feature_dimension);
  int64_t k_out = rhs.dim(d.kernel_output_feature_dimension);
  if (in_feature % feature_group_count != 0 ||
      in_feature / feature_group_count != k_in) {
    return Invalid("input features (", in_feature, ") / feature_group_count (",
                   feature_group_count, ") must equal kernel input features (",
                   k_in, ")");
  }
  if (in_batch % batch_group_count != 0 || k_out % batch_group_count != 0 ||
      k_out % feature_group_count != 0) {
    return Invalid(
        "batch or output-feature size is not divisible by the "
        "group count");
  }
  for (int64_t i = 0; i < n; ++i) {
    if (w.strides[i] <= 0 || w.lhs_dilation[i] <= 0 || w.rhs_dilation[i] <= 0) {
      return Invalid("window strides and dilations must be positive");
    }
  }
  std::vector<int64_t> dims(n + 2);
  dims[d.output_batch_dimension] = in_batch / batch_group_count;
  dims[d.output_feature_dimension] = k_out;
  for (int64_t i = 0; i < n; ++i) {
    ASSIGN_OR_RETURN(
        dims[d.output_spatial_dimensions[i]],
        WindowedOutputSize(lhs.dim(d.input_spatial_dimensions[i]),
                           rhs.dim(d.kernel_spatial_dimensions[i]),
                           w.strides[i], w.lhs_dilation[i], w.rhs_dilation[i],
                           w.padding[i].first, w.padding[i].second));
  }
  return TensorType(result_element, dims);
}

absl::StatusOr<std::vector<TensorType>> InferReduceTypes(
    absl::Span<const TensorType> inputs,
    absl::Span<const TensorType> init_values,
    absl::Span<const int64_t> dimensions) {
  if (inputs.empty() || inputs.size() != init_values.size()) {
    return Invalid("reduce needs matching inputs and init values, got ",
                   inputs.size(), " and ", init_values.size());
  }
  std::vector<TensorType> out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].dims() != inputs[0].dims()) {
      return Invalid("reduce inputs differ in shape: ", inputs[0].ToString(),
                     " vs ", inputs[i].ToString());
    }
    if (init_values[i].rank() != 0) {
      return Invalid("init values must be scalars, got ",
                     init_values[i].ToString());
    }
  }
  RETURN_IF_ERROR(CheckDimList(dimensions, inputs[0].rank(), "dimensions"));
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < inputs[0].rank(); ++i) {
    if (!Contains(dimensions, i)) dims.push_back(inputs[0].dim(i));
  }
  for (const TensorType& init : init_values) {
    out.emplace_back(init.element_type(), dims);
  }
  return out;
}

absl::StatusOr<std::vector<TensorType>> InferReduceWindowTypes(
    absl::Span<const TensorType> inputs,
    absl::Span<const TensorType> init_values,
    absl::Span<const int64_t> window_dimensions,
    absl::Span<const int64_t> window_strides,
    absl::Span<const int64_t> base_dilations,
    absl::Span<const int64_t> window_dilations,
    absl::Span<const std::pair<int64_t, int64_t>> padding) {
  if (inputs.empty() || inputs.size() != init_values.size()) {
    return Invalid("reduce_window needs matching inputs and init values");
  }
  size_t rank = inputs[0].rank();
  if (window_dimensions.size() != rank || window_strides.size() != rank ||
      base_dilations.size() != rank || window_dilations.size() != rank ||
      padding.size() != rank) {
    return Invalid("window attributes must have ", rank, " entries");
  }
  std::vector<int64_t> dims(rank);
  for (size_t i = 0; i < rank; ++i) {
    if (window_dimensions[i] <= 0 || window_strides[i] <= 0 ||
        base_dilations[i] <= 0 || window_dilations[i] <= 0) {
      return Invalid("window sizes, strides and dilations must be positive");
    }
    ASSIGN_OR_RETURN(dims[i],
                     WindowedOutputSize(inputs[0].dim(i), window_dimensions[i],
                                        window_strides[i], base_dilations[i],
                                        window_dilations[i], padding[i].first,
                                        padding[i].second));
  }
  std::vector<TensorType> out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].dims() != inputs[0].dims() || init_values[i].rank() != 0) {
      return Invalid(
          "reduce_window inputs must share a shape and init values "
          "must be scalars");
    }
    out.emplace_back(init_values[i].element_type(), dims);
  }
  return out;
}

absl::StatusOr<TensorType> InferGatherType(
    const TensorType& operand, const TensorType& start_indices,
    const GatherDimensionNumbers& d, absl::Span<const int64_t> slice_sizes) {
  if (static_cast<int64_t>(slice_sizes.size()) != operand.rank()) {
    return Invalid("slice_sizes ", Dims(slice_sizes), " must have ",
                   operand.rank(), " entries");
  }
  int64_t ivd = d.index_vector_dim;
  int64_t si_rank = start_indices.rank();
  if (ivd < 0 || ivd > si_rank) {
    return Invalid("index_vector_dim ", ivd, " is out of range");
  }
  int64_t index_size = ivd < si_rank ? start_indices.dim(ivd) : 1;
  if (static_cast<int64_t>(d.start_index_map.size()) != index_size) {
    return Invalid("start_index_map has ", d.start_index_map.size(),
                   " entries but the index vector has ", index_size);
  }
  absl::Status st =
      CheckDimList(d.start_index_map, operand.rank(), "start_index_map");
  if (!st.ok()) return st;
  std::vector<int64_t> removed = d.collapsed_slice_dims;
  removed.insert(removed.end(), d.operand_batching_dims.begin(),
                 d.operand_batching_dims.end());
  st = CheckDimList(removed, operand.rank(), "collapsed/batching dims");
  if (!st.ok()) return st;
  for (int64_t i = 0; i < operand.rank(); ++i) {
    if (slice_sizes[i] < 0 || slice_sizes[i] > operand.dim(i)) {
      return Invalid("slice size ", slice_sizes[i], " for dimension ", i,
                     " exceeds its size ", operand.dim(i));
    }
  }
  for (int64_t c : d.collapsed_slice_dims) {
    if (slice_sizes[c] > 1) {
      return Invalid("collapsed dimension ", c, " has slice size ",
                     slice_sizes[c], " (must be <= 1)");
    }
  }
  std::vector<int64_t> offset_sizes;
  for (int64_t i = 0; i < operand.rank(); ++i) {
    if (!Contains(removed, i)) offset_sizes.push_back(slice_sizes[i]);
  }
  if (offset_sizes.size() != d.offset_dims.size()) {
    return Invalid("offset_dims has ", d.offset_dims.size(), " entries but ",
                   offset_sizes.size(), " slice dimensions remain");
  }
  std::vector<int64_t> batch_sizes;
  for (int64_t i = 0; i < si_rank; ++i) {
    if (i != ivd) batch_sizes.push_back(start_indices.dim(i));
  }
  int64_t rank = static_cast<int64_t>(offset_sizes.size() + batch_sizes.size());
  st = CheckDimList(d.offset_dims, rank, "offset_dims");
  if (!st.ok()) return st;
  std::vector<int64_t> dims(rank);
  size_t next_batch = 0;
  for (int64_t i = 0; i < rank; ++i) {
    if (Contains(d.offset_dims, i)) {
      // Offset dims take slice sizes in increasing offset_dims order.
      int64_t pos = 0;
      for (int64_t o : d.offset_dims) pos += o < i;
      dims[i] = offset_sizes[pos];
    } else {
      dims[i] = batch_sizes[next_batch++];
    }
  }
  return TensorType(operand.element_type(), dims);
}

absl::Status CheckScatter(absl::Span<const TensorType> inputs,
                          const TensorType& scatter_indices,
                          absl::Span<const TensorType> updates,
                          const ScatterDimensionNumbers& d) {
  if (inputs.empty() || inputs.size() != updates.size()) {
    return Invalid("scatter needs as many updates as inputs, got ",
                   inputs.size(), " and ", updates.size());
  }
  int64_t ivd = d.index_vector_dim;
  int64_t si_rank = scatter_indices.rank();
  if (ivd < 0 || ivd > si_rank) {
    return Invalid("index_vector_dim ", ivd, " is out of range");
  }
  int64_t index_size = ivd < si_rank ? scatter_indices.dim(ivd) : 1;
  if (static_cast<int64_t>(d.scatter_dims_to_operand_dims.size()) !=
      index_size) {
    return Invalid("scatter_dims_to_operand_dims has ",
                   d.scatter_dims_to_operand_dims.size(),
                   " entries but the index vector has ", index_size);
  }
  int64_t expected_update_rank = static_cast<int64_t>(
      d.update_window_dims.size() + si_rank - (ivd < si_rank ? 1 : 0));
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].dims() != inputs[0].dims()) {
      return Invalid("scatter inputs differ in shape");
    }
    if (updates[i].rank() != expected_update_rank) {
      return Invalid("update ", updates[i].ToString(), " must have rank ",
                     expected_update_rank);
    }
    if (updates[i].element_type() != inputs[i].element_type()) {
      return Invalid("update element type differs from input ",
                     inputs[i].ToString());
    }
  }
  return CheckDimList(d.scatter_dims_to_operand_dims, inputs[0].rank(),
                      "scatter_dims_to_operand_dims");
}

absl::StatusOr<TensorType> InferFftType(const TensorType& operand, FftType type,
                                        absl::Span<const int64_t> length) {
  int64_t l = static_cast<int64_t>(length.size());
  if (l < 1 || l > 3 || operand.rank() < l) {
    return Invalid("fft_length must have 1 to 3 entries, at most the rank");
  }
  std::vector<int64_t> dims = operand.dims();
  ElementType et = operand.element_type();
  switch (type) {
    case FftType::kFft:
    case FftType::kIfft:
      if (!IsComplex(et)) return Invalid("FFT/IFFT need a complex operand");
      for (int64_t i = 0; i < l; ++i) {
        if (dims[dims.size() - l + i] != length[i]) {
          return Invalid("operand trailing dimensions must equal fft_length");
        }
      }
      return operand;
    case FftType::kRfft:
      if (et != ElementType::kF32 && et != ElementType::kF64) {
        return Invalid("RFFT needs an f32 or f64 operand");
      }
      for (int64_t i = 0; i < l; ++i) {
        if (dims[dims.size() - l + i] != length[i]) {
          return Invalid("operand trailing dimensions must equal fft_length");
        }
      }
      dims.back() = length.back() == 0 ? 0 : length.back() / 2 + 1;
      return TensorType(
          et == ElementType::kF32 ? ElementType::kC64 : ElementType::kC128,
          dims);
    case FftType::kIrfft: {
      if (!IsComplex(et)) return Invalid("IRFFT needs a complex operand");
      for (int64_t i = 0; i + 1 < l; ++i) {
        if (dims[dims.size() - l + i] != length[i]) {
          return Invalid("operand trailing dimensions must equal fft_length");
        }
      }
      int64_t expected_last = length.back() == 0 ? 0 : length.back() / 2 + 1;
      if (dims.back() != expected_last) {
        return Invalid(
            "IRFFT operand's last dimension must be fft_length/2+1 (",
            expected_last, ")");
      }
      dims.back() = length.back();
      return TensorType(ComplexComponentType(et), dims);
    }
  }
  return Invalid("unknown fft type");
}

absl::StatusOr<TensorType> InferBitcastConvertType(const TensorType& operand,
                                                   const TensorType& result) {
  int in_bits = ElementBitWidth(operand.element_type());
  int out_bits = ElementBitWidth(result.element_type());
  std::vector<int64_t> expected = operand.dims();
  if (in_bits == out_bits) {
    if (result.dims() != expected) {
      return Invalid("bitcast_convert between equal widths keeps the shape");
    }
  } else if (in_bits < out_bits) {
    if (expected.empty() || expected.back() * in_bits != out_bits) {
      return Invalid(
          "bitcast_convert to a wider type needs a last operand "
          "dimension of ",
          out_bits / std::max(in_bits, 1));
    }
    expected.pop_back();
    if (result.dims() != expected) {
      return Invalid("bitcast_convert result shape mismatch");
    }
  } else {
    expected.push_back(in_bits / std::max(out_bits, 1));
    if (result.dims() != expected || in_bits % out_bits != 0) {
      return Invalid(
          "bitcast_convert to a narrower type appends a dimension "
          "of ",
          in_bits / std::max(out_bits, 1));
    }
  }
  return result;
}

}  // namespace backplane::ir
