#include "compiler/interpreter/collectives.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/kernels/elementwise/binary.h"
#include "compiler/kernels/structured/data_movement.h"

namespace backplane::interpreter {

namespace ks = kernels::structured;

ParallelRun::ParallelRun(int64_t replicas, int64_t partitions,
                         std::vector<ValueRef> infeed)
    : replicas_(replicas),
      partitions_(partitions),
      running_(replicas * partitions),
      infeed_(infeed.begin(), infeed.end()) {}

void ParallelRun::Abort() {
  std::lock_guard<std::mutex> lock(mutex_);
  aborted_ = true;
  cv_.notify_all();
}

void ParallelRun::ProcessFinished() {
  std::lock_guard<std::mutex> lock(mutex_);
  --running_;
  CheckDeadlockLocked();
}

void ParallelRun::CheckDeadlockLocked() {
  if (aborted_ || deadlocked_ || running_ <= 0 ||
      static_cast<int64_t>(waiters_.size()) < running_) {
    return;
  }
  // Waiters' conditions read only state guarded by mutex_: one that holds
  // now will wake and go on.
  for (const std::function<bool()>* ready : waiters_) {
    if ((*ready)()) return;
  }
  deadlocked_ = true;
  cv_.notify_all();
}

absl::Status ParallelRun::WaitLocked(std::unique_lock<std::mutex>& lock,
                                     const std::function<bool()>& ready,
                                     const std::string& what) {
  waiters_.push_back(&ready);
  CheckDeadlockLocked();
  cv_.wait(lock, [&] { return aborted_ || deadlocked_ || ready(); });
  waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &ready));
  if (ready()) return absl::OkStatus();
  // An abort names the failed process's error (the run reports it); a
  // deadlock noticed after it would only echo it.
  if (!aborted_ && deadlocked_) {
    return absl::InvalidArgumentError(
        absl::StrCat("deadlock: ", what,
                     " waits, and so does every other process of the "
                     "run that has not returned"));
  }
  return absl::AbortedError(
      absl::StrCat(what, ": another process of the run failed"));
}

absl::StatusOr<std::vector<ValueRef>> ParallelRun::Exchange(
    int64_t self, const std::vector<int64_t>& group, ValueRef value) {
  auto pos = std::find(group.begin(), group.end(), self);
  if (pos == group.end()) {
    return absl::InvalidArgumentError("process is not in its group");
  }
  std::unique_lock<std::mutex> lock(mutex_);
  // Processes of one group run the same collectives in the same order, so
  // each one's sequence number identifies the collective.
  const int64_t seq = sequence_[self]++;
  const std::string key = absl::StrCat(seq, ":", absl::StrJoin(group, ","));
  Pending& p = pending_[key];
  if (p.values.empty()) p.values.resize(group.size());
  p.values[pos - group.begin()] = std::move(value);
  ++p.arrived;
  cv_.notify_all();
  const std::function<bool()> ready = [&] {
    return p.arrived == static_cast<int64_t>(group.size());
  };
  RETURN_IF_ERROR(WaitLocked(lock, ready, "a collective"));
  std::vector<ValueRef> out = p.values;
  if (++p.departed == static_cast<int64_t>(group.size())) pending_.erase(key);
  return out;
}

void ParallelRun::SkipExchanges(int64_t self, int64_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  sequence_[self] += count;
}

absl::StatusOr<ValueRef> ParallelRun::PopInfeed() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (infeed_.empty()) {
    return absl::OutOfRangeError("infeed: the infeed queue is empty");
  }
  ValueRef v = infeed_.front();
  infeed_.pop_front();
  return v;
}

void ParallelRun::PushOutfeed(ValueRef value) {
  std::lock_guard<std::mutex> lock(mutex_);
  outfeed_.push_back(std::move(value));
}

void ParallelRun::Send(int64_t channel, ValueRef value) {
  std::lock_guard<std::mutex> lock(mutex_);
  channels_[channel].push_back(std::move(value));
  cv_.notify_all();
}

