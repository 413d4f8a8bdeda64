#include "sim_accelerator/trace.h"

#include <cstdio>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace backplane::sim {
namespace {

enum Track { kMatrixTrack = 1, kVectorTrack, kDmaTrack, kControlTrack };

void AppendEscaped(std::string* out, absl::string_view s) {
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (static_cast<unsigned char>(ch) >= 0x20) {
      out->push_back(ch);
    }
  }
}

}  // namespace

std::string ChromeTraceJson(const ChipConfig& chip, const Schedule& schedule,
                            absl::string_view program_name) {
  const double us_per_cycle = 1.0 / chip.clock_mhz;
  std::string out = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
  absl::StrAppend(&out,
                  "{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\","
                  "\"args\":{\"name\":\"sim chip (",
                  chip.preset, ") ");
  AppendEscaped(&out, program_name);
  out += "\"}}";
  for (auto [tid, name] :
       {std::pair<int, const char*>{kMatrixTrack, "matrix unit"},
        {kVectorTrack, "vector unit"},
        {kDmaTrack, "DMA HBM<->SRAM"},
        {kControlTrack, "control"}}) {
    absl::StrAppend(&out, ",{\"ph\":\"M\",\"pid\":1,\"tid\":", tid,
                    ",\"name\":\"thread_name\",\"args\":{\"name\":\"", name,
                    "\"}}");
  }
  for (const ScheduledOp& op : schedule.ops) {
    const OpWork& w = *op.work;
    int tid = kVectorTrack;
    int64_t duration = op.timing.cycles;
    if (w.unit == Unit::kMatrix) {
      tid = kMatrixTrack;
    } else if (w.unit == Unit::kControl) {
      tid = kControlTrack;
    } else if (w.fused) {
      duration = op.timing.vector_cycles;
    }
    if (duration <= 0) continue;
    out += ",{\"ph\":\"X\",\"pid\":1,\"tid\":";
    absl::StrAppend(&out, tid, ",\"ts\":", op.start_cycle * us_per_cycle,
                    ",\"dur\":", duration * us_per_cycle, ",\"name\":\"");
    AppendEscaped(&out, w.name);
    out += "\",\"args\":{\"location\":\"";
    AppendEscaped(&out, w.location);
    absl::StrAppend(&out, "\",\"cycles\":", op.timing.cycles,
                    ",\"stall_cycles\":", op.timing.stall_cycles,
                    ",\"hbm_bytes\":", op.timing.hbm_bytes,
                    ",\"fused\":", w.fused ? "true" : "false", "}}");
    if (op.timing.hbm_bytes > 0) {
      // The op's HBM traffic, overlapped with its compute.
      const double memory_cycles =
          static_cast<double>(op.timing.hbm_bytes) / chip.HbmBytesPerCycle();
      absl::StrAppend(&out, ",{\"ph\":\"X\",\"pid\":1,\"tid\":", kDmaTrack,
                      ",\"ts\":", op.start_cycle * us_per_cycle,
                      ",\"dur\":", memory_cycles * us_per_cycle,
                      ",\"name\":\"dma ", op.timing.hbm_bytes, " B\"}");
    }
  }
  out += "]}\n";
  return out;
}

absl::StatusOr<std::string> WriteTraceFile(absl::string_view dir,
                                           absl::string_view program_name,
                                           int64_t sequence,
                                           absl::string_view json) {
  std::string safe_name;
  for (char ch : program_name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    safe_name.push_back(ok ? ch : '_');
  }
  const std::string path =
      absl::StrCat(dir, "/sim_", safe_name, "_", sequence, ".json");
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"),
                                          &std::fclose);
  if (f == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write trace file ", path));
  }
  if (std::fwrite(json.data(), 1, json.size(), f.get()) != json.size()) {
    return absl::DataLossError(absl::StrCat("short write to ", path));
  }
  return path;
}

}  // namespace backplane::sim
