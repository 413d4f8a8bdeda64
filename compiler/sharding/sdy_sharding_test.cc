#include "compiler/sharding/sdy_sharding.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::sharding {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SdyShardingTest, MeshesWithAxesAndDeviceIds) {
  absl::StatusOr<Mesh> m = ParseSdyMesh("<[\"x\"=2, \"y\"=4]>");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->axes.size(), 2u);
  EXPECT_EQ(m->axes[1].name, "y");
  EXPECT_EQ(m->num_devices(), 8);
  m = ParseSdyMesh("<[\"a\"=2], device_ids=[1, 0]>");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_THAT(m->device_ids, ElementsAre(1, 0));
  EXPECT_TRUE(ParseSdyMesh("<[]>").ok());
  EXPECT_TRUE(ParseSdyMesh("<[], device_ids=[3]>").ok()) << "maximal mesh";
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : {
           Case{"<[\"a\"=2, \"a\"=2]>", "named once"},
           Case{"<[\"a\"=0]>", "positive size"},
           Case{"<[\"a\"=2], device_ids=[0, 0]>", "permutation of the 2"},
           Case{"<[\"a\"=2048, \"b\"=1024]>", "at most 1048576"},
           Case{"<[a=2]>", "expected '\"'"},
       }) {
    absl::StatusOr<Mesh> bad = ParseSdyMesh(c.text);
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument)
        << c.text;
    EXPECT_THAT(bad.status().message(), HasSubstr(c.error)) << c.text;
  }
}

TEST(SdyShardingTest, DimensionShardingsSubAxesOpenPrioritiesAndSets) {
  absl::StatusOr<SdySharding> s = ParseSdySharding(
      "#sdy.sharding<@mesh, [{\"x\"}, {\"y\":(1)2, ?}p2, {}], "
      "replicated={\"z\"}>");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->mesh_name, "mesh");
  ASSERT_EQ(s->dims.size(), 3u);
  EXPECT_EQ(s->dims[0].axes[0].name, "x");
  EXPECT_EQ(s->dims[1].axes[0].pre_size, 1);
  EXPECT_EQ(s->dims[1].axes[0].size, 2);
  EXPECT_TRUE(s->dims[1].open);
  EXPECT_EQ(s->dims[1].priority, 2);
  EXPECT_TRUE(s->dims[2].axes.empty());
  ASSERT_EQ(s->replicated.size(), 1u);
  s = ParseSdySharding("#sdy.sharding<mesh<[\"a\"=4]>, [{\"a\"}]>");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(s->inline_mesh.has_value());
  EXPECT_EQ(s->inline_mesh->num_devices(), 4);
  EXPECT_THAT(ParseSdySharding("#sdy.sharding<@m, [{\"a\"}").status().message(),
              HasSubstr("expected"));
  EXPECT_THAT(ParseSdySharding("#sdy.sharding<[{}]>").status().message(),
              HasSubstr("@mesh_name or mesh<...>"));
}

TEST(SdyShardingTest, ValidationAgainstMeshAndRank) {
  const Mesh mesh = *ParseSdyMesh("<[\"x\"=2, \"y\"=4, \"z\"=2]>");
  auto check = [&](const std::string& text, int64_t rank) {
    absl::StatusOr<SdySharding> s = ParseSdySharding(text);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? ValidateSdySharding(*s, mesh, rank)
                  : absl::InternalError("parse");
  };
  EXPECT_TRUE(
      check("#sdy.sharding<@m, [{\"x\"}, {\"y\":(1)2}, {\"y\":(2)2}]>", 3)
          .ok());
  EXPECT_TRUE(
      check("#sdy.sharding<@m, [{\"x\", \"z\"}], replicated={\"y\"}>", 1).ok());
  struct Case {
    const char* text;
    int64_t rank;
    const char* error;
  };
  for (const Case& c : {
           Case{"#sdy.sharding<@m, [{\"x\"}]>", 2,
                "shards 1 dimensions but the tensor has 2"},
           Case{"#sdy.sharding<@m, [{\"w\"}]>", 1, "axis \"w\" is not in"},
           Case{"#sdy.sharding<@m, [{\"x\"}, {\"x\"}]>", 2,
                "axis \"x\" is used twice"},
           Case{"#sdy.sharding<@m, [{\"y\":(1)2}, {\"y\"}]>", 2,
                "axis \"y\" is used twice"},
           Case{"#sdy.sharding<@m, [{\"y\":(1)3}]>", 1, "does not divide"},
           Case{"#sdy.sharding<@m, [{\"x\"}], replicated={\"x\"}>", 1,
                "used twice"},
       }) {
    const absl::Status s = check(c.text, c.rank);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(s.message(), HasSubstr(c.error)) << c.text;
  }
}

}  // namespace
}  // namespace backplane::sharding
