// stablehlo.sort: sorts N operands of one shape together along
// `dimension`, ordered by a comparator (computation.h).
//
//   Comparator less;
//   less.kind = CompareKind::kLess;  // On operand 0; `fn` is the fallback.
//   auto sorted = Sort({&keys, &values}, /*dimension=*/0,
//                      /*is_stable=*/true, less);
//
// Always a stable merge sort, so `is_stable` is honoured trivially and a
// comparator that is not a strict weak order (e.g. IEEE `<` with NaNs) can
// never make the sort misbehave, only produce an order the spec leaves
// unspecified. LE / GE fast paths sort like LT / GT.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_SORT_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_SORT_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::kernels::structured {

absl::StatusOr<std::vector<ir::Literal>> Sort(
    absl::Span<const ir::Literal* const> inputs, int64_t dimension,
    bool is_stable, const Comparator& comparator);

// Stable merge sort of `perm` by `less`, where less(a, b) compares the
// elements perm refers to. Safe for any `less`.
template <typename Less>
void StableMergeSort(std::vector<int64_t>& perm, Less&& less) {
  const size_t n = perm.size();
  std::vector<int64_t> tmp(n);
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      const size_t mid = std::min(lo + width, n);
      const size_t hi = std::min(lo + 2 * width, n);
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        // Take from the right only when strictly less: keeps stability.
        if (less(perm[j], perm[i])) {
          tmp[k++] = perm[j++];
        } else {
          tmp[k++] = perm[i++];
        }
      }
      while (i < mid) tmp[k++] = perm[i++];
      while (j < hi) tmp[k++] = perm[j++];
    }
    perm.swap(tmp);
  }
}

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_SORT_H_
