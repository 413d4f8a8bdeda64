#include "compiler/abi/abi_types.h"

#include <string>

#include "api/cpp/shape.h"
#include "gtest/gtest.h"

namespace backplane::abi {
namespace {

// Every IR element type crosses the ABI, and a Literal's bytes are exactly
// the ABI's dense host form (so plugins copy them without conversion).
TEST(AbiTypesTest, EveryIrElementTypeRoundTripsWithTheSameByteSize) {
  for (int t = static_cast<int>(ir::ElementType::kPred);
       t <= static_cast<int>(ir::ElementType::kF6E3M2FN); ++t) {
    const auto type = static_cast<ir::ElementType>(t);
    absl::StatusOr<BPL_ElementType> abi = ToAbiElementType(type);
    ASSERT_TRUE(abi.ok()) << ir::ElementTypeToMlir(type) << ": "
                          << abi.status();
    EXPECT_EQ(ElementTypeByteSize(*abi), ir::ElementByteSize(type))
        << ir::ElementTypeToMlir(type);
    // Float names are MLIR's; integers read s8/u8 at the ABI, i8/ui8 in MLIR.
    const std::string mlir_name(ir::ElementTypeToMlir(type));
    if (mlir_name[0] == 'f') {
      EXPECT_EQ(ElementTypeName(*abi), mlir_name);
    }
    absl::StatusOr<ir::ElementType> back = FromAbiElementType(*abi);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, type);
  }
}

TEST(AbiTypesTest, UnknownAbiTypeIsAnError) {
  EXPECT_FALSE(FromAbiElementType(static_cast<BPL_ElementType>(99)).ok());
  EXPECT_FALSE(FromAbiElementType(BPL_ELEMENT_TYPE_INVALID).ok());
}

}  // namespace
}  // namespace backplane::abi
