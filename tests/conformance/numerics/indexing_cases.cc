// Numerics cases: indexed access: gather, scatter, dynamic slices with clamped
// indices, sort, top_k. Expected values are derived by hand or with
// numpy/mpmath, never by running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> IndexingCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"SortAscending",
       R"(func.func @main(%a: tensor<5xf32>) -> tensor<5xf32> {
  %0 = "stablehlo.sort"(%a) ({
  ^bb0(%x: tensor<f32>, %y: tensor<f32>):
    %c = stablehlo.compare LT, %x, %y, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %c : tensor<i1>
  }) {dimension = 0 : i64, is_stable = true} : (tensor<5xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
})",
       {T{F32, {5}, {3, -1, 2, 10, 0}}},
       {T{F32, {5}, {-1, 0, 2, 3, 10}}}},
      {"GatherRowsWithOutOfRangeStartIndicesClamped",
       // Start indices are clamped so the whole slice stays in bounds: 5
       // and -1 select the last and first row; start (2, 2) of a 2x2
       // slice becomes (1, 1).
       R"(func.func @main(%a: tensor<3x3xf32>, %i: tensor<4x1xi32>, %j: tensor<1x2xi32>) -> (tensor<4x3xf32>, tensor<1x2x2xf32>) {
  %0 = "stablehlo.gather"(%a, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 3>}> : (tensor<3x3xf32>, tensor<4x1xi32>) -> tensor<4x3xf32>
  %1 = "stablehlo.gather"(%a, %j) <{dimension_numbers = #stablehlo.gather<offset_dims = [1, 2], start_index_map = [0, 1], index_vector_dim = 1>, slice_sizes = array<i64: 2, 2>}> : (tensor<3x3xf32>, tensor<1x2xi32>) -> tensor<1x2x2xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<1x2x2xf32>
})",
       {T{F32, {3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}},
        T{S32, {4, 1}, {0, 2, 5, -1}}, T{S32, {1, 2}, {2, 2}}},
       {T{F32, {4, 3}, {1, 2, 3, 7, 8, 9, 7, 8, 9, 1, 2, 3}},
        T{F32, {1, 2, 2}, {5, 6, 8, 9}}}},
      {"GatherWithBatchingDimensionsAndDynamicGather",
       R"(func.func @main(%a: tensor<2x3xf32>, %i: tensor<2x1xi32>, %k: tensor<2x1xi32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  %0 = "stablehlo.gather"(%a, %i) <{dimension_numbers = #stablehlo.gather<collapsed_slice_dims = [1], operand_batching_dims = [0], start_indices_batching_dims = [0], start_index_map = [1], index_vector_dim = 1>, slice_sizes = array<i64: 1, 1>}> : (tensor<2x3xf32>, tensor<2x1xi32>) -> tensor<2xf32>
  %sizes = stablehlo.constant dense<[1, 3]> : tensor<2xi64>
  %1 = "stablehlo.dynamic_gather"(%a, %k, %sizes) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>}> : (tensor<2x3xf32>, tensor<2x1xi32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2xf32>, tensor<2x3xf32>
})",
       {T{F32, {2, 3}, {1, 2, 3, 4, 5, 6}}, T{S32, {2, 1}, {2, 0}},
        T{S32, {2, 1}, {1, 0}}},
       {T{F32, {2}, {3, 4}}, T{F32, {2, 3}, {4, 5, 6, 1, 2, 3}}}},
      {"ScatterAddWithDuplicateIndicesAndScatterReplace",
       // Updates to the same row all accumulate; a body that returns the
       // update replaces.
       R"(func.func @main(%a: tensor<3x2xi32>, %i: tensor<3x1xi32>, %u: tensor<3x2xi32>, %j: tensor<2x1xi32>, %v: tensor<2x2xi32>) -> (tensor<3x2xi32>, tensor<3x2xi32>) {
  %0 = "stablehlo.scatter"(%a, %i, %u) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
  ^bb0(%x: tensor<i32>, %y: tensor<i32>):
    %s = stablehlo.add %x, %y : tensor<i32>
    stablehlo.return %s : tensor<i32>
  }) : (tensor<3x2xi32>, tensor<3x1xi32>, tensor<3x2xi32>) -> tensor<3x2xi32>
  %1 = "stablehlo.scatter"(%a, %j, %v) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
  ^bb0(%x: tensor<i32>, %y: tensor<i32>):
    stablehlo.return %y : tensor<i32>
  }) : (tensor<3x2xi32>, tensor<2x1xi32>, tensor<2x2xi32>) -> tensor<3x2xi32>
  return %0, %1 : tensor<3x2xi32>, tensor<3x2xi32>
})",
       {T{S32, {3, 2}, {1, 1, 1, 1, 1, 1}}, T{S32, {3, 1}, {0, 2, 0}},
        T{S32, {3, 2}, {10, 20, 30, 40, 50, 60}}, T{S32, {2, 1}, {2, 1}},
        T{S32, {2, 2}, {7, 8, 9, 10}}},
       {T{S32, {3, 2}, {61, 81, 1, 1, 31, 41}},
        T{S32, {3, 2}, {1, 1, 9, 10, 7, 8}}}},
      {"DynamicSliceDynamicUpdateSliceClampedStartIndices",
       // Each start index is clamped to [0, dim - size]; an unsigned
       // 4294967295 is a large positive index, not -1.
       R"(func.func @main(%a: tensor<3x3xi32>, %r: tensor<i32>, %c: tensor<i32>, %u: tensor<2x2xi32>, %r2: tensor<i32>, %c2: tensor<i32>, %v: tensor<4xi32>, %big: tensor<ui32>) -> (tensor<2x2xi32>, tensor<3x3xi32>, tensor<2xi32>) {
  %0 = stablehlo.dynamic_slice %a, %r, %c, sizes = [2, 2] : (tensor<3x3xi32>, tensor<i32>, tensor<i32>) -> tensor<2x2xi32>
  %1 = stablehlo.dynamic_update_slice %a, %u, %r2, %c2 : (tensor<3x3xi32>, tensor<2x2xi32>, tensor<i32>, tensor<i32>) -> tensor<3x3xi32>
  %2 = stablehlo.dynamic_slice %v, %big, sizes = [2] : (tensor<4xi32>, tensor<ui32>) -> tensor<2xi32>
  return %0, %1, %2 : tensor<2x2xi32>, tensor<3x3xi32>, tensor<2xi32>
})",
       {T{S32, {3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}, T{S32, {}, {-1}},
        T{S32, {}, {2}}, T{S32, {2, 2}, {-1, -2, -3, -4}}, T{S32, {}, {2}},
        T{S32, {}, {-5}}, T{S32, {4}, {10, 11, 12, 13}},
        T{U32, {}, {4294967295}}},
       {T{S32, {2, 2}, {2, 3, 5, 6}},
        T{S32, {3, 3}, {1, 2, 3, -1, -2, 6, -3, -4, 9}},
        T{S32, {2}, {12, 13}}}},
      {"TorchIndexSelect",
       R"(func.func @main(%a: tensor<3x2xf32>, %i: tensor<2xi32>) -> tensor<2x2xf32> {
  %0 = "stablehlo.torch_index_select"(%a, %i) {dim = 0 : i64, batch_dims = 0 : i64} : (tensor<3x2xf32>, tensor<2xi32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
})",
       {T{F32, {3, 2}, {1, 2, 3, 4, 5, 6}}, T{S32, {2}, {2, 0}}},
       {T{F32, {2, 2}, {5, 6, 1, 2}}}},
      {"SortStableMultiOperandDescendingWithDuplicateKeys",
       // Equal keys keep their input order, and the second operand moves
       // with the keys.
       R"(func.func @main(%k: tensor<5xi32>, %v: tensor<5xi32>) -> (tensor<5xi32>, tensor<5xi32>) {
  %0:2 = "stablehlo.sort"(%k, %v) ({
  ^bb0(%a: tensor<i32>, %b: tensor<i32>, %c: tensor<i32>, %d: tensor<i32>):
    %p = stablehlo.compare GT, %a, %b, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %p : tensor<i1>
  }) {dimension = 0 : i64, is_stable = true} : (tensor<5xi32>, tensor<5xi32>) -> (tensor<5xi32>, tensor<5xi32>)
  return %0#0, %0#1 : tensor<5xi32>, tensor<5xi32>
})",
       {T{S32, {5}, {3, 1, 3, 2, 1}}, T{S32, {5}, {0, 1, 2, 3, 4}}},
       {T{S32, {5}, {3, 3, 2, 1, 1}}, T{S32, {5}, {0, 2, 3, 1, 4}}}},
      {"SortTotalOrderWithNaNAndSignedZeroAlongDimensionOne",
       R"(func.func @main(%x: tensor<5xf32>, %m: tensor<2x3xf32>) -> (tensor<5xf32>, tensor<2x3xf32>) {
  %0 = "stablehlo.sort"(%x) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %p = stablehlo.compare LT, %a, %b, TOTALORDER : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %p : tensor<i1>
  }) {dimension = 0 : i64, is_stable = true} : (tensor<5xf32>) -> tensor<5xf32>
  %1 = "stablehlo.sort"(%m) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %p = stablehlo.compare LT, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %p : tensor<i1>
  }) {dimension = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<5xf32>, tensor<2x3xf32>
})",
       {T{F32, {5}, {NAN, -0.0, 1, -INFINITY, 0}},
        T{F32, {2, 3}, {3, 1, 2, 0, -1, 5}}},
       {T{F32, {5}, {-INFINITY, -0.0, 0, 1, NAN}},
        T{F32, {2, 3}, {1, 2, 3, -1, 0, 5}}}},
      {"GatherIndexVectorDimZeroAndScatterWindowUpdates",
       // Index vectors along dimension 0 of the indices; scatter of 1x2
       // windows at (1, 1) and (0, 0).
       R"(func.func @main(%a: tensor<3x3xf32>, %i: tensor<2x3xi32>, %z: tensor<3x3xf32>, %j: tensor<2x2xi32>, %u: tensor<2x1x2xf32>) -> (tensor<3xf32>, tensor<3x3xf32>) {
  %0 = "stablehlo.gather"(%a, %i) <{dimension_numbers = #stablehlo.gather<collapsed_slice_dims = [0, 1], start_index_map = [0, 1], index_vector_dim = 0>, slice_sizes = array<i64: 1, 1>}> : (tensor<3x3xf32>, tensor<2x3xi32>) -> tensor<3xf32>
  %1 = "stablehlo.scatter"(%z, %j, %u) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1, 2], scatter_dims_to_operand_dims = [0, 1], index_vector_dim = 1>}> ({
  ^bb0(%x: tensor<f32>, %y: tensor<f32>):
    %s = stablehlo.add %x, %y : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) : (tensor<3x3xf32>, tensor<2x2xi32>, tensor<2x1x2xf32>) -> tensor<3x3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3x3xf32>
})",
       {T{F32, {3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}},
        T{S32, {2, 3}, {0, 1, 2, 2, 0, 1}},
        T{F32, {3, 3}, {0, 0, 0, 0, 0, 0, 0, 0, 0}},
        T{S32, {2, 2}, {1, 1, 0, 0}}, T{F32, {2, 1, 2}, {1, 2, 10, 20}}},
       {T{F32, {3}, {3, 4, 8}}, T{F32, {3, 3}, {10, 20, 0, 0, 1, 2, 0, 0, 0}}}},
  };
}

}  // namespace backplane::conformance
