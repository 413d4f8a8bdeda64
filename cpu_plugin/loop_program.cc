#include "cpu_plugin/loop_program.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/op_error.h"
#include "cpu_plugin/strided_dims.h"

namespace backplane::cpu {
namespace {

using ir::OpCode;

std::vector<int64_t> RowMajorStrides(const ir::TensorType& t) {
  std::vector<int64_t> strides(t.rank(), 1);
  for (int64_t d = t.rank() - 2; d >= 0; --d) {
    strides[d] = strides[d + 1] * t.dim(d + 1);
  }
  return strides;
}

// Builds one LoopProgram: Emit turns each computed member into an
// instruction over registers and inputs, then Finish sets up the fused
// reduction and collapses the loop nest.
class LoopProgramBuilder {
 public:
  LoopProgramBuilder(const LoopGroup& group,
                     const std::function<int(const ir::Value*)>& slot_of,
                     const BufferRef& result,
                     kernels::elementwise::MathAccuracy accuracy)
      : group_(group),
        slot_of_(slot_of),
        accuracy_(accuracy),
        root_(*group.root()),
        reduces_(root_.code() == OpCode::kReduce) {
    for (size_t i = 0; i < group.members.size(); ++i) {
      member_index_[group.members[i]] = static_cast<int>(i);
      for (const ir::Value* v : group.members[i]->operands()) {
        last_use_[v] = static_cast<int>(i);
      }
    }
    program_.result = result;
    program_.description = "loop_fusion(";
  }

  absl::StatusOr<LoopProgram> Build() && {
    RETURN_IF_ERROR(EmitMembers());
    program_.description += ")";
    std::vector<int64_t> boundary;
    RETURN_IF_ERROR(SetUpReduction(&boundary));
    CollapseLoop(&boundary);
    return std::move(program_);
  }

 private:
  absl::Status EmitMembers();
  absl::StatusOr<LoopInstr> MakeInstr(const ir::Op& op);
  void AssignRegisters(const ir::Op& op, int member, LoopInstr* instr);
  absl::StatusOr<LoopOperand> OperandOf(const ir::Value* v);
  absl::Status Resolve(const ir::Value* v, int* slot,
                       std::vector<int64_t>* strides);
  absl::Status ResolveView(const ir::Op& view, const ir::TensorType& t,
                           int* slot, std::vector<int64_t>* strides);
  int AddInput(int slot, int bytes, std::vector<int64_t> strides);
  absl::Status SetUpReduction(std::vector<int64_t>* boundary);
  void CollapseLoop(std::vector<int64_t>* boundary);

