#include "plugins/loader/json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::loader {
namespace {

using ::testing::HasSubstr;

TEST(JsonTest, ParsesNestedDocument) {
  auto v = ParseJson(R"( {"a": [1, 2.5e1, -3], "b": {"c": "x\"\u00e9"},
                          "t": true, "f": false, "n": null} )");
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_TRUE(v->is_object());
  const JsonValue* a = v->Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->array().size(), 3u);
  EXPECT_EQ(a->array()[1].number_value(), 25);
  EXPECT_EQ(a->array()[2].number_value(), -3);
  EXPECT_EQ(v->Find("b")->Find("c")->string_value(), "x\"\xc3\xa9");
  EXPECT_TRUE(v->Find("t")->bool_value());
  EXPECT_EQ(v->Find("n")->kind(), JsonValue::Kind::kNull);
  EXPECT_EQ(v->Find("missing"), nullptr);
}

TEST(JsonTest, ErrorsHaveLineAndColumn) {
  auto v = ParseJson("{\n  \"a\": [1,\n  }");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("JSON 3:3"));
}

TEST(JsonTest, RejectsTrailingGarbageAndBadTokens) {
  EXPECT_FALSE(ParseJson("{} x").ok());
  EXPECT_FALSE(ParseJson("[01x]").ok());
  EXPECT_FALSE(ParseJson("\"unterminated").ok());
  EXPECT_FALSE(ParseJson("{\"a\" 1}").ok());
  EXPECT_FALSE(ParseJson("").ok());
}

TEST(JsonTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '[');
  auto v = ParseJson(deep);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("too deep"));
}

}  // namespace
}  // namespace backplane::loader
