#include "sim_accelerator/timing.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/json.h"

namespace backplane::sim {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

constexpr int64_t kBf16Bytes = 2;
constexpr int64_t kAccumulatorBytes = 4;

// Folds of one GEMM and the cycles each fold takes in SCALE-Sim's model.
struct Folding {
  int64_t folds;
  int64_t fold_cycles;
};

Folding ScaleSimFolding(Dataflow dataflow, int64_t m, int64_t k, int64_t n,
                        int64_t r, int64_t c) {
  switch (dataflow) {
    case Dataflow::kOutputStationary:
      return {CeilDiv(m, r) * CeilDiv(n, c), k + r + c - 2};
    case Dataflow::kWeightStationary:
      return {CeilDiv(k, r) * CeilDiv(n, c), m + 2 * r + c - 2};
    case Dataflow::kInputStationary:
      return {CeilDiv(k, r) * CeilDiv(m, c), n + 2 * r + c - 2};
  }
  return {0, 0};
}

// Our model's compute cycles for `folds` back-to-back folds: the stationary
// operand of fold i+1 loads (R cycles) while fold i streams, so a fold
// costs max(stream, R) and the skew is paid once at the end.
int64_t DoubleBufferedCycles(Dataflow dataflow, int64_t folds, int64_t m,
                             int64_t k, int64_t n, int64_t r, int64_t c) {
  switch (dataflow) {
    case Dataflow::kWeightStationary:
      return r + folds * std::max(m, r) + (r + c - 2);
    case Dataflow::kInputStationary:
      return r + folds * std::max(n, r) + (r + c - 2);
    case Dataflow::kOutputStationary:
      // Outputs drain (R cycles) through a second accumulator set while the
      // next fold computes; the last drain is exposed.
      return folds * std::max(k, r) + (r + c - 2) + r;
  }
  return 0;
}

// The array reads one bf16 per streamed row (WS, IS) or per row and column
// (OS) each cycle. The compiler places stream i in bank i mod B, so each
// bank serves ceil(streams / B) streams and must deliver that many values
// per cycle; a bank word holds sram_bank_bytes / 2 values. When the words
// cannot keep up, every streaming cycle stretches by demand / supply.
int64_t BankConflictCycles(const ChipConfig& chip, int64_t compute_cycles) {
  const int64_t streams = chip.dataflow == Dataflow::kOutputStationary
                              ? chip.array_rows + chip.array_cols
                              : chip.array_rows;
  const int64_t per_bank = CeilDiv(streams, chip.sram_banks);
  const int64_t supply =
      std::max<int64_t>(1, chip.sram_bank_bytes / kBf16Bytes);
  if (per_bank <= supply) return 0;
  return CeilDiv(compute_cycles * (per_bank - supply), supply);
}

OpTiming TimeMatrixOp(const ChipConfig& chip, const OpWork& w) {
  const int64_t r = chip.array_rows, c = chip.array_cols;
  const int64_t m = std::max<int64_t>(w.gemm.m, 1);
  const int64_t k = std::max<int64_t>(w.gemm.k, 1);
  const int64_t n = std::max<int64_t>(w.gemm.n, 1);
  const int64_t repeats = std::max<int64_t>(w.gemm.count, 1) * w.passes;
  OpTiming t;
  t.macs = w.gemm.count * w.gemm.m * w.gemm.k * w.gemm.n * w.passes;

  // HBM traffic. The stationary operand is read once; a streamed operand is
  // read once when half the SRAM (the other half double-buffers) holds it,
  // otherwise once per fold of the other dimension.
  const int64_t half_sram = chip.sram_bytes / 2;
  auto streamed = [&](int64_t bytes, int64_t refolds) {
    return bytes <= half_sram ? bytes : bytes * refolds;
  };
  int64_t hbm = w.out_bytes;
  int64_t sram = 0;
  switch (chip.dataflow) {
    case Dataflow::kWeightStationary:
      hbm += w.rhs_bytes + streamed(w.lhs_bytes, CeilDiv(n, c));
      sram = k * n * kBf16Bytes + CeilDiv(n, c) * m * k * kBf16Bytes +
             CeilDiv(k, r) * m * n * kAccumulatorBytes;
      break;
    case Dataflow::kInputStationary:
      hbm += w.lhs_bytes + streamed(w.rhs_bytes, CeilDiv(m, c));
      sram = m * k * kBf16Bytes + CeilDiv(m, c) * k * n * kBf16Bytes +
             CeilDiv(k, r) * m * n * kAccumulatorBytes;
      break;
    case Dataflow::kOutputStationary:
      hbm += streamed(w.lhs_bytes, CeilDiv(n, c)) +
             streamed(w.rhs_bytes, CeilDiv(m, r));
      sram = CeilDiv(n, c) * m * k * kBf16Bytes +
             CeilDiv(m, r) * k * n * kBf16Bytes + m * n * kAccumulatorBytes;
      break;
  }
  t.hbm_bytes = hbm;
  t.sram_bytes = sram * repeats;

  const Folding f = ScaleSimFolding(chip.dataflow, m, k, n, r, c);
  if (chip.timing_model == TimingModel::kScaleSim) {
    t.compute_cycles = repeats * f.folds * f.fold_cycles - 1;
    t.cycles = t.compute_cycles;
    return t;
  }
  t.compute_cycles =
      DoubleBufferedCycles(chip.dataflow, repeats * f.folds, m, k, n, r, c);
  t.bank_conflict_cycles = BankConflictCycles(chip, t.compute_cycles);
  t.compute_cycles += t.bank_conflict_cycles;
  const int64_t memory_cycles = static_cast<int64_t>(
      std::ceil(static_cast<double>(hbm) / chip.HbmBytesPerCycle()));
  t.stall_cycles = std::max<int64_t>(0, memory_cycles - t.compute_cycles);
  t.cycles = t.compute_cycles + t.stall_cycles;
  return t;
}

int64_t CyclesPerVector(const ChipConfig& chip, VectorClass cls) {
  switch (cls) {
    case VectorClass::kTranscendental:
      return chip.transcendental_cycles;
    case VectorClass::kDivide:
      return chip.divide_cycles;
    default:
      return 1;
  }
}

OpTiming TimeVectorOp(const ChipConfig& chip, const OpWork& w) {
  OpTiming t;
  if (w.vector_class == VectorClass::kFree) return t;
  const int64_t lanes = chip.vector_lanes;
  int64_t compute = chip.vector_latency_cycles;
  if (w.vector_class == VectorClass::kDataMovement) {
    // Moves 4 bytes per lane per cycle.
    compute += CeilDiv(std::max(w.read_bytes, w.write_bytes), lanes * 4);
  } else {
    compute +=
        CeilDiv(w.elements, lanes) * CyclesPerVector(chip, w.vector_class);
    if (w.vector_class == VectorClass::kReduction) {
      // The cross-lane tree at the end.
      compute += static_cast<int64_t>(std::ceil(std::log2(lanes)));
    }
  }
  t.vector_cycles = compute;
  t.compute_cycles = compute;
  t.sram_bytes = w.read_bytes + w.write_bytes;
  if (w.fused) {
    // Applied to the matrix unit's results on their way out: no HBM round
    // trip and no time on the critical path.
    return t;
  }
  t.hbm_bytes = w.read_bytes + w.write_bytes;
  if (chip.timing_model == TimingModel::kScaleSim) {
    t.cycles = compute;
    return t;
  }
  const int64_t memory_cycles = static_cast<int64_t>(
      std::ceil(static_cast<double>(t.hbm_bytes) / chip.HbmBytesPerCycle()));
  t.stall_cycles = std::max<int64_t>(0, memory_cycles - compute);
  t.cycles = compute + t.stall_cycles;
  return t;
}

OpTiming TimeLinkOp(const ChipConfig& chip, const OpWork& w) {
  OpTiming t;
  const LinkCost cost =
      CollectiveLinkCost(chip, w.link_pattern, w.link_group, w.link_bytes);
  t.cycles = t.link_cycles = cost.cycles;
  t.ici_bytes = cost.bytes_sent;
  // The collective reads its operands from HBM and writes its results.
  t.hbm_bytes = w.link_group > 1 ? w.read_bytes + w.write_bytes : 0;
  return t;
}

absl::string_view UnitName(Unit unit) {
  switch (unit) {
    case Unit::kMatrix:
      return "matrix";
    case Unit::kVector:
      return "vector";
    case Unit::kControl:
      return "control";
    case Unit::kLink:
      return "link";
  }
  return "?";
}

}  // namespace

