#include "cpu_plugin/loop_fusion.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_error.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/kernels/elementwise/binary.h"
#include "compiler/kernels/elementwise/compare.h"
#include "compiler/kernels/elementwise/element_traits.h"
#include "compiler/kernels/elementwise/unary.h"
#include "cpu_plugin/parallel.h"
#include "cpu_plugin/reduce_thunk.h"
#include "cpu_plugin/strided_dims.h"

namespace backplane::cpu {
namespace {

using ir::OpCode;

// Elements per chunk of the innermost loop: long enough that each op's
// (pre-resolved) kernel call costs little next to its loop, short enough
// that the live values of a long chain (GELU's erf: ~70 ops, ~10 live
// values) stay in L1.
constexpr int64_t kChunk = 512;

bool SupportedElement(ir::ElementType t) {
  const int bytes = ir::ElementByteSize(t);
  return !ir::IsComplex(t) &&
         (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8);
}

// Broadcasts and transposes: members that compute nothing; their users
// read the operand through strides.
bool IsView(const ir::Op& op) {
  return op.code() == OpCode::kBroadcastInDim ||
         op.code() == OpCode::kTranspose;
}

bool IsIdentityTranspose(const ir::Op& op) {
  if (op.code() != OpCode::kTranspose) return false;
  auto perm = ir::GetI64Array(op, "permutation");
  if (!perm.ok()) return false;
  for (size_t i = 0; i < perm->size(); ++i) {
    if ((*perm)[i] != static_cast<int64_t>(i)) return false;
  }
  return true;
}

bool IsIdentityBroadcast(const ir::Op& op) {
  if (op.code() != OpCode::kBroadcastInDim) return false;
  const ir::TensorType& in = op.operand(0)->type().tensor();
  const ir::TensorType& out = op.result(0)->type().tensor();
  if (in.dims() != out.dims()) return false;
  auto dims = ir::GetI64Array(op, "broadcast_dimensions");
  if (!dims.ok()) return false;
  for (size_t i = 0; i < dims->size(); ++i) {
    if ((*dims)[i] != static_cast<int64_t>(i)) return false;
  }
  return true;
}

bool IsIdentityView(const ir::Op& op) {
  return IsIdentityBroadcast(op) || IsIdentityTranspose(op);
}

// A splat dense constant: all elements equal, so it reads with stride 0.
bool IsSplatConstant(const ir::Value* v) {
  const ir::Op* def = v->defining_op();
  if (def == nullptr || def->code() != OpCode::kConstant) return false;
  const ir::Attribute* value = def->attr("value");
  if (value == nullptr ||
      value->kind() != ir::Attribute::Kind::kDenseElements) {
    return false;
  }
  const ir::Literal& l = value->literal();
  const int64_t bytes = ir::ElementByteSize(l.type().element_type());
  const int64_t n = l.type().element_count();
  if (n == 0) return false;
  // Each element against its predecessor: one pass over the bytes, which
  // the compiler vectorises (constants of whole activations are large).
  const auto* data = static_cast<const uint8_t*>(l.untyped_data());
  const int64_t total = n * bytes;
  bool equal = true;
  for (int64_t i = bytes; i < total; ++i) equal &= data[i] == data[i - bytes];
  return equal;
}

enum class InstrKind {
  kUnary,
  kBinary,
  kBinaryScalar,  // args[1] is a splat input read as one element.
  kBinaryPair,    // With scalar_c, args[2] is such an input.
  // Horner's rule: v = args[0]; v = v * args[1] + c for each splat input
  // c of `coefficients`.
  kMultiplyAddChain,
  kCompare,
  kSelect,
  // select(compare(args[0], args[1]), args[2], args[3]) in one pass: f32
  // IEEE comparisons choosing between 4-byte values.
  kCompareSelect
};

struct Instr {
  InstrKind kind;
  kernels::UnaryOp unary = kernels::UnaryOp::kAbs;
  kernels::BinaryOp binary = kernels::BinaryOp::kAdd;
  kernels::ComparisonDirection direction = kernels::ComparisonDirection::kEq;
  kernels::CompareType compare_type = kernels::CompareType::kDefault;
  ir::ElementType type = ir::ElementType::kF32;  // Of the operands.
  int element_bytes = 4;                         // Of the result.
  // Operands: >= 0 a register, < 0 input ~index.
  int args[4] = {0, 0, 0, 0};
  int num_args = 0;
  int out = 0;  // Register; -1 for the result buffer.
  // The kernel loop, resolved at compile time for the kind.
  kernels::UnaryLoopFn unary_loop = nullptr;
  kernels::BinaryLoopFn binary_loop = nullptr;
  kernels::CompareLoopFn compare_loop = nullptr;
  kernels::BinaryPairLoopFn pair_loop = nullptr;
  kernels::BinaryScalarLoopFn scalar_loop = nullptr;
  bool scalar_c = false;  // kBinaryPair: args[2] is read as one element.
  // kBinaryPair: `binary` applied to pair_first(args[0], args[1]) and
  // args[2] (in either order).
  kernels::BinaryOp pair_first = kernels::BinaryOp::kAdd;
  // kMultiplyAddChain: the splat inputs (as ~index), in order.
  std::vector<int> coefficients;
  kernels::MultiplyAddChainLoopFn chain_loop = nullptr;
  // kCompareSelect.
  void (*compare_select_loop)(const uint8_t* a, const uint8_t* b,
                              const uint8_t* x, const uint8_t* y, uint8_t* out,
                              int64_t n) = nullptr;
};

// Chains longer than this are split (the coefficients are staged on the
// stack).
constexpr int kMaxChainLength = 64;

// Readers of register `r` after instruction `k` wrote it, until it is
// written again.
int ReadersAfter(const std::vector<Instr>& instrs, size_t k, int r) {
  int readers = 0;
  for (size_t j = k + 1; j < instrs.size(); ++j) {
    for (int a = 0; a < instrs[j].num_args; ++a) {
      readers += instrs[j].args[a] == r;
    }
    if (instrs[j].out == r) break;
  }
  return readers;
}

// Merges a binary op into the binary op that reads its result next, when
// that is the value's only reader (polynomials: x * y + c), so the pair
// makes one pass over the chunk instead of two. `is_splat(arg)`: the
// operand is a splat input, which the pair reads as one element.
void MergeBinaryPairs(std::vector<Instr>& instrs,
                      const std::function<bool(int)>& is_splat) {
  std::vector<Instr> merged;
  for (size_t k = 0; k < instrs.size(); ++k) {
    const Instr& first = instrs[k];
    if (k + 1 < instrs.size() && first.kind == InstrKind::kBinary &&
        first.out >= 0 && instrs[k + 1].kind == InstrKind::kBinary) {
      const Instr& second = instrs[k + 1];
      const int r = first.out;
      const int readers = ReadersAfter(instrs, k, r);
      // A multiply whose result only a following add of a splat reads is
      // better paired with that add: it may be a step of a Horner chain
      // (MergeMultiplyAddChains), which pairing it here would break.
      if (second.binary == kernels::BinaryOp::kMultiply && second.out >= 0 &&
          k + 2 < instrs.size() && instrs[k + 2].kind == InstrKind::kBinary &&
          instrs[k + 2].binary == kernels::BinaryOp::kAdd &&
          ReadersAfter(instrs, k + 1, second.out) == 1 &&
          ((instrs[k + 2].args[0] == second.out &&
            is_splat(instrs[k + 2].args[1])) ||
           (instrs[k + 2].args[1] == second.out &&
            is_splat(instrs[k + 2].args[0])))) {
        merged.push_back(first);
        continue;
      }
      const bool lhs = second.args[0] == r, rhs = second.args[1] == r;
      const int c = lhs ? second.args[1] : second.args[0];
      absl::StatusOr<kernels::BinaryPairLoopFn> loop =
          absl::UnimplementedError("");
      if (readers == 1 && lhs != rhs && first.type == second.type) {
        loop = kernels::ResolveBinaryPairLoop(first.binary, second.binary,
                                              /*intermediate_first=*/lhs,
                                              first.type, is_splat(c));
      }
      if (loop.ok()) {
        Instr pair = second;
        pair.kind = InstrKind::kBinaryPair;
        pair.pair_loop = *loop;
        pair.scalar_c = is_splat(c);
        pair.pair_first = first.binary;
        pair.num_args = 3;
        pair.args[0] = first.args[0];
        pair.args[1] = first.args[1];
        pair.args[2] = c;
        merged.push_back(pair);
        ++k;
        continue;
      }
    }
    merged.push_back(first);
  }
  instrs = std::move(merged);
}

// cmp(a[i], b[i]) ? x[i] : y[i] for f32 a, b and 4-byte x, y, without
// branches; the comparisons are IEEE's (false with a NaN, except NE), as
// the kernels' FLOAT / default compare computes them.
template <kernels::ComparisonDirection kDirection>
BACKPLANE_VECTOR_CLONES void CompareSelectF32(const uint8_t* a_bytes,
                                              const uint8_t* b_bytes,
                                              const uint8_t* x_bytes,
                                              const uint8_t* y_bytes,
                                              uint8_t* out_bytes, int64_t n) {
  using D = kernels::ComparisonDirection;
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

decltype(Instr::compare_select_loop) CompareSelectLoop(
    kernels::ComparisonDirection direction) {
  using D = kernels::ComparisonDirection;
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

// A compare whose only reader is a select's predicate runs inside that
// select (one pass, no byte mask in between), when it compares f32 values
// with IEEE semantics and the select picks 4-byte values, and the
// compare's operands still hold the same values when the select runs.
void MergeCompareSelects(std::vector<Instr>& instrs) {
  std::vector<bool> erased(instrs.size(), false);
  for (size_t k = 0; k < instrs.size(); ++k) {
    const Instr& compare = instrs[k];
    if (compare.kind != InstrKind::kCompare || compare.out < 0 ||
        compare.type != ir::ElementType::kF32 ||
        (compare.compare_type != kernels::CompareType::kDefault &&
         compare.compare_type != kernels::CompareType::kFloat) ||
        ReadersAfter(instrs, k, compare.out) != 1) {
      continue;
    }
    size_t j = k + 1;
    bool operands_kept = true;
    for (; j < instrs.size(); ++j) {
      const Instr& m = instrs[j];
      bool reads = false;
      for (int a = 0; a < m.num_args; ++a) reads |= m.args[a] == compare.out;
      if (reads) break;
      operands_kept &= m.out != compare.args[0] && m.out != compare.args[1];
    }
    if (j == instrs.size() || !operands_kept) continue;
    Instr& select = instrs[j];
    if (select.kind != InstrKind::kSelect || select.element_bytes != 4 ||
        select.args[0] != compare.out || select.args[1] == compare.out ||
        select.args[2] == compare.out) {
      continue;
    }
    select.kind = InstrKind::kCompareSelect;
    select.compare_select_loop = CompareSelectLoop(compare.direction);
    select.num_args = 4;
    select.args[3] = select.args[2];
    select.args[2] = select.args[1];
    select.args[0] = compare.args[0];
    select.args[1] = compare.args[1];
    erased[k] = true;
  }
  std::vector<Instr> kept;
  for (size_t k = 0; k < instrs.size(); ++k) {
    if (!erased[k]) kept.push_back(std::move(instrs[k]));
  }
  instrs = std::move(kept);
}

// Runs of multiply-add pairs where each pair multiplies the previous one's
// result (its only reader) by the same value z and adds a splat constant,
// as exported polynomials evaluate: one chain instruction that keeps the
// running value in registers instead of a pass per pair.
void MergeMultiplyAddChains(std::vector<Instr>& instrs) {
  auto is_step = [](const Instr& i) {
    return i.kind == InstrKind::kBinaryPair &&
           i.pair_first == kernels::BinaryOp::kMultiply &&
           i.binary == kernels::BinaryOp::kAdd && i.scalar_c &&
           i.type == ir::ElementType::kF32;  // c + v is v + c.
  };
  absl::StatusOr<kernels::MultiplyAddChainLoopFn> loop =
      kernels::ResolveMultiplyAddChainLoop(ir::ElementType::kF32);
  if (!loop.ok()) return;
  std::vector<Instr> merged;
  for (size_t k = 0; k < instrs.size(); ++k) {
    const Instr& first = instrs[k];
    if (!is_step(first) || k + 1 >= instrs.size() || !is_step(instrs[k + 1])) {
      merged.push_back(first);
      continue;
    }
    const Instr& second = instrs[k + 1];
    const int r = first.out;
    const bool chained = r >= 0 && ReadersAfter(instrs, k, r) == 1 &&
                         (second.args[0] == r) != (second.args[1] == r);
    if (!chained) {
      merged.push_back(first);
      continue;
    }
    const int z = second.args[0] == r ? second.args[1] : second.args[0];
    if (first.args[0] != z && first.args[1] != z) {
      merged.push_back(first);
      continue;
    }
    Instr chain = first;
    chain.kind = InstrKind::kMultiplyAddChain;
    chain.chain_loop = *loop;
    chain.num_args = 2;
    chain.args[0] = first.args[1] == z ? first.args[0] : first.args[1];
    chain.args[1] = z;
    chain.coefficients = {first.args[2], second.args[2]};
    chain.out = second.out;
    size_t j = k + 2;
    while (j < instrs.size() &&
           static_cast<int>(chain.coefficients.size()) < kMaxChainLength &&
           is_step(instrs[j])) {
      const int prev = instrs[j - 1].out;
      const Instr& next = instrs[j];
      if (prev < 0 || ReadersAfter(instrs, j - 1, prev) != 1) break;
      const bool uses = (next.args[0] == prev && next.args[1] == z) ||
                        (next.args[1] == prev && next.args[0] == z);
      if (!uses || z == prev) break;
      chain.coefficients.push_back(next.args[2]);
      chain.out = next.out;
      ++j;
    }
    merged.push_back(chain);
    k = j - 1;
  }
  instrs = std::move(merged);
}

// Binary ops with one splat operand read it as one element instead of a
// filled chunk: one stream less per pass.
void UseScalarOperands(std::vector<Instr>& instrs,
                       const std::function<bool(int)>& is_splat) {
  for (Instr& instr : instrs) {
    if (instr.kind == InstrKind::kBinary &&
        is_splat(instr.args[0]) != is_splat(instr.args[1])) {
      const bool scalar_is_lhs = is_splat(instr.args[0]);
      absl::StatusOr<kernels::BinaryScalarLoopFn> loop =
          kernels::ResolveBinaryScalarLoop(instr.binary, scalar_is_lhs,
                                           instr.type);
      if (!loop.ok()) continue;
      instr.kind = InstrKind::kBinaryScalar;
      instr.scalar_loop = *loop;
      if (scalar_is_lhs) std::swap(instr.args[0], instr.args[1]);
    }
  }
}

struct Input {
  int slot = -1;
  int element_bytes = 4;
  std::vector<int64_t> strides;  // Elements, per (collapsed) result dim.
  bool invariant = false;        // Every stride is 0.
  // Read through a chunk buffer by some instruction (not only as the
  // one-element operand of scalar loops), so it needs filling.
  bool read_as_chunk = true;
};

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
  LoopFusionThunk(std::vector<Input> inputs, std::vector<Instr> instrs,
                  int num_registers, std::vector<int64_t> dims,
                  BufferRef result, std::string description)
      : inputs_(std::move(inputs)),
        instrs_(std::move(instrs)),
        num_registers_(num_registers),
        dims_(std::move(dims)),
        result_(std::move(result)),
        description_(std::move(description)) {
    result_bytes_ = ir::ElementByteSize(result_.type.element_type());
    // Registers and staging buffers hold the widest value of the loop.
    for (const Input& in : inputs_) {
      slot_bytes_ = std::max<int64_t>(slot_bytes_, in.element_bytes);
    }
    for (const Instr& instr : instrs_) {
      slot_bytes_ = std::max<int64_t>(
          {slot_bytes_, instr.element_bytes,
           static_cast<int64_t>(ir::ElementByteSize(instr.type))});
    }
    // Element-ops below which handing work to the other threads costs
    // more than it saves; a softmax's subtract+exp over 12x128x128
    // attention scores (393k) is well above it.
    constexpr int64_t kParallelWork = int64_t{1} << 16;
    int64_t elements = 1;
    for (int64_t d : dims_) elements *= d;
    const int64_t work = elements * static_cast<int64_t>(instrs_.size());
    threads_ = work >= kParallelWork
                   ? std::clamp(MaxWorkerThreads(), 1, kMaxThreads)
                   : 1;
  }

  // The loop computes the input of a row reduction instead of a result of
  // its own shape: register `input` holds it, each row of `row_loops`
  // consecutive loop rows is reduced into one element of the result, with
  // the initial value at `init_slot`.
  void ReduceRows(const F32RowReduction& reduction, int input, int init_slot,
                  int64_t row_loops) {
    reduction_ = reduction;
    reduction_input_ = input;
    init_slot_ = init_slot;
    row_loops_ = row_loops;
  }

  absl::Status Run(const RunContext& ctx) const override {
    const int64_t tasks = rows() * chunks_per_row();
    // Threads take whole units: chunks, or the chunks of whole reduction
    // rows when the loop reduces.
    const int64_t unit =
        reduction_.has_value() ? row_loops_ * chunks_per_row() : 1;
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
      if (!statuses[t].ok()) return statuses[t];
    }
    return absl::OkStatus();
  }

  std::string kind() const override { return description_; }
  int64_t scratch_bytes() const override {
    return threads_ * ThreadScratchBytes();
  }

 private:
  static constexpr int kMaxThreads = 64;

  int64_t rows() const {
    int64_t r = 1;
    for (size_t d = 0; d + 1 < dims_.size(); ++d) r *= dims_[d];
    return r;
  }
  int64_t chunks_per_row() const {
    return (dims_.back() + kChunk - 1) / kChunk;
  }
  int64_t ThreadScratchBytes() const {
    return (num_registers_ + static_cast<int64_t>(inputs_.size())) * kChunk *
           slot_bytes_;
  }

  // Chunks [begin, end) of the row-major walk (chunks_per_row() per row),
  // with thread `thread`'s registers and staging buffers.
  absl::Status RunTasks(const RunContext& ctx, int64_t begin, int64_t end,
                        int thread) const {
    const int rank = static_cast<int>(dims_.size());
    const int64_t inner = dims_[rank - 1];
    const int64_t per_row = chunks_per_row();
    uint8_t* registers = ctx.scratch + thread * ThreadScratchBytes();
    uint8_t* staging = registers + num_registers_ * kChunk * slot_bytes_;
    uint8_t* out_base = ctx.buffers[result_.slot];
    const size_t num_inputs = inputs_.size();
    // Fused row reductions (ranges start at a reduction row).
    RowAccumulator accumulator(
        reduction_.has_value() ? reduction_->body : RowBody::kAdd,
        reduction_.has_value() ? reduction_->row_length : 1);
    const int64_t per_reduction = row_loops_ * per_row;
    absl::InlinedVector<const uint8_t*, 16> row_base(num_inputs);
    absl::InlinedVector<const uint8_t*, 16> in_ptr(num_inputs);
    // The current row's index in the outer dimensions and each input's
    // element offset there: stepping to the next row is an odometer
    // increment, not a division per dimension and input (short rows,
    // such as attention scores, would spend most of their time there).
    absl::InlinedVector<int64_t, 8> row_index(std::max(rank - 1, 0));
    absl::InlinedVector<int64_t, 16> row_offset(num_inputs);
    int64_t current_row = -1;
    for (int64_t task = begin; task < end; ++task) {
      const int64_t row = task / per_row;
      const int64_t start = (task % per_row) * kChunk;
      const bool new_row = row != current_row;
      if (new_row && current_row >= 0 && row == current_row + 1) {
        for (int d = rank - 2; d >= 0; --d) {
          for (size_t i = 0; i < num_inputs; ++i) {
            row_offset[i] += inputs_[i].strides[d];
          }
          if (++row_index[d] < dims_[d]) break;
          for (size_t i = 0; i < num_inputs; ++i) {
            row_offset[i] -= dims_[d] * inputs_[i].strides[d];
          }
          row_index[d] = 0;
        }
      } else if (new_row) {
        int64_t rest = row;
        for (int d = rank - 2; d >= 0; --d) {
          row_index[d] = rest % dims_[d];
          rest /= dims_[d];
        }
        for (size_t i = 0; i < num_inputs; ++i) {
          row_offset[i] = 0;
          for (int d = 0; d < rank - 1; ++d) {
            row_offset[i] += row_index[d] * inputs_[i].strides[d];
          }
        }
      }
      if (new_row) {
        for (size_t i = 0; i < num_inputs; ++i) {
          row_base[i] = ctx.buffers[inputs_[i].slot] +
                        row_offset[i] * inputs_[i].element_bytes;
        }
      }
      const int64_t n = std::min(kChunk, inner - start);
      for (size_t i = 0; i < num_inputs; ++i) {
        const Input& in = inputs_[i];
        const int64_t stride = in.strides[rank - 1];
        const uint8_t* src = row_base[i] + start * stride * in.element_bytes;
        uint8_t* buffer = staging + i * kChunk * slot_bytes_;
        if (stride == 1) {
          in_ptr[i] = src;
        } else if (stride != 0) {
          Gather(buffer, src, n, stride, in.element_bytes);
          in_ptr[i] = buffer;
        } else if (new_row && in.read_as_chunk &&
                   (current_row < 0 || !in.invariant)) {
          // A value repeated along the row: filled once per row, or once
          // per range when it is the same everywhere (splat constants).
          Fill(buffer, src, std::min(kChunk, inner), in.element_bytes);
          in_ptr[i] = buffer;
        }
      }
      current_row = row;
      uint8_t* out = out_base + (row * inner + start) * result_bytes_;
      for (const Instr& instr : instrs_) {
        const uint8_t* a[4];
        for (int k = 0; k < instr.num_args; ++k) {
          const int arg = instr.args[k];
          a[k] =
              arg >= 0 ? registers + arg * kChunk * slot_bytes_ : in_ptr[~arg];
        }
        uint8_t* dst =
            instr.out < 0 ? out : registers + instr.out * kChunk * slot_bytes_;
        switch (instr.kind) {
          case InstrKind::kUnary:
            instr.unary_loop(a[0], dst, n);
            break;
          case InstrKind::kBinary:
            instr.binary_loop(a[0], a[1], dst, n);
            break;
          case InstrKind::kBinaryScalar:
            instr.scalar_loop(a[0], ctx.buffers[inputs_[~instr.args[1]].slot],
                              dst, n);
            break;
          case InstrKind::kBinaryPair:
            instr.pair_loop(a[0], a[1],
                            instr.scalar_c
                                ? ctx.buffers[inputs_[~instr.args[2]].slot]
                                : a[2],
                            dst, n);
            break;
          case InstrKind::kMultiplyAddChain: {
            float c[kMaxChainLength];
            const int terms = static_cast<int>(instr.coefficients.size());
            for (int j = 0; j < terms; ++j) {
              std::memcpy(&c[j],
                          ctx.buffers[inputs_[~instr.coefficients[j]].slot], 4);
            }
            instr.chain_loop(a[0], a[1], c, terms, dst, n);
            break;
          }
          case InstrKind::kCompare:
            instr.compare_loop(a[0], a[1], dst, n);
            break;
          case InstrKind::kSelect:
            Select(a[0], a[1], a[2], dst, n, instr.element_bytes);
            break;
          case InstrKind::kCompareSelect:
            instr.compare_select_loop(a[0], a[1], a[2], a[3], dst, n);
            break;
        }
      }
      if (reduction_.has_value()) {
        accumulator.Add(
            reinterpret_cast<const float*>(
                registers + reduction_input_ * kChunk * slot_bytes_),
            n);
        if ((task + 1) % per_reduction == 0) {
          float init;
          std::memcpy(&init, ctx.buffers[init_slot_], sizeof(float));
          reinterpret_cast<float*>(out_base)[task / per_reduction] =
              accumulator.Finish(init);
        }
      }
    }
    return absl::OkStatus();
  }

  std::vector<Input> inputs_;
  std::vector<Instr> instrs_;
  int num_registers_;
  std::vector<int64_t> dims_;
  BufferRef result_;
  int result_bytes_ = 4;
  int threads_ = 1;  // Fixed at compile time: sizes the scratch memory.
  int64_t slot_bytes_ = 1;
  std::string description_;
  std::optional<F32RowReduction> reduction_;
  int reduction_input_ = 0;
  int init_slot_ = -1;
  int64_t row_loops_ = 1;
};

std::vector<int64_t> RowMajorStrides(const ir::TensorType& t) {
  std::vector<int64_t> strides(t.rank(), 1);
  for (int64_t d = t.rank() - 2; d >= 0; --d) {
    strides[d] = strides[d + 1] * t.dim(d + 1);
  }
  return strides;
}

}  // namespace

namespace {

// Row reductions of at least this many elements per row run inside the
// loop that computes their input (shorter rows gain nothing).
constexpr int64_t kMinFusedRowLength = 8;

bool IsFusedReductionRoot(const ir::Op& op) {
  std::optional<F32RowReduction> r = MatchF32RowReduction(op);
  return r.has_value() && r->row_length >= kMinFusedRowLength;
}

}  // namespace

bool IsLoopFusible(const ir::Op& op) {
  if (op.num_results() != 1 || !op.result(0)->type().is_tensor()) return false;
  for (const ir::Value* v : op.operands()) {
    if (!v->type().is_tensor()) return false;
  }
  const ir::TensorType& out = op.result(0)->type().tensor();
  const ir::ElementType et = out.element_type();
  if (!SupportedElement(et)) return false;
  if (op.code() == OpCode::kBroadcastInDim) return op.num_operands() == 1;
  if (op.code() == OpCode::kTranspose) {
    if (op.num_operands() != 1) return false;
    auto perm = ir::GetI64Array(op, "permutation");
    if (!perm.ok() || static_cast<int64_t>(perm->size()) != out.rank()) {
      return false;
    }
    const ir::TensorType& in = op.operand(0)->type().tensor();
    for (int64_t d = 0; d < out.rank(); ++d) {
      const int64_t p = (*perm)[d];
      if (p < 0 || p >= in.rank() || in.dim(p) != out.dim(d)) return false;
    }
    return in.element_type() == et;
  }
  if (auto u = UnaryFor(op.code()); u.has_value()) {
    return op.num_operands() == 1 && op.operand(0)->type().tensor() == out &&
           kernels::UnaryOpSupports(*u, et);
  }
  if (auto b = BinaryFor(op.code()); b.has_value()) {
    return op.num_operands() == 2 && op.operand(0)->type().tensor() == out &&
           op.operand(1)->type().tensor() == out &&
           kernels::BinaryOpSupports(*b, et);
  }
  if (op.code() == OpCode::kCompare) {
    if (op.num_operands() != 2) return false;
    const ir::TensorType& in = op.operand(0)->type().tensor();
    return in == op.operand(1)->type().tensor() && in.dims() == out.dims() &&
           SupportedElement(in.element_type()) &&
           ir::GetComparisonDirection(op).ok() &&
           ir::GetComparisonType(op).ok();
  }
  if (op.code() == OpCode::kSelect) {
    return op.num_operands() == 3 &&
           op.operand(0)->type().tensor().dims() == out.dims() &&
           op.operand(1)->type().tensor() == out &&
           op.operand(2)->type().tensor() == out;
  }
  return false;
}

std::vector<LoopGroup> PlanLoopFusions(
    const ir::Block& block,
    const std::function<bool(const ir::Op&)>& excluded) {
  // The groups each planned op belongs to: one, except for views (which
  // compute nothing) whose users are in several groups; each of those
  // groups reads through its own copy of the view.
  absl::flat_hash_map<const ir::Op*, std::vector<int>> groups_of;
  std::vector<std::vector<const ir::Op*>> groups;
  std::vector<std::vector<int64_t>> group_dims;
  for (auto it = block.ops().rbegin(); it != block.ops().rend(); ++it) {
    const ir::Op& op = **it;
    if (!excluded(op) && IsFusedReductionRoot(op)) {
      // A row reduction starts a group at its input's shape; it is never
      // a member of another.
      groups_of[&op] = {static_cast<int>(groups.size())};
      groups.push_back({&op});
      group_dims.push_back(op.operand(0)->type().tensor().dims());
      continue;
    }
    if (excluded(op) || !IsLoopFusible(op)) continue;
    const ir::Value* result = op.result(0);
    const bool is_view = IsView(op);
    std::vector<int> joined;
    bool joins = !result->uses().empty();
    for (const ir::Use& use : result->uses()) {
      auto g = groups_of.find(use.user);
      if (g == groups_of.end()) {
        joins = false;
        break;
      }
      // Only views read their operand at another index; the loop
      // evaluates members at the result's index, so a view's operand must
      // be read from memory unless the view is the identity.
      if (!is_view && IsView(*use.user) && !IsIdentityView(*use.user)) {
        joins = false;
        break;
      }
      for (int group : g->second) {
        if (std::find(joined.begin(), joined.end(), group) == joined.end()) {
          joined.push_back(group);
        }
      }
    }
    // A computed op joins one group, whose loop runs at its own shape.
    if (joins && !is_view &&
        (joined.size() != 1 ||
         result->type().tensor().dims() != group_dims[joined[0]])) {
      joins = false;
    }
    if (joins) {
      for (int group : joined) groups[group].push_back(&op);
      groups_of[&op] = std::move(joined);
      continue;
    }
    if (is_view) continue;  // Alone it is a layout thunk.
    groups_of[&op] = {static_cast<int>(groups.size())};
    groups.push_back({&op});
    group_dims.push_back(result->type().tensor().dims());
  }
  std::vector<LoopGroup> out;
  for (auto& members : groups) {
    if (members.size() < 2) continue;
    // A reduction needs its input computed in the loop (not only viewed).
    if (members.front()->code() == OpCode::kReduce) {
      const ir::Op* def = members.front()->operand(0)->defining_op();
      if (def == nullptr || IsView(*def) ||
          std::find(members.begin(), members.end(), def) == members.end()) {
        continue;
      }
    }
    std::reverse(members.begin(), members.end());
    out.push_back(LoopGroup{std::move(members)});
  }
  // Program order of roots, so that callers can walk them with the block.
  std::reverse(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::unique_ptr<Thunk>> MakeLoopFusionThunk(
    const LoopGroup& group, const std::function<int(const ir::Value*)>& slot_of,
    const BufferRef& result, kernels::MathAccuracy accuracy) {
  absl::flat_hash_map<const ir::Op*, int> member_index;
  for (size_t i = 0; i < group.members.size(); ++i) {
    member_index[group.members[i]] = static_cast<int>(i);
  }
  // A reduction's loop runs over its input; any other loop over its
  // result.
  const ir::Op* root = group.root();
  const bool reduces = root->code() == OpCode::kReduce;
  const ir::TensorType out_type =
      reduces ? root->operand(0)->type().tensor() : result.type;
  std::vector<Input> inputs;
  // Input index of each (slot, strides) pair, so repeated reads share one.
  auto add_input = [&](int slot, int bytes, std::vector<int64_t> strides) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i].slot == slot && inputs[i].strides == strides &&
          inputs[i].element_bytes == bytes) {
        return static_cast<int>(i);
      }
    }
    inputs.push_back(Input{slot, bytes, std::move(strides)});
    return static_cast<int>(inputs.size()) - 1;
  };
  absl::flat_hash_map<const ir::Value*, bool> splat_cache;
  // Strides (over v's own dims) and slot of a value read from memory,
  // looking through member broadcasts.
  std::function<absl::Status(const ir::Value*, int*, std::vector<int64_t>*)>
      resolve = [&](const ir::Value* v, int* slot,
                    std::vector<int64_t>* strides) -> absl::Status {
    const ir::TensorType& t = v->type().tensor();
    const ir::Op* def = v->defining_op();
    if (def != nullptr && member_index.contains(def)) {
      if (!IsView(*def)) {
        return absl::InternalError(absl::StrCat(
            ir::FormatLocation(*def),
            ": loop fusion reads a computed member through a view"));
      }
      std::vector<int64_t> in_strides;
      RETURN_IF_ERROR(resolve(def->operand(0), slot, &in_strides));
      if (def->code() == OpCode::kTranspose) {
        ASSIGN_OR_RETURN(auto perm, ir::GetI64Array(*def, "permutation"));
        strides->assign(t.rank(), 0);
        for (int64_t d = 0; d < t.rank(); ++d) {
          (*strides)[d] = in_strides[perm[d]];
        }
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(auto dims,
                       ir::GetI64Array(*def, "broadcast_dimensions"));
      const ir::TensorType& in = def->operand(0)->type().tensor();
      strides->assign(t.rank(), 0);
      for (size_t k = 0; k < dims.size(); ++k) {
        const int64_t d = dims[k];
        if (in.dim(k) == t.dim(d)) (*strides)[d] = in_strides[k];
      }
      return absl::OkStatus();
    }
    *slot = slot_of(v);
    if (*slot < 0) {
      return absl::InternalError(
          "loop fusion reads a value that has no buffer");
    }
    auto splat = splat_cache.find(v);
    if (splat == splat_cache.end()) {
      splat = splat_cache.emplace(v, IsSplatConstant(v)).first;
    }
    if (splat->second) {
      strides->assign(t.rank(), 0);
    } else {
      *strides = RowMajorStrides(t);
    }
    return absl::OkStatus();
  };

  // Registers: one per live member value, reused after its last use.
  absl::flat_hash_map<const ir::Value*, int> last_use;  // Member index.
  for (size_t i = 0; i < group.members.size(); ++i) {
    for (const ir::Value* v : group.members[i]->operands()) {
      last_use[v] = static_cast<int>(i);
    }
  }
  absl::flat_hash_map<const ir::Value*, int> register_of;
  std::vector<int> free_registers;
  int num_registers = 0;
  std::vector<Instr> instrs;
  std::string description = "loop_fusion(";
  auto operand_of = [&](const ir::Value* v, int* arg) -> absl::Status {
    if (auto r = register_of.find(v); r != register_of.end()) {
      *arg = r->second;
      return absl::OkStatus();
    }
    int slot = -1;
    std::vector<int64_t> strides;
    RETURN_IF_ERROR(resolve(v, &slot, &strides));
    *arg =
        ~add_input(slot, ir::ElementByteSize(v->type().tensor().element_type()),
                   std::move(strides));
    return absl::OkStatus();
  };
  int num_ops = 0;
  for (size_t i = 0; i < group.members.size(); ++i) {
    const ir::Op& op = *group.members[i];
    if (reduces && &op == root) {
      absl::StrAppend(&description, num_ops++ == 0 ? "" : ",", "reduce");
      continue;
    }
    if (IsView(op)) {
      // Identity views of computed values pass the register on; the
      // others are read by their users through strides.
      if (IsIdentityView(op)) {
        auto r = register_of.find(op.operand(0));
        if (r != register_of.end()) register_of[op.result(0)] = r->second;
      }
      continue;
    }
    Instr instr;
    instr.type = op.operand(op.code() == OpCode::kSelect ? 1 : 0)
                     ->type()
                     .tensor()
                     .element_type();
    instr.element_bytes =
        ir::ElementByteSize(op.result(0)->type().tensor().element_type());
    if (auto u = UnaryFor(op.code()); u.has_value()) {
      instr.kind = InstrKind::kUnary;
      instr.unary = *u;
      absl::StatusOr<kernels::UnaryLoopFn> loop =
          kernels::ResolveUnaryLoop(*u, instr.type, accuracy);
      if (!loop.ok()) return loop.status();
      instr.unary_loop = *loop;
    } else if (auto b = BinaryFor(op.code()); b.has_value()) {
      instr.kind = InstrKind::kBinary;
      instr.binary = *b;
      absl::StatusOr<kernels::BinaryLoopFn> loop =
          kernels::ResolveBinaryLoop(*b, instr.type);
      if (!loop.ok()) return loop.status();
      instr.binary_loop = *loop;
    } else if (op.code() == OpCode::kCompare) {
      instr.kind = InstrKind::kCompare;
      // The kernel enums list the spec's values in the IR's order.
      auto direction = ir::GetComparisonDirection(op);
      auto compare_type = ir::GetComparisonType(op);
      if (!direction.ok()) return direction.status();
      if (!compare_type.ok()) return compare_type.status();
      instr.direction = static_cast<kernels::ComparisonDirection>(*direction);
      instr.compare_type = static_cast<kernels::CompareType>(*compare_type);
      ASSIGN_OR_RETURN(kernels::CompareLoopFn loop,
                       kernels::ResolveCompareLoop(
                           instr.direction, instr.compare_type, instr.type));
      instr.compare_loop = loop;
    } else {
      instr.kind = InstrKind::kSelect;
    }
    instr.num_args = op.num_operands();
    for (int k = 0; k < op.num_operands(); ++k) {
      RETURN_IF_ERROR(operand_of(op.operand(k), &instr.args[k]));
    }
    if (&op == group.root()) {
      instr.out = -1;
    } else if (!free_registers.empty()) {
      instr.out = free_registers.back();
      free_registers.pop_back();
    } else {
      instr.out = num_registers++;
    }
    // Free registers whose value dies here only now: the result never
    // shares a register with an operand (a compare writes bytes over
    // floats otherwise, which the kernels do not allow).
    for (int k = 0; k < op.num_operands(); ++k) {
      const ir::Value* v = op.operand(k);
      auto r = register_of.find(v);
      if (r != register_of.end() && last_use[v] == static_cast<int>(i) &&
          std::find(free_registers.begin(), free_registers.end(), r->second) ==
              free_registers.end()) {
        bool still_used = false;  // Another value may share the register.
        for (const auto& [other, reg] : register_of) {
          if (reg == r->second && other != v && last_use.contains(other) &&
              last_use[other] > static_cast<int>(i)) {
            still_used = true;
          }
        }
        if (!still_used) free_registers.push_back(r->second);
      }
    }
    if (instr.out >= 0) register_of[op.result(0)] = instr.out;
    instrs.push_back(instr);
    absl::StrAppend(&description, num_ops++ == 0 ? "" : ",",
                    op.name().substr(op.name().find('.') + 1));
  }
  description += ")";
  std::optional<F32RowReduction> reduction;
  int reduction_input = -1;
  int init_slot = -1;
  if (reduces) {
    reduction = MatchF32RowReduction(*root);
    auto r = register_of.find(root->operand(0));
    init_slot = slot_of(root->operand(1));
    if (!reduction.has_value() || r == register_of.end() || init_slot < 0) {
      return absl::InternalError(
          "fused reduction without a computed input or initial value");
    }
    reduction_input = r->second;
  } else if (instrs.empty() || instrs.back().out != -1) {
    return absl::InternalError("loop fusion group does not end in its root");
  }
  std::vector<int64_t> dims = out_type.dims();
  std::vector<std::vector<int64_t>*> input_strides;
  for (Input& in : inputs) input_strides.push_back(&in.strides);
  // A reduction row must stay whole: a view whose strides are contiguous
  // inside the reduced (trailing) block and inside the outer block, but
  // not across them, keeps CollapseDims from merging the two.
  std::vector<int64_t> boundary;
  if (reduces) {
    const int64_t rank = static_cast<int64_t>(dims.size());
    const int64_t outer_rank = root->result(0)->type().tensor().rank();
    boundary.assign(rank, 1);
    for (int64_t d = rank - 2; d >= outer_rank; --d) {
      boundary[d] = boundary[d + 1] * dims[d + 1];
    }
    for (int64_t d = outer_rank - 1; d >= 0; --d) {
      boundary[d] = d == outer_rank - 1 ? reduction->row_length + 1
                                        : boundary[d + 1] * dims[d + 1];
    }
    input_strides.push_back(&boundary);
  }
  CollapseDims(&dims, input_strides);
  // Loop rows per reduction row: the collapsed reduced dimensions other
  // than the innermost.
  int64_t row_loops = 1;
  if (reduces) {
    for (size_t d = 0; d + 1 < dims.size(); ++d) {
      if (boundary[d] <= reduction->row_length) row_loops *= dims[d];
    }
  }
  for (Input& in : inputs) {
    in.invariant = std::all_of(in.strides.begin(), in.strides.end(),
                               [](int64_t s) { return s == 0; });
  }
  auto is_splat = [&](int arg) { return arg < 0 && inputs[~arg].invariant; };
  MergeCompareSelects(instrs);
  MergeBinaryPairs(instrs, is_splat);
  MergeMultiplyAddChains(instrs);
  UseScalarOperands(instrs, is_splat);
  // Multiply-add chains show in the kind with their lengths, e.g.
  // "loop_fusion(...)[chains:8,6]".
  std::string chains;
  for (const Instr& instr : instrs) {
    if (instr.kind != InstrKind::kMultiplyAddChain) continue;
    absl::StrAppend(&chains, chains.empty() ? "[chains:" : ",",
                    instr.coefficients.size());
  }
  if (!chains.empty()) description += chains + "]";
  for (Input& in : inputs) in.read_as_chunk = false;
  for (const Instr& instr : instrs) {
    for (int k = 0; k < instr.num_args; ++k) {
      const bool scalar =
          (instr.kind == InstrKind::kBinaryScalar && k == 1) ||
          (instr.kind == InstrKind::kBinaryPair && instr.scalar_c && k == 2);
      if (instr.args[k] < 0 && !scalar) {
        inputs[~instr.args[k]].read_as_chunk = true;
      }
    }
  }
  auto thunk = std::make_unique<LoopFusionThunk>(
      std::move(inputs), std::move(instrs), num_registers, std::move(dims),
      result, std::move(description));
  if (reduces) {
    thunk->ReduceRows(*reduction, reduction_input, init_slot, row_loops);
  }
  return std::unique_ptr<Thunk>(std::move(thunk));
}

}  // namespace backplane::cpu
