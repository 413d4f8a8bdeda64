// Family Client: creation options, platform, devices, memories, lookups.
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::HasSubstr;

class Client : public ConformanceTest {};

TEST_F(Client, UnknownOptionIsInvalidArgumentNamingIt) {
  auto client =
      GetPlugin().CreateClient({{"definitely_not_an_option", int64_t{1}}});
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(client.status().message(), HasSubstr("definitely_not_an_option"));
}

TEST_F(Client, MistypedOptionIsInvalidArgumentNamingIt) {
  auto attributes = GetPlugin().attributes();
  ASSERT_TRUE(attributes.ok());
  std::string option, type;
  for (const NamedValue& v : *attributes) {
    if (v.name != "client_options") continue;
    for (const std::string& spec :
         std::get<std::vector<std::string>>(v.value)) {
      size_t colon = spec.find(':');
      if (colon == std::string::npos) continue;
      option = spec.substr(0, colon);
      type = spec.substr(colon + 1);
      break;
    }
  }
  if (option.empty()) GTEST_SKIP() << "the plugin declares no client options";
  // Give a string to a non-string option, an int to a string option.
  Value wrong = type == "string" ? Value(int64_t{1}) : Value(std::string("x"));
  auto client = GetPlugin().CreateClient({{option, wrong}});
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(client.status().message(), HasSubstr(option));
}

TEST_F(Client, PlatformNameAndVersionAreNonEmpty) {
  auto name = client_.platform_name();
  auto version = client_.platform_version();
  ASSERT_TRUE(name.ok() && version.ok());
  EXPECT_FALSE(name->empty());
  EXPECT_FALSE(version->empty());
}

TEST_F(Client, DevicesHaveUniqueIdsAndLookupFindsEach) {
  auto devices = client_.devices();
  ASSERT_TRUE(devices.ok());
  ASSERT_FALSE(devices->empty());
  std::set<int64_t> ids;
  for (const Device& d : *devices) {
    auto id = d.id();
    ASSERT_TRUE(id.ok());
    EXPECT_TRUE(ids.insert(*id).second) << "duplicate device id " << *id;
    auto found = client_.LookupDevice(*id);
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_EQ(found->get(), d.get());
    EXPECT_FALSE(d.kind()->empty());
    EXPECT_FALSE(d.debug_string()->empty());
    EXPECT_TRUE(d.attributes().ok());
  }
  auto addressable = client_.addressable_devices();
  ASSERT_TRUE(addressable.ok());
  EXPECT_LE(addressable->size(), devices->size());
  for (const Device& d : *addressable) EXPECT_TRUE(*d.is_addressable());
}

TEST_F(Client, LookupOfUnknownIdIsNotFound) {
  auto device = client_.LookupDevice(987654321);
  ASSERT_FALSE(device.ok());
  EXPECT_EQ(device.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(device.status().message(), HasSubstr("987654321"));
  auto negative = client_.LookupDevice(-1);
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(Client, DeviceAndMemoryTopologyIsConsistent) {
  auto memories = client_.memories();
  ASSERT_TRUE(memories.ok());
  auto default_memory = device_.default_memory();
  ASSERT_TRUE(default_memory.ok());
  auto device_memories = device_.memories();
  ASSERT_TRUE(device_memories.ok());
  bool default_listed = false;
  for (const Memory& m : *device_memories) {
    default_listed |= m.get() == default_memory->get();
  }
  EXPECT_TRUE(default_listed)
      << "the default memory is not among the device's memories";
  auto devices_of_memory = default_memory->devices();
  ASSERT_TRUE(devices_of_memory.ok());
  bool device_listed = false;
  for (const Device& d : *devices_of_memory) {
    device_listed |= d.get() == device_.get();
  }
  EXPECT_TRUE(device_listed);
  EXPECT_FALSE(default_memory->kind()->empty());
  auto stats = device_.memory_stats();
  EXPECT_TRUE(stats.ok()) << stats.status();
}

TEST_F(Client, TwoClientsAreIndependent) {
  auto other = GetPlugin().CreateClient();
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->get(), client_.get());
  Device d = (*other->addressable_devices())[0];
  auto x = other->BufferFromVector<int32_t>({1, 2}, {2}, d);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(*x->ToVector<int32_t>(), (std::vector<int32_t>{1, 2}));
}

}  // namespace
}  // namespace backplane::conformance
