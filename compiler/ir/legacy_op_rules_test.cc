// The verifier's rules for the legacy ops: well-typed programs pass, and
// each wrong result type or attribute is rejected with a message naming it.
#include "compiler/ir/legacy_op_rules.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::ir {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Verifies `func.func @main(<args>) { <line> }` where the line defines %r.
absl::Status VerifyLine(const std::string& args, const std::string& line) {
  absl::StatusOr<std::unique_ptr<Module>> m = parser::ParseModule(absl::StrCat(
      "func.func @main(", args, ") {\n  ", line, "\n  func.return\n}\n"));
  if (!m.ok()) return m.status();
  return VerifyModule(**m);
}

TEST(LegacyOpRulesTest, AcceptsWellTypedOps) {
  const std::string bn_args =
      "%x: tensor<3x2xf32>, %s: tensor<2xf32>, %g: tensor<3x2xf32>";
  EXPECT_TRUE(
      VerifyLine(
          bn_args,
          R"(%r = "stablehlo.batch_norm_inference"(%x, %s, %s, %s, %s) {epsilon = 1.0e-3 : f32, feature_index = 1 : i64} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>)")
          .ok());
  EXPECT_TRUE(
      VerifyLine(
          bn_args,
          R"(%r:3 = "stablehlo.batch_norm_training"(%x, %s, %s) {epsilon = 1.0e-3 : f32, feature_index = 1 : i64} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>))")
          .ok());
  EXPECT_TRUE(
      VerifyLine(
          bn_args,
          R"(%r:3 = "stablehlo.batch_norm_grad"(%x, %s, %s, %s, %g) {epsilon = 1.0e-3 : f32, feature_index = 1 : i64} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>))")
          .ok());
  EXPECT_TRUE(
      VerifyLine(
          "%a: tensor<2x3xf32>, %b: tensor<3x4xf32>",
          R"(%r = "stablehlo.einsum"(%a, %b) {einsum_config = "ij,jk->ki"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<4x2xf32>)")
          .ok());
  EXPECT_TRUE(
      VerifyLine(
          "%a: tensor<3x3xf32>",
          R"(%r = "stablehlo.unary_einsum"(%a) {einsum_config = "ii->"} : (tensor<3x3xf32>) -> tensor<f32>)")
          .ok());
  EXPECT_TRUE(
      VerifyLine(
          "%a: tensor<2x5x3xf32>, %i: tensor<2x4xi32>",
          R"(%r = "stablehlo.torch_index_select"(%a, %i) {dim = 1 : i64, batch_dims = 1 : i64} : (tensor<2x5x3xf32>, tensor<2x4xi32>) -> tensor<2x4x3xf32>)")
          .ok());
  EXPECT_TRUE(
      VerifyLine(
          "%a: tensor<2x5xf32>, %n: tensor<i32>",
          R"(%r = "stablehlo.set_dimension_size"(%a, %n) {dimension = 1 : i64} : (tensor<2x5xf32>, tensor<i32>) -> tensor<2x5xf32>)")
          .ok());
  EXPECT_TRUE(
      VerifyLine(
          "%a: tensor<f32>, %b: tensor<f32>, %s: tensor<2xi64>",
          R"(%r = stablehlo.rng %a, %b, %s, distribution = NORMAL : (tensor<f32>, tensor<f32>, tensor<2xi64>) -> tensor<3x4xf32>)")
          .ok());
}

