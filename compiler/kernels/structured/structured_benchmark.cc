// Benchmarks of the structured kernels. Run with
//   bazel run -c opt //compiler/kernels/structured:structured_benchmark
#include <cstdint>

#include "benchmark/benchmark.h"
#include "compiler/kernels/structured/convolution.h"
#include "compiler/kernels/structured/data_movement.h"
#include "compiler/kernels/structured/dot.h"
#include "compiler/kernels/structured/gather.h"
#include "compiler/kernels/structured/reduce.h"
#include "compiler/kernels/structured/reference_util.h"
#include "compiler/kernels/structured/strided_copy.h"

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

void BM_DotF64(benchmark::State& state) {
  const int64_t n = state.range(0);
  Literal a = RandomLiteral(ElementType::kF64, {n, n}, 1);
  Literal b = RandomLiteral(ElementType::kF64, {n, n}, 2);
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
BENCHMARK(BM_DotF64)->Arg(256);

// The GEMM shape the ResNet convolution lowers to (im2col rows x depth x
// output features).
void BM_GemmConvShape(benchmark::State& state) {
  Literal a = RandomLiteral(ElementType::kF32, {3136, 576}, 1);
  Literal b = RandomLiteral(ElementType::kF32, {576, 64}, 2);
  DotDimensionNumbers dn;
  dn.lhs_contracting = {1};
  dn.rhs_contracting = {0};
  for (auto _ : state) {
    absl::StatusOr<Literal> c = DotGeneral(a, b, dn);
    benchmark::DoNotOptimize(c);
  }
  state.counters["GFLOP/s"] = benchmark::Counter(
      2.0 * 3136 * 576 * 64, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}
BENCHMARK(BM_GemmConvShape);

// ResNet-like 3x3 "same" convolution: 1x56x56x64 (NHWC) -> 64 features.
void BM_ConvResNet3x3(benchmark::State& state) {
  Literal x = RandomLiteral(ElementType::kF32, {1, 56, 56, 64}, 1);
  Literal w = RandomLiteral(ElementType::kF32, {3, 3, 64, 64}, 2);
  ConvolutionParams p = ConvolutionParams::Nhwc(2);
  p.padding = {{1, 1}, {1, 1}};
  for (auto _ : state) {
    absl::StatusOr<Literal> y = Convolution(x, w, p);
    benchmark::DoNotOptimize(y);
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * 56 * 56 * 64 * 64 * 9,
                         benchmark::Counter::kIsIterationInvariantRate,
                         benchmark::Counter::kIs1000);
}
BENCHMARK(BM_ConvResNet3x3);

void BM_ReduceSumF32(benchmark::State& state) {
  const int64_t n = int64_t{1} << 20;
  Literal x = RandomLiteral(ElementType::kF32, {n}, 1);
  Literal zero(ir::TensorType(ElementType::kF32, {}));
  ScalarComputation add;
  add.kind = BodyKind::kAdd;
  for (auto _ : state) {
    auto r = Reduce({&x}, {&zero}, {0}, add);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * n * 4);
}
BENCHMARK(BM_ReduceSumF32);

void BM_TransposeF32(benchmark::State& state) {
  Literal x = RandomLiteral(ElementType::kF32, {1024, 1024}, 1);
  for (auto _ : state) {
    auto r = Transpose(x, {1, 0});
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * 1024 * 1024 * 4);
}
BENCHMARK(BM_TransposeF32);

// The same transpose into a reused buffer: the copy engine alone, without
// the first-touch page faults of a fresh 4 MiB result (which dominate on
// this VM).
void BM_TransposeF32IntoBuffer(benchmark::State& state) {
  Literal x = RandomLiteral(ElementType::kF32, {1024, 1024}, 1);
  Literal out(x.type());
  const int64_t dims[] = {1024, 1024};
  const int64_t src_strides[] = {1, 1024};
  const int64_t dst_strides[] = {1024, 1};
  for (auto _ : state) {
    StridedCopy(4, dims, x.untyped_data(), src_strides, out.untyped_data(),
                dst_strides);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * 1024 * 1024 * 4);
}
BENCHMARK(BM_TransposeF32IntoBuffer);

// Embedding lookup: 64K rows of 64 f32 gathered from a 50K-row table.
void BM_GatherRows(benchmark::State& state) {
  Literal table = RandomLiteral(ElementType::kF32, {50000, 64}, 1);
  Literal ids(ir::TensorType(ElementType::kS32, {65536}));
  for (int i = 0; i < 65536; ++i) ids.data<int32_t>()[i] = (i * 7919) % 50000;
  GatherDimensionNumbers dn;
  dn.offset_dims = {1};
  dn.collapsed_slice_dims = {0};
  dn.start_index_map = {0};
  dn.index_vector_dim = 1;
  for (auto _ : state) {
    auto r = Gather(table, ids, dn, {1, 64});
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * 65536 * 64 * 4);
}
BENCHMARK(BM_GatherRows);

}  // namespace
}  // namespace backplane::kernels::structured

BENCHMARK_MAIN();
