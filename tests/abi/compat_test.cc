// The compatibility contract of docs/abi.md, tested in both directions:
// older and newer frameworks against today's plugins, today's framework
// against older (shorter table) and newer (longer table) plugins.
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/backplane_c_api.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugins/loader/loader.h"

namespace backplane {
namespace {

using ::testing::HasSubstr;

std::string Runfile(const std::string& path) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/backplane/", path);
}

constexpr char kAddOne[] = R"(
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = stablehlo.constant dense<1.0> : tensor<4xf32>
  %y = stablehlo.add %x, %one : tensor<4xf32>
  return %y : tensor<4xf32>
})";

class CompatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = loader::LoadPlugin(
        Runfile("examples/hello_plugin/libbackplane_hello.so"));
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    plugin_ = *loaded;
    api_ = plugin_->api();
    auto p = Plugin::FromApi(api_, plugin_);
    ASSERT_TRUE(p.ok()) << p.status();
    auto client = p->CreateClient();
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
    device_ = (*client_.addressable_devices())[0];
  }

  std::string ErrorMessage(BPL_Error* error) {
    return std::string(internal::ToStatus(api_, error).message());
  }

  std::shared_ptr<loader::LoadedPlugin> plugin_;
  const BPL_Api* api_ = nullptr;
  Client client_;
  Device device_;
};

// An older framework's view of Execute: everything up to, but not
// including, `device_complete_events` (as if that field came in a later
// minor version). The plugin must treat the missing field as NULL and must
// not write past the caller's struct.
TEST_F(CompatTest, OlderCallerWithSmallerArgsStructGetsDefaults) {
  auto exe = client_.Compile(kAddOne);
  ASSERT_TRUE(exe.ok()) << exe.status();
  auto x = client_.BufferFromVector<float>({1, 2, 3, 4}, {4}, device_);
  ASSERT_TRUE(x.ok());

  struct Padded {
    BPL_Executable_Execute_Args args;
    unsigned char canary[64];
  } padded;
  std::memset(&padded, 0xAB, sizeof(padded));
  BPL_Executable_Execute_Args& args = padded.args;
  const size_t older_size =
      offsetof(BPL_Executable_Execute_Args, device_complete_events);
  std::memset(&args, 0, older_size);
  args.struct_size = older_size;
  BPL_Buffer* arg_list[] = {x->get()};
  BPL_Buffer* const* argument_lists[] = {arg_list};
  BPL_Buffer* outputs[1] = {nullptr};
  BPL_Buffer** output_lists[] = {outputs};
  args.executable = exe->get();
  args.argument_lists = argument_lists;
  args.num_devices = 1;
  args.num_args = 1;
  args.output_lists = output_lists;
  ASSERT_EQ(api_->Executable_Execute(&args), nullptr);
  // The bytes after the caller's struct, including where the newer field
  // would be, are untouched.
  const unsigned char* tail =
      reinterpret_cast<const unsigned char*>(&args) + older_size;
  for (size_t i = 0; i < sizeof(padded) - older_size; ++i) {
    ASSERT_EQ(tail[i], 0xAB) << "plugin wrote past struct_size at +" << i;
  }
  ASSERT_NE(outputs[0], nullptr);
  // Read the output back through the C ABI directly.
  std::vector<float> host(4);
  BPL_Buffer_ToHost_Args to_host{};
  to_host.struct_size = BPL_Buffer_ToHost_Args_STRUCT_SIZE;
  to_host.buffer = outputs[0];
  to_host.dst = host.data();
  to_host.dst_size = host.size() * sizeof(float);
  ASSERT_EQ(api_->Buffer_ToHost(&to_host), nullptr);
  BPL_Event_Await_Args await{};
  await.struct_size = BPL_Event_Await_Args_STRUCT_SIZE;
  await.event = to_host.out_event;
  ASSERT_EQ(api_->Event_Await(&await), nullptr);
  EXPECT_THAT(host, ::testing::ElementsAre(2, 3, 4, 5));
  BPL_Event_Destroy_Args destroy_event{};
  destroy_event.struct_size = BPL_Event_Destroy_Args_STRUCT_SIZE;
  destroy_event.event = to_host.out_event;
  ASSERT_EQ(api_->Event_Destroy(&destroy_event), nullptr);
  BPL_Buffer_Destroy_Args destroy{};
  destroy.struct_size = BPL_Buffer_Destroy_Args_STRUCT_SIZE;
  destroy.buffer = outputs[0];
  ASSERT_EQ(api_->Buffer_Destroy(&destroy), nullptr);
}