LinkCost CollectiveLinkCost(const ChipConfig& chip, LinkPattern pattern,
                            int64_t group, int64_t bytes) {
  LinkCost cost;
  if (group <= 1 || bytes <= 0) return cost;
  const int64_t n = group;
  const int64_t latency = chip.NsToCycles(chip.ici_latency_ns);
  // Bytes each chip puts on its outgoing link, and the latency terms.
  int64_t sent = 0;
  int64_t hops = 0;
  switch (pattern) {
    case LinkPattern::kAllReduce:
      sent = CeilDiv(2 * (n - 1) * bytes, n);
      hops = 2 * (n - 1);
      break;
    case LinkPattern::kAllGather:
    case LinkPattern::kReduceScatter:
    case LinkPattern::kAllToAll:
      sent = CeilDiv((n - 1) * bytes, n);
      hops = n - 1;
      break;
    case LinkPattern::kPermute:
      sent = bytes;
      hops = 1;
      break;
    case LinkPattern::kBroadcast:
      sent = bytes;
      hops = n - 1;
      break;
  }
  cost.bytes_sent = sent;
  cost.cycles = static_cast<int64_t>(std::ceil(static_cast<double>(sent) /
                                               chip.IciBytesPerCycle())) +
                hops * latency;
  return cost;
}

