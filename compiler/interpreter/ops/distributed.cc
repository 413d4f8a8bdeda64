// Ops that depend on the process they run in: replica_id, partition_id,
// the collectives and host transfers of collectives.h (including
// stablehlo.collective_reduce, which has no OpCode and arrives as
// kUnknown), and sdy.sharding_constraint, which on one process is the
// identity.
#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "compiler/interpreter/collectives.h"
#include "compiler/interpreter/op_errors.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/ops/results.h"

namespace backplane::interpreter::ops {
namespace {

namespace ks = kernels::structured;
using ir::OpCode;

absl::StatusOr<std::vector<ValueRef>> ExecuteProcessId(OpContext& ctx) {
  const ProcessContext& process = ctx.process();
  ir::Literal out(ctx.result_type());
  out.data<uint32_t>()[0] = static_cast<uint32_t>(
      ctx.op().code() == OpCode::kReplicaId ? process.replica_id
                                            : process.partition_id);
  return One(std::move(out));
}

absl::StatusOr<std::vector<ValueRef>> ExecuteCollectiveOp(OpContext& ctx) {
  const ProcessContext& process = ctx.process();
  CollectiveContext collective{process.run, process.replica_id,
                               process.partition_id};
  ks::ScalarComputation body;
  if (ctx.op().num_regions() > 0) body = ctx.Body(0);
  return ExecuteCollective(ctx.op(), collective, ctx.operands(), body);
}

// Ops without an OpCode: only stablehlo.collective_reduce runs.
absl::StatusOr<std::vector<ValueRef>> ExecuteUnknownOp(OpContext& ctx) {
  if (ctx.op().name() == "stablehlo.collective_reduce") {
    return ExecuteCollectiveOp(ctx);
  }
  return Unimplemented(ctx.op());
}

absl::StatusOr<std::vector<ValueRef>> ExecuteShardingConstraint(
    OpContext& ctx) {
  return std::vector<ValueRef>{ctx.operands()[0]};
}

}  // namespace

absl::Status RegisterDistributedOps(OpRegistry& registry) {
  RETURN_IF_ERROR(registry.Register(OpCode::kSdyShardingConstraint,
                                    ExecuteShardingConstraint));
  RETURN_IF_ERROR(registry.Register({OpCode::kReplicaId, OpCode::kPartitionId},
                                    ExecuteProcessId));
  RETURN_IF_ERROR(registry.Register(
      {OpCode::kAllReduce, OpCode::kAllGather, OpCode::kAllToAll,
       OpCode::kReduceScatter, OpCode::kCollectivePermute,
       OpCode::kCollectiveBroadcast, OpCode::kCrossReplicaSum, OpCode::kInfeed,
       OpCode::kOutfeed, OpCode::kSend, OpCode::kRecv},
      ExecuteCollectiveOp));
  return registry.Register(OpCode::kUnknown, ExecuteUnknownOp);
}

}  // namespace backplane::interpreter::ops
