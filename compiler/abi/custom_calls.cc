#include "compiler/abi/custom_calls.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace backplane::abi {

absl::Status CheckCustomCallTargets(
    const ir::Module& module, absl::string_view plugin_name,
    const std::function<bool(absl::string_view)>& is_supported) {
  absl::Status status;
  ir::Walk(module, [&](ir::Op& op) {
    if (!status.ok() || op.code() != ir::OpCode::kCustomCall) return;
    const ir::Attribute* target = op.attributes().Get("call_target_name");
    const std::string name = target == nullptr ? "" : target->string_value();
    if (absl::StartsWith(name, "check.")) return;
    if (is_supported && is_supported(name)) return;
    status = absl::UnimplementedError(absl::StrCat(
        op.location().file, ":", op.location().line, ":", op.location().column,
        ": stablehlo.custom_call @", name, ": the ", plugin_name,
        " plugin has no implementation of this call target"));
  });
  return status;
}

}  // namespace backplane::abi
