// Unit tests of the legacy ops (batch_norm.h, einsum.h, legacy_ops.h)
// against values derived by hand from the StableHLO spec's definitions and
// examples, and of their dispatch through the interpreter.
#include "compiler/interpreter/legacy_ops.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/status_macros.h"
#include "compiler/interpreter/batch_norm.h"
#include "compiler/interpreter/einsum.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/float16.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::interpreter {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;
using ::backplane::ir::TensorType;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Pointwise;

// A literal of `type` holding `values` (converted to the element type).
Literal Make(ElementType type, std::vector<int64_t> dims,
             const std::vector<double>& values) {
  Literal out(TensorType(type, std::move(dims)));
  EXPECT_EQ(static_cast<int64_t>(values.size()), out.element_count());
  const int size = ir::ElementByteSize(type);
  for (size_t i = 0; i < values.size(); ++i) {
    uint8_t* p = out.untyped_data() + i * size;
    switch (type) {
      case ElementType::kF32: {
        const float f = static_cast<float>(values[i]);
        std::memcpy(p, &f, 4);
        break;
      }
      case ElementType::kF64:
        std::memcpy(p, &values[i], 8);
        break;
      case ElementType::kF16: {
        const uint16_t h = ir::DoubleToHalf(values[i]);
        std::memcpy(p, &h, 2);
        break;
      }
      case ElementType::kBF16: {
        const uint16_t h = ir::DoubleToBF16(values[i]);
        std::memcpy(p, &h, 2);
        break;
      }
      case ElementType::kS32: {
        const int32_t v = static_cast<int32_t>(values[i]);
        std::memcpy(p, &v, 4);
        break;
      }
      case ElementType::kS64: {
        const int64_t v = static_cast<int64_t>(values[i]);
        std::memcpy(p, &v, 8);
        break;
      }
      default:
        ADD_FAILURE() << "unsupported test type";
    }
  }
  return out;
}

Literal F32(std::vector<int64_t> dims, const std::vector<double>& v) {
  return Make(ElementType::kF32, std::move(dims), v);
}
Literal S32(std::vector<int64_t> dims, const std::vector<double>& v) {
  return Make(ElementType::kS32, std::move(dims), v);
}

std::vector<double> Values(const Literal& x) {
  std::vector<double> out;
  for (int64_t i = 0; i < x.element_count(); ++i) {
    out.push_back(x.GetAsDouble(i));
  }
  return out;
}

// --- batch norm ------------------------------------------------------------

// The spec's example operand: feature_index 2 has the values
// {1, 3, 3, 1} (feature 0) and {2, 4, 4, 2} (feature 1).
const std::vector<double> kSpecOperand = {1, 2, 3, 4, 3, 4, 1, 2};

TEST(BatchNormTest, InferenceSpecExampleInEveryFloatType) {
  for (ElementType t : {ElementType::kF32, ElementType::kF64, ElementType::kF16,
                        ElementType::kBF16}) {
    Literal x = Make(t, {2, 2, 2}, kSpecOperand);
    Literal ones = Make(t, {2}, {1, 1});
    Literal mean = Make(t, {2}, {2, 3});
    absl::StatusOr<Literal> y =
        BatchNormInference(x, ones, ones, mean, ones, /*epsilon=*/0, 2);
    ASSERT_TRUE(y.ok()) << y.status();
    EXPECT_EQ(y->type(), x.type());
    // (x - mean) / sqrt(1 + 0) * 1 + 1.
    EXPECT_THAT(Values(*y), ElementsAre(0, 0, 2, 2, 2, 2, 0, 0))
        << ir::ElementTypeToMlir(t);
  }
}

