// Simplifying the iteration space of strided views (fused loops, layout
// copies): a walk over `dims` in row-major order where view v reads
// element (i0, i1, ...) at sum_d i_d * strides[v][d].
//
//   std::vector<int64_t> dims = {1, 3, 17, 19}, in = {969, 1, 57, 3};
//   CollapseDims(&dims, {&in});  // dims {3, 323}, in {1, 3}
#ifndef BACKPLANE_CPU_PLUGIN_STRIDED_DIMS_H_
#define BACKPLANE_CPU_PLUGIN_STRIDED_DIMS_H_

#include <cstdint>
#include <vector>

namespace backplane::cpu {

// Drops size-1 dimensions and merges neighbours that every view walks
// contiguously, so that the innermost loop is as long as possible. An
// empty result becomes one dimension of size 1 with stride 0.
inline void CollapseDims(std::vector<int64_t>* dims,
                         const std::vector<std::vector<int64_t>*>& strides) {
  std::vector<int64_t> out_dims;
  std::vector<std::vector<int64_t>> out_strides(strides.size());
  for (size_t d = 0; d < dims->size(); ++d) {
    const int64_t size = (*dims)[d];
    if (size == 1) continue;
    bool merge = !out_dims.empty();
    for (size_t v = 0; merge && v < strides.size(); ++v) {
      merge = out_strides[v].back() == (*strides[v])[d] * size;
    }
    if (merge) {
      out_dims.back() *= size;
      for (size_t v = 0; v < strides.size(); ++v) {
        out_strides[v].back() = (*strides[v])[d];
      }
      continue;
    }
    out_dims.push_back(size);
    for (size_t v = 0; v < strides.size(); ++v) {
      out_strides[v].push_back((*strides[v])[d]);
    }
  }
  if (out_dims.empty()) {
    out_dims.push_back(1);
    for (auto& s : out_strides) s.push_back(0);
  }
  *dims = std::move(out_dims);
  for (size_t v = 0; v < strides.size(); ++v) {
    *strides[v] = std::move(out_strides[v]);
  }
}

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_STRIDED_DIMS_H_
