// Several chips per client through the framework API: replicated
// executables, collectives over the inter-chip link (values and cycles
// against the documented formulas), chip-to-chip copies and host DMA waits.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
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

namespace backplane::sim {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Client MakeClient(const std::vector<NamedValue>& options) {
  absl::StatusOr<Plugin> plugin = Plugin::Load(
      absl::StrCat(std::getenv("TEST_SRCDIR"),
                   "/backplane/sim_accelerator/libbackplane_sim.so"));
  EXPECT_TRUE(plugin.ok()) << plugin.status();
  absl::StatusOr<Client> client = plugin->CreateClient(options);
  EXPECT_TRUE(client.ok()) << client.status();
  return *std::move(client);
}

std::map<std::string, Value> StatsOf(ExecuteResult& result, size_t chip) {
  std::map<std::string, Value> out;
  EXPECT_GT(result.statistics.size(), chip);
  if (result.statistics.size() <= chip) return out;
  EXPECT_TRUE(result.device_done[chip].Await().ok());
  absl::StatusOr<std::vector<NamedValue>> values =
      result.statistics[chip].Get();
  EXPECT_TRUE(values.ok()) << values.status();
  if (!values.ok()) return out;
  for (const NamedValue& v : *values) out[v.name] = v.value;
  return out;
}

int64_t Int(std::map<std::string, Value>& stats, const std::string& name) {
  EXPECT_TRUE(stats.count(name)) << name;
  return std::get<int64_t>(stats[name]);
}

std::string Groups(int n) {
  std::string ids;
  for (int i = 0; i < n; ++i) absl::StrAppend(&ids, i == 0 ? "" : ", ", i);
  return absl::StrCat("dense<[[", ids, "]]> : tensor<1x", n, "xi64>");
}

constexpr char kAllReduce[] = R"(
func.func @main(%x: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = "stablehlo.all_reduce"(%x) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {replica_groups = GROUPS} : (tensor<1024xf32>) -> tensor<1024xf32>
  return %0 : tensor<1024xf32>
})";

// The brief's acceptance test: a 2- and a 4-chip all_reduce of known
// values, and its cycles against the ring formula
// 2(N-1)/N * S / B + 2(N-1) * L (B = 100 B/cycle, L = 1000 cycles on the
// default chip: 100 GB/s and 1 us at 1 GHz).
TEST(MultiChipTest, AllReduceValuesAndCyclesOnTwoAndFourChips) {
  for (int n : {2, 4}) {
    Client client = MakeClient({{"num_chips", int64_t{n}}});
    auto devices = *client.addressable_devices();
    ASSERT_EQ(devices.size(), static_cast<size_t>(n));
    auto exe =
        client.Compile(absl::StrReplaceAll(kAllReduce, {{"GROUPS", Groups(n)}}),
                       {{"num_replicas", int64_t{n}}});
    ASSERT_TRUE(exe.ok()) << exe.status();
    ASSERT_EQ(exe->devices()->size(), static_cast<size_t>(n));
    std::vector<Buffer> inputs;
    for (int d = 0; d < n; ++d) {
      std::vector<float> x(1024, static_cast<float>(d + 1));
      x[7] = static_cast<float>(10 * d);
      auto b = client.BufferFromVector<float>(x, {1024}, devices[d]);
      ASSERT_TRUE(b.ok()) << b.status();
      inputs.push_back(*std::move(b));
    }
    std::vector<std::vector<Buffer*>> args;
    for (Buffer& b : inputs) args.push_back({&b});
    ExecuteOptions options;
    options.collect_statistics = true;
    // The first run waits for the inputs' DMA; the second finds them in HBM.
    auto first = exe->Execute(args, options);
    ASSERT_TRUE(first.ok()) << first.status();
    auto second = exe->Execute(args, options);
    ASSERT_TRUE(second.ok()) << second.status();
    const float sum = n * (n + 1) / 2.0f;
    const float sum7 = 10.0f * n * (n - 1) / 2;
    const int64_t bytes = 4096;
    const int64_t sent = 2 * (n - 1) * bytes / n;
    const int64_t expected = (sent + 99) / 100 + 2 * (n - 1) * 1000;
    EXPECT_EQ(expected, n == 2 ? 41 + 2000 : 62 + 6000);
    for (int d = 0; d < n; ++d) {
      auto out = second->outputs[d][0].ToVector<float>();
      ASSERT_TRUE(out.ok()) << out.status();
      EXPECT_EQ((*out)[0], sum) << "chip " << d;
      EXPECT_EQ((*out)[1023], sum);
      EXPECT_EQ((*out)[7], sum7);
      std::map<std::string, Value> stats = StatsOf(*second, d);
      EXPECT_EQ(Int(stats, "chip"), d);
      EXPECT_EQ(Int(stats, "cycles"), expected) << n << " chips";
      EXPECT_EQ(Int(stats, "link_cycles"), expected);
      EXPECT_EQ(Int(stats, "ici_bytes"), sent);
      EXPECT_EQ(Int(stats, "input_wait_cycles"), 0);
      std::map<std::string, Value> waited = StatsOf(*first, d);
      EXPECT_GT(Int(waited, "input_wait_cycles"), 0);
      EXPECT_EQ(Int(waited, "cycles"),
                expected + Int(waited, "input_wait_cycles"));
      EXPECT_EQ((*first->outputs[d][0].ToVector<float>())[0], sum);
    }
    ChipConfig chip;
    EXPECT_EQ(
        CollectiveLinkCost(chip, LinkPattern::kAllReduce, n, bytes).cycles,
        expected);
  }
}

