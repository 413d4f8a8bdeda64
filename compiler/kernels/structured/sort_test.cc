#include "compiler/kernels/structured/sort.h"

#include <cmath>
#include <limits>

#include "compiler/kernels/structured/test_util.h"
#include "compiler/kernels/structured/top_k.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

Comparator Fast(CompareKind kind, bool total_order = false) {
  Comparator c;
  c.kind = kind;
  c.total_order = total_order;
  return c;
}

TEST(SortTest, SpecExample) {
  // Sort two operands along dimension 0 by operand 0, descending (GT).
  Literal a = S64({2, 3}, {1, 2, 3, 3, 2, 1});
  Literal b = S64({2, 3}, {3, 2, 1, 1, 2, 3});
  auto r = Sort({&a, &b}, 0, true, Fast(CompareKind::kGreater));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ToVector<int64_t>((*r)[0]),
            (std::vector<int64_t>{3, 2, 3, 1, 2, 1}));
  EXPECT_EQ(ToVector<int64_t>((*r)[1]),
            (std::vector<int64_t>{1, 2, 1, 3, 2, 3}));
}

TEST(SortTest, StableOnTiesAndGenericComparatorAgrees) {
  Literal keys = S32({8}, {3, 1, 3, 2, 1, 3, 2, 1});
  Literal payload = S32({8}, {0, 1, 2, 3, 4, 5, 6, 7});
  auto fast = Sort({&keys, &payload}, 0, true, Fast(CompareKind::kLess));
  ASSERT_TRUE(fast.ok());
  EXPECT_EQ(ToVector<int32_t>((*fast)[0]),
            (std::vector<int32_t>{1, 1, 1, 2, 2, 3, 3, 3}));
  EXPECT_EQ(ToVector<int32_t>((*fast)[1]),
            (std::vector<int32_t>{1, 4, 7, 3, 6, 0, 2, 5}));
  int calls = 0;
  Comparator generic;
  generic.fn = [&calls](absl::Span<const Literal> a) -> absl::StatusOr<bool> {
    ++calls;
    return a[0].data<int32_t>()[0] < a[1].data<int32_t>()[0];
  };
  auto slow = Sort({&keys, &payload}, -1, true, generic);
  ASSERT_TRUE(slow.ok());
  EXPECT_GT(calls, 0);
  EXPECT_EQ(ToVector<int32_t>((*slow)[1]), ToVector<int32_t>((*fast)[1]));
  // LE sorts like LT (stable), GE like GT.
  auto le = Sort({&keys, &payload}, 0, false, Fast(CompareKind::kLessEqual));
  EXPECT_EQ(ToVector<int32_t>((*le)[1]), ToVector<int32_t>((*fast)[1]));
}

TEST(SortTest, GenericComparatorOverTwoKeys) {
  // Lexicographic (a ascending, then b descending) over two operands.
  Literal a = S32({5}, {2, 1, 2, 1, 2});
  Literal b = F32({5}, {0.5f, 3, 1.5f, 2, 1.5f});
  Literal tag = S32({5}, {0, 1, 2, 3, 4});
  Comparator c;
  c.fn = [](absl::Span<const Literal> x) -> absl::StatusOr<bool> {
    int32_t a0 = x[0].data<int32_t>()[0], a1 = x[1].data<int32_t>()[0];
    float b0 = x[2].data<float>()[0], b1 = x[3].data<float>()[0];
    return a0 != a1 ? a0 < a1 : b0 > b1;
  };
  auto r = Sort({&a, &b, &tag}, 0, true, c);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ToVector<int32_t>((*r)[2]), (std::vector<int32_t>{1, 3, 2, 4, 0}));
}

TEST(SortTest, TotalOrderPlacesNaNs) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Literal x = F32({6}, {1.0f, -nan, nan, -0.0f, 0.0f, -INFINITY});
  auto r = Sort({&x}, 0, true, Fast(CompareKind::kLess, true));
  ASSERT_TRUE(r.ok());
  auto v = (*r)[0].data<float>();
  EXPECT_TRUE(std::isnan(v[0]) && std::signbit(v[0]));
  EXPECT_EQ(v[1], -INFINITY);
  EXPECT_TRUE(v[2] == 0.0f && std::signbit(v[2]));
  EXPECT_TRUE(v[3] == 0.0f && !std::signbit(v[3]));
  EXPECT_EQ(v[4], 1.0f);
  EXPECT_TRUE(std::isnan(v[5]) && !std::signbit(v[5]));
  // Without TOTALORDER, NaN breaks `<` but the sort still terminates with a
  // permutation of the input.
  auto ieee = Sort({&x}, 0, true, Fast(CompareKind::kLess));
  ASSERT_TRUE(ieee.ok());
  EXPECT_EQ((*ieee)[0].element_count(), 6);
}

TEST(SortTest, InnerDimensionAndEdgeCases) {
  Literal x = S32({2, 3}, {5, 1, 4, 0, 9, 2});
  auto r = Sort({&x}, 1, true, Fast(CompareKind::kLess));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int32_t>((*r)[0]),
            (std::vector<int32_t>{1, 4, 5, 0, 2, 9}));
  auto cols = Sort({&x}, 0, true, Fast(CompareKind::kGreaterEqual));
  EXPECT_EQ(ToVector<int32_t>((*cols)[0]),
            (std::vector<int32_t>{5, 9, 4, 0, 1, 2}));
  Literal empty(ir::TensorType(ElementType::kF32, {0, 4}));
  EXPECT_TRUE(Sort({&empty}, 1, true, Fast(CompareKind::kLess)).ok());
  EXPECT_EQ(Sort({&x}, 2, true, Fast(CompareKind::kLess)).status().code(),
            absl::StatusCode::kInvalidArgument);
  Literal other = S32({3, 2}, {1, 2, 3, 4, 5, 6});
  EXPECT_FALSE(Sort({&x, &other}, 0, true, Fast(CompareKind::kLess)).ok());
  Comparator failing;
  failing.fn = [](absl::Span<const Literal>) -> absl::StatusOr<bool> {
    return absl::InternalError("comparator exploded");
  };
  EXPECT_EQ(Sort({&x}, 1, true, failing).status().code(),
            absl::StatusCode::kInternal);
}

TEST(TopKTest, ValuesIndicesTiesAndNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Literal x = F32({2, 5}, {1, 3, 3, 2, 0, 4, nan, -1, 4, INFINITY});
  absl::StatusOr<TopKResult> r = TopK(x, 3);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->values.dims(), (std::vector<int64_t>{2, 3}));
  auto v = r->values.data<float>();
  EXPECT_EQ(v[0], 3);
  EXPECT_EQ(v[1], 3);
  EXPECT_EQ(v[2], 2);
  EXPECT_TRUE(std::isnan(v[3]));
  EXPECT_EQ(v[4], INFINITY);
  EXPECT_EQ(v[5], 4);
  EXPECT_EQ(ToVector<int32_t>(r->indices),
            (std::vector<int32_t>{1, 2, 3, 1, 4, 0}));
  EXPECT_FALSE(TopK(x, 6).ok());
  EXPECT_FALSE(TopK(F32({}, {1}), 1).ok());
  absl::StatusOr<TopKResult> none = TopK(x, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->values.element_count(), 0);
}

}  // namespace
}  // namespace backplane::kernels::structured
