// Numerics cases: data movement without arithmetic: reshape, transpose, slice,
// pad, concatenate, broadcast, iota, reverse, tuples and their dynamic
// variants. Expected values are derived by hand or with numpy/mpmath, never by
// running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> ShapeCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"ShapeOps",
       R"(func.func @main(%a: tensor<2x3xi32>) -> (tensor<3x2xi32>, tensor<6xi32>, tensor<2x2xi32>, tensor<2x3xi32>, tensor<4x3xi32>, tensor<2x3x2xi32>) {
  %0 = stablehlo.transpose %a, dims = [1, 0] : (tensor<2x3xi32>) -> tensor<3x2xi32>
  %1 = stablehlo.reshape %a : (tensor<2x3xi32>) -> tensor<6xi32>
  %2 = stablehlo.slice %a [0:2, 1:3] : (tensor<2x3xi32>) -> tensor<2x2xi32>
  %3 = stablehlo.reverse %a, dims = [1] : tensor<2x3xi32>
  %4 = stablehlo.concatenate %a, %a, dim = 0 : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<4x3xi32>
  %5 = stablehlo.broadcast_in_dim %a, dims = [0, 1] : (tensor<2x3xi32>) -> tensor<2x3x2xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<3x2xi32>, tensor<6xi32>, tensor<2x2xi32>, tensor<2x3xi32>, tensor<4x3xi32>, tensor<2x3x2xi32>
})",
       {T{S32, {2, 3}, {1, 2, 3, 4, 5, 6}}},
       {T{S32, {3, 2}, {1, 4, 2, 5, 3, 6}}, T{S32, {6}, {1, 2, 3, 4, 5, 6}},
        T{S32, {2, 2}, {2, 3, 5, 6}}, T{S32, {2, 3}, {3, 2, 1, 6, 5, 4}},
        T{S32, {4, 3}, {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}},
        T{S32, {2, 3, 2}, {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6}}}},
      {"PadIotaDynamicSlices",
       R"(func.func @main(%a: tensor<3xf32>, %i: tensor<i32>) -> (tensor<8xf32>, tensor<4xi32>, tensor<2xf32>, tensor<3xf32>) {
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %0 = stablehlo.pad %a, %z, low = [1], high = [2], interior = [1] : (tensor<3xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = stablehlo.iota dim = 0 : tensor<4xi32>
  %2 = stablehlo.dynamic_slice %a, %i, sizes = [2] : (tensor<3xf32>, tensor<i32>) -> tensor<2xf32>
  %u = stablehlo.constant dense<[9.0]> : tensor<1xf32>
  %3 = stablehlo.dynamic_update_slice %a, %u, %i : (tensor<3xf32>, tensor<1xf32>, tensor<i32>) -> tensor<3xf32>
  return %0, %1, %2, %3 : tensor<8xf32>, tensor<4xi32>, tensor<2xf32>, tensor<3xf32>
})",
       {T{F32, {3}, {1, 2, 3}}, T{S32, {}, {5}}},
       // The start index 5 is clamped: to 1 for the slice, 2 for the update.
       {T{F32, {8}, {0, 1, 0, 2, 0, 3, 0, 0}}, T{S32, {4}, {0, 1, 2, 3}},
        T{F32, {2}, {2, 3}}, T{F32, {3}, {1, 2, 9}}}},
      {"SliceWithStridesAndReverseOfEveryDimension",
       R"(func.func @main(%a: tensor<3x4xi32>) -> (tensor<2x2xi32>, tensor<3x4xi32>, tensor<1x3xi32>) {
  %0 = stablehlo.slice %a [0:3:2, 1:4:2] : (tensor<3x4xi32>) -> tensor<2x2xi32>
  %1 = stablehlo.reverse %a, dims = [0, 1] : tensor<3x4xi32>
  %2 = stablehlo.slice %a [2:3, 0:4:1] : (tensor<3x4xi32>) -> tensor<1x4xi32>
  %3 = stablehlo.slice %2 [0:1, 1:4] : (tensor<1x4xi32>) -> tensor<1x3xi32>
  return %0, %1, %3 : tensor<2x2xi32>, tensor<3x4xi32>, tensor<1x3xi32>
})",
       {T{S32, {3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}},
       {T{S32, {2, 2}, {1, 3, 9, 11}},
        T{S32, {3, 4}, {11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
        T{S32, {1, 3}, {9, 10, 11}}}},
      {"PadWithNegativeEdgesAndInteriorPadding",
       // Negative edge padding removes elements after interior padding
       // is inserted.
       R"(func.func @main(%a: tensor<4xf32>, %b: tensor<2x2xf32>, %p: tensor<f32>) -> (tensor<8xf32>, tensor<3x2xf32>) {
  %0 = stablehlo.pad %a, %p, low = [-1], high = [2], interior = [1] : (tensor<4xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = stablehlo.pad %b, %p, low = [1, 0], high = [0, -1], interior = [0, 1] : (tensor<2x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  return %0, %1 : tensor<8xf32>, tensor<3x2xf32>
})",
       {T{F32, {4}, {1, 2, 3, 4}}, T{F32, {2, 2}, {1, 2, 3, 4}},
        T{F32, {}, {9}}},
       {T{F32, {8}, {9, 2, 9, 3, 9, 4, 9, 9}},
        T{F32, {3, 2}, {9, 9, 1, 9, 3, 9}}}},
      {"BroadcastAndBroadcastInDimExpandingSizeOneDimensions",
       R"(func.func @main(%a: tensor<3xi32>, %b: tensor<1x3xi32>) -> (tensor<2x3xi32>, tensor<2x3xi32>, tensor<3x2xi32>) {
  %0 = "stablehlo.broadcast"(%a) {broadcast_sizes = array<i64: 2>} : (tensor<3xi32>) -> tensor<2x3xi32>
  %1 = stablehlo.broadcast_in_dim %b, dims = [0, 1] : (tensor<1x3xi32>) -> tensor<2x3xi32>
  %2 = stablehlo.broadcast_in_dim %b, dims = [1, 0] : (tensor<1x3xi32>) -> tensor<3x2xi32>
  return %0, %1, %2 : tensor<2x3xi32>, tensor<2x3xi32>, tensor<3x2xi32>
})",
       {T{S32, {3}, {1, 2, 3}}, T{S32, {1, 3}, {4, 5, 6}}},
       {T{S32, {2, 3}, {1, 2, 3, 1, 2, 3}}, T{S32, {2, 3}, {4, 5, 6, 4, 5, 6}},
        T{S32, {3, 2}, {4, 4, 5, 5, 6, 6}}}},
      {"IotaAlongEachDimensionAndElementType",
       R"(func.func @main() -> (tensor<2x3xf32>, tensor<2x3xi64>, tensor<3xui8>) {
  %0 = stablehlo.iota dim = 1 : tensor<2x3xf32>
  %1 = stablehlo.iota dim = 0 : tensor<2x3xi64>
  %2 = stablehlo.iota dim = 0 : tensor<3xui8>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xi64>, tensor<3xui8>
})",
       {},
       {T{F32, {2, 3}, {0, 1, 2, 0, 1, 2}}, T{S64, {2, 3}, {0, 0, 0, 1, 1, 1}},
        T{U8, {3}, {0, 1, 2}}}},
      {"ConcatenateWithZeroSizedOperandAndRank3Transpose",
       R"(func.func @main(%e: tensor<0x2xf32>, %a: tensor<2x2xf32>, %b: tensor<1x2xf32>, %t: tensor<2x3x4xi32>) -> (tensor<3x2xf32>, tensor<4x2x3xi32>) {
  %0 = stablehlo.concatenate %e, %a, %b, dim = 0 : (tensor<0x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
  %1 = stablehlo.transpose %t, dims = [2, 0, 1] : (tensor<2x3x4xi32>) -> tensor<4x2x3xi32>
  return %0, %1 : tensor<3x2xf32>, tensor<4x2x3xi32>
})",
       {T{F32, {0, 2}, {}}, T{F32, {2, 2}, {1, 2, 3, 4}},
        T{F32, {1, 2}, {5, 6}},
        T{S32, {2, 3, 4}, {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                           12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}}},
       {T{F32, {3, 2}, {1, 2, 3, 4, 5, 6}},
        T{S32, {4, 2, 3}, {0, 4, 8,  12, 16, 20, 1, 5, 9,  13, 17, 21,
                           2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23}}}},
      {"ReshapeToAndFromScalarAndZeroSizedResults",
       R"(func.func @main(%a: tensor<1x1xf32>, %z: tensor<0x3xi32>) -> (tensor<f32>, tensor<1x1x1xf32>, tensor<3x0xi32>) {
  %0 = stablehlo.reshape %a : (tensor<1x1xf32>) -> tensor<f32>
  %1 = stablehlo.reshape %0 : (tensor<f32>) -> tensor<1x1x1xf32>
  %2 = stablehlo.reshape %z : (tensor<0x3xi32>) -> tensor<3x0xi32>
  return %0, %1, %2 : tensor<f32>, tensor<1x1x1xf32>, tensor<3x0xi32>
})",
       {T{F32, {1, 1}, {-7.5}}, T{S32, {0, 3}, {}}},
       {T{F32, {}, {-7.5}}, T{F32, {1, 1, 1}, {-7.5}}, T{S32, {3, 0}, {}}}},
      {"GetDimensionSize",
       R"(func.func @main(%a: tensor<2x5xf32>) -> (tensor<i32>, tensor<i32>) {
  %0 = stablehlo.get_dimension_size %a, dim = 1 : (tensor<2x5xf32>) -> tensor<i32>
  %1 = stablehlo.get_dimension_size %a, dim = 0 : (tensor<2x5xf32>) -> tensor<i32>
  return %0, %1 : tensor<i32>, tensor<i32>
})",
       {T{F32, {2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}},
       {T{S32, {}, {5}}, T{S32, {}, {2}}}},
      {"SetDimensionSizeToTheStaticSize",
       // Buffers crossing the ABI are static, so the new size is the full
       // size and the data is unchanged.
       R"(func.func @main(%a: tensor<2x5xf32>, %n: tensor<i32>) -> tensor<2x5xf32> {
  %0 = "stablehlo.set_dimension_size"(%a, %n) {dimension = 1 : i64} : (tensor<2x5xf32>, tensor<i32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
})",
       {T{F32, {2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}, T{S32, {}, {5}}},
       {T{F32, {2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}}},
      {"DynamicBroadcastInDimReshapeIotaPadAndRealDynamicSlice",
       // The dynamic variants with their shape operands given as
       // constants must agree with the static ops.
       R"(func.func @main(%a: tensor<3xf32>, %p: tensor<f32>) -> (tensor<2x3xf32>, tensor<3x1xf32>, tensor<4xi32>, tensor<7xf32>, tensor<2xf32>) {
  %s23 = stablehlo.constant dense<[2, 3]> : tensor<2xi64>
  %s31 = stablehlo.constant dense<[3, 1]> : tensor<2xi64>
  %s4 = stablehlo.constant dense<[4]> : tensor<1xi64>
  %one = stablehlo.constant dense<[1]> : tensor<1xi64>
  %zero = stablehlo.constant dense<[0]> : tensor<1xi64>
  %two = stablehlo.constant dense<[2]> : tensor<1xi64>
  %three = stablehlo.constant dense<[3]> : tensor<1xi64>
  %0 = "stablehlo.dynamic_broadcast_in_dim"(%a, %s23) {broadcast_dimensions = array<i64: 1>} : (tensor<3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %1 = stablehlo.dynamic_reshape %a, %s31 : (tensor<3xf32>, tensor<2xi64>) -> tensor<3x1xf32>
  %2 = stablehlo.dynamic_iota %s4, dim = 0 : (tensor<1xi64>) -> tensor<4xi32>
  %3 = "stablehlo.dynamic_pad"(%a, %p, %one, %one, %one) : (tensor<3xf32>, tensor<f32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<7xf32>
  %4 = "stablehlo.real_dynamic_slice"(%a, %zero, %three, %two) : (tensor<3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<3x1xf32>, tensor<4xi32>, tensor<7xf32>, tensor<2xf32>
})",
       {T{F32, {3}, {1, 2, 3}}, T{F32, {}, {0}}},
       {T{F32, {2, 3}, {1, 2, 3, 1, 2, 3}}, T{F32, {3, 1}, {1, 2, 3}},
        T{S32, {4}, {0, 1, 2, 3}}, T{F32, {7}, {0, 1, 0, 2, 0, 3, 0}},
        T{F32, {2}, {1, 3}}}},
      {"TupleAndGetTupleElement",
       R"(func.func @main(%a: tensor<2xf32>, %b: tensor<i32>) -> (tensor<i32>, tensor<2xf32>) {
  %t = "stablehlo.tuple"(%a, %b) : (tensor<2xf32>, tensor<i32>) -> tuple<tensor<2xf32>, tensor<i32>>
  %0 = "stablehlo.get_tuple_element"(%t) {index = 1 : i32} : (tuple<tensor<2xf32>, tensor<i32>>) -> tensor<i32>
  %1 = "stablehlo.get_tuple_element"(%t) {index = 0 : i32} : (tuple<tensor<2xf32>, tensor<i32>>) -> tensor<2xf32>
  return %0, %1 : tensor<i32>, tensor<2xf32>
})",
       {T{F32, {2}, {1.5, -2}}, T{S32, {}, {42}}},
       {T{S32, {}, {42}}, T{F32, {2}, {1.5, -2}}}},
  };
}

}  // namespace backplane::conformance
