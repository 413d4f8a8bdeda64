#include "cpu_plugin/reduce_thunk.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/vector_clones.h"
#include "cpu_plugin/parallel.h"

namespace backplane::cpu {
namespace {

using ir::OpCode;

using Body = RowBody;

// Elements below which a reduction stays on the calling thread.
constexpr int64_t kParallelElements = int64_t{1} << 16;

// Always inlined into the AVX2 / AVX-512 clones of the row loops below (a
// call would run the baseline build).
#define BACKPLANE_ROW_INLINE inline __attribute__((always_inline))

template <Body kBody>
BACKPLANE_ROW_INLINE float Apply(float a, float b) {
  if constexpr (kBody == Body::kAdd) {
    return a + b;
  } else if constexpr (kBody == Body::kMultiply) {
    return a * b;
  } else {
    // As the element-wise stablehlo.maximum / minimum: NaN propagates (a's
    // first) and +0 > -0, whatever order the row is visited in. Written
    // as selects, without branches, so the lanes vectorise.
    float r;
    if constexpr (kBody == Body::kMax) {
      r = a < b ? b : a;
      r = a == b ? (std::signbit(a) ? b : a) : r;
    } else {
      r = b < a ? b : a;
      r = a == b ? (std::signbit(a) ? a : b) : r;
    }
    r = b != b ? b : r;
    return a != a ? a : r;
  }
}

// max / min of a row without NaNs, in any order. Non-NaN floats with
// -0 < +0 are totally ordered, and so are the integers
// bits ^ ((bits >> 31) & 0x7fffffff), in the same order: the lanes run
// plain integer max / min, which vectorise. Returns false, leaving
// `*result` unspecified, when the row holds a NaN: the caller then takes
// the element-wise order, which decides which NaN wins.
typedef int32_t __attribute__((may_alias)) FloatBits;

BACKPLANE_ROW_INLINE int32_t OrderedKey(int32_t bits) {
  return bits ^ ((bits >> 31) & 0x7fffffff);
}

template <Body kBody>
BACKPLANE_ROW_INLINE bool ReduceRowWithoutNaN(const float* row, int64_t n,
                                              float* result) {
  // One running max / min and one NaN flag: the loop vectoriser splits
  // both reductions into vector lanes.
  const FloatBits* bits = reinterpret_cast<const FloatBits*>(row);
  int32_t best = OrderedKey(bits[0]);
  int32_t nan = 0;
  for (int64_t j = 0; j < n; ++j) {
    const int32_t key = OrderedKey(bits[j]);
    if constexpr (kBody == Body::kMax) {
      best = best < key ? key : best;
    } else {
      best = key < best ? key : best;
    }
    nan |= (bits[j] & 0x7fffffff) > 0x7f800000;
  }
  if (nan != 0) return false;
  const int32_t out_bits = OrderedKey(best);  // Its own inverse.
  std::memcpy(result, &out_bits, 4);
  return true;
}

// The kit's order of operations for a row, fed in pieces (the row
// reduction thunk feeds whole rows, RowAccumulator chunks): element g goes
// to one running value for rows under 8; else to lane g for the first 8,
// lane g % 8 up to the last whole group of 8, lane 0 after. FinishRow then
// folds lanes 1..7 into lane 0 and applies the initial value.
template <Body kBody>
BACKPLANE_ROW_INLINE void AccumulateRow(float* part, int64_t& seen,
                                        int64_t row_length, const float* v,
                                        int64_t n) {
  int64_t i = 0;
  if (row_length < 8) {
    for (; i < n; ++i, ++seen) {
      part[0] = seen == 0 ? v[i] : Apply<kBody>(part[0], v[i]);
    }
    return;
  }
  const int64_t whole = row_length / 8 * 8;
  for (; i < n && seen < 8; ++i, ++seen) part[seen] = v[i];
  for (; i < n && seen < whole && seen % 8 != 0; ++i, ++seen) {
    part[seen % 8] = Apply<kBody>(part[seen % 8], v[i]);
  }
  for (; i + 8 <= n && seen + 8 <= whole; i += 8, seen += 8) {
    for (int l = 0; l < 8; ++l) part[l] = Apply<kBody>(part[l], v[i + l]);
  }
  for (; i < n && seen < whole; ++i, ++seen) {
    part[seen % 8] = Apply<kBody>(part[seen % 8], v[i]);
  }
  for (; i < n; ++i, ++seen) part[0] = Apply<kBody>(part[0], v[i]);
}

template <Body kBody>
BACKPLANE_ROW_INLINE float FinishRow(float* part, int64_t row_length,
                                     float init) {
  if (row_length >= 8) {
    for (int l = 1; l < 8; ++l) part[0] = Apply<kBody>(part[0], part[l]);
  }
  return Apply<kBody>(init, part[0]);
}

template <Body kBody>
BACKPLANE_ROW_INLINE float ReduceRow(const float* row, int64_t n, float init) {
  if constexpr (kBody == Body::kMax || kBody == Body::kMin) {
    float result;
    if (n >= 16 && ReduceRowWithoutNaN<kBody>(row, n, &result)) {
      return Apply<kBody>(init, result);
    }
  }
  // Zeroed only for GCC's maybe-uninitialized analysis (-O1 builds): every
  // lane a row uses is written before it is read.
  float part[8] = {};
  int64_t seen = 0;
  AccumulateRow<kBody>(part, seen, n, row, n);
  return FinishRow<kBody>(part, n, init);
}

// Rows [begin, end) of `in`, each reduced to out[row]; compiled again for
// AVX2 and AVX-512 (the row loops are where the time goes).
template <Body kBody>
BACKPLANE_ROW_INLINE void ReduceRows(const float* in, int64_t begin,
                                     int64_t end, int64_t row_length,
                                     float init, float* out) {
  for (int64_t r = begin; r < end; ++r) {
    out[r] = ReduceRow<kBody>(in + r * row_length, row_length, init);
  }
}
#define BACKPLANE_ROWS_FUNCTION(NAME, BODY)                          \
  BACKPLANE_VECTOR_CLONES void NAME(const float* in, int64_t begin,  \
                                    int64_t end, int64_t row_length, \
                                    float init, float* out) {        \
    ReduceRows<BODY>(in, begin, end, row_length, init, out);         \
  }
BACKPLANE_ROWS_FUNCTION(AddRows, Body::kAdd)
BACKPLANE_ROWS_FUNCTION(MultiplyRows, Body::kMultiply)
BACKPLANE_ROWS_FUNCTION(MaxRows, Body::kMax)
BACKPLANE_ROWS_FUNCTION(MinRows, Body::kMin)
#undef BACKPLANE_ROWS_FUNCTION

// A reduction of each of `rows` contiguous rows of `row_length` elements
// to one element, starting from the init value.
class RowsThunk : public Thunk {
 public:
  RowsThunk(BufferRef input, BufferRef init, BufferRef result, int64_t rows,
            int64_t row_length)
      : input_(std::move(input)),
        init_(std::move(init)),
        result_(std::move(result)),
        rows_(rows),
        row_length_(row_length) {}
  std::string kind() const override { return "row_reduce"; }

