#include "compiler/kernels/structured/strided_copy.h"

#include <cstring>
#include <vector>

#include "absl/container/inlined_vector.h"

namespace backplane::kernels::structured {
namespace {

template <typename Word>
void CopyRow(int64_t n, const uint8_t* src, int64_t src_stride, uint8_t* dst,
             int64_t dst_stride) {
  const Word* s = reinterpret_cast<const Word*>(src);
  Word* d = reinterpret_cast<Word*>(dst);
  if (dst_stride == 1 && src_stride == 0) {
    const Word v = *s;
    for (int64_t i = 0; i < n; ++i) d[i] = v;
    return;
  }
  if (dst_stride == 1) {
    for (int64_t i = 0; i < n; ++i) d[i] = s[i * src_stride];
    return;
  }
  for (int64_t i = 0; i < n; ++i) d[i * dst_stride] = s[i * src_stride];
}

struct Bytes16 {
  uint64_t lo, hi;
};

void CopyRowAnySize(int element_size, int64_t n, const uint8_t* src,
                    int64_t src_stride, uint8_t* dst, int64_t dst_stride) {
  if (src_stride == 1 && dst_stride == 1) {
    std::memcpy(dst, src, static_cast<size_t>(n * element_size));
    return;
  }
  switch (element_size) {
    case 1:
      return CopyRow<uint8_t>(n, src, src_stride, dst, dst_stride);
    case 2:
      return CopyRow<uint16_t>(n, src, src_stride, dst, dst_stride);
    case 4:
      return CopyRow<uint32_t>(n, src, src_stride, dst, dst_stride);
    case 8:
      return CopyRow<uint64_t>(n, src, src_stride, dst, dst_stride);
    case 16:
      return CopyRow<Bytes16>(n, src, src_stride, dst, dst_stride);
    default:
      for (int64_t i = 0; i < n; ++i) {
        std::memcpy(dst + i * dst_stride * element_size,
                    src + i * src_stride * element_size, element_size);
      }
  }
}

// A 2-D tile transpose keeps both sides in cache when the destination is
// contiguous along the dimension that is strided in the source.
template <typename Word>
void CopyTile2D(int64_t rows, int64_t cols, const uint8_t* src,
                int64_t src_row_stride, int64_t src_col_stride, uint8_t* dst,
                int64_t dst_row_stride, int64_t dst_col_stride) {
  constexpr int64_t kTile = 32;
  const Word* s = reinterpret_cast<const Word*>(src);
  Word* d = reinterpret_cast<Word*>(dst);
  for (int64_t r0 = 0; r0 < rows; r0 += kTile) {
    const int64_t r1 = r0 + kTile < rows ? r0 + kTile : rows;
    for (int64_t c0 = 0; c0 < cols; c0 += kTile) {
      const int64_t c1 = c0 + kTile < cols ? c0 + kTile : cols;
      for (int64_t r = r0; r < r1; ++r) {
        for (int64_t c = c0; c < c1; ++c) {
          d[r * dst_row_stride + c * dst_col_stride] =
              s[r * src_row_stride + c * src_col_stride];
        }
      }
    }
  }
}

}  // namespace

void StridedCopy(int element_size, absl::Span<const int64_t> dims,
                 const uint8_t* src, absl::Span<const int64_t> src_strides,
                 uint8_t* dst, absl::Span<const int64_t> dst_strides) {
  // Drop unit dimensions and merge dimensions that are contiguous on both
  // sides; this turns most reshapes, slices and broadcasts into a few long
  // rows.
  // Inline storage: gather calls this once per index vector, so it must
  // not allocate for ordinary ranks.
  absl::InlinedVector<int64_t, 8> d, ss, ds;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == 0) return;
    if (dims[i] == 1) continue;
    if (!d.empty() && ss.back() == src_strides[i] * dims[i] &&
        ds.back() == dst_strides[i] * dims[i]) {
      d.back() *= dims[i];
      ss.back() = src_strides[i];
      ds.back() = dst_strides[i];
      continue;
    }
    d.push_back(dims[i]);
    ss.push_back(src_strides[i]);
    ds.push_back(dst_strides[i]);
  }
  if (d.empty()) {
    std::memcpy(dst, src, element_size);
    return;
  }
  const int rank = static_cast<int>(d.size());
  const int64_t es = element_size;

  // Transpose-like inner pair: tile it.
  if (rank >= 2 && ds[rank - 1] == 1 && ss[rank - 1] != 1 &&
      ss[rank - 2] == 1 && d[rank - 1] >= 8 && d[rank - 2] >= 8 &&
      (element_size == 4 || element_size == 8 || element_size == 2 ||
       element_size == 1)) {
    const int outer_rank = rank - 2;
    absl::InlinedVector<int64_t, 8> idx(outer_rank, 0);
    const uint8_t* s = src;
    uint8_t* t = dst;
    while (true) {
      switch (element_size) {
        case 1:
          CopyTile2D<uint8_t>(d[rank - 2], d[rank - 1], s, ss[rank - 2],
                              ss[rank - 1], t, ds[rank - 2], ds[rank - 1]);
          break;
        case 2:
          CopyTile2D<uint16_t>(d[rank - 2], d[rank - 1], s, ss[rank - 2],
                               ss[rank - 1], t, ds[rank - 2], ds[rank - 1]);
          break;
        case 4:
          CopyTile2D<uint32_t>(d[rank - 2], d[rank - 1], s, ss[rank - 2],
                               ss[rank - 1], t, ds[rank - 2], ds[rank - 1]);
          break;
        default:
          CopyTile2D<uint64_t>(d[rank - 2], d[rank - 1], s, ss[rank - 2],
                               ss[rank - 1], t, ds[rank - 2], ds[rank - 1]);
      }
      int k = outer_rank - 1;
      for (; k >= 0; --k) {
        s += ss[k] * es;
        t += ds[k] * es;
        if (++idx[k] < d[k]) break;
        s -= ss[k] * d[k] * es;
        t -= ds[k] * d[k] * es;
        idx[k] = 0;
      }
      if (k < 0) return;
    }
  }

  const int outer_rank = rank - 1;
  absl::InlinedVector<int64_t, 8> idx(outer_rank, 0);
  const uint8_t* s = src;
  uint8_t* t = dst;
  const int64_t n = d[rank - 1];
  while (true) {
    CopyRowAnySize(element_size, n, s, ss[rank - 1], t, ds[rank - 1]);
    int k = outer_rank - 1;
    for (; k >= 0; --k) {
      s += ss[k] * es;
      t += ds[k] * es;
      if (++idx[k] < d[k]) break;
      s -= ss[k] * d[k] * es;
      t -= ds[k] * d[k] * es;
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

void FillElements(int element_size, const uint8_t* value, int64_t count,
                  uint8_t* dst) {
  if (count <= 0) return;
  const int64_t zero_stride = 0;
  const int64_t one_stride = 1;
  StridedCopy(element_size, absl::MakeConstSpan(&count, 1), value,
              absl::MakeConstSpan(&zero_stride, 1), dst,
              absl::MakeConstSpan(&one_stride, 1));
}

}  // namespace backplane::kernels::structured