// A newer framework passes args structs with fields this plugin does not
// know. They are ignored, never written, and the call works.
TEST_F(CompatTest, NewerCallerWithLargerArgsStructIsServed) {
  struct NewerShapeArgs {
    BPL_Buffer_Shape_Args today;
    int64_t field_from_the_future[3];
  } newer;
  auto x = client_.BufferFromVector<float>({1, 2, 3, 4}, {2, 2}, device_);
  ASSERT_TRUE(x.ok());
  std::memset(&newer, 0, sizeof(newer));
  newer.today.struct_size = sizeof(newer);
  newer.today.buffer = x->get();
  newer.field_from_the_future[0] = 0x1234;
  newer.field_from_the_future[2] = -7;
  ASSERT_EQ(api_->Buffer_Shape(&newer.today), nullptr);
  EXPECT_EQ(newer.today.out_element_type, BPL_ELEMENT_TYPE_F32);
  ASSERT_EQ(newer.today.out_num_dims, 2u);
  EXPECT_EQ(newer.today.out_dims[0], 2);
  EXPECT_EQ(newer.field_from_the_future[0], 0x1234);
  EXPECT_EQ(newer.field_from_the_future[1], 0);
  EXPECT_EQ(newer.field_from_the_future[2], -7);
}

TEST_F(CompatTest, ArgsTooSmallToHoldARequiredOutputAreRejected) {
  BPL_Buffer_Shape_Args args{};
  args.struct_size = offsetof(BPL_Buffer_Shape_Args, out_num_dims);
  auto x = client_.BufferFromVector<float>({1}, {1}, device_);
  ASSERT_TRUE(x.ok());
  args.buffer = x->get();
  std::string message = ErrorMessage(api_->Buffer_Shape(&args));
  EXPECT_THAT(message, HasSubstr("Buffer_Shape: args struct_size"));
  EXPECT_THAT(message, HasSubstr("no room for output 'out_num_dims'"));
}

TEST_F(CompatTest, UnsetStructSizeIsAnErrorNotACrash) {
  BPL_Client_Devices_Args args{};
  args.struct_size = 0;
  args.client = client_.get();
  std::string message = ErrorMessage(api_->Client_Devices(&args));
  EXPECT_THAT(message, HasSubstr("is struct_size set?"));
  EXPECT_THAT(ErrorMessage(api_->Client_Devices(nullptr)),
              HasSubstr("args is NULL"));
}

// Today's framework against an older plugin: its table ends before
// Executable_Serialize. Calls to missing entries are UNIMPLEMENTED, never a
// jump through a NULL or out-of-table pointer.
TEST_F(CompatTest, ShorterTableGivesUnimplementedNotACrash) {
  // Copy the table into exactly the memory an older plugin would have, so
  // reading past it would be caught by sanitizers.
  const size_t older_size = offsetof(BPL_Api, Executable_Serialize);
  auto* older = static_cast<BPL_Api*>(std::malloc(older_size));
  std::memcpy(older, api_, older_size);
  older->struct_size = older_size;
  {
    auto plugin = Plugin::FromApi(older, plugin_);
    ASSERT_TRUE(plugin.ok()) << plugin.status();
    auto client = plugin->CreateClient();
    ASSERT_TRUE(client.ok());
    auto exe = client->Compile(kAddOne);
    ASSERT_TRUE(exe.ok()) << exe.status();
    auto bytes = exe->Serialize();
    ASSERT_FALSE(bytes.ok());
    EXPECT_EQ(bytes.status().code(), absl::StatusCode::kUnimplemented);
    EXPECT_THAT(bytes.status().message(),
                HasSubstr("Executable_Serialize is not provided"));
    Device device = (*client->addressable_devices())[0];
    auto x = client->BufferFromVector<float>({1, 2, 3, 4}, {4}, device);
    ASSERT_TRUE(x.ok());
    auto run = exe->ExecuteOnOneDevice({&*x});
    EXPECT_EQ(run.status().code(), absl::StatusCode::kUnimplemented);
    // Every object is destroyed here, through the (present) destroy entries
    // of the shorter table.
  }
  std::free(older);
}

