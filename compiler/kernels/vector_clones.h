// BACKPLANE_VECTOR_CLONES marks a typed inner loop for two further
// compilations, AVX2 (x86-64-v3) and AVX-512 (x86-64-v4, 512-bit vectors with
// -mprefer-vector-width=512: see compiler/kernels/elementwise/BUILD.bazel),
// one of which the dynamic linker picks at load time when the CPU supports
// it; the baseline build only assumes SSE2.
//
//   BACKPLANE_VECTOR_CLONES void AddLoop(const float* a, const float* b,
//                                        float* out, int64_t n);
//
// Results are identical: every clone performs the same IEEE operations
// (.bazelrc turns floating-point contraction into FMAs off).
// Not under ThreadSanitizer: the clone resolvers are IFUNCs that the dynamic
// linker runs before the TSan runtime is initialised, which crashes.
#ifndef BACKPLANE_COMPILER_KERNELS_VECTOR_CLONES_H_
#define BACKPLANE_COMPILER_KERNELS_VECTOR_CLONES_H_

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_THREAD__)
#define BACKPLANE_VECTOR_CLONES \
  __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define BACKPLANE_VECTOR_CLONES
#endif

#endif  // BACKPLANE_COMPILER_KERNELS_VECTOR_CLONES_H_
