#include "compiler/ir/element_type.h"

namespace backplane::ir {

int ElementByteSize(ElementType type) {
  switch (type) {
    case ElementType::kPred:
    case ElementType::kS2:
    case ElementType::kS4:
    case ElementType::kS8:
    case ElementType::kU2:
    case ElementType::kU4:
    case ElementType::kU8:
    case ElementType::kF8E4M3FN:
    case ElementType::kF8E5M2:
    case ElementType::kF8E4M3:
    case ElementType::kF8E3M4:
    case ElementType::kF8E4M3FNUZ:
    case ElementType::kF8E5M2FNUZ:
    case ElementType::kF8E4M3B11FNUZ:
    case ElementType::kF8E8M0FNU:
    case ElementType::kF4E2M1FN:
    case ElementType::kF6E2M3FN:
    case ElementType::kF6E3M2FN:
      return 1;
    case ElementType::kS16:
    case ElementType::kU16:
    case ElementType::kF16:
    case ElementType::kBF16:
      return 2;
    case ElementType::kS32:
    case ElementType::kU32:
    case ElementType::kF32:
      return 4;
    case ElementType::kS64:
    case ElementType::kU64:
    case ElementType::kF64:
    case ElementType::kC64:
      return 8;
    case ElementType::kC128:
      return 16;
    case ElementType::kInvalid:
      return 0;
  }
  return 0;
}

int ElementBitWidth(ElementType type) {
  switch (type) {
    case ElementType::kPred:
      return 1;
    case ElementType::kS2:
    case ElementType::kU2:
      return 2;
    case ElementType::kS4:
    case ElementType::kU4:
    case ElementType::kF4E2M1FN:
      return 4;
    case ElementType::kF6E2M3FN:
    case ElementType::kF6E3M2FN:
      return 6;
    default:
      return ElementByteSize(type) * 8;
  }
}

bool IsSignedInteger(ElementType type) {
  switch (type) {
    case ElementType::kS2:
    case ElementType::kS4:
    case ElementType::kS8:
    case ElementType::kS16:
    case ElementType::kS32:
    case ElementType::kS64:
      return true;
    default:
      return false;
  }
}

bool IsUnsignedInteger(ElementType type) {
  switch (type) {
    case ElementType::kU2:
    case ElementType::kU4:
    case ElementType::kU8:
    case ElementType::kU16:
    case ElementType::kU32:
    case ElementType::kU64:
      return true;
    default:
      return false;
  }
}

bool IsInteger(ElementType type) {
  return IsSignedInteger(type) || IsUnsignedInteger(type);
}

bool IsFloat(ElementType type) {
  switch (type) {
    case ElementType::kF8E4M3FN:
    case ElementType::kF8E5M2:
    case ElementType::kF8E4M3:
    case ElementType::kF8E3M4:
    case ElementType::kF8E4M3FNUZ:
    case ElementType::kF8E5M2FNUZ:
    case ElementType::kF8E4M3B11FNUZ:
    case ElementType::kF8E8M0FNU:
    case ElementType::kF4E2M1FN:
    case ElementType::kF6E2M3FN:
    case ElementType::kF6E3M2FN:
    case ElementType::kF16:
    case ElementType::kBF16:
    case ElementType::kF32:
    case ElementType::kF64:
      return true;
    default:
      return false;
  }
}

bool IsComplex(ElementType type) {
  return type == ElementType::kC64 || type == ElementType::kC128;
}

ElementType ComplexComponentType(ElementType type) {
  if (type == ElementType::kC64) return ElementType::kF32;
  if (type == ElementType::kC128) return ElementType::kF64;
  return ElementType::kInvalid;
}

namespace {
struct Spelling {
  ElementType type;
  const char* mlir;
};
constexpr Spelling kSpellings[] = {
    {ElementType::kPred, "i1"},
    {ElementType::kS2, "i2"},
    {ElementType::kS4, "i4"},
    {ElementType::kS8, "i8"},
    {ElementType::kS16, "i16"},
    {ElementType::kS32, "i32"},
    {ElementType::kS64, "i64"},
    {ElementType::kU2, "ui2"},
    {ElementType::kU4, "ui4"},
    {ElementType::kU8, "ui8"},
    {ElementType::kU16, "ui16"},
    {ElementType::kU32, "ui32"},
    {ElementType::kU64, "ui64"},
    {ElementType::kF8E4M3FN, "f8E4M3FN"},
    {ElementType::kF8E5M2, "f8E5M2"},
    {ElementType::kF16, "f16"},
    {ElementType::kBF16, "bf16"},
    {ElementType::kF32, "f32"},
    {ElementType::kF64, "f64"},
    {ElementType::kC64, "complex<f32>"},
    {ElementType::kC128, "complex<f64>"},
    {ElementType::kF8E4M3, "f8E4M3"},
    {ElementType::kF8E3M4, "f8E3M4"},
    {ElementType::kF8E4M3FNUZ, "f8E4M3FNUZ"},
    {ElementType::kF8E5M2FNUZ, "f8E5M2FNUZ"},
    {ElementType::kF8E4M3B11FNUZ, "f8E4M3B11FNUZ"},
    {ElementType::kF8E8M0FNU, "f8E8M0FNU"},
    {ElementType::kF4E2M1FN, "f4E2M1FN"},
    {ElementType::kF6E2M3FN, "f6E2M3FN"},
    {ElementType::kF6E3M2FN, "f6E3M2FN"},
};
}  // namespace

std::string ElementTypeToMlir(ElementType type) {
  for (const Spelling& s : kSpellings) {
    if (s.type == type) return s.mlir;
  }
  return "<invalid>";
}

std::optional<ElementType> ElementTypeFromMlir(absl::string_view text) {
  for (const Spelling& s : kSpellings) {
    if (text == s.mlir) return s.type;
  }
  // Signless and signed spellings are the same thing for StableHLO.
  if (text == "si8") return ElementType::kS8;
  if (text == "si16") return ElementType::kS16;
  if (text == "si32") return ElementType::kS32;
  if (text == "si64") return ElementType::kS64;
  return std::nullopt;
}

}  // namespace backplane::ir