absl::StatusOr<ValueRef> ParallelRun::Recv(int64_t channel) {
  std::unique_lock<std::mutex> lock(mutex_);
  std::deque<ValueRef>& queue = channels_[channel];
  const std::function<bool()> ready = [&] { return !queue.empty(); };
  RETURN_IF_ERROR(
      WaitLocked(lock, ready, absl::StrCat("recv on channel ", channel)));
  ValueRef v = channels_[channel].front();
  channels_[channel].pop_front();
  return v;
}

namespace {

enum class GroupMode {
  kCrossReplica,
  kCrossPartition,
  kCrossReplicaAndPartition,
  kFlattenedIds
};

int64_t ChannelId(const ir::Op& op) {
  const ir::Attribute* a = op.attr("channel_handle");
  if (a == nullptr || a->channel_handle() == nullptr) return 0;
  return a->channel_handle()->handle;
}

absl::StatusOr<std::vector<std::vector<int64_t>>> GroupsAttr(
    const ir::Op& op, absl::string_view name) {
  const ir::Attribute* a = op.attr(name);
  std::vector<std::vector<int64_t>> groups;
  if (a == nullptr) return groups;
  if (a->kind() != ir::Attribute::Kind::kDenseElements) {
    return absl::InvalidArgumentError(
        absl::StrCat(op.name(), ": '", name, "' must be a 2-D tensor"));
  }
  const ir::Literal& lit = a->literal();
  if (lit.type().rank() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(op.name(), ": '", name, "' must be a 2-D tensor"));
  }
  for (int64_t r = 0; r < lit.dims()[0]; ++r) {
    std::vector<int64_t> g;
    for (int64_t c = 0; c < lit.dims()[1]; ++c) {
      const int64_t v = lit.GetAsInt64(r * lit.dims()[1] + c);
      if (v >= 0) g.push_back(v);  // -1 pads ragged groups.
    }
    groups.push_back(std::move(g));
  }
  return groups;
}

// The flattened process ids of the group that contains this process; empty
// when no group does.
absl::StatusOr<std::vector<int64_t>> ProcessGroup(
    const ir::Op& op, const CollectiveContext& ctx, const ParallelRun& run,
    GroupMode mode, std::vector<std::vector<int64_t>> groups) {
  const int64_t replicas = run.replicas();
  const int64_t partitions = run.partitions();
  const int64_t self = ctx.replica_id * partitions + ctx.partition_id;
  if (groups.empty()) {
    std::vector<int64_t> all;
    const int64_t n = mode == GroupMode::kCrossPartition ? partitions
                      : mode == GroupMode::kFlattenedIds ? replicas * partitions
                                                         : replicas;
    for (int64_t i = 0; i < n; ++i) all.push_back(i);
    groups.push_back(all);
  }
  for (const std::vector<int64_t>& g : groups) {
    std::vector<int64_t> members;
    switch (mode) {
      case GroupMode::kCrossReplica:
        for (int64_t r : g)
          members.push_back(r * partitions + ctx.partition_id);
        break;
      case GroupMode::kCrossPartition:
        for (int64_t p : g) members.push_back(ctx.replica_id * partitions + p);
        break;
      case GroupMode::kCrossReplicaAndPartition:
        // Partition-major, as the upstream interpreter orders the group.
        for (int64_t p = 0; p < partitions; ++p) {
          for (int64_t r : g) members.push_back(r * partitions + p);
        }
        break;
      case GroupMode::kFlattenedIds:
        members = g;
        break;
    }
    for (int64_t m : members) {
      if (m < 0 || m >= replicas * partitions) {
        return absl::InvalidArgumentError(absl::StrCat(
            op.name(), ": process group member ", m, " is out of range"));
      }
    }
    if (std::find(members.begin(), members.end(), self) != members.end()) {
      return members;
    }
  }
  return std::vector<int64_t>();
}

