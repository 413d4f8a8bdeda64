// Benchmarks of the structured kernels. Run with
//   bazel run -c opt //compiler/kernels/structured:structured_benchmark
#include <cstdint>

#include "benchmark/benchmark.h"
#include "compiler/kernels/structured/dot.h"
#include "compiler/kernels/structured/reference_util.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

void BM_DotF32(benchmark::State& state) {
  const int64_t n = state.range(0);
  Literal a = RandomLiteral(ElementType::kF32, {n, n}, 1);
  Literal b = RandomLiteral(ElementType::kF32, {n, n}, 2);
  DotDimensionNumbers dn;
  dn.lhs_contracting = {1};
  dn.rhs_contracting = {0};
  for (auto _ : state) {
    absl::StatusOr<Literal> c = DotGeneral(a, b, dn);
    benchmark::DoNotOptimize(c);
  }
  state.counters["GFLOP/s"] = benchmark::Counter(
      2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}
BENCHMARK(BM_DotF32)->Arg(64)->Arg(256)->Arg(512);

}  // namespace
}  // namespace backplane::kernels::structured

BENCHMARK_MAIN();
