// Shape and attribute rules of the collective and communication ops
// (all_reduce, reduce_scatter, all_gather, all_to_all, collective_permute,
// collective_broadcast, replica_id, partition_id; the tokens of infeed,
// outfeed, send and recv).
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"

namespace backplane::ir::verify {
namespace {

// The group size is the second dimension of `replica_groups`.
int64_t GroupSize(const Op& op) {
  const Attribute* groups = op.attr("replica_groups");
  if (groups && groups->kind() == Attribute::Kind::kDenseElements &&
      groups->literal().dims().size() == 2) {
    return groups->literal().dims()[1];
  }
  return 1;
}

// all_gather multiplies, reduce_scatter divides one dimension of operand #i
// by the group size; returns the result dimensions.
absl::StatusOr<std::vector<int64_t>> GatherScatterDims(const Op& op, int i) {
  const OpCode code = op.code();
  std::vector<int64_t> dims = In(op, i).dims();
  ASSIGN_OR_RETURN(int64_t d, Wrap(op, GetI64(op, code == OpCode::kAllGather
                                                      ? "all_gather_dim"
                                                      : "scatter_dimension")));
  if (d < 0 || d >= static_cast<int64_t>(dims.size())) {
    return OpError(op, absl::StrCat("dimension ", d, " is out of range"));
  }
  // With a channel handle, groups may span partitions too, so the group size
  // is not known from replica_groups alone.
  bool exact = !op.attr("channel_handle") && !op.attr("use_global_device_ids");
  const std::vector<int64_t>& out = Out(op, i).dims();
  const int64_t group_size = GroupSize(op);
  if (!exact && out.size() == dims.size()) {
    int64_t big = code == OpCode::kAllGather ? out[d] : dims[d];
    int64_t small = code == OpCode::kAllGather ? dims[d] : out[d];
    if (small <= 0 || big % small != 0) {
      return OpError(op,
                     "result and operand sizes along the dimension must be "
                     "multiples");
    }
    dims[d] = out[d];
  } else if (code == OpCode::kAllGather) {
    dims[d] *= group_size;
  } else {
    if (group_size <= 0 || dims[d] % group_size != 0) {
      return OpError(op,
                     "scatter dimension is not divisible by the group size");
    }
    dims[d] /= group_size;
  }
  return dims;
}

absl::StatusOr<std::vector<int64_t>> AllToAllDims(const Op& op, int i) {
  std::vector<int64_t> dims = In(op, i).dims();
  ASSIGN_OR_RETURN(auto split, Wrap(op, GetI64(op, "split_dimension")));
  ASSIGN_OR_RETURN(auto concat, Wrap(op, GetI64(op, "concat_dimension")));
  ASSIGN_OR_RETURN(auto count, Wrap(op, GetI64(op, "split_count")));
  int64_t rank = static_cast<int64_t>(dims.size());
  if (split < 0 || split >= rank || concat < 0 || concat >= rank ||
      count <= 0 || dims[split] % count != 0) {
    return OpError(op, "invalid split/concat dimensions or split_count");
  }
  dims[split] /= count;
  dims[concat] *= count;
  return dims;
}

absl::Status VerifyAllOp(const Op& op) {
  RETURN_IF_ERROR(AllTensors(op));
  const OpCode code = op.code();
  for (int i = 0; i < op.num_operands(); ++i) {
    std::vector<int64_t> dims = In(op, i).dims();
    if (code == OpCode::kAllGather || code == OpCode::kReduceScatter) {
      ASSIGN_OR_RETURN(dims, GatherScatterDims(op, i));
    } else if (code == OpCode::kAllToAll) {
      ASSIGN_OR_RETURN(dims, AllToAllDims(op, i));
    }
    RETURN_IF_ERROR(
        ExpectResult(op, i, TensorType(In(op, i).element_type(), dims)));
  }
  if (code == OpCode::kAllReduce || code == OpCode::kReduceScatter) {
    // One body reduces every operand, so they share its element type.
    for (int i = 1; i < op.num_operands(); ++i) {
      if (In(op, i).element_type() != In(op, 0).element_type()) {
        return OpError(op,
                       absl::StrCat("operand #", i, " (", In(op, i).ToString(),
                                    ") has another element type than "
                                    "operand #0, which the body reduces"));
      }
    }
    Type scalar = Type::Tensor(In(op, 0).element_type(), {});
    RETURN_IF_ERROR(ExpectRegions(op, 1));
    return CheckRegion(op, 0, {scalar, scalar}, {scalar});
  }
  return absl::OkStatus();
}

// collective_broadcast: data operands and their results pair up by type;
// with `has_dynamic_root` a last operand, a 1-D integer tensor with one
// element per data operand, names each one's source in its group.
absl::Status VerifyCollectiveBroadcast(const Op& op) {
  RETURN_IF_ERROR(AllTensors(op));
  const bool dynamic_root = op.attr("has_dynamic_root") != nullptr;
  const int data = op.num_operands() - (dynamic_root ? 1 : 0);
  if (data < 1) {
    return OpError(op, "has_dynamic_root needs a data operand before the root");
  }
  RETURN_IF_ERROR(ExpectCounts(op, op.num_operands(), data));
  for (int i = 0; i < data; ++i)
    RETURN_IF_ERROR(ExpectResult(op, i, In(op, i)));
  if (dynamic_root) {
    const TensorType& root = In(op, data);
    if (!IsInteger(root.element_type()) || root.rank() != 1 ||
        root.dims()[0] != data) {
      return OpError(op, absl::StrCat("the root operand must be a 1-D integer "
                                      "tensor of ",
                                      data,
                                      " elements (one per data "
                                      "operand), not ",
                                      root.ToString()));
    }
  }
  return absl::OkStatus();
}

// infeed/recv take a token and return values then a token; outfeed/send take
// values then a token and return a token.
absl::Status VerifyTokens(const Op& op) {
  const bool reads = op.code() == OpCode::kInfeed || op.code() == OpCode::kRecv;
  const Value* in_token =
      reads ? op.operand(0) : op.operand(op.num_operands() - 1);
  const Value* out_token = op.result(op.num_results() - 1);
  if (!in_token->type().is_token()) {
    return OpError(op, absl::StrCat(reads ? "operand #0" : "the last operand",
                                    " must be !stablehlo.token"));
  }
  if (!out_token->type().is_token()) {
    return OpError(op, "the last result must be !stablehlo.token");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyCollectiveOp(const Op& op) {
  switch (op.code()) {
    case OpCode::kAllReduce:
    case OpCode::kReduceScatter:
    case OpCode::kAllGather:
    case OpCode::kAllToAll:
      return VerifyAllOp(op);
    case OpCode::kCollectiveBroadcast:
      return VerifyCollectiveBroadcast(op);
    case OpCode::kCollectivePermute:
      RETURN_IF_ERROR(AllTensors(op));
      return ExpectResult(op, 0, In(op, 0));
    case OpCode::kReplicaId:
    case OpCode::kPartitionId:
      if (op.result(0)->type() != Type::Tensor(ElementType::kU32, {})) {
        return OpError(op, "result must be tensor<ui32>");
      }
      return absl::OkStatus();
    case OpCode::kInfeed:
    case OpCode::kOutfeed:
    case OpCode::kSend:
    case OpCode::kRecv:
      return VerifyTokens(op);
    default:
      return absl::OkStatus();
  }
}

}  // namespace backplane::ir::verify