GroupMode ReductionMode(const ir::Op& op) {
  const bool channel = ChannelId(op) > 0;
  const bool global = BoolAttrOr(op, "use_global_device_ids", false);
  if (!channel) return GroupMode::kCrossReplica;
  return global ? GroupMode::kFlattenedIds
                : GroupMode::kCrossReplicaAndPartition;
}

GroupMode PartitionOrReplica(const ir::Op& op) {
  return ChannelId(op) > 0 ? GroupMode::kCrossPartition
                           : GroupMode::kCrossReplica;
}

std::optional<kernels::elementwise::BinaryOp> BinaryForBody(ks::BodyKind kind) {
  switch (kind) {
    case ks::BodyKind::kAdd:
      return kernels::elementwise::BinaryOp::kAdd;
    case ks::BodyKind::kMultiply:
      return kernels::elementwise::BinaryOp::kMultiply;
    case ks::BodyKind::kMax:
      return kernels::elementwise::BinaryOp::kMaximum;
    case ks::BodyKind::kMin:
      return kernels::elementwise::BinaryOp::kMinimum;
    case ks::BodyKind::kAnd:
      return kernels::elementwise::BinaryOp::kAnd;
    case ks::BodyKind::kOr:
      return kernels::elementwise::BinaryOp::kOr;
    default:
      return std::nullopt;
  }
}

// Folds `values` element-wise with the body, in group order.
absl::StatusOr<ir::Literal> Combine(
    const std::vector<const ir::Literal*>& values,
    const ks::ScalarComputation& body) {
  ir::Literal acc = *values[0];
  std::optional<kernels::elementwise::BinaryOp> binary =
      BinaryForBody(body.kind);
  if (binary &&
      kernels::elementwise::BinaryOpSupports(*binary, acc.element_type())) {
    for (size_t i = 1; i < values.size(); ++i) {
      ASSIGN_OR_RETURN(ir::Literal r,
                       kernels::elementwise::Binary(*binary, acc, *values[i]));
      acc = std::move(r);
    }
    return acc;
  }
  if (!body.fn) return absl::InvalidArgumentError("reduction without a body");
  const ir::ElementType type = acc.element_type();
  const int size = ir::ElementByteSize(type);
  ks::ScalarCaller caller(body.fn, {type});
  for (int64_t e = 0; e < acc.element_count(); ++e) {
    std::memcpy(caller.accumulator(0), acc.untyped_data() + e * size, size);
    for (size_t i = 1; i < values.size(); ++i) {
      std::memcpy(caller.value(0), values[i]->untyped_data() + e * size, size);
      RETURN_IF_ERROR(caller.Call());
    }
    std::memcpy(acc.untyped_data() + e * size, caller.accumulator(0), size);
  }
  return acc;
}

absl::StatusOr<ir::Literal> SliceAlong(const ir::Literal& x, int64_t dim,
                                       int64_t part, int64_t parts) {
  if (dim < 0 || dim >= x.type().rank() || parts <= 0 ||
      x.dims()[dim] % parts != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot split dimension ", dim, " of ",
                     x.type().ToString(), " into ", parts, " parts"));
  }
  const int64_t size = x.dims()[dim] / parts;
  std::vector<int64_t> start(x.type().rank(), 0), limit = x.dims(),
                                                  strides(x.type().rank(), 1);
  start[dim] = part * size;
  limit[dim] = (part + 1) * size;
  return ks::Slice(x, start, limit, strides);
}

