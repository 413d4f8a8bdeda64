#include "api/cpp/shape.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/element_types.h"

namespace backplane {

int ElementTypeByteSize(BPL_ElementType type) {
  switch (type) {
#define BACKPLANE_ABI_BYTE_SIZE(e, NAME, mlir, abi_name, storage, bits, \
                                category)                               \
  case BPL_ELEMENT_TYPE_##NAME:                                         \
    return static_cast<int>(sizeof(storage));
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_ABI_BYTE_SIZE)
#undef BACKPLANE_ABI_BYTE_SIZE
    case BPL_ELEMENT_TYPE_INVALID:
      return 0;
  }
  return 0;
}

bool IsValidElementType(int64_t type) {
  return type >= BPL_ELEMENT_TYPE_PRED && type <= BPL_ELEMENT_TYPE_F6E3M2FN;
}

const char* ElementTypeName(BPL_ElementType type) {
  switch (type) {
#define BACKPLANE_ABI_NAME(e, NAME, mlir, abi_name, storage, bits, category) \
  case BPL_ELEMENT_TYPE_##NAME:                                              \
    return abi_name;
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_ABI_NAME)
#undef BACKPLANE_ABI_NAME
    case BPL_ELEMENT_TYPE_INVALID:
      break;
  }
  return "invalid";
}

int64_t Shape::element_count() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

int64_t Shape::byte_size() const {
  return element_count() * ElementTypeByteSize(element_type);
}

std::string Shape::ToString() const {
  return absl::StrCat(ElementTypeName(element_type), "[",
                      absl::StrJoin(dims, ","), "]");
}

}  // namespace backplane
