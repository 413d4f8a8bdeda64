// The sim plugin through the framework API, loaded from its shared library:
// device memory, capacity errors, precision, statistics, SCALE-Sim cycle
// counts and traces.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim_accelerator/chip_config.h"
#include "sim_accelerator/timing.h"
#include "tests/util/child_process.h"

namespace backplane::sim {
namespace {

using ::testing::HasSubstr;

std::string Runfile(const std::string& path) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/backplane/", path);
}

Plugin LoadSim() {
  absl::StatusOr<Plugin> plugin =
      Plugin::Load(Runfile("sim_accelerator/libbackplane_sim.so"));
  EXPECT_TRUE(plugin.ok()) << plugin.status();
  return *std::move(plugin);
}

Client MakeClient(const std::vector<NamedValue>& options = {}) {
  absl::StatusOr<Client> client = LoadSim().CreateClient(options);
  EXPECT_TRUE(client.ok()) << client.status();
  return *std::move(client);
}

Device FirstDevice(const Client& client) {
  return (*client.addressable_devices())[0];
}

std::map<std::string, Value> StatsOf(ExecuteResult& result) {
  std::map<std::string, Value> out;
  EXPECT_EQ(result.statistics.size(), 1u);
  if (result.statistics.empty()) return out;
  EXPECT_TRUE(result.device_done[0].Await().ok());
  absl::StatusOr<std::vector<NamedValue>> values = result.statistics[0].Get();
  EXPECT_TRUE(values.ok()) << values.status();
  if (!values.ok()) return out;
  for (const NamedValue& v : *values) out[v.name] = v.value;
  return out;
}

constexpr char kDot[] = R"(
func.func @main(%a: tensor<MxKxT>, %b: tensor<KxNxT>) -> tensor<MxNxf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0]
      : (tensor<MxKxT>, tensor<KxNxT>) -> tensor<MxNxf32>
  return %0 : tensor<MxNxf32>
})";

std::string DotProgram(int64_t m, int64_t k, int64_t n, const char* type) {
  return absl::StrReplaceAll(kDot, {{"MxK", absl::StrCat(m, "x", k)},
                                    {"KxN", absl::StrCat(k, "x", n)},
                                    {"MxN", absl::StrCat(m, "x", n)},
                                    {"xT", absl::StrCat("x", type)}});
}

TEST(SimPluginTest, BuffersLiveInHbmAndRoundTrip) {
  Client client = MakeClient();
  Device device = FirstDevice(client);
  EXPECT_EQ(*(*device.default_memory()).kind(), "hbm");
  auto x = client.BufferFromVector<float>({1, 2, 3}, {3}, device);
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(*x->on_device_size(), 256u);  // One HBM granule.
  EXPECT_THAT(*x->ToVector<float>(), ::testing::ElementsAre(1, 2, 3));
  auto stats = device.memory_stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->bytes_in_use, 256);
  EXPECT_EQ(stats->bytes_limit, int64_t{16} << 30);
}

TEST(SimPluginTest, BufferThatDoesNotFitIsResourceExhaustedAndHarmless) {
  Client client = MakeClient({{"hbm_mib", int64_t{1}}});
  Device device = FirstDevice(client);
  auto small = client.BufferFromVector<float>({5, 6}, {2}, device);
  ASSERT_TRUE(small.ok());
  std::vector<float> big(300000, 1.0f);  // 1.2 MB > 1 MiB.
  auto too_big = client.BufferFromVector<float>(big, {300000}, device);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(too_big.status().message(), HasSubstr("1200000 bytes"));
  EXPECT_THAT(too_big.status().message(), HasSubstr("of 1048576 bytes"));
  EXPECT_THAT(*small->ToVector<float>(), ::testing::ElementsAre(5, 6));
  EXPECT_EQ(device.memory_stats()->bytes_in_use, 256);
}

TEST(SimPluginTest, ExecutionThatDoesNotFitIsResourceExhausted) {
  Client client = MakeClient({{"hbm_mib", int64_t{1}}});
  Device device = FirstDevice(client);
  // The output alone (4 MB) exceeds the HBM.
  auto exe = client.Compile(R"(
func.func @main(%x: tensor<f32>) -> tensor<1000x1000xf32> {
  %0 = stablehlo.broadcast_in_dim %x, dims = [] : (tensor<f32>) -> tensor<1000x1000xf32>
  return %0 : tensor<1000x1000xf32>
})");
  ASSERT_TRUE(exe.ok()) << exe.status();
  auto x = client.BufferFromVector<float>({1}, {}, device);
  ASSERT_TRUE(x.ok());
  auto out = exe->ExecuteOnOneDevice({&*x});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(out.status().message(), HasSubstr("4000000 bytes"));
  EXPECT_EQ(device.memory_stats()->bytes_in_use, 256);
  EXPECT_THAT(*x->ToVector<float>(), ::testing::ElementsAre(1));
}

