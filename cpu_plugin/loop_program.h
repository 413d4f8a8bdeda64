// LoopProgram: what one fused loop (loop_fusion_plan.h) runs over each
// chunk of its iteration space: the inputs it reads through strides, the
// instruction list (one kernel loop per computed member, resolved at compile
// time), the registers (chunk-sized scratch buffers) between them, and an
// optional row reduction of the last value instead of a stored result.
//
//   ASSIGN_OR_RETURN(LoopProgram program,
//                    BuildLoopProgram(group, slot_of, result, accuracy));
//   OptimizeLoopProgram(&program);  // loop_fusion_plan.h
//   for (const LoopInstr& instr : program.instrs) {
//     if (instr.args[0].kind == LoopOperand::Kind::kInput) ...
//   }
#ifndef BACKPLANE_CPU_PLUGIN_LOOP_PROGRAM_H_
#define BACKPLANE_CPU_PLUGIN_LOOP_PROGRAM_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "compiler/kernels/elementwise/binary.h"
#include "compiler/kernels/elementwise/compare.h"
#include "compiler/kernels/elementwise/unary.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/loop_fusion_plan.h"
#include "cpu_plugin/reduce_thunk.h"

namespace backplane::cpu {

// Elements per chunk of the innermost loop: long enough that each op's
// (pre-resolved) kernel call costs little next to its loop, short enough
// that the live values of a long chain (GELU's erf: ~70 ops, ~10 live
// values) stay in L1.
constexpr int64_t kLoopChunk = 512;

// Chains longer than this are split (the coefficients are staged on the
// stack).
constexpr int kMaxChainLength = 64;

// What an instruction reads or writes: a register, an input (read through
// its strides) or the loop's result buffer.
struct LoopOperand {
  enum class Kind { kRegister, kInput, kResult };
  Kind kind = Kind::kRegister;
  int index = 0;  // Register or input index; 0 for the result.

  static LoopOperand Register(int r) { return {Kind::kRegister, r}; }
  static LoopOperand Input(int i) { return {Kind::kInput, i}; }
  static LoopOperand Result() { return {Kind::kResult, 0}; }
  bool is_register() const { return kind == Kind::kRegister; }
  bool is_input() const { return kind == Kind::kInput; }
  bool operator==(const LoopOperand& o) const {
    return kind == o.kind && index == o.index;
  }
  bool operator!=(const LoopOperand& o) const { return !(*this == o); }
};

enum class LoopInstrKind {
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
  // IEEE comparisons (`direction`) choosing between 4-byte values.
  kCompareSelect
};

struct LoopInstr {
  LoopInstrKind kind = LoopInstrKind::kUnary;
  kernels::elementwise::UnaryOp unary = kernels::elementwise::UnaryOp::kAbs;
  kernels::elementwise::BinaryOp binary = kernels::elementwise::BinaryOp::kAdd;
  kernels::elementwise::ComparisonDirection direction =
      kernels::elementwise::ComparisonDirection::kEq;
  kernels::elementwise::CompareType compare_type =
      kernels::elementwise::CompareType::kDefault;
  ir::ElementType type = ir::ElementType::kF32;  // Of the operands.
  int element_bytes = 4;                         // Of the result.
  LoopOperand args[4];
  int num_args = 0;
  LoopOperand out;  // A register, or the result.
  // The kernel loop, resolved at compile time for the kind.
  kernels::elementwise::UnaryLoopFn unary_loop = nullptr;
  kernels::elementwise::BinaryLoopFn binary_loop = nullptr;
  kernels::elementwise::CompareLoopFn compare_loop = nullptr;
  kernels::elementwise::BinaryPairLoopFn pair_loop = nullptr;
  kernels::elementwise::BinaryScalarLoopFn scalar_loop = nullptr;
  bool scalar_c = false;  // kBinaryPair: args[2] is read as one element.
  // kBinaryPair: `binary` applied to pair_first(args[0], args[1]) and
  // args[2] (in either order).
  kernels::elementwise::BinaryOp pair_first =
      kernels::elementwise::BinaryOp::kAdd;
  // kMultiplyAddChain: the splat inputs, in order.
  std::vector<LoopOperand> coefficients;
  kernels::elementwise::MultiplyAddChainLoopFn chain_loop = nullptr;
};

// A buffer the loop reads, through a stride per (collapsed) loop dimension.
struct LoopInput {
  int slot = -1;
  int element_bytes = 4;
  std::vector<int64_t> strides;  // Elements, per (collapsed) result dim.
  bool invariant = false;        // Every stride is 0.
};

struct LoopProgram {
  std::vector<LoopInput> inputs;
  std::vector<LoopInstr> instrs;
  int num_registers = 0;
  std::vector<int64_t> dims;  // The loop nest, collapsed (strided_dims.h).
  BufferRef result;
  // "loop_fusion(add,exponential)": the thunk's kind.
  std::string description;
  // Set when the loop computes the input of a row reduction instead of a
  // result of its own shape: register `reduction_input` holds it, each row
  // of `row_loops` consecutive loop rows is reduced into one element of the
  // result, with the initial value at `init_slot`.
  std::optional<F32RowReduction> reduction;
  int reduction_input = 0;
  int init_slot = -1;
  int64_t row_loops = 1;

  // Whether `operand` is an input with the same value everywhere.
  bool IsSplat(const LoopOperand& operand) const {
    return operand.is_input() && inputs[operand.index].invariant;
  }
};

// The loop program computing `group` into `result`; `slot_of` gives the
// buffer of every value the group reads from outside (-1: none).
// `accuracy` selects the transcendental kernels (kernels/elementwise/unary.h).
absl::StatusOr<LoopProgram> BuildLoopProgram(
    const LoopGroup& group, const std::function<int(const ir::Value*)>& slot_of,
    const BufferRef& result, kernels::elementwise::MathAccuracy accuracy);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_LOOP_PROGRAM_H_