TEST(BatchNormTest, InferenceWithEpsilonScaleAndFeatureIndexOne) {
  // Column 0: scale 2, offset 1, mean 1, var 4, eps 0.25 -> sd = sqrt(4.25).
  Literal x = Make(ElementType::kF64, {3, 2}, {1, 2, 3, 6, -1, 4});
  Literal scale = Make(ElementType::kF64, {2}, {2, 0.5});
  Literal offset = Make(ElementType::kF64, {2}, {1, -1});
  Literal mean = Make(ElementType::kF64, {2}, {1, 3});
  Literal var = Make(ElementType::kF64, {2}, {4, 1});
  absl::StatusOr<Literal> y =
      BatchNormInference(x, scale, offset, mean, var, 0.25, 1);
  ASSERT_TRUE(y.ok()) << y.status();
  const double sd0 = std::sqrt(4.25), sd1 = std::sqrt(1.25);
  EXPECT_THAT(Values(*y), Pointwise(DoubleNear(1e-15),
                                    {1.0, (2 - 3) / sd1 * 0.5 - 1,
                                     2 * 2 / sd0 + 1, 3 / sd1 * 0.5 - 1,
                                     -2 * 2 / sd0 + 1, 1 / sd1 * 0.5 - 1}));
}

TEST(BatchNormTest, TrainingSpecExample) {
  Literal x = F32({2, 2, 2}, kSpecOperand);
  Literal ones = F32({2}, {1, 1});
  absl::StatusOr<BatchNormTrainingResult> r =
      BatchNormTraining(x, ones, ones, 0, 2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values(r->output), ElementsAre(0, 0, 2, 2, 2, 2, 0, 0));
  EXPECT_THAT(Values(r->batch_mean), ElementsAre(2, 3));
  EXPECT_THAT(Values(r->batch_var), ElementsAre(1, 1));
}

TEST(BatchNormTest, TrainingVarianceIsBiased) {
  // Column 0 {1, 3, -1}: mean 1, sum of squares 8, var 8/3 (not 8/2).
  Literal x = Make(ElementType::kF64, {3, 2}, {1, 2, 3, 6, -1, 4});
  Literal scale = Make(ElementType::kF64, {2}, {1, 1});
  Literal offset = Make(ElementType::kF64, {2}, {0, 0});
  absl::StatusOr<BatchNormTrainingResult> r =
      BatchNormTraining(x, scale, offset, 0, 1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values(r->batch_mean), ElementsAre(1, 4));
  EXPECT_THAT(Values(r->batch_var),
              Pointwise(DoubleNear(1e-15), {8.0 / 3, 8.0 / 3}));
  const double sd = std::sqrt(8.0 / 3);
  EXPECT_THAT(Values(r->output),
              Pointwise(DoubleNear(1e-15),
                        {0.0, -2 / sd, 2 / sd, 2 / sd, -2 / sd, 0.0}));
}

TEST(BatchNormTest, GradSpecExample) {
  Literal x = F32({2, 2, 2}, kSpecOperand);
  Literal ones = F32({2}, {1, 1});
  Literal mean = F32({2}, {2, 3});
  Literal g = F32({2, 2, 2}, std::vector<double>(8, 0.1));
  absl::StatusOr<BatchNormGradResult> r =
      BatchNormGrad(x, ones, mean, ones, g, 0, 2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values(r->grad_operand),
              Pointwise(DoubleNear(1e-7), std::vector<double>(8, 0)));
  EXPECT_THAT(Values(r->grad_scale), Pointwise(DoubleNear(1e-7), {0.0, 0.0}));
  EXPECT_THAT(Values(r->grad_offset), Pointwise(DoubleNear(1e-7), {0.4, 0.4}));
}

