// Which sanitizer this translation unit was built with, for manifests and
// the `sanitizer` plugin attribute.
//
//   if (plugin_sanitizer != ThisBuildSanitizer()) ...
//
// A plugin built with AddressSanitizer or ThreadSanitizer cannot run in a
// process whose main program was not built the same way (the runtime must
// come first; dlopen fails with an obscure message, or the process crashes
// later), so the loader compares before it loads any code (IREE's lesson).
#ifndef BACKPLANE_BASE_BUILD_SANITIZER_H_
#define BACKPLANE_BASE_BUILD_SANITIZER_H_

namespace backplane::base {

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BACKPLANE_BUILT_WITH_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define BACKPLANE_BUILT_WITH_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define BACKPLANE_BUILT_WITH_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define BACKPLANE_BUILT_WITH_TSAN 1
#endif

// "address", "thread" or "none". UndefinedBehaviorSanitizer has no
// detection macro and needs no matching runtime, so it reads "none".
constexpr const char* ThisBuildSanitizer() {
#if defined(BACKPLANE_BUILT_WITH_ASAN)
  return "address";
#elif defined(BACKPLANE_BUILT_WITH_TSAN)
  return "thread";
#else
  return "none";
#endif
}

}  // namespace backplane::base

#endif  // BACKPLANE_BASE_BUILD_SANITIZER_H_
