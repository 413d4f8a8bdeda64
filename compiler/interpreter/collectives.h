// Cross-process semantics for interpreter.run_parallel: the shared state of
// one parallel run (rendezvous for collectives, infeed/outfeed queues, send
// and recv channels) and the collective ops built on it.
//
//   ParallelRun run(/*replicas=*/2, /*partitions=*/1, /*infeed=*/{});
//   // in each process thread:
//   CollectiveContext ctx{&run, replica_id, partition_id};
//   absl::StatusOr<std::vector<ValueRef>> r =
//       ExecuteCollective(op, ctx, operands, body);
//
// Process groups follow the spec: cross_replica, cross_partition,
// cross_replica_and_partition and flattened_ids, chosen per op from
// channel_handle and use_global_device_ids. A process that fails aborts
// the run so that the others stop waiting instead of hanging.
#ifndef BACKPLANE_COMPILER_INTERPRETER_COLLECTIVES_H_
#define BACKPLANE_COMPILER_INTERPRETER_COLLECTIVES_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/interpreter/runtime_value.h"
#include "compiler/ir/ir.h"
#include "compiler/kernels/structured/computation.h"

namespace backplane::interpreter {

class ParallelRun {
 public:
  ParallelRun(int64_t replicas, int64_t partitions,
              std::vector<ValueRef> infeed);

  int64_t replicas() const { return replicas_; }
  int64_t partitions() const { return partitions_; }

  // Ends every current and future wait with an error.
  void Abort();

  // Process `self` returned (or failed). When every process still running
  // waits for something none of them will provide (a recv without a send,
  // a collective that a finished process never joins), the run deadlocks:
  // the waits end with INVALID_ARGUMENT instead of blocking forever.
  void ProcessFinished();

  // Process `self` contributes `value` to a collective among `group`
  // (flattened process ids); returns every member's value in group order
  // once all have arrived.
  absl::StatusOr<std::vector<ValueRef>> Exchange(
      int64_t self, const std::vector<int64_t>& group, ValueRef value);

  // Process `self` is in no group of a collective that makes `count`
  // exchanges: it keeps its place in the count that matches each process's
  // next collective with its group's.
  void SkipExchanges(int64_t self, int64_t count);

  absl::StatusOr<ValueRef> PopInfeed();
  void PushOutfeed(ValueRef value);
  void Send(int64_t channel, ValueRef value);
  absl::StatusOr<ValueRef> Recv(int64_t channel);

 private:
  struct Pending {
    std::vector<ValueRef> values;
    int64_t arrived = 0;
    int64_t departed = 0;
  };

  // Waits on cv_ until `ready` (or an abort or a deadlock); true when
  // `ready`. `what` names the wait in the deadlock error.
  absl::Status WaitLocked(std::unique_lock<std::mutex>& lock,
                          const std::function<bool()>& ready,
                          const std::string& what);
  // Under mutex_: marks a deadlock when no running process can go on.
  void CheckDeadlockLocked();

  const int64_t replicas_;
  const int64_t partitions_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool aborted_ = false;
  bool deadlocked_ = false;
  int64_t running_;
  std::vector<const std::function<bool()>*> waiters_;
  std::map<int64_t, int64_t> sequence_;  // Per process.
  std::map<std::string, Pending> pending_;
  std::deque<ValueRef> infeed_;
  std::vector<ValueRef> outfeed_;
  std::map<int64_t, std::deque<ValueRef>> channels_;
};

struct CollectiveContext {
  ParallelRun* run;  // Null outside run_parallel: a 1x1 run is assumed.
  int64_t replica_id;
  int64_t partition_id;
};

// Executes one collective or host-transfer op (all_reduce, all_gather,
// all_to_all, reduce_scatter, collective_permute, collective_broadcast,
// infeed, outfeed, send, recv). `body` is the reduction of all_reduce and
// reduce_scatter.
absl::StatusOr<std::vector<ValueRef>> ExecuteCollective(
    const ir::Op& op, const CollectiveContext& ctx,
    const std::vector<ValueRef>& operands,
    const kernels::structured::ScalarComputation& body);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_COLLECTIVES_H_
