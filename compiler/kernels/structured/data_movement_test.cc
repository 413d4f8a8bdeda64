#include "compiler/kernels/structured/data_movement.h"

#include <complex>
#include <numeric>

#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

std::vector<int32_t> Iota(int n, int start = 1) {
  std::vector<int32_t> v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

TEST(BroadcastInDimTest, SpecExample) {
  Literal x = S32({1, 3}, {1, 2, 3});
  absl::StatusOr<Literal> r = BroadcastInDim(x, {2, 3, 2}, {2, 1});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{2, 3, 2}));
  EXPECT_EQ(ToVector<int32_t>(*r),
            (std::vector<int32_t>{1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}));
}

TEST(BroadcastInDimTest, ScalarAndErrors) {
  Literal s = S32({}, {7});
  absl::StatusOr<Literal> r = BroadcastInDim(s, {2, 2}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>(*r), (std::vector<int32_t>{7, 7, 7, 7}));
  Literal x = S32({3}, {1, 2, 3});
  EXPECT_EQ(BroadcastInDim(x, {2, 4}, {1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BroadcastInDim(x, {2, 3}, {2}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BroadcastInDim(x, {3, 3}, {0, 1}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TransposeTest, SpecExample) {
  Literal x = S32({2, 3, 2}, Iota(12));
  absl::StatusOr<Literal> r = Transpose(x, {2, 1, 0});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{2, 3, 2}));
  EXPECT_EQ(ToVector<int32_t>(*r),
            (std::vector<int32_t>{1, 7, 3, 9, 5, 11, 2, 8, 4, 10, 6, 12}));
  EXPECT_FALSE(Transpose(x, {0, 0, 1}).ok());
  EXPECT_FALSE(Transpose(x, {0, 1}).ok());
}

TEST(TransposeTest, LargeTiledMatchesNaive) {
  // Exercises the tiled path (both sides >= 8) with complex elements too.
  const int64_t a = 37, b = 45, c = 3;
  std::vector<std::complex<double>> v(a * b * c);
  for (size_t i = 0; i < v.size(); ++i) v[i] = {double(i), -double(i)};
  Literal x = MakeLiteral(ElementType::kC128, {a, b, c}, v);
  absl::StatusOr<Literal> r = Transpose(x, {2, 1, 0});
  ASSERT_TRUE(r.ok());
  auto out = r->data<std::complex<double>>();
  for (int64_t i = 0; i < a; ++i)
    for (int64_t j = 0; j < b; ++j)
      for (int64_t k = 0; k < c; ++k)
        ASSERT_EQ(out[(k * b + j) * a + i], v[(i * b + j) * c + k]);
  absl::StatusOr<Literal> r2 =
      Transpose(S32({64, 40}, Iota(64 * 40, 0)), {1, 0});
  ASSERT_TRUE(r2.ok());
  auto o2 = r2->data<int32_t>();
  for (int i = 0; i < 64; ++i)
    for (int j = 0; j < 40; ++j) ASSERT_EQ(o2[j * 64 + i], i * 40 + j);
}

TEST(ReshapeTest, KeepsOrderAndChecksCount) {
  Literal x = S32({2, 3}, Iota(6));
  absl::StatusOr<Literal> r = Reshape(x, {3, 2});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>(*r), Iota(6));
  EXPECT_EQ(Reshape(x, {4, 2}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Reshape(x, {-1, -6}).ok());
}

TEST(SliceTest, SpecExample) {
  Literal x = S32({3, 4}, {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1});
  absl::StatusOr<Literal> r = Slice(x, {1, 2}, {3, 4}, {1, 1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>(*r), (std::vector<int32_t>{1, 1, 1, 1}));
}

TEST(SliceTest, StridesEmptyAndErrors) {
  Literal x = S32({10}, Iota(10, 0));
  absl::StatusOr<Literal> r = Slice(x, {1}, {8}, {3});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>(*r), (std::vector<int32_t>{1, 4, 7}));
  absl::StatusOr<Literal> empty = Slice(x, {4}, {4}, {1});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->element_count(), 0);
  EXPECT_FALSE(Slice(x, {5}, {4}, {1}).ok());
  EXPECT_FALSE(Slice(x, {0}, {11}, {1}).ok());
  EXPECT_FALSE(Slice(x, {0}, {4}, {0}).ok());
}

TEST(DynamicSliceTest, SpecExampleClampsIndices) {
  Literal x = S32({4, 4}, {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0});
  absl::StatusOr<Literal> r = DynamicSlice(x, {-1, 3}, {2, 2});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>(*r), (std::vector<int32_t>{1, 1, 1, 1}));
  EXPECT_FALSE(DynamicSlice(x, {0, 0}, {5, 1}).ok());
}

TEST(DynamicUpdateSliceTest, SpecExampleClampsIndices) {
  Literal x = S32({4, 4}, {1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1});
  Literal u = S32({2, 2}, {1, 1, 1, 1});
  absl::StatusOr<Literal> r = DynamicUpdateSlice(x, u, {-1, 3});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>(*r), std::vector<int32_t>(16, 1));
  EXPECT_FALSE(DynamicUpdateSlice(x, S32({5, 1}, Iota(5)), {0, 0}).ok());
}

