// Typed access to the attributes of common ops, tolerant of the spellings
// exporters use (e.g. `array<i64: 1, 2>` or the older
// `dense<[1, 2]> : tensor<2xi64>` for integer lists).
//
//   absl::StatusOr<DotDimensionNumbers> d = GetDotDimensionNumbers(op);
//   absl::StatusOr<std::vector<int64_t>> perm = GetI64Array(op, "permutation");
//   ConvWindow w = *GetConvWindow(op, /*spatial_rank=*/2);  // defaults filled
//
// Missing or mistyped attributes give InvalidArgumentError naming the op
// and the attribute.
#ifndef BACKPLANE_COMPILER_IR_OP_ACCESSORS_H_
#define BACKPLANE_COMPILER_IR_OP_ACCESSORS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"

namespace backplane::ir {

// An integer list attribute (dense array, 1-D dense elements, or an array
// of integer attributes).
absl::StatusOr<std::vector<int64_t>> GetI64Array(const Op& op,
                                                 absl::string_view name);
// Same, or `fallback` when the attribute is absent.
absl::StatusOr<std::vector<int64_t>> GetI64ArrayOr(
    const Op& op, absl::string_view name, std::vector<int64_t> fallback);
// A boolean list (array<i1: ...> or dense<...> : tensor<Nxi1>).
absl::StatusOr<std::vector<bool>> GetBoolArrayOr(const Op& op,
                                                 absl::string_view name,
                                                 std::vector<bool> fallback);
absl::StatusOr<int64_t> GetI64(const Op& op, absl::string_view name);
absl::StatusOr<int64_t> GetI64Or(const Op& op, absl::string_view name,
                                 int64_t fallback);
// Unit attributes and bool attributes; false when absent.
bool GetBoolOr(const Op& op, absl::string_view name, bool fallback);
absl::StatusOr<std::string> GetString(const Op& op, absl::string_view name);
// `callee` of func.call and similar symbol references (without '@').
absl::StatusOr<std::string> GetSymbol(const Op& op, absl::string_view name);

absl::StatusOr<DotDimensionNumbers> GetDotDimensionNumbers(const Op& op);
absl::StatusOr<ConvDimensionNumbers> GetConvDimensionNumbers(const Op& op);
absl::StatusOr<GatherDimensionNumbers> GetGatherDimensionNumbers(const Op& op);
absl::StatusOr<ScatterDimensionNumbers> GetScatterDimensionNumbers(
    const Op& op);
absl::StatusOr<ComparisonDirection> GetComparisonDirection(const Op& op);
// NOTYPE when absent.
absl::StatusOr<ComparisonType> GetComparisonType(const Op& op);
absl::StatusOr<FftType> GetFftType(const Op& op);
// One entry per operand; empty when the attribute is absent.
absl::StatusOr<std::vector<Precision>> GetPrecisionConfig(const Op& op);
std::optional<ChannelHandle> GetChannelHandle(const Op& op);

// Window of convolution / reduce_window style ops with the spec's defaults
// (stride 1, no padding, dilation 1, no reversal) filled for `spatial_rank`
// dimensions.
struct ConvWindow {
  std::vector<int64_t> strides;
  std::vector<std::pair<int64_t, int64_t>> padding;  // (low, high)
  std::vector<int64_t> lhs_dilation;
  std::vector<int64_t> rhs_dilation;
  std::vector<bool> reversal;
};
absl::StatusOr<ConvWindow> GetConvWindow(const Op& op, int64_t spatial_rank);
// Window of a reduce_window over a rank-`rank` operand with the spec's
// defaults (strides and dilations 1, no padding); INVALID_ARGUMENT when an
// attribute is malformed or has another length.
struct ReduceWindowAttrs {
  std::vector<int64_t> window_dimensions;
  std::vector<int64_t> window_strides;
  std::vector<int64_t> base_dilations;
  std::vector<int64_t> window_dilations;
  std::vector<std::pair<int64_t, int64_t>> padding;  // (low, high)
};
absl::StatusOr<ReduceWindowAttrs> GetReduceWindowAttrs(const Op& op,
                                                       int64_t rank);
// chlo.scan: operands are `inputs` then `inits`, results `outputs` then
// `carries` (one per init), split by `operandSegmentSizes`; the body takes
// one slice of each input (the scan dimension removed) and the carries and
// returns the output slices and the new carries.
struct ScanAttrs {
  int num_inputs = 0;
  int num_inits = 0;
  int num_outputs = 0;
  int64_t dimension = 0;
  bool reverse = false;  // is_reverse: from the last index to the first.
};
absl::StatusOr<ScanAttrs> GetScanAttrs(const Op& op);
// `padding` as (low, high) pairs, `rank` zero pairs when absent.
absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> GetPaddingPairs(
    const Op& op, absl::string_view name, int64_t rank);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_OP_ACCESSORS_H_
