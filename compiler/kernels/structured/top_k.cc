#include "compiler/kernels/structured/top_k.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/body_ops.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {

absl::StatusOr<TopKResult> TopK(const ir::Literal& operand, int64_t k) {
  constexpr absl::string_view kOp = "top_k";
  const int64_t rank = operand.type().rank();
  if (rank < 1) return OpError(kOp, "operand must have rank >= 1");
  const int64_t n = operand.dims()[rank - 1];
  if (k < 0 || k > n) {
    return OpError(kOp, "k = ", k, " must be in [0, ", n, "]");
  }
  if (n > INT32_MAX) {
    return OpError(kOp, "last dimension ", n, " does not fit i32 indices");
  }
  if (ir::IsComplex(operand.element_type())) {
    return OpError(kOp, "complex operands have no order");
  }
  std::vector<int64_t> dims = operand.dims();
  dims[rank - 1] = k;
  TopKResult result{ir::Literal(ir::TensorType(operand.element_type(), dims)),
                    ir::Literal(ir::TensorType(ir::ElementType::kS32, dims))};
  const int64_t rows = n == 0 ? 0 : operand.element_count() / n;
  RETURN_IF_ERROR(
      DispatchArithmetic(operand.element_type(), [&](auto t) -> absl::Status {
        using T = decltype(t);
        using Storage = typename T::Storage;
        const Storage* in = operand.data<Storage>().data();
        Storage* values = result.values.template data<Storage>().data();
        int32_t* indices = result.indices.template data<int32_t>().data();
        std::vector<int64_t> order(static_cast<size_t>(n));
        for (int64_t r = 0; r < rows; ++r) {
          const Storage* row = in + r * n;
          std::iota(order.begin(), order.end(), 0);
          // A strict weak order: greater by TOTALORDER, then lower index.
          std::partial_sort(order.begin(), order.begin() + k, order.end(),
                            [&](int64_t a, int64_t b) {
                              const auto va = T::Load(row[a]),
                                         vb = T::Load(row[b]);
                              if (TypedLess<T>(vb, va, true)) return true;
                              if (TypedLess<T>(va, vb, true)) return false;
                              return a < b;
                            });
          for (int64_t j = 0; j < k; ++j) {
            values[r * k + j] = row[order[j]];
            indices[r * k + j] = static_cast<int32_t>(order[j]);
          }
        }
        return absl::OkStatus();
      }));
  return result;
}

}  // namespace backplane::kernels::structured
