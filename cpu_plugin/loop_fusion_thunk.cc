#include "cpu_plugin/loop_fusion_thunk.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/vector_clones.h"
#include "cpu_plugin/loop_program.h"
#include "cpu_plugin/parallel.h"
#include "cpu_plugin/reduce_thunk.h"

namespace backplane::cpu {
namespace {

constexpr int64_t kChunk = kLoopChunk;

using CompareSelectLoopFn = void (*)(const uint8_t* a, const uint8_t* b,
                                     const uint8_t* x, const uint8_t* y,
                                     uint8_t* out, int64_t n);

// cmp(a[i], b[i]) ? x[i] : y[i] for f32 a, b and 4-byte x, y, without
// branches; the comparisons are IEEE's (false with a NaN, except NE), as
// the kernels' FLOAT / default compare computes them.
template <kernels::elementwise::ComparisonDirection kDirection>
BACKPLANE_VECTOR_CLONES void CompareSelectF32(const uint8_t* a_bytes,
                                              const uint8_t* b_bytes,
                                              const uint8_t* x_bytes,
                                              const uint8_t* y_bytes,
                                              uint8_t* out_bytes, int64_t n) {
  using D = kernels::elementwise::ComparisonDirection;
  const float* a = reinterpret_cast<const float*>(a_bytes);
  const float* b = reinterpret_cast<const float*>(b_bytes);
  const uint32_t* x = reinterpret_cast<const uint32_t*>(x_bytes);
  const uint32_t* y = reinterpret_cast<const uint32_t*>(y_bytes);
  uint32_t* out = reinterpret_cast<uint32_t*>(out_bytes);
  for (int64_t i = 0; i < n; ++i) {
    bool take_x;
    if constexpr (kDirection == D::kEq) {
      take_x = a[i] == b[i];
    } else if constexpr (kDirection == D::kNe) {
      take_x = a[i] != b[i];
    } else if constexpr (kDirection == D::kLt) {
      take_x = a[i] < b[i];
    } else if constexpr (kDirection == D::kLe) {
      take_x = a[i] <= b[i];
    } else if constexpr (kDirection == D::kGt) {
      take_x = a[i] > b[i];
    } else {
      take_x = a[i] >= b[i];
    }
    const uint32_t mask = 0u - static_cast<uint32_t>(take_x);
    out[i] = (x[i] & mask) | (y[i] & ~mask);
  }
}

CompareSelectLoopFn CompareSelectLoop(
    kernels::elementwise::ComparisonDirection direction) {
  using D = kernels::elementwise::ComparisonDirection;
  switch (direction) {
    case D::kEq:
      return &CompareSelectF32<D::kEq>;
    case D::kNe:
      return &CompareSelectF32<D::kNe>;
    case D::kLt:
      return &CompareSelectF32<D::kLt>;
    case D::kLe:
      return &CompareSelectF32<D::kLe>;
    case D::kGt:
      return &CompareSelectF32<D::kGt>;
    case D::kGe:
      return &CompareSelectF32<D::kGe>;
  }
  return nullptr;
}

void Fill(uint8_t* dst, const uint8_t* src, int64_t n, int bytes) {
  switch (bytes) {
    case 1:
      std::memset(dst, *src, static_cast<size_t>(n));
      break;
    case 2: {
      uint16_t v;
      std::memcpy(&v, src, 2);
      std::fill_n(reinterpret_cast<uint16_t*>(dst), n, v);
      break;
    }
    case 4: {
      uint32_t v;
      std::memcpy(&v, src, 4);
      std::fill_n(reinterpret_cast<uint32_t*>(dst), n, v);
      break;
    }
    default: {
      uint64_t v;
      std::memcpy(&v, src, 8);
      std::fill_n(reinterpret_cast<uint64_t*>(dst), n, v);
      break;
    }
  }
}

template <typename T>
void GatherT(T* dst, const T* src, int64_t n, int64_t stride) {
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i * stride];
}

void Gather(uint8_t* dst, const uint8_t* src, int64_t n, int64_t stride,
            int bytes) {
  switch (bytes) {
    case 1:
      GatherT(dst, src, n, stride);
      break;
    case 2:
      GatherT(reinterpret_cast<uint16_t*>(dst),
              reinterpret_cast<const uint16_t*>(src), n, stride);
      break;
    case 4:
      GatherT(reinterpret_cast<uint32_t*>(dst),
              reinterpret_cast<const uint32_t*>(src), n, stride);
      break;
    default:
      GatherT(reinterpret_cast<uint64_t*>(dst),
              reinterpret_cast<const uint64_t*>(src), n, stride);
      break;
  }
}

// Branch-free, so it vectorises and data-dependent predicates (erf's
// range selects) cost no mispredictions.
template <typename T>
BACKPLANE_VECTOR_CLONES void SelectT(const uint8_t* pred, const T* a,
                                     const T* b, T* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const T mask = static_cast<T>(T{0} - static_cast<T>(pred[i] != 0));
    out[i] = static_cast<T>((a[i] & mask) | (b[i] & ~mask));
  }
}

