// The OpenMP threads the cpu plugin's own loops may use (fused loops, row
// reductions, layout copies): the ones oneDNN already runs, so no second
// pool competes for the cores.
//
//   ForEachRange(rows, rows * cols >= kThreshold && MaxWorkerThreads() > 1,
//                [&](int64_t begin, int64_t end) { /* rows [begin, end) */ });
#ifndef BACKPLANE_CPU_PLUGIN_PARALLEL_H_
#define BACKPLANE_CPU_PLUGIN_PARALLEL_H_

#include <omp.h>

#include <cstdint>

namespace backplane::cpu {

// omp_get_max_threads(), except 1 under ThreadSanitizer: libgomp is not
// instrumented, so TSan cannot see its barriers and reports every value a
// worker touched as racing with what the caller does after the parallel
// region (Debian's libgomp frames are not even on those stacks for a
// suppression to match). Sanitizer builds run these loops on the calling
// thread; oneDNN's own threads stay covered by the libgomp suppression.
inline int MaxWorkerThreads() {
#if defined(__SANITIZE_THREAD__)
  return 1;
#else
  return omp_get_max_threads();
#endif
}

// Calls fn(begin, end) on contiguous ranges covering [0, n): one range on
// the calling thread unless `parallel`, else one per OpenMP thread. A
// branch, not an OpenMP if clause: a one-thread parallel region resizes
// libgomp's team, and the next two-thread region (oneDNN's) then pays
// about 70 us to wake the other thread again. Files that call it compile
// with -fopenmp.
template <typename Fn>
void ForEachRange(int64_t n, bool parallel, const Fn& fn) {
  if (!parallel) {
    fn(int64_t{0}, n);
    return;
  }
  const int threads = MaxWorkerThreads();
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (int t = 0; t < threads; ++t) {
    fn(n * t / threads, n * (t + 1) / threads);
  }
}

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_PARALLEL_H_
