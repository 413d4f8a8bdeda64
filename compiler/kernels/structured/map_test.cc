#include "compiler/kernels/structured/map.h"

#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

TEST(MapTest, SpecExampleFastAndGeneric) {
  // The spec maps multiply over two 2x2 tensors.
  Literal a = S64({2, 2}, {0, 1, 2, 3});
  Literal b = S64({2, 2}, {4, 5, 6, 7});
  int64_t calls = 0;
  auto mul = [](int64_t x, int64_t y) { return x * y; };
  for (BodyKind kind : {BodyKind::kMultiply, BodyKind::kGeneric}) {
    auto r = Map({&a, &b}, {0, 1},
                 FastBody<int64_t>(ElementType::kS64, kind, mul, &calls),
                 ElementType::kS64);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(ToVector<int64_t>(*r), (std::vector<int64_t>{0, 5, 12, 21}));
  }
  EXPECT_EQ(calls, 4);  // Only the generic run called back.
}

TEST(MapTest, GenericChangesTypeAndTakesThreeInputs) {
  Literal a = F32({3}, {1, 2, 3});
  Literal b = F32({3}, {3, 2, 1});
  Literal c = F32({3}, {0, 0, 10});
  ScalarComputation gt_sum;
  gt_sum.fn =
      [](absl::Span<const Literal> x) -> absl::StatusOr<std::vector<Literal>> {
    std::vector<Literal> out;
    out.push_back(MakeLiteral<uint8_t>(
        ElementType::kPred, {},
        {static_cast<uint8_t>(x[0].data<float>()[0] + x[2].data<float>()[0] >
                              x[1].data<float>()[0])}));
    return out;
  };
  auto r = Map({&a, &b, &c}, {0}, gt_sum, ElementType::kPred);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ToVector<uint8_t>(*r), (std::vector<uint8_t>{0, 0, 1}));
  // Declaring the wrong result type is caught.
  EXPECT_EQ(Map({&a, &b, &c}, {0}, gt_sum, ElementType::kF32).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MapTest, Errors) {
  Literal a = F32({2}, {1, 2});
  Literal b = F32({3}, {1, 2, 3});
  ScalarComputation add;
  add.kind = BodyKind::kAdd;
  EXPECT_FALSE(Map({&a, &b}, {0}, add, ElementType::kF32).ok());
  EXPECT_FALSE(Map({&a, &a}, {}, add, ElementType::kF32).ok());
  EXPECT_FALSE(Map({&a, &a}, {1}, add, ElementType::kF32).ok());
  // Fast path not applicable (result type differs) and no callback.
  EXPECT_FALSE(Map({&a, &a}, {0}, add, ElementType::kF64).ok());
}

}  // namespace
}  // namespace backplane::kernels::structured