// collective_broadcast: each data operand comes from its source in the
// group (the first member, or the member `root[k]` names with
// has_dynamic_root); a process in no group gets zeros.
absl::StatusOr<std::vector<ValueRef>> CollectiveBroadcast(
    const ir::Op& op, ParallelRun& run, int64_t self,
    const std::vector<int64_t>& group, const std::vector<ValueRef>& operands) {
  const bool dynamic_root = op.attr("has_dynamic_root") != nullptr;
  const size_t data = operands.size() - (dynamic_root ? 1 : 0);
  std::vector<ValueRef> results;
  if (group.empty()) {
    run.SkipExchanges(self, static_cast<int64_t>(data));
    for (size_t k = 0; k < data; ++k) {
      results.push_back(
          RuntimeValue::Tensor(ir::Literal(operands[k]->tensor().type())));
    }
    return results;
  }
  for (size_t k = 0; k < data; ++k) {
    int64_t source = 0;
    if (dynamic_root) {
      source = operands[data]->tensor().GetAsInt64(static_cast<int64_t>(k));
      if (source < 0 || source >= static_cast<int64_t>(group.size())) {
        return absl::InvalidArgumentError(absl::StrCat(
            op.name(), ": root ", source, " of operand #", k,
            " is not a position in its process group of ", group.size()));
      }
    }
    ASSIGN_OR_RETURN(const std::vector<ValueRef> all,
                     run.Exchange(self, group, operands[k]));
    results.push_back(all[source]);
  }
  return results;
}

}  // namespace

