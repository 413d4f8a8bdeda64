// What a kit-built plugin returns when its own code throws: the kit's guard
// around every ABI function turns std::bad_alloc into RESOURCE_EXHAUSTED and
// any other exception into INTERNAL, each naming the function, instead of
// letting the exception cross the C ABI.
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include "api/backplane_c_api.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugins/kit/plugin.h"

namespace backplane::kit {
namespace {

// What CreateClient throws.
enum class Throw { kBadAlloc, kRuntimeError, kInt };
Throw g_throw = Throw::kBadAlloc;

class ThrowingPlugin : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo info;
    info.name = "throwing";
    info.vendor = "test";
    info.plugin_version = "0";
    return info;
  }
  absl::StatusOr<std::unique_ptr<Client>> CreateClient(
      const Options&) override {
    switch (g_throw) {
      case Throw::kBadAlloc:
        throw std::bad_alloc();
      case Throw::kRuntimeError:
        throw std::runtime_error("vendor bug");
      case Throw::kInt:
        throw 42;
    }
    return absl::InternalError("unreachable");
  }
};

class GuardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    api_ = MakeApi(std::make_unique<ThrowingPlugin>());
    BPL_Plugin_Initialize_Args init{};
    init.struct_size = BPL_Plugin_Initialize_Args_STRUCT_SIZE;
    init.framework_abi_major = BPL_API_MAJOR;
    init.framework_abi_minor = BPL_API_MINOR;
    ASSERT_EQ(api_->Plugin_Initialize(&init), nullptr);
  }

  // Client_Create's error as (code, message); the error is destroyed.
  static std::pair<int64_t, std::string> CreateClientError() {
    BPL_Client_Create_Args args{};
    args.struct_size = BPL_Client_Create_Args_STRUCT_SIZE;
    BPL_Error* error = api_->Client_Create(&args);
    if (error == nullptr) return {BPL_CODE_OK, ""};
    BPL_Error_GetCode_Args code{};
    code.struct_size = BPL_Error_GetCode_Args_STRUCT_SIZE;
    code.error = error;
    EXPECT_EQ(api_->Error_GetCode(&code), nullptr);
    BPL_Error_Message_Args message{};
    message.struct_size = BPL_Error_Message_Args_STRUCT_SIZE;
    message.error = error;
    EXPECT_EQ(api_->Error_Message(&message), nullptr);
    std::string text(message.out_message, message.out_message_size);
    BPL_Error_Destroy_Args destroy{};
    destroy.struct_size = BPL_Error_Destroy_Args_STRUCT_SIZE;
    destroy.error = error;
    api_->Error_Destroy(&destroy);
    return {code.out_code, text};
  }

  static const BPL_Api* api_;
};

const BPL_Api* GuardTest::api_ = nullptr;

TEST_F(GuardTest, BadAllocIsResourceExhausted) {
  g_throw = Throw::kBadAlloc;
  auto [code, message] = CreateClientError();
  EXPECT_EQ(code, BPL_CODE_RESOURCE_EXHAUSTED);
  EXPECT_THAT(message, ::testing::HasSubstr("Client_Create"));
  EXPECT_THAT(message, ::testing::HasSubstr("out of host memory"));
}

TEST_F(GuardTest, OtherExceptionsAreInternalWithTheirText) {
  g_throw = Throw::kRuntimeError;
  auto [code, message] = CreateClientError();
  EXPECT_EQ(code, BPL_CODE_INTERNAL);
  EXPECT_THAT(message, ::testing::HasSubstr("vendor bug"));
  g_throw = Throw::kInt;
  std::tie(code, message) = CreateClientError();
  EXPECT_EQ(code, BPL_CODE_INTERNAL);
  EXPECT_THAT(message, ::testing::HasSubstr("non-standard exception"));
}

}  // namespace
}  // namespace backplane::kit
