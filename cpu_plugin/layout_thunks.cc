#include "cpu_plugin/layout_thunks.h"

#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compiler/ir/op_accessors.h"

namespace backplane::cpu {
namespace {

// Copies out[i0..in] = in[sum_k i_k * stride_k] for `dims`, innermost loop
// specialised on the element size.
template <typename T>
void StridedCopy(const T* in, T* out, const std::vector<int64_t>& dims,
                 const std::vector<int64_t>& strides, size_t d) {
  const int64_t n = dims[d];
  const int64_t s = strides[d];
  if (d + 1 == dims.size()) {
    if (s == 1) {
      std::memcpy(out, in, sizeof(T) * static_cast<size_t>(n));
    } else if (s == 0) {
      const T v = *in;
      for (int64_t i = 0; i < n; ++i) out[i] = v;
    } else {
      for (int64_t i = 0; i < n; ++i) out[i] = in[i * s];
    }
    return;
  }
  int64_t inner = 1;
  for (size_t k = d + 1; k < dims.size(); ++k) inner *= dims[k];
  for (int64_t i = 0; i < n; ++i) {
    StridedCopy(in + i * s, out + i * inner, dims, strides, d + 1);
  }
}

struct Bytes16 {
  uint64_t lo, hi;
};

class LayoutThunk : public Thunk {
 public:
  LayoutThunk(std::string kind, int element_bytes, std::vector<int64_t> dims,
              std::vector<int64_t> strides, BufferRef input, BufferRef output)
      : kind_(std::move(kind)),
        element_bytes_(element_bytes),
        dims_(std::move(dims)),
        strides_(std::move(strides)),
        input_(std::move(input)),
        output_(std::move(output)) {}

  absl::Status Run(const RunContext& ctx) const override {
    const uint8_t* in = ctx.buffers[input_.slot];
    uint8_t* out = ctx.buffers[output_.slot];
    if (output_.type.element_count() == 0) return absl::OkStatus();
    switch (element_bytes_) {
      case 1:
        StridedCopy(in, out, dims_, strides_, 0);
        break;
      case 2:
        StridedCopy(reinterpret_cast<const uint16_t*>(in),
                    reinterpret_cast<uint16_t*>(out), dims_, strides_, 0);
        break;
      case 4:
        StridedCopy(reinterpret_cast<const uint32_t*>(in),
                    reinterpret_cast<uint32_t*>(out), dims_, strides_, 0);
        break;
      case 8:
        StridedCopy(reinterpret_cast<const uint64_t*>(in),
                    reinterpret_cast<uint64_t*>(out), dims_, strides_, 0);
        break;
      default:
        StridedCopy(reinterpret_cast<const Bytes16*>(in),
                    reinterpret_cast<Bytes16*>(out), dims_, strides_, 0);
        break;
    }
    return absl::OkStatus();
  }
  std::string kind() const override { return kind_; }

 private:
  std::string kind_;
  int element_bytes_;
  std::vector<int64_t> dims_;
  std::vector<int64_t> strides_;
  BufferRef input_, output_;
};

}  // namespace

std::optional<std::unique_ptr<Thunk>> MakeLayoutThunk(const ir::Op& op,
                                                      const BufferRef& input,
                                                      const BufferRef& output) {
  const int64_t bytes = ir::ElementByteSize(input.type.element_type());
  if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8 && bytes != 16) {
    return std::nullopt;
  }
  if (input.type.element_type() != output.type.element_type()) {
    return std::nullopt;
  }
  const std::vector<int64_t>& in_dims = input.type.dims();
  std::vector<int64_t> in_strides(in_dims.size(), 1);
  for (int i = static_cast<int>(in_dims.size()) - 2; i >= 0; --i) {
    in_strides[i] = in_strides[i + 1] * in_dims[i + 1];
  }
  std::vector<int64_t> dims = output.type.dims();
  std::vector<int64_t> strides(dims.size(), 0);
  std::string kind;
  if (op.code() == ir::OpCode::kTranspose) {
    auto perm = ir::GetI64Array(op, "permutation");
    if (!perm.ok() || perm->size() != dims.size()) return std::nullopt;
    for (size_t i = 0; i < dims.size(); ++i) {
      const int64_t p = (*perm)[i];
      if (p < 0 || p >= static_cast<int64_t>(in_dims.size()) ||
          in_dims[p] != dims[i]) {
        return std::nullopt;
      }
      strides[i] = in_strides[p];
    }
    kind = "transpose";
  } else if (op.code() == ir::OpCode::kBroadcastInDim) {
    auto map = ir::GetI64Array(op, "broadcast_dimensions");
    if (!map.ok() || map->size() != in_dims.size()) return std::nullopt;
    for (size_t i = 0; i < map->size(); ++i) {
      const int64_t d = (*map)[i];
      if (d < 0 || d >= static_cast<int64_t>(dims.size())) return std::nullopt;
      if (in_dims[i] == dims[d]) {
        strides[d] = in_strides[i];
      } else if (in_dims[i] != 1) {
        return std::nullopt;
      }
    }
    kind = "broadcast_in_dim";
  } else {
    return std::nullopt;
  }
  if (dims.empty()) {  // Scalars: a one-element copy.
    dims = {1};
    strides = {0};
  }
  return std::unique_ptr<Thunk>(
      new LayoutThunk(std::move(kind), static_cast<int>(bytes), std::move(dims),
                      std::move(strides), input, output));
}

}  // namespace backplane::cpu
