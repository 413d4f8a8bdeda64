// Formats a plugin's execution statistics (BPL_ExecutionStatistics named
// values) as the members of bpl_run's `STATS <label> {...}` object.
//
//   std::string members = StatisticsJsonMembers(values, measured_wall_ns);
//   out << "{" << members << "}";
#ifndef BACKPLANE_TOOLS_BPL_RUN_STATISTICS_JSON_H_
#define BACKPLANE_TOOLS_BPL_RUN_STATISTICS_JSON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "api/cpp/named_value.h"

namespace backplane::bpl_run {

// True when `text` is exactly one JSON object or array (surrounding
// whitespace allowed), nested at most 64 deep. Used to embed string
// statistics that are themselves JSON (e.g. the simulator's "ops_json")
// instead of quoting them.
bool IsJsonObjectOrArray(absl::string_view text);

// JSON members (no braces) for `values` in order: integers and booleans as
// they are, doubles as numbers (non-finite ones as the strings "nan",
// "inf", "-inf", which JSON cannot spell), lists as arrays, strings quoted
// unless IsJsonObjectOrArray holds. When no value is named "wall_ns", a
// leading "wall_ns" member carries `measured_wall_ns`, so every plugin
// reports one. Repeated names keep their first value.
std::string StatisticsJsonMembers(const std::vector<NamedValue>& values,
                                  int64_t measured_wall_ns);

}  // namespace backplane::bpl_run

#endif  // BACKPLANE_TOOLS_BPL_RUN_STATISTICS_JSON_H_
