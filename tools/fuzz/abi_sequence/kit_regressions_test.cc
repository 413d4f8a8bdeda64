// Regression tests for the kit bugs the ABI sequence fuzzer found
// (README.md, "Findings"), run through the raw ABI of each bundled plugin:
//   1. Event_Set with an error code and a NULL message made a BPL_Error
//      with an empty message.
//   2. Client_BufferFromHost with byte_strides and a wait event blocked
//      inside the call until the event completed, so a caller that sets the
//      event itself after the call waited forever.
//   3. A transfer waiting on a framework event ran after the framework
//      destroyed its buffer and client, using the freed client (sim: its
//      devices; heap-use-after-free under --config=asan).
//
// The plugins are the bundled three, from the runfiles.
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tools/fuzz/abi_sequence/load_plugins.h"

namespace backplane::fuzz {
namespace {

class KitRegressions : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto loaded = LoadPlugins({GetParam()}, "");
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    plugins_ = *std::move(loaded);
    api_ = plugins_.apis[0];
  }

  // The code and message of `error` (destroyed); 0 and "" for NULL.
  std::pair<int64_t, std::string> Take(BPL_Error* error) {
    if (error == nullptr) return {0, ""};
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
    EXPECT_EQ(api_->Error_Destroy(&destroy), nullptr);
    return {code.out_code, text};
  }

  BPL_Event* NewEvent() {
    BPL_Event_Create_Args create{};
    create.struct_size = BPL_Event_Create_Args_STRUCT_SIZE;
    EXPECT_EQ(api_->Event_Create(&create), nullptr);
    return create.out_event;
  }

  void Destroy(BPL_Event* event) {
    BPL_Event_Destroy_Args destroy{};
    destroy.struct_size = BPL_Event_Destroy_Args_STRUCT_SIZE;
    destroy.event = event;
    EXPECT_EQ(api_->Event_Destroy(&destroy), nullptr);
  }

  LoadedPlugins plugins_;
  const BPL_Api* api_ = nullptr;
};

TEST_P(KitRegressions, EventSetWithoutMessageStillGivesAMessage) {
  BPL_Event* event = NewEvent();
  BPL_Event_Set_Args set{};
  set.struct_size = BPL_Event_Set_Args_STRUCT_SIZE;
  set.event = event;
  set.error_code = BPL_CODE_ABORTED;
  ASSERT_EQ(api_->Event_Set(&set), nullptr);
  BPL_Event_Await_Args await{};
  await.struct_size = BPL_Event_Await_Args_STRUCT_SIZE;
  await.event = event;
  auto [code, message] = Take(api_->Event_Await(&await));
  EXPECT_EQ(code, BPL_CODE_ABORTED);
  EXPECT_FALSE(message.empty()) << "an error with an empty message";
  Destroy(event);
}

