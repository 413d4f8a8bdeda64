// The programs a sequence compiles, and the element sizes of the ABI.
#include "tools/fuzz/abi_sequence/programs.h"

namespace backplane::fuzz {

const char* ProgramText(int program) {
  switch (program) {
    case kAddProgram:
      return R"(
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %c = stablehlo.add %a, %b : tensor<4xf32>
  return %c : tensor<4xf32>
})";
    case kCountProgram:
      return R"(
func.func @main(%n: tensor<i32>) -> tensor<i32> {
  %zero = stablehlo.constant dense<0> : tensor<i32>
  %one = stablehlo.constant dense<1> : tensor<i32>
  %cap = stablehlo.constant dense<1000> : tensor<i32>
  %m = stablehlo.minimum %n, %cap : tensor<i32>
  %r = stablehlo.while(%i = %zero) : tensor<i32>
    cond {
      %c = stablehlo.compare LT, %i, %m, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    } do {
      %i2 = stablehlo.add %i, %one : tensor<i32>
      stablehlo.return %i2 : tensor<i32>
    }
  return %r : tensor<i32>
})";
    case kForeverProgram:
      return R"(
func.func @main(%n: tensor<i32>) -> tensor<i32> {
  %zero = stablehlo.constant dense<0> : tensor<i32>
  %one = stablehlo.constant dense<1> : tensor<i32>
  %r = stablehlo.while(%i = %zero) : tensor<i32>
    cond {
      %c = stablehlo.compare GE, %n, %zero, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    } do {
      %i2 = stablehlo.add %i, %one : tensor<i32>
      stablehlo.return %i2 : tensor<i32>
    }
  return %r : tensor<i32>
})";
    default:
      return "";
  }
}

size_t ElementSize(int element_type) {
  switch (element_type) {
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
    default:
      return element_type >= 1 && element_type <= 30 ? 1 : 0;
  }
}

}  // namespace backplane::fuzz
