// Family Handles: a stale (destroyed), double-destroyed or foreign handle of
// every type, errors included, is INVALID_ARGUMENT; never a crash, never a
// use of freed memory, and never the object that now lives where the old
// one was. Each test runs in a forked child, so a plugin that crashes fails
// the test instead of ending the suite.
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::ElementsAre;

// Keeps a C++ wrapper from destroying its handle: the tests destroy it
// through the C ABI themselves (in a child process, so nothing leaks).
template <typename T>
void Forget(T&& wrapper) {
  new std::decay_t<T>(std::move(wrapper));
}

int64_t BufferToHostCode(BPL_Buffer* buffer, std::vector<float>* dst) {
  BPL_Buffer_ToHost_Args args{};
  args.struct_size = BPL_Buffer_ToHost_Args_STRUCT_SIZE;
  args.buffer = buffer;
  args.dst = dst->data();
  args.dst_size = dst->size() * sizeof(float);
  int64_t code = TakeErrorCode(Api()->Buffer_ToHost(&args));
  if (code == BPL_CODE_OK && args.out_event != nullptr) {
    BPL_Event_Await_Args await{};
    await.struct_size = BPL_Event_Await_Args_STRUCT_SIZE;
    await.event = args.out_event;
    TakeErrorCode(Api()->Event_Await(&await));
    BPL_Event_Destroy_Args destroy{};
    destroy.struct_size = BPL_Event_Destroy_Args_STRUCT_SIZE;
    destroy.event = args.out_event;
    TakeErrorCode(Api()->Event_Destroy(&destroy));
  }
  return code;
}

int64_t DestroyBuffer(BPL_Buffer* buffer) {
  BPL_Buffer_Destroy_Args args{};
  args.struct_size = BPL_Buffer_Destroy_Args_STRUCT_SIZE;
  args.buffer = buffer;
  return TakeErrorCode(Api()->Buffer_Destroy(&args));
}

class Handles : public ConformanceTest {};

