#include "compiler/ir/legacy_op_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "compiler/ir/op_accessors.h"

namespace backplane::ir {
namespace {

absl::Status Counts(const Op& op, int operands, int results) {
  if (op.num_operands() != operands || op.num_results() != results) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected ", operands, " operand(s) and ", results, " result(s), got ",
        op.num_operands(), " and ", op.num_results()));
  }
  for (int i = 0; i < op.num_operands(); ++i) {
    if (!op.operand(i)->type().is_tensor()) {
      return absl::InvalidArgumentError(
          absl::StrCat("operand #", i, " must be a tensor, got ",
                       op.operand(i)->type().ToString()));
    }
  }
  for (int i = 0; i < op.num_results(); ++i) {
    if (!op.result(i)->type().is_tensor()) {
      return absl::InvalidArgumentError(
          absl::StrCat("result #", i, " must be a tensor, got ",
                       op.result(i)->type().ToString()));
    }
  }
  return absl::OkStatus();
}

const TensorType& In(const Op& op, int i) {
  return op.operand(i)->type().tensor();
}

absl::Status Expect(absl::string_view what, const TensorType& actual,
                    const TensorType& expected) {
  if (actual != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " has type ", actual.ToString(), ", expected ",
                     expected.ToString()));
  }
  return absl::OkStatus();
}

absl::Status ExpectResult(const Op& op, int i, const TensorType& inferred) {
  return Expect(absl::StrCat("result #", i), op.result(i)->type().tensor(),
                inferred);
}

// operand, then `features` 1-D per-feature operands, then `full` operands
// shaped like the operand; returns the per-feature type.
absl::StatusOr<TensorType> BatchNormTypes(const Op& op, int features,
                                          int full) {
  const TensorType& x = In(op, 0);
  const ElementType t = x.element_type();
  if (t != ElementType::kF16 && t != ElementType::kBF16 &&
      t != ElementType::kF32 && t != ElementType::kF64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "operand must be f16, bf16, f32 or f64, got ", x.ToString()));
  }
  ASSIGN_OR_RETURN(int64_t feature, GetI64(op, "feature_index"));
  if (feature < 0 || feature >= x.rank()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "feature_index ", feature, " is out of range for ", x.ToString()));
  }
  const TensorType feature_type(t, {x.dim(feature)});
  for (int i = 1; i <= features; ++i) {
    if (absl::Status s =
            Expect(absl::StrCat("operand #", i), In(op, i), feature_type);
        !s.ok()) {
      return s;
    }
  }
  for (int i = features + 1; i <= features + full; ++i) {
    RETURN_IF_ERROR(Expect(absl::StrCat("operand #", i), In(op, i), x));
  }
  return feature_type;
}

absl::Status VerifyEinsum(const Op& op, int operands) {
  RETURN_IF_ERROR(Counts(op, operands, 1));
  ASSIGN_OR_RETURN(std::string text, GetString(op, "einsum_config"));
  ASSIGN_OR_RETURN(EinsumConfig config, ParseEinsumConfig(text));
  std::vector<std::vector<int64_t>> dims;
  for (int i = 0; i < operands; ++i) {
    if (In(op, i).element_type() != In(op, 0).element_type()) {
      return absl::InvalidArgumentError("operands differ in element type");
    }
    dims.push_back(In(op, i).dims());
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> out, InferEinsumDims(config, dims));
  return ExpectResult(op, 0, TensorType(In(op, 0).element_type(), out));
}

}  // namespace

bool HasLegacyOpRules(OpCode code) {
  switch (code) {
    case OpCode::kBatchNormInference:
    case OpCode::kBatchNormTraining:
    case OpCode::kBatchNormGrad:
    case OpCode::kEinsum:
    case OpCode::kUnaryEinsum:
    case OpCode::kTorchIndexSelect:
    case OpCode::kSetDimensionSize:
    case OpCode::kRng:
      return true;
    default:
      return false;
  }
}