TEST_P(KitRegressions, StridedUploadWaitingOnAnEventReturnsAtOnce) {
  BPL_Client_Create_Args create{};
  create.struct_size = BPL_Client_Create_Args_STRUCT_SIZE;
  ASSERT_EQ(api_->Client_Create(&create), nullptr);
  BPL_Client_Devices_Args devices{};
  devices.struct_size = BPL_Client_Devices_Args_STRUCT_SIZE;
  devices.client = create.out_client;
  ASSERT_EQ(api_->Client_AddressableDevices(&devices), nullptr);
  BPL_Event* input_ready = NewEvent();
  // Every other float of 8: 0, 2, 4, 6 (filled in after the call).
  std::vector<float> host(8, -1.0f);
  const int64_t dims[1] = {4};
  const int64_t strides[1] = {8};
  BPL_Client_BufferFromHost_Args upload{};
  upload.struct_size = BPL_Client_BufferFromHost_Args_STRUCT_SIZE;
  upload.client = create.out_client;
  upload.data = host.data();
  upload.element_type = BPL_ELEMENT_TYPE_F32;
  upload.dims = dims;
  upload.num_dims = 1;
  upload.byte_strides = strides;
  upload.num_byte_strides = 1;
  upload.host_buffer_semantics =
      BPL_HOST_BUFFER_IMMUTABLE_UNTIL_TRANSFER_COMPLETES;
  upload.device = devices.out_devices[0];
  upload.wait_events = &input_ready;
  upload.num_wait_events = 1;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(Take(api_->Client_BufferFromHost(&upload)).first, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  for (int i = 0; i < 8; ++i) host[i] = static_cast<float>(i);
  BPL_Event_Set_Args set{};
  set.struct_size = BPL_Event_Set_Args_STRUCT_SIZE;
  set.event = input_ready;
  ASSERT_EQ(api_->Event_Set(&set), nullptr);
  std::vector<float> out(4, -1.0f);
  BPL_Buffer_ToHost_Args to_host{};
  to_host.struct_size = BPL_Buffer_ToHost_Args_STRUCT_SIZE;
  to_host.buffer = upload.out_buffer;
  to_host.dst = out.data();
  to_host.dst_size = out.size() * sizeof(float);
  ASSERT_EQ(Take(api_->Buffer_ToHost(&to_host)).first, 0);
  BPL_Event_Await_Args await{};
  await.struct_size = BPL_Event_Await_Args_STRUCT_SIZE;
  await.event = to_host.out_event;
  EXPECT_EQ(Take(api_->Event_Await(&await)).first, 0);
  EXPECT_EQ(out, (std::vector<float>{0, 2, 4, 6}));
  await.event = upload.out_done_with_host_buffer;
  EXPECT_EQ(Take(api_->Event_Await(&await)).first, 0);
  Destroy(to_host.out_event);
  Destroy(upload.out_done_with_host_buffer);
  Destroy(input_ready);
  BPL_Buffer_Destroy_Args destroy_buffer{};
  destroy_buffer.struct_size = BPL_Buffer_Destroy_Args_STRUCT_SIZE;
  destroy_buffer.buffer = upload.out_buffer;
  EXPECT_EQ(api_->Buffer_Destroy(&destroy_buffer), nullptr);
  BPL_Client_Destroy_Args destroy_client{};
  destroy_client.struct_size = BPL_Client_Destroy_Args_STRUCT_SIZE;
  destroy_client.client = create.out_client;
  EXPECT_EQ(api_->Client_Destroy(&destroy_client), nullptr);
}

TEST_P(KitRegressions, PendingUploadOutlivesItsBufferAndClient) {
  BPL_Client_Create_Args create{};
  create.struct_size = BPL_Client_Create_Args_STRUCT_SIZE;
  ASSERT_EQ(api_->Client_Create(&create), nullptr);
  BPL_Client_Devices_Args devices{};
  devices.struct_size = BPL_Client_Devices_Args_STRUCT_SIZE;
  devices.client = create.out_client;
  ASSERT_EQ(api_->Client_AddressableDevices(&devices), nullptr);
  BPL_Event* input_ready = NewEvent();
  static const float kHost[4] = {1, 2, 3, 4};
  const int64_t dims[1] = {4};
  BPL_Client_BufferFromHost_Args upload{};
  upload.struct_size = BPL_Client_BufferFromHost_Args_STRUCT_SIZE;
  upload.client = create.out_client;
  upload.data = kHost;
  upload.element_type = BPL_ELEMENT_TYPE_F32;
  upload.dims = dims;
  upload.num_dims = 1;
  upload.host_buffer_semantics =
      BPL_HOST_BUFFER_IMMUTABLE_UNTIL_TRANSFER_COMPLETES;
  upload.device = devices.out_devices[0];
  upload.wait_events = &input_ready;
  upload.num_wait_events = 1;
  ASSERT_EQ(Take(api_->Client_BufferFromHost(&upload)).first, 0);
  BPL_Buffer_Destroy_Args destroy_buffer{};
  destroy_buffer.struct_size = BPL_Buffer_Destroy_Args_STRUCT_SIZE;
  destroy_buffer.buffer = upload.out_buffer;
  EXPECT_EQ(api_->Buffer_Destroy(&destroy_buffer), nullptr);
  BPL_Client_Destroy_Args destroy_client{};
  destroy_client.struct_size = BPL_Client_Destroy_Args_STRUCT_SIZE;
  destroy_client.client = create.out_client;
  EXPECT_EQ(api_->Client_Destroy(&destroy_client), nullptr);
  // The transfer runs now, with neither its buffer nor its client left.
  BPL_Event_Set_Args set{};
  set.struct_size = BPL_Event_Set_Args_STRUCT_SIZE;
  set.event = input_ready;
  EXPECT_EQ(api_->Event_Set(&set), nullptr);
  BPL_Event_Await_Args await{};
  await.struct_size = BPL_Event_Await_Args_STRUCT_SIZE;
  await.event = upload.out_done_with_host_buffer;
  EXPECT_EQ(Take(api_->Event_Await(&await)).first, 0);
  Destroy(upload.out_done_with_host_buffer);
  Destroy(input_ready);
}

INSTANTIATE_TEST_SUITE_P(Plugins, KitRegressions,
                         ::testing::ValuesIn(DefaultPluginPaths()));

}  // namespace
}  // namespace backplane::fuzz
