#include "compiler/kernels/structured/convolution.h"

#include <complex>

#include "compiler/kernels/structured/reference_util.h"
#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

// Direct evaluation of the spec's definition, one output element at a time.
std::vector<std::complex<double>> ReferenceConv(const Literal& lhs,
                                                const Literal& rhs,
                                                const ConvolutionParams& p,
                                                std::vector<int64_t>* dims) {
  const size_t s = p.input_spatial_dimensions.size();
  auto at = [](const std::vector<int64_t>& v, size_t i, int64_t d) {
    return v.empty() ? d : v[i];
  };
  const int64_t n = lhs.dims()[p.input_batch_dimension];
  const int64_t o_total = rhs.dims()[p.kernel_output_feature_dimension];
  const int64_t kin = rhs.dims()[p.kernel_input_feature_dimension];
  const int64_t fgc = p.feature_group_count, bgc = p.batch_group_count;
  dims->assign(s + 2, 0);
  (*dims)[p.output_batch_dimension] = n / bgc;
  (*dims)[p.output_feature_dimension] = o_total;
  std::vector<int64_t> window(s);
  for (size_t i = 0; i < s; ++i) {
    const int64_t in = lhs.dims()[p.input_spatial_dimensions[i]];
    window[i] = rhs.dims()[p.kernel_spatial_dimensions[i]];
    const int64_t lo = p.padding.empty() ? 0 : p.padding[i].first;
    const int64_t hi = p.padding.empty() ? 0 : p.padding[i].second;
    const int64_t padded = (in - 1) * at(p.lhs_dilation, i, 1) + 1 + lo + hi;
    const int64_t span = (window[i] - 1) * at(p.rhs_dilation, i, 1) + 1;
    (*dims)[p.output_spatial_dimensions[i]] =
        padded < span ? 0 : (padded - span) / at(p.window_strides, i, 1) + 1;
  }
  std::vector<std::complex<double>> out;
  ForEachIndex(*dims, [&](absl::Span<const int64_t> r) {
    const int64_t ob = r[p.output_batch_dimension];
    const int64_t of = r[p.output_feature_dimension];
    const int64_t group = of / (o_total / (fgc * bgc));
    std::complex<double> sum = 0;
    std::vector<int64_t> li(s + 2), ki(s + 2);
    for (int64_t c = 0; c < kin; ++c) {
      ForEachIndex(window, [&](absl::Span<const int64_t> w) {
        li[p.input_batch_dimension] = bgc > 1 ? group * (n / bgc) + ob : ob;
        li[p.input_feature_dimension] = fgc > 1 ? group * kin + c : c;
        ki[p.kernel_input_feature_dimension] = c;
        ki[p.kernel_output_feature_dimension] = of;
        for (size_t i = 0; i < s; ++i) {
          const int64_t lo = p.padding.empty() ? 0 : p.padding[i].first;
          const int64_t ld = at(p.lhs_dilation, i, 1);
          const int64_t pos =
              r[p.output_spatial_dimensions[i]] * at(p.window_strides, i, 1) +
              w[i] * at(p.rhs_dilation, i, 1) - lo;
          const int64_t in = lhs.dims()[p.input_spatial_dimensions[i]];
          if (pos < 0 || pos % ld != 0 || pos / ld >= in) return;
          li[p.input_spatial_dimensions[i]] = pos / ld;
          const bool rev = !p.window_reversal.empty() && p.window_reversal[i];
          ki[p.kernel_spatial_dimensions[i]] =
              rev ? window[i] - 1 - w[i] : w[i];
        }
        const int64_t a = LinearIndex(lhs.dims(), li);
        const int64_t b = LinearIndex(rhs.dims(), ki);
        sum +=
            std::complex<double>(lhs.GetAsDouble(a), lhs.GetImagAsDouble(a)) *
            std::complex<double>(rhs.GetAsDouble(b), rhs.GetImagAsDouble(b));
      });
    }
    out.push_back(sum);
  });
  return out;
}

struct ConvCase {
  const char* name;
  std::vector<int64_t> lhs_dims, rhs_dims;
  ConvolutionParams params;
};