constexpr char kEveryCollective[] = R"(
func.func @main(%x: tensor<4xf32>) -> (tensor<16xf32>, tensor<1xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<ui32>) {
  %gather = "stablehlo.all_gather"(%x) {all_gather_dim = 0 : i64, replica_groups = G4} : (tensor<4xf32>) -> tensor<16xf32>
  %scatter = "stablehlo.reduce_scatter"(%x) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %m = stablehlo.maximum %a, %b : tensor<f32>
    stablehlo.return %m : tensor<f32>
  }) {scatter_dimension = 0 : i64, replica_groups = G4} : (tensor<4xf32>) -> tensor<1xf32>
  %a2a = "stablehlo.all_to_all"(%x) {split_dimension = 0 : i64, concat_dimension = 0 : i64, split_count = 4 : i64, replica_groups = G4} : (tensor<4xf32>) -> tensor<4xf32>
  %perm = "stablehlo.collective_permute"(%x) {source_target_pairs = dense<[[0, 1], [1, 2], [2, 3], [3, 0]]> : tensor<4x2xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  %bcast = "stablehlo.collective_broadcast"(%x) {replica_groups = G4} : (tensor<4xf32>) -> tensor<4xf32>
  %id = stablehlo.replica_id : tensor<ui32>
  return %gather, %scatter, %a2a, %perm, %bcast, %id : tensor<16xf32>, tensor<1xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<ui32>
})";

// Chip d holds [10d, 10d+1, 10d+2, 10d+3].
TEST(MultiChipTest, EveryCollectiveComputesTheSpecResultOnFourChips) {
  Client client = MakeClient({{"num_chips", int64_t{4}}});
  auto devices = *client.addressable_devices();
  auto exe =
      client.Compile(absl::StrReplaceAll(kEveryCollective, {{"G4", Groups(4)}}),
                     {{"num_replicas", int64_t{4}}}, devices);
  ASSERT_TRUE(exe.ok()) << exe.status();
  std::vector<Buffer> inputs;
  for (int d = 0; d < 4; ++d) {
    auto b = client.BufferFromVector<float>(
        {10.0f * d, 10.0f * d + 1, 10.0f * d + 2, 10.0f * d + 3}, {4},
        devices[d]);
    ASSERT_TRUE(b.ok());
    inputs.push_back(*std::move(b));
  }
  std::vector<std::vector<Buffer*>> args;
  for (Buffer& b : inputs) args.push_back({&b});
  ExecuteOptions options;
  options.collect_statistics = true;
  auto result = exe->Execute(args, options);
  ASSERT_TRUE(result.ok()) << result.status();
  for (int d = 0; d < 4; ++d) {
    const float base = 10.0f * d;
    auto& out = result->outputs[d];
    EXPECT_THAT(*out[0].ToVector<float>(),
                ElementsAre(0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23, 30, 31,
                            32, 33));
    // Element d of the element-wise maximum (chip 3's values).
    EXPECT_THAT(*out[1].ToVector<float>(), ElementsAre(30.0f + d));
    // Chip d receives element d of every chip.
    EXPECT_THAT(*out[2].ToVector<float>(),
                ElementsAre(d, 10.0f + d, 20.0f + d, 30.0f + d));
    const float from = 10.0f * ((d + 3) % 4);
    EXPECT_THAT(*out[3].ToVector<float>(),
                ElementsAre(from, from + 1, from + 2, from + 3));
    EXPECT_THAT(*out[4].ToVector<float>(), ElementsAre(0, 1, 2, 3));
    EXPECT_THAT(*out[5].ToVector<uint32_t>(), ElementsAre(d));
    (void)base;
    // Link time: all_gather (3/4 of 64 B) + reduce_scatter, all_to_all
    // (3/4 of 16 B) + permute (16 B) + broadcast (16 B, 3 hops).
    std::map<std::string, Value> stats = StatsOf(*result, d);
    ChipConfig chip;
    int64_t link = 0, sent = 0;
    for (auto [pattern, bytes] :
         {std::pair<LinkPattern, int64_t>{LinkPattern::kAllGather, 64},
          {LinkPattern::kReduceScatter, 16},
          {LinkPattern::kAllToAll, 16},
          {LinkPattern::kPermute, 16},
          {LinkPattern::kBroadcast, 16}}) {
      LinkCost cost = CollectiveLinkCost(chip, pattern, 4, bytes);
      link += cost.cycles;
      sent += cost.bytes_sent;
    }
    EXPECT_EQ(Int(stats, "link_cycles"), link);
    EXPECT_EQ(Int(stats, "ici_bytes"), sent);
    EXPECT_EQ(sent, 48 + 12 + 12 + 16 + 16);
  }
}

