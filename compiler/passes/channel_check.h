// Compile-time check that every stablehlo.recv can be matched: a recv on a
// channel no stablehlo.send of the program uses (in any function: the
// processes of one run all come from the program) waits forever, so it is a
// compile error naming the op, its location and the channel.
//
//   RETURN_IF_ERROR(passes::CheckRecvsHaveSends(*module));  // At Compile.
//
// Plugins call it when they compile (hello, cpu and sim do), before
// anything runs. Channels are matched by handle, as the interpreter's
// ParallelRun matches them (a send's DEVICE_TO_HOST type 2 pairs with a
// recv's HOST_TO_DEVICE type 3 of the same handle).
#ifndef BACKPLANE_COMPILER_PASSES_CHANNEL_CHECK_H_
#define BACKPLANE_COMPILER_PASSES_CHANNEL_CHECK_H_

#include "absl/status/status.h"
#include "compiler/ir/ir.h"

namespace backplane::passes {

// INVALID_ARGUMENT for the first recv whose channel has no send.
absl::Status CheckRecvsHaveSends(const ir::Module& module);

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_CHANNEL_CHECK_H_