TEST(BatchNormTest, GradByHand) {
  // Column 0: x {1, 3, -1}, mean 1 -> c {0, 2, -2}; g {1, 0.5, -2};
  // var 4 + eps 0.25, sd = sqrt(4.25); n = 3; scale 2.
  // sum(g) = -0.5, sum(g c) = 5, grad_scale = 5 / sd,
  // grad_x = 2 / sd / 3 * (3 g - (-0.5) - c * 5 / 4.25).
  Literal x = Make(ElementType::kF64, {3, 2}, {1, 2, 3, 6, -1, 4});
  Literal scale = Make(ElementType::kF64, {2}, {2, 0.5});
  Literal mean = Make(ElementType::kF64, {2}, {1, 3});
  Literal var = Make(ElementType::kF64, {2}, {4, 1});
  Literal g = Make(ElementType::kF64, {3, 2}, {1, -1, 0.5, 2, -2, 1});
  absl::StatusOr<BatchNormGradResult> r =
      BatchNormGrad(x, scale, mean, var, g, 0.25, 1);
  ASSERT_TRUE(r.ok()) << r.status();
  const double sd = std::sqrt(4.25);
  auto gx0 = [&](double gi, double c) {
    return 2 / sd / 3 * (3 * gi + 0.5 - c * 5 / 4.25);
  };
  const std::vector<double> gx = Values(r->grad_operand);
  EXPECT_NEAR(gx[0], gx0(1, 0), 1e-14);
  EXPECT_NEAR(gx[2], gx0(0.5, 2), 1e-14);
  EXPECT_NEAR(gx[4], gx0(-2, -2), 1e-14);
  EXPECT_NEAR(Values(r->grad_scale)[0], 5 / sd, 1e-14);
  EXPECT_THAT(Values(r->grad_offset), ElementsAre(-0.5, 2));
}

TEST(BatchNormTest, RejectsBadOperands) {
  Literal x = F32({2, 2}, {1, 2, 3, 4});
  Literal two = F32({2}, {1, 1});
  Literal three = F32({3}, {1, 1, 1});
  absl::StatusOr<Literal> r = BatchNormInference(x, two, two, two, two, 0, 2);
  EXPECT_THAT(r.status().message(), HasSubstr("feature_index 2"));
  r = BatchNormInference(x, three, two, two, two, 0, 0);
  EXPECT_THAT(r.status().message(), HasSubstr("tensor<3xf32>"));
  Literal xi = S32({2, 2}, {1, 2, 3, 4});
  Literal ti = S32({2}, {1, 1});
  r = BatchNormInference(xi, ti, ti, ti, ti, 0, 0);
  EXPECT_THAT(r.status().message(), HasSubstr("f16/bf16/f32/f64"));
  absl::StatusOr<BatchNormGradResult> g =
      BatchNormGrad(x, two, two, two, F32({4}, {1, 2, 3, 4}), 0, 0);
  EXPECT_THAT(g.status().message(), HasSubstr("grad_output"));
}

// --- einsum ------------------------------------------------------------------

absl::StatusOr<Literal> RunEinsum(const std::string& config,
                                  std::vector<const Literal*> operands,
                                  TensorType result) {
  return Einsum(config, operands, result);
}

TEST(EinsumTest, MatmulTransposeSumDiagonalTraceOuter) {
  Literal a = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  Literal b = F32({3, 2}, {1, 0, 0, 1, 1, 1});
  const TensorType f32_22(ElementType::kF32, {2, 2});
  absl::StatusOr<Literal> r = RunEinsum("ij,jk->ik", {&a, &b}, f32_22);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values(*r), ElementsAre(4, 5, 10, 11));
  r = RunEinsum("ij->ji", {&a}, TensorType(ElementType::kF32, {3, 2}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values(*r), ElementsAre(1, 4, 2, 5, 3, 6));
  r = RunEinsum("ij->i", {&a}, TensorType(ElementType::kF32, {2}));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Values(*r), ElementsAre(6, 15));
  r = RunEinsum("ij->j", {&a}, TensorType(ElementType::kF32, {3}));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Values(*r), ElementsAre(5, 7, 9));
  Literal sq = F32({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  r = RunEinsum("ii->i", {&sq}, TensorType(ElementType::kF32, {3}));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Values(*r), ElementsAre(1, 5, 9));
  r = RunEinsum("ii->", {&sq}, TensorType(ElementType::kF32, {}));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Values(*r), ElementsAre(15));
  Literal u = F32({2}, {1, 2});
  Literal v = F32({3}, {1, 10, 100});
  r = RunEinsum("i,j->ij", {&u, &v}, TensorType(ElementType::kF32, {2, 3}));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Values(*r), ElementsAre(1, 10, 100, 2, 20, 200));
  // Full contraction: the Frobenius inner product 1+4+9+16+25+36.
  r = RunEinsum("ij,ij->", {&a, &a}, TensorType(ElementType::kF32, {}));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Values(*r), ElementsAre(91));
  // A letter only in one operand and not in the result is summed over:
  // sum_j a[i][j] * u[k] = rowsum(a)[i] * u[k].
  r = RunEinsum("ij,k->ik", {&a, &u}, TensorType(ElementType::kF32, {2, 2}));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Values(*r), ElementsAre(6, 12, 15, 30));
}

