// sim_report: ResNet-50 (batch 1) on the simulated accelerator, layer by
// layer, for the default chip and `tpu-v1-like`, with our timing model and
// SCALE-Sim's side by side, plus the wall time the simulation takes.
//
//   bazel run -c opt //bench:sim_report [-- --model=PATH] [--passes=N]
//
// The functional simulation runs once (matmuls at `highest`
// precision, so the results are checkably right); the
// tables time the same work as inference would run it, with one bf16 pass
// per matmul (--passes=6 times the six-pass run instead). Weights elided in
// the model file are filled with deterministic values.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim_accelerator/chip_config.h"
#include "sim_accelerator/chip_program.h"
#include "sim_accelerator/timing.h"
#include "tests/util/corpus.h"

namespace {

using backplane::sim::ChipConfig;
using backplane::sim::ChipProgram;
using backplane::sim::OpWork;
using backplane::sim::Schedule;
using backplane::sim::ScheduledOp;
using backplane::sim::TimingModel;
using backplane::sim::Unit;

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

struct Timed {
  ChipConfig chip;
  Schedule schedule;
};

Timed TimeOn(std::string preset, TimingModel model,
             const std::vector<OpWork>& work) {
  Timed t;
  t.chip = *backplane::sim::Preset(preset);
  t.chip.timing_model = model;
  t.schedule = backplane::sim::ScheduleExecution(t.chip, work);
  return t;
}

void PrintChip(const std::string& preset, const std::vector<OpWork>& work) {
  const Timed ours = TimeOn(preset, TimingModel::kDefault, work);
  const Timed scalesim = TimeOn(preset, TimingModel::kScaleSim, work);
  const ChipConfig& chip = ours.chip;
  std::printf(
      "\n== %s: %lldx%lld %s array at %.0f MHz, %.0f GB/s HBM, %lld MiB "
      "SRAM ==\n",
      preset.c_str(), static_cast<long long>(chip.array_rows),
      static_cast<long long>(chip.array_cols),
      std::string(backplane::sim::DataflowName(chip.dataflow)).c_str(),
      chip.clock_mhz, chip.hbm_gbytes_per_s,
      static_cast<long long>(chip.sram_bytes >> 20));
  std::printf("%-4s %-6s %6s %5s %5s | %10s %9s %6s %10s | %10s %6s\n", "#",
              "line", "M", "K", "N", "cycles", "stalls", "util", "hbm_bytes",
              "ss_cycles", "ss_util");
  const double peak = static_cast<double>(chip.array_rows * chip.array_cols);
  int layer = 0;
  int64_t other_ours = 0, other_ss = 0;
  for (size_t i = 0; i < ours.schedule.ops.size(); ++i) {
    const ScheduledOp& a = ours.schedule.ops[i];
    const ScheduledOp& b = scalesim.schedule.ops[i];
    if (a.work->unit != Unit::kMatrix) {
      other_ours += a.timing.cycles;
      other_ss += b.timing.cycles;
      continue;
    }
    const OpWork& w = *a.work;
    const std::string line = w.location.substr(w.location.rfind(':') + 1);
    std::printf(
        "%-4d %-6s %6lld %5lld %5lld | %10lld %9lld %5.1f%% %10lld | %10lld "
        "%5.1f%%\n",
        ++layer, line.c_str(), static_cast<long long>(w.gemm.m),
        static_cast<long long>(w.gemm.k), static_cast<long long>(w.gemm.n),
        static_cast<long long>(a.timing.cycles),
        static_cast<long long>(a.timing.stall_cycles),
        100.0 * a.timing.macs / (peak * a.timing.cycles),
        static_cast<long long>(a.timing.hbm_bytes),
        static_cast<long long>(b.timing.cycles),
        100.0 * b.timing.macs / (peak * b.timing.cycles));
  }
  std::printf(
      "vector-unit and control ops: %lld cycles (ours), %lld "
      "(scalesim mode)\n",
      static_cast<long long>(other_ours), static_cast<long long>(other_ss));
  for (const Timed* t : {&ours, &scalesim}) {
    const auto& s = t->schedule.totals;
    std::printf(
        "whole model, %-8s timing: %lld cycles = %.3f ms, matrix unit "
        "utilization %.1f%%, busy %lld cycles, vector %lld cycles, stalls "
        "%lld cycles, HBM %.1f MB\n",
        std::string(backplane::sim::TimingModelName(t->chip.timing_model))
            .c_str(),
        static_cast<long long>(s.cycles), s.simulated_ns / 1e6,
        100.0 * s.matrix_unit_utilization,
        static_cast<long long>(s.matrix_unit_busy_cycles),
        static_cast<long long>(s.vector_unit_cycles),
        static_cast<long long>(s.stall_cycles), s.hbm_bytes / 1e6);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string model;
  int passes = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (absl::StartsWith(arg, "--model=")) {
      model = arg.substr(8);
    } else if (absl::StartsWith(arg, "--passes=")) {
      passes = std::atoi(arg.c_str() + 9);
      if (passes != 1 && passes != 3 && passes != 6) {
        std::cerr << "sim_report: --passes must be 1, 3 or 6\n";
        return 2;
      }
    } else {
      std::cerr << "usage: sim_report [--model=PATH] [--passes=1|3|6]\n";
      return 2;
    }
  }
  if (model.empty()) {
    std::optional<std::string> corpus = backplane::testing::FindCorpusDir();
    if (!corpus) {
      std::cerr << "sim_report: corpus not found; pass --model=PATH\n";
      return 2;
    }
    model = *corpus + "/models/jax_resnet_50.mlir";
  }
  std::ifstream in(model);
  if (!in) {
    std::cerr << "sim_report: cannot read " << model << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();

  const auto t0 = std::chrono::steady_clock::now();
  ChipConfig chip;  // Functional run: default chip, highest precision.
  absl::StatusOr<std::unique_ptr<ChipProgram>> program =
      ChipProgram::Compile(text.str(), "main", chip);
  if (!program.ok()) {
    std::cerr << "sim_report: " << program.status() << "\n";
    return 1;
  }
  const auto t1 = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<const backplane::ir::Literal>> args;
  for (const backplane::ir::TensorType& type : (*program)->parameter_types()) {
    auto input = std::make_shared<backplane::ir::Literal>(type);
    absl::Span<float> x = input->data<float>();
    for (size_t i = 0; i < x.size(); ++i) {
      x[i] = static_cast<float>((i * 2654435761u) % 1000) / 500.0f - 1.0f;
    }
    args.push_back(std::move(input));
  }
  absl::StatusOr<backplane::sim::ProgramRun> run = (*program)->Run(args);
  if (!run.ok()) {
    std::cerr << "sim_report: " << run.status() << "\n";
    return 1;
  }
  const auto t2 = std::chrono::steady_clock::now();
  std::printf("ResNet-50 batch 1 (%s)\n", model.c_str());
  std::printf(
      "simulation wall time: compile %.2f s, functional run at highest "
      "precision %.2f s; %zu ops executed%s\n",
      Seconds(t1 - t0), Seconds(t2 - t1),
      static_cast<size_t>(run->work.executed()),
      (*program)->interpreter_fallback() ? " (interpreter fallback!)" : "");
  if (run->work.truncated()) {
    std::cerr << "sim_report: more ops ran than the work log keeps in order\n";
    return 1;
  }
  std::vector<OpWork> work = run->work.Sequence();
  for (OpWork& w : work) {
    if (w.unit == Unit::kMatrix) w.passes = passes;
  }
  std::printf(
      "tables time %d bf16 pass(es) per matmul; ss_ = SCALE-Sim "
      "v2 stall-free model; util = MACs / (R*C*cycles)\n",
      passes);
  for (const char* preset : {"default", "tpu-v1-like"}) {
    PrintChip(preset, work);
  }
  return 0;
}
