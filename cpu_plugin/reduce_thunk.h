// Reductions straight over the buffers, for f32 with an add / multiply /
// maximum / minimum body.
//
// Row reductions: stablehlo.reduce over the trailing dimensions (layer
// norm statistics, softmax max and sum; also any / all of i1 rows with an
// or / and body, as attention masks use). The order
// of operations is the compiler kit's (8 interleaved partial accumulators
// per row, then the initial value), so sums match the interpreter bit for
// bit; maximum / minimum order signed zeros as the element-wise ops do
// (max(-0, +0) = +0, min(+0, -0) = -0) whatever the visiting order.
//
// Window reductions: stablehlo.reduce_window (sum and max pooling that
// oneDNN does not take, e.g. ResNet's global 7x7 sum), in the kit's
// row-major window order, vectorised over an unwindowed innermost
// dimension.
//
//   std::optional<std::unique_ptr<Thunk>> t =
//       MakeRowReduceThunk(op, input, init, result);
//   t = MakeWindowReduceThunk(op, input, init, result);
#ifndef BACKPLANE_CPU_PLUGIN_REDUCE_THUNK_H_
#define BACKPLANE_CPU_PLUGIN_REDUCE_THUNK_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "compiler/ir/ir.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/thunk.h"

namespace backplane::cpu {

enum class RowBody { kAdd, kMultiply, kMax, kMin };

// An f32 row reduction as MakeRowReduceThunk runs it.
struct F32RowReduction {
  RowBody body = RowBody::kAdd;
  int64_t rows = 0;
  int64_t row_length = 0;
};

// The f32 row reduction `op` is, when MakeRowReduceThunk takes it;
// std::nullopt otherwise (including i1 rows).
std::optional<F32RowReduction> MatchF32RowReduction(const ir::Op& op);

// Reduces rows of `row_length` f32 values fed in pieces, in the same order
// of operations as the row reduction thunk (so the results are the same
// bits): fused loops compute a row chunk by chunk.
//
//   RowAccumulator acc(RowBody::kAdd, n);
//   acc.Add(chunk, 512); ... acc.Add(last, rest);
//   float sum = acc.Finish(init);  // and the next row starts
class RowAccumulator {
 public:
  RowAccumulator(RowBody body, int64_t row_length)
      : body_(body), row_length_(row_length) {}
  // The next `n` values of the current row.
  void Add(const float* values, int64_t n);
  // The row's result combined with `init`; the next Add starts a new row.
  float Finish(float init);

 private:
  RowBody body_;
  int64_t row_length_;
  int64_t seen_ = 0;
  float part_[8] = {};
};

// std::nullopt unless `op` is such a reduction (one input, f32 or i1,
// reduced dimensions exactly the trailing ones, non-empty rows, a one-op
// body).
std::optional<std::unique_ptr<Thunk>> MakeRowReduceThunk(
    const ir::Op& op, const BufferRef& input, const BufferRef& init,
    const BufferRef& result);

// std::nullopt unless `op` is a stablehlo.reduce_window of one f32 input
// with such a body and no base dilation (padding, strides and window
// dilation are fine). Results are identical to the compiler kit's.
std::optional<std::unique_ptr<Thunk>> MakeWindowReduceThunk(
    const ir::Op& op, const BufferRef& input, const BufferRef& init,
    const BufferRef& result);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_REDUCE_THUNK_H_
