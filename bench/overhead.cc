// Per-execute overhead of a one-op program (f32[4] add, inputs on device)
// through the C ABI, and 256 MiB host<->device copies against a plain
// memcpy measured in the same run. Medians.
//
//   bazel run -c opt //bench:overhead
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

int main() {
  const char* runfiles = std::getenv("RUNFILES_DIR");
  std::string lib =
      runfiles != nullptr
          ? absl::StrCat(runfiles, "/backplane/cpu_plugin/libbackplane_cpu.so")
          : "cpu_plugin/libbackplane_cpu.so";
  auto plugin = backplane::Plugin::Load(lib);
  if (!plugin.ok()) return 1;
  auto client = plugin->CreateClient();
  if (!client.ok()) return 1;
  auto device = (*client->addressable_devices())[0];
  auto exe = client->Compile(R"(
func.func @main(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.add %x, %y : tensor<4xf32>
  return %0 : tensor<4xf32>
})");
  if (!exe.ok()) return 1;
  auto x = client->BufferFromVector<float>({1, 2, 3, 4}, {4}, device);
  auto y = client->BufferFromVector<float>({1, 2, 3, 4}, {4}, device);
  std::vector<backplane::Buffer*> args = {&*x, &*y};
  std::vector<double> us;
  for (int i = 0; i < 20000; ++i) {
    auto t0 = Clock::now();
    auto out = exe->ExecuteOnOneDevice(args);
    auto t1 = Clock::now();
    if (!out.ok()) return 1;
    if (i >= 1000) us.push_back(Seconds(t0, t1) * 1e6);
  }
  std::printf("execute_overhead f32[4] add median_us=%.2f\n", Median(us));

  const size_t bytes = size_t{256} << 20;
  std::vector<float> host(bytes / 4, 1.0f), back(bytes / 4, 0.0f);
  std::vector<float> plain(bytes / 4, 0.0f);
  backplane::Shape shape{BPL_ELEMENT_TYPE_F32,
                         {static_cast<int64_t>(bytes / 4)}};
  std::vector<double> memcpy_s, h2d_s, d2h_s;
  for (int i = 0; i < 7; ++i) {
    auto t0 = Clock::now();
    std::memcpy(plain.data(), host.data(), bytes);
    auto t1 = Clock::now();
    memcpy_s.push_back(Seconds(t0, t1));
    t0 = Clock::now();
    auto buffer = client->BufferFromHost(host.data(), shape, device);
    if (!buffer.ok()) return 1;
    auto ready = buffer->buffer.ReadyEvent();
    if (!ready.ok() || !ready->Await().ok()) return 1;
    t1 = Clock::now();
    h2d_s.push_back(Seconds(t0, t1));
    t0 = Clock::now();
    auto ev = buffer->buffer.ToHost(back.data(), bytes);
    if (!ev.ok() || !ev->Await().ok()) return 1;
    t1 = Clock::now();
    d2h_s.push_back(Seconds(t0, t1));
  }
  const double gb = bytes / 1e9;
  const double m = Median(memcpy_s), h = Median(h2d_s), d = Median(d2h_s);
  std::printf(
      "copy_256MiB memcpy_GBps=%.2f h2d_GBps=%.2f (%.0f%%) "
      "d2h_GBps=%.2f (%.0f%%)\n",
      gb / m, gb / h, 100 * m / h, gb / d, 100 * m / d);
  return 0;
}
