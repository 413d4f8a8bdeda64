#include "compiler/ir/element_type.h"

#include "base/element_types.h"

namespace backplane::ir {
namespace {

enum class Category { kNone, kPred, kSigned, kUnsigned, kFloat, kComplex };

struct Row {
  int bytes;
  int bits;
  Category category;
  const char* mlir;
};

// Indexed by ElementType; row 0 is kInvalid.
constexpr Row kRows[] = {{0, 0, Category::kNone, "<invalid>"},
#define BACKPLANE_ELEMENT_TYPE_ROW(e, NAME, mlir, abi_name, storage, bits, \
                                   category)                               \
  {static_cast<int>(sizeof(storage)), bits, Category::k##category, mlir},
                         BACKPLANE_ELEMENT_TYPES(BACKPLANE_ELEMENT_TYPE_ROW)
#undef BACKPLANE_ELEMENT_TYPE_ROW
};
static_assert(sizeof(kRows) / sizeof(kRows[0]) ==
              static_cast<size_t>(kLastElementType) + 1);

const Row& RowOf(ElementType type) {
  const auto i = static_cast<size_t>(type);
  return i <= static_cast<size_t>(kLastElementType) ? kRows[i] : kRows[0];
}

}  // namespace

int ElementByteSize(ElementType type) { return RowOf(type).bytes; }

int ElementBitWidth(ElementType type) { return RowOf(type).bits; }

bool IsSignedInteger(ElementType type) {
  return RowOf(type).category == Category::kSigned;
}

bool IsUnsignedInteger(ElementType type) {
  return RowOf(type).category == Category::kUnsigned;
}

bool IsInteger(ElementType type) {
  return IsSignedInteger(type) || IsUnsignedInteger(type);
}

bool IsFloat(ElementType type) {
  return RowOf(type).category == Category::kFloat;
}

bool IsComplex(ElementType type) {
  return RowOf(type).category == Category::kComplex;
}

ElementType ComplexComponentType(ElementType type) {
  if (type == ElementType::kC64) return ElementType::kF32;
  if (type == ElementType::kC128) return ElementType::kF64;
  return ElementType::kInvalid;
}

std::string ElementTypeToMlir(ElementType type) { return RowOf(type).mlir; }

std::optional<ElementType> ElementTypeFromMlir(absl::string_view text) {
  for (size_t i = 1; i < sizeof(kRows) / sizeof(kRows[0]); ++i) {
    if (text == kRows[i].mlir) return static_cast<ElementType>(i);
  }
  // Signless and signed spellings are the same thing for StableHLO.
  if (text == "si8") return ElementType::kS8;
  if (text == "si16") return ElementType::kS16;
  if (text == "si32") return ElementType::kS32;
  if (text == "si64") return ElementType::kS64;
  return std::nullopt;
}

}  // namespace backplane::ir
