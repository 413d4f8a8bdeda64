#include "sim_accelerator/chip_config.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"

namespace backplane::sim {
namespace {

ChipConfig TpuV1Like() {
  // TPU v1 (Jouppi et al., ISCA 2017): 256x256 8-bit MACs at 700 MHz, a
  // 24 MiB unified buffer, 8 GiB of DDR3 at 34 GB/s, PCIe 3 x16 to the
  // host. We keep bf16/f32 arithmetic; the sizes and speeds are v1's.
  ChipConfig c;
  c.preset = "tpu-v1-like";
  c.array_rows = 256;
  c.array_cols = 256;
  c.clock_mhz = 700.0;
  c.vector_lanes = 256;
  c.sram_bytes = int64_t{24} << 20;
  c.hbm_bytes = int64_t{8} << 30;
  c.hbm_gbytes_per_s = 34.0;
  c.host_link_gbytes_per_s = 14.0;
  c.host_link_latency_ns = 5000.0;
  // v1 had no inter-chip network; chips talk through the host's PCIe.
  c.ici_gbytes_per_s = 14.0;
  c.ici_latency_ns = 10000.0;
  return c;
}

ChipConfig TpuV4Like() {
  // One TPU v4 TensorCore: 128x128 arrays at 1050 MHz, 32 GiB HBM2 at
  // 1.2 TB/s, a 1024-lane vector unit, fast inter-chip links.
  ChipConfig c;
  c.preset = "tpu-v4-like";
  c.clock_mhz = 1050.0;
  c.hbm_bytes = int64_t{32} << 30;
  c.hbm_gbytes_per_s = 1200.0;
  c.sram_bytes = int64_t{32} << 20;
  c.ici_gbytes_per_s = 300.0;
  c.ici_latency_ns = 500.0;
  c.host_link_gbytes_per_s = 32.0;
  return c;
}

ChipConfig EdgeLike() {
  // A small inference chip: 32x32 array, little SRAM, LPDDR memory.
  ChipConfig c;
  c.preset = "edge-like";
  c.array_rows = 32;
  c.array_cols = 32;
  c.clock_mhz = 500.0;
  c.vector_lanes = 64;
  c.sram_bytes = int64_t{4} << 20;
  c.sram_banks = 8;
  c.hbm_bytes = int64_t{2} << 30;
  c.hbm_gbytes_per_s = 8.0;
  c.host_link_gbytes_per_s = 4.0;
  c.host_link_latency_ns = 3000.0;
  c.ici_gbytes_per_s = 4.0;
  c.ici_latency_ns = 3000.0;
  return c;
}

}  // namespace

std::vector<std::string> PresetNames() {
  return {"default", "tpu-v1-like", "tpu-v4-like", "edge-like"};
}

absl::StatusOr<ChipConfig> Preset(absl::string_view name) {
  if (name == "default") return ChipConfig();
  if (name == "tpu-v1-like") return TpuV1Like();
  if (name == "tpu-v4-like") return TpuV4Like();
  if (name == "edge-like") return EdgeLike();
  return absl::NotFoundError(
      absl::StrCat("unknown preset '", name,
                   "'; known presets: ", absl::StrJoin(PresetNames(), ", ")));
}

const std::vector<kit::OptionSpec>& ClientOptionSpecs() {
  static const auto* specs = new std::vector<kit::OptionSpec>{
      {"preset", BPL_VALUE_STRING,
       "chip preset: default, tpu-v1-like, tpu-v4-like, edge-like"},
      {"array_rows", BPL_VALUE_INT64, "systolic array rows (default 128)"},
      {"array_cols", BPL_VALUE_INT64, "systolic array columns (default 128)"},
      {"dataflow", BPL_VALUE_STRING, "ws (default), os or is"},
      {"timing_model", BPL_VALUE_STRING, "default or scalesim"},
      {"clock_mhz", BPL_VALUE_FLOAT64, "clock frequency in MHz"},
      {"num_chips", BPL_VALUE_INT64, "chips (devices) per client"},
      {"default_matmul_precision", BPL_VALUE_STRING,
       "what DEFAULT precision means for f32 matmuls: default (1 bf16 "
       "pass), high (3) or highest (6, the default)"},
      {"trace_dir", BPL_VALUE_STRING,
       "folder for one Chrome trace-event JSON file per execution"},
      {"hbm_mib", BPL_VALUE_INT64, "HBM capacity per chip in MiB"},
      {"sram_kib", BPL_VALUE_INT64, "on-chip SRAM per chip in KiB"},
      {"hbm_gbps", BPL_VALUE_FLOAT64, "HBM bandwidth in GB/s"},
      {"vector_lanes", BPL_VALUE_INT64, "vector unit lanes"},
      {"sram_banks", BPL_VALUE_INT64, "SRAM banks feeding the matrix unit"},
      {"sram_bank_bytes", BPL_VALUE_INT64,
       "bytes one SRAM bank delivers per cycle"},
      {"host_link_gbps", BPL_VALUE_FLOAT64,
       "host<->HBM DMA link (PCIe-like) bandwidth in GB/s"},
      {"host_link_latency_ns", BPL_VALUE_FLOAT64,
       "host<->HBM DMA latency per transfer in ns"},
      {"ici_gbps", BPL_VALUE_FLOAT64,
       "inter-chip link bandwidth per direction in GB/s"},
      {"ici_latency_ns", BPL_VALUE_FLOAT64,
       "inter-chip link latency per hop in ns"},
  };
  return *specs;
}

absl::string_view DataflowName(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kWeightStationary:
      return "ws";
    case Dataflow::kOutputStationary:
      return "os";
    case Dataflow::kInputStationary:
      return "is";
  }
  return "?";
}

