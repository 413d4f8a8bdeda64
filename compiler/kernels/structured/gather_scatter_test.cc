#include <numeric>

#include "compiler/kernels/structured/gather.h"
#include "compiler/kernels/structured/scatter.h"
#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

std::vector<int64_t> Iota64(int n, int start) {
  std::vector<int64_t> v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

Literal SpecIndices() {
  return S64({2, 2, 3, 2}, {0, 0, 1, 0, 2, 1, 0, 1, 1, 1, 0, 9,
                            0, 0, 2, 1, 2, 2, 1, 2, 0, 1, 1, 0});
}

TEST(GatherTest, SpecExampleWithBatchingDims) {
  Literal operand = S64({2, 3, 4, 2}, Iota64(48, 1));
  GatherDimensionNumbers dn;
  dn.offset_dims = {3, 4};
  dn.collapsed_slice_dims = {1};
  dn.operand_batching_dims = {0};
  dn.start_indices_batching_dims = {1};
  dn.start_index_map = {2, 1};
  dn.index_vector_dim = 3;
  absl::StatusOr<Literal> r = Gather(operand, SpecIndices(), dn, {1, 1, 2, 2});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{2, 2, 3, 2, 2}));
  EXPECT_EQ(
      ToVector<int64_t>(*r),
      (std::vector<int64_t>{1,  2,  3,  4,  3,  4,  5,  6,  13, 14, 15, 16,  //
                            33, 34, 35, 36, 35, 36, 37, 38, 41, 42, 43, 44,  //
                            1,  2,  3,  4,  13, 14, 15, 16, 21, 22, 23, 24,  //
                            43, 44, 45, 46, 33, 34, 35, 36, 27, 28, 29, 30}));
}

TEST(GatherTest, EmbeddingLookupClampsIndices) {
  Literal table = S64({4, 3}, Iota64(12, 0));
  // Implicit index vector (index_vector_dim == rank), unsigned indices.
  Literal ids = MakeLiteral<uint32_t>(ElementType::kU32, {3}, {2, 100, 0});
  GatherDimensionNumbers dn;
  dn.offset_dims = {1};
  dn.collapsed_slice_dims = {0};
  dn.start_index_map = {0};
  dn.index_vector_dim = 1;
  absl::StatusOr<Literal> r = Gather(table, ids, dn, {1, 3});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ToVector<int64_t>(*r),
            (std::vector<int64_t>{6, 7, 8, 9, 10, 11, 0, 1, 2}));
  // Negative start clamps to 0; a 2-wide window clamps to start <= 2.
  Literal ids2 = S32({2, 1}, {-7, 3});
  GatherDimensionNumbers dn2;
  dn2.offset_dims = {1, 2};
  dn2.start_index_map = {0};
  dn2.index_vector_dim = 1;
  absl::StatusOr<Literal> r2 = Gather(table, ids2, dn2, {2, 2});
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_EQ(ToVector<int64_t>(*r2),
            (std::vector<int64_t>{0, 1, 3, 4, 6, 7, 9, 10}));
}

TEST(GatherTest, HugeUnsignedIndicesClampAndScatterSkips) {
  Literal table = S64({4}, {10, 11, 12, 13});
  Literal ids = MakeLiteral<uint64_t>(ElementType::kU64, {2},
                                      {~uint64_t{0}, uint64_t{1} << 63});
  GatherDimensionNumbers dn;
  dn.collapsed_slice_dims = {0};
  dn.start_index_map = {0};
  dn.index_vector_dim = 1;
  absl::StatusOr<Literal> r = Gather(table, ids, dn, {1});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ToVector<int64_t>(*r), (std::vector<int64_t>{13, 13}));
  ScatterDimensionNumbers sdn;
  sdn.inserted_window_dims = {0};
  sdn.scatter_dims_to_operand_dims = {0};
  sdn.index_vector_dim = 1;
  Literal big = S64({2}, {INT64_MIN, INT64_MAX});
  Literal updates = S64({2}, {1, 2});
  ScalarComputation replace;
  replace.kind = BodyKind::kReplace;
  auto s = Scatter({&table}, big, {&updates}, sdn, replace);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(ToVector<int64_t>((*s)[0]), ToVector<int64_t>(table));
}

TEST(GatherTest, BadDimensionNumbers) {
  Literal table = S64({4, 3}, Iota64(12, 0));
  Literal ids = S32({3}, {0, 1, 2});
  GatherDimensionNumbers dn;
  dn.offset_dims = {1};
  dn.collapsed_slice_dims = {0};
  dn.start_index_map = {0};
  dn.index_vector_dim = 1;
  ASSERT_TRUE(Gather(table, ids, dn, {1, 3}).ok());
  EXPECT_EQ(Gather(table, ids, dn, {2, 3}).status().code(),
            absl::StatusCode::kInvalidArgument);  // Collapsed size 2.
  EXPECT_FALSE(Gather(table, ids, dn, {1, 4}).ok());
  EXPECT_FALSE(Gather(table, ids, dn, {1}).ok());
  GatherDimensionNumbers bad = dn;
  bad.start_index_map = {0, 1};
  EXPECT_FALSE(Gather(table, ids, bad, {1, 3}).ok());
  bad = dn;
  bad.index_vector_dim = 3;
  EXPECT_FALSE(Gather(table, ids, bad, {1, 3}).ok());
  bad = dn;
  bad.offset_dims = {};
  EXPECT_FALSE(Gather(table, ids, bad, {1, 3}).ok());
  EXPECT_FALSE(Gather(table, F32({1}, {0}), dn, {1, 3}).ok());
}

