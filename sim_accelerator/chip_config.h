// The simulated chip's parameters, its named presets, and how client options
// set them.
//
//   absl::StatusOr<ChipConfig> chip = ChipConfigFromOptions(options);
//   int64_t rows = chip->array_rows;            // systolic array height
//   double bytes_per_cycle = chip->HbmBytesPerCycle();
//
// Every figure has a default (the "default" preset); `preset` picks another
// base and the individual options override it. docs/sim_accelerator.md
// lists the presets.
#ifndef BACKPLANE_SIM_ACCELERATOR_CHIP_CONFIG_H_
#define BACKPLANE_SIM_ACCELERATOR_CHIP_CONFIG_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "plugins/kit/options.h"

namespace backplane::sim {

enum class Dataflow { kWeightStationary, kOutputStationary, kInputStationary };
enum class TimingModel { kDefault, kScaleSim };
// What precision_config DEFAULT means for f32 matmuls: 1, 3 or 6 bf16
// passes.
enum class MatmulPrecision { kDefault, kHigh, kHighest };

struct ChipConfig {
  std::string preset = "default";
  // Matrix unit: an R x C systolic array of bf16 multipliers, f32
  // accumulators.
  int64_t array_rows = 128;
  int64_t array_cols = 128;
  Dataflow dataflow = Dataflow::kWeightStationary;
  TimingModel timing_model = TimingModel::kDefault;
  double clock_mhz = 1000.0;
  int64_t num_chips = 1;
  MatmulPrecision default_matmul_precision = MatmulPrecision::kHighest;
  std::string trace_dir;  // Empty: no traces.

  // Vector unit: lanes of 32-bit ALUs and the pipeline latency of one
  // instruction, plus cycles per vector for each op class.
  int64_t vector_lanes = 1024;
  int64_t vector_latency_cycles = 8;
  int64_t transcendental_cycles = 8;  // exp, log, tanh, erf, ...
  int64_t divide_cycles = 4;          // divide, sqrt, rsqrt, remainder

  // On-chip SRAM (operand staging for the matrix unit and the vector unit):
  // `sram_banks` banks, each delivering one word of `sram_bank_bytes` per
  // cycle.
  int64_t sram_bytes = int64_t{32} << 20;
  int64_t sram_banks = 32;
  int64_t sram_bank_bytes = 32;
  // HBM: capacity and bandwidth.
  int64_t hbm_bytes = int64_t{16} << 30;
  double hbm_gbytes_per_s = 600.0;
  // Host link (PCIe-like) used by host<->HBM DMA: PCIe 4.0 x16.
  double host_link_gbytes_per_s = 32.0;
  double host_link_latency_ns = 2000.0;
  // Inter-chip link used by cross-chip copies and collectives.
  double ici_gbytes_per_s = 100.0;
  double ici_latency_ns = 1000.0;

  double HbmBytesPerCycle() const { return hbm_gbytes_per_s * 1e3 / clock_mhz; }
  double HostLinkBytesPerCycle() const {
    return host_link_gbytes_per_s * 1e3 / clock_mhz;
  }
  double IciBytesPerCycle() const { return ici_gbytes_per_s * 1e3 / clock_mhz; }
  // Whole cycles covering `ns` (latencies).
  int64_t NsToCycles(double ns) const {
    return static_cast<int64_t>(std::ceil(ns * clock_mhz / 1e3 - 1e-9));
  }
  double CyclesToNs(int64_t cycles) const {
    return static_cast<double>(cycles) * 1e3 / clock_mhz;
  }
};

// Names of the presets, "default" first.
std::vector<std::string> PresetNames();
// NOT_FOUND naming the known presets for an unknown name.
absl::StatusOr<ChipConfig> Preset(absl::string_view name);

// The client options the sim plugin accepts (fixed names: preset,
// array_rows, array_cols, dataflow, timing_model, clock_mhz, num_chips,
// default_matmul_precision, trace_dir; plus hbm_mib, sram_kib, hbm_gbps,
// vector_lanes, sram_banks, sram_bank_bytes, host_link_gbps,
// host_link_latency_ns, ici_gbps, ici_latency_ns).
const std::vector<kit::OptionSpec>& ClientOptionSpecs();

// Applies `options` on top of their preset; INVALID_ARGUMENT for values out
// of range (non-positive sizes, unknown dataflow names, ...).
absl::StatusOr<ChipConfig> ChipConfigFromOptions(const kit::Options& options);

absl::string_view DataflowName(Dataflow dataflow);
absl::string_view TimingModelName(TimingModel model);
absl::string_view MatmulPrecisionName(MatmulPrecision precision);
absl::StatusOr<MatmulPrecision> ParseMatmulPrecision(absl::string_view name);

}  // namespace backplane::sim

#endif  // BACKPLANE_SIM_ACCELERATOR_CHIP_CONFIG_H_
