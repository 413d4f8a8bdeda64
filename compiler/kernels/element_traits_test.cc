#include "compiler/kernels/element_traits.h"

#include <cstdint>
#include <type_traits>

#include "gtest/gtest.h"

namespace backplane::kernels {
namespace {

using ir::ElementType;

TEST(ElementTraits, ComputeAndAccumulationTypes) {
  static_assert(
      std::is_same_v<ElementTraits<ElementType::kPred>::Compute, bool>);
  static_assert(
      std::is_same_v<ArithmeticTraits<ElementType::kPred>::Acc, uint8_t>);
  static_assert(
      std::is_same_v<ArithmeticTraits<ElementType::kBF16>::Acc, float>);
  static_assert(
      std::is_same_v<ArithmeticTraits<ElementType::kBF16>::Storage, uint16_t>);
  static_assert(
      std::is_same_v<ArithmeticTraits<ElementType::kS4>::Acc, int8_t>);
  static_assert(ArithmeticTraits<ElementType::kF8E4M3FN>::kIsFloat);
  static_assert(ArithmeticTraits<ElementType::kC64>::kIsComplex);
  static_assert(ArithmeticTraits<ElementType::kU2>::kIsInteger);
  static_assert(!ArithmeticTraits<ElementType::kPred>::kIsInteger);
}

TEST(ElementTraits, PredIsTheBooleanSemiring) {
  using T = ArithmeticTraits<ElementType::kPred>;
  EXPECT_EQ(T::Add(1, 1), 1);
  EXPECT_EQ(T::Mul(1, 0), 0);
  EXPECT_EQ(T::Load(7), 1);  // Any non-zero byte reads as true.
  EXPECT_EQ(T::Store(2), 1);
}

TEST(ElementTraits, IntegerArithmeticWrapsToTheTypeWidth) {
  using S8 = ArithmeticTraits<ElementType::kS8>;
  EXPECT_EQ(S8::Add(127, 1), -128);
  EXPECT_EQ(S8::Mul(64, 4), 0);
  using S4 = ArithmeticTraits<ElementType::kS4>;
  EXPECT_EQ(S4::Store(S4::Add(7, 1)), -8);
  using U2 = ArithmeticTraits<ElementType::kU2>;
  EXPECT_EQ(U2::Store(U2::Add(3, 1)), 0);
  using U32 = ArithmeticTraits<ElementType::kU32>;
  EXPECT_EQ(U32::Mul(0x80000000u, 2u), 0u);
}

TEST(ElementTraits, NarrowFloatsComputeInF32AndRoundOnStore) {
  using BF16 = ArithmeticTraits<ElementType::kBF16>;
  EXPECT_EQ(BF16::Load(0x3f80), 1.0f);
  EXPECT_EQ(BF16::Store(1.0f + 1.0f / 512), 0x3f80);  // Tie to even.
  using F16 = ArithmeticTraits<ElementType::kF16>;
  EXPECT_EQ(F16::Store(F16::Add(F16::Load(0x3c00), F16::One())), 0x4000);
}

TEST(ElementTraits, DispatchersReachEveryTypeAndRejectInvalid) {
  int arithmetic = 0;
  int elementwise = 0;
#define BACKPLANE_COUNT(e, NAME, mlir, abi_name, storage, bits, category) \
  EXPECT_TRUE(DispatchArithmetic(ElementType::k##e, [&](auto traits) {    \
                using T = decltype(traits);                               \
                EXPECT_EQ(T::kElementType, ElementType::k##e);            \
                ++arithmetic;                                             \
                return absl::OkStatus();                                  \
              }).ok());                                                   \
  EXPECT_TRUE(DispatchElementType(ElementType::k##e, [&](auto tag) {      \
                EXPECT_EQ(decltype(tag)::kType, ElementType::k##e);       \
                ++elementwise;                                            \
                return absl::OkStatus();                                  \
              }).ok());
  BACKPLANE_ELEMENT_TYPES(BACKPLANE_COUNT)
#undef BACKPLANE_COUNT
  EXPECT_GT(arithmetic, 20);
  EXPECT_EQ(arithmetic, elementwise);
  EXPECT_EQ(DispatchArithmetic(ElementType::kInvalid,
                               [](auto) { return absl::OkStatus(); })
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DispatchElementType(ElementType::kInvalid,
                                [](auto) { return absl::OkStatus(); })
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace backplane::kernels
