#include "api/cpp/shape.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace backplane {

int ElementTypeByteSize(BPL_ElementType type) {
  switch (type) {
    case BPL_ELEMENT_TYPE_PRED:
    case BPL_ELEMENT_TYPE_S2:
    case BPL_ELEMENT_TYPE_S4:
    case BPL_ELEMENT_TYPE_S8:
    case BPL_ELEMENT_TYPE_U2:
    case BPL_ELEMENT_TYPE_U4:
    case BPL_ELEMENT_TYPE_U8:
    case BPL_ELEMENT_TYPE_F8E5M2:
    case BPL_ELEMENT_TYPE_F8E4M3FN:
    case BPL_ELEMENT_TYPE_F8E4M3:
    case BPL_ELEMENT_TYPE_F8E3M4:
    case BPL_ELEMENT_TYPE_F8E4M3FNUZ:
    case BPL_ELEMENT_TYPE_F8E5M2FNUZ:
    case BPL_ELEMENT_TYPE_F8E4M3B11FNUZ:
    case BPL_ELEMENT_TYPE_F8E8M0FNU:
    case BPL_ELEMENT_TYPE_F4E2M1FN:
    case BPL_ELEMENT_TYPE_F6E2M3FN:
    case BPL_ELEMENT_TYPE_F6E3M2FN:
      return 1;
    case BPL_ELEMENT_TYPE_S16:
    case BPL_ELEMENT_TYPE_U16:
    case BPL_ELEMENT_TYPE_F16:
    case BPL_ELEMENT_TYPE_BF16:
      return 2;
    case BPL_ELEMENT_TYPE_S32:
    case BPL_ELEMENT_TYPE_U32:
    case BPL_ELEMENT_TYPE_F32:
      return 4;
    case BPL_ELEMENT_TYPE_S64:
    case BPL_ELEMENT_TYPE_U64:
    case BPL_ELEMENT_TYPE_F64:
    case BPL_ELEMENT_TYPE_C64:
      return 8;
    case BPL_ELEMENT_TYPE_C128:
      return 16;
    case BPL_ELEMENT_TYPE_INVALID:
      return 0;
  }
  return 0;
}

bool IsValidElementType(int64_t type) {
  return type >= BPL_ELEMENT_TYPE_PRED && type <= BPL_ELEMENT_TYPE_F6E3M2FN;
}

const char* ElementTypeName(BPL_ElementType type) {
  static const char* const kNames[] = {
      "invalid",    "pred",          "s2",        "s4",       "s8",
      "s16",        "s32",           "s64",       "u2",       "u4",
      "u8",         "u16",           "u32",       "u64",      "f16",
      "bf16",       "f32",           "f64",       "c64",      "c128",
      "f8E5M2",     "f8E4M3FN",      "f8E4M3",    "f8E3M4",   "f8E4M3FNUZ",
      "f8E5M2FNUZ", "f8E4M3B11FNUZ", "f8E8M0FNU", "f4E2M1FN", "f6E2M3FN",
      "f6E3M2FN",
  };
  static_assert(
      sizeof(kNames) / sizeof(kNames[0]) == BPL_ELEMENT_TYPE_F6E3M2FN + 1,
      "one name per element type");
  if (!IsValidElementType(type)) return "invalid";
  return kNames[type];
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
