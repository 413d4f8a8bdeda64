// The timing models: what each executed op costs on the chip, and the
// schedule of a whole execution.
//
//   WorkLog log;                            // filled by the executor:
//   log.Record(work);                       //   once per executed op
//   Schedule s = ScheduleExecution(chip, log);
//   s.totals.cycles;                        // the execution's `cycles`
//
// Timing is a pure function of the chip and the work list (shapes, bytes,
// op classes): the functional simulation records the work once and any
// model can time it (bench/sim_report times one run on several chips).
// The log keeps each distinct work once with its execution count, so a loop
// of a million iterations costs no more memory than one; the execution
// order (for traces) is kept for the first WorkLog::max_sequence() ops.
//
// Two models (ChipConfig::timing_model):
//  - scalesim: SCALE-Sim v2's stall-free closed forms per GEMM, folds
//    strictly serial, e.g. weight-stationary
//    ceil(K/R)*ceil(N/C)*(M+2R+C-2) - 1; no memory stalls.
//  - default (ours): weights double-buffered so the next fold's weights load
//    while the current fold streams and the fill/drain skew is paid once per
//    op, not once per fold; HBM traffic from tiling with SRAM reuse, and a
//    stall whenever moving the bytes takes longer than computing (DMA
//    overlaps compute, so an op costs max(compute, memory)).
// Vector-unit ops cost latency + ceil(elements/lanes) * cycles-per-vector of
// their class, or their memory time if longer; element-wise epilogues fused
// into the matrix unit's output path cost nothing on the critical path.
#ifndef BACKPLANE_SIM_ACCELERATOR_TIMING_H_
#define BACKPLANE_SIM_ACCELERATOR_TIMING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim_accelerator/chip_config.h"

namespace backplane::sim {

enum class Unit { kMatrix, kVector, kControl, kLink };

// How a collective moves data over the inter-chip link (Unit::kLink).
enum class LinkPattern {
  kAllReduce,
  kAllGather,
  kReduceScatter,
  kAllToAll,
  kPermute,
  kBroadcast,
};

enum class VectorClass {
  kSimple,          // add, compare, select, convert, ...
  kTranscendental,  // exp, log, tanh, erf, ...
  kDivide,          // divide, sqrt, rsqrt, remainder, power
  kReduction,       // reduce, reduce_window, argmax-like
  kDataMovement,    // transpose, broadcast, slice, concatenate, gather, ...
  kFree,            // reshape, constant, bitcast: no work on the chip
};

// A GEMM of M x K by K x N, repeated `count` times (batch dims, groups).
struct GemmShape {
  int64_t m = 0;
  int64_t k = 0;
  int64_t n = 0;
  int64_t count = 1;
};

// One executed op, as recorded by the functional simulation.
struct OpWork {
  int64_t op_id = 0;     // Stable per op of the program (for aggregation).
  std::string name;      // e.g. "stablehlo.convolution"
  std::string location;  // "file:line"
  Unit unit = Unit::kVector;
  // Matrix unit.
  GemmShape gemm;
  int passes = 1;         // bf16 passes (1, 3 or 6)
  int64_t lhs_bytes = 0;  // Operands and result as stored in HBM.
  int64_t rhs_bytes = 0;
  int64_t out_bytes = 0;
  // Vector unit.
  VectorClass vector_class = VectorClass::kSimple;
  int64_t elements = 0;  // Elements processed.
  int64_t read_bytes = 0;
  int64_t write_bytes = 0;
  // An element-wise epilogue applied in the matrix unit's output path.
  bool fused = false;
  // Inter-chip link: a collective among `link_group` chips moving
  // `link_bytes` (the full operand; the full result for all_gather).
  LinkPattern link_pattern = LinkPattern::kAllReduce;
  int64_t link_group = 1;
  int64_t link_bytes = 0;

  auto Tie() const {
    return std::tie(op_id, name, location, unit, gemm.m, gemm.k, gemm.n,
                    gemm.count, passes, lhs_bytes, rhs_bytes, out_bytes,
                    vector_class, elements, read_bytes, write_bytes, fused,
                    link_pattern, link_group, link_bytes);
  }
  friend bool operator==(const OpWork& a, const OpWork& b) {
    return a.Tie() == b.Tie();
  }
  template <typename H>
  friend H AbslHashValue(H h, const OpWork& w) {
    return H::combine(std::move(h), w.Tie());
  }
};

// The chip work of one execution. Each distinct OpWork is stored once with
// the number of times it ran (a loop body's ops are the same work every
// iteration), and the execution order is kept as indices for the first
// `max_sequence` executed ops. Memory is bounded by the number of distinct
// works plus max_sequence, however many ops run; the totals and per-op
// statistics stay exact, only traces stop at max_sequence ops.
class WorkLog {
 public:
  static constexpr int64_t kDefaultMaxSequence = int64_t{1} << 16;

  explicit WorkLog(int64_t max_sequence = kDefaultMaxSequence)
      : max_sequence_(max_sequence) {}
  // A log of `work` in that order (tools and tests).
  static WorkLog FromSequence(const std::vector<OpWork>& work,
                              int64_t max_sequence = kDefaultMaxSequence);

  // One more execution of `work`.
  void Record(const OpWork& work);

  // Distinct works in first-execution order, and how often each ran.
  const std::vector<OpWork>& distinct() const { return distinct_; }
  const std::vector<int64_t>& counts() const { return counts_; }
  // Indices into distinct() of the first max_sequence() executions.
  const std::vector<uint32_t>& sequence() const { return sequence_; }
  int64_t max_sequence() const { return max_sequence_; }
  // Ops recorded in all; more than sequence().size() when truncated.
  int64_t executed() const { return executed_; }
  bool truncated() const {
    return executed_ > static_cast<int64_t>(sequence_.size());
  }
  // The works in execution order (needs !truncated()).
  std::vector<OpWork> Sequence() const;

