// Minimal JSON string escaping for bpl_run's reports.
//
//   out << "{\"path\":" << JsonString(path) << "}";
#ifndef BACKPLANE_COMPILER_INTERPRETER_HARNESS_JSON_WRITER_H_
#define BACKPLANE_COMPILER_INTERPRETER_HARNESS_JSON_WRITER_H_

#include <string>

#include "absl/strings/string_view.h"

namespace backplane::harness {

// `text` as a quoted JSON string (control characters escaped as \uXXXX).
std::string JsonString(absl::string_view text);

}  // namespace backplane::harness

#endif  // BACKPLANE_COMPILER_INTERPRETER_HARNESS_JSON_WRITER_H_