int64_t HostLinkCycles(const ChipConfig& chip, int64_t bytes) {
  return static_cast<int64_t>(std::ceil(static_cast<double>(bytes) /
                                        chip.HostLinkBytesPerCycle())) +
         chip.NsToCycles(chip.host_link_latency_ns);
}

int64_t IciCopyCycles(const ChipConfig& chip, int64_t bytes) {
  return static_cast<int64_t>(
             std::ceil(static_cast<double>(bytes) / chip.IciBytesPerCycle())) +
         chip.NsToCycles(chip.ici_latency_ns);
}

int64_t ScaleSimGemmCycles(Dataflow dataflow, int64_t m, int64_t k, int64_t n,
                           int64_t rows, int64_t cols) {
  const Folding f = ScaleSimFolding(dataflow, m, k, n, rows, cols);
  return f.folds * f.fold_cycles - 1;
}

OpTiming TimeOp(const ChipConfig& chip, const OpWork& work) {
  switch (work.unit) {
    case Unit::kMatrix:
      return TimeMatrixOp(chip, work);
    case Unit::kVector:
      return TimeVectorOp(chip, work);
    case Unit::kLink:
      return TimeLinkOp(chip, work);
    case Unit::kControl: {
      // A scalar branch: one vector-unit latency.
      OpTiming t;
      t.cycles = t.compute_cycles = chip.vector_latency_cycles;
      return t;
    }
  }
  return {};
}

WorkLog WorkLog::FromSequence(const std::vector<OpWork>& work,
                              int64_t max_sequence) {
  WorkLog log(max_sequence);
  for (const OpWork& w : work) log.Record(w);
  return log;
}

void WorkLog::Record(const OpWork& work) {
  auto [it, inserted] =
      index_.try_emplace(work, static_cast<uint32_t>(distinct_.size()));
  if (inserted) {
    distinct_.push_back(work);
    counts_.push_back(0);
  }
  ++counts_[it->second];
  if (static_cast<int64_t>(sequence_.size()) < max_sequence_) {
    sequence_.push_back(it->second);
  }
  ++executed_;
}

std::vector<OpWork> WorkLog::Sequence() const {
  std::vector<OpWork> out;
  out.reserve(sequence_.size());
  for (uint32_t i : sequence_) out.push_back(distinct_[i]);
  return out;
}

namespace {

void AddTimes(ExecutionTotals& t, const OpWork& w, const OpTiming& timing,
              int64_t n) {
  if (w.unit == Unit::kMatrix)
    t.matrix_unit_busy_cycles += n * timing.compute_cycles;
  t.vector_unit_cycles += n * timing.vector_cycles;
  t.stall_cycles += n * timing.stall_cycles;
  t.link_cycles += n * timing.link_cycles;
  t.ici_bytes += n * timing.ici_bytes;
  t.bank_conflict_cycles += n * timing.bank_conflict_cycles;
  t.hbm_bytes += n * timing.hbm_bytes;
  t.sram_bytes += n * timing.sram_bytes;
  t.macs += n * timing.macs;
}

}  // namespace

Schedule ScheduleExecution(const ChipConfig& chip, const WorkLog& log,
                           InputArrival arrival) {
  Schedule s;
  const int64_t start = std::max<int64_t>(0, arrival.wait_cycles);
  ExecutionTotals& t = s.totals;
  t.input_wait_cycles = start;
  for (const InputTransfer& transfer : arrival.transfers) {
    if (transfer.link == InputTransfer::Link::kHost) {
      t.host_dma_bytes += transfer.bytes;
    } else {
      t.input_ici_bytes += transfer.bytes;
    }
  }
  s.input_transfers = std::move(arrival.transfers);
  // Every op costs the same each time it runs, so the totals are sums over
  // the distinct works; fused epilogues add no time on the critical path.
  int64_t now = start;
  s.works.reserve(log.distinct().size());
  for (size_t i = 0; i < log.distinct().size(); ++i) {
    const OpWork& w = log.distinct()[i];
    const int64_t n = log.counts()[i];
    s.works.push_back(ScheduledWork{&w, TimeOp(chip, w), n});
    const OpTiming& timing = s.works.back().timing;
    if (!w.fused) now += n * timing.cycles;
    AddTimes(t, w, timing, n);
  }
  // The execution order, for traces: each op starts when the previous
  // non-fused op ends; a fused epilogue alongside the matrix op before it.
  s.ops.reserve(log.sequence().size());
  s.ops_truncated = log.truncated();
  int64_t at = start;
  int64_t last_matrix_start = start;
  for (uint32_t i : log.sequence()) {
    const ScheduledWork& sw = s.works[i];
    ScheduledOp op{sw.work, sw.timing, at};
    if (sw.work->fused) {
      op.start_cycle = last_matrix_start;
    } else {
      if (sw.work->unit == Unit::kMatrix) last_matrix_start = at;
      at += op.timing.cycles;
    }
    s.ops.push_back(op);
  }
  t.cycles = now;
  // Every HBM byte moves by HBM<->SRAM DMA; input transfers by host DMA.
  t.dma_bytes = t.hbm_bytes + t.host_dma_bytes;
  t.simulated_ns = chip.CyclesToNs(now);
  if (now > 0) {
    t.matrix_unit_utilization =
        static_cast<double>(t.macs) /
        (static_cast<double>(chip.array_rows * chip.array_cols) * now);
  }
  return s;
}