 private:
  int64_t max_sequence_;
  int64_t executed_ = 0;
  std::vector<OpWork> distinct_;
  std::vector<int64_t> counts_;
  std::vector<uint32_t> sequence_;
  absl::flat_hash_map<OpWork, uint32_t> index_;
};

// What one chip's part of a collective costs on a ring of `group` chips
// with per-link bandwidth B and latency L (docs/sim_accelerator.md):
//   all_reduce      2(N-1)/N * S / B + 2(N-1) * L   (reduce-scatter, then
//                                                    all-gather)
//   all_gather, reduce_scatter, all_to_all
//                    (N-1)/N * S / B +  (N-1) * L
//   collective_permute        S / B +        L
//   collective_broadcast      S / B +  (N-1) * L   (pipelined down the ring)
// Each byte term is rounded up to whole cycles; a group of one costs 0.
struct LinkCost {
  int64_t cycles = 0;
  int64_t bytes_sent = 0;  // By this chip.
};
LinkCost CollectiveLinkCost(const ChipConfig& chip, LinkPattern pattern,
                            int64_t group, int64_t bytes);

// A point-to-point transfer: ceil(bytes / B) + latency, in cycles.
int64_t HostLinkCycles(const ChipConfig& chip, int64_t bytes);
int64_t IciCopyCycles(const ChipConfig& chip, int64_t bytes);

// An input transfer an execution waited for, in cycles relative to the
// execution's launch (start may be negative: it began earlier).
struct InputTransfer {
  enum class Link { kHost, kIci };
  Link link = Link::kHost;
  int64_t bytes = 0;
  int64_t start_cycle = 0;
  int64_t end_cycle = 0;
};

// When the execution's inputs arrive: the program starts `wait_cycles`
// after launch, once the last of `transfers` ends.
struct InputArrival {
  int64_t wait_cycles = 0;
  std::vector<InputTransfer> transfers;
};

// SCALE-Sim v2's stall-free cycle count for one GEMM on an R x C array.
int64_t ScaleSimGemmCycles(Dataflow dataflow, int64_t m, int64_t k, int64_t n,
                           int64_t rows, int64_t cols);

struct OpTiming {
  int64_t cycles = 0;                // On the critical path.
  int64_t compute_cycles = 0;        // Unit busy (fill and drain included).
  int64_t stall_cycles = 0;          // Waiting for HBM.
  int64_t vector_cycles = 0;         // Vector-unit work, hidden when fused.
  int64_t link_cycles = 0;           // Inter-chip link busy.
  int64_t ici_bytes = 0;             // Sent over the inter-chip link.
  int64_t bank_conflict_cycles = 0;  // Matrix unit waiting on SRAM banks.
  int64_t hbm_bytes = 0;
  int64_t sram_bytes = 0;
  int64_t macs = 0;  // Useful multiply-accumulates.
};

OpTiming TimeOp(const ChipConfig& chip, const OpWork& work);

struct ScheduledOp {
  const OpWork* work;
  OpTiming timing;
  int64_t start_cycle = 0;
};

// A distinct work of the execution with its timing and execution count.
struct ScheduledWork {
  const OpWork* work;
  OpTiming timing;  // Of one execution.
  int64_t executions = 0;
};

struct ExecutionTotals {
  int64_t cycles = 0;
  double simulated_ns = 0;
  int64_t matrix_unit_busy_cycles = 0;
  // Useful MACs / (R * C * cycles): the fraction of peak achieved.
  double matrix_unit_utilization = 0;
  int64_t vector_unit_cycles = 0;
  int64_t stall_cycles = 0;
  int64_t hbm_bytes = 0;
  int64_t sram_bytes = 0;
  int64_t dma_bytes = 0;
  int64_t macs = 0;
  int64_t ici_bytes = 0;
  int64_t link_cycles = 0;
  int64_t bank_conflict_cycles = 0;
  // Inputs still in flight at launch (host DMA or chip-to-chip copies).
  int64_t input_wait_cycles = 0;
  int64_t host_dma_bytes = 0;
  int64_t input_ici_bytes = 0;
};

struct Schedule {
  // In execution order: every op, or the first WorkLog::max_sequence() when
  // `ops_truncated` (totals and `works` still count every op).
  std::vector<ScheduledOp> ops;
  bool ops_truncated = false;
  std::vector<ScheduledWork> works;  // In first-execution order.
  std::vector<InputTransfer> input_transfers;
  ExecutionTotals totals;
  // Owns the log when the schedule was made from a vector of works.
  std::shared_ptr<const WorkLog> owned_log;
};

// In-order issue: each op starts when the previous non-fused op ends; a
// fused epilogue runs alongside the matrix op it follows. The first op
// starts when the inputs have arrived; `cycles` counts from launch.
// The schedule points into `log`, which must outlive it.
Schedule ScheduleExecution(const ChipConfig& chip, const WorkLog& log,
                           InputArrival arrival = {});
// The same for `work` in that order; the schedule keeps its own log.
Schedule ScheduleExecution(const ChipConfig& chip,
                           const std::vector<OpWork>& work,
                           InputArrival arrival = {});

// Per-op breakdown as a JSON array (aggregated by op_id, in first-execution
// order): name, location, unit, executions, cycles, stall_cycles, macs,
// utilization, hbm_bytes, gemm m/k/n/count and passes for matrix ops.
std::string OpsJson(const ChipConfig& chip, const Schedule& schedule);

}  // namespace backplane::sim

#endif  // BACKPLANE_SIM_ACCELERATOR_TIMING_H_