// A donated argument of the output's size gives the output its HBM: the
// execution allocates nothing new and the kit deletes the argument.
// A 4 GiB temporary fits the 16 GiB HBM but not the host's memory (a 2 GiB
// address-space limit): the simulator's host allocation fails, which is
// RESOURCE_EXHAUSTED with the sizes, not an INTERNAL std::bad_alloc.
TEST(SimPluginTest, HostOutOfMemoryIsResourceExhausted) {
  if (!tests::AddressSpaceLimitsWork()) GTEST_SKIP() << "sanitizer build";
  std::optional<std::string> text = tests::RunInChild(
      [] {
        Client client = MakeClient();
        Device device = FirstDevice(client);
        auto exe = client.Compile(R"(
func.func @main(%p: tensor<f32>) -> tensor<f32> {
  %big = stablehlo.broadcast_in_dim %p, dims = [] : (tensor<f32>) -> tensor<1073741824xf32>
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %s = stablehlo.reduce(%big init: %zero) applies stablehlo.add across dimensions = [0] : (tensor<1073741824xf32>, tensor<f32>) -> tensor<f32>
  return %s : tensor<f32>
})");
        if (!exe.ok()) return exe.status().ToString();
        auto p = client.BufferFromVector<float>({1}, {}, device);
        if (!p.ok()) return p.status().ToString();
        auto out = exe->ExecuteOnOneDevice({&*p});
        return out.ok() ? std::string("ran") : out.status().ToString();
      },
      size_t{2} << 30);
  ASSERT_TRUE(text.has_value()) << "the sim crashed out of host memory";
  EXPECT_THAT(*text, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_THAT(*text, HasSubstr("4294967296 bytes"));
  EXPECT_THAT(*text, ::testing::Not(HasSubstr("INTERNAL")));
}

TEST(SimPluginTest, DonatedArgumentHbmIsReusedForTheOutput) {
  Client client = MakeClient();
  Device device = FirstDevice(client);
  auto exe = client.Compile(R"(
func.func @main(%x: tensor<1000xf32>, %y: tensor<1000xf32>) -> tensor<1000xf32> {
  %0 = stablehlo.add %x, %y : tensor<1000xf32>
  return %0 : tensor<1000xf32>
})",
                            {{"donated_parameters", std::vector<int64_t>{0}}});
  ASSERT_TRUE(exe.ok()) << exe.status();
  std::vector<float> ones(1000, 1.0f), twos(1000, 2.0f);
  auto x = client.BufferFromVector<float>(ones, {1000}, device);
  auto y = client.BufferFromVector<float>(twos, {1000}, device);
  ASSERT_TRUE(x.ok() && y.ok());
  const int64_t before = device.memory_stats()->num_allocs;
  const int64_t in_use = device.memory_stats()->bytes_in_use;
  ExecuteOptions options;
  options.collect_statistics = true;
  std::vector<Buffer*> args = {&*x, &*y};
  auto result = exe->Execute({args}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  std::map<std::string, Value> stats = StatsOf(*result);
  EXPECT_EQ(std::get<int64_t>(stats["donated_bytes_reused"]), 4096);
  EXPECT_EQ(device.memory_stats()->num_allocs, before);
  EXPECT_EQ(device.memory_stats()->bytes_in_use, in_use);
  EXPECT_TRUE(*x->IsDeleted());
  EXPECT_FALSE(*y->IsDeleted());
  EXPECT_EQ((*result->outputs[0][0].ToVector<float>())[999], 3.0f);
  // Without donation the output needs HBM of its own.
  options.non_donatable_input_indices = {0};
  auto z = client.BufferFromVector<float>(ones, {1000}, device);
  args = {&*z, &*y};
  auto kept = exe->Execute({args}, options);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(std::get<int64_t>(StatsOf(*kept)["donated_bytes_reused"]), 0);
  EXPECT_EQ(device.memory_stats()->bytes_in_use, in_use + 2 * 4096);
}

TEST(SimPluginTest, RejectsBadOptions) {
  Plugin plugin = LoadSim();
  auto bad = plugin.CreateClient({{"dataflow", std::string("diagonal")}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("ws, os or is"));
  bad = plugin.CreateClient({{"preset", std::string("tpu-v9")}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("tpu-v1-like"));
  bad = plugin.CreateClient({{"array_rows", int64_t{0}}});
  ASSERT_FALSE(bad.ok());
  bad = plugin.CreateClient({{"trace_dir", std::string("/no/such/dir")}});
  ASSERT_FALSE(bad.ok());
}

TEST(SimPluginTest, PresetSetsTheChip) {
  Client client = MakeClient({{"preset", std::string("tpu-v1-like")}});
  auto attrs = FirstDevice(client).attributes();
  ASSERT_TRUE(attrs.ok());
  std::map<std::string, Value> by_name;
  for (const NamedValue& v : *attrs) by_name[v.name] = v.value;
  EXPECT_EQ(std::get<int64_t>(by_name["array_rows"]), 256);
  EXPECT_EQ(std::get<double>(by_name["clock_mhz"]), 700.0);
}

TEST(SimPluginTest, NumChipsMakesDevicesWithSeparateHbm) {
  Client client = MakeClient({{"num_chips", int64_t{2}}});
  auto devices = client.addressable_devices();
  ASSERT_EQ(devices->size(), 2u);
  auto x = client.BufferFromVector<int32_t>({7, 8}, {2}, (*devices)[0]);
  ASSERT_TRUE(x.ok());
  auto y = x->CopyToDevice((*devices)[1]);
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_THAT(*y->ToVector<int32_t>(), ::testing::ElementsAre(7, 8));
  EXPECT_EQ((*devices)[1].memory_stats()->bytes_in_use, 256);
}

// 1 + 2^-9 is not a bf16 value: one pass sees 1, three passes see it all.
TEST(SimPluginTest, PrecisionPasses) {
  const float x = 1.0f + std::ldexp(1.0f, -9);
  for (auto [precision, expected] :
       {std::pair<const char*, float>{"default", 1.0f},
        {"high", x * x - std::ldexp(1.0f, -18)},
        {"highest", x * x}}) {
    Client client =
        MakeClient({{"default_matmul_precision", std::string(precision)}});
    Device device = FirstDevice(client);
    auto exe = client.Compile(DotProgram(1, 1, 1, "f32"));
    ASSERT_TRUE(exe.ok()) << exe.status();
    auto a = client.BufferFromVector<float>({x}, {1, 1}, device);
    auto b = client.BufferFromVector<float>({x}, {1, 1}, device);
    auto out = exe->ExecuteOnOneDevice({&*a, &*b});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ((*(*out)[0].ToVector<float>())[0], expected) << precision;
  }
}

TEST(SimPluginTest, MatmulMatchesF32AtHighest) {
  Client client = MakeClient();
  Device device = FirstDevice(client);
  auto exe = client.Compile(DotProgram(3, 5, 2, "f32"));
  ASSERT_TRUE(exe.ok()) << exe.status();
  std::vector<float> a(15), b(10);
  for (int i = 0; i < 15; ++i) a[i] = 0.1f * (i + 1) - 0.77f;
  for (int i = 0; i < 10; ++i) b[i] = 1.0f / (i + 3);
  auto da = client.BufferFromVector<float>(a, {3, 5}, device);
  auto db = client.BufferFromVector<float>(b, {5, 2}, device);
  auto out = exe->ExecuteOnOneDevice({&*da, &*db});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> c = *(*out)[0].ToVector<float>();
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 2; ++j) {
      double ref = 0;
      for (int k = 0; k < 5; ++k) ref += double{a[i * 5 + k]} * b[k * 2 + j];
      EXPECT_NEAR(c[i * 2 + j], ref, 1e-6 * std::abs(ref) + 1e-7);
    }
  }
}

struct ScaleSimCase {
  const char* dataflow;
  Dataflow flow;
  int64_t m, k, n, rows, cols;
};

// The brief's acceptance test: a single dot_general (one bf16 pass) reports
// exactly SCALE-Sim's closed form, partial folds included.
TEST(SimPluginTest, ScaleSimCyclesMatchClosedFormsExactly) {
  const ScaleSimCase cases[] = {
      {"ws", Dataflow::kWeightStationary, 64, 32, 16, 8, 8},
      {"ws", Dataflow::kWeightStationary, 10, 17, 9, 4, 8},
      {"os", Dataflow::kOutputStationary, 64, 32, 16, 8, 8},
      {"os", Dataflow::kOutputStationary, 10, 17, 9, 4, 8},
      {"is", Dataflow::kInputStationary, 64, 32, 16, 8, 8},
      {"is", Dataflow::kInputStationary, 10, 17, 9, 4, 8},
  };
  for (const ScaleSimCase& c : cases) {
    for (const char* type : {"bf16", "f32"}) {
      Client client =
          MakeClient({{"timing_model", std::string("scalesim")},
                      {"dataflow", std::string(c.dataflow)},
                      {"array_rows", c.rows},
                      {"array_cols", c.cols},
                      {"default_matmul_precision", std::string("default")}});
      Device device = FirstDevice(client);
      auto exe = client.Compile(DotProgram(c.m, c.k, c.n, type));
      ASSERT_TRUE(exe.ok()) << exe.status();
      std::vector<float> a(c.m * c.k, 1.0f), b(c.k * c.n, 1.0f);
      std::vector<uint16_t> a16(a.size(), 0x3f80), b16(b.size(), 0x3f80);
      const bool bf16 = std::string(type) == "bf16";
      Shape sa, sb;
      sa.element_type = bf16 ? BPL_ELEMENT_TYPE_BF16 : BPL_ELEMENT_TYPE_F32;
      sa.dims = {c.m, c.k};
      sb.element_type = sa.element_type;
      sb.dims = {c.k, c.n};
      auto da = client.BufferFromHost(
          bf16 ? static_cast<const void*>(a16.data()) : a.data(), sa, device);
      auto db = client.BufferFromHost(
          bf16 ? static_cast<const void*>(b16.data()) : b.data(), sb, device);
      ASSERT_TRUE(da.ok() && db.ok());
      ExecuteOptions options;
      options.collect_statistics = true;
      std::vector<Buffer*> args = {&da->buffer, &db->buffer};
      auto result = exe->Execute({args}, options);
      ASSERT_TRUE(result.ok()) << result.status();
      std::map<std::string, Value> stats = StatsOf(*result);
      const int64_t expected =
          ScaleSimGemmCycles(c.flow, c.m, c.k, c.n, c.rows, c.cols);
      // The first run waits for its inputs' host DMA; once they are on the
      // device, the cycles are the formula's.
      EXPECT_GT(std::get<int64_t>(stats["input_wait_cycles"]), 0);
      EXPECT_EQ(std::get<int64_t>(stats["cycles"]) -
                    std::get<int64_t>(stats["input_wait_cycles"]),
                expected);
      auto again = exe->Execute({args}, options);
      ASSERT_TRUE(again.ok()) << again.status();
      std::map<std::string, Value> resident = StatsOf(*again);
      EXPECT_EQ(std::get<int64_t>(resident["input_wait_cycles"]), 0);
      EXPECT_EQ(std::get<int64_t>(resident["cycles"]), expected)
          << c.dataflow << " " << c.m << "x" << c.k << "x" << c.n << " "
          << type;
      // The output is K ones summed.
      EXPECT_EQ((*result->outputs[0][0].ToVector<float>())[0],
                static_cast<float>(c.k));
    }
  }
  // Spot-check the formula itself once: WS 64x32x16 on 8x8 is
  // ceil(32/8)*ceil(16/8)*(64+16+8-2) - 1.
  EXPECT_EQ(ScaleSimGemmCycles(Dataflow::kWeightStationary, 64, 32, 16, 8, 8),
            4 * 2 * 86 - 1);
}

TEST(SimPluginTest, StatisticsAndTrace) {
  const std::string dir =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/sim_traces");
  std::filesystem::create_directories(dir);
  Client client = MakeClient({{"trace_dir", dir}});
  Device device = FirstDevice(client);
  auto exe = client.Compile(R"(
func.func @main(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0]
      : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %1 = stablehlo.tanh %0 : tensor<256x256xf32>
  %2 = stablehlo.exponential %a : tensor<256x256xf32>
  %3 = stablehlo.add %1, %2 : tensor<256x256xf32>
  return %3 : tensor<256x256xf32>
})");
  ASSERT_TRUE(exe.ok()) << exe.status();
  std::vector<float> ones(256 * 256, 0.5f);
  auto a = client.BufferFromVector<float>(ones, {256, 256}, device);
  auto b = client.BufferFromVector<float>(ones, {256, 256}, device);
  ExecuteOptions options;
  options.collect_statistics = true;
  std::vector<Buffer*> args = {&*a, &*b};
  auto result = exe->Execute({args}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  std::map<std::string, Value> stats = StatsOf(*result);
  for (const char* name :
       {"wall_ns", "cycles", "matrix_unit_busy_cycles", "vector_unit_cycles",
        "hbm_bytes", "sram_bytes", "dma_bytes"}) {
    ASSERT_TRUE(stats.count(name)) << name;
    EXPECT_GT(std::get<int64_t>(stats[name]), 0) << name;
  }
  const double util = std::get<double>(stats["matrix_unit_utilization"]);
  EXPECT_GT(util, 0.0);
  EXPECT_LE(util, 1.0);
  EXPECT_GT(std::get<double>(stats["simulated_ns"]), 0.0);
  const std::string ops = std::get<std::string>(stats["ops_json"]);
  EXPECT_THAT(ops, HasSubstr("\"name\":\"stablehlo.dot_general\""));
  EXPECT_THAT(ops, HasSubstr("\"passes\":6"));
  // tanh is fused into the matmul's output path; exponential is not.
  EXPECT_THAT(ops, HasSubstr("\"name\":\"stablehlo.tanh\",\"location\":"));
  EXPECT_THAT(ops,
              ::testing::ContainsRegex("stablehlo.tanh[^}]*\"fused\":true"));
  EXPECT_THAT(ops, ::testing::ContainsRegex(
                       "stablehlo.exponential[^}]*\"fused\":false"));
  // 256^3 MACs, 6 passes.
  EXPECT_EQ(std::get<int64_t>(stats["macs"]), int64_t{6} * 256 * 256 * 256);

  std::ifstream trace(dir + "/sim_main_0.json");
  ASSERT_TRUE(trace.good());
  std::stringstream text;
  text << trace.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("\"traceEvents\""));
  EXPECT_THAT(text.str(), HasSubstr("\"matrix unit\""));
  EXPECT_THAT(text.str(), HasSubstr("\"vector unit\""));
  EXPECT_THAT(text.str(), HasSubstr("\"DMA HBM<->SRAM\""));
}

