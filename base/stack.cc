#include "base/stack.h"

#include <pthread.h>

#include <cstdint>

namespace backplane::base {
namespace {

// The lowest address of this thread's stack (stacks grow down on every
// platform we build for); 0 until read, UINTPTR_MAX when unreadable.
thread_local uintptr_t stack_low = 0;

uintptr_t ReadStackLow() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return UINTPTR_MAX;
  void* addr = nullptr;
  size_t size = 0;
  const int rc = pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  return rc == 0 ? reinterpret_cast<uintptr_t>(addr) : UINTPTR_MAX;
}

}  // namespace

size_t RemainingStackBytes() {
  if (stack_low == 0) stack_low = ReadStackLow();
  const uintptr_t here =
      reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (stack_low == UINTPTR_MAX || here <= stack_low) return SIZE_MAX;
  return static_cast<size_t>(here - stack_low);
}

}  // namespace backplane::base