TEST(LegacyOpRulesTest, RejectsWrongTypesAndAttributes) {
  auto message = [](const std::string& args, const std::string& line) {
    absl::Status s = VerifyLine(args, line);
    EXPECT_FALSE(s.ok()) << line;
    return std::string(s.message());
  };
  EXPECT_THAT(
      message(
          "%x: tensor<3x2xf32>, %s: tensor<3xf32>",
          R"(%r = "stablehlo.batch_norm_inference"(%x, %s, %s, %s, %s) {epsilon = 1.0e-3 : f32, feature_index = 1 : i64} : (tensor<3x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3x2xf32>)"),
      HasSubstr("expected tensor<2xf32>"));
  EXPECT_THAT(
      message(
          "%x: tensor<3x2xf32>, %s: tensor<2xf32>",
          R"(%r:3 = "stablehlo.batch_norm_training"(%x, %s, %s) {epsilon = 1.0e-3 : f32, feature_index = 2 : i64} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>))"),
      HasSubstr("feature_index 2"));
  EXPECT_THAT(
      message(
          "%x: tensor<3x2xf32>, %s: tensor<2xf32>",
          R"(%r:3 = "stablehlo.batch_norm_training"(%x, %s, %s) {epsilon = 1.0e-3 : f32, feature_index = 1 : i64} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, tensor<3xf32>, tensor<2xf32>))"),
      HasSubstr("result #1"));
  EXPECT_THAT(
      message(
          "%a: tensor<2x3xf32>, %b: tensor<3x4xf32>",
          R"(%r = "stablehlo.einsum"(%a, %b) {einsum_config = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<4x2xf32>)"),
      HasSubstr("expected tensor<2x4xf32>"));
  EXPECT_THAT(
      message(
          "%a: tensor<2x3xf32>",
          R"(%r = "stablehlo.unary_einsum"(%a) {einsum_config = "ij"} : (tensor<2x3xf32>) -> tensor<2x3xf32>)"),
      HasSubstr("'->'"));
  EXPECT_THAT(
      message(
          "%a: tensor<3x2xf32>, %i: tensor<2xi32>",
          R"(%r = "stablehlo.torch_index_select"(%a, %i) {dim = 0 : i64, batch_dims = 0 : i64} : (tensor<3x2xf32>, tensor<2xi32>) -> tensor<3x2xf32>)"),
      HasSubstr("expected tensor<2x2xf32>"));
  EXPECT_THAT(
      message(
          "%a: tensor<2x5xf32>, %n: tensor<i32>",
          R"(%r = "stablehlo.set_dimension_size"(%a, %n) {dimension = 2 : i64} : (tensor<2x5xf32>, tensor<i32>) -> tensor<2x5xf32>)"),
      HasSubstr("dimension 2"));
  EXPECT_THAT(
      message(
          "%a: tensor<f32>, %b: tensor<f64>, %s: tensor<1xi64>",
          R"(%r = stablehlo.rng %a, %b, %s, distribution = UNIFORM : (tensor<f32>, tensor<f64>, tensor<1xi64>) -> tensor<4xf32>)"),
      HasSubstr("operand #1 (b)"));
  EXPECT_THAT(
      message(
          "%a: tensor<f32>, %b: tensor<f32>, %s: tensor<2xi64>",
          R"(%r = stablehlo.rng %a, %b, %s, distribution = UNIFORM : (tensor<f32>, tensor<f32>, tensor<2xi64>) -> tensor<4xf32>)"),
      HasSubstr("result rank"));
}

TEST(LegacyOpRulesTest, EinsumAndTorchIndexSelectShapes) {
  absl::StatusOr<EinsumConfig> c = ParseEinsumConfig("bij, bjk -> bik");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->operands, ElementsAre("bij", "bjk"));
  EXPECT_EQ(c->result, "bik");
  absl::StatusOr<std::vector<int64_t>> d =
      InferEinsumDims(*c, {{5, 2, 3}, {5, 3, 4}});
  ASSERT_TRUE(d.ok());
  EXPECT_THAT(*d, ElementsAre(5, 2, 4));
  EXPECT_FALSE(InferEinsumDims(*c, {{5, 2, 3}, {4, 3, 4}}).ok());
  EXPECT_FALSE(ParseEinsumConfig("ab->a->b").ok());
  absl::StatusOr<std::vector<int64_t>> t =
      InferTorchIndexSelectDims({2, 5, 3}, {2, 4, 6}, 1, 1);
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(*t, ElementsAre(2, 4, 6, 3));
  EXPECT_FALSE(InferTorchIndexSelectDims({2, 5}, {3, 4}, 1, 1).ok());
}

}  // namespace
}  // namespace backplane::ir
