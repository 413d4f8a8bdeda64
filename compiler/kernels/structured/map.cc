#include "compiler/kernels/structured/map.h"

#include <cstring>
#include <vector>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/body_ops.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {

absl::StatusOr<ir::Literal> Map(absl::Span<const ir::Literal* const> inputs,
                                absl::Span<const int64_t> dimensions,
                                const ScalarComputation& computation,
                                ir::ElementType result_type) {
  constexpr absl::string_view kOp = "map";
  if (inputs.empty()) return OpError(kOp, "needs at least one input");
  const std::vector<int64_t>& dims = inputs[0]->dims();
  for (size_t i = 1; i < inputs.size(); ++i) {
    if (inputs[i]->dims() != dims) {
      return OpError(kOp, "input ", i, " ", inputs[i]->type().ToString(),
                     " has a different shape than input 0 ",
                     inputs[0]->type().ToString());
    }
  }
  if (dimensions.size() != dims.size()) {
    return OpError(kOp, "dimensions ", DimsToString(dimensions),
                   " must list every operand dimension in order");
  }
  for (size_t i = 0; i < dimensions.size(); ++i) {
    if (dimensions[i] != static_cast<int64_t>(i)) {
      return OpError(kOp, "dimensions ", DimsToString(dimensions),
                     " must be [0, ..., rank - 1]");
    }
  }
  ir::Literal result(ir::TensorType(result_type, dims));
  const int64_t n = result.element_count();

  bool fast = computation.kind != BodyKind::kGeneric && inputs.size() == 2 &&
              inputs[0]->element_type() == result_type &&
              inputs[1]->element_type() == result_type;
  if (fast) {
    absl::StatusOr<bool> ok =
        DispatchArithmetic(result_type, [&](auto t) -> absl::StatusOr<bool> {
          return SupportsBodyKind<decltype(t)>(computation.kind);
        });
    fast = ok.ok() && *ok;
  }
  if (fast) {
    RETURN_IF_ERROR(
        DispatchArithmetic(result_type, [&](auto t) -> absl::Status {
          using T = decltype(t);
          using Storage = typename T::Storage;
          DispatchBodyKind(computation.kind, [&](auto kind) {
            constexpr BodyKind kKind = decltype(kind)::value;
            if constexpr (SupportsBodyKind<T>(kKind)) {
              const Storage* a = inputs[0]->data<Storage>().data();
              const Storage* b = inputs[1]->data<Storage>().data();
              Storage* out = result.data<Storage>().data();
              for (int64_t i = 0; i < n; ++i) {
                out[i] =
                    T::Store(ApplyBody<T, kKind>(T::Load(a[i]), T::Load(b[i])));
              }
            }
          });
          return absl::OkStatus();
        }));
    return result;
  }

  if (!computation.fn) {
    return OpError(kOp, "computation has no callback and no fast path");
  }
  std::vector<ir::Literal> args;
  std::vector<int> sizes;
  for (const ir::Literal* in : inputs) {
    args.emplace_back(ir::TensorType(in->element_type(), {}));
    sizes.push_back(ir::ElementByteSize(in->element_type()));
  }
  const int out_size = ir::ElementByteSize(result_type);
  for (int64_t e = 0; e < n; ++e) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::memcpy(args[i].untyped_data(),
                  inputs[i]->untyped_data() + e * sizes[i], sizes[i]);
    }
    ASSIGN_OR_RETURN(std::vector<ir::Literal> r, computation.fn(args));
    if (r.size() != 1 || r[0].element_type() != result_type ||
        !r[0].dims().empty()) {
      return OpError(kOp, "computation must return one tensor<",
                     ir::ElementTypeToMlir(result_type), ">");
    }
    std::memcpy(result.untyped_data() + e * out_size, r[0].untyped_data(),
                out_size);
  }
  return result;
}

}  // namespace backplane::kernels::structured
