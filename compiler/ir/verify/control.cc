// Region and call rules of the control-flow ops (while, if, case, calls,
// composite, run_parallel, optimization_barrier, terminators).
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"

namespace backplane::ir::verify {
namespace {

absl::Status VerifyWhile(const Op& op) {
  RETURN_IF_ERROR(ExpectRegions(op, 2));
  std::vector<Type> types = op.operand_types();
  if (op.result_types() != types) {
    return OpError(op, "results must have the operands' types");
  }
  RETURN_IF_ERROR(
      CheckRegion(op, 0, types, {Type::Tensor(ElementType::kPred, {})}));
  return CheckRegion(op, 1, types, types);
}

// if (2 regions, i1 predicate) and case (N regions, i32 index).
absl::Status VerifyBranches(const Op& op) {
  if (op.code() == OpCode::kIf) {
    RETURN_IF_ERROR(ExpectRegions(op, 2));
    if (op.operand(0)->type() != Type::Tensor(ElementType::kPred, {})) {
      return OpError(op, "predicate must be tensor<i1>");
    }
  } else {
    if (op.num_regions() < 1) return OpError(op, "needs at least one branch");
    if (op.operand(0)->type() != Type::Tensor(ElementType::kS32, {})) {
      return OpError(op, "index must be tensor<i32>");
    }
  }
  for (int r = 0; r < op.num_regions(); ++r) {
    RETURN_IF_ERROR(CheckRegion(op, r, {}, op.result_types()));
  }
  return absl::OkStatus();
}

absl::Status VerifyCall(const Op& op, const Module* module) {
  ASSIGN_OR_RETURN(auto callee, Wrap(op, GetSymbol(op, "callee")));
  if (!module) return absl::OkStatus();
  const Function* f = module->LookupFunction(callee);
  if (!f) return OpError(op, absl::StrCat("calls unknown function @", callee));
  if (op.operand_types() != f->argument_types() ||
      op.result_types() != f->result_types()) {
    return OpError(
        op, absl::StrCat("call types (", TypeListToString(op.operand_types()),
                         ") -> (", TypeListToString(op.result_types()),
                         ") do not match @", callee));
  }
  return absl::OkStatus();
}

absl::Status VerifyComposite(const Op& op, const Module* module) {
  RETURN_IF_ERROR(Wrap(op, GetString(op, "name").status()));
  ASSIGN_OR_RETURN(auto callee, Wrap(op, GetSymbol(op, "decomposition")));
  if (!module) return absl::OkStatus();
  const Function* f = module->LookupFunction(callee);
  if (!f) {
    return OpError(op,
                   absl::StrCat("decomposition @", callee, " does not exist"));
  }
  // The op stands for a call of its decomposition: same signature.
  if (op.operand_types() != f->argument_types() ||
      op.result_types() != f->result_types()) {
    return OpError(op,
                   absl::StrCat("types (", TypeListToString(op.operand_types()),
                                ") -> (", TypeListToString(op.result_types()),
                                ") do not match decomposition @", callee));
  }
  return absl::OkStatus();
}

absl::Status VerifyRunParallel(const Op& op, const Module* module) {
  const Attribute* programs = op.attr("programs");
  if (!programs || programs->kind() != Attribute::Kind::kArray) {
    return OpError(op, "needs a 'programs' array");
  }
  for (const Attribute& row : programs->array()) {
    if (row.kind() != Attribute::Kind::kArray) {
      return OpError(op, "'programs' must be an array of arrays");
    }
    for (const Attribute& p : row.array()) {
      if (p.kind() != Attribute::Kind::kSymbolRef) {
        return OpError(op, "'programs' entries must be symbols");
      }
      if (module && !module->LookupFunction(p.string_value())) {
        return OpError(
            op, absl::StrCat("program @", p.string_value(), " does not exist"));
      }
    }
  }
  if (module == nullptr) return absl::OkStatus();
  // The operands are the programs' arguments and the results their results,
  // program after program in row-major order.
  std::vector<Type> arguments, results;
  for (const Attribute& row : programs->array()) {
    for (const Attribute& p : row.array()) {
      const Function* fn = module->LookupFunction(p.string_value());
      for (const Type& t : fn->argument_types()) arguments.push_back(t);
      for (const Type& t : fn->result_types()) results.push_back(t);
    }
  }
  if (arguments.size() != static_cast<size_t>(op.num_operands()) ||
      results.size() != static_cast<size_t>(op.num_results())) {
    return OpError(
        op, absl::StrCat("has ", op.num_operands(), " operands and ",
                         op.num_results(), " results, but its programs take ",
                         arguments.size(), " and return ", results.size()));
  }
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (op.operand(static_cast<int>(i))->type() != arguments[i]) {
      return OpError(
          op,
          absl::StrCat("operand ", i, " is ",
                       op.operand(static_cast<int>(i))->type().ToString(),
                       ", but its program takes ", arguments[i].ToString()));
    }
  }
  for (size_t i = 0; i < results.size(); ++i) {
    if (op.result(static_cast<int>(i))->type() != results[i]) {
      return OpError(
          op,
          absl::StrCat("result ", i, " is ",
                       op.result(static_cast<int>(i))->type().ToString(),
                       ", but its program returns ", results[i].ToString()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyControlOp(const Op& op, const Module* module) {
  switch (op.code()) {
    case OpCode::kWhile:
      return VerifyWhile(op);
    case OpCode::kIf:
    case OpCode::kCase:
      return VerifyBranches(op);
    case OpCode::kFuncCall:
      return VerifyCall(op, module);
    case OpCode::kComposite:
      return VerifyComposite(op, module);
    case OpCode::kInterpreterRunParallel:
      return VerifyRunParallel(op, module);
    case OpCode::kOptimizationBarrier:
      if (op.operand_types() != op.result_types()) {
        return OpError(op, "results must have the operands' types");
      }
      return absl::OkStatus();
    default:
      // stablehlo.return and func.return: the table's counts; the enclosing
      // op or function checks the types.
      return absl::OkStatus();
  }
}

}  // namespace backplane::ir::verify