ConvolutionParams Nchw(int64_t s) {
  ConvolutionParams p;
  p.input_batch_dimension = 0;
  p.input_feature_dimension = 1;
  p.kernel_output_feature_dimension = 0;
  p.kernel_input_feature_dimension = 1;
  p.output_batch_dimension = 0;
  p.output_feature_dimension = 1;
  for (int64_t i = 0; i < s; ++i) {
    p.input_spatial_dimensions.push_back(2 + i);
    p.kernel_spatial_dimensions.push_back(2 + i);
    p.output_spatial_dimensions.push_back(2 + i);
  }
  return p;
}

std::vector<ConvCase> Cases() {
  std::vector<ConvCase> cases;
  {
    ConvolutionParams p = ConvolutionParams::Nhwc(2);
    p.padding = {{1, 1}, {1, 1}};
    cases.push_back({"nhwc_same", {2, 6, 5, 3}, {3, 3, 3, 4}, p});
  }
  {
    ConvolutionParams p = Nchw(2);
    p.window_strides = {2, 1};
    p.lhs_dilation = {2, 1};
    p.rhs_dilation = {1, 2};
    p.padding = {{2, -1}, {1, 0}};
    p.window_reversal = {true, false};
    cases.push_back({"nchw_dilated_reversed", {1, 2, 5, 7}, {3, 2, 2, 3}, p});
  }
  {
    ConvolutionParams p = ConvolutionParams::Nhwc(1);
    p.feature_group_count = 2;
    cases.push_back({"grouped_1d", {2, 7, 4}, {3, 2, 6}, p});
  }
  {
    ConvolutionParams p = ConvolutionParams::Nhwc(2);
    p.batch_group_count = 2;
    cases.push_back({"batch_grouped", {4, 4, 4, 3}, {2, 2, 3, 4}, p});
  }
  {
    // Odd layout: output spatial first, features in the middle.
    ConvolutionParams p;
    p.input_batch_dimension = 2;
    p.input_feature_dimension = 0;
    p.input_spatial_dimensions = {1, 3, 4};
    p.kernel_input_feature_dimension = 3;
    p.kernel_output_feature_dimension = 1;
    p.kernel_spatial_dimensions = {4, 0, 2};
    p.output_batch_dimension = 4;
    p.output_feature_dimension = 2;
    p.output_spatial_dimensions = {0, 1, 3};
    p.window_strides = {1, 2, 1};
    p.padding = {{0, 1}, {1, 0}, {0, 0}};
    cases.push_back({"3d_permuted", {2, 4, 2, 5, 3}, {2, 3, 2, 2, 2}, p});
  }
  {
    ConvolutionParams p = ConvolutionParams::Nhwc(0);
    cases.push_back({"no_spatial", {3, 5}, {5, 2}, p});
  }
  {
    ConvolutionParams p = ConvolutionParams::Nhwc(1);
    cases.push_back({"window_larger_than_input", {1, 2, 1}, {3, 1, 1}, p});
  }
  return cases;
}

void CheckType(ElementType type, double tol) {
  uint32_t seed = 11;
  for (const ConvCase& c : Cases()) {
    Literal lhs = RandomLiteral(type, c.lhs_dims, seed++);
    Literal rhs = RandomLiteral(type, c.rhs_dims, seed++);
    absl::StatusOr<Literal> r = Convolution(lhs, rhs, c.params);
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.status();
    std::vector<int64_t> dims;
    auto want = ReferenceConv(lhs, rhs, c.params, &dims);
    ASSERT_EQ(r->dims(), dims) << c.name;
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_NEAR(r->GetAsDouble(i), want[i].real(),
                  tol * (1 + std::abs(want[i])))
          << c.name << " element " << i;
      ASSERT_NEAR(r->GetImagAsDouble(i), want[i].imag(),
                  tol * (1 + std::abs(want[i])))
          << c.name << " element " << i;
    }
  }
}

