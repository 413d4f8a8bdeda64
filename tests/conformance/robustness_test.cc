// Family Robustness: bad input through the C ABI is a clear error, never a
// crash or hang. Every call runs in a forked child, so a crashing plugin
// fails the test that found the crash and the suite goes on.
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

struct Call {
  const char* function;
  // Calls the function with args = NULL.
  std::function<BPL_Error*()> with_null_args;
  // Calls it with a zeroed args struct of the given struct_size.
  std::function<BPL_Error*(size_t)> with_zeroed_args;
  size_t current_size;
};

template <typename Args>
std::function<BPL_Error*(size_t)> Zeroed(BPL_Error* (*const* fn)(Args*)) {
  return [fn](size_t struct_size) {
    Args args{};
    args.struct_size = struct_size;
    return (*fn)(&args);
  };
}

#define BPL_CALL_ENTRY(name)                                               \
  Call {                                                                   \
#name, [] { return Api()->name(nullptr); }, Zeroed(&Api()->name),      \
                                             BPL_##name##_Args_STRUCT_SIZE \
  }

// Every function except the Error ones (an error object is required to be
// valid; Error_Destroy(NULL) is a documented no-op) and Event_Create /
// Plugin_* (which need no handle).
std::vector<Call> HandleTakingCalls() {
  return {
      BPL_CALL_ENTRY(Event_Destroy),
      BPL_CALL_ENTRY(Event_IsReady),
      BPL_CALL_ENTRY(Event_Error),
      BPL_CALL_ENTRY(Event_Await),
      BPL_CALL_ENTRY(Event_OnReady),
      BPL_CALL_ENTRY(Event_Set),
      BPL_CALL_ENTRY(Client_Create),
      BPL_CALL_ENTRY(Client_Destroy),
      BPL_CALL_ENTRY(Client_PlatformName),
      BPL_CALL_ENTRY(Client_PlatformVersion),
      BPL_CALL_ENTRY(Client_Devices),
      BPL_CALL_ENTRY(Client_AddressableDevices),
      BPL_CALL_ENTRY(Client_LookupDevice),
      BPL_CALL_ENTRY(Client_AddressableMemories),
      BPL_CALL_ENTRY(Client_Compile),
      BPL_CALL_ENTRY(Client_DeserializeExecutable),
      BPL_CALL_ENTRY(Client_BufferFromHost),
      BPL_CALL_ENTRY(DeviceDescription_Id),
      BPL_CALL_ENTRY(DeviceDescription_Kind),
      BPL_CALL_ENTRY(DeviceDescription_Attributes),
      BPL_CALL_ENTRY(DeviceDescription_DebugString),
      BPL_CALL_ENTRY(Device_GetDescription),
      BPL_CALL_ENTRY(Device_IsAddressable),
      BPL_CALL_ENTRY(Device_Memories),
      BPL_CALL_ENTRY(Device_DefaultMemory),
      BPL_CALL_ENTRY(Device_MemoryStats),
      BPL_CALL_ENTRY(Memory_Id),
      BPL_CALL_ENTRY(Memory_Kind),
      BPL_CALL_ENTRY(Memory_Devices),
      BPL_CALL_ENTRY(Buffer_Destroy),
      BPL_CALL_ENTRY(Buffer_Delete),
      BPL_CALL_ENTRY(Buffer_IsDeleted),
      BPL_CALL_ENTRY(Buffer_Shape),
      BPL_CALL_ENTRY(Buffer_OnDeviceSizeInBytes),
      BPL_CALL_ENTRY(Buffer_Device),
      BPL_CALL_ENTRY(Buffer_Memory),
      BPL_CALL_ENTRY(Buffer_ToHost),
      BPL_CALL_ENTRY(Buffer_CopyToDevice),
      BPL_CALL_ENTRY(Buffer_CopyToMemory),
      BPL_CALL_ENTRY(Buffer_ReadyEvent),
      BPL_CALL_ENTRY(Executable_Destroy),
      BPL_CALL_ENTRY(Executable_Delete),
      BPL_CALL_ENTRY(Executable_IsDeleted),
      BPL_CALL_ENTRY(Executable_Name),
      BPL_CALL_ENTRY(Executable_Devices),
      BPL_CALL_ENTRY(Executable_ParameterShapes),
      BPL_CALL_ENTRY(Executable_OutputShapes),
      BPL_CALL_ENTRY(Executable_Fingerprint),
      BPL_CALL_ENTRY(Executable_MemoryStats),
      BPL_CALL_ENTRY(Executable_Serialize),
      BPL_CALL_ENTRY(Executable_Execute),
  };
}

// Destroy functions accept a NULL object as a no-op (like free(NULL)).
bool IsDestroy(const std::string& name) {
  return name.size() > 8 && name.substr(name.size() - 8) == "_Destroy";
}

