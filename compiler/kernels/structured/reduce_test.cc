#include "compiler/kernels/structured/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "compiler/ir/float16.h"
#include "compiler/kernels/structured/reference_util.h"
#include "compiler/kernels/structured/shape_checks.h"
#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

auto AddI64 = [](int64_t a, int64_t b) { return a + b; };
auto AddF32 = [](float a, float b) { return a + b; };

TEST(ReduceTest, SpecExample) {
  Literal x = S64({1, 6}, {0, 1, 2, 3, 4, 5});
  Literal zero = S64({}, {0});
  int64_t calls = 0;
  ScalarComputation body =
      FastBody<int64_t>(ElementType::kS64, BodyKind::kAdd, AddI64, &calls);
  absl::StatusOr<std::vector<Literal>> r = Reduce({&x}, {&zero}, {1}, body);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].dims(), (std::vector<int64_t>{1}));
  EXPECT_EQ(ToVector<int64_t>((*r)[0]), (std::vector<int64_t>{15}));
  EXPECT_EQ(calls, 0);  // The fast path never calls back.
  absl::StatusOr<std::vector<Literal>> g =
      Reduce({&x}, {&zero}, {1},
             GenericBody<int64_t>(ElementType::kS64, AddI64, &calls));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(ToVector<int64_t>((*g)[0]), (std::vector<int64_t>{15}));
  EXPECT_EQ(calls, 6);
}

// Fast and generic paths agree with a naive reduction for every kind and
// several dimension sets.
TEST(ReduceTest, FastPathMatchesGenericPath) {
  Literal x = RandomLiteral(ElementType::kS32, {3, 4, 5, 6}, 7);
  Literal init = S32({}, {1});
  struct KindCase {
    BodyKind kind;
    int32_t (*op)(int32_t, int32_t);
  };
  const KindCase kinds[] = {
      // Wrapping arithmetic, like the kernels' integer semantics.
      {BodyKind::kAdd,
       [](int32_t a, int32_t b) {
         return static_cast<int32_t>(static_cast<uint32_t>(a) +
                                     static_cast<uint32_t>(b));
       }},
      {BodyKind::kMultiply,
       [](int32_t a, int32_t b) {
         return static_cast<int32_t>(static_cast<uint32_t>(a) *
                                     static_cast<uint32_t>(b));
       }},
      {BodyKind::kMax, [](int32_t a, int32_t b) { return std::max(a, b); }},
      {BodyKind::kMin, [](int32_t a, int32_t b) { return std::min(a, b); }},
      {BodyKind::kAnd, [](int32_t a, int32_t b) { return a & b; }},
      {BodyKind::kOr, [](int32_t a, int32_t b) { return a | b; }},
  };
  const std::vector<std::vector<int64_t>> dim_sets = {
      {}, {0}, {3}, {1, 2}, {0, 2}, {0, 1, 2, 3}, {3, 1}};
  for (const KindCase& k : kinds) {
    for (const auto& dims : dim_sets) {
      int64_t calls = 0;
      auto fast =
          Reduce({&x}, {&init}, dims,
                 FastBody<int32_t>(ElementType::kS32, k.kind, k.op, &calls));
      auto slow = Reduce({&x}, {&init}, dims,
                         GenericBody<int32_t>(ElementType::kS32, k.op));
      ASSERT_TRUE(fast.ok() && slow.ok());
      EXPECT_EQ(calls, 0);
      EXPECT_EQ((*fast)[0].dims(), (*slow)[0].dims());
      EXPECT_EQ(ToVector<int32_t>((*fast)[0]), ToVector<int32_t>((*slow)[0]))
          << "kind " << static_cast<int>(k.kind) << " dims "
          << DimsToString(dims);
    }
  }
}