TEST(EinsumTest, BatchLettersAndIntegers) {
  // Batch 0: [[1,2],[3,4]] x identity; batch 1: [[1,0],[0,1]] x [[5,6],[7,8]].
  Literal a = S32({2, 2, 2}, {1, 2, 3, 4, 1, 0, 0, 1});
  Literal b = S32({2, 2, 2}, {1, 0, 0, 1, 5, 6, 7, 8});
  absl::StatusOr<Literal> r = RunEinsum(
      "bij,bjk->bik", {&a, &b}, TensorType(ElementType::kS32, {2, 2, 2}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values(*r), ElementsAre(1, 2, 3, 4, 5, 6, 7, 8));
  // The output order may differ from the operand order.
  r = RunEinsum("bij,bjk->kib", {&a, &b},
                TensorType(ElementType::kS32, {2, 2, 2}));
  ASSERT_TRUE(r.ok()) << r.status();
  // out[k][i][b] = c[b][i][k] with c = [[1,2],[3,4]], [[5,6],[7,8]].
  EXPECT_THAT(Values(*r), ElementsAre(1, 5, 3, 7, 2, 6, 4, 8));
}

TEST(EinsumTest, EmptyDimensionsGiveZeroSums) {
  Literal a = F32({2, 0}, {});
  Literal b = F32({0, 3}, {});
  absl::StatusOr<Literal> r =
      RunEinsum("ij,jk->ik", {&a, &b}, TensorType(ElementType::kF32, {2, 3}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values(*r), ElementsAre(0, 0, 0, 0, 0, 0));
}

TEST(EinsumTest, RejectsBadConfigs) {
  Literal a = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  const TensorType t22(ElementType::kF32, {2, 2});
  auto message = [&](const std::string& config, std::vector<const Literal*> ops,
                     TensorType t) {
    absl::StatusOr<Literal> r = RunEinsum(config, ops, t);
    EXPECT_FALSE(r.ok()) << config;
    return std::string(r.status().message());
  };
  EXPECT_THAT(message("ij,jk", {&a, &a}, t22), HasSubstr("'->'"));
  EXPECT_THAT(message("...ij->ij", {&a}, t22), HasSubstr("not a letter"));
  EXPECT_THAT(message("ij,jk->ik", {&a, &a}, t22), HasSubstr("size 3"));
  EXPECT_THAT(message("ij->k", {&a}, t22), HasSubstr("'k' names no"));
  EXPECT_THAT(message("ij->ii", {&a}, t22), HasSubstr("repeated"));
  EXPECT_THAT(message("ijk->i", {&a}, t22), HasSubstr("rank 2"));
  EXPECT_THAT(message("ij->ij", {&a}, t22), HasSubstr("result dimensions"));
  EXPECT_THAT(message("ij,jk->ik", {&a}, t22), HasSubstr("names 2 operands"));
}

// --- torch_index_select, set_dimension_size ----------------------------------

TEST(TorchIndexSelectTest, RowsColumnsAndBatchDims) {
  Literal a = F32({3, 2}, {1, 2, 3, 4, 5, 6});
  absl::StatusOr<Literal> r = TorchIndexSelect(a, S32({2}, {2, 0}), 0, 0);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{2, 2}));
  EXPECT_THAT(Values(*r), ElementsAre(5, 6, 1, 2));
  // Along dim 1 with a 2-D index: result [3][2][2].
  r = TorchIndexSelect(a, S32({2, 2}, {1, 1, 0, 1}), 1, 0);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{3, 2, 2}));
  EXPECT_THAT(Values(*r), ElementsAre(2, 2, 1, 2, 4, 4, 3, 4, 6, 6, 5, 6));
  // batch_dims 1: row b picks its own columns index[b].
  Literal m = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  r = TorchIndexSelect(m, S32({2, 2}, {0, 2, 1, 1}), 1, 1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{2, 2}));
  EXPECT_THAT(Values(*r), ElementsAre(1, 3, 5, 5));
}

