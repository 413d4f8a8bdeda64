// Family Buffer: every element type, shapes, strides, the four host-buffer
// semantics, transfers, copies, ready events, delete versus destroy.
#include <complex>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Buffers : public ConformanceTest {
 protected:
  // Uploads `bytes` as `type`[n], downloads, and compares bytewise.
  void RoundTrip(BPL_ElementType type, const std::vector<uint8_t>& bytes) {
    const int size = ElementTypeByteSize(type);
    ASSERT_GT(size, 0);
    const int64_t n = static_cast<int64_t>(bytes.size()) / size;
    auto result =
        client_.BufferFromHost(bytes.data(), Shape{type, {n}}, device_);
    ASSERT_TRUE(result.ok())
        << ElementTypeName(type) << ": " << result.status();
    auto shape = result->buffer.shape();
    ASSERT_TRUE(shape.ok());
    EXPECT_EQ(shape->element_type, type);
    EXPECT_EQ(shape->dims, std::vector<int64_t>{n});
    std::vector<uint8_t> back(bytes.size(), 0xEE);
    auto done = result->buffer.ToHost(back.data(), back.size());
    ASSERT_TRUE(done.ok()) << done.status();
    ASSERT_TRUE(AwaitWithTimeout(*done).ok());
    EXPECT_EQ(back, bytes) << ElementTypeName(type);
  }
};

TEST_F(Buffers, EveryElementTypeRoundTrips) {
  // Values valid for each type's storage convention (docs/abi.md).
  RoundTrip(BPL_ELEMENT_TYPE_PRED, {0, 1, 1, 0});
  RoundTrip(BPL_ELEMENT_TYPE_S2, {0xFE, 0xFF, 0, 1});  // -2 -1 0 1
  RoundTrip(BPL_ELEMENT_TYPE_S4, {0xF8, 0xFF, 0, 7});  // -8 -1 0 7
  RoundTrip(BPL_ELEMENT_TYPE_U2, {0, 1, 2, 3});
  RoundTrip(BPL_ELEMENT_TYPE_U4, {0, 5, 10, 15});
  std::vector<uint8_t> ramp(64);
  std::iota(ramp.begin(), ramp.end(), 0);
  for (BPL_ElementType t :
       {BPL_ELEMENT_TYPE_S8, BPL_ELEMENT_TYPE_S16, BPL_ELEMENT_TYPE_S32,
        BPL_ELEMENT_TYPE_S64, BPL_ELEMENT_TYPE_U8, BPL_ELEMENT_TYPE_U16,
        BPL_ELEMENT_TYPE_U32, BPL_ELEMENT_TYPE_U64, BPL_ELEMENT_TYPE_F16,
        BPL_ELEMENT_TYPE_BF16, BPL_ELEMENT_TYPE_F32, BPL_ELEMENT_TYPE_F64,
        BPL_ELEMENT_TYPE_C64, BPL_ELEMENT_TYPE_C128}) {
    RoundTrip(t, ramp);
  }
}

// ABI 1.1 added the small float formats; a buffer only stores their bit
// patterns, so every plugin of minor >= 1 must carry them unchanged.
TEST_F(Buffers, SmallFloatTypesRoundTrip) {
  if (Api()->abi_minor < 1) {
    GTEST_SKIP() << "the plugin implements ABI 1." << Api()->abi_minor
                 << "; small float element types arrived in 1.1";
  }
  std::vector<uint8_t> byte_patterns(256);
  std::iota(byte_patterns.begin(), byte_patterns.end(), 0);
  for (BPL_ElementType t :
       {BPL_ELEMENT_TYPE_F8E5M2, BPL_ELEMENT_TYPE_F8E4M3FN,
        BPL_ELEMENT_TYPE_F8E4M3, BPL_ELEMENT_TYPE_F8E3M4,
        BPL_ELEMENT_TYPE_F8E4M3FNUZ, BPL_ELEMENT_TYPE_F8E5M2FNUZ,
        BPL_ELEMENT_TYPE_F8E4M3B11FNUZ, BPL_ELEMENT_TYPE_F8E8M0FNU}) {
    RoundTrip(t, byte_patterns);
  }
  std::vector<uint8_t> six_bits(64);
  std::iota(six_bits.begin(), six_bits.end(), 0);
  RoundTrip(BPL_ELEMENT_TYPE_F6E2M3FN, six_bits);
  RoundTrip(BPL_ELEMENT_TYPE_F6E3M2FN, six_bits);
  six_bits.resize(16);
  RoundTrip(BPL_ELEMENT_TYPE_F4E2M1FN, six_bits);
}