TEST_F(Handles, DestroyedBufferIsInvalidArgumentAndNeverAliasesANewOne) {
  IsolatedResult result = RunIsolated([&] {
    Buffer old = Upload<float>({1, 2, 3, 4}, {4});
    BPL_Buffer* stale = old.get();
    Forget(std::move(old));
    ASSERT_EQ(DestroyBuffer(stale), BPL_CODE_OK);
    // New buffers, which may well reuse the old one's memory or slot.
    std::vector<Buffer> fresh;
    for (int i = 0; i < 8; ++i) {
      fresh.push_back(Upload<float>({9, 9, 9, 9}, {4}));
    }
    std::vector<float> host(4, -1);
    EXPECT_EQ(BufferToHostCode(stale, &host), BPL_CODE_INVALID_ARGUMENT)
        << "Buffer_ToHost on a destroyed buffer";
    EXPECT_THAT(host, ElementsAre(-1, -1, -1, -1))
        << "a destroyed buffer's handle read another buffer's data";
    BPL_Buffer_Shape_Args shape{};
    shape.struct_size = BPL_Buffer_Shape_Args_STRUCT_SIZE;
    shape.buffer = stale;
    EXPECT_EQ(TakeErrorCode(Api()->Buffer_Shape(&shape)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_Buffer_Delete_Args del{};
    del.struct_size = BPL_Buffer_Delete_Args_STRUCT_SIZE;
    del.buffer = stale;
    EXPECT_EQ(TakeErrorCode(Api()->Buffer_Delete(&del)),
              BPL_CODE_INVALID_ARGUMENT);
    EXPECT_EQ(DestroyBuffer(stale), BPL_CODE_INVALID_ARGUMENT)
        << "destroying a buffer twice";
    // The new buffers are untouched.
    for (const Buffer& b : fresh) {
      EXPECT_THAT(Download<float>(b), ElementsAre(9, 9, 9, 9));
    }
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(Handles, DestroyedEventExecutableAndClientAreInvalidArgument) {
  IsolatedResult result = RunIsolated([&] {
    // Event.
    Buffer x = Upload<float>({1, 2, 3, 4}, {4});
    auto ready = x.ReadyEvent();
    ASSERT_TRUE(ready.ok()) << ready.status();
    BPL_Event* event = ready->get();
    Forget(*std::move(ready));
    BPL_Event_Destroy_Args destroy_event{};
    destroy_event.struct_size = BPL_Event_Destroy_Args_STRUCT_SIZE;
    destroy_event.event = event;
    ASSERT_EQ(TakeErrorCode(Api()->Event_Destroy(&destroy_event)), 0);
    BPL_Event_IsReady_Args is_ready{};
    is_ready.struct_size = BPL_Event_IsReady_Args_STRUCT_SIZE;
    is_ready.event = event;
    EXPECT_EQ(TakeErrorCode(Api()->Event_IsReady(&is_ready)),
              BPL_CODE_INVALID_ARGUMENT);
    EXPECT_EQ(TakeErrorCode(Api()->Event_Destroy(&destroy_event)),
              BPL_CODE_INVALID_ARGUMENT)
        << "destroying an event twice";

    // Executable.
    Executable exe = CompileOrDie(kAddProgram);
    BPL_Executable* executable = exe.get();
    Forget(std::move(exe));
    BPL_Executable_Destroy_Args destroy_exe{};
    destroy_exe.struct_size = BPL_Executable_Destroy_Args_STRUCT_SIZE;
    destroy_exe.executable = executable;
    ASSERT_EQ(TakeErrorCode(Api()->Executable_Destroy(&destroy_exe)), 0);
    BPL_Executable_Name_Args name{};
    name.struct_size = BPL_Executable_Name_Args_STRUCT_SIZE;
    name.executable = executable;
    EXPECT_EQ(TakeErrorCode(Api()->Executable_Name(&name)),
              BPL_CODE_INVALID_ARGUMENT);
    EXPECT_EQ(TakeErrorCode(Api()->Executable_Destroy(&destroy_exe)),
              BPL_CODE_INVALID_ARGUMENT)
        << "destroying an executable twice";

    // Client (the wrappers would destroy it once more at exit).
    BPL_Client* client = client_.get();
    Forget(std::move(x));
    Forget(std::move(device_));
    Forget(std::move(client_));
    BPL_Client_Destroy_Args destroy_client{};
    destroy_client.struct_size = BPL_Client_Destroy_Args_STRUCT_SIZE;
    destroy_client.client = client;
    ASSERT_EQ(TakeErrorCode(Api()->Client_Destroy(&destroy_client)), 0);
    BPL_Client_PlatformName_Args platform{};
    platform.struct_size = BPL_Client_PlatformName_Args_STRUCT_SIZE;
    platform.client = client;
    EXPECT_EQ(TakeErrorCode(Api()->Client_PlatformName(&platform)),
              BPL_CODE_INVALID_ARGUMENT);
    EXPECT_EQ(TakeErrorCode(Api()->Client_Destroy(&destroy_client)),
              BPL_CODE_INVALID_ARGUMENT)
        << "destroying a client twice";
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(Handles, DevicesAndMemoriesOfAGoneClientAreInvalidArgument) {
  IsolatedResult result = RunIsolated([&] {
    BPL_Client* client = client_.get();
    BPL_Device* device = device_.get();
    auto memories = client_.memories();
    ASSERT_TRUE(memories.ok() && !memories->empty());
    BPL_Memory* memory = (*memories)[0].get();
    BPL_Device_GetDescription_Args get_description{};
    get_description.struct_size = BPL_Device_GetDescription_Args_STRUCT_SIZE;
    get_description.device = device;
    ASSERT_EQ(TakeErrorCode(Api()->Device_GetDescription(&get_description)), 0);
    BPL_DeviceDescription* description = get_description.out_description;
    Forget(std::move(*memories));
    Forget(std::move(device_));
    Forget(std::move(client_));
    // Nothing else was made from the client: destroying it ends its
    // devices, descriptions and memories too.
    BPL_Client_Destroy_Args destroy_client{};
    destroy_client.struct_size = BPL_Client_Destroy_Args_STRUCT_SIZE;
    destroy_client.client = client;
    ASSERT_EQ(TakeErrorCode(Api()->Client_Destroy(&destroy_client)), 0);
    BPL_Device_IsAddressable_Args addressable{};
    addressable.struct_size = BPL_Device_IsAddressable_Args_STRUCT_SIZE;
    addressable.device = device;
    EXPECT_EQ(TakeErrorCode(Api()->Device_IsAddressable(&addressable)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_DeviceDescription_Id_Args id{};
    id.struct_size = BPL_DeviceDescription_Id_Args_STRUCT_SIZE;
    id.description = description;
    EXPECT_EQ(TakeErrorCode(Api()->DeviceDescription_Id(&id)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_Memory_Kind_Args kind{};
    kind.struct_size = BPL_Memory_Kind_Args_STRUCT_SIZE;
    kind.memory = memory;
    EXPECT_EQ(TakeErrorCode(Api()->Memory_Kind(&kind)),
              BPL_CODE_INVALID_ARGUMENT);
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(Handles, DestroyedErrorIsInvalidArgumentAndDoubleDestroyIsSafe) {
  IsolatedResult result = RunIsolated([&] {
    BPL_Buffer_Shape_Args shape{};
    shape.struct_size = BPL_Buffer_Shape_Args_STRUCT_SIZE;
    BPL_Error* error = Api()->Buffer_Shape(&shape);  // NULL buffer.
    ASSERT_NE(error, nullptr);
    BPL_Error_Destroy_Args destroy{};
    destroy.struct_size = BPL_Error_Destroy_Args_STRUCT_SIZE;
    destroy.error = error;
    ASSERT_EQ(Api()->Error_Destroy(&destroy), nullptr);
    BPL_Error_GetCode_Args code{};
    code.struct_size = BPL_Error_GetCode_Args_STRUCT_SIZE;
    code.error = error;
    EXPECT_EQ(TakeErrorCode(Api()->Error_GetCode(&code)),
              BPL_CODE_INVALID_ARGUMENT)
        << "Error_GetCode on a destroyed error";
    BPL_Error_Message_Args message{};
    message.struct_size = BPL_Error_Message_Args_STRUCT_SIZE;
    message.error = error;
    EXPECT_EQ(TakeErrorCode(Api()->Error_Message(&message)),
              BPL_CODE_INVALID_ARGUMENT)
        << "Error_Message on a destroyed error";
    EXPECT_EQ(TakeErrorCode(Api()->Error_Destroy(&destroy)),
              BPL_CODE_INVALID_ARGUMENT)
        << "destroying an error twice";
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(Handles, ForeignHandlesAreInvalidArgument) {
  IsolatedResult result = RunIsolated([&] {
    // Memory the plugin never handed out, of plausible handle alignment.
    alignas(64) static unsigned char junk[512];
    std::memset(junk, 0xA5, sizeof(junk));
    void* foreign = junk + 64;
    BPL_Buffer_Shape_Args shape{};
    shape.struct_size = BPL_Buffer_Shape_Args_STRUCT_SIZE;
    shape.buffer = static_cast<BPL_Buffer*>(foreign);
    EXPECT_EQ(TakeErrorCode(Api()->Buffer_Shape(&shape)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_Event_IsReady_Args is_ready{};
    is_ready.struct_size = BPL_Event_IsReady_Args_STRUCT_SIZE;
    is_ready.event = static_cast<BPL_Event*>(foreign);
    EXPECT_EQ(TakeErrorCode(Api()->Event_IsReady(&is_ready)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_Executable_Name_Args name{};
    name.struct_size = BPL_Executable_Name_Args_STRUCT_SIZE;
    name.executable = static_cast<BPL_Executable*>(foreign);
    EXPECT_EQ(TakeErrorCode(Api()->Executable_Name(&name)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_Client_PlatformName_Args platform{};
    platform.struct_size = BPL_Client_PlatformName_Args_STRUCT_SIZE;
    platform.client = static_cast<BPL_Client*>(foreign);
    EXPECT_EQ(TakeErrorCode(Api()->Client_PlatformName(&platform)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_Device_IsAddressable_Args addressable{};
    addressable.struct_size = BPL_Device_IsAddressable_Args_STRUCT_SIZE;
    addressable.device = static_cast<BPL_Device*>(foreign);
    EXPECT_EQ(TakeErrorCode(Api()->Device_IsAddressable(&addressable)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_DeviceDescription_Id_Args id{};
    id.struct_size = BPL_DeviceDescription_Id_Args_STRUCT_SIZE;
    id.description = static_cast<BPL_DeviceDescription*>(foreign);
    EXPECT_EQ(TakeErrorCode(Api()->DeviceDescription_Id(&id)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_Memory_Kind_Args kind{};
    kind.struct_size = BPL_Memory_Kind_Args_STRUCT_SIZE;
    kind.memory = static_cast<BPL_Memory*>(foreign);
    EXPECT_EQ(TakeErrorCode(Api()->Memory_Kind(&kind)),
              BPL_CODE_INVALID_ARGUMENT);
    BPL_Error_GetCode_Args code{};
    code.struct_size = BPL_Error_GetCode_Args_STRUCT_SIZE;
    code.error = static_cast<BPL_Error*>(foreign);
    EXPECT_EQ(TakeErrorCode(Api()->Error_GetCode(&code)),
              BPL_CODE_INVALID_ARGUMENT);
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

}  // namespace
}  // namespace backplane::conformance
