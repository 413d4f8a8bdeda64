#include "compiler/sharding/hlo_sharding.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::sharding {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

HloSharding Parse(const std::string& text) {
  absl::StatusOr<HloSharding> s = ParseHloSharding(text);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : HloSharding();
}

TEST(HloShardingTest, SimpleKindsRoundTrip) {
  for (const char* text :
       {"{replicated}", "{manual}", "{unknown}", "{maximal device=3}"}) {
    EXPECT_EQ(ToString(Parse(text)), text);
  }
  EXPECT_EQ(Parse("{maximal device=3}").device, 3);
  EXPECT_EQ(Parse("{ replicated }").kind, HloSharding::Kind::kReplicated);
}

TEST(HloShardingTest, ExplicitDeviceListsAndReplicatedLastDim) {
  HloSharding s = Parse("{devices=[2,1,2]0,2,1,3 last_tile_dim_replicate}");
  EXPECT_EQ(s.kind, HloSharding::Kind::kTiled);
  EXPECT_THAT(s.tile_dims, ElementsAre(2, 1, 2));
  EXPECT_THAT(s.devices, ElementsAre(0, 2, 1, 3));
  EXPECT_TRUE(s.last_tile_dim_replicate);
  EXPECT_EQ(s.tiled_rank(), 2);
  EXPECT_EQ(ToString(s), "{devices=[2,1,2]0,2,1,3 last_tile_dim_replicate}");
  EXPECT_TRUE(ValidateHloSharding(s, 2, 4).ok());
}

TEST(HloShardingTest, IotaListsExpandWithTheirTranspose) {
  // 0..5 as [2,3], transposed to [3,2]: rows (0,3), (1,4), (2,5).
  HloSharding s = Parse("{devices=[6]<=[2,3]T(1,0)}");
  EXPECT_THAT(s.devices, ElementsAre(0, 3, 1, 4, 2, 5));
  EXPECT_EQ(ToString(s), "{devices=[6]<=[2,3]T(1,0)}");
  EXPECT_THAT(Parse("{devices=[2,2]<=[4]}").devices, ElementsAre(0, 1, 2, 3));
  // [2,2,2] with T(2,0,1): out[i][j][k] = in[j][k][i].
  EXPECT_THAT(Parse("{devices=[8]<=[2,2,2]T(2,0,1)}").devices,
              ElementsAre(0, 2, 4, 6, 1, 3, 5, 7));
}

TEST(HloShardingTest, SubgroupsTuplesAndMetadata) {
  HloSharding s =
      Parse("{devices=[2,2,2]<=[8] last_tile_dims={manual, replicated}}");
  EXPECT_THAT(s.last_tile_dims,
              ElementsAre(SubgroupKind::kManual, SubgroupKind::kReplicated));
  EXPECT_EQ(s.tiled_rank(), 1);
  EXPECT_EQ(ToString(s),
            "{devices=[2,2,2]<=[8] last_tile_dims={manual, replicated}}");
  HloSharding t = Parse(
      "{{replicated}, {devices=[2]0,1 metadata={op_name=\"a}b\"}}, "
      "{maximal device=0}}");
  ASSERT_EQ(t.kind, HloSharding::Kind::kTuple);
  ASSERT_EQ(t.tuple.size(), 3u);
  EXPECT_EQ(ToString(t),
            "{{replicated}, {devices=[2]0,1}, {maximal device=0}}");
}

TEST(HloShardingTest, MalformedTextNamesTheOffset) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : {
           Case{"replicated", "offset 0: expected '{'"},
           Case{"{replicated", "expected '}'"},
           Case{"{devices=[2,2]0,1,2}", "expected ','"},
           Case{"{devices=[2]<=[3]}", "an iota list of 2 devices"},
           Case{"{devices=[4]<=[2,2]T(0,0)}", "T(...) to permute the 2"},
           Case{"{devices=[0]}", "positive sizes"},
           Case{"{devices=[1048576,1048576]<=[4]}", "at most 1048576"},
           Case{"{devices=[2]0,1 last_tile_dims={bogus}}", "'manual' or"},
           Case{"{devices=[2]0,1 last_tile_dims={manual, replicated}}",
                "tile dims for the replicated"},
           Case{"{tiled}", "replicated, manual, unknown"},
           Case{"{replicated} x", "the end after the sharding"},
       }) {
    absl::StatusOr<HloSharding> s = ParseHloSharding(c.text);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(s.status().message(), HasSubstr(c.error)) << c.text;
  }
}

TEST(HloShardingTest, ValidationAgainstTensorAndDevices) {
  EXPECT_THAT(
      ValidateHloSharding(Parse("{devices=[2,2]<=[4]}"), 3, 4).message(),
      HasSubstr("tiles 2 dimensions but the tensor has 3"));
  EXPECT_THAT(ValidateHloSharding(Parse("{devices=[2]0,0}"), 1, 4).message(),
              HasSubstr("device 0 is listed twice"));
  EXPECT_THAT(ValidateHloSharding(Parse("{devices=[2]0,5}"), 1, 4).message(),
              HasSubstr("device 5 is not one of the 4 devices"));
  EXPECT_THAT(ValidateHloSharding(Parse("{maximal device=4}"), 2, 4).message(),
              HasSubstr("device 4 is not one of the 4"));
  EXPECT_THAT(ValidateHloSharding(Parse("{{replicated}}"), 0, 1).message(),
              HasSubstr("tuple"));
  EXPECT_TRUE(ValidateHloSharding(Parse("{replicated}"), 5, 1).ok());
  EXPECT_TRUE(ValidateHloSharding(Parse("{devices=[1,2]<=[2]}"), 2, 2).ok());
}

}  // namespace
}  // namespace backplane::sharding