TEST_F(Buffers, ScalarAndZeroSizedShapes) {
  Buffer scalar = Upload<float>({3.5f}, {});
  EXPECT_THAT(Download<float>(scalar), ElementsAre(3.5f));
  EXPECT_EQ(scalar.shape()->dims.size(), 0u);
  Buffer empty = Upload<float>({}, {0, 4});
  EXPECT_EQ(empty.shape()->dims, (std::vector<int64_t>{0, 4}));
  EXPECT_TRUE(Download<float>(empty).empty());
  auto size = empty.HostSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 0u);
}

TEST_F(Buffers, LargeBufferRoundTrips) {
  std::vector<float> big(16 << 20);  // 64 MiB
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<float>(i % 9973);
  Buffer x = Upload<float>(big, {static_cast<int64_t>(big.size())});
  std::vector<float> back = Download<float>(x);
  ASSERT_EQ(back.size(), big.size());
  EXPECT_TRUE(back == big);
}

TEST_F(Buffers, StridedHostInputIsGathered) {
  // A 2x3 view of a 2x4 row-major array (the last column skipped), and a
  // transposed view.
  const float base[8] = {1, 2, 3, 99, 4, 5, 6, 99};
  BufferFromHostOptions options;
  options.byte_strides = {4 * sizeof(float), sizeof(float)};
  auto view = client_.BufferFromHost(base, Shape{BPL_ELEMENT_TYPE_F32, {2, 3}},
                                     device_, options);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_THAT(Download<float>(view->buffer), ElementsAre(1, 2, 3, 4, 5, 6));
  options.byte_strides = {sizeof(float), 4 * sizeof(float)};
  auto transposed = client_.BufferFromHost(
      base, Shape{BPL_ELEMENT_TYPE_F32, {3, 2}}, device_, options);
  ASSERT_TRUE(transposed.ok()) << transposed.status();
  EXPECT_THAT(Download<float>(transposed->buffer),
              ElementsAre(1, 4, 2, 5, 3, 6));
  options.byte_strides = {4};  // Wrong count.
  auto bad = client_.BufferFromHost(base, Shape{BPL_ELEMENT_TYPE_F32, {2, 3}},
                                    device_, options);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(Buffers, CopyDuringCallAllowsImmediateReuse) {
  std::vector<float> host = {1, 2, 3, 4};
  auto result = client_.BufferFromHost(
      host.data(), Shape{BPL_ELEMENT_TYPE_F32, {4}}, device_);
  ASSERT_TRUE(result.ok());
  std::fill(host.begin(), host.end(), -1.0f);
  EXPECT_THAT(Download<float>(result->buffer), ElementsAre(1, 2, 3, 4));
}

TEST_F(Buffers, ImmutableUntilTransferCompletesSignalsDone) {
  std::vector<float> host = {1, 2, 3, 4};
  BufferFromHostOptions options;
  options.semantics = BPL_HOST_BUFFER_IMMUTABLE_UNTIL_TRANSFER_COMPLETES;
  auto result = client_.BufferFromHost(
      host.data(), Shape{BPL_ELEMENT_TYPE_F32, {4}}, device_, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->done_with_host_buffer.valid());
  ASSERT_TRUE(AwaitWithTimeout(result->done_with_host_buffer).ok());
  std::fill(host.begin(), host.end(), -1.0f);
  EXPECT_THAT(Download<float>(result->buffer), ElementsAre(1, 2, 3, 4));
}

TEST_F(Buffers, ImmutableZeroCopyDataIsNeverWritten) {
  REQUIRE_CAPABILITY("execute");
  std::vector<float> host = {1, 2, 3, 4};
  const std::vector<float> original = host;
  BufferFromHostOptions options;
  options.semantics = BPL_HOST_BUFFER_IMMUTABLE_ZERO_COPY;
  auto a = client_.BufferFromHost(host.data(), Shape{BPL_ELEMENT_TYPE_F32, {4}},
                                  device_, options);
  ASSERT_TRUE(a.ok()) << a.status();
  Buffer b = Upload<float>({10, 20, 30, 40}, {4});
  // Even when the program may donate parameter 0, the plugin must not write
  // into memory it was given as immutable.
  Executable exe = CompileOrDie(
      kAddProgram, {{"donated_parameters", std::vector<int64_t>{0}}});
  auto out = exe.ExecuteOnOneDevice({&a->buffer, &b});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(Download<float>((*out)[0]), ElementsAre(11, 22, 33, 44));
  EXPECT_EQ(host, original);
}

TEST_F(Buffers, MutableZeroCopyBufferReadsHostMemory) {
  std::vector<int32_t> host = {5, 6, 7};
  BufferFromHostOptions options;
  options.semantics = BPL_HOST_BUFFER_MUTABLE_ZERO_COPY;
  auto a = client_.BufferFromHost(host.data(), Shape{BPL_ELEMENT_TYPE_S32, {3}},
                                  device_, options);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_THAT(Download<int32_t>(a->buffer), ElementsAre(5, 6, 7));
}

TEST_F(Buffers, SizeQueryAndAsyncToHost) {
  Buffer x = Upload<double>({1.5, 2.5}, {2});
  auto size = x.HostSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 2 * sizeof(double));
  std::vector<double> back(2);
  auto event = x.ToHost(back.data(), *size);
  ASSERT_TRUE(event.ok());
  ASSERT_TRUE(AwaitWithTimeout(*event).ok());
  EXPECT_THAT(back, ElementsAre(1.5, 2.5));
  auto on_device = x.on_device_size();
  ASSERT_TRUE(on_device.ok());
  EXPECT_GE(*on_device, 0u);
}

