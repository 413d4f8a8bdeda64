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

namespace backplane::ir {

enum class ElementType : uint8_t {
  kInvalid = 0,
  kPred,
  kS2,
  kS4,
  kS8,
  kS16,
  kS32,
  kS64,
  kU2,
  kU4,
  kU8,
  kU16,
  kU32,
  kU64,
  kF8E4M3FN,
  kF8E5M2,
  kF16,
  kBF16,
  kF32,
  kF64,
  kC64,
  kC128,
  // Added after the others so existing numbers (and the proto enum, which
  // mirrors them) stay stable.
  kF8E4M3,
  kF8E3M4,
  kF8E4M3FNUZ,
  kF8E5M2FNUZ,
  kF8E4M3B11FNUZ,
  kF8E8M0FNU,
  kF4E2M1FN,
  kF6E2M3FN,
  kF6E3M2FN,
};
// The last enumerator, for loops over every type.
constexpr ElementType kLastElementType = ElementType::kF6E3M2FN;

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
