#include "compiler/kernels/structured/sort.h"

#include <cstring>
#include <numeric>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/body_ops.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {

absl::StatusOr<std::vector<ir::Literal>> Sort(
    absl::Span<const ir::Literal* const> inputs, int64_t dimension,
    bool is_stable, const Comparator& comparator) {
  constexpr absl::string_view kOp = "sort";
  if (inputs.empty()) return OpError(kOp, "needs at least one input");
  const std::vector<int64_t>& dims = inputs[0]->dims();
  const int64_t rank = static_cast<int64_t>(dims.size());
  for (size_t i = 1; i < inputs.size(); ++i) {
    if (inputs[i]->dims() != dims) {
      return OpError(kOp, "input ", i, " ", inputs[i]->type().ToString(),
                     " has a different shape than input 0 ",
                     inputs[0]->type().ToString());
    }
  }
  if (dimension < -rank || dimension >= std::max<int64_t>(rank, 1)) {
    return OpError(kOp, "dimension ", dimension, " is outside [", -rank, ", ",
                   rank, ")");
  }
  if (dimension < 0) dimension += rank;
  std::vector<ir::Literal> results;
  for (const ir::Literal* in : inputs) results.push_back(*in);
  if (rank == 0 || inputs[0]->element_count() == 0) return results;

  const int64_t n = dims[dimension];
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < dimension; ++d) outer *= dims[d];
  for (int64_t d = dimension + 1; d < rank; ++d) inner *= dims[d];

  std::vector<int64_t> perm(static_cast<size_t>(n));
  std::vector<int> sizes;
  std::vector<ir::ElementType> types;
  for (const ir::Literal* in : inputs) {
    types.push_back(in->element_type());
    sizes.push_back(ir::ElementByteSize(in->element_type()));
  }
  std::vector<ir::Literal> args;
  for (ir::ElementType t : types) {
    args.emplace_back(ir::TensorType(t, {}));
    args.emplace_back(ir::TensorType(t, {}));
  }
  absl::Status status = absl::OkStatus();
  const bool fast = comparator.kind != CompareKind::kGeneric;
  const CompareKind strict_kind =
      comparator.kind == CompareKind::kLessEqual      ? CompareKind::kLess
      : comparator.kind == CompareKind::kGreaterEqual ? CompareKind::kGreater
                                                      : comparator.kind;

  for (int64_t o = 0; o < outer && status.ok(); ++o) {
    for (int64_t k = 0; k < inner && status.ok(); ++k) {
      const int64_t base = o * n * inner + k;
      std::iota(perm.begin(), perm.end(), 0);
      if (fast) {
        status = DispatchArithmetic(types[0], [&](auto t) -> absl::Status {
          using T = decltype(t);
          using Storage = typename T::Storage;
          using Acc = typename T::Acc;
          const Storage* in = inputs[0]->data<Storage>().data();
          std::vector<Acc> keys(static_cast<size_t>(n));
          for (int64_t i = 0; i < n; ++i) {
            keys[i] = T::Load(in[base + i * inner]);
          }
          const bool total = comparator.total_order;
          StableMergeSort(perm, [&](int64_t a, int64_t b) {
            return TypedCompare<T>(strict_kind, keys[a], keys[b], total);
          });
          return absl::OkStatus();
        });
      } else {
        if (!comparator.fn) {
          return OpError(kOp, "comparator has no callback and no fast path");
        }
        StableMergeSort(perm, [&](int64_t a, int64_t b) {
          if (!status.ok()) return false;
          for (size_t i = 0; i < inputs.size(); ++i) {
            std::memcpy(
                args[2 * i].untyped_data(),
                inputs[i]->untyped_data() + (base + a * inner) * sizes[i],
                sizes[i]);
            std::memcpy(
                args[2 * i + 1].untyped_data(),
                inputs[i]->untyped_data() + (base + b * inner) * sizes[i],
                sizes[i]);
          }
          absl::StatusOr<bool> r = comparator.fn(args);
          if (!r.ok()) {
            status = r.status();
            return false;
          }
          return *r;
        });
      }
      if (!status.ok()) break;
      for (size_t i = 0; i < inputs.size(); ++i) {
        const uint8_t* src = inputs[i]->untyped_data();
        uint8_t* dst = results[i].untyped_data();
        for (int64_t j = 0; j < n; ++j) {
          std::memcpy(dst + (base + j * inner) * sizes[i],
                      src + (base + perm[j] * inner) * sizes[i], sizes[i]);
        }
      }
    }
  }
  (void)is_stable;  // Merge sort is always stable.
  RETURN_IF_ERROR(status);
  return results;
}

}  // namespace backplane::kernels::structured