TEST_F(Buffers, ReadyEventCompletes) {
  Buffer x = Upload<float>({1}, {1});
  auto ready = x.ReadyEvent();
  ASSERT_TRUE(ready.ok()) << ready.status();
  EXPECT_TRUE(AwaitWithTimeout(*ready).ok());
  EXPECT_TRUE(*ready->IsReady());
}

TEST_F(Buffers, DeviceAndMemoryOfABuffer) {
  Buffer x = Upload<float>({1}, {1});
  auto device = x.device();
  ASSERT_TRUE(device.ok());
  EXPECT_EQ(device->get(), device_.get());
  auto memory = x.memory();
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ(memory->get(), device_.default_memory()->get());
}

TEST_F(Buffers, DeleteKeepsHandleForQueriesButNotForData) {
  Buffer x = Upload<float>({1, 2}, {2});
  EXPECT_FALSE(*x.IsDeleted());
  ASSERT_TRUE(x.Delete().ok());
  EXPECT_TRUE(*x.IsDeleted());
  auto shape = x.shape();
  ASSERT_TRUE(shape.ok());
  EXPECT_EQ(shape->dims, (std::vector<int64_t>{2}));
  std::vector<float> back(2);
  auto to_host = x.ToHost(back.data(), 8);
  EXPECT_EQ(to_host.status().code(), absl::StatusCode::kFailedPrecondition);
  auto ready = x.ReadyEvent();
  EXPECT_EQ(ready.status().code(), absl::StatusCode::kFailedPrecondition);
  // Deleting twice is harmless.
  EXPECT_TRUE(x.Delete().ok());
}

TEST_F(Buffers, UseAfterDeleteAsArgumentIsAnError) {
  REQUIRE_CAPABILITY("execute");
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  Buffer b = Upload<float>({1, 2, 3, 4}, {4});
  ASSERT_TRUE(a.Delete().ok());
  Executable exe = CompileOrDie(kAddProgram);
  auto out = exe.ExecuteOnOneDevice({&a, &b});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(), HasSubstr("deleted"));
}

TEST_F(Buffers, CopyToAnotherDevice) {
  REQUIRE_CAPABILITY("copy_between_devices");
  auto devices = client_.addressable_devices();
  ASSERT_TRUE(devices.ok());
  if (devices->size() < 2) GTEST_SKIP() << "needs two addressable devices";
  Buffer x = Upload<float>({1, 2, 3}, {3});
  auto copy = x.CopyToDevice((*devices)[1]);
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(copy->device()->get(), (*devices)[1].get());
  EXPECT_THAT(Download<float>(*copy), ElementsAre(1, 2, 3));
}

TEST_F(Buffers, CopyToMemoryOfTheSameDevice) {
  Buffer x = Upload<int64_t>({-1, 2}, {2});
  auto memory = device_.default_memory();
  ASSERT_TRUE(memory.ok());
  auto copy = x.CopyToMemory(*memory);
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_THAT(Download<int64_t>(*copy), ElementsAre(-1, 2));
}

}  // namespace
}  // namespace backplane::conformance
