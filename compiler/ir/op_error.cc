#include "compiler/ir/op_error.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace backplane::ir {

std::string FormatLocation(const Location& location) {
  if (location.line > 0) {
    return absl::StrCat(location.file.empty() ? "<input>" : location.file, ":",
                        location.line, ":", location.column);
  }
  if (!location.loc_text.empty()) return location.loc_text;
  if (!location.file.empty()) return location.file;
  return "<unknown location>";
}

std::string FormatLocation(const Op& op) {
  return FormatLocation(op.location());
}

absl::Status OpError(const Op& op, const absl::Status& status) {
  if (status.ok()) return status;
  const std::string prefix = absl::StrCat(FormatLocation(op), ": ", op.name());
  if (absl::StartsWith(status.message(), prefix)) return status;
  return base::Annotate(status, prefix);
}

}  // namespace backplane::ir
