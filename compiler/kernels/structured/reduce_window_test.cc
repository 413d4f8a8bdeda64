#include "compiler/kernels/structured/reduce_window.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "compiler/kernels/structured/reference_util.h"
#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

auto AddI64 = [](int64_t a, int64_t b) { return a + b; };

TEST(ReduceWindowTest, SpecExample) {
  Literal x = S64({3, 2}, {1, 2, 3, 4, 5, 6});
  Literal zero = S64({}, {0});
  WindowParams w;
  w.window_dimensions = {2, 1};
  w.window_strides = {4, 1};
  w.base_dilations = {2, 1};
  w.window_dilations = {3, 1};
  w.padding = {{2, 1}, {0, 0}};
  for (BodyKind kind : {BodyKind::kAdd, BodyKind::kGeneric}) {
    auto r = ReduceWindow({&x}, {&zero}, w,
                          FastBody<int64_t>(ElementType::kS64, kind, AddI64));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ((*r)[0].dims(), (std::vector<int64_t>{2, 2}));
    EXPECT_EQ(ToVector<int64_t>((*r)[0]), (std::vector<int64_t>{0, 0, 3, 4}));
  }
}

// Windows of [-0, +0] and [+0, -0]: maximum gives +0 and minimum -0 either
// way round, as stablehlo.maximum/minimum do; NaN in a window propagates.
TEST(ReduceWindowTest, MaxMinOrderSignedZerosAndPropagateNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Literal x = F32({5}, {-0.0f, 0.0f, -0.0f, nan, 2.0f});
  Literal neg_inf = F32({}, {-std::numeric_limits<float>::infinity()});
  Literal pos_inf = F32({}, {std::numeric_limits<float>::infinity()});
  WindowParams w;
  w.window_dimensions = {2};
  w.window_strides = {1};
  auto unused = [](float a, float) { return a; };
  auto max =
      ReduceWindow({&x}, {&neg_inf}, w,
                   FastBody<float>(ElementType::kF32, BodyKind::kMax, unused));
  ASSERT_TRUE(max.ok()) << max.status();
  std::vector<float> m = ToVector<float>((*max)[0]);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_FALSE(std::signbit(m[0]));  // [-0, +0]
  EXPECT_FALSE(std::signbit(m[1]));  // [+0, -0]
  EXPECT_TRUE(std::isnan(m[2]));
  EXPECT_TRUE(std::isnan(m[3]));
  auto min =
      ReduceWindow({&x}, {&pos_inf}, w,
                   FastBody<float>(ElementType::kF32, BodyKind::kMin, unused));
  ASSERT_TRUE(min.ok()) << min.status();
  std::vector<float> n = ToVector<float>((*min)[0]);
  EXPECT_TRUE(std::signbit(n[0]));
  EXPECT_TRUE(std::signbit(n[1]));
  EXPECT_EQ(n[0], 0.0f);
  EXPECT_TRUE(std::isnan(n[3]));
}

TEST(ReduceWindowTest, PaddingContributesInitValue) {
  // Padding elements are the init value, reduced in like any other.
  Literal x = S64({3}, {1, 2, 3});
  Literal ten = S64({}, {10});
  WindowParams w;
  w.window_dimensions = {2};
  w.padding = {{1, 0}};
  auto r = ReduceWindow(
      {&x}, {&ten}, w,
      FastBody<int64_t>(ElementType::kS64, BodyKind::kAdd, AddI64));
  ASSERT_TRUE(r.ok());
  // Windows: [pad,1] [1,2] [2,3], each plus the init 10.
  EXPECT_EQ(ToVector<int64_t>((*r)[0]), (std::vector<int64_t>{21, 13, 15}));
}