void Select(const uint8_t* pred, const uint8_t* a, const uint8_t* b,
            uint8_t* out, int64_t n, int bytes) {
  switch (bytes) {
    case 1:
      SelectT(pred, a, b, out, n);
      break;
    case 2:
      SelectT(pred, reinterpret_cast<const uint16_t*>(a),
              reinterpret_cast<const uint16_t*>(b),
              reinterpret_cast<uint16_t*>(out), n);
      break;
    case 4:
      SelectT(pred, reinterpret_cast<const uint32_t*>(a),
              reinterpret_cast<const uint32_t*>(b),
              reinterpret_cast<uint32_t*>(out), n);
      break;
    default:
      SelectT(pred, reinterpret_cast<const uint64_t*>(a),
              reinterpret_cast<const uint64_t*>(b),
              reinterpret_cast<uint64_t*>(out), n);
      break;
  }
}

class LoopFusionThunk : public Thunk {
 public:
  explicit LoopFusionThunk(LoopProgram program) : program_(std::move(program)) {
    result_bytes_ = ir::ElementByteSize(program_.result.type.element_type());
    // Registers and staging buffers hold the widest value of the loop.
    for (const LoopInput& in : program_.inputs) {
      slot_bytes_ = std::max<int64_t>(slot_bytes_, in.element_bytes);
    }
    for (const LoopInstr& instr : program_.instrs) {
      slot_bytes_ = std::max<int64_t>(
          {slot_bytes_, instr.element_bytes,
           static_cast<int64_t>(ir::ElementByteSize(instr.type))});
    }
    BindInputs();
    // Element-ops below which handing work to the other threads costs
    // more than it saves; a softmax's subtract+exp over 12x128x128
    // attention scores (393k) is well above it.
    constexpr int64_t kParallelWork = int64_t{1} << 16;
    int64_t elements = 1;
    for (int64_t d : program_.dims) elements *= d;
    const int64_t work =
        elements * static_cast<int64_t>(program_.instrs.size());
    threads_ = work >= kParallelWork
                   ? std::clamp(MaxWorkerThreads(), 1, kMaxThreads)
                   : 1;
  }

  absl::Status Run(const RunContext& ctx) const override {
    const int64_t tasks = rows() * chunks_per_row();
    // Threads take whole units: chunks, or the chunks of whole reduction
    // rows when the loop reduces.
    const int64_t unit = program_.reduction.has_value()
                             ? program_.row_loops * chunks_per_row()
                             : 1;
    const int64_t units = tasks / unit;
    if (threads_ <= 1 || units < 2) return RunTasks(ctx, 0, tasks, 0);
    // Large loops split their work over the OpenMP threads oneDNN already
    // keeps running, each with its own registers in the scratch memory.
    const int threads = static_cast<int>(std::min<int64_t>(threads_, units));
    absl::Status statuses[kMaxThreads];
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (int t = 0; t < threads; ++t) {
      statuses[t] = RunTasks(ctx, units * t / threads * unit,
                             units * (t + 1) / threads * unit, t);
    }
    for (int t = 0; t < threads; ++t) {
      RETURN_IF_ERROR(statuses[t]);
    }
    return absl::OkStatus();
  }

  std::string kind() const override { return program_.description; }
  int64_t scratch_bytes() const override {
    return threads_ * ThreadScratchBytes();
  }

 private:
  static constexpr int kMaxThreads = 64;

  // Where one thread's walk is: the current row's index in the outer
  // dimensions and each input's element offset and base pointer there, and
  // each input's pointer for the current chunk.
  struct Cursor {
    explicit Cursor(int rank, size_t num_inputs)
        : row_index(std::max(rank - 1, 0)),
          row_offset(num_inputs),
          row_base(num_inputs),
          in_ptr(num_inputs) {}
    absl::InlinedVector<int64_t, 8> row_index;
    absl::InlinedVector<int64_t, 16> row_offset;
    absl::InlinedVector<const uint8_t*, 16> row_base;
    absl::InlinedVector<const uint8_t*, 16> in_ptr;
    int64_t current_row = -1;
  };

  int64_t rows() const {
    int64_t r = 1;
    for (size_t d = 0; d + 1 < program_.dims.size(); ++d) {
      r *= program_.dims[d];
    }
    return r;
  }
  int64_t chunks_per_row() const {
    return (program_.dims.back() + kChunk - 1) / kChunk;
  }
  int64_t ThreadScratchBytes() const {
    return (program_.num_registers +
            static_cast<int64_t>(program_.inputs.size())) *
           kChunk * slot_bytes_;
  }
  uint8_t* RegisterOf(uint8_t* registers, int r) const {
    return registers + r * kChunk * slot_bytes_;
  }