absl::Status VerifyLegacyOp(const Op& op) {
  switch (op.code()) {
    case OpCode::kBatchNormInference: {
      RETURN_IF_ERROR(Counts(op, 5, 1));
      ASSIGN_OR_RETURN(TensorType f, BatchNormTypes(op, 4, 0));
      return ExpectResult(op, 0, In(op, 0));
    }
    case OpCode::kBatchNormTraining:
    case OpCode::kBatchNormGrad: {
      const bool grad = op.code() == OpCode::kBatchNormGrad;
      RETURN_IF_ERROR(Counts(op, grad ? 5 : 3, 3));
      absl::StatusOr<TensorType> f =
          grad ? BatchNormTypes(op, 3, 1) : BatchNormTypes(op, 2, 0);
      if (!f.ok()) return f.status();
      RETURN_IF_ERROR(ExpectResult(op, 0, In(op, 0)));
      RETURN_IF_ERROR(ExpectResult(op, 1, *f));
      return ExpectResult(op, 2, *f);
    }
    case OpCode::kEinsum:
      return VerifyEinsum(op, 2);
    case OpCode::kUnaryEinsum:
      return VerifyEinsum(op, 1);
    case OpCode::kTorchIndexSelect: {
      RETURN_IF_ERROR(Counts(op, 2, 1));
      if (!IsInteger(In(op, 1).element_type())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "index must have an integer type, got ", In(op, 1).ToString()));
      }
      ASSIGN_OR_RETURN(int64_t dim, GetI64(op, "dim"));
      ASSIGN_OR_RETURN(int64_t batch_dims, GetI64Or(op, "batch_dims", 0));
      ASSIGN_OR_RETURN(
          std::vector<int64_t> dims,
          InferTorchIndexSelectDims(In(op, 0).dims(), In(op, 1).dims(), dim,
                                    batch_dims));
      return ExpectResult(op, 0, TensorType(In(op, 0).element_type(), dims));
    }
    case OpCode::kSetDimensionSize: {
      RETURN_IF_ERROR(Counts(op, 2, 1));
      if (In(op, 1).rank() != 0 || !IsInteger(In(op, 1).element_type())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "size must be an integer scalar, got ", In(op, 1).ToString()));
      }
      ASSIGN_OR_RETURN(int64_t dim, GetI64(op, "dimension"));
      if (dim < 0 || dim >= In(op, 0).rank()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "dimension ", dim, " is out of range for ", In(op, 0).ToString()));
      }
      // Static shapes only: the result keeps the operand's type.
      return ExpectResult(op, 0, In(op, 0));
    }
    case OpCode::kRng: {
      RETURN_IF_ERROR(Counts(op, 3, 1));
      const TensorType& out = op.result(0)->type().tensor();
      const TensorType scalar(out.element_type(), {});
      RETURN_IF_ERROR(Expect("operand #0 (a)", In(op, 0), scalar));
      RETURN_IF_ERROR(Expect("operand #1 (b)", In(op, 1), scalar));
      const TensorType& shape = In(op, 2);
      if (shape.rank() != 1 || !IsInteger(shape.element_type()) ||
          shape.dim(0) != out.rank()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "shape must be a 1-D integer tensor of ", out.rank(),
            " elements (the result rank), got ", shape.ToString()));
      }
      return absl::OkStatus();
    }
    default:
      return absl::InternalError(
          absl::StrCat(op.name(), " has no legacy op rules"));
  }
}

absl::StatusOr<EinsumConfig> ParseEinsumConfig(absl::string_view text) {
  std::vector<absl::string_view> sides = absl::StrSplit(text, "->");
  if (sides.size() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("einsum_config '", text,
                     "' must have the form 'ab,bc->ac' (exactly one '->')"));
  }
  EinsumConfig config;
  for (absl::string_view part : absl::StrSplit(sides[0], ',')) {
    config.operands.emplace_back(absl::StripAsciiWhitespace(part));
  }
  config.result = std::string(absl::StripAsciiWhitespace(sides[1]));
  std::vector<const std::string*> all;
  for (const std::string& o : config.operands) all.push_back(&o);
  all.push_back(&config.result);
  for (const std::string* letters : all) {
    for (char c : *letters) {
      if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "einsum_config '", text, "': '", std::string(1, c),
            "' is not a letter (ellipsis and spaces are not supported)"));
      }
    }
  }
  return config;
}

absl::StatusOr<std::vector<int64_t>> InferEinsumDims(
    const EinsumConfig& config,
    const std::vector<std::vector<int64_t>>& operand_dims) {
  if (config.operands.size() != operand_dims.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("einsum_config names ", config.operands.size(),
                     " operands, the op has ", operand_dims.size()));
  }
  std::vector<int64_t> size(128, -1);
  for (size_t k = 0; k < operand_dims.size(); ++k) {
    const std::string& letters = config.operands[k];
    const std::vector<int64_t>& dims = operand_dims[k];
    if (letters.size() != dims.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("einsum_config gives operand ", k, " ", letters.size(),
                       " letters, but it has rank ", dims.size()));
    }
    for (size_t d = 0; d < letters.size(); ++d) {
      int64_t& s = size[static_cast<unsigned char>(letters[d])];
      if (s >= 0 && s != dims[d]) {
        return absl::InvalidArgumentError(absl::StrCat(
            "einsum letter '", std::string(1, letters[d]), "' has size ", s,
            " elsewhere but ", dims[d], " in operand ", k));
      }
      s = dims[d];
    }
  }
  std::vector<int64_t> out;
  for (size_t i = 0; i < config.result.size(); ++i) {
    const char c = config.result[i];
    if (size[static_cast<unsigned char>(c)] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("einsum result letter '", std::string(1, c),
                       "' names no operand dimension"));
    }
    if (config.result.find(c) != i) {
      return absl::InvalidArgumentError(absl::StrCat(
          "einsum result letter '", std::string(1, c), "' is repeated"));
    }
    out.push_back(size[static_cast<unsigned char>(c)]);
  }
  return out;
}

absl::StatusOr<std::vector<int64_t>> InferTorchIndexSelectDims(
    const std::vector<int64_t>& operand, const std::vector<int64_t>& index,
    int64_t dim, int64_t batch_dims) {
  const int64_t rank = static_cast<int64_t>(operand.size());
  const int64_t index_rank = static_cast<int64_t>(index.size());
  if (dim < 0 || dim >= rank) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dim ", dim, " is out of range for an operand of rank ", rank));
  }
  if (batch_dims < 0 || batch_dims > dim || batch_dims > index_rank) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch_dims ", batch_dims, " must be in [0, min(dim ", dim,
                     ", index rank ", index_rank, ")]"));
  }
  for (int64_t d = 0; d < batch_dims; ++d) {
    if (operand[d] != index[d]) {
      return absl::InvalidArgumentError(
          absl::StrCat("batch dimension ", d, " differs: operand [",
                       absl::StrJoin(operand, ","), "], index [",
                       absl::StrJoin(index, ","), "]"));
    }
  }
  std::vector<int64_t> out(operand.begin(), operand.begin() + dim);
  out.insert(out.end(), index.begin() + batch_dims, index.end());
  out.insert(out.end(), operand.begin() + dim + 1, operand.end());
  return out;
}

}  // namespace backplane::ir
