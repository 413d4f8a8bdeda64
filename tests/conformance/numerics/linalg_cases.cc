// Numerics cases: dot, dot_general, convolution, einsum, cholesky,
// triangular_solve, fft and batch normalisation. Expected values are derived by
// hand or with numpy/mpmath, never by running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> LinalgCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {
      {"DotGeneralMatmulAndBatched",
       R"(func.func @main(%a: tensor<2x2x3xf32>, %b: tensor<2x3x2xf32>) -> tensor<2x2x2xf32> {
  %0 = stablehlo.dot_general %a, %b, batching_dims = [0] x [0], contracting_dims = [2] x [1] : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
})",
       {T{F32, {2, 2, 3}, {1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0}},
        T{F32, {2, 3, 2}, {1, 0, 0, 1, 1, 1, 2, 3, 4, 5, 6, 7}}},
       {T{F32, {2, 2, 2}, {4, 5, 10, 11, 2, 3, 4, 5}}}},
      {"Convolution2D",
       R"(func.func @main(%x: tensor<1x3x3x1xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x2x1xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1], pad = [[0, 0], [0, 0]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x3x3x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x1xf32>
  return %0 : tensor<1x2x2x1xf32>
})",
       {T{F32, {1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}},
        T{F32, {2, 2, 1, 1}, {1, 0, 0, -1}}},
       {T{F32, {1, 2, 2, 1}, {-4, -4, -4, -4}}}},
      {"DotVectorAndMatrixAndIntegerDotGeneralWithWiderResult",
       // An i8 x i8 -> i32 dot accumulates in the result type.
       R"(func.func @main(%a: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<2x3xf32>, %p: tensor<1x2xi8>, %q: tensor<2x1xi8>) -> (tensor<f32>, tensor<2xf32>, tensor<1x1xi32>) {
  %0 = "stablehlo.dot"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  %1 = "stablehlo.dot"(%m, %a) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  %2 = stablehlo.dot_general %p, %q, contracting_dims = [1] x [0] : (tensor<1x2xi8>, tensor<2x1xi8>) -> tensor<1x1xi32>
  return %0, %1, %2 : tensor<f32>, tensor<2xf32>, tensor<1x1xi32>
})",
       {T{F32, {3}, {1, 2, 3}}, T{F32, {3}, {4, -5, 6}},
        T{F32, {2, 3}, {1, 0, -1, 2, 2, 2}}, T{S8, {1, 2}, {100, -100}},
        T{S8, {2, 1}, {100, -100}}},
       {T{F32, {}, {12}}, T{F32, {2}, {-2, 12}}, T{S32, {1, 1}, {20000}}}},
      {"DotGeneralHighestPrecisionIsFullFloat32",
       // 1 + 2^-8 is not a bf16 value: a single bf16 pass would give 4,
       // HIGHEST must give the f32 result 4.015625. At DEFAULT precision
       // the inputs are bf16-exact so any implementation is exact.
       R"(func.func @main(%a: tensor<1x4xf32>, %b: tensor<4x1xf32>, %c: tensor<1x4xf32>) -> (tensor<1x1xf32>, tensor<1x1xf32>) {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0], precision = [HIGHEST, HIGHEST] : (tensor<1x4xf32>, tensor<4x1xf32>) -> tensor<1x1xf32>
  %1 = stablehlo.dot_general %c, %b, contracting_dims = [1] x [0], precision = [DEFAULT, DEFAULT] : (tensor<1x4xf32>, tensor<4x1xf32>) -> tensor<1x1xf32>
  return %0, %1 : tensor<1x1xf32>, tensor<1x1xf32>
})",
       {T{F32, {1, 4}, {1.00390625, 1.00390625, 1.00390625, 1.00390625}},
        T{F32, {4, 1}, {1, 1, 1, 1}}, T{F32, {1, 4}, {1.5, -2.25, 0.125, 3}}},
       {T{F32, {1, 1}, {4.015625}}, T{F32, {1, 1}, {2.375}}}},
      {"DotGeneralNonLeadingBatchAndContractingDimensions",
       // Result dimensions: batch, then lhs free, then rhs free.
       R"(func.func @main(%l: tensor<2x3x4xf32>, %r: tensor<4x3x5xf32>) -> tensor<3x2x5xf32> {
  %0 = stablehlo.dot_general %l, %r, batching_dims = [1] x [1], contracting_dims = [2] x [0], precision = [HIGHEST, HIGHEST] : (tensor<2x3x4xf32>, tensor<4x3x5xf32>) -> tensor<3x2x5xf32>
  return %0 : tensor<3x2x5xf32>
})",
       {T{F32, {2, 3, 4}, {-10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0,  1,
                           2,   3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13}},
        T{F32, {4, 3, 5}, {-3, -2, -1, 0,  1,  2,  3,  -3, -2, -1, 0,  1,
                           2,  3,  -3, -2, -1, 0,  1,  2,  3,  -3, -2, -1,
                           0,  1,  2,  3,  -3, -2, -1, 0,  1,  2,  3,  -3,
                           -2, -1, 0,  1,  2,  3,  -3, -2, -1, 0,  1,  2,
                           3,  -3, -2, -1, 0,  1,  2,  3,  -3, -2, -1, 0}}},
       {T{F32, {3, 2, 5}, {56, 22, -12, -46, -31, -16, -2,  12,  26,  5,
                           -9, 8,  32,  14,  -4,  -9,  -28, -40, -10, 20,
                           2,  -7, -9,  -4,  8,   74,  29,  -9,  -40, -64}}}},
      {"ConvolutionPaddingStrideLhsAndRhsDilation",
       // Input dilated by 2, padded [1, 2], kernel dilated by 3, stride 3;
       // negative padding crops the input.
       R"(func.func @main(%x: tensor<1x5x1xf32>, %w: tensor<2x1x1xf32>, %v: tensor<3x1x1xf32>) -> (tensor<1x3x1xf32>, tensor<1x3x1xf32>) {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, f]x[0, i, o]->[b, 0, f], window = {stride = [3], pad = [[1, 2]], lhs_dilate = [2], rhs_dilate = [3]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64, precision_config = [#stablehlo<precision HIGHEST>, #stablehlo<precision HIGHEST>]} : (tensor<1x5x1xf32>, tensor<2x1x1xf32>) -> tensor<1x3x1xf32>
  %1 = stablehlo.convolution(%x, %v) dim_numbers = [b, 0, f]x[0, i, o]->[b, 0, f], window = {stride = [1], pad = [[-1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x5x1xf32>, tensor<3x1x1xf32>) -> tensor<1x3x1xf32>
  return %0, %1 : tensor<1x3x1xf32>, tensor<1x3x1xf32>
})",
       {T{F32, {1, 5, 1}, {1, 2, 3, 4, 5}}, T{F32, {2, 1, 1}, {1, 10}},
        T{F32, {3, 1, 1}, {1, -1, 2}}},
       {T{F32, {1, 3, 1}, {20, 2, 50}}, T{F32, {1, 3, 1}, {7, 9, -1}}}},
      {"ConvolutionFeatureGroupsAndBatchGroups",
       // feature_group_count 2: output features 0-1 see input features
       // 0-1, outputs 2-3 see inputs 2-3. batch_group_count 2: output
       // feature 0 reads batch 0, output feature 1 reads batch 1.
       R"(func.func @main(%x: tensor<1x3x4xf32>, %w: tensor<2x2x4xf32>, %y: tensor<2x3x2xf32>, %k: tensor<2x2x2xf32>) -> (tensor<1x2x4xf32>, tensor<1x2x2xf32>) {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, f]x[0, i, o]->[b, 0, f], window = {} {batch_group_count = 1 : i64, feature_group_count = 2 : i64} : (tensor<1x3x4xf32>, tensor<2x2x4xf32>) -> tensor<1x2x4xf32>
  %1 = stablehlo.convolution(%y, %k) dim_numbers = [b, 0, f]x[0, i, o]->[b, 0, f], window = {} {batch_group_count = 2 : i64, feature_group_count = 1 : i64} : (tensor<2x3x2xf32>, tensor<2x2x2xf32>) -> tensor<1x2x2xf32>
  return %0, %1 : tensor<1x2x4xf32>, tensor<1x2x2xf32>
})",
       {T{F32, {1, 3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
        T{F32,
          {2, 2, 4},
          {-2, -1, 0, 1, 2, -2, -1, 0, 1, 2, -2, -1, 0, 1, 2, -2}},
        T{F32, {2, 3, 2}, {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12}},
        T{F32, {2, 2, 2}, {-1, 0, 1, -1, 0, 1, -1, 0}}},
       {T{F32, {1, 2, 4}, {7, 11, -2, -20, 11, 11, -6, -28}},
        T{F32, {1, 2, 2}, {1, 17, -1, 21}}}},
      {"DynamicConvWithPaddingOperand",
       R"(func.func @main(%x: tensor<1x5x1xf32>, %v: tensor<3x1x1xf32>) -> tensor<1x3x1xf32> {
  %pad = stablehlo.constant dense<[[-1, 1]]> : tensor<1x2xi64>
  %0 = "stablehlo.dynamic_conv"(%x, %v, %pad) {window_strides = array<i64: 1>, dimension_numbers = #stablehlo.conv<[b, 0, f]x[0, i, o]->[b, 0, f]>, batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x5x1xf32>, tensor<3x1x1xf32>, tensor<1x2xi64>) -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
})",
       {T{F32, {1, 5, 1}, {1, 2, 3, 4, 5}}, T{F32, {3, 1, 1}, {1, -1, 2}}},
       {T{F32, {1, 3, 1}, {7, 9, -1}}}},
      {"Einsum",
       R"(func.func @main(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %0 = "stablehlo.einsum"(%a, %b) {einsum_config = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
})",
       {T{F32, {2, 3}, {1, 2, 3, 4, 5, 6}}, T{F32, {3, 2}, {1, 0, 0, 1, 1, 1}}},
       {T{F32, {2, 2}, {4, 5, 10, 11}}}},
      {"UnaryEinsumTransposeAndSum",
       R"(func.func @main(%a: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<2xf32>) {
  %0 = "stablehlo.unary_einsum"(%a) {einsum_config = "ij->ji"} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = "stablehlo.unary_einsum"(%a) {einsum_config = "ij->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<2xf32>
})",
       {T{F32, {2, 3}, {1, 2, 3, 4, 5, 6}}},
       {T{F32, {3, 2}, {1, 4, 2, 5, 3, 6}}, T{F32, {2}, {6, 15}}}},
      {"CholeskyLowerAndUpper",
       // Only the requested triangle is specified; the program masks the
       // other one to zero before returning.
       R"(func.func @main(%a: tensor<3x3xf32>) -> (tensor<3x3xf32>, tensor<3x3xf32>) {
  %l = "stablehlo.cholesky"(%a) {lower = true} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  %u = "stablehlo.cholesky"(%a) {lower = false} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  %r = stablehlo.iota dim = 0 : tensor<3x3xi32>
  %c = stablehlo.iota dim = 1 : tensor<3x3xi32>
  %below = stablehlo.compare GE, %r, %c, SIGNED : (tensor<3x3xi32>, tensor<3x3xi32>) -> tensor<3x3xi1>
  %above = stablehlo.compare LE, %r, %c, SIGNED : (tensor<3x3xi32>, tensor<3x3xi32>) -> tensor<3x3xi1>
  %z = stablehlo.constant dense<0.0> : tensor<3x3xf32>
  %0 = stablehlo.select %below, %l, %z : tensor<3x3xi1>, tensor<3x3xf32>
  %1 = stablehlo.select %above, %u, %z : tensor<3x3xi1>, tensor<3x3xf32>
  return %0, %1 : tensor<3x3xf32>, tensor<3x3xf32>
})",
       {T{F32, {3, 3}, {4, 12, -16, 12, 37, -43, -16, -43, 98}}},
       {T{F32, {3, 3}, {2, 0, 0, 6, 1, 0, -8, 5, 3}},
        T{F32, {3, 3}, {2, 6, -8, 0, 1, 5, 0, 0, 3}}}},
      {"TriangularSolveLeftRightTransposeAndUnitDiagonal",
       // The unused triangle holds 99s that must be ignored; with
       // unit_diagonal the diagonal is taken as ones.
       R"(func.func @main(%a: tensor<3x3xf32>, %b: tensor<3x2xf32>, %c: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<2x3xf32>, tensor<3x2xf32>) {
  %0 = "stablehlo.triangular_solve"(%a, %b) {left_side = true, lower = true, unit_diagonal = false, transpose_a = #stablehlo<transpose NO_TRANSPOSE>} : (tensor<3x3xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %1 = "stablehlo.triangular_solve"(%a, %c) {left_side = false, lower = true, unit_diagonal = false, transpose_a = #stablehlo<transpose TRANSPOSE>} : (tensor<3x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = "stablehlo.triangular_solve"(%a, %b) {left_side = true, lower = true, unit_diagonal = true, transpose_a = #stablehlo<transpose NO_TRANSPOSE>} : (tensor<3x3xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0, %1, %2 : tensor<3x2xf32>, tensor<2x3xf32>, tensor<3x2xf32>
})",
       {T{F32, {3, 3}, {2, 99, 99, 1, 4, 99, -1, 2, 5}},
        T{F32, {3, 2}, {2, 4, 9, 2, 8, -1}},
        T{F32, {2, 3}, {2, 5, 3, 4, -2, 1}}},
       {T{F32, {3, 2}, {1, 2, 2, 0, 1, 0.2}},
        T{F32, {2, 3}, {1, 1, 0.4, 2, -1, 1}},
        T{F32, {3, 2}, {2, 4, 7, -2, -4, 7}}}},
      {"FftForwardInverseRealAndInverseReal",
       R"(func.func @main(%x: tensor<4xcomplex<f32>>, %r: tensor<4xf32>, %h: tensor<3xcomplex<f32>>) -> (tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<4xf32>) {
  %0 = stablehlo.fft %x, type = FFT, length = [4] : (tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>>
  %1 = stablehlo.fft %x, type = IFFT, length = [4] : (tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>>
  %2 = stablehlo.fft %r, type = RFFT, length = [4] : (tensor<4xf32>) -> tensor<3xcomplex<f32>>
  %3 = stablehlo.fft %h, type = IRFFT, length = [4] : (tensor<3xcomplex<f32>>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<4xf32>
})",
       {T{C64, {4}, {1, 0, -1, 0.5}, {0, 2, 0, 0}}, T{F32, {4}, {1, 2, 3, 4}},
        T{C64, {3}, {10, -2, -2}, {0, 2, 0}}},
       {T{C64, {4}, {0.5, 4, -0.5, 0}, {2, 0.5, -2, -0.5}},
        T{C64, {4}, {0.125, 0, -0.125, 1}, {0.5, -0.125, -0.5, 0.125}},
        T{C64, {3}, {10, -2, -2}, {0, 2, 0}}, T{F32, {4}, {1, 2, 3, 4}}}},
      {"BatchNormInference",
       // Feature dimension 1: y = scale * (x - mean) / sqrt(var + eps) +
       // offset.
       R"(func.func @main(%x: tensor<3x2xf32>, %s: tensor<2xf32>, %o: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<3x2xf32> {
  %0 = "stablehlo.batch_norm_inference"(%x, %s, %o, %m, %v) {epsilon = 2.500000e-01 : f32, feature_index = 1 : i64} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
})",
       {T{F32, {3, 2}, {1, 2, 3, 6, -1, 4}}, T{F32, {2}, {2, 0.5}},
        T{F32, {2}, {1, -1}}, T{F32, {2}, {1, 3}}, T{F32, {2}, {4, 1}}},
       {T{F32,
          {3, 2},
          {1, -1.4472135954999579, 2.9402850002906638, 0.34164078649987384,
           -0.9402850002906638, -0.5527864045000421}}}},
      {"BatchNormTraining",
       // Normalises with the batch mean and the biased batch variance,
       // and returns both.
       R"(func.func @main(%x: tensor<3x2xf32>, %s: tensor<2xf32>, %o: tensor<2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %0:3 = "stablehlo.batch_norm_training"(%x, %s, %o) {epsilon = 2.500000e-01 : f32, feature_index = 1 : i64} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>)
  return %0#0, %0#1, %0#2 : tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>
})",
       {T{F32, {3, 2}, {1, 2, 3, 6, -1, 4}}, T{F32, {2}, {2, 0.5}},
        T{F32, {2}, {1, -1}}},
       {T{F32,
          {3, 2},
          {1, -1.5855400437691198, 3.3421601750764798, -0.41445995623088006,
           -1.3421601750764798, -1}},
        T{F32, {2}, {1, 4}},
        T{F32, {2}, {2.6666666666666665, 2.6666666666666665}}}},
      {"BatchNormGrad",
       R"(func.func @main(%x: tensor<3x2xf32>, %s: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>, %g: tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %0:3 = "stablehlo.batch_norm_grad"(%x, %s, %m, %v, %g) {epsilon = 2.500000e-01 : f32, feature_index = 1 : i64} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>)
  return %0#0, %0#1, %0#2 : tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>
})",
       {T{F32, {3, 2}, {1, 2, 3, 6, -1, 4}}, T{F32, {2}, {2, 0.5}},
        T{F32, {2}, {1, 3}}, T{F32, {2}, {4, 1}},
        T{F32, {3, 2}, {1, -1, 0.5, 2, -2, 1}}},
       {T{F32,
          {3, 2},
          {1.1318329168362207, 0.20869967789998042, -0.11413441178180378,
           -2.265882217199787, -1.0176985050544167, -0.8049844718999244}},
        T{F32, {2}, {2.42535625036333, 7.155417527999327}},
        T{F32, {2}, {-0.5, 2}}}},
      {"DotGeneralMultipleContractingDimensions",
       R"(func.func @main(%l: tensor<2x3x4xf32>, %r: tensor<3x4x2xf32>) -> tensor<2x2xf32> {
  %0 = stablehlo.dot_general %l, %r, contracting_dims = [1, 2] x [0, 1] : (tensor<2x3x4xf32>, tensor<3x4x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
})",
       {T{F32, {2, 3, 4}, {-12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1,
                           0,   1,   2,   3,  4,  5,  6,  7,  8,  9,  10, 11}},
        T{F32, {3, 4, 2}, {-2, -1, 0, 1,  2,  -2, -1, 0, 1,  2,  -2, -1,
                           0,  1,  2, -2, -1, 0,  1,  2, -2, -1, 0,  1}}},
       {T{F32, {2, 2}, {14, 11, -10, 11}}}},
      {"DotGeneralInt32WrapsAndFloat16HighestIsExact",
       // Integer dots are exact modulo 2^32 (no float accumulation); an
       // f16 dot at HIGHEST keeps f16's 11 significant bits (checked
       // bit-exactly: 8 x (1 + 2^-10) = 8.0078125, a bf16 pass gives 8).
       R"(func.func @main(%a: tensor<2x2xi32>, %b: tensor<2x2xi32>, %h: tensor<1x8xf16>, %o: tensor<8x1xf16>) -> (tensor<2x2xi32>, tensor<1x1xi16>) {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x2xi32>, tensor<2x2xi32>) -> tensor<2x2xi32>
  %d = stablehlo.dot_general %h, %o, contracting_dims = [1] x [0], precision = [HIGHEST, HIGHEST] : (tensor<1x8xf16>, tensor<8x1xf16>) -> tensor<1x1xf16>
  %1 = stablehlo.bitcast_convert %d : (tensor<1x1xf16>) -> tensor<1x1xi16>
  return %0, %1 : tensor<2x2xi32>, tensor<1x1xi16>
})",
       {T{S32, {2, 2}, {100000, 1, 70000, -3}},
        T{S32, {2, 2}, {30000, 2, 50000, 7}},
        T{F16, {1, 8}, std::vector<double>(8, 1.0009765625)},
        T{F16, {8, 1}, std::vector<double>(8, 1)}},
       {T{S32, {2, 2}, {-1294917296, 200007, 2099850000, 139979}},
        T{S16, {1, 1}, {18433}}}},
      {"ConvolutionHighestPrecisionIsFullFloat32",
       // 1 + 2^-8 is not a bf16 value: a bf16 pass gives 4, HIGHEST must
       // give 4 x 1.00390625 = 4.015625.
       R"(func.func @main(%x: tensor<1x4x4xf32>, %w: tensor<1x4x2xf32>) -> tensor<1x4x2xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, f]x[0, i, o]->[b, 0, f], window = {} {batch_group_count = 1 : i64, feature_group_count = 1 : i64, precision_config = [#stablehlo<precision HIGHEST>, #stablehlo<precision HIGHEST>]} : (tensor<1x4x4xf32>, tensor<1x4x2xf32>) -> tensor<1x4x2xf32>
  return %0 : tensor<1x4x2xf32>
})",
       {T{F32, {1, 4, 4}, std::vector<double>(16, 1.00390625)},
        T{F32, {1, 4, 2}, {1, -1, 1, -1, 1, -1, 1, -1}}},
       {T{F32,
          {1, 4, 2},
          {4.015625, -4.015625, 4.015625, -4.015625, 4.015625, -4.015625,
           4.015625, -4.015625}}}},
  };
}

}  // namespace backplane::conformance