 protected:
  // Rows are independent: large reductions (softmax over attention
  // scores) split them over the OpenMP threads oneDNN runs on.
  bool Parallel() const {
    return rows_ > 1 && rows_ * row_length_ >= kParallelElements &&
           MaxWorkerThreads() > 1;
  }
  // Calls fn(begin, end) on ranges covering the rows (parallel.h).
  template <typename Fn>
  void ForRowRanges(const Fn& fn) const {
    ForEachRange(rows_, Parallel(), fn);
  }

  BufferRef input_, init_, result_;
  int64_t rows_, row_length_;
};

class RowReduceThunk : public RowsThunk {
 public:
  RowReduceThunk(Body body, BufferRef input, BufferRef init, BufferRef result,
                 int64_t rows, int64_t row_length)
      : RowsThunk(std::move(input), std::move(init), std::move(result), rows,
                  row_length),
        body_(body) {}

  absl::Status Run(const RunContext& ctx) const override {
    const float* in = reinterpret_cast<const float*>(ctx.buffers[input_.slot]);
    float init;
    std::memcpy(&init, ctx.buffers[init_.slot], sizeof(float));
    float* out = reinterpret_cast<float*>(ctx.buffers[result_.slot]);
    ForRowRanges([&](int64_t begin, int64_t end) {
      rows_fn_(in, begin, end, row_length_, init, out);
    });
    return absl::OkStatus();
  }