// Unit dimensions are dropped when the kernel merges dimensions; check the
// result against a naive sum for dimension sets mixing unit and real dims.
TEST(ReduceTest, UnitDimensionsMatchNaiveSum) {
  const std::vector<int64_t> dims = {2, 1, 3, 1, 4};
  Literal x = RandomLiteral(ElementType::kS64, dims, 11);
  Literal zero = S64({}, {0});
  auto body = FastBody<int64_t>(ElementType::kS64, BodyKind::kAdd, AddI64);
  for (const std::vector<int64_t>& red : std::vector<std::vector<int64_t>>{
           {1}, {1, 2}, {0, 3}, {3, 4}, {1, 3}, {0, 2, 4}}) {
    auto r = Reduce({&x}, {&zero}, red, body);
    ASSERT_TRUE(r.ok());
    std::vector<int64_t> kept;
    for (int64_t d = 0; d < 5; ++d) {
      if (std::count(red.begin(), red.end(), d) == 0) kept.push_back(dims[d]);
    }
    std::vector<int64_t> want(r->at(0).element_count(), 0);
    ForEachIndex(dims, [&](absl::Span<const int64_t> idx) {
      std::vector<int64_t> out_idx;
      for (int64_t d = 0; d < 5; ++d) {
        if (std::count(red.begin(), red.end(), d) == 0)
          out_idx.push_back(idx[d]);
      }
      want[LinearIndex(kept, out_idx)] +=
          x.data<int64_t>()[LinearIndex(dims, idx)];
    });
    EXPECT_EQ(ToVector<int64_t>((*r)[0]), want) << DimsToString(red);
  }
}

TEST(ReduceTest, FloatSumOverLongRowsAndColumns) {
  const int64_t rows = 37, cols = 1001;
  Literal x = RandomLiteral(ElementType::kF32, {rows, cols}, 3);
  Literal zero = F32({}, {0});
  auto body = FastBody<float>(ElementType::kF32, BodyKind::kAdd, AddF32);
  auto by_row = Reduce({&x}, {&zero}, {1}, body);
  auto by_col = Reduce({&x}, {&zero}, {0}, body);
  ASSERT_TRUE(by_row.ok() && by_col.ok());
  auto v = x.data<float>();
  for (int64_t i = 0; i < rows; ++i) {
    double s = 0;
    for (int64_t j = 0; j < cols; ++j) s += v[i * cols + j];
    EXPECT_NEAR((*by_row)[0].data<float>()[i], s, 1e-3);
  }
  for (int64_t j = 0; j < cols; ++j) {
    double s = 0;
    for (int64_t i = 0; i < rows; ++i) s += v[i * cols + j];
    ASSERT_NEAR((*by_col)[0].data<float>()[j], s, 1e-4);
  }
}

TEST(ReduceTest, MaxPropagatesNaNAndBF16AccumulatesInF32) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Literal x = F32({4}, {1, nan, 3, 2});
  Literal init = F32({}, {-INFINITY});
  auto r = Reduce({&x}, {&init}, {0},
                  FastBody<float>(ElementType::kF32, BodyKind::kMax,
                                  [](float a, float b) { return a; }));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isnan((*r)[0].data<float>()[0]));
  // 256 + 1 + 1 + ... (bf16 has 8 significant bits): rounding per step
  // would stick at 256; f32 accumulation gives 256 + 64 = 320.
  std::vector<uint16_t> v(65, ir::FloatToBF16(1.0f));
  v[0] = ir::FloatToBF16(256.0f);
  Literal b = MakeLiteral<uint16_t>(ElementType::kBF16, {65}, v);
  Literal bz = MakeLiteral<uint16_t>(ElementType::kBF16, {}, {0});
  auto rb = Reduce({&b}, {&bz}, {0},
                   FastBody<uint16_t>(ElementType::kBF16, BodyKind::kAdd,
                                      [](uint16_t a, uint16_t) { return a; }));
  ASSERT_TRUE(rb.ok());
  EXPECT_EQ(ir::BF16ToFloat((*rb)[0].data<uint16_t>()[0]), 320.0f);
}