TEST(Robustness, NullArgsIsAnErrorForEveryFunction) {
  for (const Call& call : HandleTakingCalls()) {
    IsolatedResult result = RunIsolated([&] {
      BPL_Error* error = call.with_null_args();
      EXPECT_NE(error, nullptr) << call.function << "(NULL) returned success";
      TakeErrorCode(error);
    });
    EXPECT_TRUE(result.exited && result.exit_code == 0)
        << call.function << "(NULL): " << result.Describe();
  }
}

TEST(Robustness, ZeroStructSizeIsAnError) {
  for (const Call& call : HandleTakingCalls()) {
    IsolatedResult result = RunIsolated([&] {
      BPL_Error* error = call.with_zeroed_args(0);
      EXPECT_NE(error, nullptr)
          << call.function << " with struct_size 0 returned success";
      TakeErrorCode(error);
    });
    EXPECT_TRUE(result.exited && result.exit_code == 0)
        << call.function << " with struct_size 0: " << result.Describe();
  }
}

TEST(Robustness, NullRequiredHandleIsInvalidArgument) {
  for (const Call& call : HandleTakingCalls()) {
    std::string name = call.function;
    if (name == "Client_Create") continue;  // No handle to pass.
    IsolatedResult result = RunIsolated([&] {
      BPL_Error* error = call.with_zeroed_args(call.current_size);
      if (IsDestroy(name)) {
        EXPECT_EQ(TakeErrorCode(error), 0)
            << name << "(NULL object) should be a no-op";
      } else {
        EXPECT_EQ(TakeErrorCode(error), BPL_CODE_INVALID_ARGUMENT)
            << name << " with NULL handles";
      }
    });
    EXPECT_TRUE(result.exited && result.exit_code == 0)
        << name << " with NULL handles: " << result.Describe();
  }
}

class RobustnessWithClient : public ConformanceTest {};

