// Compile-time rejection of custom_call targets a plugin cannot run.
//
//   RETURN_IF_ERROR(abi::CheckCustomCallTargets(
//       module, "cpu", [](absl::string_view t) { return t == "my.kernel"; }));
//
// A custom_call names code that only its author has. A plugin that cannot
// run a target must say so when the program is compiled (UNIMPLEMENTED,
// naming the target and where it is), not halfway through an execution.
// `check.*` targets (the conformance-file checks that test runners evaluate
// on the host) are always accepted.
#ifndef BACKPLANE_COMPILER_ABI_CUSTOM_CALLS_H_
#define BACKPLANE_COMPILER_ABI_CUSTOM_CALLS_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"

namespace backplane::abi {

// Returns UNIMPLEMENTED for the first custom_call whose target is neither a
// `check.*` target nor accepted by `is_supported` (which may be empty: no
// target supported). The message reads
// `file:line:column: stablehlo.custom_call @target: the <plugin> plugin has
// no implementation of this call target`.
absl::Status CheckCustomCallTargets(
    const ir::Module& module, absl::string_view plugin_name,
    const std::function<bool(absl::string_view)>& is_supported = nullptr);

}  // namespace backplane::abi

#endif  // BACKPLANE_COMPILER_ABI_CUSTOM_CALLS_H_
