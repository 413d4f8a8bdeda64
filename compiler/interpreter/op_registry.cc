#include "compiler/interpreter/op_registry.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace backplane::interpreter {

absl::Status OpRegistry::Register(ir::OpCode code, OpExecutor execute) {
  OpExecutor& slot = executors_[static_cast<size_t>(code)];
  if (slot != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat(
        "op ", ir::OpCodeName(code), " has two interpreter executors"));
  }
  slot = execute;
  return absl::OkStatus();
}

absl::Status OpRegistry::Register(std::initializer_list<ir::OpCode> codes,
                                  OpExecutor execute) {
  for (ir::OpCode code : codes) RETURN_IF_ERROR(Register(code, execute));
  return absl::OkStatus();
}

}  // namespace backplane::interpreter