  const LoopGroup& group_;
  const std::function<int(const ir::Value*)>& slot_of_;
  const kernels::elementwise::MathAccuracy accuracy_;
  const ir::Op& root_;
  // A reduction's loop runs over its input; any other loop over its
  // result.
  const bool reduces_;
  absl::flat_hash_map<const ir::Op*, int> member_index_;
  absl::flat_hash_map<const ir::Value*, int> last_use_;  // Member index.
  absl::flat_hash_map<const ir::Value*, bool> splat_cache_;
  // Registers: one per live member value, reused after its last use.
  absl::flat_hash_map<const ir::Value*, int> register_of_;
  std::vector<int> free_registers_;
  LoopProgram program_;
};

absl::Status LoopProgramBuilder::EmitMembers() {
  int num_ops = 0;
  for (size_t i = 0; i < group_.members.size(); ++i) {
    const ir::Op& op = *group_.members[i];
    if (reduces_ && &op == &root_) {
      absl::StrAppend(&program_.description, num_ops++ == 0 ? "" : ",",
                      "reduce");
      continue;
    }
    if (IsView(op)) {
      // Identity views of computed values pass the register on; the
      // others are read by their users through strides.
      if (IsIdentityView(op)) {
        auto r = register_of_.find(op.operand(0));
        if (r != register_of_.end()) register_of_[op.result(0)] = r->second;
      }
      continue;
    }
    ASSIGN_OR_RETURN(LoopInstr instr, MakeInstr(op));
    AssignRegisters(op, static_cast<int>(i), &instr);
    program_.instrs.push_back(instr);
    absl::StrAppend(&program_.description, num_ops++ == 0 ? "" : ",",
                    op.name().substr(op.name().find('.') + 1));
  }
  return absl::OkStatus();
}

// The instruction of a computed member, its kernel loop resolved, reading
// its operands from registers or inputs.
absl::StatusOr<LoopInstr> LoopProgramBuilder::MakeInstr(const ir::Op& op) {
  LoopInstr instr;
  instr.type = op.operand(op.code() == OpCode::kSelect ? 1 : 0)
                   ->type()
                   .tensor()
                   .element_type();
  instr.element_bytes =
      ir::ElementByteSize(op.result(0)->type().tensor().element_type());
  if (auto u = UnaryFor(op.code()); u.has_value()) {
    instr.kind = LoopInstrKind::kUnary;
    instr.unary = *u;
    ASSIGN_OR_RETURN(instr.unary_loop, kernels::elementwise::ResolveUnaryLoop(
                                           *u, instr.type, accuracy_));
  } else if (auto b = BinaryFor(op.code()); b.has_value()) {
    instr.kind = LoopInstrKind::kBinary;
    instr.binary = *b;
    ASSIGN_OR_RETURN(instr.binary_loop,
                     kernels::elementwise::ResolveBinaryLoop(*b, instr.type));
  } else if (op.code() == OpCode::kCompare) {
    instr.kind = LoopInstrKind::kCompare;
    // The kernel enums list the spec's values in the IR's order.
    auto direction = ir::GetComparisonDirection(op);
    auto compare_type = ir::GetComparisonType(op);
    RETURN_IF_ERROR(direction.status());
    RETURN_IF_ERROR(compare_type.status());
    instr.direction =
        static_cast<kernels::elementwise::ComparisonDirection>(*direction);
    instr.compare_type =
        static_cast<kernels::elementwise::CompareType>(*compare_type);
    ASSIGN_OR_RETURN(instr.compare_loop,
                     kernels::elementwise::ResolveCompareLoop(
                         instr.direction, instr.compare_type, instr.type));
  } else {
    instr.kind = LoopInstrKind::kSelect;
  }
  instr.num_args = op.num_operands();
  for (int k = 0; k < op.num_operands(); ++k) {
    ASSIGN_OR_RETURN(instr.args[k], OperandOf(op.operand(k)));
  }
  return instr;
}

// The root writes the result; other members a free register or a new one.
// Registers whose value dies at member `member` are freed only after it:
// the result never shares a register with an operand (a compare writes
// bytes over floats otherwise, which the kernels do not allow).
void LoopProgramBuilder::AssignRegisters(const ir::Op& op, int member,
                                         LoopInstr* instr) {
  if (&op == group_.root()) {
    instr->out = LoopOperand::Result();
  } else if (!free_registers_.empty()) {
    instr->out = LoopOperand::Register(free_registers_.back());
    free_registers_.pop_back();
  } else {
    instr->out = LoopOperand::Register(program_.num_registers++);
  }
  for (int k = 0; k < op.num_operands(); ++k) {
    const ir::Value* v = op.operand(k);
    auto r = register_of_.find(v);
    if (r != register_of_.end() && last_use_[v] == member &&
        std::find(free_registers_.begin(), free_registers_.end(), r->second) ==
            free_registers_.end()) {
      bool still_used = false;  // Another value may share the register.
      for (const auto& [other, reg] : register_of_) {
        if (reg == r->second && other != v && last_use_.contains(other) &&
            last_use_[other] > member) {
          still_used = true;
        }
      }
      if (!still_used) free_registers_.push_back(r->second);
    }
  }
  if (instr->out.is_register()) {
    register_of_[op.result(0)] = instr->out.index;
  }
}

absl::StatusOr<LoopOperand> LoopProgramBuilder::OperandOf(const ir::Value* v) {
  if (auto r = register_of_.find(v); r != register_of_.end()) {
    return LoopOperand::Register(r->second);
  }
  int slot = -1;
  std::vector<int64_t> strides;
  RETURN_IF_ERROR(Resolve(v, &slot, &strides));
  return LoopOperand::Input(
      AddInput(slot, ir::ElementByteSize(v->type().tensor().element_type()),
               std::move(strides)));
}

// Input index of each (slot, strides) pair, so repeated reads share one.
int LoopProgramBuilder::AddInput(int slot, int bytes,
                                 std::vector<int64_t> strides) {
  std::vector<LoopInput>& inputs = program_.inputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].slot == slot && inputs[i].strides == strides &&
        inputs[i].element_bytes == bytes) {
      return static_cast<int>(i);
    }
  }
  inputs.push_back(LoopInput{slot, bytes, std::move(strides)});
  return static_cast<int>(inputs.size()) - 1;
}

// Strides (over v's own dims) and slot of a value read from memory,
// looking through member views.
absl::Status LoopProgramBuilder::Resolve(const ir::Value* v, int* slot,
                                         std::vector<int64_t>* strides) {
  const ir::TensorType& t = v->type().tensor();
  const ir::Op* def = v->defining_op();
  if (def != nullptr && member_index_.contains(def)) {
    if (!IsView(*def)) {
      return absl::InternalError(
          absl::StrCat(ir::FormatLocation(*def),
                       ": loop fusion reads a computed member through a view"));
    }
    return ResolveView(*def, t, slot, strides);
  }
  *slot = slot_of_(v);
  if (*slot < 0) {
    return absl::InternalError("loop fusion reads a value that has no buffer");
  }
  auto splat = splat_cache_.find(v);
  if (splat == splat_cache_.end()) {
    splat = splat_cache_.emplace(v, IsSplatConstant(v)).first;
  }
  if (splat->second) {
    strides->assign(t.rank(), 0);
  } else {
    *strides = RowMajorStrides(t);
  }
  return absl::OkStatus();
}