 private:
  using RowsFn = void (*)(const float* in, int64_t begin, int64_t end,
                          int64_t row_length, float init, float* out);
  static RowsFn RowsFnFor(Body body) {
    switch (body) {
      case Body::kAdd:
        return &AddRows;
      case Body::kMultiply:
        return &MultiplyRows;
      case Body::kMax:
        return &MaxRows;
      case Body::kMin:
        return &MinRows;
    }
    return nullptr;
  }
  Body body_;
  RowsFn rows_fn_ = RowsFnFor(body_);
};

// reduce_window over f32 without base dilation: every output element
// starts from the init value and folds in its window's elements in
// row-major window order, a padding position contributing the init value,
// exactly as the compiler kit's kernel does. When the innermost dimension
// is not windowed (window 1, stride 1, no padding) it becomes a run of
// independent lanes, so the same per-element order is kept while the inner
// loop streams contiguous memory (global pooling over NHWC activations).
class WindowReduceThunk : public Thunk {
 public:
  struct Geometry {
    std::vector<int64_t> in_dims, out_dims;  // Without the lane dimension.
    std::vector<int64_t> window, strides, dilations, pad_low;
    int64_t lanes = 1;
  };

  WindowReduceThunk(Body body, BufferRef input, BufferRef init,
                    BufferRef result, Geometry g)
      : body_(body),
        input_(std::move(input)),
        init_(std::move(init)),
        result_(std::move(result)),
        g_(std::move(g)) {}

  absl::Status Run(const RunContext& ctx) const override {
    switch (body_) {
      case Body::kAdd:
        return RunBody<Body::kAdd>(ctx);
      case Body::kMultiply:
        return RunBody<Body::kMultiply>(ctx);
      case Body::kMax:
        return RunBody<Body::kMax>(ctx);
      case Body::kMin:
        return RunBody<Body::kMin>(ctx);
    }
    return absl::OkStatus();
  }
  std::string kind() const override { return "window_reduce"; }

 private:
  template <Body kBody>
  absl::Status RunBody(const RunContext& ctx) const {
    const float* in = reinterpret_cast<const float*>(ctx.buffers[input_.slot]);
    float init;
    std::memcpy(&init, ctx.buffers[init_.slot], sizeof(float));
    float* out = reinterpret_cast<float*>(ctx.buffers[result_.slot]);
    const size_t rank = g_.out_dims.size();
    int64_t out_count = 1;
    for (int64_t d : g_.out_dims) out_count *= d;
    if (out_count == 0 || g_.lanes == 0) return absl::OkStatus();
    std::vector<int64_t> in_strides(rank, g_.lanes);
    for (size_t d = rank; d-- > 1;) {
      in_strides[d - 1] = in_strides[d] * g_.in_dims[d];
    }
    constexpr int64_t kChunk = 256;
    float acc[kChunk];
    std::vector<int64_t> o(rank, 0), w(rank, 0);
    for (int64_t out_linear = 0; out_linear < out_count; ++out_linear) {
      for (int64_t c0 = 0; c0 < g_.lanes; c0 += kChunk) {
        const int64_t n = std::min(kChunk, g_.lanes - c0);
        for (int64_t c = 0; c < n; ++c) acc[c] = init;
        std::fill(w.begin(), w.end(), 0);
        while (true) {
          int64_t offset = 0;
          bool padding = false;
          for (size_t d = 0; d < rank; ++d) {
            const int64_t pos =
                o[d] * g_.strides[d] + w[d] * g_.dilations[d] - g_.pad_low[d];
            if (pos < 0 || pos >= g_.in_dims[d]) {
              padding = true;
              break;
            }
            offset += pos * in_strides[d];
          }
          if (padding) {
            for (int64_t c = 0; c < n; ++c) acc[c] = Apply<kBody>(acc[c], init);
          } else {
            const float* src = in + offset + c0;
            for (int64_t c = 0; c < n; ++c) {
              acc[c] = Apply<kBody>(acc[c], src[c]);
            }
          }
          size_t k = rank;
          while (k > 0 && ++w[k - 1] == g_.window[k - 1]) w[--k] = 0;
          if (k == 0) break;
        }
        std::memcpy(out + out_linear * g_.lanes + c0, acc, n * sizeof(float));
      }
      for (size_t k = rank; k > 0 && ++o[k - 1] == g_.out_dims[k - 1];) {
        o[--k] = 0;
      }
    }
    return absl::OkStatus();
  }

