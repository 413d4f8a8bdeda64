// Tests of the STATS formatting of plugin statistics.
#include "tools/bpl_run/statistics_json.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace backplane::bpl_run {
namespace {

TEST(IsJsonObjectOrArrayTest, AcceptsContainersOnly) {
  EXPECT_TRUE(IsJsonObjectOrArray("{}"));
  EXPECT_TRUE(IsJsonObjectOrArray(" [1, -2.5e3, \"a\\\"b\\u00e9\", true] \n"));
  EXPECT_TRUE(IsJsonObjectOrArray(
      R"({"ops":[{"op":"dot","cycles":12,"x":null}],"n":0.5})"));
  EXPECT_FALSE(IsJsonObjectOrArray(""));
  EXPECT_FALSE(IsJsonObjectOrArray("12"));
  EXPECT_FALSE(IsJsonObjectOrArray("\"text\""));
  EXPECT_FALSE(IsJsonObjectOrArray("[1,]"));
  EXPECT_FALSE(IsJsonObjectOrArray("{\"a\" 1}"));
  EXPECT_FALSE(IsJsonObjectOrArray("{\"a\":1} trailing"));
  EXPECT_FALSE(IsJsonObjectOrArray("[01]"));
  EXPECT_FALSE(IsJsonObjectOrArray("[\"tab\there\"]"));
  EXPECT_FALSE(IsJsonObjectOrArray("[\"\\x\"]"));
  EXPECT_FALSE(IsJsonObjectOrArray("[tru]"));
  EXPECT_FALSE(IsJsonObjectOrArray("{\"a\":[1,2}"));
}

TEST(IsJsonObjectOrArrayTest, DeepNestingIsRejectedNotRecursedInto) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(IsJsonObjectOrArray(deep));
  const std::string ok = std::string(60, '[') + std::string(60, ']');
  EXPECT_TRUE(IsJsonObjectOrArray(ok));
}

TEST(StatisticsJsonMembersTest, FormatsEveryValueType) {
  const std::vector<NamedValue> values = {
      {"wall_ns", int64_t{1500}},
      {"cycles", int64_t{42}},
      {"utilization", 0.25},
      {"timing_model", std::string("roofline \"v2\"")},
      {"ops_json", std::string("[{\"op\":\"add\",\"cycles\":3}]")},
      {"fallback", false},
      {"dims", std::vector<int64_t>{2, 3}},
      {"units", std::vector<std::string>{"mxu", "vpu"}},
      {"not_json", std::string("[broken")},
  };
  EXPECT_EQ(StatisticsJsonMembers(values, 99),
            "\"wall_ns\":1500,\"cycles\":42,\"utilization\":0.25,"
            "\"timing_model\":\"roofline \\\"v2\\\"\","
            "\"ops_json\":[{\"op\":\"add\",\"cycles\":3}],\"fallback\":false,"
            "\"dims\":[2,3],\"units\":[\"mxu\",\"vpu\"],"
            "\"not_json\":\"[broken\"");
}

TEST(StatisticsJsonMembersTest, MeasuredWallTimeWhenThePluginGivesNone) {
  EXPECT_EQ(StatisticsJsonMembers({}, 1234), "\"wall_ns\":1234");
  EXPECT_EQ(StatisticsJsonMembers({{"temp_bytes", int64_t{8}}}, 7),
            "\"wall_ns\":7,\"temp_bytes\":8");
}

TEST(StatisticsJsonMembersTest, NonFiniteDoublesAndRepeatedNames) {
  const std::vector<NamedValue> values = {
      {"a", std::numeric_limits<double>::quiet_NaN()},
      {"b", std::numeric_limits<double>::infinity()},
      {"c", -std::numeric_limits<double>::infinity()},
      {"a", int64_t{3}},
  };
  EXPECT_EQ(StatisticsJsonMembers(values, 5),
            "\"wall_ns\":5,\"a\":\"nan\",\"b\":\"inf\",\"c\":\"-inf\"");
}

}  // namespace
}  // namespace backplane::bpl_run
