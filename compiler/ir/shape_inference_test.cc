#include "compiler/ir/shape_inference.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::ir {
namespace {

using ::testing::HasSubstr;

TensorType T(std::vector<int64_t> dims, ElementType e = ElementType::kF32) {
  return TensorType(e, std::move(dims));
}

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

TEST(ShapeInferenceTest, ElementwiseCompareSelect) {
  EXPECT_EQ(*InferElementwiseType({T({2, 3}), T({2, 3})}, ElementType::kF32),
            T({2, 3}));
  EXPECT_THAT(
      Msg(InferElementwiseType({T({2}), T({3})}, ElementType::kF32).status()),
      HasSubstr("operand shapes differ"));
  EXPECT_EQ(*InferCompareType(T({4}), T({4})), T({4}, ElementType::kPred));
  EXPECT_FALSE(InferCompareType(T({4}), T({4}, ElementType::kF64)).ok());
  EXPECT_EQ(*InferSelectType(T({}, ElementType::kPred), T({2}), T({2})),
            T({2}));
  EXPECT_FALSE(InferSelectType(T({2}), T({2}), T({2})).ok());
}

TEST(ShapeInferenceTest, DataMovement) {
  EXPECT_EQ(*InferTransposeType(T({2, 3, 4}), {2, 0, 1}), T({4, 2, 3}));
  EXPECT_THAT(Msg(InferTransposeType(T({2, 3}), {0, 0}).status()),
              HasSubstr("repeats dimension 0"));
  EXPECT_EQ(*InferSliceType(T({10, 5}), {1, 0}, {10, 5}, {3, 2}), T({3, 3}));
  EXPECT_FALSE(InferSliceType(T({10}), {5}, {4}, {1}).ok());
  EXPECT_FALSE(InferSliceType(T({10}), {0}, {4}, {0}).ok());
  EXPECT_EQ(*InferPadType(T({3}), T({}), {1}, {2}, {1}), T({8}));
  EXPECT_EQ(*InferPadType(T({0}), T({}), {1}, {1}, {5}), T({2}));
  EXPECT_THAT(Msg(InferPadType(T({3}), T({}), {-5}, {0}, {0}).status()),
              HasSubstr("negative"));
  EXPECT_EQ(*InferConcatenateType({T({2, 3}), T({4, 3})}, 0), T({6, 3}));
  EXPECT_FALSE(InferConcatenateType({T({2, 3})}, 2).ok());
  EXPECT_EQ(*InferBroadcastType(T({3}), {2, 4}), T({2, 4, 3}));
  EXPECT_TRUE(CheckBroadcastInDim(T({1, 3}), {0, 2}, T({5, 6, 3})).ok());
  EXPECT_FALSE(CheckBroadcastInDim(T({2, 3}), {0, 2}, T({5, 6, 3})).ok());
  EXPECT_TRUE(CheckReshape(T({6}), T({2, 3})).ok());
  EXPECT_FALSE(CheckReshape(T({6}), T({2, 4})).ok());
  EXPECT_EQ(*InferDynamicSliceType(
                T({4, 4}), {T({}, ElementType::kS32), T({}, ElementType::kS32)},
                {2, 1}),
            T({2, 1}));
  EXPECT_FALSE(
      InferDynamicSliceType(T({4}), {T({1}, ElementType::kS32)}, {2}).ok());
  EXPECT_TRUE(CheckIota(T({2, 3}), 1).ok());
  EXPECT_FALSE(CheckIota(T({2, 3}), -1).ok());
  EXPECT_EQ(*InferBitcastConvertType(T({2}, ElementType::kF64),
                                     T({2, 2}, ElementType::kS32)),
            T({2, 2}, ElementType::kS32));
}

TEST(ShapeInferenceTest, DotGeneral) {
  DotDimensionNumbers d;
  d.lhs_batching_dimensions = {0};
  d.rhs_batching_dimensions = {0};
  d.lhs_contracting_dimensions = {2};
  d.rhs_contracting_dimensions = {1};
  EXPECT_EQ(
      *InferDotGeneralType(T({8, 4, 3}), T({8, 3, 5}), d, ElementType::kF32),
      T({8, 4, 5}));
  EXPECT_THAT(
      Msg(InferDotGeneralType(T({8, 4, 3}), T({7, 3, 5}), d, ElementType::kF32)
              .status()),
      HasSubstr(
          "lhs dimension 0 (size 8) does not match rhs dimension 0 (size 7)"));
  d.rhs_contracting_dimensions = {0};
  EXPECT_THAT(
      Msg(InferDotGeneralType(T({8, 4, 3}), T({8, 3, 5}), d, ElementType::kF32)
              .status()),
      HasSubstr("repeats dimension 0"));
  EXPECT_EQ(*InferDotType(T({3}), T({3, 5}), ElementType::kF32), T({5}));
  EXPECT_EQ(*InferDotType(T({3}), T({3}), ElementType::kF32), T({}));
}

TEST(ShapeInferenceTest, Convolution) {
  ConvDimensionNumbers d;
  d.input_batch_dimension = 0;
  d.input_feature_dimension = 3;
  d.input_spatial_dimensions = {1, 2};
  d.kernel_spatial_dimensions = {0, 1};
  d.kernel_input_feature_dimension = 2;
  d.kernel_output_feature_dimension = 3;
  d.output_batch_dimension = 0;
  d.output_feature_dimension = 3;
  d.output_spatial_dimensions = {1, 2};
  ConvWindow w;
  w.strides = {2, 2};
  w.padding = {{3, 3}, {3, 3}};
  w.lhs_dilation = {1, 1};
  w.rhs_dilation = {1, 1};
  w.reversal = {false, false};
  // ResNet-50's stem: 224x224x3 with a 7x7/2 kernel -> 112x112x64.
  EXPECT_EQ(*InferConvolutionType(T({1, 224, 224, 3}), T({7, 7, 3, 64}), d, w,
                                  1, 1, ElementType::kF32),
            T({1, 112, 112, 64}));
  // Depthwise: 4 groups of 1 input feature each.
  w.strides = {1, 1};
  w.padding = {{0, 0}, {0, 0}};
  EXPECT_EQ(*InferConvolutionType(T({1, 5, 5, 4}), T({3, 3, 1, 8}), d, w, 4, 1,
                                  ElementType::kF32),
            T({1, 3, 3, 8}));
  EXPECT_FALSE(InferConvolutionType(T({1, 5, 5, 4}), T({3, 3, 2, 8}), d, w, 4,
                                    1, ElementType::kF32)
                   .ok());
  EXPECT_EQ(*WindowedOutputSize(16, 3, 1, 2, 1, 2, 2), 33);
  EXPECT_EQ(*WindowedOutputSize(2, 5, 1, 1, 1, 0, 0), 0);
  EXPECT_FALSE(WindowedOutputSize(8, 3, 1, 1, int64_t{1} << 62, 0, 0).ok());
  EXPECT_FALSE(
      WindowedOutputSize(int64_t{1} << 40, 1, 1, int64_t{1} << 40, 1, 0, 0)
          .ok());
}

TEST(ShapeInferenceTest, ReduceAndReduceWindow) {
  auto r = InferReduceTypes({T({4, 5}), T({4, 5}, ElementType::kS32)},
                            {T({}), T({}, ElementType::kS32)}, {0});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0], T({5}));
  EXPECT_EQ((*r)[1], T({5}, ElementType::kS32));
  EXPECT_FALSE(InferReduceTypes({T({4})}, {T({1})}, {0}).ok());
  EXPECT_FALSE(InferReduceTypes({T({4})}, {T({})}, {1}).ok());
  auto w = InferReduceWindowTypes({T({1, 112, 112, 64})}, {T({})}, {1, 3, 3, 1},
                                  {1, 2, 2, 1}, {1, 1, 1, 1}, {1, 1, 1, 1},
                                  {{0, 0}, {1, 1}, {1, 1}, {0, 0}});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)[0], T({1, 56, 56, 64}));
  EXPECT_FALSE(
      InferReduceWindowTypes({T({4})}, {T({})}, {0}, {1}, {1}, {1}, {{0, 0}})
          .ok());
}