TEST(TorchIndexSelectTest, RejectsBadIndices) {
  Literal a = F32({3, 2}, {1, 2, 3, 4, 5, 6});
  EXPECT_THAT(TorchIndexSelect(a, S32({1}, {3}), 0, 0).status().message(),
              HasSubstr("index 3"));
  EXPECT_THAT(TorchIndexSelect(a, S32({1}, {-1}), 0, 0).status().message(),
              HasSubstr("index -1"));
  EXPECT_THAT(TorchIndexSelect(a, S32({1}, {0}), 2, 0).status().message(),
              HasSubstr("dim 2"));
  EXPECT_THAT(
      TorchIndexSelect(a, S32({3, 1}, {0, 0, 0}), 1, 2).status().message(),
      HasSubstr("batch_dims 2"));
  EXPECT_THAT(TorchIndexSelect(a, S32({2}, {0, 0}), 1, 1).status().message(),
              HasSubstr("batch dimension 0 differs"));
  // batch_dims 1 with matching sizes: row r picks its own column index[r].
  absl::StatusOr<Literal> per_row =
      TorchIndexSelect(a, S32({3}, {1, 0, 1}), 1, 1);
  ASSERT_TRUE(per_row.ok()) << per_row.status();
  EXPECT_THAT(Values(*per_row), ElementsAre(2, 3, 6));
  EXPECT_THAT(TorchIndexSelect(a, F32({1}, {0}), 0, 0).status().message(),
              HasSubstr("integer"));
}

