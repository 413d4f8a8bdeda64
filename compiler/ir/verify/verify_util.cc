#include "compiler/ir/verify/verify_util.h"

#include "absl/strings/str_cat.h"
#include "compiler/ir/op_error.h"

namespace backplane::ir::verify {

absl::Status OpError(const Op& op, absl::string_view message) {
  return ir::OpError(op, absl::InvalidArgumentError(message));
}

absl::Status Wrap(const Op& op, const absl::Status& status) {
  if (status.ok()) return status;
  return OpError(op, status.message());
}

absl::Status ExpectCounts(const Op& op, int operands, int results) {
  if (operands >= 0 && op.num_operands() != operands) {
    return OpError(op, absl::StrCat("expected ", operands, " operand(s), got ",
                                    op.num_operands()));
  }
  if (results >= 0 && op.num_results() != results) {
    return OpError(op, absl::StrCat("expected ", results, " result(s), got ",
                                    op.num_results()));
  }
  return absl::OkStatus();
}

absl::Status ExpectRegions(const Op& op, int n) {
  if (op.num_regions() != n) {
    return OpError(
        op, absl::StrCat("expected ", n, " region(s), got ", op.num_regions()));
  }
  return absl::OkStatus();
}

absl::Status AllTensors(const Op& op) {
  for (int i = 0; i < op.num_operands(); ++i) {
    if (!op.operand(i)->type().is_tensor()) {
      return OpError(op, absl::StrCat("operand #", i, " must be a tensor, got ",
                                      op.operand(i)->type().ToString()));
    }
  }
  for (int i = 0; i < op.num_results(); ++i) {
    if (!op.result(i)->type().is_tensor()) {
      return OpError(op, absl::StrCat("result #", i, " must be a tensor, got ",
                                      op.result(i)->type().ToString()));
    }
  }
  return absl::OkStatus();
}

absl::Status ExpectResult(const Op& op, int i, const TensorType& inferred) {
  if (Out(op, i) != inferred) {
    return OpError(
        op, absl::StrCat("result #", i, " has type ", Out(op, i).ToString(),
                         " but ", inferred.ToString(), " was inferred"));
  }
  return absl::OkStatus();
}

std::vector<TensorType> Inputs(const Op& op, int begin, int end) {
  std::vector<TensorType> out;
  for (int i = begin; i < end; ++i) out.push_back(In(op, i));
  return out;
}

std::vector<Type> ScalarTypes(const std::vector<TensorType>& tensors) {
  std::vector<Type> out;
  for (const TensorType& t : tensors) {
    out.push_back(Type::Tensor(t.element_type(), {}));
  }
  return out;
}

absl::Status CheckRegion(const Op& op, int index, const std::vector<Type>& args,
                         const std::vector<Type>& returns) {
  if (index >= op.num_regions()) {
    return OpError(op, absl::StrCat("missing region #", index));
  }
  const Region& region = *op.region(index);
  if (region.num_blocks() != 1) {
    return OpError(
        op, absl::StrCat("region #", index, " must have exactly one block"));
  }
  const Block& block = *region.front();
  if (block.argument_types() != args) {
    return OpError(
        op, absl::StrCat("region #", index, " takes (",
                         TypeListToString(block.argument_types()), ") but (",
                         TypeListToString(args), ") is required"));
  }
  const Op* term = block.back();
  if (term && term->operand_types() != returns) {
    return OpError(
        op, absl::StrCat("region #", index, " returns (",
                         TypeListToString(term->operand_types()), ") but (",
                         TypeListToString(returns), ") is required"));
  }
  return absl::OkStatus();
}

}  // namespace backplane::ir::verify
