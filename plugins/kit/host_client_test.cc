#include "plugins/kit/host_client.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "plugins/kit/event.h"
#include "plugins/kit/fingerprint.h"
#include "plugins/kit/host_buffer.h"
#include "plugins/kit/inputs_ready.h"
#include "plugins/kit/single_memory_device.h"

namespace backplane::kit {
namespace {

class TestDevice : public SingleMemoryDevice {
 public:
  explicit TestDevice(int64_t id) : SingleMemoryDevice(id, "host") {}
  absl::string_view kind() const override { return "test"; }
  std::string debug_string() const override { return "test"; }
};

std::vector<std::unique_ptr<Device>> TestDevices(int n) {
  std::vector<std::unique_ptr<Device>> devices;
  for (int i = 0; i < n; ++i)
    devices.push_back(std::make_unique<TestDevice>(i));
  return devices;
}

class TestClient : public HostClient {
 public:
  explicit TestClient(int n) : HostClient(TestDevices(n)) {}
  absl::string_view platform_name() const override { return "test"; }
  absl::string_view platform_version() const override { return "0"; }
  absl::StatusOr<std::unique_ptr<Executable>> Compile(
      absl::string_view, absl::string_view, const Options&,
      absl::Span<Device* const>) override {
    return absl::UnimplementedError("no compiler");
  }
  absl::StatusOr<std::unique_ptr<Executable>> DeserializeExecutable(
      absl::string_view) override {
    return absl::UnimplementedError("no executables");
  }
};

HostBuffer Host(const float* data, int64_t n, BPL_HostBufferSemantics how) {
  HostBuffer host;
  host.data = data;
  host.shape = Shape{BPL_ELEMENT_TYPE_F32, {n}};
  host.semantics = how;
  return host;
}

std::vector<float> Read(Buffer& buffer, int64_t n) {
  std::vector<float> out(static_cast<size_t>(n));
  EXPECT_TRUE(buffer.CopyToHost(out.data())->Await().ok());
  return out;
}

TEST(SingleMemoryDeviceTest, OwnsOneMemoryOfItsId) {
  TestDevice device(3);
  EXPECT_EQ(device.id(), 3);
  ASSERT_EQ(device.memories().size(), 1u);
  Memory* memory = device.default_memory();
  EXPECT_EQ(device.memories()[0], memory);
  EXPECT_EQ(memory->id(), 3);
  EXPECT_EQ(memory->kind(), "host");
  EXPECT_EQ(memory->devices(), std::vector<Device*>{&device});
}

TEST(HostClientTest, ListsDevicesAndTheirMemoriesInOrder) {
  TestClient client(3);
  std::vector<Device*> devices = client.devices();
  ASSERT_EQ(devices.size(), 3u);
  std::vector<Memory*> memories = client.memories();
  ASSERT_EQ(memories.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(devices[i]->id(), i);
    EXPECT_EQ(memories[i], devices[i]->default_memory());
  }
}

TEST(HostClientTest, CopyDuringCallCopiesBeforeReturning) {
  TestClient client(2);
  Memory* memory = client.memories()[1];
  std::vector<float> data = {1, 2, 3};
  auto result = client.BufferFromHost(
      Host(data.data(), 3, BPL_HOST_BUFFER_COPY_DURING_CALL), memory,
      Event::Ready());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->done_with_host_buffer->IsReady());
  EXPECT_TRUE(result->buffer->ready_event()->IsReady());
  EXPECT_EQ(result->buffer->device(), client.devices()[1]);
  EXPECT_EQ(result->buffer->memory(), memory);
  data = {7, 7, 7};  // The buffer holds its own copy.
  EXPECT_EQ(Read(*result->buffer, 3), (std::vector<float>{1, 2, 3}));
  auto* host = static_cast<HostMemoryBuffer*>(result->buffer.get());
  EXPECT_TRUE(host->owns_memory());
}

TEST(HostClientTest, CopyWaitsForPendingDependencies) {
  TestClient client(1);
  std::vector<float> data = {0, 0};
  auto wait = std::make_shared<Event>();
  auto result = client.BufferFromHost(
      Host(data.data(), 2, BPL_HOST_BUFFER_IMMUTABLE_UNTIL_TRANSFER_COMPLETES),
      client.memories()[0], wait);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->done_with_host_buffer->IsReady());
  EXPECT_FALSE(result->buffer->ready_event()->IsReady());
  data = {4, 5};  // Valid once the dependencies complete.
  ASSERT_TRUE(wait->Set(absl::OkStatus()).ok());
  EXPECT_TRUE(result->done_with_host_buffer->Await().ok());
  EXPECT_EQ(Read(*result->buffer, 2), (std::vector<float>{4, 5}));
}