  // Which inputs are read through a chunk buffer by some instruction (not
  // only as the one-element operand of scalar loops), so they need
  // filling; and the compare-select loops of their directions.
  void BindInputs() {
    read_as_chunk_.assign(program_.inputs.size(), false);
    for (LoopInstr& instr : program_.instrs) {
      if (instr.kind == LoopInstrKind::kCompareSelect) {
        compare_select_loops_.push_back(CompareSelectLoop(instr.direction));
      } else {
        compare_select_loops_.push_back(nullptr);
      }
      for (int k = 0; k < instr.num_args; ++k) {
        const bool scalar =
            (instr.kind == LoopInstrKind::kBinaryScalar && k == 1) ||
            (instr.kind == LoopInstrKind::kBinaryPair && instr.scalar_c &&
             k == 2);
        if (instr.args[k].is_input() && !scalar) {
          read_as_chunk_[instr.args[k].index] = true;
        }
      }
    }
  }

  // Steps `c` from row current_row to the next one: an odometer increment,
  // not a division per dimension and input (short rows, such as attention
  // scores, would spend most of their time there).
  void StepRow(Cursor* c) const {
    const int rank = static_cast<int>(program_.dims.size());
    const size_t num_inputs = program_.inputs.size();
    for (int d = rank - 2; d >= 0; --d) {
      for (size_t i = 0; i < num_inputs; ++i) {
        c->row_offset[i] += program_.inputs[i].strides[d];
      }
      if (++c->row_index[d] < program_.dims[d]) break;
      for (size_t i = 0; i < num_inputs; ++i) {
        c->row_offset[i] -= program_.dims[d] * program_.inputs[i].strides[d];
      }
      c->row_index[d] = 0;
    }
  }

  // Moves `c` to row `row` by division (a thread's first row, or after a
  // jump).
  void SeekRow(int64_t row, Cursor* c) const {
    const int rank = static_cast<int>(program_.dims.size());
    int64_t rest = row;
    for (int d = rank - 2; d >= 0; --d) {
      c->row_index[d] = rest % program_.dims[d];
      rest /= program_.dims[d];
    }
    for (size_t i = 0; i < program_.inputs.size(); ++i) {
      c->row_offset[i] = 0;
      for (int d = 0; d < rank - 1; ++d) {
        c->row_offset[i] += c->row_index[d] * program_.inputs[i].strides[d];
      }
    }
  }

  // Points each input at the `n` elements of the chunk at `start` of the
  // current row: in place when contiguous, else gathered into its staging
  // buffer, or filled there once per row (once per range when the same
  // everywhere, as splat constants are) when repeated along the row.
  void StageInputs(int64_t start, int64_t n, bool new_row, uint8_t* staging,
                   Cursor* c) const {
    const int rank = static_cast<int>(program_.dims.size());
    const int64_t inner = program_.dims[rank - 1];
    for (size_t i = 0; i < program_.inputs.size(); ++i) {
      const LoopInput& in = program_.inputs[i];
      const int64_t stride = in.strides[rank - 1];
      const uint8_t* src = c->row_base[i] + start * stride * in.element_bytes;
      uint8_t* buffer = staging + i * kChunk * slot_bytes_;
      if (stride == 1) {
        c->in_ptr[i] = src;
      } else if (stride != 0) {
        Gather(buffer, src, n, stride, in.element_bytes);
        c->in_ptr[i] = buffer;
      } else if (new_row && read_as_chunk_[i] &&
                 (c->current_row < 0 || !in.invariant)) {
        Fill(buffer, src, std::min(kChunk, inner), in.element_bytes);
        c->in_ptr[i] = buffer;
      }
    }
  }

