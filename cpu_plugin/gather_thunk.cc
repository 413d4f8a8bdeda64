#include "cpu_plugin/gather_thunk.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "compiler/ir/op_accessors.h"

namespace backplane::cpu {
namespace {

class RowGatherThunk : public Thunk {
 public:
  RowGatherThunk(BufferRef operand, BufferRef indices, BufferRef result,
                 int64_t rows, int64_t row_bytes, int64_t count)
      : operand_(std::move(operand)),
        indices_(std::move(indices)),
        result_(std::move(result)),
        rows_(rows),
        row_bytes_(row_bytes),
        count_(count) {}

  absl::Status Run(const RunContext& ctx) const override {
    const uint8_t* table = ctx.buffers[operand_.slot];
    const uint8_t* index_data = ctx.buffers[indices_.slot];
    uint8_t* out = ctx.buffers[result_.slot];
    const bool wide = indices_.type.element_type() == ir::ElementType::kS64;
    for (int64_t i = 0; i < count_; ++i) {
      int64_t index;
      if (wide) {
        std::memcpy(&index, index_data + i * 8, 8);
      } else {
        int32_t narrow;
        std::memcpy(&narrow, index_data + i * 4, 4);
        index = narrow;
      }
      index = std::clamp<int64_t>(index, 0, rows_ - 1);
      std::memcpy(out + i * row_bytes_, table + index * row_bytes_,
                  static_cast<size_t>(row_bytes_));
    }
    return absl::OkStatus();
  }
  std::string kind() const override { return "row_gather"; }

 private:
  BufferRef operand_, indices_, result_;
  int64_t rows_, row_bytes_, count_;
};

}  // namespace

std::optional<std::unique_ptr<Thunk>> MakeRowGatherThunk(
    const ir::Op& op, const BufferRef& operand, const BufferRef& indices,
    const BufferRef& result) {
  if (op.code() != ir::OpCode::kGather || op.num_operands() != 2) {
    return std::nullopt;
  }
  const ir::ElementType index_type = indices.type.element_type();
  if (index_type != ir::ElementType::kS32 &&
      index_type != ir::ElementType::kS64) {
    return std::nullopt;
  }
  auto dn = ir::GetGatherDimensionNumbers(op);
  auto slice_sizes = ir::GetI64Array(op, "slice_sizes");
  if (!dn.ok() || !slice_sizes.ok()) return std::nullopt;
  const ir::TensorType& in = operand.type;
  const int64_t rank = in.rank();
  if (rank < 1 || in.dim(0) < 1 || !dn->operand_batching_dims.empty() ||
      !dn->start_indices_batching_dims.empty() ||
      dn->collapsed_slice_dims != std::vector<int64_t>{0} ||
      dn->start_index_map != std::vector<int64_t>{0} ||
      static_cast<int64_t>(slice_sizes->size()) != rank ||
      (*slice_sizes)[0] != 1) {
    return std::nullopt;
  }
  for (int64_t d = 1; d < rank; ++d) {
    if ((*slice_sizes)[d] != in.dim(d)) return std::nullopt;
  }
  // One index per row: the index vector dimension is absent or of size 1.
  const int64_t index_rank = indices.type.rank();
  int64_t batch_rank = index_rank;
  if (dn->index_vector_dim < index_rank) {
    if (dn->index_vector_dim != index_rank - 1 ||
        indices.type.dim(index_rank - 1) != 1) {
      return std::nullopt;
    }
    batch_rank = index_rank - 1;
  } else if (dn->index_vector_dim != index_rank) {
    return std::nullopt;
  }
  // The row's dimensions come last in the result, after the batch ones.
  const int64_t out_rank = result.type.rank();
  if (out_rank != batch_rank + rank - 1 ||
      static_cast<int64_t>(dn->offset_dims.size()) != rank - 1) {
    return std::nullopt;
  }
  for (int64_t k = 0; k < rank - 1; ++k) {
    if (dn->offset_dims[k] != batch_rank + k) return std::nullopt;
  }
  const int64_t count = indices.type.element_count();
  const int64_t row_bytes = in.byte_size() / in.dim(0);
  if (count * row_bytes != result.type.byte_size()) return std::nullopt;
  return std::unique_ptr<Thunk>(new RowGatherThunk(
      operand, indices, result, in.dim(0), row_bytes, count));
}

}  // namespace backplane::cpu
