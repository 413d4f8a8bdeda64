#include "compiler/interpreter/operand_values.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "base/status_macros.h"
#include "compiler/kernels/elementwise/convert.h"

namespace backplane::interpreter {

absl::StatusOr<int64_t> ScalarInt(const ir::Literal& x) {
  if (x.element_count() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a scalar index, got ", x.type().ToString()));
  }
  if (!ir::IsInteger(x.element_type()) && !ir::IsPred(x.element_type())) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected an integer scalar, got ", x.type().ToString()));
  }
  if (ir::IsUnsignedInteger(x.element_type()) &&
      x.element_type() == ir::ElementType::kU64) {
    return static_cast<int64_t>(std::min<uint64_t>(
        static_cast<uint64_t>(x.GetAsInt64(0)), uint64_t{1} << 62));
  }
  return x.GetAsInt64(0);
}

absl::StatusOr<std::vector<int64_t>> ScalarInts(
    const std::vector<ValueRef>& operands, size_t begin, size_t end) {
  std::vector<int64_t> out;
  for (size_t i = begin; i < end; ++i) {
    ASSIGN_OR_RETURN(int64_t v, ScalarInt(operands[i]->tensor()));
    out.push_back(v);
  }
  return out;
}

absl::StatusOr<std::vector<int64_t>> ToInt64Vector(const ir::Literal& x) {
  if (!ir::IsInteger(x.element_type())) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected an integer tensor, got ", x.type().ToString()));
  }
  ASSIGN_OR_RETURN(ir::Literal wide,
                   kernels::elementwise::Convert(x, ir::ElementType::kS64));
  absl::Span<const int64_t> data = wide.data<int64_t>();
  return std::vector<int64_t>(data.begin(), data.end());
}

absl::StatusOr<ir::Literal> ConvertedTo(const ir::Literal& x,
                                        ir::ElementType type) {
  if (x.element_type() == type) return x;
  return kernels::elementwise::Convert(x, type);
}

}  // namespace backplane::interpreter