TEST(ReduceTest, ScalarZeroSizedAndRankZero) {
  Literal s = F32({}, {2.5f});
  Literal init = F32({}, {1});
  auto body = FastBody<float>(ElementType::kF32, BodyKind::kAdd, AddF32);
  auto r = Reduce({&s}, {&init}, {}, body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<float>((*r)[0]), (std::vector<float>{3.5f}));
  Literal empty(ir::TensorType(ElementType::kF32, {3, 0}));
  auto e = Reduce({&empty}, {&init}, {1}, body);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ToVector<float>((*e)[0]), (std::vector<float>{1, 1, 1}));
}

TEST(ReduceTest, MultipleOperandsArgmax) {
  // Variadic reduce computing (max value, index of first max).
  Literal values = F32({2, 3}, {1, 5, 5, 7, 2, 7});
  Literal idx = S32({2, 3}, {0, 1, 2, 0, 1, 2});
  Literal vinit = F32({}, {-INFINITY});
  Literal iinit = S32({}, {-1});
  ScalarComputation argmax;
  argmax.fn =
      [](absl::Span<const Literal> a) -> absl::StatusOr<std::vector<Literal>> {
    float av = a[0].data<float>()[0], bv = a[2].data<float>()[0];
    int32_t ai = a[1].data<int32_t>()[0], bi = a[3].data<int32_t>()[0];
    bool take_b = bv > av || (bv == av && bi < ai);
    std::vector<Literal> out;
    out.push_back(F32({}, {take_b ? bv : av}));
    out.push_back(S32({}, {take_b ? bi : ai}));
    return out;
  };
  auto r = Reduce({&values, &idx}, {&vinit, &iinit}, {1}, argmax);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ToVector<float>((*r)[0]), (std::vector<float>{5, 7}));
  EXPECT_EQ(ToVector<int32_t>((*r)[1]), (std::vector<int32_t>{1, 0}));
}

TEST(ReduceTest, Errors) {
  Literal x = F32({2, 2}, {1, 2, 3, 4});
  Literal init = F32({}, {0});
  auto body = FastBody<float>(ElementType::kF32, BodyKind::kAdd, AddF32);
  EXPECT_EQ(Reduce({&x}, {&init}, {2}, body).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Reduce({&x}, {&init}, {0, 0}, body).ok());
  Literal bad_init = S32({}, {0});
  EXPECT_FALSE(Reduce({&x}, {&bad_init}, {0}, body).ok());
  EXPECT_FALSE(Reduce({&x}, {}, {0}, body).ok());
  ScalarComputation none;
  EXPECT_FALSE(Reduce({&x}, {&init}, {0}, none).ok());
  // A callback returning the wrong type is reported, not trusted.
  ScalarComputation wrong;
  wrong.fn =
      [](absl::Span<const Literal>) -> absl::StatusOr<std::vector<Literal>> {
    std::vector<Literal> out;
    out.push_back(S32({}, {0}));
    return out;
  };
  absl::Status s = Reduce({&x}, {&init}, {0}, wrong).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("tensor<i32>"), std::string::npos) << s;
}

