#include "api/cpp/shape.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace backplane {
namespace {

TEST(ShapeTest, EveryElementTypeHasAByteSizeAndAUniqueName) {
  std::set<std::string> names;
  for (int t = BPL_ELEMENT_TYPE_PRED; t <= BPL_ELEMENT_TYPE_F6E3M2FN; ++t) {
    const auto type = static_cast<BPL_ElementType>(t);
    EXPECT_TRUE(IsValidElementType(t)) << t;
    EXPECT_GT(ElementTypeByteSize(type), 0) << t;
    EXPECT_TRUE(names.insert(ElementTypeName(type)).second)
        << "duplicate name " << ElementTypeName(type);
  }
  EXPECT_FALSE(IsValidElementType(BPL_ELEMENT_TYPE_INVALID));
  EXPECT_FALSE(IsValidElementType(BPL_ELEMENT_TYPE_F6E3M2FN + 1));
  EXPECT_STREQ(ElementTypeName(static_cast<BPL_ElementType>(99)), "invalid");
}

TEST(ShapeTest, SmallFloatsTakeOneBytePerElement) {
  EXPECT_EQ(ElementTypeByteSize(BPL_ELEMENT_TYPE_F8E4M3FN), 1);
  EXPECT_EQ(ElementTypeByteSize(BPL_ELEMENT_TYPE_F4E2M1FN), 1);
  EXPECT_STREQ(ElementTypeName(BPL_ELEMENT_TYPE_F8E4M3FN), "f8E4M3FN");
  EXPECT_STREQ(ElementTypeName(BPL_ELEMENT_TYPE_F8E8M0FNU), "f8E8M0FNU");
  Shape shape{BPL_ELEMENT_TYPE_F8E5M2, {2, 3}};
  EXPECT_EQ(shape.byte_size(), 6);
}

}  // namespace
}  // namespace backplane
