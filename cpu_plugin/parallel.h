// The OpenMP threads the cpu plugin's own loops may use (fused loops, row
// reductions): the ones oneDNN already runs, so no second pool competes
// for the cores.
//
//   if (work >= kThreshold && MaxWorkerThreads() > 1) { /* omp parallel */ }
#ifndef BACKPLANE_CPU_PLUGIN_PARALLEL_H_
#define BACKPLANE_CPU_PLUGIN_PARALLEL_H_

#include <omp.h>

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

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_PARALLEL_H_
