// Chrome trace-event JSON (opened by Perfetto and chrome://tracing) for one
// simulated execution: one process per chip, one track per unit (matrix
// unit, vector unit, HBM<->SRAM DMA, control, host link for host<->HBM DMA,
// inter-chip link), times in simulated microseconds from launch.
//
//   std::string json = ChromeTraceJson(chip, {&schedule}, "main");
//   absl::Status s = WriteTraceFile(dir, "main", launch, json, &path);
#ifndef BACKPLANE_SIM_ACCELERATOR_TRACE_H_
#define BACKPLANE_SIM_ACCELERATOR_TRACE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim_accelerator/chip_config.h"
#include "sim_accelerator/timing.h"

namespace backplane::sim {

// `chips[i]` is the schedule of chip i of the execution.
std::string ChromeTraceJson(const ChipConfig& chip,
                            const std::vector<const Schedule*>& chips,
                            absl::string_view program_name);

// Writes `json` to `<dir>/sim_<program>_<sequence>.json` and returns the
// path; the folder must exist.
absl::StatusOr<std::string> WriteTraceFile(absl::string_view dir,
                                           absl::string_view program_name,
                                           int64_t sequence,
                                           absl::string_view json);

}  // namespace backplane::sim

#endif  // BACKPLANE_SIM_ACCELERATOR_TRACE_H_