TEST(ConvolutionTest, F32MatchesReference) {
  CheckType(ElementType::kF32, 1e-5);
}
TEST(ConvolutionTest, F64MatchesReference) {
  CheckType(ElementType::kF64, 1e-12);
}
TEST(ConvolutionTest, S32MatchesReference) { CheckType(ElementType::kS32, 0); }
TEST(ConvolutionTest, C64MatchesReference) {
  CheckType(ElementType::kC64, 1e-5);
}
TEST(ConvolutionTest, BF16MatchesReference) {
  CheckType(ElementType::kBF16, 1e-2);
}

TEST(ConvolutionTest, SpecExample) {
  Literal lhs = S64({1, 4, 4, 1},
                    {1, 2, 5, 6, 3, 4, 7, 8, 10, 11, 14, 15, 12, 13, 16, 17});
  Literal rhs = S64({3, 3, 1, 1}, std::vector<int64_t>(9, 1));
  ConvolutionParams p = ConvolutionParams::Nhwc(2);
  p.window_strides = {4, 4};
  p.lhs_dilation = {2, 2};
  absl::StatusOr<Literal> r = Convolution(lhs, rhs, p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(ToVector<int64_t>(*r), (std::vector<int64_t>{10, 26, 46, 62}));
}

TEST(ConvolutionTest, PreferredResultType) {
  Literal lhs = RandomLiteral(ElementType::kBF16, {1, 5, 5, 2}, 1);
  Literal rhs = RandomLiteral(ElementType::kBF16, {3, 3, 2, 3}, 2);
  ConvolutionParams p = ConvolutionParams::Nhwc(2);
  auto r = Convolution(lhs, rhs, p, ElementType::kF32);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->element_type(), ElementType::kF32);
  std::vector<int64_t> dims;
  auto want = ReferenceConv(lhs, rhs, p, &dims);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(r->data<float>()[i], want[i].real(), 1e-5);
  }
}

TEST(ConvolutionTest, ZeroBatchAndZeroFeatures) {
  ConvolutionParams p = ConvolutionParams::Nhwc(2);
  Literal lhs(ir::TensorType(ElementType::kF32, {0, 4, 4, 2}));
  Literal rhs = RandomLiteral(ElementType::kF32, {3, 3, 2, 5}, 1);
  auto r = Convolution(lhs, rhs, p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{0, 2, 2, 5}));
  Literal lhs0(ir::TensorType(ElementType::kF32, {1, 4, 4, 0}));
  Literal rhs0(ir::TensorType(ElementType::kF32, {3, 3, 0, 5}));
  auto z = Convolution(lhs0, rhs0, p);
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_EQ(ToVector<float>(*z), std::vector<float>(20, 0.0f));
}

TEST(ConvolutionTest, BadParameters) {
  Literal lhs = RandomLiteral(ElementType::kF32, {1, 4, 4, 2}, 1);
  Literal rhs = RandomLiteral(ElementType::kF32, {3, 3, 2, 2}, 2);
  auto code = [&](const ConvolutionParams& p) {
    return Convolution(lhs, rhs, p).status().code();
  };
  ConvolutionParams p = ConvolutionParams::Nhwc(2);
  ASSERT_TRUE(Convolution(lhs, rhs, p).ok());
  ConvolutionParams dup = p;
  dup.input_feature_dimension = 0;
  EXPECT_EQ(code(dup), absl::StatusCode::kInvalidArgument);
  ConvolutionParams groups = p;
  groups.feature_group_count = 2;  // 2 / 2 != kernel input features 2.
  EXPECT_EQ(code(groups), absl::StatusCode::kInvalidArgument);
  ConvolutionParams stride = p;
  stride.window_strides = {0, 1};
  EXPECT_EQ(code(stride), absl::StatusCode::kInvalidArgument);
  ConvolutionParams pad = p;
  pad.padding = {{-9, 0}, {0, 0}};
  EXPECT_EQ(code(pad), absl::StatusCode::kInvalidArgument);
  ConvolutionParams bgc = p;
  bgc.batch_group_count = 2;  // Batch 1 is not divisible by 2.
  EXPECT_EQ(code(bgc), absl::StatusCode::kInvalidArgument);
  ConvolutionParams wrong_rank = ConvolutionParams::Nhwc(1);
  EXPECT_EQ(code(wrong_rank), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace backplane::kernels::structured
