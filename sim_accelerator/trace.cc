#include "sim_accelerator/trace.h"

#include <cstdio>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace backplane::sim {
namespace {

enum Track {
  kMatrixTrack = 1,
  kVectorTrack,
  kDmaTrack,
  kControlTrack,
  kHostLinkTrack,
  kIciTrack,
};

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

void AppendChip(const ChipConfig& chip, int pid, const Schedule& schedule,
                absl::string_view program_name, std::string* out) {
  const double us_per_cycle = 1.0 / chip.clock_mhz;
  absl::StrAppend(out, ",{\"ph\":\"M\",\"pid\":", pid,
                  ",\"name\":\"process_name\",\"args\":{\"name\":\"sim chip ",
                  pid - 1, " (", chip.preset, ") ");
  AppendEscaped(out, program_name);
  *out += "\"}}";
  for (auto [tid, name] :
       {std::pair<int, const char*>{kMatrixTrack, "matrix unit"},
        {kVectorTrack, "vector unit"},
        {kDmaTrack, "DMA HBM<->SRAM"},
        {kControlTrack, "control"},
        {kHostLinkTrack, "host link (DMA host<->HBM)"},
        {kIciTrack, "inter-chip link"}}) {
    absl::StrAppend(out, ",{\"ph\":\"M\",\"pid\":", pid, ",\"tid\":", tid,
                    ",\"name\":\"thread_name\",\"args\":{\"name\":\"", name,
                    "\"}}");
  }
  auto event = [&](int tid, double start_cycle, double cycles) {
    absl::StrAppend(out, ",{\"ph\":\"X\",\"pid\":", pid, ",\"tid\":", tid,
                    ",\"ts\":", start_cycle * us_per_cycle,
                    ",\"dur\":", cycles * us_per_cycle, ",\"name\":\"");
  };
  for (const InputTransfer& transfer : schedule.input_transfers) {
    const bool host = transfer.link == InputTransfer::Link::kHost;
    event(host ? kHostLinkTrack : kIciTrack,
          static_cast<double>(transfer.start_cycle),
          static_cast<double>(transfer.end_cycle - transfer.start_cycle));
    absl::StrAppend(out, host ? "host to HBM " : "chip to chip ",
                    transfer.bytes, " B\",\"args\":{\"bytes\":", transfer.bytes,
                    "}}");
  }
  for (const ScheduledOp& op : schedule.ops) {
    const OpWork& w = *op.work;
    int tid = kVectorTrack;
    int64_t duration = op.timing.cycles;
    if (w.unit == Unit::kMatrix) {
      tid = kMatrixTrack;
    } else if (w.unit == Unit::kControl) {
      tid = kControlTrack;
    } else if (w.unit == Unit::kLink) {
      tid = kIciTrack;
    } else if (w.fused) {
      duration = op.timing.vector_cycles;
    }
    if (duration <= 0) continue;
    event(tid, static_cast<double>(op.start_cycle),
          static_cast<double>(duration));
    AppendEscaped(out, w.name);
    *out += "\",\"args\":{\"location\":\"";
    AppendEscaped(out, w.location);
    absl::StrAppend(out, "\",\"cycles\":", op.timing.cycles,
                    ",\"stall_cycles\":", op.timing.stall_cycles,
                    ",\"hbm_bytes\":", op.timing.hbm_bytes);
    if (w.unit == Unit::kLink) {
      absl::StrAppend(out, ",\"ici_bytes\":", op.timing.ici_bytes,
                      ",\"group\":", w.link_group);
    }
    if (w.unit == Unit::kMatrix) {
      absl::StrAppend(
          out, ",\"bank_conflict_cycles\":", op.timing.bank_conflict_cycles);
    }
    absl::StrAppend(out, ",\"fused\":", w.fused ? "true" : "false", "}}");
    if (op.timing.hbm_bytes > 0) {
      // The op's HBM traffic, overlapped with its compute.
      const double memory_cycles =
          static_cast<double>(op.timing.hbm_bytes) / chip.HbmBytesPerCycle();
      event(kDmaTrack, static_cast<double>(op.start_cycle), memory_cycles);
      absl::StrAppend(out, "dma ", op.timing.hbm_bytes, " B\"}");
    }
  }
}

}  // namespace

std::string ChromeTraceJson(const ChipConfig& chip,
                            const std::vector<const Schedule*>& chips,
                            absl::string_view program_name) {
  std::string out = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
  out +=
      "{\"ph\":\"M\",\"pid\":0,\"name\":\"process_name\",\"args\":{"
      "\"name\":\"host\"}}";
  for (size_t i = 0; i < chips.size(); ++i) {
    AppendChip(chip, static_cast<int>(i) + 1, *chips[i], program_name, &out);
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
