#include "compiler/ir/element_type.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace backplane::ir {
namespace {

TEST(ElementTypeTest, EveryTypeRoundTripsItsSpelling) {
  std::set<std::string> spellings;
  for (int i = 1; i <= static_cast<int>(kLastElementType); ++i) {
    const ElementType t = static_cast<ElementType>(i);
    const std::string mlir = ElementTypeToMlir(t);
    EXPECT_TRUE(spellings.insert(mlir).second) << mlir;
    EXPECT_EQ(ElementTypeFromMlir(mlir), t) << mlir;
    EXPECT_EQ(IsPred(t) + IsInteger(t) + IsFloat(t) + IsComplex(t), 1) << mlir;
    EXPECT_GE(ElementByteSize(t) * 8, ElementBitWidth(t)) << mlir;
  }
  EXPECT_EQ(ElementTypeToMlir(ElementType::kInvalid), "<invalid>");
  EXPECT_EQ(ElementTypeFromMlir("si32"), ElementType::kS32);
  EXPECT_EQ(ElementTypeFromMlir("<invalid>"), std::nullopt);
}

TEST(ElementTypeTest, SizesAndCategories) {
  EXPECT_EQ(ElementByteSize(ElementType::kPred), 1);
  EXPECT_EQ(ElementBitWidth(ElementType::kPred), 1);
  EXPECT_EQ(ElementByteSize(ElementType::kS4), 1);
  EXPECT_EQ(ElementBitWidth(ElementType::kS4), 4);
  EXPECT_EQ(ElementBitWidth(ElementType::kF6E2M3FN), 6);
  EXPECT_EQ(ElementBitWidth(ElementType::kF4E2M1FN), 4);
  EXPECT_EQ(ElementByteSize(ElementType::kBF16), 2);
  EXPECT_EQ(ElementByteSize(ElementType::kC64), 8);
  EXPECT_EQ(ElementBitWidth(ElementType::kC128), 128);
  EXPECT_EQ(ElementByteSize(ElementType::kInvalid), 0);
  EXPECT_EQ(ElementBitWidth(ElementType::kInvalid), 0);
  EXPECT_TRUE(IsSignedInteger(ElementType::kS2));
  EXPECT_TRUE(IsUnsignedInteger(ElementType::kU64));
  EXPECT_TRUE(IsFloat(ElementType::kF8E8M0FNU));
  EXPECT_FALSE(IsInteger(ElementType::kPred));
  EXPECT_EQ(static_cast<int>(ElementType::kF8E4M3FN), 14);
  EXPECT_EQ(static_cast<int>(kLastElementType), 30);
}

}  // namespace
}  // namespace backplane::ir
