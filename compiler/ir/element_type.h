// Element types of StableHLO tensors, shared by the whole compiler kit.
//
// Storage convention (what a Literal's bytes hold for each type):
//   kPred            1 byte, 0 or 1
//   kS2, kS4         1 byte per element, sign-extended int8_t
//   kU2, kU4         1 byte per element, zero-extended uint8_t
//   kS8..kS64        native little-endian two's complement
//   kU8..kU64        native unsigned
//   kF16, kBF16      uint16_t bit patterns (see float16.h)
//   kF8*, kF6*, kF4* 1 byte bit patterns (f4/f6 in the low bits)
//   kF32, kF64       native IEEE floats
//   kC64, kC128      std::complex<float>, std::complex<double>
// Sub-byte types are stored one per byte so that every kernel can index
// elements directly; packing happens only at the ABI boundary if a plugin
// chooses to.
#ifndef BACKPLANE_COMPILER_IR_ELEMENT_TYPE_H_
#define BACKPLANE_COMPILER_IR_ELEMENT_TYPE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "base/element_types.h"

namespace backplane::ir {

// Numbered like the rows of BACKPLANE_ELEMENT_TYPES (base/element_types.h):
// the proto enum mirrors these numbers, so new types go at the end.
enum class ElementType : uint8_t {
  kInvalid = 0,
#define BACKPLANE_ELEMENT_TYPE_ENUM(e, NAME, mlir, abi_name, storage, bits, \
                                    category)                               \
  k##e,
  BACKPLANE_ELEMENT_TYPES(BACKPLANE_ELEMENT_TYPE_ENUM)
#undef BACKPLANE_ELEMENT_TYPE_ENUM
};
// The last enumerator, for loops over every type.
#define BACKPLANE_ELEMENT_TYPE_COUNT(...) +1
constexpr ElementType kLastElementType = static_cast<ElementType>(
    0 BACKPLANE_ELEMENT_TYPES(BACKPLANE_ELEMENT_TYPE_COUNT));
#undef BACKPLANE_ELEMENT_TYPE_COUNT

// Bytes one element occupies in a Literal (not the bit width: kS4 is 1).
int ElementByteSize(ElementType type);
// Bit width of the type as the spec defines it (kS4 is 4, kPred is 1).
int ElementBitWidth(ElementType type);

bool IsInteger(ElementType type);  // Signed or unsigned, not pred.
bool IsSignedInteger(ElementType type);
bool IsUnsignedInteger(ElementType type);
bool IsFloat(ElementType type);  // Real floating point, including f8/f16/bf16.
bool IsComplex(ElementType type);
inline bool IsPred(ElementType type) { return type == ElementType::kPred; }

// For complex types, the type of the real and imaginary parts.
ElementType ComplexComponentType(ElementType type);

// MLIR spelling: "i1", "i32", "ui8", "f32", "bf16", "complex<f32>", ...
std::string ElementTypeToMlir(ElementType type);
// Parses the MLIR spelling; std::nullopt for anything else.
std::optional<ElementType> ElementTypeFromMlir(absl::string_view text);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_ELEMENT_TYPE_H_