TEST(HostClientTest, FailedDependencyFailsTheBufferNotTheHostRelease) {
  TestClient client(1);
  std::vector<float> data = {1};
  auto wait = std::make_shared<Event>();
  auto result = client.BufferFromHost(
      Host(data.data(), 1, BPL_HOST_BUFFER_IMMUTABLE_UNTIL_TRANSFER_COMPLETES),
      client.memories()[0], wait);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(wait->Set(absl::AbortedError("producer failed")).ok());
  EXPECT_TRUE(result->done_with_host_buffer->Await().ok());
  EXPECT_EQ(result->buffer->ready_event()->Await().code(),
            absl::StatusCode::kAborted);
}

TEST(HostClientTest, ZeroCopyAliasesTheHostMemory) {
  TestClient client(1);
  std::vector<float> data = {1, 2};
  for (auto how : {BPL_HOST_BUFFER_IMMUTABLE_ZERO_COPY,
                   BPL_HOST_BUFFER_MUTABLE_ZERO_COPY}) {
    auto wait = std::make_shared<Event>();
    auto result = client.BufferFromHost(Host(data.data(), 2, how),
                                        client.memories()[0], wait);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result->done_with_host_buffer->IsReady());
    // Ready exactly when the framework's dependencies are.
    EXPECT_EQ(result->buffer->ready_event(), wait);
    auto* host = static_cast<HostMemoryBuffer*>(result->buffer.get());
    EXPECT_EQ(host->data(), data.data());
    EXPECT_FALSE(host->owns_memory());
    EXPECT_EQ(host->mutable_data() != nullptr,
              how == BPL_HOST_BUFFER_MUTABLE_ZERO_COPY);
    ASSERT_TRUE(wait->Set(absl::OkStatus()).ok());
  }
}

TEST(HostClientTest, EmptyArraysNeedNoData) {
  TestClient client(1);
  float unused = 0;
  HostBuffer host = Host(&unused, 0, BPL_HOST_BUFFER_COPY_DURING_CALL);
  auto result =
      client.BufferFromHost(host, client.memories()[0], Event::Ready());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->buffer->ready_event()->Await().ok());
  EXPECT_EQ(result->buffer->on_device_size(), 0);
}

std::shared_ptr<Buffer> BufferReadyWith(std::shared_ptr<Event> ready) {
  return HostMemoryBuffer::Alias("", Shape{BPL_ELEMENT_TYPE_U8, {0}}, nullptr,
                                 nullptr, false, std::move(ready));
}

TEST(InputsReadyTest, RunsAtOnceWhenEverythingIsComplete) {
  std::vector<std::shared_ptr<Buffer>> buffers = {
      BufferReadyWith(Event::Ready()), BufferReadyWith(Event::Ready())};
  absl::Status status = absl::UnknownError("unset");
  EXPECT_TRUE(InputsComplete(Event::Ready(), buffers, &status));
  EXPECT_TRUE(status.ok());
  int calls = 0;
  WhenInputsReady(nullptr, buffers, [&](const absl::Status& s) {
    EXPECT_TRUE(s.ok());
    ++calls;
  });
  EXPECT_EQ(calls, 1);
}

TEST(InputsReadyTest, PassesTheFirstErrorInOrder) {
  std::vector<std::shared_ptr<Buffer>> buffers = {
      BufferReadyWith(Event::Ready()),
      BufferReadyWith(Event::Ready(absl::InternalError("second"))),
      BufferReadyWith(Event::Ready(absl::AbortedError("third")))};
  absl::Status status;
  ASSERT_TRUE(InputsComplete(Event::Ready(), buffers, &status));
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  ASSERT_TRUE(InputsComplete(Event::Ready(absl::CancelledError("wait")),
                             buffers, &status));
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
}

TEST(InputsReadyTest, WaitsForTheLastPendingInput) {
  auto pending = std::make_shared<Event>();
  auto wait = std::make_shared<Event>();
  std::vector<std::shared_ptr<Buffer>> buffers = {
      BufferReadyWith(Event::Ready()), BufferReadyWith(pending)};
  absl::Status status;
  EXPECT_FALSE(InputsComplete(wait, buffers, &status));
  int calls = 0;
  absl::Status seen = absl::UnknownError("unset");
  WhenInputsReady(wait, buffers, [&calls, &seen](const absl::Status& s) {
    seen = s;
    ++calls;
  });
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(pending->Set(absl::DataLossError("input")).ok());
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(wait->Set(absl::OkStatus()).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(InputsReady(wait, buffers)->IsReady());
}

TEST(FingerprintTest, IsStableAndSeparatesParts) {
  // The value the plugins computed before the kit had this function.
  EXPECT_EQ(Fingerprint("hello-", {"0.1.0", "main", "abc"}),
            "hello-72c44b152ee6388e");
  EXPECT_EQ(Fingerprint("x-", {"ab", "c"}), "x-e167e2510db86aaf");
  EXPECT_EQ(Fingerprint("x-", {"a", "bc"}), "x-e222e9510e576999");
}

}  // namespace
}  // namespace backplane::kit
