// Families Version and Compatibility: the table, the attributes and the
// struct-size contract (docs/abi.md).
#include <cstring>
#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::HasSubstr;

TEST(Version, TableHeaderIsSane) {
  const BPL_Api* api = Api();
  EXPECT_EQ(api->abi_major, BPL_API_MAJOR);
  EXPECT_GE(api->abi_minor, 0);
  // At least everything up to the plugin functions must exist.
  EXPECT_GE(api->struct_size, offsetof(BPL_Api, Plugin_Attributes) + 8);
}

TEST(Version, NoNullEntryInsideTheTable) {
  const BPL_Api* api = Api();
  const size_t first = offsetof(BPL_Api, Error_Destroy);
  const size_t end = std::min(api->struct_size, sizeof(BPL_Api));
  for (size_t offset = first; offset + sizeof(void*) <= end;
       offset += sizeof(void*)) {
    void* entry;
    std::memcpy(&entry, reinterpret_cast<const char*>(api) + offset,
                sizeof(entry));
    EXPECT_NE(entry, nullptr)
        << "entry at byte offset " << offset
        << " is NULL; a plugin must implement every function its table "
           "covers (return UNIMPLEMENTED instead)";
  }
}

TEST(Version, RequiredAttributesHaveTheirTypes) {
  auto attributes = GetPlugin().attributes();
  ASSERT_TRUE(attributes.ok()) << attributes.status();
  std::map<std::string, BPL_ValueType> types;
  for (const NamedValue& v : *attributes) types[v.name] = TypeOf(v.value);
  const std::map<std::string, BPL_ValueType> required = {
      {"name", BPL_VALUE_STRING},
      {"vendor", BPL_VALUE_STRING},
      {"plugin_version", BPL_VALUE_STRING},
      {"abi_version", BPL_VALUE_INT64_LIST},
      {"program_formats", BPL_VALUE_STRING_LIST},
      {"stablehlo_version_min", BPL_VALUE_STRING},
      {"stablehlo_version_max", BPL_VALUE_STRING},
      {"capabilities", BPL_VALUE_STRING_LIST},
      {"client_options", BPL_VALUE_STRING_LIST},
  };
  for (const auto& [name, type] : required) {
    auto it = types.find(name);
    ASSERT_NE(it, types.end()) << "missing attribute '" << name << "'";
    EXPECT_EQ(it->second, type) << "attribute '" << name << "'";
  }
}

TEST(Version, AbiVersionAttributeMatchesTheTable) {
  auto attributes = GetPlugin().attributes();
  ASSERT_TRUE(attributes.ok());
  for (const NamedValue& v : *attributes) {
    if (v.name != "abi_version") continue;
    const auto& version = std::get<std::vector<int64_t>>(v.value);
    ASSERT_EQ(version.size(), 2u);
    EXPECT_EQ(version[0], Api()->abi_major);
    EXPECT_EQ(version[1], Api()->abi_minor);
  }
}

TEST(Version, InitializeIsIdempotent) {
  BPL_Plugin_Initialize_Args args{};
  args.struct_size = BPL_Plugin_Initialize_Args_STRUCT_SIZE;
  args.framework_abi_major = BPL_API_MAJOR;
  args.framework_abi_minor = BPL_API_MINOR;
  EXPECT_EQ(TakeErrorCode(Api()->Plugin_Initialize(&args)), 0);
  EXPECT_EQ(TakeErrorCode(Api()->Plugin_Initialize(&args)), 0);
}

TEST(Version, ErrorObjectsCarryCodeAndMessage) {
  BPL_Client_LookupDevice_Args args{};
  args.struct_size = BPL_Client_LookupDevice_Args_STRUCT_SIZE;
  BPL_Error* error = Api()->Client_LookupDevice(&args);
  ASSERT_NE(error, nullptr);
  BPL_Error_GetCode_Args code{};
  code.struct_size = BPL_Error_GetCode_Args_STRUCT_SIZE;
  code.error = error;
  EXPECT_EQ(Api()->Error_GetCode(&code), nullptr);
  EXPECT_EQ(code.out_code, BPL_CODE_INVALID_ARGUMENT);
  BPL_Error_Message_Args message{};
  message.struct_size = BPL_Error_Message_Args_STRUCT_SIZE;
  message.error = error;
  EXPECT_EQ(Api()->Error_Message(&message), nullptr);
  ASSERT_NE(message.out_message, nullptr);
  EXPECT_GT(message.out_message_size, 0u);
  EXPECT_EQ(std::strlen(message.out_message), message.out_message_size);
  BPL_Error_Destroy_Args destroy{};
  destroy.struct_size = BPL_Error_Destroy_Args_STRUCT_SIZE;
  destroy.error = error;
  EXPECT_EQ(Api()->Error_Destroy(&destroy), nullptr);
}