TEST(ConcatenateTest, SpecExample) {
  Literal a = S32({3, 2}, Iota(6));
  Literal b = S32({1, 2}, {7, 8});
  absl::StatusOr<Literal> r = Concatenate({&a, &b}, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>(*r), Iota(8));
  absl::StatusOr<Literal> c = Concatenate({&a, &a}, 1);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(ToVector<int32_t>(*c),
            (std::vector<int32_t>{1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6}));
  EXPECT_FALSE(Concatenate({&a, &b}, 1).ok());
  EXPECT_FALSE(Concatenate({&a}, 2).ok());
}

TEST(PadTest, SpecExample) {
  Literal x = S32({2, 3}, Iota(6));
  Literal zero = S32({}, {0});
  absl::StatusOr<Literal> r = Pad(x, zero, {0, 1}, {2, 1}, {1, 2});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{5, 9}));
  std::vector<int32_t> expected = {0, 1, 0, 0, 2, 0, 0, 3, 0,  //
                                   0, 0, 0, 0, 0, 0, 0, 0, 0,  //
                                   0, 4, 0, 0, 5, 0, 0, 6, 0,  //
                                   0, 0, 0, 0, 0, 0, 0, 0, 0,  //
                                   0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(ToVector<int32_t>(*r), expected);
}

TEST(PadTest, NegativeAndInteriorPadding) {
  Literal x = S32({5}, Iota(5));
  Literal nine = S32({}, {9});
  // Interior 1: 1 9 2 9 3 9 4 9 5; low -3 drops "1 9 2", high -1 drops "5".
  absl::StatusOr<Literal> r = Pad(x, nine, {-3}, {-1}, {1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>(*r), (std::vector<int32_t>{9, 3, 9, 4, 9}));
  absl::StatusOr<Literal> r2 = Pad(x, nine, {-2}, {1}, {0});
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(ToVector<int32_t>(*r2), (std::vector<int32_t>{3, 4, 5, 9}));
  absl::StatusOr<Literal> gone = Pad(x, nine, {-5}, {0}, {0});
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->element_count(), 0);
  EXPECT_FALSE(Pad(x, nine, {-6}, {0}, {0}).ok());
  EXPECT_FALSE(Pad(x, nine, {0}, {0}, {-1}).ok());
  EXPECT_FALSE(Pad(x, S64({}, {0}), {0}, {0}, {0}).ok());
  EXPECT_FALSE(Pad(x, nine, {0}, {0}, {int64_t{1} << 40}).ok());
}

TEST(ReverseTest, SpecExample) {
  Literal x = S32({3, 2}, Iota(6));
  absl::StatusOr<Literal> r = Reverse(x, {1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>(*r), (std::vector<int32_t>{2, 1, 4, 3, 6, 5}));
  absl::StatusOr<Literal> r2 = Reverse(x, {0, 1});
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(ToVector<int32_t>(*r2), (std::vector<int32_t>{6, 5, 4, 3, 2, 1}));
  EXPECT_FALSE(Reverse(x, {2}).ok());
  EXPECT_FALSE(Reverse(x, {1, 1}).ok());
}

TEST(DataMovementTest, OneByteAndSixteenByteElements) {
  // s4 values are stored one per byte; data movement only sees bytes.
  Literal s4 = MakeLiteral<int8_t>(ElementType::kS4, {2, 2}, {-8, 7, 1, -1});
  Literal pad4 = MakeLiteral<int8_t>(ElementType::kS4, {}, {3});
  absl::StatusOr<Literal> p = Pad(s4, pad4, {1, 0}, {0, 1}, {0, 0});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ToVector<int8_t>(*p),
            (std::vector<int8_t>{3, 3, 3, -8, 7, 3, 1, -1, 3}));
  Literal pred = MakeLiteral<uint8_t>(ElementType::kPred, {3}, {1, 0, 0});
  EXPECT_EQ(ToVector<uint8_t>(*Reverse(pred, {0})),
            (std::vector<uint8_t>{0, 0, 1}));
  std::vector<std::complex<double>> c = {{1, 2}, {3, 4}, {5, 6}};
  Literal c128 = MakeLiteral(ElementType::kC128, {3}, c);
  absl::StatusOr<Literal> b = BroadcastInDim(c128, {2, 3}, {1});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->data<std::complex<double>>()[4], c[1]);
  absl::StatusOr<Literal> sl = Slice(c128, {1}, {3}, {1});
  EXPECT_EQ(sl->data<std::complex<double>>()[1], c[2]);
}

TEST(DataMovementTest, ZeroSizedDimensions) {
  Literal x(ir::TensorType(ElementType::kF32, {0, 3}));
  EXPECT_EQ(Transpose(x, {1, 0})->dims(), (std::vector<int64_t>{3, 0}));
  EXPECT_EQ(Reverse(x, {0})->element_count(), 0);
  absl::StatusOr<Literal> p = Pad(x, F32({}, {1.5f}), {1, 0}, {0, 0}, {0, 0});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ToVector<float>(*p), (std::vector<float>{1.5f, 1.5f, 1.5f}));
}

}  // namespace
}  // namespace backplane::kernels::structured