  // The instructions over one chunk of `n` elements, the result's at `out`.
  void RunInstrs(const RunContext& ctx, uint8_t* registers,
                 const absl::InlinedVector<const uint8_t*, 16>& in_ptr,
                 uint8_t* out, int64_t n) const {
    const std::vector<LoopInput>& inputs = program_.inputs;
    for (size_t i = 0; i < program_.instrs.size(); ++i) {
      const LoopInstr& instr = program_.instrs[i];
      const uint8_t* a[4];
      for (int k = 0; k < instr.num_args; ++k) {
        const LoopOperand& arg = instr.args[k];
        a[k] = arg.is_register() ? RegisterOf(registers, arg.index)
                                 : in_ptr[arg.index];
      }
      uint8_t* dst = instr.out.is_register()
                         ? RegisterOf(registers, instr.out.index)
                         : out;
      switch (instr.kind) {
        case LoopInstrKind::kUnary:
          instr.unary_loop(a[0], dst, n);
          break;
        case LoopInstrKind::kBinary:
          instr.binary_loop(a[0], a[1], dst, n);
          break;
        case LoopInstrKind::kBinaryScalar:
          instr.scalar_loop(a[0], ctx.buffers[inputs[instr.args[1].index].slot],
                            dst, n);
          break;
        case LoopInstrKind::kBinaryPair:
          instr.pair_loop(a[0], a[1],
                          instr.scalar_c
                              ? ctx.buffers[inputs[instr.args[2].index].slot]
                              : a[2],
                          dst, n);
          break;
        case LoopInstrKind::kMultiplyAddChain: {
          float c[kMaxChainLength];
          const int terms = static_cast<int>(instr.coefficients.size());
          for (int j = 0; j < terms; ++j) {
            std::memcpy(&c[j],
                        ctx.buffers[inputs[instr.coefficients[j].index].slot],
                        4);
          }
          instr.chain_loop(a[0], a[1], c, terms, dst, n);
          break;
        }
        case LoopInstrKind::kCompare:
          instr.compare_loop(a[0], a[1], dst, n);
          break;
        case LoopInstrKind::kSelect:
          Select(a[0], a[1], a[2], dst, n, instr.element_bytes);
          break;
        case LoopInstrKind::kCompareSelect:
          compare_select_loops_[i](a[0], a[1], a[2], a[3], dst, n);
          break;
      }
    }
  }

  // Chunks [begin, end) of the row-major walk (chunks_per_row() per row),
  // with thread `thread`'s registers and staging buffers.
  absl::Status RunTasks(const RunContext& ctx, int64_t begin, int64_t end,
                        int thread) const {
    const int rank = static_cast<int>(program_.dims.size());
    const int64_t inner = program_.dims[rank - 1];
    const int64_t per_row = chunks_per_row();
    uint8_t* registers = ctx.scratch + thread * ThreadScratchBytes();
    uint8_t* staging =
        registers + program_.num_registers * kChunk * slot_bytes_;
    uint8_t* out_base = ctx.buffers[program_.result.slot];
    const std::optional<F32RowReduction>& reduction = program_.reduction;
    // Fused row reductions (ranges start at a reduction row).
    RowAccumulator accumulator(
        reduction.has_value() ? reduction->body : RowBody::kAdd,
        reduction.has_value() ? reduction->row_length : 1);
    const int64_t per_reduction = program_.row_loops * per_row;
    Cursor cursor(rank, program_.inputs.size());
    for (int64_t task = begin; task < end; ++task) {
      const int64_t row = task / per_row;
      const int64_t start = (task % per_row) * kChunk;
      const bool new_row = row != cursor.current_row;
      if (new_row && cursor.current_row >= 0 && row == cursor.current_row + 1) {
        StepRow(&cursor);
      } else if (new_row) {
        SeekRow(row, &cursor);
      }
      if (new_row) {
        for (size_t i = 0; i < program_.inputs.size(); ++i) {
          cursor.row_base[i] =
              ctx.buffers[program_.inputs[i].slot] +
              cursor.row_offset[i] * program_.inputs[i].element_bytes;
        }
      }
      const int64_t n = std::min(kChunk, inner - start);
      StageInputs(start, n, new_row, staging, &cursor);
      cursor.current_row = row;
      uint8_t* out = out_base + (row * inner + start) * result_bytes_;
      RunInstrs(ctx, registers, cursor.in_ptr, out, n);
      if (reduction.has_value()) {
        accumulator.Add(reinterpret_cast<const float*>(
                            RegisterOf(registers, program_.reduction_input)),
                        n);
        if ((task + 1) % per_reduction == 0) {
          float init;
          std::memcpy(&init, ctx.buffers[program_.init_slot], sizeof(float));
          reinterpret_cast<float*>(out_base)[task / per_reduction] =
              accumulator.Finish(init);
        }
      }
    }
    return absl::OkStatus();
  }

  LoopProgram program_;
  // Derived from the program at construction.
  std::vector<char> read_as_chunk_;                        // Per input.
  std::vector<CompareSelectLoopFn> compare_select_loops_;  // Per instr.
  int result_bytes_ = 4;
  int threads_ = 1;  // Fixed at compile time: sizes the scratch memory.
  int64_t slot_bytes_ = 1;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Thunk>> MakeLoopFusionThunk(
    const LoopGroup& group, const std::function<int(const ir::Value*)>& slot_of,
    const BufferRef& result, kernels::elementwise::MathAccuracy accuracy) {
  ASSIGN_OR_RETURN(LoopProgram program,
                   BuildLoopProgram(group, slot_of, result, accuracy));
  OptimizeLoopProgram(&program);
  return std::unique_ptr<Thunk>(
      std::make_unique<LoopFusionThunk>(std::move(program)));
}

}  // namespace backplane::cpu
