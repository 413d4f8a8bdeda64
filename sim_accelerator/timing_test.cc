#include "sim_accelerator/timing.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace backplane::sim {
namespace {

ChipConfig Chip(int64_t rows, int64_t cols, Dataflow flow, TimingModel model) {
  ChipConfig c;
  c.array_rows = rows;
  c.array_cols = cols;
  c.dataflow = flow;
  c.timing_model = model;
  return c;
}

OpWork Gemm(int64_t m, int64_t k, int64_t n, int passes = 1) {
  OpWork w;
  w.unit = Unit::kMatrix;
  w.name = "stablehlo.dot_general";
  w.gemm = {m, k, n, 1};
  w.passes = passes;
  w.lhs_bytes = m * k * 2;
  w.rhs_bytes = k * n * 2;
  w.out_bytes = m * n * 4;
  return w;
}

TEST(ScaleSimTest, ClosedForms) {
  // Output stationary: ceil(M/R)*ceil(N/C)*(K+R+C-2) - 1.
  EXPECT_EQ(
      ScaleSimGemmCycles(Dataflow::kOutputStationary, 100, 30, 50, 32, 16),
      4 * 4 * (30 + 32 + 16 - 2) - 1);
  // Weight stationary: ceil(K/R)*ceil(N/C)*(M+2R+C-2) - 1.
  EXPECT_EQ(
      ScaleSimGemmCycles(Dataflow::kWeightStationary, 100, 30, 50, 32, 16),
      1 * 4 * (100 + 64 + 16 - 2) - 1);
  // Input stationary: ceil(K/R)*ceil(M/C)*(N+2R+C-2) - 1.
  EXPECT_EQ(ScaleSimGemmCycles(Dataflow::kInputStationary, 100, 30, 50, 32, 16),
            1 * 7 * (50 + 64 + 16 - 2) - 1);
  // Exactly one fold.
  EXPECT_EQ(ScaleSimGemmCycles(Dataflow::kWeightStationary, 1, 1, 1, 128, 128),
            1 + 256 + 128 - 2 - 1);
}

TEST(ScaleSimTest, ScheduleOfOneGemmIsTheFormula) {
  for (Dataflow flow :
       {Dataflow::kWeightStationary, Dataflow::kOutputStationary,
        Dataflow::kInputStationary}) {
    ChipConfig chip = Chip(16, 8, flow, TimingModel::kScaleSim);
    Schedule s = ScheduleExecution(chip, {Gemm(33, 70, 9)});
    EXPECT_EQ(s.totals.cycles, ScaleSimGemmCycles(flow, 33, 70, 9, 16, 8));
    EXPECT_EQ(s.totals.stall_cycles, 0);
  }
}

TEST(DefaultModelTest, DoubleBufferingHidesWeightLoadsAndSkew) {
  // Large M: each WS fold costs M cycles instead of M + 2R + C - 2.
  ChipConfig chip =
      Chip(128, 128, Dataflow::kWeightStationary, TimingModel::kDefault);
  chip.hbm_gbytes_per_s = 1e6;  // No bandwidth limit.
  const OpWork w = Gemm(4096, 1024, 1024);
  const OpTiming t = TimeOp(chip, w);
  const int64_t folds = 8 * 8;
  EXPECT_EQ(t.compute_cycles, 128 + folds * 4096 + (128 + 128 - 2));
  EXPECT_EQ(t.stall_cycles, 0);
  EXPECT_LT(t.cycles, ScaleSimGemmCycles(Dataflow::kWeightStationary, 4096,
                                         1024, 1024, 128, 128));
  // Small M: the next fold's weights (R cycles) cannot hide behind M rows.
  const OpTiming small = TimeOp(chip, Gemm(16, 1024, 1024));
  EXPECT_EQ(small.compute_cycles, 128 + folds * 128 + (128 + 128 - 2));
}

TEST(DefaultModelTest, BandwidthStalls) {
  ChipConfig chip =
      Chip(128, 128, Dataflow::kWeightStationary, TimingModel::kDefault);
  chip.clock_mhz = 1000;
  chip.hbm_gbytes_per_s = 1;             // 1 byte per cycle.
  const OpWork w = Gemm(1, 4096, 4096);  // Matrix-vector: memory bound.
  const OpTiming t = TimeOp(chip, w);
  EXPECT_EQ(t.hbm_bytes, w.lhs_bytes + w.rhs_bytes + w.out_bytes);
  EXPECT_EQ(t.cycles, t.hbm_bytes);
  EXPECT_EQ(t.stall_cycles, t.cycles - t.compute_cycles);
  EXPECT_GT(t.stall_cycles, 0);
}

TEST(DefaultModelTest, PassesMultiplyCompute) {
  ChipConfig chip =
      Chip(128, 128, Dataflow::kWeightStationary, TimingModel::kDefault);
  chip.hbm_gbytes_per_s = 1e6;
  const OpTiming one = TimeOp(chip, Gemm(512, 512, 512, 1));
  const OpTiming six = TimeOp(chip, Gemm(512, 512, 512, 6));
  EXPECT_EQ(six.macs, 6 * one.macs);
  EXPECT_EQ(six.compute_cycles - (128 + 254), 6 * (one.compute_cycles - 382));
}

TEST(VectorModelTest, ClassesAndFusion) {
  ChipConfig chip;
  chip.vector_lanes = 100;
  chip.hbm_gbytes_per_s = 1e6;
  OpWork add;
  add.unit = Unit::kVector;
  add.elements = 1000;
  add.read_bytes = 8000;
  add.write_bytes = 4000;
  EXPECT_EQ(TimeOp(chip, add).cycles, chip.vector_latency_cycles + 10);
  OpWork exp = add;
  exp.vector_class = VectorClass::kTranscendental;
  EXPECT_EQ(TimeOp(chip, exp).cycles,
            chip.vector_latency_cycles + 10 * chip.transcendental_cycles);
  OpWork reshape = add;
  reshape.vector_class = VectorClass::kFree;
  EXPECT_EQ(TimeOp(chip, reshape).cycles, 0);

  OpWork fused = add;
  fused.fused = true;
  Schedule s = ScheduleExecution(chip, {Gemm(256, 256, 256), fused, add});
  const OpTiming gemm = TimeOp(chip, Gemm(256, 256, 256));
  EXPECT_EQ(s.totals.cycles, gemm.cycles + TimeOp(chip, add).cycles);
  EXPECT_EQ(s.ops[1].start_cycle, 0);
  EXPECT_EQ(s.totals.vector_unit_cycles, 2 * (chip.vector_latency_cycles + 10));
  EXPECT_EQ(s.totals.hbm_bytes, gemm.hbm_bytes + 12000);
}

TEST(ScheduleTest, UtilizationAndJson) {
  ChipConfig chip =
      Chip(4, 4, Dataflow::kWeightStationary, TimingModel::kScaleSim);
  OpWork w = Gemm(4, 4, 4);
  w.op_id = 7;
  const std::vector<OpWork> work = {w, w};
  Schedule s = ScheduleExecution(chip, work);
  const int64_t one =
      ScaleSimGemmCycles(Dataflow::kWeightStationary, 4, 4, 4, 4, 4);
  EXPECT_EQ(s.totals.cycles, 2 * one);
  EXPECT_DOUBLE_EQ(s.totals.matrix_unit_utilization,
                   2.0 * 64 / (16.0 * 2 * one));
  const std::string json = OpsJson(chip, s);
  EXPECT_NE(json.find("\"executions\":2"), std::string::npos) << json;
  EXPECT_NE(json.find("\"m\":4"), std::string::npos) << json;
}

// Stream i of the array reads from bank i mod B; a bank word of W bytes
// feeds W/2 bf16 streams. 128 rows on 4 banks of 8 bytes: 32 streams per
// bank against 4 per word, so every streaming cycle takes 8.
TEST(SramBankTest, TooFewBanksStretchTheMatrixUnit) {
  ChipConfig chip =
      Chip(128, 128, Dataflow::kWeightStationary, TimingModel::kDefault);
  chip.hbm_gbytes_per_s = 1e6;  // No bandwidth stalls in this test.
  const OpTiming fast = TimeOp(chip, Gemm(1024, 128, 128));
  EXPECT_EQ(fast.bank_conflict_cycles, 0);
  chip.sram_banks = 4;
  chip.sram_bank_bytes = 8;
  const OpTiming slow = TimeOp(chip, Gemm(1024, 128, 128));
  EXPECT_EQ(slow.bank_conflict_cycles, 7 * fast.compute_cycles);
  EXPECT_EQ(slow.compute_cycles, 8 * fast.compute_cycles);
  // SCALE-Sim's model is stall-free by definition.
  chip.timing_model = TimingModel::kScaleSim;
  EXPECT_EQ(TimeOp(chip, Gemm(1024, 128, 128)).bank_conflict_cycles, 0);
}

// The argument for the presets: their bank count and width always carry
// the array's streams without conflicts, in every dataflow.
TEST(SramBankTest, EveryPresetLayoutIsConflictFree) {
  for (const std::string& name : PresetNames()) {
    for (Dataflow flow :
         {Dataflow::kWeightStationary, Dataflow::kOutputStationary,
          Dataflow::kInputStationary}) {
      ChipConfig chip = *Preset(name);
      chip.dataflow = flow;
      EXPECT_EQ(TimeOp(chip, Gemm(4096, 1024, 1024)).bank_conflict_cycles, 0)
          << name;
    }
  }
}

TEST(LinkTest, CollectiveFormulas) {
  ChipConfig chip;  // 100 B/cycle, 1000 cycles of latency.
  EXPECT_EQ(CollectiveLinkCost(chip, LinkPattern::kAllReduce, 1, 4096).cycles,
            0);
  LinkCost ar = CollectiveLinkCost(chip, LinkPattern::kAllReduce, 8, 8000);
  EXPECT_EQ(ar.bytes_sent, 14000);  // 2 * 7/8 * 8000
  EXPECT_EQ(ar.cycles, 140 + 14 * 1000);
  LinkCost ag = CollectiveLinkCost(chip, LinkPattern::kAllGather, 8, 8000);
  EXPECT_EQ(ag.bytes_sent, 7000);
  EXPECT_EQ(ag.cycles, 70 + 7 * 1000);
  EXPECT_EQ(
      CollectiveLinkCost(chip, LinkPattern::kReduceScatter, 8, 8000).cycles,
      ag.cycles);
  EXPECT_EQ(CollectiveLinkCost(chip, LinkPattern::kPermute, 8, 8000).cycles,
            80 + 1000);
  EXPECT_EQ(CollectiveLinkCost(chip, LinkPattern::kBroadcast, 8, 8000).cycles,
            80 + 7 * 1000);
  EXPECT_EQ(HostLinkCycles(chip, 3200), 100 + 2000);
  EXPECT_EQ(IciCopyCycles(chip, 3200), 32 + 1000);
}

TEST(LinkTest, InputWaitDelaysTheProgram) {
  ChipConfig chip =
      Chip(128, 128, Dataflow::kWeightStationary, TimingModel::kScaleSim);
  InputArrival arrival;
  arrival.wait_cycles = 500;
  arrival.transfers.push_back({InputTransfer::Link::kHost, 4096, -100, 500});
  const std::vector<OpWork> work = {Gemm(64, 64, 64)};
  Schedule s = ScheduleExecution(chip, work, arrival);
  const int64_t gemm =
      ScaleSimGemmCycles(Dataflow::kWeightStationary, 64, 64, 64, 128, 128);
  EXPECT_EQ(s.totals.cycles, 500 + gemm);
  EXPECT_EQ(s.totals.input_wait_cycles, 500);
  EXPECT_EQ(s.totals.host_dma_bytes, 4096);
  EXPECT_EQ(s.ops[0].start_cycle, 500);
}

OpWork Vector(int64_t op_id, int64_t elements) {
  OpWork w;
  w.op_id = op_id;
  w.unit = Unit::kVector;
  w.name = "stablehlo.add";
  w.location = "loop.mlir:7";
  w.elements = elements;
  w.read_bytes = elements * 8;
  w.write_bytes = elements * 4;
  return w;
}

TEST(WorkLogTest, StoresEachDistinctWorkOnceWithItsCount) {
  WorkLog log(/*max_sequence=*/5);
  const OpWork a = Vector(1, 100), b = Vector(2, 100), c = Gemm(8, 8, 8);
  for (int i = 0; i < 1000; ++i) {
    log.Record(a);
    log.Record(b);
  }
  log.Record(c);
  ASSERT_EQ(log.distinct().size(), 3u);
  EXPECT_EQ(log.counts(), (std::vector<int64_t>{1000, 1000, 1}));
  EXPECT_EQ(log.executed(), 2001);
  EXPECT_EQ(log.sequence(), (std::vector<uint32_t>{0, 1, 0, 1, 0}));
  EXPECT_TRUE(log.truncated());
  // The same op with other shapes is another distinct work.
  log.Record(Vector(1, 101));
  EXPECT_EQ(log.distinct().size(), 4u);
}

TEST(WorkLogTest, TruncatedLogTimesLikeTheFullSequence) {
  ChipConfig chip =
      Chip(16, 16, Dataflow::kWeightStationary, TimingModel::kDefault);
  std::vector<OpWork> work;
  OpWork fused = Vector(3, 64);
  fused.fused = true;
  for (int i = 0; i < 500; ++i) {
    OpWork g = Gemm(32, 16 + i % 3, 8);
    g.op_id = 2;
    work.push_back(g);
    work.push_back(fused);
    work.push_back(Vector(1, 1000 + i % 2));
  }
  Schedule full = ScheduleExecution(chip, work);
  WorkLog small(/*max_sequence=*/10);
  for (const OpWork& w : work) small.Record(w);
  Schedule cut = ScheduleExecution(chip, small);
  EXPECT_FALSE(full.ops_truncated);
  EXPECT_TRUE(cut.ops_truncated);
  ASSERT_EQ(full.ops.size(), work.size());
  ASSERT_EQ(cut.ops.size(), 10u);
  EXPECT_EQ(cut.totals.cycles, full.totals.cycles);
  EXPECT_EQ(cut.totals.macs, full.totals.macs);
  EXPECT_EQ(cut.totals.hbm_bytes, full.totals.hbm_bytes);
  EXPECT_EQ(cut.totals.vector_unit_cycles, full.totals.vector_unit_cycles);
  EXPECT_EQ(cut.totals.matrix_unit_busy_cycles,
            full.totals.matrix_unit_busy_cycles);
  EXPECT_EQ(cut.totals.matrix_unit_utilization,
            full.totals.matrix_unit_utilization);
  for (size_t i = 0; i < cut.ops.size(); ++i) {
    EXPECT_EQ(cut.ops[i].start_cycle, full.ops[i].start_cycle) << i;
  }
  EXPECT_EQ(OpsJson(chip, cut), OpsJson(chip, full));
  // Sum of the per-op cycles of the full sequence, fused ones aside.
  int64_t sum = 0;
  for (const OpWork& w : work) {
    if (!w.fused) sum += TimeOp(chip, w).cycles;
  }
  EXPECT_EQ(full.totals.cycles, sum);
}

}  // namespace
}  // namespace backplane::sim
