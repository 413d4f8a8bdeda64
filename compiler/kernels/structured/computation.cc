#include "compiler/kernels/structured/computation.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace backplane::kernels::structured {

ScalarCaller::ScalarCaller(const ScalarFn& fn,
                           absl::Span<const ir::ElementType> types)
    : fn_(fn), types_(types.begin(), types.end()) {
  const size_t n = types_.size();
  args_.reserve(2 * n);
  for (int side = 0; side < 2; ++side) {
    for (size_t i = 0; i < n; ++i) {
      args_.emplace_back(ir::TensorType(types_[i], {}));
    }
  }
}

absl::Status ScalarCaller::Call() {
  if (!fn_) {
    return absl::InvalidArgumentError(
        "body computation has no callback and no recognised fast path");
  }
  ASSIGN_OR_RETURN(std::vector<ir::Literal> results, fn_(args_));
  const size_t n = types_.size();
  if (results.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat(
        "body computation returned ", results.size(), " values, expected ", n));
  }
  for (size_t i = 0; i < n; ++i) {
    const ir::Literal& r = results[i];
    if (r.element_type() != types_[i] || r.element_count() != 1 ||
        !r.dims().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "body computation result ", i, " has type ", r.type().ToString(),
          ", expected tensor<", ir::ElementTypeToMlir(types_[i]), ">"));
    }
    std::memcpy(args_[i].untyped_data(), r.untyped_data(),
                ir::ElementByteSize(types_[i]));
  }
  return absl::OkStatus();
}

}  // namespace backplane::kernels::structured