// The strides of member view `view` (of type `t`) over its operand's.
absl::Status LoopProgramBuilder::ResolveView(const ir::Op& view,
                                             const ir::TensorType& t, int* slot,
                                             std::vector<int64_t>* strides) {
  std::vector<int64_t> in_strides;
  RETURN_IF_ERROR(Resolve(view.operand(0), slot, &in_strides));
  if (view.code() == OpCode::kTranspose) {
    ASSIGN_OR_RETURN(auto perm, ir::GetI64Array(view, "permutation"));
    strides->assign(t.rank(), 0);
    for (int64_t d = 0; d < t.rank(); ++d) {
      (*strides)[d] = in_strides[perm[d]];
    }
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(auto dims, ir::GetI64Array(view, "broadcast_dimensions"));
  const ir::TensorType& in = view.operand(0)->type().tensor();
  strides->assign(t.rank(), 0);
  for (size_t k = 0; k < dims.size(); ++k) {
    const int64_t d = dims[k];
    if (in.dim(k) == t.dim(d)) (*strides)[d] = in_strides[k];
  }
  return absl::OkStatus();
}

// The loop dims (uncollapsed) and, for a reduction, its register, initial
// value and `boundary`: a reduction row must stay whole, and a view whose
// strides are contiguous inside the reduced (trailing) block and inside the
// outer block, but not across them, keeps CollapseDims from merging the two.
absl::Status LoopProgramBuilder::SetUpReduction(
    std::vector<int64_t>* boundary) {
  if (!reduces_) {
    if (program_.instrs.empty() || program_.instrs.back().out.is_register()) {
      return absl::InternalError("loop fusion group does not end in its root");
    }
    program_.dims = program_.result.type.dims();
    return absl::OkStatus();
  }
  program_.reduction = MatchF32RowReduction(root_);
  auto r = register_of_.find(root_.operand(0));
  program_.init_slot = slot_of_(root_.operand(1));
  if (!program_.reduction.has_value() || r == register_of_.end() ||
      program_.init_slot < 0) {
    return absl::InternalError(
        "fused reduction without a computed input or initial value");
  }
  program_.reduction_input = r->second;
  program_.dims = root_.operand(0)->type().tensor().dims();
  const std::vector<int64_t>& dims = program_.dims;
  const int64_t rank = static_cast<int64_t>(dims.size());
  const int64_t outer_rank = root_.result(0)->type().tensor().rank();
  boundary->assign(rank, 1);
  for (int64_t d = rank - 2; d >= outer_rank; --d) {
    (*boundary)[d] = (*boundary)[d + 1] * dims[d + 1];
  }
  for (int64_t d = outer_rank - 1; d >= 0; --d) {
    (*boundary)[d] = d == outer_rank - 1 ? program_.reduction->row_length + 1
                                         : (*boundary)[d + 1] * dims[d + 1];
  }
  return absl::OkStatus();
}

// Collapses the loop nest with every input's strides (and the reduction
// boundary), then counts the loop rows per reduction row (the collapsed
// reduced dimensions other than the innermost) and marks invariant inputs.
void LoopProgramBuilder::CollapseLoop(std::vector<int64_t>* boundary) {
  std::vector<std::vector<int64_t>*> input_strides;
  for (LoopInput& in : program_.inputs) input_strides.push_back(&in.strides);
  if (reduces_) input_strides.push_back(boundary);
  CollapseDims(&program_.dims, input_strides);
  if (reduces_) {
    for (size_t d = 0; d + 1 < program_.dims.size(); ++d) {
      if ((*boundary)[d] <= program_.reduction->row_length) {
        program_.row_loops *= program_.dims[d];
      }
    }
  }
  for (LoopInput& in : program_.inputs) {
    in.invariant = std::all_of(in.strides.begin(), in.strides.end(),
                               [](int64_t s) { return s == 0; });
  }
}

}  // namespace

absl::StatusOr<LoopProgram> BuildLoopProgram(
    const LoopGroup& group, const std::function<int(const ir::Value*)>& slot_of,
    const BufferRef& result, kernels::elementwise::MathAccuracy accuracy) {
  return LoopProgramBuilder(group, slot_of, result, accuracy).Build();
}

}  // namespace backplane::cpu