// collective_broadcast as the spec gives it: chip 1 is in no group and
// gets zeros; two data operands travel together; with has_dynamic_root the
// root operand picks each one's source by its position in the group.
TEST(MultiChipTest, CollectiveBroadcastZerosVariadicAndDynamicRoot) {
  Client client = MakeClient({{"num_chips", int64_t{3}}});
  auto devices = *client.addressable_devices();
  auto exe = client.Compile(R"(
func.func @main(%x: tensor<2xf32>, %i: tensor<i32>) -> (tensor<2xf32>, tensor<i32>, tensor<2xf32>) {
  %b:2 = "stablehlo.collective_broadcast"(%x, %i) {replica_groups = dense<[[2, 0]]> : tensor<1x2xi64>} : (tensor<2xf32>, tensor<i32>) -> (tensor<2xf32>, tensor<i32>)
  %root = stablehlo.constant dense<[2]> : tensor<1xi32>
  %d = "stablehlo.collective_broadcast"(%x, %root) {replica_groups = dense<[[0, 1, 2]]> : tensor<1x3xi64>, has_dynamic_root} : (tensor<2xf32>, tensor<1xi32>) -> tensor<2xf32>
  return %b#0, %b#1, %d : tensor<2xf32>, tensor<i32>, tensor<2xf32>
})",
                            {{"num_replicas", int64_t{3}}}, devices);
  ASSERT_TRUE(exe.ok()) << exe.status();
  std::vector<Buffer> xs, is;
  for (int d = 0; d < 3; ++d) {
    xs.push_back(*client.BufferFromVector<float>({10.0f * d, 10.0f * d + 1},
                                                 {2}, devices[d]));
    is.push_back(*client.BufferFromVector<int32_t>({100 + d}, {}, devices[d]));
  }
  std::vector<std::vector<Buffer*>> args;
  for (int d = 0; d < 3; ++d) args.push_back({&xs[d], &is[d]});
  auto result = exe->Execute(args);
  ASSERT_TRUE(result.ok()) << result.status();
  for (int d = 0; d < 3; ++d) {
    auto& out = result->outputs[d];
    if (d == 1) {
      EXPECT_THAT(*out[0].ToVector<float>(), ElementsAre(0, 0));
      EXPECT_THAT(*out[1].ToVector<int32_t>(), ElementsAre(0));
    } else {
      EXPECT_THAT(*out[0].ToVector<float>(), ElementsAre(20, 21));
      EXPECT_THAT(*out[1].ToVector<int32_t>(), ElementsAre(102));
    }
    EXPECT_THAT(*out[2].ToVector<float>(), ElementsAre(20, 21)) << d;
  }
}

TEST(MultiChipTest, ReplicasNeedChipsAndPartitionsAreUnimplemented) {
  Client one = MakeClient({});
  auto too_many =
      one.Compile(absl::StrReplaceAll(kAllReduce, {{"GROUPS", Groups(2)}}),
                  {{"num_replicas", int64_t{2}}});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_many.status().message(), HasSubstr("num_chips"));
  Client two = MakeClient({{"num_chips", int64_t{2}}});
  auto partitions =
      two.Compile(absl::StrReplaceAll(kAllReduce, {{"GROUPS", Groups(2)}}),
                  {{"num_partitions", int64_t{2}}});
  ASSERT_FALSE(partitions.ok());
  EXPECT_EQ(partitions.status().code(), absl::StatusCode::kUnimplemented);
}