class Compatibility : public ConformanceTest {};

// An older framework's Execute call, whose struct ends before
// device_complete_events: the plugin must run it and write nothing beyond.
TEST_F(Compatibility, OlderCallerStructIsNotOverrun) {
  struct Padded {
    BPL_Executable_Execute_Args args;
    unsigned char canary[64];
  } padded;
  std::memset(&padded, 0xAB, sizeof(padded));
  const size_t older_size =
      offsetof(BPL_Executable_Execute_Args, device_complete_events);
  std::memset(&padded.args, 0, older_size);
  padded.args.struct_size = older_size;
  Executable exe = CompileOrDie(kAddProgram);
  Buffer y = Upload<float>({1, 2, 3, 4}, {4});
  BPL_Buffer* arg_list[] = {y.get(), y.get()};
  BPL_Buffer* const* argument_lists[] = {arg_list};
  BPL_Buffer* outputs[1] = {nullptr};
  BPL_Buffer** output_lists[] = {outputs};
  padded.args.executable = exe.get();
  padded.args.argument_lists = argument_lists;
  padded.args.num_devices = 1;
  padded.args.num_args = 2;
  padded.args.output_lists = output_lists;
  ASSERT_EQ(TakeErrorCode(Api()->Executable_Execute(&padded.args)), 0);
  const unsigned char* tail =
      reinterpret_cast<const unsigned char*>(&padded.args) + older_size;
  for (size_t i = 0; i < sizeof(padded) - older_size; ++i) {
    ASSERT_EQ(tail[i], 0xAB)
        << "the plugin wrote " << i << " bytes past the caller's struct_size";
  }
  BPL_Buffer_Destroy_Args destroy{};
  destroy.struct_size = BPL_Buffer_Destroy_Args_STRUCT_SIZE;
  destroy.buffer = outputs[0];
  EXPECT_EQ(TakeErrorCode(Api()->Buffer_Destroy(&destroy)), 0);
}

TEST_F(Compatibility, SmallerStructIsNotOverrunByQueries) {
  Buffer x = Upload<float>({1, 2, 3, 4}, {2, 2});
  struct Padded {
    BPL_Buffer_Shape_Args args;
    unsigned char canary[64];
  } padded;
  std::memset(&padded, 0xAB, sizeof(padded));
  // A caller whose struct lacks out_num_dims: the call must fail (the
  // output does not fit) without writing anything past struct_size.
  const size_t size = offsetof(BPL_Buffer_Shape_Args, out_num_dims);
  std::memset(&padded.args, 0, size);
  padded.args.struct_size = size;
  padded.args.buffer = x.get();
  EXPECT_NE(TakeErrorCode(Api()->Buffer_Shape(&padded.args)), 0);
  const unsigned char* tail =
      reinterpret_cast<const unsigned char*>(&padded.args) + size;
  for (size_t i = 0; i < sizeof(padded) - size; ++i) {
    ASSERT_EQ(tail[i], 0xAB) << "wrote past struct_size at +" << i;
  }
}

TEST_F(Compatibility, NewerCallerStructIsServedAndExtraFieldsUntouched) {
  Buffer x = Upload<float>({1, 2, 3, 4}, {2, 2});
  struct Newer {
    BPL_Buffer_Shape_Args today;
    int64_t future[4];
  } newer;
  std::memset(&newer, 0, sizeof(newer));
  newer.today.struct_size = sizeof(newer);
  newer.today.buffer = x.get();
  for (int i = 0; i < 4; ++i) newer.future[i] = 1000 + i;
  ASSERT_EQ(TakeErrorCode(Api()->Buffer_Shape(&newer.today)), 0);
  EXPECT_EQ(newer.today.out_element_type, BPL_ELEMENT_TYPE_F32);
  EXPECT_EQ(newer.today.out_num_dims, 2u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(newer.future[i], 1000 + i);
}

}  // namespace
}  // namespace backplane::conformance