TEST(ShapeInferenceTest, GatherScatter) {
  GatherDimensionNumbers g;
  g.offset_dims = {2};
  g.collapsed_slice_dims = {0};
  g.start_index_map = {0};
  g.index_vector_dim = 2;
  // Embedding lookup: [vocab, 256] table, [33, 79, 1] ids -> [33, 79, 256].
  EXPECT_EQ(*InferGatherType(T({1968, 256}), T({33, 79, 1}, ElementType::kS32),
                             g, {1, 256}),
            T({33, 79, 256}));
  EXPECT_THAT(
      Msg(InferGatherType(T({1968, 256}), T({33, 79, 2}, ElementType::kS32), g,
                          {1, 256})
              .status()),
      HasSubstr("start_index_map has 1 entries but the index vector has 2"));
  ScatterDimensionNumbers s;
  s.update_window_dims = {1};
  s.inserted_window_dims = {0};
  s.scatter_dims_to_operand_dims = {0};
  s.index_vector_dim = 1;
  EXPECT_TRUE(
      CheckScatter({T({3, 4})}, T({2, 1}, ElementType::kS32), {T({2, 4})}, s)
          .ok());
  EXPECT_FALSE(
      CheckScatter({T({3, 4})}, T({2, 1}, ElementType::kS32), {T({2, 4, 1})}, s)
          .ok());
}

TEST(ShapeInferenceTest, Fft) {
  EXPECT_EQ(*InferFftType(T({3, 8}), FftType::kRfft, {8}),
            T({3, 5}, ElementType::kC64));
  EXPECT_EQ(*InferFftType(T({3, 5}, ElementType::kC128), FftType::kIrfft, {8}),
            T({3, 8}, ElementType::kF64));
  EXPECT_FALSE(
      InferFftType(T({3, 6}, ElementType::kC64), FftType::kIrfft, {8}).ok());
  EXPECT_FALSE(InferFftType(T({8}), FftType::kFft, {8}).ok());
}

}  // namespace
}  // namespace backplane::ir