TEST(MultiChipTest, SerializedReplicatedExecutableRunsOnAllChips) {
  Client client = MakeClient({{"num_chips", int64_t{2}}});
  auto devices = *client.addressable_devices();
  auto exe =
      client.Compile(absl::StrReplaceAll(kAllReduce, {{"GROUPS", Groups(2)}}),
                     {{"num_replicas", int64_t{2}}});
  ASSERT_TRUE(exe.ok()) << exe.status();
  auto bytes = exe->Serialize();
  ASSERT_TRUE(bytes.ok());
  auto loaded = client.DeserializeExecutable(*bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->devices()->size(), 2u);
  auto a = client.BufferFromVector<float>(std::vector<float>(1024, 1), {1024},
                                          devices[0]);
  auto b = client.BufferFromVector<float>(std::vector<float>(1024, 2), {1024},
                                          devices[1]);
  std::vector<std::vector<Buffer*>> args = {{&*a}, {&*b}};
  auto result = loaded->Execute(args);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(*result->outputs[1][0].ToVector<float>(), Each(3.0f));
}

// The legacy cross-replica-sum: an all_reduce whose reduction is addition.
TEST(MultiChipTest, CrossReplicaSumAddsOverChips) {
  Client client = MakeClient({{"num_chips", int64_t{2}}});
  auto devices = *client.addressable_devices();
  auto exe = client.Compile(R"(
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.cross-replica-sum"(%x) {replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
})",
                            {{"num_replicas", int64_t{2}}});
  ASSERT_TRUE(exe.ok()) << exe.status();
  auto a = client.BufferFromVector<float>({1, 2, 3, 4}, {4}, devices[0]);
  auto b = client.BufferFromVector<float>({10, 20, 30, 40}, {4}, devices[1]);
  std::vector<std::vector<Buffer*>> args = {{&*a}, {&*b}};
  auto result = exe->Execute(args);
  ASSERT_TRUE(result.ok()) << result.status();
  for (int d = 0; d < 2; ++d) {
    EXPECT_THAT(*result->outputs[d][0].ToVector<float>(),
                ElementsAre(11, 22, 33, 44));
  }
}

// rng runs on the reference-interpreter fallback (one chip).
TEST(MultiChipTest, RngRunsOnTheInterpreterFallback) {
  Client client = MakeClient({});
  auto device = (*client.addressable_devices())[0];
  auto exe = client.Compile(R"(
func.func @main(%a: tensor<f32>, %b: tensor<f32>) -> tensor<8xf32> {
  %shape = stablehlo.constant dense<8> : tensor<1xi64>
  %u = stablehlo.rng %a, %b, %shape, distribution = UNIFORM : (tensor<f32>, tensor<f32>, tensor<1xi64>) -> tensor<8xf32>
  return %u : tensor<8xf32>
})");
  ASSERT_TRUE(exe.ok()) << exe.status();
  auto a = client.BufferFromVector<float>({2}, {}, device);
  auto b = client.BufferFromVector<float>({3}, {}, device);
  auto out = exe->ExecuteOnOneDevice({&*a, &*b});
  ASSERT_TRUE(out.ok()) << out.status();
  absl::StatusOr<std::vector<float>> values = (*out)[0].ToVector<float>();
  ASSERT_TRUE(values.ok()) << values.status();
  for (float v : *values) {
    EXPECT_GE(v, 2.0f);
    EXPECT_LT(v, 3.0f);
  }
}

constexpr char kNegate[] = R"(
func.func @main(%x: tensor<4096xf32>) -> tensor<4096xf32> {
  %0 = stablehlo.negate %x : tensor<4096xf32>
  return %0 : tensor<4096xf32>
})";