// A 1.1 framework against today's (1.2) plugin: its BPL_ExecuteOptions ends
// before deadline_ns. Whatever lies after its struct_size is not read (here
// a negative "deadline" that would be INVALID_ARGUMENT), so the execution
// runs with no deadline.
TEST_F(CompatTest, Framework11OptionsWithoutDeadlineRunNormally) {
  auto exe = client_.Compile(kAddOne);
  ASSERT_TRUE(exe.ok()) << exe.status();
  auto x = client_.BufferFromVector<float>({1, 2, 3, 4}, {4}, device_);
  ASSERT_TRUE(x.ok());
  BPL_ExecuteOptions options;
  std::memset(&options, 0, sizeof(options));
  options.struct_size = offsetof(BPL_ExecuteOptions, deadline_ns);
  options.deadline_ns = -5;  // Past the 1.1 struct: must be ignored.
  BPL_Executable_Execute_Args args{};
  args.struct_size = BPL_Executable_Execute_Args_STRUCT_SIZE;
  BPL_Buffer* arg_list[] = {x->get()};
  BPL_Buffer* const* argument_lists[] = {arg_list};
  BPL_Buffer* outputs[1] = {nullptr};
  BPL_Buffer** output_lists[] = {outputs};
  args.executable = exe->get();
  args.options = &options;
  args.argument_lists = argument_lists;
  args.num_devices = 1;
  args.num_args = 1;
  args.output_lists = output_lists;
  ASSERT_EQ(api_->Executable_Execute(&args), nullptr);
  ASSERT_NE(outputs[0], nullptr);
  std::vector<float> host(4);
  BPL_Buffer_ToHost_Args to_host{};
  to_host.struct_size = BPL_Buffer_ToHost_Args_STRUCT_SIZE;
  to_host.buffer = outputs[0];
  to_host.dst = host.data();
  to_host.dst_size = host.size() * sizeof(float);
  ASSERT_EQ(api_->Buffer_ToHost(&to_host), nullptr);
  BPL_Event_Await_Args await{};
  await.struct_size = BPL_Event_Await_Args_STRUCT_SIZE;
  await.event = to_host.out_event;
  ASSERT_EQ(api_->Event_Await(&await), nullptr);
  EXPECT_THAT(host, ::testing::ElementsAre(2, 3, 4, 5));
  BPL_Event_Destroy_Args destroy_event{};
  destroy_event.struct_size = BPL_Event_Destroy_Args_STRUCT_SIZE;
  destroy_event.event = to_host.out_event;
  ASSERT_EQ(api_->Event_Destroy(&destroy_event), nullptr);
  BPL_Buffer_Destroy_Args destroy{};
  destroy.struct_size = BPL_Buffer_Destroy_Args_STRUCT_SIZE;
  destroy.buffer = outputs[0];
  ASSERT_EQ(api_->Buffer_Destroy(&destroy), nullptr);
}

// Today's (1.2) framework against a 1.1 plugin: its table ends before
// Executable_Cancel and it reports minor 1. Cancel is UNIMPLEMENTED, a
// deadline is refused (a 1.1 plugin would ignore it) and plain executions
// still run.
TEST_F(CompatTest, Plugin11HasNoCancelAndRefusesDeadlines) {
  const size_t older_size = offsetof(BPL_Api, Executable_Cancel);
  auto* older = static_cast<BPL_Api*>(std::malloc(older_size));
  std::memcpy(older, api_, older_size);
  older->struct_size = older_size;
  older->abi_minor = 1;
  {
    auto plugin = Plugin::FromApi(older, plugin_);
    ASSERT_TRUE(plugin.ok()) << plugin.status();
    auto client = plugin->CreateClient();
    ASSERT_TRUE(client.ok());
    auto exe = client->Compile(kAddOne);
    ASSERT_TRUE(exe.ok()) << exe.status();
    absl::Status cancel = exe->Cancel();
    EXPECT_EQ(cancel.code(), absl::StatusCode::kUnimplemented) << cancel;
    EXPECT_THAT(cancel.message(), HasSubstr("Executable_Cancel"));
    Device device = (*client->addressable_devices())[0];
    auto x = client->BufferFromVector<float>({1, 2, 3, 4}, {4}, device);
    ASSERT_TRUE(x.ok());
    ExecuteOptions with_deadline;
    with_deadline.deadline_ns = 1000 * 1000 * 1000;
    auto refused = exe->Execute({{&*x}}, with_deadline);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnimplemented);
    EXPECT_THAT(refused.status().message(), HasSubstr("ABI 1.2"));
    auto run = exe->ExecuteOnOneDevice({&*x});
    ASSERT_TRUE(run.ok()) << run.status();
    auto values = (*run)[0].ToVector<float>();
    ASSERT_TRUE(values.ok());
    EXPECT_THAT(*values, ::testing::ElementsAre(2, 3, 4, 5));
  }
  std::free(older);
}

// Today's framework against a plugin built for minor 7: a longer table.
TEST(NewerPluginTest, FrameworkUsesPluginOfNewerMinor) {
  loader::LoaderOptions options;
  options.system_manifest_dirs = {};
  loader::Loader loader(options);
  auto loaded = loader.Load(Runfile("tests/fixtures/libbackplane_newer.so"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->api()->abi_minor, 7);
  EXPECT_GT((*loaded)->api()->struct_size, sizeof(BPL_Api));
  auto plugin = Plugin::FromApi((*loaded)->api(), *loaded);
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  auto client = plugin->CreateClient();
  ASSERT_TRUE(client.ok()) << client.status();
  Device device = (*client->addressable_devices())[0];
  auto x = client->BufferFromVector<int32_t>({7, 8, 9}, {3}, device);
  ASSERT_TRUE(x.ok()) << x.status();
  auto back = x->ToVector<int32_t>();
  ASSERT_TRUE(back.ok());
  EXPECT_THAT(*back, ::testing::ElementsAre(7, 8, 9));
}

TEST(NewerPluginTest, ManifestWithNewerMinorMaxIsAccepted) {
  loader::Manifest m;
  m.abi_major = 1;
  m.abi_minor_min = 0;
  m.abi_minor_max = 9;
  EXPECT_TRUE(loader::CheckManifestCompatible(m, 1, 0, "none").ok());
  m.abi_minor_min = 1;
  EXPECT_FALSE(loader::CheckManifestCompatible(m, 1, 0, "none").ok());
}

}  // namespace
}  // namespace backplane
