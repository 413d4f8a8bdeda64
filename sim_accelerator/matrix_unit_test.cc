#include "sim_accelerator/matrix_unit.h"

#include <cmath>
#include <limits>

#include "compiler/ir/float16.h"
#include "compiler/parser/parser.h"
#include "gtest/gtest.h"

namespace backplane::sim {
namespace {

ir::Literal F32(std::vector<int64_t> dims, std::vector<float> values) {
  ir::Literal l(ir::TensorType(ir::ElementType::kF32, std::move(dims)));
  for (size_t i = 0; i < values.size(); ++i) l.data<float>()[i] = values[i];
  return l;
}

bool IsBf16Value(float x) { return (ir::FloatBits(x) & 0xffffu) == 0; }

TEST(SplitTest, PartsAreBf16AndSumExactly) {
  const float third = 1.0f / 3.0f;
  ir::Literal x = F32({4}, {third, -123.456f, 1e-30f, 3.0e38f});
  std::vector<ir::Literal> parts = SplitIntoBf16Parts(x, 3);
  ASSERT_EQ(parts.size(), 3u);
  for (int i = 0; i < 4; ++i) {
    float sum = 0;
    for (const ir::Literal& p : parts) {
      EXPECT_TRUE(IsBf16Value(p.data<float>()[i]));
      sum += p.data<float>()[i];
    }
    EXPECT_EQ(sum, x.data<float>()[i]) << i;
  }
}

TEST(SplitTest, InfinityAndNanStayInTheFirstPart) {
  ir::Literal x = F32({2}, {std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN()});
  std::vector<ir::Literal> parts = SplitIntoBf16Parts(x, 3);
  EXPECT_TRUE(std::isinf(parts[0].data<float>()[0]));
  EXPECT_TRUE(std::isnan(parts[0].data<float>()[1]));
  EXPECT_EQ(parts[1].data<float>()[0], 0.0f);
  EXPECT_EQ(parts[2].data<float>()[1], 0.0f);
}

class MatrixOpTest : public ::testing::Test {
 protected:
  const ir::Op& Parse(const char* text) {
    module_ = *parser::ParseModule(text);
    return *module_->LookupFunction("main")->entry()->front();
  }
  std::unique_ptr<ir::Module> module_;
};

TEST_F(MatrixOpTest, DotGeneralShapeAndPasses) {
  const ir::Op& op = Parse(R"(
func.func @main(%a: tensor<2x3x5xf32>, %b: tensor<2x5x7xf32>) -> tensor<2x3x7xf32> {
  %0 = stablehlo.dot_general %a, %b, batching_dims = [0] x [0], contracting_dims = [2] x [1], precision = [DEFAULT, HIGH] : (tensor<2x3x5xf32>, tensor<2x5x7xf32>) -> tensor<2x3x7xf32>
  return %0 : tensor<2x3x7xf32>
})");
  ASSERT_TRUE(RunsOnMatrixUnit(op));
  GemmShape g = *MatrixOpGemmShape(op);
  EXPECT_EQ(g.count, 2);
  EXPECT_EQ(g.m, 3);
  EXPECT_EQ(g.k, 5);
  EXPECT_EQ(g.n, 7);
  // The higher operand precision wins; DEFAULT alone would follow the chip.
  EXPECT_EQ(MatmulPasses(op, MatmulPrecision::kDefault), 3);
}

TEST_F(MatrixOpTest, ConvolutionShape) {
  const ir::Op& op = Parse(R"(
func.func @main(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x16xf32>) -> tensor<1x8x8x16xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1], pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x8x8x16xf32>
  return %0 : tensor<1x8x8x16xf32>
})");
  ASSERT_TRUE(RunsOnMatrixUnit(op));
  GemmShape g = *MatrixOpGemmShape(op);
  EXPECT_EQ(g.m, 64);
  EXPECT_EQ(g.k, 27);
  EXPECT_EQ(g.n, 16);
  EXPECT_EQ(MatmulPasses(op, MatmulPrecision::kHighest), 6);
  EXPECT_EQ(MatmulPasses(op, MatmulPrecision::kDefault), 1);
}

TEST_F(MatrixOpTest, IntegerDotsStayOffTheArray) {
  const ir::Op& op = Parse(R"(
func.func @main(%a: tensor<2x2xi32>, %b: tensor<2x2xi32>) -> tensor<2x2xi32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x2xi32>, tensor<2x2xi32>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
})");
  EXPECT_FALSE(RunsOnMatrixUnit(op));
}

TEST_F(MatrixOpTest, PassesTradeAccuracy) {
  const ir::Op& op = Parse(R"(
func.func @main(%a: tensor<1x4xf32>, %b: tensor<4x1xf32>) -> tensor<1x1xf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<1x4xf32>, tensor<4x1xf32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
})");
  const float a[4] = {0.1f, 0.2f, 0.3f, 0.4f};
  const float b[4] = {1.0f / 3, 1.0f / 7, 1.0f / 11, 1.0f / 13};
  ir::Literal lhs = F32({1, 4}, {a[0], a[1], a[2], a[3]});
  ir::Literal rhs = F32({4, 1}, {b[0], b[1], b[2], b[3]});
  double exact = 0;
  for (int i = 0; i < 4; ++i) exact += double{a[i]} * b[i];
  double previous_error = 1;
  for (int passes : {1, 3, 6}) {
    absl::StatusOr<ir::Literal> out =
        EvaluateOnMatrixUnit(op, lhs, rhs, passes);
    ASSERT_TRUE(out.ok()) << out.status();
    const double error = std::abs(out->data<float>()[0] - exact);
    EXPECT_LE(error, previous_error) << passes;
    previous_error = error;
    if (passes == 1) {
      // One pass: exactly the f32 sum of bf16 products.
      float expected = 0;
      for (int i = 0; i < 4; ++i) {
        expected += ir::BF16ToFloat(ir::FloatToBF16(a[i])) *
                    ir::BF16ToFloat(ir::FloatToBF16(b[i]));
      }
      EXPECT_NEAR(out->data<float>()[0], expected, 1e-7);
      EXPECT_GT(error, 1e-4);
    }
  }
  EXPECT_LT(previous_error, 1e-7);
}

}  // namespace
}  // namespace backplane::sim