  Body body_;
  BufferRef input_, init_, result_;
  Geometry g_;
};

// The body's single op when it combines the two block arguments.
std::optional<OpCode> CombineOf(const ir::Op& op) {
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
  // The bodies accepted here are commutative, so either operand order
  // computes the same values.
  if (!((combine.operand(0) == a && combine.operand(1) == b) ||
        (combine.operand(0) == b && combine.operand(1) == a))) {
    return std::nullopt;
  }
  return combine.code();
}

std::optional<Body> BodyOf(const ir::Op& op) {
  std::optional<OpCode> combine = CombineOf(op);
  if (!combine.has_value()) return std::nullopt;
  switch (*combine) {
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

BACKPLANE_VECTOR_CLONES bool AnyNonZero(const uint8_t* p, int64_t n) {
  uint8_t any = 0;
  for (int64_t i = 0; i < n; ++i) any |= p[i];
  return any != 0;
}

// i1 bytes are 0 or 1.
BACKPLANE_VECTOR_CLONES bool AllNonZero(const uint8_t* p, int64_t n) {
  uint8_t all = 1;
  for (int64_t i = 0; i < n; ++i) all &= p[i];
  return all != 0;
}

// stablehlo.reduce of i1 over its trailing dimensions with an or / and
// body: "any" / "all" per row (attention masks), straight over the bytes.
class PredRowReduceThunk : public RowsThunk {
 public:
  PredRowReduceThunk(bool is_or, BufferRef input, BufferRef init,
                     BufferRef result, int64_t rows, int64_t row_length)
      : RowsThunk(std::move(input), std::move(init), std::move(result), rows,
                  row_length),
        is_or_(is_or) {}

  absl::Status Run(const RunContext& ctx) const override {
    const uint8_t* in = ctx.buffers[input_.slot];
    const bool init = ctx.buffers[init_.slot][0] != 0;
    uint8_t* out = ctx.buffers[result_.slot];
    ForRowRanges([&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const uint8_t* row = in + r * row_length_;
        out[r] = is_or_ ? (init || AnyNonZero(row, row_length_))
                        : (init && AllNonZero(row, row_length_));
      }
    });
    return absl::OkStatus();
  }

 private:
  bool is_or_;
};

bool IsScalarF32(const BufferRef& b) {
  return b.type.element_type() == ir::ElementType::kF32 && b.type.rank() == 0;
}

}  // namespace

void RowAccumulator::Add(const float* values, int64_t n) {
  switch (body_) {
    case Body::kAdd:
      return AccumulateRow<Body::kAdd>(part_, seen_, row_length_, values, n);
    case Body::kMultiply:
      return AccumulateRow<Body::kMultiply>(part_, seen_, row_length_, values,
                                            n);
    case Body::kMax:
      return AccumulateRow<Body::kMax>(part_, seen_, row_length_, values, n);
    case Body::kMin:
      return AccumulateRow<Body::kMin>(part_, seen_, row_length_, values, n);
  }
}

float RowAccumulator::Finish(float init) {
  seen_ = 0;
  switch (body_) {
    case Body::kAdd:
      return FinishRow<Body::kAdd>(part_, row_length_, init);
    case Body::kMultiply:
      return FinishRow<Body::kMultiply>(part_, row_length_, init);
    case Body::kMax:
      return FinishRow<Body::kMax>(part_, row_length_, init);
    case Body::kMin:
      return FinishRow<Body::kMin>(part_, row_length_, init);
  }
  return init;
}

std::optional<F32RowReduction> MatchF32RowReduction(const ir::Op& op) {
  if (op.code() != OpCode::kReduce || op.num_operands() != 2 ||
      op.num_results() != 1 || !op.operand(0)->type().is_tensor() ||
      !op.operand(1)->type().is_tensor() || !op.result(0)->type().is_tensor()) {
    return std::nullopt;
  }
  const ir::TensorType& input = op.operand(0)->type().tensor();
  const ir::TensorType& init = op.operand(1)->type().tensor();
  const ir::TensorType& result = op.result(0)->type().tensor();
  if (input.element_type() != ir::ElementType::kF32 ||
      init.element_type() != ir::ElementType::kF32 || init.rank() != 0 ||
      result.element_type() != ir::ElementType::kF32) {
    return std::nullopt;
  }
  const std::optional<Body> body = BodyOf(op);
  if (!body.has_value()) return std::nullopt;
  auto dims = ir::GetI64Array(op, "dimensions");
  if (!dims.ok() || dims->empty()) return std::nullopt;
  std::vector<int64_t> sorted = *dims;
  std::sort(sorted.begin(), sorted.end());
  const int64_t rank = input.rank();
  const int64_t first = rank - static_cast<int64_t>(sorted.size());
  for (size_t k = 0; k < sorted.size(); ++k) {
    if (sorted[k] != first + static_cast<int64_t>(k)) return std::nullopt;
  }
  F32RowReduction r;
  r.body = *body;
  r.row_length = 1;
  for (int64_t d = first; d < rank; ++d) r.row_length *= input.dim(d);
  r.rows = result.element_count();
  if (r.row_length < 1 || r.rows * r.row_length != input.element_count()) {
    return std::nullopt;
  }
  return r;
}

std::optional<std::unique_ptr<Thunk>> MakeRowReduceThunk(
    const ir::Op& op, const BufferRef& input, const BufferRef& init,
    const BufferRef& result) {
  const ir::ElementType type = input.type.element_type();
  if (op.code() != OpCode::kReduce || op.num_operands() != 2 ||
      op.num_results() != 1 ||
      (type != ir::ElementType::kF32 && type != ir::ElementType::kPred) ||
      init.type.element_type() != type || init.type.rank() != 0 ||
      result.type.element_type() != type) {
    return std::nullopt;
  }
  // i1 rows take or / and; f32 rows one of the four bodies.
  const bool pred = type == ir::ElementType::kPred;
  const std::optional<OpCode> combine = CombineOf(op);
  const std::optional<Body> body = pred ? std::nullopt : BodyOf(op);
  if (pred ? (combine != OpCode::kOr && combine != OpCode::kAnd)
           : !body.has_value()) {
    return std::nullopt;
  }
  auto dims = ir::GetI64Array(op, "dimensions");
  if (!dims.ok() || dims->empty()) return std::nullopt;
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
  if (pred) {
    return std::unique_ptr<Thunk>(new PredRowReduceThunk(
        combine == OpCode::kOr, input, init, result, rows, row_length));
  }
  return std::unique_ptr<Thunk>(
      new RowReduceThunk(*body, input, init, result, rows, row_length));
}

std::optional<std::unique_ptr<Thunk>> MakeWindowReduceThunk(
    const ir::Op& op, const BufferRef& input, const BufferRef& init,
    const BufferRef& result) {
  if (op.code() != OpCode::kReduceWindow || op.num_operands() != 2 ||
      op.num_results() != 1 ||
      input.type.element_type() != ir::ElementType::kF32 ||
      !IsScalarF32(init) ||
      result.type.element_type() != ir::ElementType::kF32) {
    return std::nullopt;
  }
  std::optional<Body> body = BodyOf(op);
  if (!body.has_value()) return std::nullopt;
  const int64_t rank = input.type.rank();
  if (rank == 0 || result.type.rank() != rank) return std::nullopt;
  absl::StatusOr<ir::ReduceWindowAttrs> attrs =
      ir::GetReduceWindowAttrs(op, rank);
  if (!attrs.ok()) return std::nullopt;
  const std::vector<int64_t>& window = attrs->window_dimensions;
  const std::vector<int64_t>& strides = attrs->window_strides;
  const std::vector<int64_t>& base_dil = attrs->base_dilations;
  const std::vector<int64_t>& win_dil = attrs->window_dilations;
  const auto& padding = attrs->padding;
  WindowReduceThunk::Geometry g;
  for (int64_t d = 0; d < rank; ++d) {
    const auto [lo, hi] = padding[d];
    if (base_dil[d] != 1 || window[d] < 1 || strides[d] < 1 || win_dil[d] < 1 ||
        lo < 0 || hi < 0) {
      return std::nullopt;
    }
    // The verifier checked the result shape; recheck the geometry this
    // kernel relies on rather than trust it.
    const int64_t span = (window[d] - 1) * win_dil[d] + 1;
    const int64_t padded = input.type.dim(d) + lo + hi;
    const int64_t expected =
        padded < span ? 0 : (padded - span) / strides[d] + 1;
    if (expected != result.type.dim(d)) return std::nullopt;
    g.in_dims.push_back(input.type.dim(d));
    g.out_dims.push_back(result.type.dim(d));
    g.window.push_back(window[d]);
    g.strides.push_back(strides[d]);
    g.dilations.push_back(win_dil[d]);
    g.pad_low.push_back(lo);
  }
  const int64_t last = rank - 1;
  if (g.window[last] == 1 && g.strides[last] == 1 && g.pad_low[last] == 0 &&
      g.in_dims[last] == g.out_dims[last]) {
    g.lanes = g.in_dims[last];
    for (auto* v : {&g.in_dims, &g.out_dims, &g.window, &g.strides,
                    &g.dilations, &g.pad_low}) {
      v->pop_back();
    }
  }
  return std::unique_ptr<Thunk>(
      new WindowReduceThunk(*body, input, init, result, std::move(g)));
}

}  // namespace backplane::cpu
