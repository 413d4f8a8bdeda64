#include "compiler/kernels/structured/promote.h"

#include <complex>

#include "compiler/ir/float16.h"
#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

TEST(PromoteTest, IntegersExtendAndFloatsWiden) {
  Literal s8 = MakeLiteral<int8_t>(ElementType::kS8, {3}, {-128, -1, 127});
  auto s32 = PromoteElements(s8, ElementType::kS32);
  ASSERT_TRUE(s32.ok());
  EXPECT_EQ(ToVector<int32_t>(*s32), (std::vector<int32_t>{-128, -1, 127}));
  Literal u8 = MakeLiteral<uint8_t>(ElementType::kU8, {2}, {255, 1});
  EXPECT_EQ(ToVector<int64_t>(*PromoteElements(u8, ElementType::kS64)),
            (std::vector<int64_t>{255, 1}));
  Literal s4 = MakeLiteral<int8_t>(ElementType::kS4, {2}, {-8, 7});
  EXPECT_EQ(ToVector<float>(*PromoteElements(s4, ElementType::kF32)),
            (std::vector<float>{-8, 7}));
  Literal bf =
      MakeLiteral<uint16_t>(ElementType::kBF16, {1}, {ir::FloatToBF16(1.5f)});
  EXPECT_EQ(ToVector<float>(*PromoteElements(bf, ElementType::kF32)),
            (std::vector<float>{1.5f}));
  Literal f = F32({2}, {0.1f, -2});
  auto h = PromoteElements(f, ElementType::kF16);
  EXPECT_EQ(ir::HalfToFloat(h->data<uint16_t>()[1]), -2.0f);
  auto c = PromoteElements(f, ElementType::kC128);
  EXPECT_EQ(c->data<std::complex<double>>()[1], std::complex<double>(-2, 0));
  Literal i = S32({2}, {0, 300});
  EXPECT_EQ(ToVector<uint8_t>(*PromoteElements(i, ElementType::kPred)),
            (std::vector<uint8_t>{0, 1}));
}

TEST(PromoteTest, RejectsNonPromotions) {
  Literal f = F32({1}, {1.5f});
  EXPECT_EQ(PromoteElements(f, ElementType::kS32).status().code(),
            absl::StatusCode::kInvalidArgument);
  Literal c =
      MakeLiteral<std::complex<float>>(ElementType::kC64, {1}, {{1, 2}});
  EXPECT_FALSE(PromoteElements(c, ElementType::kF64).ok());
}

}  // namespace
}  // namespace backplane::kernels::structured
