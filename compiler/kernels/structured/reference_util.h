// Test-only helpers for comparing kernels against naive reference loops:
// random Literals and multi-index iteration.
//
//   ir::Literal x = RandomLiteral(ir::ElementType::kF32, {4, 5}, /*seed=*/1);
//   ForEachIndex({2, 3}, [&](absl::Span<const int64_t> idx) { ... });
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_REFERENCE_UTIL_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_REFERENCE_UTIL_H_

#include <complex>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "absl/types/span.h"
#include "compiler/ir/float16.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

// Small integers (exact in every type) for ints; uniform [-1, 1) for floats.
inline ir::Literal RandomLiteral(ir::ElementType type,
                                 std::vector<int64_t> dims, uint32_t seed) {
  ir::Literal lit(ir::TensorType(type, std::move(dims)));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int> small(-8, 7);
  const int64_t n = lit.element_count();
  using ir::ElementType;
  for (int64_t i = 0; i < n; ++i) {
    switch (type) {
      case ElementType::kF32:
        lit.data<float>()[i] = real(rng);
        break;
      case ElementType::kF64:
        lit.data<double>()[i] = real(rng);
        break;
      case ElementType::kBF16:
        lit.data<uint16_t>()[i] = ir::FloatToBF16(real(rng));
        break;
      case ElementType::kF16:
        lit.data<uint16_t>()[i] = ir::FloatToHalf(real(rng));
        break;
      case ElementType::kC64:
        lit.data<std::complex<float>>()[i] = {real(rng), real(rng)};
        break;
      case ElementType::kC128:
        lit.data<std::complex<double>>()[i] = {real(rng), real(rng)};
        break;
      case ElementType::kS32:
        lit.data<int32_t>()[i] = small(rng);
        break;
      case ElementType::kS64:
        lit.data<int64_t>()[i] = small(rng);
        break;
      case ElementType::kS8:
        lit.data<int8_t>()[i] = static_cast<int8_t>(small(rng));
        break;
      case ElementType::kPred:
        lit.data<uint8_t>()[i] = small(rng) > 0;
        break;
      default:
        break;
    }
  }
  return lit;
}

// Calls fn(index) for every index of `dims` in row-major order.
inline void ForEachIndex(
    absl::Span<const int64_t> dims,
    const std::function<void(absl::Span<const int64_t>)>& fn) {
  for (int64_t d : dims) {
    if (d == 0) return;
  }
  std::vector<int64_t> idx(dims.size(), 0);
  while (true) {
    fn(idx);
    int64_t k = static_cast<int64_t>(dims.size()) - 1;
    for (; k >= 0; --k) {
      if (++idx[k] < dims[k]) break;
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

inline int64_t LinearIndex(absl::Span<const int64_t> dims,
                           absl::Span<const int64_t> idx) {
  int64_t li = 0;
  for (size_t i = 0; i < dims.size(); ++i) li = li * dims[i] + idx[i];
  return li;
}

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_REFERENCE_UTIL_H_
