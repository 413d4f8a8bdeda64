#include "compiler/interpreter/op_errors.h"

#include "absl/strings/str_cat.h"
#include "compiler/ir/op_error.h"

namespace backplane::interpreter {

absl::Status Unimplemented(const ir::Op& op, absl::string_view what) {
  return absl::UnimplementedError(
      absl::StrCat(ir::FormatLocation(op), ": unsupported op ", op.name(),
                   what.empty() ? "" : " (", what, what.empty() ? "" : ")"));
}

}  // namespace backplane::interpreter