TEST(ReduceWindowTest, MaxPoolMatchesGeneric) {
  Literal x = RandomLiteral(ElementType::kF32, {2, 9, 8, 3}, 5);
  Literal init = F32({}, {-INFINITY});
  WindowParams w;
  w.window_dimensions = {1, 3, 3, 1};
  w.window_strides = {1, 2, 2, 1};
  w.padding = {{0, 0}, {1, 1}, {0, 1}, {0, 0}};
  w.window_dilations = {1, 1, 2, 1};
  auto mx = [](float a, float b) { return std::max(a, b); };
  int64_t calls = 0;
  auto fast = ReduceWindow(
      {&x}, {&init}, w,
      FastBody<float>(ElementType::kF32, BodyKind::kMax, mx, &calls));
  auto slow =
      ReduceWindow({&x}, {&init}, w, GenericBody<float>(ElementType::kF32, mx));
  ASSERT_TRUE(fast.ok() && slow.ok());
  EXPECT_EQ(calls, 0);
  EXPECT_EQ((*fast)[0].dims(), (std::vector<int64_t>{2, 5, 3, 3}));
  EXPECT_EQ(ToVector<float>((*fast)[0]), ToVector<float>((*slow)[0]));
}

TEST(ReduceWindowTest, EmptyWindowGridAndErrors) {
  Literal x = S64({2}, {1, 2});
  Literal zero = S64({}, {0});
  auto add = FastBody<int64_t>(ElementType::kS64, BodyKind::kAdd, AddI64);
  WindowParams big;
  big.window_dimensions = {3};
  auto r = ReduceWindow({&x}, {&zero}, big, add);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].element_count(), 0);
  WindowParams bad;
  bad.window_dimensions = {0};
  EXPECT_EQ(ReduceWindow({&x}, {&zero}, bad, add).status().code(),
            absl::StatusCode::kInvalidArgument);
  WindowParams rank;
  rank.window_dimensions = {1, 1};
  EXPECT_FALSE(ReduceWindow({&x}, {&zero}, rank, add).ok());
  // A legal window whose total work (81 windows of 2^34 elements) is absurd.
  Literal x2 = S64({1, 1}, {1});
  WindowParams huge;
  huge.window_dimensions = {int64_t{1} << 17, int64_t{1} << 17};
  huge.padding = {{(int64_t{1} << 17) + 8, 0}, {(int64_t{1} << 17) + 8, 0}};
  EXPECT_EQ(ReduceWindow({&x2}, {&zero}, huge, add).status().code(),
            absl::StatusCode::kResourceExhausted);
  WindowParams neg;
  neg.window_dimensions = {1};
  neg.padding = {{-3, 0}};
  EXPECT_FALSE(ReduceWindow({&x}, {&zero}, neg, add).ok());
}

TEST(SelectAndScatterTest, SpecExample) {
  Literal operand = S64({4, 2}, {1, 5, 2, 5, 3, 6, 4, 4});
  Literal source = S64({2, 2}, {5, 6, 7, 8});
  Literal zero = S64({}, {0});
  WindowParams w;
  w.window_dimensions = {3, 1};
  w.window_strides = {2, 1};
  w.padding = {{0, 1}, {0, 0}};
  Comparator ge;
  ge.kind = CompareKind::kGreaterEqual;
  Comparator ge_generic;
  ge_generic.fn = [](absl::Span<const Literal> a) -> absl::StatusOr<bool> {
    return a[0].data<int64_t>()[0] >= a[1].data<int64_t>()[0];
  };
  for (const Comparator& sel : {ge, ge_generic}) {
    for (BodyKind kind : {BodyKind::kAdd, BodyKind::kGeneric}) {
      auto r =
          SelectAndScatter(operand, source, zero, w, sel,
                           FastBody<int64_t>(ElementType::kS64, kind, AddI64));
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(ToVector<int64_t>(*r),
                (std::vector<int64_t>{0, 0, 0, 0, 5, 14, 7, 0}));
    }
  }
  Literal wrong_source = S64({3, 2}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(SelectAndScatter(
                operand, wrong_source, zero, w, ge,
                FastBody<int64_t>(ElementType::kS64, BodyKind::kAdd, AddI64))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace backplane::kernels::structured
