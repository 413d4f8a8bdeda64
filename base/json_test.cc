#include "base/json.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::base {
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
}  // namespace backplane::base

namespace backplane::base {
namespace {

TEST(JsonWriterTest, WritesCompactAndIndented) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a").Int(-3);
  w.Key("b").BeginArray().String("x\"\n\x01").Bool(true).Null().EndArray();
  w.Key("c").BeginObject().EndObject();
  w.Key("d").Double(0.5);
  w.EndObject();
  EXPECT_EQ(w.text(),
            "{\"a\": -3, \"b\": [\"x\\\"\\n\\u0001\", true, null], \"c\": {}, "
            "\"d\": 0.5}");
  JsonWriter p(2);
  p.BeginObject().Key("k").BeginArray().Int(1).Int(2).EndArray().EndObject();
  EXPECT_EQ(p.text(), "{\n  \"k\": [\n    1,\n    2\n  ]\n}");
}

TEST(JsonWriterTest, OutputParsesBackAndNonFiniteIsNull) {
  JsonWriter w;
  w.BeginArray()
      .Double(1e300)
      .Double(std::nan(""))
      .String("\xc3\xa9")
      .EndArray();
  auto v = ParseJson(w.text());
  ASSERT_TRUE(v.ok()) << v.status() << " in " << w.text();
  ASSERT_EQ(v->array().size(), 3u);
  EXPECT_EQ(v->array()[0].number_value(), 1e300);
  EXPECT_EQ(v->array()[1].kind(), JsonValue::Kind::kNull);
  EXPECT_EQ(v->array()[2].string_value(), "\xc3\xa9");
  EXPECT_EQ(JsonQuote("a\\b"), "\"a\\\\b\"");
}

}  // namespace
}  // namespace backplane::base