absl::StatusOr<std::vector<ValueRef>> ExecuteCollective(
    const ir::Op& op, const CollectiveContext& ctx,
    const std::vector<ValueRef>& operands, const ks::ScalarComputation& body) {
  std::unique_ptr<ParallelRun> local;
  ParallelRun* run = ctx.run;
  if (run == nullptr) {
    local = std::make_unique<ParallelRun>(1, 1, std::vector<ValueRef>());
    run = local.get();
  }
  const int64_t self = ctx.replica_id * run->partitions() + ctx.partition_id;
  switch (op.code()) {
    case ir::OpCode::kInfeed: {
      std::vector<ValueRef> out;
      for (int i = 0; i < op.num_results(); ++i) {
        if (op.result(i)->type().is_token()) {
          out.push_back(RuntimeValue::Token());
          continue;
        }
        ASSIGN_OR_RETURN(ValueRef v, run->PopInfeed());
        if (!v->is_tensor() ||
            v->tensor().type() != op.result(i)->type().tensor()) {
          return absl::InvalidArgumentError(
              "infeed: queued value does not match the result type");
        }
        out.push_back(v);
      }
      return out;
    }
    case ir::OpCode::kOutfeed: {
      for (const ValueRef& v : operands) {
        if (!v->is_token()) run->PushOutfeed(v);
      }
      return std::vector<ValueRef>{RuntimeValue::Token()};
    }
    case ir::OpCode::kSend: {
      for (const ValueRef& v : operands) {
        if (!v->is_token()) run->Send(ChannelId(op), v);
      }
      return std::vector<ValueRef>{RuntimeValue::Token()};
    }
    case ir::OpCode::kRecv: {
      std::vector<ValueRef> out;
      for (int i = 0; i < op.num_results(); ++i) {
        if (op.result(i)->type().is_token()) {
          out.push_back(RuntimeValue::Token());
          continue;
        }
        ASSIGN_OR_RETURN(ValueRef v, run->Recv(ChannelId(op)));
        out.push_back(v);
      }
      return out;
    }
    default:
      break;
  }

  GroupMode mode;
  switch (op.code()) {
    case ir::OpCode::kAllReduce:
    case ir::OpCode::kAllGather:
    case ir::OpCode::kReduceScatter:
    case ir::OpCode::kCrossReplicaSum:
      mode = ReductionMode(op);
      break;
    default:
      mode = PartitionOrReplica(op);
  }
  ASSIGN_OR_RETURN(std::vector<std::vector<int64_t>> groups,
                   GroupsAttr(op, "replica_groups"));
  if (op.code() == ir::OpCode::kCollectivePermute) groups.clear();
  ASSIGN_OR_RETURN(const std::vector<int64_t> group,
                   ProcessGroup(op, ctx, *run, mode, groups));
  if (op.code() == ir::OpCode::kCollectiveBroadcast) {
    return CollectiveBroadcast(op, *run, self, group, operands);
  }
  if (group.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(op.name(), ": process (replica ", ctx.replica_id,
                     ", partition ", ctx.partition_id, ") is in no group"));
  }
  const int64_t position =
      std::find(group.begin(), group.end(), self) - group.begin();
  const int64_t group_size = static_cast<int64_t>(group.size());

  std::vector<ValueRef> results;
  for (size_t k = 0; k < operands.size(); ++k) {
    ASSIGN_OR_RETURN(const std::vector<ValueRef> all,
                     run->Exchange(self, group, operands[k]));
    std::vector<const ir::Literal*> values;
    for (const ValueRef& v : all) values.push_back(&v->tensor());
    switch (op.code()) {
      case ir::OpCode::kCrossReplicaSum: {
        // The legacy op has no region: it is all_reduce with addition.
        ks::ScalarComputation add;
        add.kind = ks::BodyKind::kAdd;
        ASSIGN_OR_RETURN(ir::Literal r, Combine(values, add));
        results.push_back(RuntimeValue::Tensor(std::move(r)));
        break;
      }
      case ir::OpCode::kAllReduce: {
        ASSIGN_OR_RETURN(ir::Literal r, Combine(values, body));
        results.push_back(RuntimeValue::Tensor(std::move(r)));
        break;
      }
      case ir::OpCode::kReduceScatter: {
        ASSIGN_OR_RETURN(ir::Literal r, Combine(values, body));
        ASSIGN_OR_RETURN(ir::Literal part,
                         SliceAlong(r, IntAttrOr(op, "scatter_dimension", 0),
                                    position, group_size));
        results.push_back(RuntimeValue::Tensor(std::move(part)));
        break;
      }
      case ir::OpCode::kAllGather: {
        ASSIGN_OR_RETURN(
            ir::Literal r,
            ks::Concatenate(values, IntAttrOr(op, "all_gather_dim", 0)));
        results.push_back(RuntimeValue::Tensor(std::move(r)));
        break;
      }
      case ir::OpCode::kAllToAll: {
        const int64_t split_dim = IntAttrOr(op, "split_dimension", 0);
        const int64_t concat_dim = IntAttrOr(op, "concat_dimension", 0);
        std::vector<ir::Literal> parts;
        for (const ir::Literal* v : values) {
          ASSIGN_OR_RETURN(ir::Literal p,
                           SliceAlong(*v, split_dim, position, group_size));
          parts.push_back(std::move(p));
        }
        std::vector<const ir::Literal*> ptrs;
        for (const ir::Literal& p : parts) ptrs.push_back(&p);
        ASSIGN_OR_RETURN(ir::Literal r, ks::Concatenate(ptrs, concat_dim));
        results.push_back(RuntimeValue::Tensor(std::move(r)));
        break;
      }
      case ir::OpCode::kUnknown: {
        // stablehlo.collective_reduce: the group's first process receives
        // the reduction, the others zeros.
        if (position != 0) {
          results.push_back(
              RuntimeValue::Tensor(ir::Literal(values[0]->type())));
          break;
        }
        ASSIGN_OR_RETURN(ir::Literal r, Combine(values, body));
        results.push_back(RuntimeValue::Tensor(std::move(r)));
        break;
      }
      case ir::OpCode::kCollectivePermute: {
        ASSIGN_OR_RETURN(const std::vector<std::vector<int64_t>> pairs,
                         GroupsAttr(op, "source_target_pairs"));
        // Pairs name replica (or partition) ids, which are the positions
        // in this group.
        ValueRef received;
        for (const std::vector<int64_t>& pair : pairs) {
          if (pair.size() == 2 && pair[1] == position && pair[0] >= 0 &&
              pair[0] < group_size) {
            received = all[pair[0]];
          }
        }
        if (received == nullptr) {
          received = RuntimeValue::Tensor(ir::Literal(values[0]->type()));
        }
        results.push_back(received);
        break;
      }
      default:
        return absl::UnimplementedError(
            absl::StrCat("unsupported collective ", op.name()));
    }
  }
  return results;
}

}  // namespace backplane::interpreter
