// The one list of tensor element types, shared by the C++ API (api/cpp) and
// the compiler kit (compiler/ir, abi, proto) without either depending on the
// other.
//
//   #define BYTES(e, NAME, mlir, abi_name, storage, bits, category)
//     sizeof(storage),   (on one line)
//   constexpr int kBytes[] = {BACKPLANE_ELEMENT_TYPES(BYTES)};
//
// Columns:
//   e         ir::ElementType enumerator without its k (Pred -> kPred)
//   NAME      BPL_ELEMENT_TYPE_<NAME> in the C ABI and the proto enum name
//   mlir      MLIR spelling ("i1", "ui8", "complex<f32>")
//   abi_name  the C++ API's short name ("pred", "u8", "c64")
//   storage   what one element is stored as in a host buffer (sub-byte
//             types one per byte; f8/f16/bf16 as bit patterns)
//   bits      bit width as the spec defines it (s4 is 4, pred is 1)
//   category  Pred, Signed, Unsigned, Float or Complex
// Rows are in ir::ElementType order (1, 2, ...); the C ABI numbers them
// differently and keeps its own numbers.
#ifndef BACKPLANE_BASE_ELEMENT_TYPES_H_
#define BACKPLANE_BASE_ELEMENT_TYPES_H_

#include <complex>
#include <cstdint>

// clang-format off
#define BACKPLANE_ELEMENT_TYPES(X) \
  X(Pred, PRED, "i1", "pred", uint8_t, 1, Pred) \
  X(S2, S2, "i2", "s2", int8_t, 2, Signed) \
  X(S4, S4, "i4", "s4", int8_t, 4, Signed) \
  X(S8, S8, "i8", "s8", int8_t, 8, Signed) \
  X(S16, S16, "i16", "s16", int16_t, 16, Signed) \
  X(S32, S32, "i32", "s32", int32_t, 32, Signed) \
  X(S64, S64, "i64", "s64", int64_t, 64, Signed) \
  X(U2, U2, "ui2", "u2", uint8_t, 2, Unsigned) \
  X(U4, U4, "ui4", "u4", uint8_t, 4, Unsigned) \
  X(U8, U8, "ui8", "u8", uint8_t, 8, Unsigned) \
  X(U16, U16, "ui16", "u16", uint16_t, 16, Unsigned) \
  X(U32, U32, "ui32", "u32", uint32_t, 32, Unsigned) \
  X(U64, U64, "ui64", "u64", uint64_t, 64, Unsigned) \
  X(F8E4M3FN, F8E4M3FN, "f8E4M3FN", "f8E4M3FN", uint8_t, 8, Float) \
  X(F8E5M2, F8E5M2, "f8E5M2", "f8E5M2", uint8_t, 8, Float) \
  X(F16, F16, "f16", "f16", uint16_t, 16, Float) \
  X(BF16, BF16, "bf16", "bf16", uint16_t, 16, Float) \
  X(F32, F32, "f32", "f32", float, 32, Float) \
  X(F64, F64, "f64", "f64", double, 64, Float) \
  X(C64, C64, "complex<f32>", "c64", std::complex<float>, 64, Complex) \
  X(C128, C128, "complex<f64>", "c128", std::complex<double>, 128, Complex) \
  X(F8E4M3, F8E4M3, "f8E4M3", "f8E4M3", uint8_t, 8, Float) \
  X(F8E3M4, F8E3M4, "f8E3M4", "f8E3M4", uint8_t, 8, Float) \
  X(F8E4M3FNUZ, F8E4M3FNUZ, "f8E4M3FNUZ", "f8E4M3FNUZ", uint8_t, 8, Float) \
  X(F8E5M2FNUZ, F8E5M2FNUZ, "f8E5M2FNUZ", "f8E5M2FNUZ", uint8_t, 8, Float) \
  X(F8E4M3B11FNUZ, F8E4M3B11FNUZ, "f8E4M3B11FNUZ", "f8E4M3B11FNUZ", uint8_t, 8, Float) \
  X(F8E8M0FNU, F8E8M0FNU, "f8E8M0FNU", "f8E8M0FNU", uint8_t, 8, Float) \
  X(F4E2M1FN, F4E2M1FN, "f4E2M1FN", "f4E2M1FN", uint8_t, 4, Float) \
  X(F6E2M3FN, F6E2M3FN, "f6E2M3FN", "f6E2M3FN", uint8_t, 6, Float) \
  X(F6E3M2FN, F6E3M2FN, "f6E3M2FN", "f6E3M2FN", uint8_t, 6, Float)
// clang-format on

#endif  // BACKPLANE_BASE_ELEMENT_TYPES_H_