absl::string_view TimingModelName(TimingModel model) {
  return model == TimingModel::kScaleSim ? "scalesim" : "default";
}

absl::string_view MatmulPrecisionName(MatmulPrecision precision) {
  switch (precision) {
    case MatmulPrecision::kDefault:
      return "default";
    case MatmulPrecision::kHigh:
      return "high";
    case MatmulPrecision::kHighest:
      return "highest";
  }
  return "?";
}

absl::StatusOr<MatmulPrecision> ParseMatmulPrecision(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "default") return MatmulPrecision::kDefault;
  if (lower == "high") return MatmulPrecision::kHigh;
  if (lower == "highest") return MatmulPrecision::kHighest;
  return absl::InvalidArgumentError(
      absl::StrCat("client option 'default_matmul_precision' must be default, "
                   "high or highest, got '",
                   name, "'"));
}

absl::StatusOr<ChipConfig> ChipConfigFromOptions(const kit::Options& options) {
  absl::StatusOr<ChipConfig> base =
      Preset(options.GetString("preset", "default"));
  if (!base.ok()) return absl::InvalidArgumentError(base.status().message());
  ChipConfig c = *std::move(base);

  auto positive = [&](absl::string_view name, int64_t value,
                      int64_t max) -> absl::Status {
    if (value < 1 || value > max) {
      return absl::InvalidArgumentError(absl::StrCat(
          "client option '", name, "' must be in [1, ", max, "], got ", value));
    }
    return absl::OkStatus();
  };
  c.array_rows = options.GetInt64("array_rows", c.array_rows);
  c.array_cols = options.GetInt64("array_cols", c.array_cols);
  c.num_chips = options.GetInt64("num_chips", c.num_chips);
  c.vector_lanes = options.GetInt64("vector_lanes", c.vector_lanes);
  c.sram_banks = options.GetInt64("sram_banks", c.sram_banks);
  c.sram_bank_bytes = options.GetInt64("sram_bank_bytes", c.sram_bank_bytes);
  for (auto [name, value, max] :
       {std::tuple<const char*, int64_t, int64_t>{"array_rows", c.array_rows,
                                                  65536},
        {"array_cols", c.array_cols, 65536},
        {"num_chips", c.num_chips, 1024},
        {"vector_lanes", c.vector_lanes, 1 << 20},
        {"sram_banks", c.sram_banks, 65536},
        {"sram_bank_bytes", c.sram_bank_bytes, 1 << 16}}) {
    RETURN_IF_ERROR(positive(name, value, max));
  }
  if (options.Has("hbm_mib")) {
    const int64_t mib = options.GetInt64("hbm_mib", 0);
    if (absl::Status s = positive("hbm_mib", mib, int64_t{1} << 24); !s.ok())
      return s;
    c.hbm_bytes = mib << 20;
  }
  if (options.Has("sram_kib")) {
    const int64_t kib = options.GetInt64("sram_kib", 0);
    if (absl::Status s = positive("sram_kib", kib, int64_t{1} << 24); !s.ok())
      return s;
    c.sram_bytes = kib << 10;
  }
  auto positive_real = [&](absl::string_view name,
                           double* field) -> absl::Status {
    *field = options.GetFloat64(name, *field);
    if (!std::isfinite(*field) || *field <= 0 || *field > 1e9) {
      return absl::InvalidArgumentError(
          absl::StrCat("client option '", name,
                       "' must be a positive finite number, got ", *field));
    }
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(positive_real("clock_mhz", &c.clock_mhz));
  RETURN_IF_ERROR(positive_real("hbm_gbps", &c.hbm_gbytes_per_s));
  if (absl::Status s =
          positive_real("host_link_gbps", &c.host_link_gbytes_per_s);
      !s.ok())
    return s;
  RETURN_IF_ERROR(positive_real("ici_gbps", &c.ici_gbytes_per_s));
  // Latencies may be zero (an ideal link).
  for (auto [name, field] :
       {std::pair<const char*, double*>{"host_link_latency_ns",
                                        &c.host_link_latency_ns},
        {"ici_latency_ns", &c.ici_latency_ns}}) {
    *field = options.GetFloat64(name, *field);
    if (!std::isfinite(*field) || *field < 0 || *field > 1e12) {
      return absl::InvalidArgumentError(
          absl::StrCat("client option '", name,
                       "' must be a finite number >= 0, got ", *field));
    }
  }

  const std::string dataflow = options.GetString("dataflow", "ws");
  if (dataflow == "ws") {
    c.dataflow = Dataflow::kWeightStationary;
  } else if (dataflow == "os") {
    c.dataflow = Dataflow::kOutputStationary;
  } else if (dataflow == "is") {
    c.dataflow = Dataflow::kInputStationary;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "client option 'dataflow' must be ws, os or is, got '", dataflow, "'"));
  }
  const std::string model = options.GetString("timing_model", "default");
  if (model == "default") {
    c.timing_model = TimingModel::kDefault;
  } else if (model == "scalesim") {
    c.timing_model = TimingModel::kScaleSim;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "client option 'timing_model' must be default or scalesim, got '",
        model, "'"));
  }
  ASSIGN_OR_RETURN(MatmulPrecision precision,
                   ParseMatmulPrecision(options.GetString(
                       "default_matmul_precision", "highest")));
  c.default_matmul_precision = precision;
  c.trace_dir = options.GetString("trace_dir", "");
  return c;
}

}  // namespace backplane::sim