TEST(SimPluginTest, ControlFlowAndChecksRunOnTheChip) {
  Client client = MakeClient();
  // Sums 0..9 with a while loop whose body captures %step from outside.
  auto exe = client.Compile(R"(
func.func @main() -> tensor<i32> {
  %zero = stablehlo.constant dense<0> : tensor<i32>
  %step = stablehlo.constant dense<1> : tensor<i32>
  %ten = stablehlo.constant dense<10> : tensor<i32>
  %r:2 = stablehlo.while(%i = %zero, %s = %zero) : tensor<i32>, tensor<i32>
  cond {
    %c = stablehlo.compare LT, %i, %ten : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %c : tensor<i1>
  } do {
    %s2 = stablehlo.add %s, %i : tensor<i32>
    %i2 = stablehlo.add %i, %step : tensor<i32>
    stablehlo.return %i2, %s2 : tensor<i32>, tensor<i32>
  }
  %expected = stablehlo.constant dense<45> : tensor<i32>
  stablehlo.custom_call @check.expect_eq(%r#1, %expected) {has_side_effect = true} : (tensor<i32>, tensor<i32>) -> ()
  return %r#1 : tensor<i32>
})");
  ASSERT_TRUE(exe.ok()) << exe.status();
  auto out = exe->ExecuteOnOneDevice({});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*(*out)[0].ToVector<int32_t>())[0], 45);

  auto failing = client.Compile(R"(
func.func @main() -> tensor<i32> {
  %a = stablehlo.constant dense<1> : tensor<i32>
  %b = stablehlo.constant dense<2> : tensor<i32>
  stablehlo.custom_call @check.expect_eq(%a, %b) {has_side_effect = true} : (tensor<i32>, tensor<i32>) -> ()
  return %a : tensor<i32>
})");
  ASSERT_TRUE(failing.ok()) << failing.status();
  auto bad = failing->ExecuteOnOneDevice({});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SimPluginTest, SerializeRoundTrip) {
  Client client = MakeClient();
  auto exe = client.Compile(DotProgram(2, 2, 2, "f32"));
  ASSERT_TRUE(exe.ok());
  auto bytes = exe->Serialize();
  ASSERT_TRUE(bytes.ok());
  auto again = client.DeserializeExecutable(*bytes);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again->fingerprint(), *exe->fingerprint());
  EXPECT_FALSE(client.DeserializeExecutable("garbage").ok());
}

}  // namespace
}  // namespace backplane::sim
