// Throughput of the hot element-wise kernels on 1M-element buffers, next to
// a plain memcpy of the same bytes as the memory-speed reference. Run with
//   bazel run -c opt //compiler/kernels/elementwise:elementwise_benchmark
// "bytes_per_second" counts every byte read and written.
#include <cstring>
#include <vector>

#include "benchmark/benchmark.h"
#include "compiler/ir/float16.h"
#include "compiler/kernels/elementwise/binary.h"
#include "compiler/kernels/elementwise/convert.h"
#include "compiler/kernels/elementwise/unary.h"

namespace backplane::kernels::elementwise {
namespace {

using ir::ElementType;
constexpr int64_t kElements = 1 << 20;

template <typename T>
std::vector<T> Filled(T first, T step) {
  std::vector<T> v(kElements);
  T x = first;
  for (T& e : v) {
    e = x;
    x += step;
  }
  return v;
}

void BM_MemcpyF32(benchmark::State& state) {
  std::vector<float> a = Filled(1.0f, 0.5f), out(kElements);
  for (auto _ : state) {
    std::memcpy(out.data(), a.data(), kElements * sizeof(float));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 2 * sizeof(float));
}
BENCHMARK(BM_MemcpyF32);

void BM_AddF32(benchmark::State& state) {
  std::vector<float> a = Filled(1.0f, 0.5f), b = Filled(-3.0f, 0.25f),
                     out(kElements);
  for (auto _ : state) {
    absl::Status s = BinaryInto(BinaryOp::kAdd, ElementType::kF32, kElements,
                                a.data(), b.data(), out.data());
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 3 * sizeof(float));
  state.SetItemsProcessed(state.iterations() * kElements);
}
BENCHMARK(BM_AddF32);

void BM_AddF32InPlace(benchmark::State& state) {
  std::vector<float> a = Filled(1.0f, 0.5f), b = Filled(-3.0f, 0.25f);
  for (auto _ : state) {
    absl::Status s = BinaryInto(BinaryOp::kAdd, ElementType::kF32, kElements,
                                a.data(), b.data(), a.data());
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 3 * sizeof(float));
  state.SetItemsProcessed(state.iterations() * kElements);
}
BENCHMARK(BM_AddF32InPlace);

void BM_MultiplyS32(benchmark::State& state) {
  std::vector<int32_t> a = Filled(1, 3), b = Filled(7, 5), out(kElements);
  for (auto _ : state) {
    absl::Status s = BinaryInto(BinaryOp::kMultiply, ElementType::kS32,
                                kElements, a.data(), b.data(), out.data());
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 3 * sizeof(int32_t));
  state.SetItemsProcessed(state.iterations() * kElements);
}
BENCHMARK(BM_MultiplyS32);

void BM_MaximumF32(benchmark::State& state) {
  std::vector<float> a = Filled(1.0f, 0.5f), b = Filled(-3.0f, 0.75f),
                     out(kElements);
  for (auto _ : state) {
    absl::Status s = BinaryInto(BinaryOp::kMaximum, ElementType::kF32,
                                kElements, a.data(), b.data(), out.data());
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 3 * sizeof(float));
  state.SetItemsProcessed(state.iterations() * kElements);
}
BENCHMARK(BM_MaximumF32);

template <ElementType E, uint16_t (*kEncode)(float)>
void BM_Add16(benchmark::State& state) {
  std::vector<uint16_t> a(kElements), b(kElements), out(kElements);
  for (int64_t i = 0; i < kElements; ++i) {
    a[i] = kEncode(static_cast<float>(i % 1000) * 0.125f);
    b[i] = kEncode(static_cast<float>(i % 77) - 30.0f);
  }
  for (auto _ : state) {
    absl::Status s = BinaryInto(BinaryOp::kAdd, E, kElements, a.data(),
                                b.data(), out.data());
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 3 * 2);
  state.SetItemsProcessed(state.iterations() * kElements);
}
BENCHMARK_TEMPLATE(BM_Add16, ElementType::kBF16, ir::FloatToBF16)
    ->Name("BM_AddBF16");
BENCHMARK_TEMPLATE(BM_Add16, ElementType::kF16, ir::FloatToHalf)
    ->Name("BM_AddF16");

void BM_ExpF32(benchmark::State& state) {
  std::vector<float> a(kElements), out(kElements);
  for (int64_t i = 0; i < kElements; ++i) {
    a[i] = static_cast<float>(i % 2000) * 0.01f - 10.0f;
  }
  for (auto _ : state) {
    absl::Status s = UnaryInto(UnaryOp::kExponential, ElementType::kF32,
                               kElements, a.data(), out.data());
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 2 * sizeof(float));
  state.SetItemsProcessed(state.iterations() * kElements);
}
BENCHMARK(BM_ExpF32);

// MathAccuracy::kFast (within 1 ulp), on the same inputs as BM_ExpF32.
void BM_FastExpF32(benchmark::State& state) {
  std::vector<float> a(kElements), out(kElements);
  for (int64_t i = 0; i < kElements; ++i) {
    a[i] = static_cast<float>(i % 2000) * 0.01f - 10.0f;
  }
  absl::StatusOr<UnaryLoopFn> loop = ResolveUnaryLoop(
      UnaryOp::kExponential, ElementType::kF32, MathAccuracy::kFast);
  if (!loop.ok()) {
    state.SkipWithError("no fast exponential");
    return;
  }
  for (auto _ : state) {
    (*loop)(a.data(), out.data(), kElements);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 2 * sizeof(float));
  state.SetItemsProcessed(state.iterations() * kElements);
}
BENCHMARK(BM_FastExpF32);

void BM_TanhF32(benchmark::State& state) {
  std::vector<float> a(kElements), out(kElements);
  for (int64_t i = 0; i < kElements; ++i) {
    a[i] = static_cast<float>(i % 2000) * 0.005f - 5.0f;
  }
  for (auto _ : state) {
    absl::Status s = UnaryInto(UnaryOp::kTanh, ElementType::kF32, kElements,
                               a.data(), out.data());
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 2 * sizeof(float));
  state.SetItemsProcessed(state.iterations() * kElements);
}
BENCHMARK(BM_TanhF32);

void BM_ConvertF32ToBF16(benchmark::State& state) {
  std::vector<float> a = Filled(1.0f, 0.37f);
  std::vector<uint16_t> out(kElements);
  for (auto _ : state) {
    absl::Status s = ConvertInto(ElementType::kF32, ElementType::kBF16,
                                 kElements, a.data(), out.data());
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * (4 + 2));
  state.SetItemsProcessed(state.iterations() * kElements);
}
BENCHMARK(BM_ConvertF32ToBF16);

}  // namespace
}  // namespace backplane::kernels::elementwise

BENCHMARK_MAIN();
