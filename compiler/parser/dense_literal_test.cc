#include "compiler/parser/dense_literal.h"

#include <cmath>
#include <complex>

#include "compiler/ir/float16.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::parser {
namespace {

using ir::ElementType;
using ::testing::HasSubstr;

DenseScalar Int(absl::string_view text, bool negative = false) {
  return {DenseScalar::Kind::kInteger, negative, text};
}
DenseScalar Flt(absl::string_view text, bool negative = false) {
  return {DenseScalar::Kind::kFloat, negative, text};
}

DenseElements List(std::vector<DenseScalar> scalars) {
  DenseElements d;
  d.bracketed = true;
  d.shape = {static_cast<int64_t>(scalars.size())};
  for (const DenseScalar& s : scalars) d.elements.push_back({s, {}, false});
  return d;
}

absl::StatusOr<ir::Literal> Build(const DenseElements& d, ElementType t,
                                  std::vector<int64_t> dims) {
  return BuildDenseLiteral(d, ir::TensorType(t, std::move(dims)), 1 << 20);
}

TEST(DenseLiteralTest, IntegerRangesPerWidth) {
  EXPECT_EQ(Build(List({Int("2", true), Int("1")}), ElementType::kS2, {2})
                ->GetAsInt64(0),
            -2);
  EXPECT_FALSE(Build(List({Int("2")}), ElementType::kS2, {1}).ok());
  EXPECT_FALSE(Build(List({Int("4")}), ElementType::kU2, {1}).ok());
  EXPECT_FALSE(Build(List({Int("1", true)}), ElementType::kU8, {1}).ok());
  EXPECT_EQ(Build(List({Int("0xF")}), ElementType::kS4, {1})->GetAsInt64(0),
            -1);
  EXPECT_THAT(
      std::string(
          Build(List({Int("128")}), ElementType::kS8, {1}).status().message()),
      HasSubstr("integer 128 is out of range for i8"));
  EXPECT_EQ(
      Build(List({Int("9223372036854775808", true)}), ElementType::kS64, {1})
          ->GetAsInt64(0),
      INT64_MIN);
  EXPECT_FALSE(
      Build(List({Int("18446744073709551616")}), ElementType::kU64, {1}).ok());
  EXPECT_FALSE(Build(List({Flt("1.5")}), ElementType::kS32, {1}).ok());
}

TEST(DenseLiteralTest, FloatsHexPatternsAndRounding) {
  auto h = Build(List({Flt("65520.0"), Int("0x7E00"), Flt("1.0", true)}),
                 ElementType::kF16, {3});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->data<uint16_t>()[0], 0x7C00);  // rounds to +inf
  EXPECT_EQ(h->data<uint16_t>()[1], 0x7E00);
  EXPECT_EQ(h->data<uint16_t>()[2], 0xBC00);
  auto bf = Build(List({Flt("1.00390625")}), ElementType::kBF16, {1});
  EXPECT_EQ(bf->data<uint16_t>()[0], 0x3F80);  // ties to even
  EXPECT_FALSE(Build(List({Int("0x1FFFF")}), ElementType::kF16, {1}).ok());
  auto d = Build(List({Int("0xFFF8000000000000")}), ElementType::kF64, {1});
  EXPECT_TRUE(std::isnan(d->GetAsDouble(0)));
  auto i = Build(List({Int("3")}), ElementType::kF32, {1});
  EXPECT_EQ(i->GetAsDouble(0), 3.0);
  auto f8 = Build(List({Flt("448.0")}), ElementType::kF8E4M3FN, {1});
  EXPECT_EQ(f8->GetAsDouble(0), 448.0);
}

TEST(DenseLiteralTest, SplatsComplexBoolAndHex) {
  DenseElements splat;
  splat.elements.push_back({Flt("2.5"), {}, false});
  auto s = Build(splat, ElementType::kF64, {2, 3});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->GetAsDouble(5), 2.5);

  DenseElements c;
  c.bracketed = true;
  c.shape = {1};
  c.elements.push_back({Flt("1.0"), Flt("2.0", true), true});
  auto cl = Build(c, ElementType::kC64, {1});
  ASSERT_TRUE(cl.ok());
  EXPECT_EQ(cl->data<std::complex<float>>()[0], std::complex<float>(1, -2));
  EXPECT_FALSE(Build(List({Flt("1.0")}), ElementType::kC64, {1}).ok());
  EXPECT_FALSE(Build(c, ElementType::kF32, {1}).ok());

  DenseElements b = List({{DenseScalar::Kind::kBool, false, "true"},
                          {DenseScalar::Kind::kBool, false, "false"}});
  EXPECT_EQ(Build(b, ElementType::kPred, {2})->GetAsInt64(0), 1);
  EXPECT_FALSE(Build(b, ElementType::kS32, {2}).ok());

  DenseElements hex;
  hex.is_hex = true;
  hex.hex_bytes = std::string("\x00\x00\x80\x3F", 4);
  auto hs = Build(hex, ElementType::kF32, {3});  // one element: splat
  EXPECT_EQ(hs->GetAsDouble(2), 1.0);
  EXPECT_FALSE(Build(hex, ElementType::kF64, {1}).ok());
  EXPECT_EQ(*DecodeHexBytes("0x0aFF"), std::string("\x0a\xff", 2));
  EXPECT_FALSE(DecodeHexBytes("0x0").ok());
  EXPECT_FALSE(DecodeHexBytes("0xZZ").ok());
}

TEST(DenseLiteralTest, ShapeAndSizeChecks) {
  EXPECT_THAT(
      std::string(Build(List({Int("1"), Int("2")}), ElementType::kS32, {3})
                      .status()
                      .message()),
      HasSubstr("literal shape [2] does not match type tensor<3xi32>"));
  // A single bracketed element acts as a splat.
  EXPECT_EQ(Build(List({Int("7")}), ElementType::kS32, {4})->GetAsInt64(3), 7);
  auto big = BuildDenseLiteral(
      List({Int("1")}), ir::TensorType(ElementType::kF32, {1 << 20}), 1 << 20);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(
      CheckLiteralSize(ir::TensorType(ElementType::kF32, {-1}), 100).ok());
}

}  // namespace
}  // namespace backplane::parser
