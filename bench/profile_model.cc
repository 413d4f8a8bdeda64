// Compiles a StableHLO file with the cpu plugin's compiler and prints where
// one execution spends its time, by thunk kind (and the thunk count):
//
//   bazel run -c opt //bench:profile_model -- FILE.mlir [bf16]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cpu_plugin/program.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: profile_model FILE.mlir [bf16]\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream ss;
  ss << in.rdbuf();
  backplane::cpu::ProgramOptions options;
  if (argc > 2 && std::string(argv[2]) == "bf16") {
    options.matmul_precision = backplane::cpu::MatmulPrecision::kBf16;
  }
  auto start = std::chrono::steady_clock::now();
  auto program = backplane::cpu::Program::Compile(ss.str(), options);
  if (!program.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(program.status().message()).c_str());
    return 1;
  }
  const double compile_ms = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - start)
                                .count();
  const auto& p = **program;
  std::vector<std::vector<uint8_t>> args, outs;
  std::vector<const void*> arg_ptrs;
  std::vector<void*> out_ptrs;
  for (const auto& t : p.parameter_types()) {
    args.emplace_back(t.byte_size(), 0);
    if (t.element_type() == backplane::ir::ElementType::kF32) {
      float* f = reinterpret_cast<float*>(args.back().data());
      for (int64_t i = 0; i < t.element_count(); ++i) f[i] = 0.01f * (i % 7);
    }
    arg_ptrs.push_back(args.back().data());
  }
  for (const auto& t : p.result_types()) {
    outs.emplace_back(t.byte_size());
    out_ptrs.push_back(outs.back().data());
  }
  // PROFILE_ITERS timed runs after one warm-up run (default 3).
  const char* iters_env = std::getenv("PROFILE_ITERS");
  const int iters = std::max(1, iters_env ? std::atoi(iters_env) : 3);
  std::vector<int64_t> total;
  for (int iter = 0; iter <= iters; ++iter) {
    auto ns = p.RunProfiled(arg_ptrs, out_ptrs);
    if (!ns.ok()) {
      std::fprintf(stderr, "%s\n", std::string(ns.status().message()).c_str());
      return 1;
    }
    if (iter == 0) continue;  // Warm-up.
    if (total.empty()) total.assign(ns->size(), 0);
    for (size_t i = 0; i < ns->size(); ++i) total[i] += (*ns)[i];
  }
  std::map<std::string, std::pair<int64_t, int>> by_kind;
  int64_t sum = 0;
  const auto kinds = p.ThunkKinds();
  for (size_t i = 0; i < kinds.size(); ++i) {
    by_kind[kinds[i]].first += total[i] / iters;
    by_kind[kinds[i]].second += 1;
    sum += total[i] / iters;
  }
  std::vector<std::pair<int64_t, std::string>> sorted;
  for (const auto& [k, v] : by_kind) sorted.push_back({v.first, k});
  std::sort(sorted.rbegin(), sorted.rend());
  std::printf(
      "compile_ms=%.1f run_ms=%.3f thunks=%zu temp_bytes=%lld "
      "unshared_temp_bytes=%lld interpreted=%d\n",
      compile_ms, sum / 1e6, kinds.size(),
      static_cast<long long>(p.temp_bytes()),
      static_cast<long long>(p.unshared_temp_bytes()), p.interpreted() ? 1 : 0);
  if (p.interpreted())
    std::printf("fallback: %s\n", p.fallback_reason().c_str());
  if (std::getenv("PROFILE_SEQUENCE") != nullptr) {
    for (size_t i = 0; i < kinds.size(); ++i) {
      std::printf("  #%zu %.3f ms %s\n", i, total[i] / iters / 1e6,
                  kinds[i].c_str());
    }
  }
  for (const auto& [ns, k] : sorted) {
    std::printf("%10.3f ms %5d  %s\n", ns / 1e6, by_kind[k].second, k.c_str());
  }
  return 0;
}
