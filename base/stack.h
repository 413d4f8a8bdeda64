// How much of the current thread's stack is left, so code that recurses on
// its input (the interpreter's calls and regions) can stop with a clear
// error before it overflows, whatever stack the calling thread was given.
//
//   if (base::RemainingStackBytes() < base::kStackReserveBytes) {
//     return absl::ResourceExhaustedError("nesting too deep for the stack");
//   }
//
// The first call on a thread reads the thread's stack bounds
// (pthread_getattr_np); later calls are a subtraction. Returns SIZE_MAX when
// the bounds cannot be read, so a check never fires falsely.
#ifndef BACKPLANE_BASE_STACK_H_
#define BACKPLANE_BASE_STACK_H_

#include <cstddef>

namespace backplane::base {

size_t RemainingStackBytes();

// What recursive code keeps free below it: room for the deepest leaf work
// (kernels, allocation, error formatting). Sanitizers' frames are several
// times larger, so their builds keep more.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr size_t kStackReserveBytes = size_t{2} << 20;
#else
inline constexpr size_t kStackReserveBytes = size_t{256} << 10;
#endif

}  // namespace backplane::base

#endif  // BACKPLANE_BASE_STACK_H_
