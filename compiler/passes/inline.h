// Inlining: replaces every func.call by a copy of its callee's body
// (callees first, so nested calls disappear too), then erases private
// functions that no public function still references.
//
//   absl::StatusOr<bool> changed = CreateInlinePass()->Run(module);
//
// Errors: a call cycle (direct or mutual recursion) is reported with the
// cycle spelled out, e.g. "recursive call chain @a -> @b -> @a"; a call to
// a missing function, or with operand/result types that do not match the
// callee, is an error naming the call; a callee whose body has several
// blocks is UNIMPLEMENTED. Inlining stops with RESOURCE_EXHAUSTED when the
// module would grow past `max_ops` ops (chains of functions that each call
// the next twice grow exponentially).
//
// References kept alive besides calls: any symbol reference attribute (for
// example custom_call's called_computations or the interpreter's programs).
#ifndef BACKPLANE_COMPILER_PASSES_INLINE_H_
#define BACKPLANE_COMPILER_PASSES_INLINE_H_

#include <cstdint>
#include <memory>

#include "compiler/passes/pass.h"

namespace backplane::passes {

struct InlineOptions {
  int64_t max_ops = int64_t{1} << 22;
};

std::unique_ptr<Pass> CreateInlinePass(InlineOptions options = {});

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_INLINE_H_