// The maximum/minimum fast paths order -0 below +0 like stablehlo.maximum
// and stablehlo.minimum, whichever zero comes first, and propagate NaN.
TEST(ReduceTest, MaxMinOrderSignedZerosAndPropagateNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Rows: [-0, +0, -0], [+0, -0, +0], [-0, -0, -0], [1, NaN, -0].
  Literal x = F32({4, 3}, {-0.0f, 0.0f, -0.0f, 0.0f, -0.0f, 0.0f, -0.0f, -0.0f,
                           -0.0f, 1.0f, nan, -0.0f});
  Literal neg_inf = F32({}, {-std::numeric_limits<float>::infinity()});
  Literal pos_inf = F32({}, {std::numeric_limits<float>::infinity()});
  int64_t calls = 0;
  auto unused = [](float a, float) { return a; };
  absl::StatusOr<std::vector<Literal>> max = Reduce(
      {&x}, {&neg_inf}, {1},
      FastBody<float>(ElementType::kF32, BodyKind::kMax, unused, &calls));
  ASSERT_TRUE(max.ok()) << max.status();
  std::vector<float> m = ToVector<float>((*max)[0]);
  for (int row = 0; row < 3; ++row) EXPECT_EQ(m[row], 0.0f) << row;
  EXPECT_FALSE(std::signbit(m[0]));
  EXPECT_FALSE(std::signbit(m[1]));
  EXPECT_TRUE(std::signbit(m[2]));  // All zeros negative: -0.
  EXPECT_TRUE(std::isnan(m[3]));
  absl::StatusOr<std::vector<Literal>> min = Reduce(
      {&x}, {&pos_inf}, {1},
      FastBody<float>(ElementType::kF32, BodyKind::kMin, unused, &calls));
  ASSERT_TRUE(min.ok()) << min.status();
  std::vector<float> n = ToVector<float>((*min)[0]);
  EXPECT_TRUE(std::signbit(n[0]));
  EXPECT_TRUE(std::signbit(n[1]));
  EXPECT_TRUE(std::signbit(n[2]));
  EXPECT_TRUE(std::isnan(n[3]));
  EXPECT_EQ(calls, 0);
  // Reducing +0 rows with an init of -0 (min) / +0 over -0 (max): the init
  // takes part in the order too.
  Literal pos_zeros = F32({2}, {0.0f, 0.0f});
  Literal neg_zero = F32({}, {-0.0f});
  absl::StatusOr<std::vector<Literal>> min_init =
      Reduce({&pos_zeros}, {&neg_zero}, {0},
             FastBody<float>(ElementType::kF32, BodyKind::kMin, unused));
  ASSERT_TRUE(min_init.ok());
  EXPECT_TRUE(std::signbit(ToVector<float>((*min_init)[0])[0]));
  absl::StatusOr<std::vector<Literal>> max_init =
      Reduce({&pos_zeros}, {&neg_zero}, {0},
             FastBody<float>(ElementType::kF32, BodyKind::kMax, unused));
  ASSERT_TRUE(max_init.ok());
  EXPECT_FALSE(std::signbit(ToVector<float>((*max_init)[0])[0]));
}

// f64 and bf16 take the same path with other accumulator types.
TEST(ReduceTest, MaxOfSignedZerosInF64AndBf16) {
  Literal d = F64({3}, {-0.0, 0.0, -0.0});
  Literal d_init = F64({}, {-0.0});
  auto unused_d = [](double a, double) { return a; };
  absl::StatusOr<std::vector<Literal>> r =
      Reduce({&d}, {&d_init}, {0},
             FastBody<double>(ElementType::kF64, BodyKind::kMax, unused_d));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(std::signbit(ToVector<double>((*r)[0])[0]));
  Literal b(ir::TensorType(ElementType::kBF16, {2}));
  b.data<uint16_t>()[0] = 0x8000;  // -0
  b.data<uint16_t>()[1] = 0x0000;  // +0
  Literal b_init(ir::TensorType(ElementType::kBF16, {}));
  b_init.data<uint16_t>()[0] = 0x8000;
  auto unused_b = [](uint16_t a, uint16_t) { return a; };
  absl::StatusOr<std::vector<Literal>> rb =
      Reduce({&b}, {&b_init}, {0},
             FastBody<uint16_t>(ElementType::kBF16, BodyKind::kMax, unused_b));
  ASSERT_TRUE(rb.ok());
  EXPECT_EQ(ToVector<uint16_t>((*rb)[0])[0], 0x0000);
}

}  // namespace
}  // namespace backplane::kernels::structured