// Host->HBM DMA (16 KiB over 32 GB/s plus 2 us on the default chip) and a
// chip-to-chip copy over the link both delay the execution that needs them.
TEST(MultiChipTest, InputsInFlightShowTheWait) {
  const std::string trace_dir =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/multichip_traces");
  std::filesystem::create_directories(trace_dir);
  Client client =
      MakeClient({{"num_chips", int64_t{2}}, {"trace_dir", trace_dir}});
  auto devices = *client.addressable_devices();
  ChipConfig chip;
  const int64_t bytes = 4096 * 4;
  const int64_t host = HostLinkCycles(chip, bytes);
  EXPECT_EQ(host, 512 + 2000);  // 16384 B / 32 B per cycle + 2 us.
  const int64_t ici = IciCopyCycles(chip, bytes);
  EXPECT_EQ(ici, 164 + 1000);

  // Two uploads to chip 0 share its host link: the second waits for the
  // first.
  std::vector<float> ones(4096, 1.0f);
  auto x = client.BufferFromVector<float>(ones, {4096}, devices[0]);
  auto y = client.BufferFromVector<float>(ones, {4096}, devices[0]);
  ASSERT_TRUE(x.ok() && y.ok());
  auto on_chip0 = client.Compile(kNegate, {}, {devices[0]});
  ASSERT_TRUE(on_chip0.ok()) << on_chip0.status();
  ExecuteOptions options;
  options.collect_statistics = true;
  auto run = on_chip0->Execute({{&*y}}, options);
  ASSERT_TRUE(run.ok()) << run.status();
  std::map<std::string, Value> stats = StatsOf(*run, 0);
  EXPECT_EQ(Int(stats, "input_wait_cycles"), 2 * host);
  EXPECT_EQ(Int(stats, "host_dma_bytes"), bytes);
  const int64_t negate = Int(stats, "cycles") - 2 * host;
  EXPECT_GT(negate, 0);

  // x (arrived at `host`) copied to chip 1, then used there at once.
  auto copy = x->CopyToDevice(devices[1]);
  ASSERT_TRUE(copy.ok()) << copy.status();
  auto on_chip1 = client.Compile(kNegate, {}, {devices[1]});
  ASSERT_TRUE(on_chip1.ok());
  auto remote = on_chip1->Execute({{&*copy}}, options);
  ASSERT_TRUE(remote.ok()) << remote.status();
  std::map<std::string, Value> remote_stats = StatsOf(*remote, 0);
  EXPECT_EQ(Int(remote_stats, "input_wait_cycles"), host + ici);
  EXPECT_EQ(Int(remote_stats, "ici_bytes"), bytes);
  EXPECT_EQ(Int(remote_stats, "host_dma_bytes"), 0);
  EXPECT_EQ(Int(remote_stats, "cycles"), host + ici + negate);
  EXPECT_THAT(*remote->outputs[0][0].ToVector<float>(), Each(-1.0f));

  // The traces show the transfers on the link tracks.
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(trace_dir)) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    all += text.str();
  }
  EXPECT_THAT(all, HasSubstr("host link (DMA host<->HBM)"));
  EXPECT_THAT(all, HasSubstr("\"name\":\"host to HBM 16384 B\""));
  EXPECT_THAT(all, HasSubstr("\"name\":\"chip to chip 16384 B\""));
}

TEST(MultiChipTest, AllReduceTraceHasTheLinkTrackPerChip) {
  const std::string trace_dir =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/allreduce_traces");
  std::filesystem::create_directories(trace_dir);
  Client client =
      MakeClient({{"num_chips", int64_t{2}}, {"trace_dir", trace_dir}});
  auto devices = *client.addressable_devices();
  auto exe =
      client.Compile(absl::StrReplaceAll(kAllReduce, {{"GROUPS", Groups(2)}}),
                     {{"num_replicas", int64_t{2}}});
  ASSERT_TRUE(exe.ok());
  auto a = client.BufferFromVector<float>(std::vector<float>(1024, 1), {1024},
                                          devices[0]);
  auto b = client.BufferFromVector<float>(std::vector<float>(1024, 2), {1024},
                                          devices[1]);
  std::vector<std::vector<Buffer*>> args = {{&*a}, {&*b}};
  auto result = exe->Execute(args);
  ASSERT_TRUE(result.ok());
  for (Event& e : result->device_done) ASSERT_TRUE(e.Await().ok());
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(trace_dir)) {
    ++files;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_THAT(text.str(), HasSubstr("\"name\":\"inter-chip link\""));
    EXPECT_THAT(text.str(), HasSubstr("sim chip 1 (default)"));
    EXPECT_THAT(text.str(), HasSubstr("\"name\":\"stablehlo.all_reduce\""));
  }
  EXPECT_EQ(files, 1);
}

}  // namespace
}  // namespace backplane::sim