TEST_F(RobustnessWithClient, HandleOfTheWrongTypeIsRejected) {
  IsolatedResult result = RunIsolated([&] {
    BPL_Buffer_Shape_Args args{};
    args.struct_size = BPL_Buffer_Shape_Args_STRUCT_SIZE;
    // A device handle where a buffer is expected.
    args.buffer = reinterpret_cast<BPL_Buffer*>(device_.get());
    EXPECT_EQ(TakeErrorCode(Api()->Buffer_Shape(&args)),
              BPL_CODE_INVALID_ARGUMENT);
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(RobustnessWithClient, ObjectsOfAnotherClientAreRejected) {
  absl::StatusOr<Client> other = GetPlugin().CreateClient();
  ASSERT_TRUE(other.ok()) << other.status();
  Device other_device = (*other->addressable_devices())[0];
  Buffer foreign =
      *other->BufferFromVector<float>({1, 2, 3, 4}, {4}, other_device);
  Buffer local = Upload<float>({1, 2, 3, 4}, {4});
  Executable exe = CompileOrDie(kAddProgram);
  auto run = exe.ExecuteOnOneDevice({&local, &foreign});
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), absl::StatusCode::kInvalidArgument)
      << run.status();
  // Copying to another client's device is refused too.
  auto copy = local.CopyToDevice(other_device);
  ASSERT_FALSE(copy.ok());
  EXPECT_EQ(copy.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RobustnessWithClient, ToHostIntoTooSmallBufferIsAnError) {
  Buffer x = Upload<float>({1, 2, 3, 4}, {4});
  std::vector<float> small(2);
  auto event = x.ToHost(small.data(), small.size() * sizeof(float));
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RobustnessWithClient, NegativeDimensionAndBadElementTypeAreRejected) {
  float data[4] = {0, 0, 0, 0};
  auto negative =
      client_.BufferFromHost(data, Shape{BPL_ELEMENT_TYPE_F32, {-4}}, device_);
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  // An element type outside the enum, stored the way a C caller could.
  BPL_Client_BufferFromHost_Args args{};
  args.struct_size = BPL_Client_BufferFromHost_Args_STRUCT_SIZE;
  args.client = client_.get();
  args.data = data;
  int64_t dims[1] = {4};
  args.dims = dims;
  args.num_dims = 1;
  args.device = device_.get();
  const int32_t bad_type = 99;
  std::memcpy(&args.element_type, &bad_type, sizeof(bad_type));
  EXPECT_EQ(TakeErrorCode(Api()->Client_BufferFromHost(&args)),
            BPL_CODE_INVALID_ARGUMENT);
}

// Uploads f32 data of `dims` with `strides` through the C ABI; the code.
int64_t UploadStrided(const Client& client, const Device& device,
                      const void* data, std::vector<int64_t> dims,
                      std::vector<int64_t> strides, std::string* message) {
  BPL_Client_BufferFromHost_Args args{};
  args.struct_size = BPL_Client_BufferFromHost_Args_STRUCT_SIZE;
  args.client = client.get();
  args.data = data;
  args.element_type = BPL_ELEMENT_TYPE_F32;
  args.dims = dims.data();
  args.num_dims = dims.size();
  args.byte_strides = strides.data();
  args.num_byte_strides = strides.size();
  args.host_buffer_semantics = BPL_HOST_BUFFER_COPY_DURING_CALL;
  args.device = device.get();
  absl::Status status = TakeStatus(Api()->Client_BufferFromHost(&args));
  *message = std::string(status.message());
  if (status.ok() && args.out_buffer != nullptr) {
    BPL_Buffer_Destroy_Args destroy{};
    destroy.struct_size = BPL_Buffer_Destroy_Args_STRUCT_SIZE;
    destroy.buffer = args.out_buffer;
    TakeErrorCode(Api()->Buffer_Destroy(&destroy));
  }
  return static_cast<int64_t>(status.code());
}

TEST_F(RobustnessWithClient, BadByteStridesAreInvalidArgumentNamingTheDim) {
  struct Case {
    const char* what;
    std::vector<int64_t> dims;
    std::vector<int64_t> strides;
    const char* names;
  };
  const std::vector<Case> cases = {
      {"a negative stride", {2, 2}, {8, -4}, "byte_strides[1]"},
      {"a negative outer stride", {2, 2}, {-8, 4}, "byte_strides[0]"},
      {"offsets overflowing int64",
       {4, 2},
       {int64_t{1} << 62, 4},
       "byte_strides[0]"},
      {"a stride of INT64_MAX", {2}, {INT64_MAX}, "byte_strides[0]"},
      {"inner offsets overflowing int64",
       {2, 3},
       {8, (int64_t{1} << 62) + 5},
       "byte_strides[1]"},
  };
  for (const Case& c : cases) {
    IsolatedResult result = RunIsolated([&] {
      alignas(16) float data[64] = {};
      std::string message;
      EXPECT_EQ(
          UploadStrided(client_, device_, data, c.dims, c.strides, &message),
          BPL_CODE_INVALID_ARGUMENT)
          << c.what;
      EXPECT_THAT(message, ::testing::HasSubstr(c.names)) << c.what;
    });
    EXPECT_TRUE(result.exited && result.exit_code == 0)
        << c.what << ": " << result.Describe();
  }
  // Valid strides still work: a transposed 2x2 view and a broadcast row.
  float data[4] = {1, 2, 3, 4};
  std::string message;
  EXPECT_EQ(UploadStrided(client_, device_, data, {2, 2}, {4, 8}, &message),
            BPL_CODE_OK)
      << message;
  EXPECT_EQ(UploadStrided(client_, device_, data, {3, 4}, {0, 4}, &message),
            BPL_CODE_OK)
      << message;
}

TEST_F(RobustnessWithClient, HugeOptionValueSizeIsInvalidArgument) {
  IsolatedResult result = RunIsolated([&] {
    const char value[] = "main";
    BPL_NamedValue option{};
    option.struct_size = BPL_NamedValue_STRUCT_SIZE;
    option.name = "entry_function";
    option.name_size = 14;
    option.type = BPL_VALUE_STRING;
    option.value.string_value = value;
    option.value_size = size_t{1} << 60;
    BPL_Program program{};
    program.struct_size = BPL_Program_STRUCT_SIZE;
    program.format = "stablehlo";
    program.format_size = 9;
    program.code = kAddProgram;
    program.code_size = std::strlen(kAddProgram);
    BPL_Client_Compile_Args args{};
    args.struct_size = BPL_Client_Compile_Args_STRUCT_SIZE;
    args.client = client_.get();
    args.program = &program;
    args.compile_options = &option;
    args.num_compile_options = 1;
    absl::Status status = TakeStatus(Api()->Client_Compile(&args));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(std::string(status.message()),
                ::testing::HasSubstr("entry_function"));
    option.type = BPL_VALUE_INT64_LIST;
    option.name = "donated_parameters";
    option.name_size = 18;
    const int64_t list[1] = {0};
    option.value.int64_list_value = list;
    status = TakeStatus(Api()->Client_Compile(&args));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  });
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.Describe();
}

TEST_F(RobustnessWithClient, OptimizationLevelOutOfRangeIsInvalidArgument) {
  for (int64_t level : {int64_t{-5}, int64_t{4}}) {
    auto exe = client_.Compile(kAddProgram, {{"optimization_level", level}});
    ASSERT_FALSE(exe.ok()) << "optimization_level " << level;
    EXPECT_EQ(exe.status().code(), absl::StatusCode::kInvalidArgument)
        << exe.status();
    EXPECT_THAT(std::string(exe.status().message()),
                ::testing::HasSubstr("optimization_level"));
  }
  for (int64_t level : {0, 3}) {
    auto exe = client_.Compile(kAddProgram, {{"optimization_level", level}});
    EXPECT_TRUE(exe.ok()) << "optimization_level " << level << ": "
                          << exe.status();
  }
}

}  // namespace
}  // namespace backplane::conformance
