// Shape: an element type and dimensions, as the ABI describes arrays.
// Shared by the framework API and the plugin kit.
#ifndef BACKPLANE_API_CPP_SHAPE_H_
#define BACKPLANE_API_CPP_SHAPE_H_

#include <complex>
#include <cstdint>
#include <string>
#include <vector>

#include "api/backplane_c_api.h"

namespace backplane {

struct Shape {
  BPL_ElementType element_type = BPL_ELEMENT_TYPE_INVALID;
  std::vector<int64_t> dims;

  int64_t element_count() const;
  // Bytes of the dense host form (see BPL_ElementType).
  int64_t byte_size() const;
  std::string ToString() const;  // "f32[2,3]"
  friend bool operator==(const Shape& a, const Shape& b) {
    return a.element_type == b.element_type && a.dims == b.dims;
  }
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }
};

// Bytes per element in the dense host form; 0 for INVALID or unknown values.
int ElementTypeByteSize(BPL_ElementType type);
const char* ElementTypeName(BPL_ElementType type);  // "f32", "s4", ...
bool IsValidElementType(int64_t type);

// The element type of a C++ host type (float -> F32, bool -> PRED, ...).
template <typename T>
constexpr BPL_ElementType ElementTypeOf();
template <>
constexpr BPL_ElementType ElementTypeOf<bool>() {
  return BPL_ELEMENT_TYPE_PRED;
}
template <>
constexpr BPL_ElementType ElementTypeOf<int8_t>() {
  return BPL_ELEMENT_TYPE_S8;
}
template <>
constexpr BPL_ElementType ElementTypeOf<int16_t>() {
  return BPL_ELEMENT_TYPE_S16;
}
template <>
constexpr BPL_ElementType ElementTypeOf<int32_t>() {
  return BPL_ELEMENT_TYPE_S32;
}
template <>
constexpr BPL_ElementType ElementTypeOf<int64_t>() {
  return BPL_ELEMENT_TYPE_S64;
}
template <>
constexpr BPL_ElementType ElementTypeOf<uint8_t>() {
  return BPL_ELEMENT_TYPE_U8;
}
template <>
constexpr BPL_ElementType ElementTypeOf<uint16_t>() {
  return BPL_ELEMENT_TYPE_U16;
}
template <>
constexpr BPL_ElementType ElementTypeOf<uint32_t>() {
  return BPL_ELEMENT_TYPE_U32;
}
template <>
constexpr BPL_ElementType ElementTypeOf<uint64_t>() {
  return BPL_ELEMENT_TYPE_U64;
}
template <>
constexpr BPL_ElementType ElementTypeOf<float>() {
  return BPL_ELEMENT_TYPE_F32;
}
template <>
constexpr BPL_ElementType ElementTypeOf<double>() {
  return BPL_ELEMENT_TYPE_F64;
}
template <>
constexpr BPL_ElementType ElementTypeOf<std::complex<float>>() {
  return BPL_ELEMENT_TYPE_C64;
}
template <>
constexpr BPL_ElementType ElementTypeOf<std::complex<double>>() {
  return BPL_ELEMENT_TYPE_C128;
}

}  // namespace backplane

#endif  // BACKPLANE_API_CPP_SHAPE_H_
