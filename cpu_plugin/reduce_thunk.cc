#include "cpu_plugin/reduce_thunk.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "compiler/ir/op_accessors.h"

namespace backplane::cpu {
namespace {

using ir::OpCode;

enum class Body { kAdd, kMultiply, kMax, kMin };

template <Body kBody>
inline float Apply(float a, float b) {
  if constexpr (kBody == Body::kAdd) {
    return a + b;
  } else if constexpr (kBody == Body::kMultiply) {
    return a * b;
  } else {
    // As the element-wise stablehlo.maximum / minimum: NaN propagates and
    // +0 > -0, whatever order the row is visited in.
    if (a != a) return a;
    if (b != b) return b;
    if constexpr (kBody == Body::kMax) {
      if (a == b) return std::signbit(a) ? b : a;
      return a < b ? b : a;
    } else {
      if (a == b) return std::signbit(a) ? a : b;
      return b < a ? b : a;
    }
  }
}

template <Body kBody>
float ReduceRow(const float* row, int64_t n, float init) {
  constexpr int kLanes = 8;
  if (n < kLanes) {
    float a = row[0];
    for (int64_t i = 1; i < n; ++i) a = Apply<kBody>(a, row[i]);
    return Apply<kBody>(init, a);
  }
  float part[kLanes];
  for (int l = 0; l < kLanes; ++l) part[l] = row[l];
  int64_t j = kLanes;
  for (; j + kLanes <= n; j += kLanes) {
    for (int l = 0; l < kLanes; ++l) {
      part[l] = Apply<kBody>(part[l], row[j + l]);
    }
  }
  for (; j < n; ++j) part[0] = Apply<kBody>(part[0], row[j]);
  for (int l = 1; l < kLanes; ++l) part[0] = Apply<kBody>(part[0], part[l]);
  return Apply<kBody>(init, part[0]);
}

class RowReduceThunk : public Thunk {
 public:
  RowReduceThunk(Body body, BufferRef input, BufferRef init, BufferRef result,
                 int64_t rows, int64_t row_length)
      : body_(body),
        input_(std::move(input)),
        init_(std::move(init)),
        result_(std::move(result)),
        rows_(rows),
        row_length_(row_length) {}

  absl::Status Run(const RunContext& ctx) const override {
    const float* in = reinterpret_cast<const float*>(ctx.buffers[input_.slot]);
    float init;
    std::memcpy(&init, ctx.buffers[init_.slot], sizeof(float));
    float* out = reinterpret_cast<float*>(ctx.buffers[result_.slot]);
    for (int64_t r = 0; r < rows_; ++r) {
      const float* row = in + r * row_length_;
      switch (body_) {
        case Body::kAdd:
          out[r] = ReduceRow<Body::kAdd>(row, row_length_, init);
          break;
        case Body::kMultiply:
          out[r] = ReduceRow<Body::kMultiply>(row, row_length_, init);
          break;
        case Body::kMax:
          out[r] = ReduceRow<Body::kMax>(row, row_length_, init);
          break;
        case Body::kMin:
          out[r] = ReduceRow<Body::kMin>(row, row_length_, init);
          break;
      }
    }
    return absl::OkStatus();
  }
  std::string kind() const override { return "row_reduce"; }

 private:
  Body body_;
  BufferRef input_, init_, result_;
  int64_t rows_, row_length_;
};

// The body's single op when it combines the two block arguments.
std::optional<Body> BodyOf(const ir::Op& op) {
  if (op.num_regions() != 1 || op.region(0)->num_blocks() != 1) {
    return std::nullopt;
  }
  const ir::Block& block = *op.region(0)->front();
  if (block.num_arguments() != 2 || block.ops().size() != 2) {
    return std::nullopt;
  }
  const ir::Op& combine = *block.ops().front();
  const ir::Op& ret = *block.ops().back();
  if (combine.num_operands() != 2 || combine.num_results() != 1 ||
      ret.num_operands() != 1 || ret.operand(0) != combine.result(0)) {
    return std::nullopt;
  }
  const ir::Value* a = block.argument(0);
  const ir::Value* b = block.argument(1);
  // All four bodies are commutative, so either operand order computes the
  // same values.
  if (!((combine.operand(0) == a && combine.operand(1) == b) ||
        (combine.operand(0) == b && combine.operand(1) == a))) {
    return std::nullopt;
  }
  switch (combine.code()) {
    case OpCode::kAdd:
      return Body::kAdd;
    case OpCode::kMultiply:
      return Body::kMultiply;
    case OpCode::kMaximum:
      return Body::kMax;
    case OpCode::kMinimum:
      return Body::kMin;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<std::unique_ptr<Thunk>> MakeRowReduceThunk(
    const ir::Op& op, const BufferRef& input, const BufferRef& init,
    const BufferRef& result) {
  if (op.code() != OpCode::kReduce || op.num_operands() != 2 ||
      op.num_results() != 1 ||
      input.type.element_type() != ir::ElementType::kF32 ||
      init.type.element_type() != ir::ElementType::kF32 ||
      init.type.rank() != 0 ||
      result.type.element_type() != ir::ElementType::kF32) {
    return std::nullopt;
  }
  std::optional<Body> body = BodyOf(op);
  auto dims = ir::GetI64Array(op, "dimensions");
  if (!body.has_value() || !dims.ok() || dims->empty()) return std::nullopt;
  std::vector<int64_t> sorted = *dims;
  std::sort(sorted.begin(), sorted.end());
  const int64_t rank = input.type.rank();
  const int64_t first = rank - static_cast<int64_t>(sorted.size());
  for (size_t k = 0; k < sorted.size(); ++k) {
    if (sorted[k] != first + static_cast<int64_t>(k)) return std::nullopt;
  }
  int64_t row_length = 1;
  for (int64_t d = first; d < rank; ++d) row_length *= input.type.dim(d);
  const int64_t rows = result.type.element_count();
  if (row_length < 1 || rows * row_length != input.type.element_count()) {
    return std::nullopt;
  }
  return std::unique_ptr<Thunk>(
      new RowReduceThunk(*body, input, init, result, rows, row_length));
}

}  // namespace backplane::cpu
