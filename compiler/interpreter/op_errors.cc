#include "compiler/interpreter/op_errors.h"

#include "absl/strings/str_cat.h"
#include "compiler/interpreter/op_attributes.h"

namespace backplane::interpreter {

absl::Status OpError(const ir::Op& op, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(LocationString(op), ": ", op.name(), ": ",
                                   status.message()));
}

absl::Status Unimplemented(const ir::Op& op, absl::string_view what) {
  return absl::UnimplementedError(
      absl::StrCat(LocationString(op), ": unsupported op ", op.name(),
                   what.empty() ? "" : " (", what, what.empty() ? "" : ")"));
}

}  // namespace backplane::interpreter
