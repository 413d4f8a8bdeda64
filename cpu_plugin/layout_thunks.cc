#include "cpu_plugin/layout_thunks.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compiler/ir/literal.h"
#include "compiler/ir/op_accessors.h"
#include "cpu_plugin/parallel.h"
#include "cpu_plugin/strided_dims.h"

namespace backplane::cpu {
namespace {

// The copy out[i] = in[sum_k i_k * stride_k] over `dims`, simplified at
// compile time: unit dimensions dropped and neighbouring dimensions that
// stay contiguous in the source merged, so NCHW<->NHWC becomes a 2-D
// transpose. When the innermost output dimension is strided in the source
// but another dimension is contiguous there (`tile_dim`), the copy runs in
// square tiles so both sides touch whole cache lines.
struct CopyPlan {
  std::vector<int64_t> dims;
  std::vector<int64_t> in_strides;
  std::vector<int64_t> out_strides;  // Row-major over `dims`.
  int tile_dim = -1;
};

CopyPlan PlanCopy(std::vector<int64_t> dims, std::vector<int64_t> strides) {
  CopyPlan plan;
  CollapseDims(&dims, {&strides});
  plan.dims = std::move(dims);
  plan.in_strides = std::move(strides);
  plan.out_strides = ir::RowMajorStrides(plan.dims);
  const size_t last = plan.dims.size() - 1;
  if (plan.in_strides[last] > 1) {
    for (size_t d = 0; d < last; ++d) {
      if (plan.in_strides[d] == 1) plan.tile_dim = static_cast<int>(d);
    }
  }
  return plan;
}

template <typename T>
void CopyRow(const T* in, T* out, int64_t n, int64_t stride) {
  if (stride == 1) {
    std::memcpy(out, in, sizeof(T) * static_cast<size_t>(n));
  } else if (stride == 0) {
    const T v = *in;
    for (int64_t i = 0; i < n; ++i) out[i] = v;
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = in[i * stride];
  }
}

// out[i * out_row + j] = in[i + j * in_col] for i < rows, j < cols.
template <typename T>
void CopyTiled(const T* in, T* out, int64_t rows, int64_t cols, int64_t out_row,
               int64_t in_col) {
  constexpr int64_t kTile = 16;
  for (int64_t i0 = 0; i0 < rows; i0 += kTile) {
    const int64_t i1 = std::min(rows, i0 + kTile);
    for (int64_t j0 = 0; j0 < cols; j0 += kTile) {
      const int64_t j1 = std::min(cols, j0 + kTile);
      for (int64_t i = i0; i < i1; ++i) {
        for (int64_t j = j0; j < j1; ++j) {
          out[i * out_row + j] = in[i + j * in_col];
        }
      }
    }
  }
}

// Copies at least this many elements split over the OpenMP threads.
constexpr int64_t kParallelElements = int64_t{1} << 16;
// Rows of a tiled copy per unit of work.
constexpr int64_t kRowsPerUnit = 256;

template <typename T>
void RunCopy(const CopyPlan& plan, const T* in, T* out) {
  const size_t rank = plan.dims.size();
  const size_t last = rank - 1;
  // Dimensions walked outside the inner kernel.
  std::vector<size_t> outer;
  int64_t outer_count = 1;
  for (size_t d = 0; d < last; ++d) {
    if (static_cast<int>(d) != plan.tile_dim) {
      outer.push_back(d);
      outer_count *= plan.dims[d];
    }
  }
  // Units of work: one outer index each, and for a tiled copy a block of
  // its rows; independent, so the threads take contiguous ranges.
  const int64_t rows = plan.tile_dim >= 0 ? plan.dims[plan.tile_dim] : 1;
  const int64_t row_blocks =
      plan.tile_dim >= 0 ? (rows + kRowsPerUnit - 1) / kRowsPerUnit : 1;
  const int64_t units = outer_count * row_blocks;
  int64_t elements = 1;
  for (int64_t d : plan.dims) elements *= d;
  const bool parallel =
      elements >= kParallelElements && units > 1 && MaxWorkerThreads() > 1;
  auto run_units = [&](int64_t begin, int64_t end) {
    for (int64_t unit = begin; unit < end; ++unit) {
      int64_t rest = unit / row_blocks;
      int64_t in_off = 0, out_off = 0;
      for (size_t k = outer.size(); k-- > 0;) {
        const int64_t i = rest % plan.dims[outer[k]];
        rest /= plan.dims[outer[k]];
        in_off += i * plan.in_strides[outer[k]];
        out_off += i * plan.out_strides[outer[k]];
      }
      if (plan.tile_dim >= 0) {
        const int64_t first = (unit % row_blocks) * kRowsPerUnit;
        const int64_t count = std::min(kRowsPerUnit, rows - first);
        const int64_t out_row = plan.out_strides[plan.tile_dim];
        CopyTiled(in + in_off + first, out + out_off + first * out_row, count,
                  plan.dims[last], out_row, plan.in_strides[last]);
      } else {
        CopyRow(in + in_off, out + out_off, plan.dims[last],
                plan.in_strides[last]);
      }
    }
  };
  ForEachRange(units, parallel, run_units);
}

struct Bytes16 {
  uint64_t lo, hi;
};

class LayoutThunk : public Thunk {
 public:
  LayoutThunk(std::string kind, int element_bytes, CopyPlan plan,
              BufferRef input, BufferRef output)
      : kind_(std::move(kind)),
        element_bytes_(element_bytes),
        plan_(std::move(plan)),
        input_(std::move(input)),
        output_(std::move(output)) {}

  absl::Status Run(const RunContext& ctx) const override {
    const uint8_t* in = ctx.buffers[input_.slot];
    uint8_t* out = ctx.buffers[output_.slot];
    if (output_.type.element_count() == 0) return absl::OkStatus();
    switch (element_bytes_) {
      case 1:
        RunCopy(plan_, in, out);
        break;
      case 2:
        RunCopy(plan_, reinterpret_cast<const uint16_t*>(in),
                reinterpret_cast<uint16_t*>(out));
        break;
      case 4:
        RunCopy(plan_, reinterpret_cast<const uint32_t*>(in),
                reinterpret_cast<uint32_t*>(out));
        break;
      case 8:
        RunCopy(plan_, reinterpret_cast<const uint64_t*>(in),
                reinterpret_cast<uint64_t*>(out));
        break;
      default:
        RunCopy(plan_, reinterpret_cast<const Bytes16*>(in),
                reinterpret_cast<Bytes16*>(out));
        break;
    }
    return absl::OkStatus();
  }
  std::string kind() const override { return kind_; }

 private:
  std::string kind_;
  int element_bytes_;
  CopyPlan plan_;
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
  return std::unique_ptr<Thunk>(new LayoutThunk(
      std::move(kind), static_cast<int>(bytes),
      PlanCopy(std::move(dims), std::move(strides)), input, output));
}

}  // namespace backplane::cpu