TEST(ScatterTest, SpecExampleWithBatchingDims) {
  Literal input = S64({2, 3, 4, 2}, Iota64(48, 1));
  Literal updates = S64({2, 2, 3, 2, 2}, std::vector<int64_t>(48, 1));
  ScatterDimensionNumbers dn;
  dn.update_window_dims = {3, 4};
  dn.inserted_window_dims = {1};
  dn.input_batching_dims = {0};
  dn.scatter_indices_batching_dims = {1};
  dn.scatter_dims_to_operand_dims = {2, 1};
  dn.index_vector_dim = 3;
  auto add = [](int64_t a, int64_t b) { return a + b; };
  for (BodyKind kind : {BodyKind::kAdd, BodyKind::kGeneric}) {
    int64_t calls = 0;
    absl::StatusOr<std::vector<Literal>> r =
        Scatter({&input}, SpecIndices(), {&updates}, dn,
                FastBody<int64_t>(ElementType::kS64, kind, add, &calls));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(
        ToVector<int64_t>((*r)[0]),
        (std::vector<int64_t>{3,  4,  6,  7,  6,  7,  7,  8,  9,  10, 11, 12,
                              15, 16, 17, 18, 17, 18, 19, 20, 22, 23, 24, 25,
                              25, 26, 28, 29, 30, 31, 31, 32, 35, 36, 38, 39,
                              38, 39, 39, 40, 41, 42, 44, 45, 46, 47, 47, 48}));
    // The window at [0, 9] is out of bounds in dimension 1 and skipped.
    EXPECT_EQ(calls, kind == BodyKind::kAdd ? 0 : 44);
  }
}

TEST(ScatterTest, PartlyOutOfBoundsWindowsSkipOnlyOutsideElements) {
  Literal input = S64({5}, {0, 0, 0, 0, 0});
  Literal idx = S32({3, 1}, {-1, 3, 7});
  Literal updates = S64({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  ScatterDimensionNumbers dn;
  dn.update_window_dims = {1};
  dn.scatter_dims_to_operand_dims = {0};
  dn.index_vector_dim = 1;
  auto r = Scatter({&input}, idx, {&updates}, dn,
                   FastBody<int64_t>(ElementType::kS64, BodyKind::kReplace,
                                     [](int64_t, int64_t b) { return b; }));
  ASSERT_TRUE(r.ok()) << r.status();
  // Window at -1 writes 2, 3 to [0, 1]; window at 3 writes 4, 5 to [3, 4].
  EXPECT_EQ(ToVector<int64_t>((*r)[0]), (std::vector<int64_t>{2, 3, 0, 4, 5}));
}

TEST(ScatterTest, MultipleOperandsAndErrors) {
  Literal a = S64({3}, {10, 20, 30});
  Literal b = F32({3}, {1, 2, 3});
  Literal idx = S32({2}, {2, 0});
  Literal ua = S64({2}, {5, 6});
  Literal ub = F32({2}, {0.5f, 0.25f});
  ScatterDimensionNumbers dn;
  dn.inserted_window_dims = {0};
  dn.scatter_dims_to_operand_dims = {0};
  dn.index_vector_dim = 1;
  ScalarComputation mul;
  mul.kind = BodyKind::kMultiply;
  auto r = Scatter({&a, &b}, idx, {&ua, &ub}, dn, mul);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ToVector<int64_t>((*r)[0]), (std::vector<int64_t>{60, 20, 150}));
  EXPECT_EQ(ToVector<float>((*r)[1]), (std::vector<float>{0.25f, 2, 1.5f}));
  EXPECT_FALSE(Scatter({&a, &b}, idx, {&ua}, dn, mul).ok());
  EXPECT_FALSE(Scatter({&a}, idx, {&ub}, dn, mul).ok());
  ScatterDimensionNumbers bad = dn;
  bad.inserted_window_dims = {};
  EXPECT_EQ(Scatter({&a}, idx, {&ua}, bad, mul).status().code(),
            absl::StatusCode::kInvalidArgument);
  Literal wrong_updates = S64({3}, {1, 2, 3});
  EXPECT_FALSE(Scatter({&a}, idx, {&wrong_updates}, dn, mul).ok());
}

}  // namespace
}  // namespace backplane::kernels::structured