TEST(SetDimensionSizeTest, StaticSizeOnly) {
  Literal a = F32({2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  absl::StatusOr<Literal> r = SetDimensionSize(a, S32({}, {5}), 1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->BitwiseEquals(a));
  EXPECT_EQ(SetDimensionSize(a, S32({}, {3}), 1).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(SetDimensionSize(a, S32({}, {6}), 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SetDimensionSize(a, S32({}, {-1}), 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SetDimensionSize(a, S32({}, {2}), 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SetDimensionSize(a, F32({}, {2}), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// --- rng ---------------------------------------------------------------------

Literal Shape1(int64_t n) { return Make(ElementType::kS64, {1}, {double(n)}); }

TEST(RngTest, UniformFloatsStayInRangeAndAreDeterministic) {
  const TensorType t(ElementType::kF32, {4096});
  absl::StatusOr<Literal> r = Rng(F32({}, {-2}), F32({}, {3}), Shape1(4096),
                                  ir::RngDistribution::kUniform, t, /*seed=*/1);
  ASSERT_TRUE(r.ok()) << r.status();
  double sum = 0;
  for (double v : Values(*r)) {
    ASSERT_GE(v, -2);
    ASSERT_LT(v, 3);
    sum += v;
  }
  EXPECT_NEAR(sum / 4096, 0.5, 0.1);  // Mean of U[-2, 3), sd of mean 0.02.
  absl::StatusOr<Literal> again = Rng(F32({}, {-2}), F32({}, {3}), Shape1(4096),
                                      ir::RngDistribution::kUniform, t, 1);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->BitwiseEquals(*r));
  absl::StatusOr<Literal> other = Rng(F32({}, {-2}), F32({}, {3}), Shape1(4096),
                                      ir::RngDistribution::kUniform, t, 2);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->BitwiseEquals(*r));
}

TEST(RngTest, UniformNarrowHalfRangeRoundsInside) {
  // [1, 1 + 2^-10) holds only 1 in f16: draws that round up to b are redrawn.
  const TensorType t(ElementType::kF16, {64});
  absl::StatusOr<Literal> r =
      Rng(Make(ElementType::kF16, {}, {1}),
          Make(ElementType::kF16, {}, {1 + 1.0 / 1024}), Shape1(64),
          ir::RngDistribution::kUniform, t, 7);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values(*r), ElementsAreArray(std::vector<double>(64, 1.0)));
}

TEST(RngTest, UniformIntegersCoverTheHalfOpenRange) {
  const TensorType t(ElementType::kS32, {2000});
  absl::StatusOr<Literal> r = Rng(S32({}, {-3}), S32({}, {4}), Shape1(2000),
                                  ir::RngDistribution::kUniform, t, 3);
  ASSERT_TRUE(r.ok()) << r.status();
  std::set<double> seen;
  for (double v : Values(*r)) seen.insert(v);
  EXPECT_THAT(seen, ElementsAre(-3, -2, -1, 0, 1, 2, 3));
}

TEST(RngTest, NormalHasTheRequestedMeanAndDeviation) {
  const TensorType t(ElementType::kF64, {8192});
  absl::StatusOr<Literal> r =
      Rng(Make(ElementType::kF64, {}, {5}), Make(ElementType::kF64, {}, {2}),
          Shape1(8192), ir::RngDistribution::kNormal, t, 4);
  ASSERT_TRUE(r.ok()) << r.status();
  double sum = 0, sum_sq = 0;
  for (double v : Values(*r)) {
    ASSERT_TRUE(std::isfinite(v));
    sum += v;
    sum_sq += v * v;
  }
  const double mean = sum / 8192;
  const double sd = std::sqrt(sum_sq / 8192 - mean * mean);
  EXPECT_NEAR(mean, 5, 0.1);  // Standard error 2/sqrt(8192) = 0.022.
  EXPECT_NEAR(sd, 2, 0.1);
}

TEST(RngTest, RejectsBadOperands) {
  const TensorType t(ElementType::kF32, {4});
  auto code = [&](const Literal& a, const Literal& b, const Literal& shape,
                  ir::RngDistribution d, const TensorType& type) {
    return Rng(a, b, shape, d, type, 0).status().code();
  };
  const auto kUniform = ir::RngDistribution::kUniform;
  const auto kBad = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(code(F32({}, {3}), F32({}, {3}), Shape1(4), kUniform, t), kBad);
  EXPECT_EQ(code(F32({}, {0}), F32({}, {1}), Shape1(5), kUniform, t), kBad);
  EXPECT_EQ(code(S32({}, {0}), F32({}, {1}), Shape1(4), kUniform, t), kBad);
  EXPECT_EQ(
      code(S32({}, {0}), S32({}, {1}), Shape1(4), ir::RngDistribution::kNormal,
           TensorType(ElementType::kS32, {4})),
      kBad);
  EXPECT_EQ(code(S32({}, {5}), S32({}, {1}), Shape1(4), kUniform,
                 TensorType(ElementType::kS32, {4})),
            kBad);
}

// --- through the interpreter -------------------------------------------------

absl::StatusOr<std::vector<Literal>> RunProgram(
    const std::string& text, const std::vector<Literal>& args) {
  ASSIGN_OR_RETURN(std::unique_ptr<ir::Module> m, parser::ParseModule(text));
  absl::StatusOr<std::unique_ptr<Interpreter>> interp = Interpreter::Create(*m);
  if (!interp.ok()) return interp.status();
  return (*interp)->Run("main", args);
}

TEST(LegacyOpsInterpreterTest, RunsEveryLegacyOp) {
  absl::StatusOr<std::vector<Literal>> r = RunProgram(
      R"(
func.func @main(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>, %i: tensor<2xi32>, %n: tensor<i32>) -> (tensor<2x2xf32>, tensor<3x2xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<16xf32>) {
  %0 = "stablehlo.einsum"(%a, %b) {einsum_config = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %1 = "stablehlo.unary_einsum"(%a) {einsum_config = "ij->ji"} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %2 = "stablehlo.torch_index_select"(%a, %i) {dim = 0 : i64, batch_dims = 0 : i64} : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
  %3 = "stablehlo.set_dimension_size"(%a, %n) {dimension = 1 : i64} : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  %4 = "stablehlo.cross-replica-sum"(%a) {replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = stablehlo.constant dense<[2.0, 2.0, 2.0]> : tensor<3xf32>
  %o = stablehlo.constant dense<[1.0, 1.0, 1.0]> : tensor<3xf32>
  %m = stablehlo.constant dense<[0.0, 0.0, 0.0]> : tensor<3xf32>
  %v = stablehlo.constant dense<[3.0, 3.0, 3.0]> : tensor<3xf32>
  %5 = "stablehlo.batch_norm_inference"(%a, %s, %o, %m, %v) {epsilon = 1.000000e+00 : f32, feature_index = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %lo = stablehlo.constant dense<0.0> : tensor<f32>
  %hi = stablehlo.constant dense<1.0> : tensor<f32>
  %shape = stablehlo.constant dense<[16]> : tensor<1xi64>
  %6 = stablehlo.rng %lo, %hi, %shape, distribution = UNIFORM : (tensor<f32>, tensor<f32>, tensor<1xi64>) -> tensor<16xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x2xf32>, tensor<3x2xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<16xf32>
})",
      {F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({3, 2}, {1, 0, 0, 1, 1, 1}),
       S32({2}, {1, 0}), S32({}, {3})});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 7u);
  EXPECT_THAT(Values((*r)[0]), ElementsAre(4, 5, 10, 11));
  EXPECT_THAT(Values((*r)[1]), ElementsAre(1, 4, 2, 5, 3, 6));
  EXPECT_THAT(Values((*r)[2]), ElementsAre(4, 5, 6, 1, 2, 3));
  EXPECT_THAT(Values((*r)[3]), ElementsAre(1, 2, 3, 4, 5, 6));
  EXPECT_THAT(Values((*r)[4]), ElementsAre(1, 2, 3, 4, 5, 6));
  // 2 * x / sqrt(3 + 1) + 1 = x + 1.
  EXPECT_THAT(Values((*r)[5]), ElementsAre(2, 3, 4, 5, 6, 7));
  for (double v : Values((*r)[6])) {
    EXPECT_GE(v, 0);
    EXPECT_LT(v, 1);
  }
}

TEST(LegacyOpsInterpreterTest, BatchNormTrainingAndGradReturnThreeResults) {
  absl::StatusOr<std::vector<Literal>> r =
      RunProgram(R"(
func.func @main(%x: tensor<2x2x2xf32>, %s: tensor<2xf32>, %g: tensor<2x2x2xf32>) -> (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %0:3 = "stablehlo.batch_norm_training"(%x, %s, %s) {epsilon = 0.000000e+00 : f32, feature_index = 2 : i64} : (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>)
  %1:3 = "stablehlo.batch_norm_grad"(%x, %s, %0#1, %0#2, %g) {epsilon = 0.000000e+00 : f32, feature_index = 2 : i64} : (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2x2xf32>) -> (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>)
  return %0#0, %0#1, %0#2, %1#0, %1#1, %1#2 : tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>
})",
                 {F32({2, 2, 2}, kSpecOperand), F32({2}, {1, 1}),
                  F32({2, 2, 2}, std::vector<double>(8, 0.1))});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values((*r)[0]), ElementsAre(0, 0, 2, 2, 2, 2, 0, 0));
  EXPECT_THAT(Values((*r)[1]), ElementsAre(2, 3));
  EXPECT_THAT(Values((*r)[2]), ElementsAre(1, 1));
  EXPECT_THAT(Values((*r)[5]), Pointwise(DoubleNear(1e-6), {0.4, 0.4}));
}

TEST(LegacyOpsInterpreterTest, WrongDeclaredResultTypeIsAnErrorWithLocation) {
  absl::StatusOr<std::vector<Literal>> r =
      RunProgram(R"(
func.func @main(%a: tensor<2x3xf32>, %i: tensor<2xi32>) -> tensor<3x3xf32> {
  %0 = "stablehlo.torch_index_select"(%a, %i) {dim = 0 : i64, batch_dims = 0 : i64} : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
})",
                 {F32({2, 3}, {1, 2, 3, 4, 5, 6}), S32({2}, {1, 0})});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("stablehlo.torch_index_select"));
  EXPECT_THAT(r.status().message(), HasSubstr("tensor<2x3xf32>"));
}

// EvaluateLegacyOp does not trust the declared result type either (callers
// such as plugins' fallbacks may run unverified ops).
TEST(LegacyOpsInterpreterTest, EvaluateLegacyOpChecksTheDeclaredResultType) {
  absl::StatusOr<std::unique_ptr<ir::Module>> m = parser::ParseModule(R"(
func.func @main(%a: tensor<2x3xf32>) -> tensor<3x3xf32> {
  %0 = "stablehlo.unary_einsum"(%a) {einsum_config = "ij->ij"} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
})");
  ASSERT_TRUE(m.ok()) << m.status();
  const ir::Op& op = *(*m)->LookupFunction("main")->entry()->ops().front();
  ASSERT_TRUE(IsLegacyOp(op.code()));
  Literal a = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  absl::StatusOr<std::vector<Literal>> r = EvaluateLegacyOp(op, {&a});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("tensor<3x3xf32>"));
  EXPECT_FALSE(IsLegacyOp(ir::OpCode::kAdd));
}

// reduce with a maximum/minimum region goes through the recognised-body fast
// path; the spec's maximum orders -0 below +0 whatever the element order.
TEST(LegacyOpsInterpreterTest, ReduceMaxMinOfSignedZeros) {
  absl::StatusOr<std::vector<Literal>> r =
      RunProgram(R"(
func.func @main(%x: tensor<3xf32>, %y: tensor<3xf32>) -> (tensor<f32>, tensor<f32>) {
  %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %pinf = stablehlo.constant dense<0x7F800000> : tensor<f32>
  %0 = stablehlo.reduce(%x init: %ninf) applies stablehlo.maximum across dimensions = [0] : (tensor<3xf32>, tensor<f32>) -> tensor<f32>
  %1 = stablehlo.reduce(%y init: %pinf) applies stablehlo.minimum across dimensions = [0] : (tensor<3xf32>, tensor<f32>) -> tensor<f32>
  return %0, %1 : tensor<f32>, tensor<f32>
})",
                 {F32({3}, {-0.0, 0.0, -0.0}), F32({3}, {0.0, -0.0, 0.0})});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(std::signbit((*r)[0].GetAsDouble(0)));
  EXPECT_TRUE(std::signbit((*r)[1].GetAsDouble(0)));
}

}  // namespace
}  // namespace backplane::interpreter