Schedule ScheduleExecution(const ChipConfig& chip,
                           const std::vector<OpWork>& work,
                           InputArrival arrival) {
  auto log = std::make_shared<const WorkLog>(
      WorkLog::FromSequence(work, std::max<int64_t>(1, work.size())));
  Schedule s = ScheduleExecution(chip, *log, std::move(arrival));
  s.owned_log = std::move(log);
  return s;
}

std::string OpsJson(const ChipConfig& chip, const Schedule& schedule) {
  struct Row {
    const OpWork* work;
    int64_t executions = 0;
    OpTiming sum;
  };
  std::vector<Row> rows;
  absl::flat_hash_map<int64_t, size_t> index;
  for (const ScheduledWork& sw : schedule.works) {
    auto [it, inserted] = index.try_emplace(sw.work->op_id, rows.size());
    if (inserted) rows.push_back(Row{sw.work, 0, OpTiming()});
    Row& row = rows[it->second];
    const int64_t n = sw.executions;
    row.executions += n;
    row.sum.cycles += n * sw.timing.cycles;
    row.sum.compute_cycles += n * sw.timing.compute_cycles;
    row.sum.stall_cycles += n * sw.timing.stall_cycles;
    row.sum.vector_cycles += n * sw.timing.vector_cycles;
    row.sum.link_cycles += n * sw.timing.link_cycles;
    row.sum.ici_bytes += n * sw.timing.ici_bytes;
    row.sum.bank_conflict_cycles += n * sw.timing.bank_conflict_cycles;
    row.sum.hbm_bytes += n * sw.timing.hbm_bytes;
    row.sum.sram_bytes += n * sw.timing.sram_bytes;
    row.sum.macs += n * sw.timing.macs;
  }
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const OpWork& w = *row.work;
    if (i > 0) out += ",";
    out += "{\"name\":";
    base::AppendJsonQuoted(&out, w.name);
    out += ",\"location\":";
    base::AppendJsonQuoted(&out, w.location);
    absl::StrAppend(&out, ",\"unit\":\"", UnitName(w.unit),
                    "\",\"fused\":", w.fused ? "true" : "false",
                    ",\"executions\":", row.executions,
                    ",\"cycles\":", row.sum.cycles,
                    ",\"compute_cycles\":", row.sum.compute_cycles,
                    ",\"stall_cycles\":", row.sum.stall_cycles,
                    ",\"hbm_bytes\":", row.sum.hbm_bytes,
                    ",\"sram_bytes\":", row.sum.sram_bytes);
    if (w.unit == Unit::kLink) {
      absl::StrAppend(&out, ",\"group\":", w.link_group,
                      ",\"link_cycles\":", row.sum.link_cycles,
                      ",\"ici_bytes\":", row.sum.ici_bytes);
    }
    if (w.unit == Unit::kMatrix) {
      const double util =
          row.sum.cycles > 0
              ? static_cast<double>(row.sum.macs) /
                    (static_cast<double>(chip.array_rows * chip.array_cols) *
                     row.sum.cycles)
              : 0.0;
      absl::StrAppend(&out, ",\"m\":", w.gemm.m, ",\"k\":", w.gemm.k,
                      ",\"n\":", w.gemm.n, ",\"count\":", w.gemm.count,
                      ",\"passes\":", w.passes, ",\"macs\":", row.sum.macs,
                      ",\"bank_conflict_cycles\":",
                      row.sum.bank_conflict_cycles, ",\"utilization\":", util);
    }
    out += "}";
  }
  out += "]";
  return out;
}

}  // namespace backplane::sim
