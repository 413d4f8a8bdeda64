#include "cpu_plugin/loop_fusion_plan.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/kernels/elementwise/binary.h"
#include "compiler/kernels/elementwise/unary.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/loop_program.h"
#include "cpu_plugin/reduce_thunk.h"

namespace backplane::cpu {

using ir::OpCode;

namespace {

bool SupportedElement(ir::ElementType t) {
  const int bytes = ir::ElementByteSize(t);
  return !ir::IsComplex(t) &&
         (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8);
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

// Row reductions of at least this many elements per row run inside the
// loop that computes their input (shorter rows gain nothing).
constexpr int64_t kMinFusedRowLength = 8;

bool IsFusedReductionRoot(const ir::Op& op) {
  std::optional<F32RowReduction> r = MatchF32RowReduction(op);
  return r.has_value() && r->row_length >= kMinFusedRowLength;
}

// Readers of register `r` after instruction `k` wrote it, until it is
// written again.
int ReadersAfter(const std::vector<LoopInstr>& instrs, size_t k,
                 const LoopOperand& r) {
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
// makes one pass over the chunk instead of two. `program.IsSplat(arg)`: the
// operand is a splat input, which the pair reads as one element.
void MergeBinaryPairs(std::vector<LoopInstr>& instrs,
                      const LoopProgram& program) {
  std::vector<LoopInstr> merged;
  for (size_t k = 0; k < instrs.size(); ++k) {
    const LoopInstr& first = instrs[k];
    if (k + 1 < instrs.size() && first.kind == LoopInstrKind::kBinary &&
        first.out.is_register() &&
        instrs[k + 1].kind == LoopInstrKind::kBinary) {
      const LoopInstr& second = instrs[k + 1];
      const LoopOperand r = first.out;
      const int readers = ReadersAfter(instrs, k, r);
      // A multiply whose result only a following add of a splat reads is
      // better paired with that add: it may be a step of a Horner chain
      // (MergeMultiplyAddChains), which pairing it here would break.
      if (second.binary == kernels::elementwise::BinaryOp::kMultiply &&
          second.out.is_register() && k + 2 < instrs.size() &&
          instrs[k + 2].kind == LoopInstrKind::kBinary &&
          instrs[k + 2].binary == kernels::elementwise::BinaryOp::kAdd &&
          ReadersAfter(instrs, k + 1, second.out) == 1 &&
          ((instrs[k + 2].args[0] == second.out &&
            program.IsSplat(instrs[k + 2].args[1])) ||
           (instrs[k + 2].args[1] == second.out &&
            program.IsSplat(instrs[k + 2].args[0])))) {
        merged.push_back(first);
        continue;
      }
      const bool lhs = second.args[0] == r, rhs = second.args[1] == r;
      const LoopOperand c = lhs ? second.args[1] : second.args[0];
      absl::StatusOr<kernels::elementwise::BinaryPairLoopFn> loop =
          absl::UnimplementedError("");
      if (readers == 1 && lhs != rhs && first.type == second.type) {
        loop = kernels::elementwise::ResolveBinaryPairLoop(
            first.binary, second.binary,
            /*intermediate_first=*/lhs, first.type, program.IsSplat(c));
      }
      if (loop.ok()) {
        LoopInstr pair = second;
        pair.kind = LoopInstrKind::kBinaryPair;
        pair.pair_loop = *loop;
        pair.scalar_c = program.IsSplat(c);
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

// A compare whose only reader is a select's predicate runs inside that
// select (one pass, no byte mask in between), when it compares f32 values
// with IEEE semantics and the select picks 4-byte values, and the
// compare's operands still hold the same values when the select runs.
void MergeCompareSelects(std::vector<LoopInstr>& instrs) {
  std::vector<bool> erased(instrs.size(), false);
  for (size_t k = 0; k < instrs.size(); ++k) {
    const LoopInstr& compare = instrs[k];
    if (compare.kind != LoopInstrKind::kCompare || !compare.out.is_register() ||
        compare.type != ir::ElementType::kF32 ||
        (compare.compare_type != kernels::elementwise::CompareType::kDefault &&
         compare.compare_type != kernels::elementwise::CompareType::kFloat) ||
        ReadersAfter(instrs, k, compare.out) != 1) {
      continue;
    }
    size_t j = k + 1;
    bool operands_kept = true;
    for (; j < instrs.size(); ++j) {
      const LoopInstr& m = instrs[j];
      bool reads = false;
      for (int a = 0; a < m.num_args; ++a) reads |= m.args[a] == compare.out;
      if (reads) break;
      operands_kept &= m.out != compare.args[0] && m.out != compare.args[1];
    }
    if (j == instrs.size() || !operands_kept) continue;
    LoopInstr& select = instrs[j];
    if (select.kind != LoopInstrKind::kSelect || select.element_bytes != 4 ||
        select.args[0] != compare.out || select.args[1] == compare.out ||
        select.args[2] == compare.out) {
      continue;
    }
    select.kind = LoopInstrKind::kCompareSelect;
    select.direction = compare.direction;
    select.num_args = 4;
    select.args[3] = select.args[2];
    select.args[2] = select.args[1];
    select.args[0] = compare.args[0];
    select.args[1] = compare.args[1];
    erased[k] = true;
  }
  std::vector<LoopInstr> kept;
  for (size_t k = 0; k < instrs.size(); ++k) {
    if (!erased[k]) kept.push_back(std::move(instrs[k]));
  }
  instrs = std::move(kept);
}

// Runs of multiply-add pairs where each pair multiplies the previous one's
// result (its only reader) by the same value z and adds a splat constant,
// as exported polynomials evaluate: one chain instruction that keeps the
// running value in registers instead of a pass per pair.
void MergeMultiplyAddChains(std::vector<LoopInstr>& instrs) {
  auto is_step = [](const LoopInstr& i) {
    return i.kind == LoopInstrKind::kBinaryPair &&
           i.pair_first == kernels::elementwise::BinaryOp::kMultiply &&
           i.binary == kernels::elementwise::BinaryOp::kAdd && i.scalar_c &&
           i.type == ir::ElementType::kF32;  // c + v is v + c.
  };
  absl::StatusOr<kernels::elementwise::MultiplyAddChainLoopFn> loop =
      kernels::elementwise::ResolveMultiplyAddChainLoop(ir::ElementType::kF32);
  if (!loop.ok()) return;
  std::vector<LoopInstr> merged;
  for (size_t k = 0; k < instrs.size(); ++k) {
    const LoopInstr& first = instrs[k];
    if (!is_step(first) || k + 1 >= instrs.size() || !is_step(instrs[k + 1])) {
      merged.push_back(first);
      continue;
    }
    const LoopInstr& second = instrs[k + 1];
    const LoopOperand r = first.out;
    const bool chained = r.is_register() && ReadersAfter(instrs, k, r) == 1 &&
                         (second.args[0] == r) != (second.args[1] == r);
    if (!chained) {
      merged.push_back(first);
      continue;
    }
    const LoopOperand z = second.args[0] == r ? second.args[1] : second.args[0];
    if (first.args[0] != z && first.args[1] != z) {
      merged.push_back(first);
      continue;
    }
    LoopInstr chain = first;
    chain.kind = LoopInstrKind::kMultiplyAddChain;
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
      const LoopOperand prev = instrs[j - 1].out;
      const LoopInstr& next = instrs[j];
      if (!prev.is_register() || ReadersAfter(instrs, j - 1, prev) != 1) break;
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
void UseScalarOperands(std::vector<LoopInstr>& instrs,
                       const LoopProgram& program) {
  for (LoopInstr& instr : instrs) {
    if (instr.kind == LoopInstrKind::kBinary &&
        program.IsSplat(instr.args[0]) != program.IsSplat(instr.args[1])) {
      const bool scalar_is_lhs = program.IsSplat(instr.args[0]);
      absl::StatusOr<kernels::elementwise::BinaryScalarLoopFn> loop =
          kernels::elementwise::ResolveBinaryScalarLoop(
              instr.binary, scalar_is_lhs, instr.type);
      if (!loop.ok()) continue;
      instr.kind = LoopInstrKind::kBinaryScalar;
      instr.scalar_loop = *loop;
      if (scalar_is_lhs) std::swap(instr.args[0], instr.args[1]);
    }
  }
}

}  // namespace

bool IsView(const ir::Op& op) {
  return op.code() == OpCode::kBroadcastInDim ||
         op.code() == OpCode::kTranspose;
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
           kernels::elementwise::UnaryOpSupports(*u, et);
  }
  if (auto b = BinaryFor(op.code()); b.has_value()) {
    return op.num_operands() == 2 && op.operand(0)->type().tensor() == out &&
           op.operand(1)->type().tensor() == out &&
           kernels::elementwise::BinaryOpSupports(*b, et);
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

void OptimizeLoopProgram(LoopProgram* program) {
  std::vector<LoopInstr>& instrs = program->instrs;
  MergeCompareSelects(instrs);
  MergeBinaryPairs(instrs, *program);
  MergeMultiplyAddChains(instrs);
  UseScalarOperands(instrs, *program);
  // Multiply-add chains show in the kind with their lengths, e.g.
  // "loop_fusion(...)[chains:8,6]".
  std::string chains;
  for (const LoopInstr& instr : instrs) {
    if (instr.kind != LoopInstrKind::kMultiplyAddChain) continue;
    absl::StrAppend(&chains, chains.empty() ? "[chains:" : ",",
                    instr.coefficients.size());
  }
  if (!chains.empty()) program->description += chains + "]";
}

}  // namespace backplane::cpu
