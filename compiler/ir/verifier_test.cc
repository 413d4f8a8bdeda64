#include "compiler/ir/verifier.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::ir {
namespace {

using ::testing::HasSubstr;

// Wraps `body` in a function with arguments `args` and no results.
absl::Status VerifyBody(const std::string& args, const std::string& body) {
  std::string text = absl::StrCat("func.func @main(", args, ") {\n", body,
                                  "\n  func.return\n}\n");
  parser::ParseOptions options;
  options.filename = "v.mlir";
  auto m = parser::ParseModule(text, options);
  EXPECT_TRUE(m.ok()) << m.status() << "\n" << text;
  if (!m.ok()) return absl::InternalError("parse failed");
  return VerifyModule(**m);
}

struct Case {
  std::string name;
  std::string args;
  std::string body;
  std::string error;  // Empty: must verify.
};

void RunCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    absl::Status st = VerifyBody(c.args, c.body);
    if (c.error.empty()) {
      EXPECT_TRUE(st.ok()) << c.name << ": " << st;
    } else {
      EXPECT_FALSE(st.ok()) << c.name;
      EXPECT_THAT(std::string(st.message()), HasSubstr(c.error)) << c.name;
    }
  }
}

TEST(VerifierTest, Elementwise) {
  RunCases({
      {"add", "%a: tensor<2xf32>", "%0 = stablehlo.add %a, %a : tensor<2xf32>",
       ""},
      {"add bad result", "%a: tensor<2xf32>",
       "%0 = stablehlo.add %a, %a : (tensor<2xf32>, tensor<2xf32>) -> "
       "tensor<3xf32>",
       "v.mlir:2:1: stablehlo.add: result #0 has type tensor<3xf32> but "
       "tensor<2xf32> was inferred"},
      {"add mixed operands", "%a: tensor<2xf32>, %b: tensor<2xf64>",
       "%0 = stablehlo.add %a, %b : (tensor<2xf32>, tensor<2xf64>) -> "
       "tensor<2xf32>",
       "operand types differ"},
      {"and on floats", "%a: tensor<2xf32>",
       "%0 = stablehlo.and %a, %a : tensor<2xf32>",
       "element type f32 is not supported"},
      {"sqrt on ints", "%a: tensor<2xi32>",
       "%0 = stablehlo.sqrt %a : tensor<2xi32>",
       "element type i32 is not supported"},
      {"abs complex", "%a: tensor<2xcomplex<f32>>",
       "%0 = stablehlo.abs %a : (tensor<2xcomplex<f32>>) -> tensor<2xf32>", ""},
      {"abs complex wrong", "%a: tensor<2xcomplex<f32>>",
       "%0 = stablehlo.abs %a : (tensor<2xcomplex<f32>>) -> "
       "tensor<2xcomplex<f32>>",
       "was inferred"},
      {"clamp scalar bounds", "%a: tensor<2xf32>, %s: tensor<f32>",
       "%0 = stablehlo.clamp %s, %a, %s : (tensor<f32>, tensor<2xf32>, "
       "tensor<f32>) -> tensor<2xf32>",
       ""},
      {"clamp bad bound", "%a: tensor<2xf32>, %s: tensor<3xf32>",
       "%0 = stablehlo.clamp %s, %a, %s : (tensor<3xf32>, tensor<2xf32>, "
       "tensor<3xf32>) -> tensor<2xf32>",
       "clamp bound"},
      {"compare", "%a: tensor<2xi32>",
       "%0 = stablehlo.compare LT, %a, %a, SIGNED : (tensor<2xi32>, "
       "tensor<2xi32>) -> tensor<2xi1>",
       ""},
      {"compare bad result", "%a: tensor<2xi32>",
       "%0 = stablehlo.compare LT, %a, %a : (tensor<2xi32>, tensor<2xi32>) -> "
       "tensor<2xi32>",
       "was inferred"},
      {"compare without direction", "%a: tensor<2xi32>",
       "%0 = \"stablehlo.compare\"(%a, %a) : (tensor<2xi32>, tensor<2xi32>) -> "
       "tensor<2xi1>",
       "missing attribute 'comparison_direction'"},
      {"select", "%p: tensor<i1>, %a: tensor<2xf32>",
       "%0 = stablehlo.select %p, %a, %a : tensor<i1>, tensor<2xf32>", ""},
      {"select bad pred", "%p: tensor<3xi1>, %a: tensor<2xf32>",
       "%0 = stablehlo.select %p, %a, %a : tensor<3xi1>, tensor<2xf32>",
       "must be a scalar or match"},
      {"convert", "%a: tensor<2xf32>",
       "%0 = stablehlo.convert %a : (tensor<2xf32>) -> tensor<2xi8>", ""},
      {"convert shape", "%a: tensor<2xf32>",
       "%0 = stablehlo.convert %a : (tensor<2xf32>) -> tensor<3xi8>",
       "convert must keep the shape"},
      {"bitcast wider", "%a: tensor<2x2xi32>",
       "%0 = stablehlo.bitcast_convert %a : (tensor<2x2xi32>) -> tensor<2xf64>",
       ""},
      {"bitcast bad", "%a: tensor<2xi32>",
       "%0 = stablehlo.bitcast_convert %a : (tensor<2xi32>) -> tensor<2xf64>",
       "bitcast_convert result shape mismatch"},
      {"real", "%a: tensor<2xcomplex<f64>>",
       "%0 = stablehlo.real %a : (tensor<2xcomplex<f64>>) -> tensor<2xf64>",
       ""},
      {"complex of f16", "%a: tensor<2xf16>",
       "%0 = stablehlo.complex %a, %a : (tensor<2xf16>, tensor<2xf16>) -> "
       "tensor<2xcomplex<f32>>",
       "equal f32 or f64"},
      {"reduce_precision", "%a: tensor<2xf32>",
       "%0 = stablehlo.reduce_precision %a, format = e0m10 : tensor<2xf32>",
       "exponent_bits must be >= 1"},
  });
}

TEST(VerifierTest, ShapeOps) {
  RunCases({
      {"broadcast_in_dim", "%a: tensor<1x3xf32>",
       "%0 = stablehlo.broadcast_in_dim %a, dims = [0, 2] : (tensor<1x3xf32>) "
       "-> tensor<4x5x3xf32>",
       ""},
      {"broadcast_in_dim bad size", "%a: tensor<2x3xf32>",
       "%0 = stablehlo.broadcast_in_dim %a, dims = [0, 2] : (tensor<2x3xf32>) "
       "-> tensor<4x5x3xf32>",
       "operand dimension 0 (size 2) cannot broadcast to result dimension 0 "
       "(size 4)"},
      {"broadcast_in_dim repeated", "%a: tensor<1x3xf32>",
       "%0 = stablehlo.broadcast_in_dim %a, dims = [2, 2] : (tensor<1x3xf32>) "
       "-> tensor<4x5x3xf32>",
       "repeats dimension 2"},
      {"reshape", "%a: tensor<2x3xf32>",
       "%0 = stablehlo.reshape %a : (tensor<2x3xf32>) -> tensor<6xf32>", ""},
      {"reshape count", "%a: tensor<2x3xf32>",
       "%0 = stablehlo.reshape %a : (tensor<2x3xf32>) -> tensor<5xf32>",
       "changes the element count"},
      {"transpose", "%a: tensor<2x3xf32>",
       "%0 = stablehlo.transpose %a, dims = [1, 0] : (tensor<2x3xf32>) -> "
       "tensor<3x2xf32>",
       ""},
      {"transpose bad", "%a: tensor<2x3xf32>",
       "%0 = stablehlo.transpose %a, dims = [1, 0] : (tensor<2x3xf32>) -> "
       "tensor<2x3xf32>",
       "result #0 has type tensor<2x3xf32> but tensor<3x2xf32> was inferred"},
      {"slice", "%a: tensor<10xf32>",
       "%0 = stablehlo.slice %a [1:9:3] : (tensor<10xf32>) -> tensor<3xf32>",
       ""},
      {"slice out of range", "%a: tensor<10xf32>",
       "%0 = stablehlo.slice %a [1:11] : (tensor<10xf32>) -> tensor<10xf32>",
       "slice range 1:11:1 is invalid for dimension 0 of size 10"},
      {"dynamic_slice", "%a: tensor<4x4xf32>, %i: tensor<i32>",
       "%0 = stablehlo.dynamic_slice %a, %i, %i, sizes = [2, 2] : "
       "(tensor<4x4xf32>, tensor<i32>, tensor<i32>) -> tensor<2x2xf32>",
       ""},
      {"dynamic_slice too big", "%a: tensor<4x4xf32>, %i: tensor<i32>",
       "%0 = stablehlo.dynamic_slice %a, %i, %i, sizes = [5, 2] : "
       "(tensor<4x4xf32>, tensor<i32>, tensor<i32>) -> tensor<5x2xf32>",
       "slice size 5 for dimension 0 exceeds its size 4"},
      {"dynamic_update_slice",
       "%a: tensor<4xf32>, %u: tensor<2xf32>, %i: tensor<i64>",
       "%0 = stablehlo.dynamic_update_slice %a, %u, %i : (tensor<4xf32>, "
       "tensor<2xf32>, tensor<i64>) -> tensor<4xf32>",
       ""},
      {"concatenate", "%a: tensor<2x3xf32>, %b: tensor<1x3xf32>",
       "%0 = stablehlo.concatenate %a, %b, dim = 0 : (tensor<2x3xf32>, "
       "tensor<1x3xf32>) -> tensor<3x3xf32>",
       ""},
      {"concatenate mismatch", "%a: tensor<2x3xf32>, %b: tensor<2x4xf32>",
       "%0 = stablehlo.concatenate %a, %b, dim = 0 : (tensor<2x3xf32>, "
       "tensor<2x4xf32>) -> tensor<4x3xf32>",
       "differ in dimension 1"},
      {"pad", "%a: tensor<3xf32>, %v: tensor<f32>",
       "%0 = stablehlo.pad %a, %v, low = [1], high = [-1], interior = [2] : "
       "(tensor<3xf32>, tensor<f32>) -> tensor<7xf32>",
       ""},
      {"pad bad", "%a: tensor<3xf32>, %v: tensor<f32>",
       "%0 = stablehlo.pad %a, %v, low = [1], high = [1], interior = [0] : "
       "(tensor<3xf32>, tensor<f32>) -> tensor<7xf32>",
       "was inferred"},
      {"iota", "", "%0 = stablehlo.iota dim = 1 : tensor<2x3xi32>", ""},
      {"iota bad", "", "%0 = stablehlo.iota dim = 2 : tensor<2x3xi32>",
       "iota_dimension 2 is out of range"},
      {"reverse", "%a: tensor<2x3xf32>",
       "%0 = stablehlo.reverse %a, dims = [1] : tensor<2x3xf32>", ""},
      {"broadcast", "%a: tensor<3xf32>",
       "%0 = stablehlo.broadcast %a, sizes = [2] : (tensor<3xf32>) -> "
       "tensor<2x3xf32>",
       ""},
  });
}

TEST(VerifierTest, DotConvolutionGatherScatter) {
  RunCases({
      {"dot_general", "%a: tensor<2x4x3xf32>, %b: tensor<2x3x5xf32>",
       "%0 = stablehlo.dot_general %a, %b, batching_dims = [0] x [0], "
       "contracting_dims = [2] x [1] : (tensor<2x4x3xf32>, tensor<2x3x5xf32>) "
       "-> tensor<2x4x5xf32>",
       ""},
      {"dot_general mismatch", "%a: tensor<2x4x3xf32>, %b: tensor<2x4x5xf32>",
       "%0 = stablehlo.dot_general %a, %b, batching_dims = [0] x [0], "
       "contracting_dims = [2] x [1] : (tensor<2x4x3xf32>, tensor<2x4x5xf32>) "
       "-> tensor<2x4x5xf32>",
       "lhs dimension 2 (size 3) does not match rhs dimension 1 (size 4)"},
      {"dot", "%a: tensor<4x3xf32>, %b: tensor<3xf32>",
       "%0 = stablehlo.dot %a, %b : (tensor<4x3xf32>, tensor<3xf32>) -> "
       "tensor<4xf32>",
       ""},
      {"convolution", "%x: tensor<1x8x8x2xf32>, %k: tensor<3x3x2x4xf32>",
       "%0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, "
       "i, o]->[b, 0, 1, f], window = {stride = [2, 2], pad = [[1, 1], [1, "
       "1]], rhs_dilate = [1, 1]} {batch_group_count = 1 : i64, "
       "feature_group_count = 1 : i64} : (tensor<1x8x8x2xf32>, "
       "tensor<3x3x2x4xf32>) -> tensor<1x4x4x4xf32>",
       ""},
      {"convolution lhs dilation",
       "%x: tensor<1x16x2xf32>, %k: tensor<3x2x2xf32>",
       "%0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, f]x[0, i, "
       "o]->[b, 0, f], window = {pad = [[2, 2]], lhs_dilate = [2]} "
       "{batch_group_count = 1 : i64, feature_group_count = 1 : i64} : "
       "(tensor<1x16x2xf32>, tensor<3x2x2xf32>) -> tensor<1x33x2xf32>",
       ""},
      {"convolution rhs dilation overflow",
       "%x: tensor<1x8x2xf32>, %k: tensor<3x2x2xf32>",
       "%0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, f]x[0, i, "
       "o]->[b, 0, f], window = {rhs_dilate = [4611686018427387904]} "
       "{batch_group_count = 1 : i64, feature_group_count = 1 : i64} : "
       "(tensor<1x8x2xf32>, tensor<3x2x2xf32>) -> tensor<1x1x2xf32>",
       "overflows 64-bit sizes"},
      {"convolution features",
       "%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x2x4xf32>",
       "%0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, "
       "i, o]->[b, 0, 1, f], window = {} {batch_group_count = 1 : i64, "
       "feature_group_count = 1 : i64} : (tensor<1x8x8x3xf32>, "
       "tensor<3x3x2x4xf32>) -> tensor<1x6x6x4xf32>",
       "input features (3) / feature_group_count (1) must equal kernel input "
       "features (2)"},
      {"gather", "%x: tensor<3x4xf32>, %i: tensor<2x1xi32>",
       "%0 = \"stablehlo.gather\"(%x, %i) <{dimension_numbers = "
       "#stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], "
       "start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: "
       "1, 4>}> : (tensor<3x4xf32>, tensor<2x1xi32>) -> tensor<2x4xf32>",
       ""},
      {"gather bad slice", "%x: tensor<3x4xf32>, %i: tensor<2x1xi32>",
       "%0 = \"stablehlo.gather\"(%x, %i) <{dimension_numbers = "
       "#stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], "
       "start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: "
       "2, 4>}> : (tensor<3x4xf32>, tensor<2x1xi32>) -> tensor<2x4xf32>",
       "collapsed dimension 0 has slice size 2"},
      {"scatter",
       "%x: tensor<3x4xf32>, %i: tensor<2x1xi32>, %u: tensor<2x4xf32>",
       "%0 = \"stablehlo.scatter\"(%x, %i, %u) <{scatter_dimension_numbers = "
       "#stablehlo.scatter<update_window_dims = [1], inserted_window_dims = "
       "[0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({\n"
       "^bb0(%a: tensor<f32>, %b: tensor<f32>):\n  stablehlo.return %b : "
       "tensor<f32>\n"
       "}) : (tensor<3x4xf32>, tensor<2x1xi32>, tensor<2x4xf32>) -> "
       "tensor<3x4xf32>",
       ""},
      {"scatter bad body",
       "%x: tensor<3x4xf32>, %i: tensor<2x1xi32>, %u: tensor<2x4xf32>",
       "%0 = \"stablehlo.scatter\"(%x, %i, %u) <{scatter_dimension_numbers = "
       "#stablehlo.scatter<update_window_dims = [1], inserted_window_dims = "
       "[0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({\n"
       "^bb0(%a: tensor<f64>, %b: tensor<f64>):\n  stablehlo.return %b : "
       "tensor<f64>\n"
       "}) : (tensor<3x4xf32>, tensor<2x1xi32>, tensor<2x4xf32>) -> "
       "tensor<3x4xf32>",
       "region #0 takes (tensor<f64>, tensor<f64>) but (tensor<f32>, "
       "tensor<f32>) is required"},
  });
}

TEST(VerifierTest, ReductionsAndControlFlow) {
  RunCases({
      {"reduce", "%x: tensor<4x5xf32>, %c: tensor<f32>",
       "%0 = stablehlo.reduce(%x init: %c) applies stablehlo.add across "
       "dimensions = [1] : (tensor<4x5xf32>, tensor<f32>) -> tensor<4xf32>",
       ""},
      {"reduce bad result", "%x: tensor<4x5xf32>, %c: tensor<f32>",
       "%0 = stablehlo.reduce(%x init: %c) applies stablehlo.add across "
       "dimensions = [1] : (tensor<4x5xf32>, tensor<f32>) -> tensor<5xf32>",
       "result #0 has type tensor<5xf32> but tensor<4xf32> was inferred"},
      {"reduce_window", "%x: tensor<4x4xf32>, %c: tensor<f32>",
       "%0 = \"stablehlo.reduce_window\"(%x, %c) <{padding = dense<[[0, 1], "
       "[0, 1]]> : tensor<2x2xi64>, window_dimensions = array<i64: 3, 3>, "
       "window_strides = array<i64: 2, 2>}> ({\n"
       "^bb0(%a: tensor<f32>, %b: tensor<f32>):\n  %s = stablehlo.maximum %a, "
       "%b : tensor<f32>\n  stablehlo.return %s : tensor<f32>\n"
       "}) : (tensor<4x4xf32>, tensor<f32>) -> tensor<2x2xf32>",
       ""},
      {"reduce_window bad padding", "%x: tensor<4x4xf32>, %c: tensor<f32>",
       "%0 = \"stablehlo.reduce_window\"(%x, %c) <{padding = dense<0> : "
       "tensor<3x2xi64>, window_dimensions = array<i64: 3, 3>}> ({\n"
       "^bb0(%a: tensor<f32>, %b: tensor<f32>):\n  stablehlo.return %a : "
       "tensor<f32>\n"
       "}) : (tensor<4x4xf32>, tensor<f32>) -> tensor<2x2xf32>",
       "attribute 'padding' must have shape [2, 2]"},
      {"sort", "%x: tensor<4xf32>",
       "%0 = \"stablehlo.sort\"(%x) <{dimension = 0 : i64}> ({\n"
       "^bb0(%a: tensor<f32>, %b: tensor<f32>):\n  %c = stablehlo.compare LT, "
       "%a, %b : (tensor<f32>, tensor<f32>) -> tensor<i1>\n  stablehlo.return "
       "%c : tensor<i1>\n"
       "}) : (tensor<4xf32>) -> tensor<4xf32>",
       ""},
      {"sort returns non-bool", "%x: tensor<4xf32>",
       "%0 = \"stablehlo.sort\"(%x) <{dimension = 0 : i64}> ({\n"
       "^bb0(%a: tensor<f32>, %b: tensor<f32>):\n  stablehlo.return %a : "
       "tensor<f32>\n"
       "}) : (tensor<4xf32>) -> tensor<4xf32>",
       "region #0 returns (tensor<f32>) but (tensor<i1>) is required"},
      {"while", "%n: tensor<i32>",
       "%0 = stablehlo.while(%i = %n) : tensor<i32>\n cond {\n  %c = "
       "stablehlo.compare LT, %i, %n : (tensor<i32>, tensor<i32>) -> "
       "tensor<i1>\n  stablehlo.return %c : tensor<i1>\n } do {\n  "
       "stablehlo.return %i : tensor<i32>\n }",
       ""},
      {"while bad cond", "%n: tensor<i32>",
       "%0 = stablehlo.while(%i = %n) : tensor<i32>\n cond {\n  "
       "stablehlo.return %i : tensor<i32>\n } do {\n  stablehlo.return %i : "
       "tensor<i32>\n }",
       "region #0 returns (tensor<i32>) but (tensor<i1>) is required"},
      {"if", "%p: tensor<i1>, %a: tensor<f32>",
       "%0 = \"stablehlo.if\"(%p) ({\n  stablehlo.return %a : tensor<f32>\n}, "
       "{\n  stablehlo.return %a : tensor<f32>\n}) : (tensor<i1>) -> "
       "tensor<f32>",
       ""},
      {"if with one branch", "%p: tensor<i1>, %a: tensor<f32>",
       "%0 = \"stablehlo.if\"(%p) ({\n  stablehlo.return %a : tensor<f32>\n}) "
       ": (tensor<i1>) -> tensor<f32>",
       "expected 2 region(s), got 1"},
      {"case bad index", "%p: tensor<i64>, %a: tensor<f32>",
       "%0 = \"stablehlo.case\"(%p) ({\n  stablehlo.return %a : "
       "tensor<f32>\n}) : (tensor<i64>) -> tensor<f32>",
       "index must be tensor<i32>"},
      {"region without terminator", "%p: tensor<i1>, %a: tensor<f32>",
       "%0 = \"stablehlo.if\"(%p) ({\n  %b = stablehlo.abs %a : "
       "tensor<f32>\n}, {\n  stablehlo.return %a : tensor<f32>\n}) : "
       "(tensor<i1>) -> tensor<f32>",
       "region #0 must end with stablehlo.return"},
      {"fft", "%a: tensor<8xf32>",
       "%0 = stablehlo.fft %a, type = RFFT, length = [8] : (tensor<8xf32>) -> "
       "tensor<5xcomplex<f32>>",
       ""},
      {"fft bad", "%a: tensor<8xf32>",
       "%0 = stablehlo.fft %a, type = FFT, length = [8] : (tensor<8xf32>) -> "
       "tensor<8xcomplex<f32>>",
       "FFT/IFFT need a complex operand"},
      {"top_k", "%a: tensor<5x3xf32>",
       "%v, %i = chlo.top_k(%a, k = 2) : tensor<5x3xf32> -> (tensor<5x2xf32>, "
       "tensor<5x2xi32>)",
       ""},
      {"top_k too big", "%a: tensor<5x3xf32>",
       "%v, %i = chlo.top_k(%a, k = 4) : tensor<5x3xf32> -> (tensor<5x4xf32>, "
       "tensor<5x4xi32>)",
       "k must be in"},
  });
}

TEST(VerifierTest, CollectivesAndLinearAlgebra) {
  RunCases({
      {"all_reduce variadic", "%a: tensor<4xi64>, %b: tensor<5xi64>",
       "%0:2 = \"stablehlo.all_reduce\"(%a, %b) ({\n^bb0(%x: tensor<i64>, %y: "
       "tensor<i64>):\n  %s = stablehlo.add %x, %y : tensor<i64>\n  "
       "stablehlo.return %s : tensor<i64>\n}) {replica_groups = dense<[[0, "
       "1]]> : tensor<1x2xi64>} : (tensor<4xi64>, tensor<5xi64>) -> "
       "(tensor<4xi64>, tensor<5xi64>)",
       ""},
      {"all_reduce variadic mixed types",
       "%a: tensor<4xi64>, %b: tensor<5xf32>",
       "%0:2 = \"stablehlo.all_reduce\"(%a, %b) ({\n^bb0(%x: tensor<i64>, %y: "
       "tensor<i64>):\n  %s = stablehlo.add %x, %y : tensor<i64>\n  "
       "stablehlo.return %s : tensor<i64>\n}) {replica_groups = dense<[[0, "
       "1]]> : tensor<1x2xi64>} : (tensor<4xi64>, tensor<5xf32>) -> "
       "(tensor<4xi64>, tensor<5xf32>)",
       "operand #1 (tensor<5xf32>) has another element type"},
      {"chlo.scan", "%a: tensor<3x2xf32>, %c: tensor<2xf32>",
       "%0:2 = chlo.scan(%a) inits(%c) dimension=0 {\n^bb0(%e: "
       "tensor<2xf32>, %x: tensor<2xf32>):\n  %s = stablehlo.add %e, %x : "
       "tensor<2xf32>\n  stablehlo.return %s, %s : tensor<2xf32>, "
       "tensor<2xf32>\n} : (tensor<3x2xf32>, tensor<2xf32>) -> "
       "(tensor<3x2xf32>, tensor<2xf32>)",
       ""},
      {"chlo.scan output length", "%a: tensor<3x2xf32>, %c: tensor<2xf32>",
       "%0:2 = chlo.scan(%a) inits(%c) dimension=0 {\n^bb0(%e: "
       "tensor<2xf32>, %x: tensor<2xf32>):\n  %s = stablehlo.add %e, %x : "
       "tensor<2xf32>\n  stablehlo.return %s, %s : tensor<2xf32>, "
       "tensor<2xf32>\n} : (tensor<3x2xf32>, tensor<2xf32>) -> "
       "(tensor<4x2xf32>, tensor<2xf32>)",
       "output #0 (tensor<4x2xf32>) does not run 3 along the scan dimension 0"},
      {"chlo.scan carry type", "%a: tensor<3x2xf32>, %c: tensor<2xf32>",
       "%0:2 = chlo.scan(%a) inits(%c) dimension=0 {\n^bb0(%e: "
       "tensor<2xf32>, %x: tensor<2xf32>):\n  %s = stablehlo.add %e, %x : "
       "tensor<2xf32>\n  stablehlo.return %s, %s : tensor<2xf32>, "
       "tensor<2xf32>\n} : (tensor<3x2xf32>, tensor<2xf32>) -> "
       "(tensor<3x2xf32>, tensor<2xf64>)",
       "result #1 has type tensor<2xf64>"},
      {"chlo.scan dimension", "%a: tensor<3x2xf32>, %c: tensor<2xf32>",
       "%0:2 = chlo.scan(%a) inits(%c) dimension=2 {\n^bb0(%e: "
       "tensor<2xf32>, %x: tensor<2xf32>):\n  stablehlo.return %e, %x : "
       "tensor<2xf32>, tensor<2xf32>\n} : (tensor<3x2xf32>, tensor<2xf32>) "
       "-> (tensor<3x2xf32>, tensor<2xf32>)",
       "dimension 2 is out of range"},
      {"collective_broadcast variadic", "%a: tensor<2xf32>, %b: tensor<i8>",
       "%0:2 = \"stablehlo.collective_broadcast\"(%a, %b) {replica_groups = "
       "dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<2xf32>, tensor<i8>) -> "
       "(tensor<2xf32>, tensor<i8>)",
       ""},
      {"collective_broadcast result type", "%a: tensor<2xf32>, %b: tensor<i8>",
       "%0:2 = \"stablehlo.collective_broadcast\"(%a, %b) {replica_groups = "
       "dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<2xf32>, tensor<i8>) -> "
       "(tensor<2xf32>, tensor<i16>)",
       "result #1 has type tensor<i16>"},
      {"collective_broadcast dynamic root",
       "%a: tensor<2xf32>, %r: tensor<1xi32>",
       "%0 = \"stablehlo.collective_broadcast\"(%a, %r) {replica_groups = "
       "dense<[[0, 1]]> : tensor<1x2xi64>, has_dynamic_root} : "
       "(tensor<2xf32>, tensor<1xi32>) -> tensor<2xf32>",
       ""},
      {"collective_broadcast root size", "%a: tensor<2xf32>, %r: tensor<2xi32>",
       "%0 = \"stablehlo.collective_broadcast\"(%a, %r) {replica_groups = "
       "dense<[[0, 1]]> : tensor<1x2xi64>, has_dynamic_root} : "
       "(tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>",
       "the root operand must be a 1-D integer tensor of 1 elements"},
      {"collective_broadcast root count",
       "%a: tensor<2xf32>, %r: tensor<1xi32>",
       "%0:2 = \"stablehlo.collective_broadcast\"(%a, %r) {replica_groups = "
       "dense<[[0, 1]]> : tensor<1x2xi64>, has_dynamic_root} : "
       "(tensor<2xf32>, tensor<1xi32>) -> (tensor<2xf32>, tensor<1xi32>)",
       "result"},
      {"cbrt complex", "%a: tensor<2xcomplex<f32>>",
       "%0 = stablehlo.cbrt %a : tensor<2xcomplex<f32>>", ""},
      {"print", "%a: tensor<2xi8>", "%0 = interpreter.print %a : tensor<2xi8>",
       ""},
      {"all_gather", "%a: tensor<2x2xi64>",
       "%0 = \"stablehlo.all_gather\"(%a) {all_gather_dim = 1 : i64, "
       "replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>} : "
       "(tensor<2x2xi64>) -> tensor<2x4xi64>",
       ""},
      {"all_gather bad", "%a: tensor<2x2xi64>",
       "%0 = \"stablehlo.all_gather\"(%a) {all_gather_dim = 1 : i64, "
       "replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>} : "
       "(tensor<2x2xi64>) -> tensor<2x2xi64>",
       "result #0 has type tensor<2x2xi64> but tensor<2x4xi64> was inferred"},
      {"all_reduce", "%a: tensor<4xf32>",
       "%0 = \"stablehlo.all_reduce\"(%a) ({\n^bb0(%x: tensor<f32>, %y: "
       "tensor<f32>):\n  %s = stablehlo.add %x, %y : tensor<f32>\n  "
       "stablehlo.return %s : tensor<f32>\n}) {replica_groups = dense<[[0, "
       "1]]> : tensor<1x2xi64>} : (tensor<4xf32>) -> tensor<4xf32>",
       ""},
      {"reduce_scatter", "%a: tensor<4xf32>",
       "%0 = \"stablehlo.reduce_scatter\"(%a) ({\n^bb0(%x: tensor<f32>, %y: "
       "tensor<f32>):\n  stablehlo.return %x : tensor<f32>\n}) {replica_groups "
       "= dense<[[0, 1]]> : tensor<1x2xi64>, scatter_dimension = 0 : i64} : "
       "(tensor<4xf32>) -> tensor<2xf32>",
       ""},
      {"all_to_all", "%a: tensor<2x4xf32>",
       "%0 = \"stablehlo.all_to_all\"(%a) {split_dimension = 1 : i64, "
       "concat_dimension = 0 : i64, split_count = 2 : i64, replica_groups = "
       "dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<2x4xf32>) -> "
       "tensor<4x2xf32>",
       ""},
      {"triangular_solve", "%a: tensor<3x3xf32>, %b: tensor<3x2xf32>",
       "%0 = \"stablehlo.triangular_solve\"(%a, %b) <{left_side = true, lower "
       "= true, transpose_a = #stablehlo<transpose NO_TRANSPOSE>, "
       "unit_diagonal = false}> : (tensor<3x3xf32>, tensor<3x2xf32>) -> "
       "tensor<3x2xf32>",
       ""},
      {"triangular_solve not square",
       "%a: tensor<3x2xf32>, %b: tensor<3x2xf32>",
       "%0 = \"stablehlo.triangular_solve\"(%a, %b) <{left_side = true, lower "
       "= true, transpose_a = #stablehlo<transpose NO_TRANSPOSE>, "
       "unit_diagonal = false}> : (tensor<3x2xf32>, tensor<3x2xf32>) -> "
       "tensor<3x2xf32>",
       "a must be square matrices"},
      {"get_dimension_size", "%a: tensor<3x2xf32>",
       "%0 = \"stablehlo.get_dimension_size\"(%a) {dimension = 1 : i64} : "
       "(tensor<3x2xf32>) -> tensor<i32>",
       ""},
  });
}

TEST(VerifierTest, StructureCallsAndChecks) {
  auto verify = [](const std::string& text) {
    auto m = parser::ParseModule(text);
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? VerifyModule(**m) : absl::InternalError("parse");
  };
  EXPECT_THAT(
      std::string(verify("func.func @main() -> tensor<f32> {\n"
                         "  %0 = stablehlo.constant dense<1.0> : tensor<f32>\n"
                         "  func.return %0, %0 : tensor<f32>, tensor<f32>\n}\n")
                      .message()),
      HasSubstr("returns (tensor<f32>, tensor<f32>) but @main declares "
                "(tensor<f32>)"));
  EXPECT_THAT(std::string(verify("func.func @main() {\n"
                                 "  %0 = call @nope() : () -> tensor<f32>\n"
                                 "  func.return\n}\n")
                              .message()),
              HasSubstr("calls unknown function @nope"));
  EXPECT_THAT(
      std::string(verify("func.func @f(%a: tensor<i32>) {\n  func.return\n}\n"
                         "func.func @main(%b: tensor<f32>) {\n"
                         "  call @f(%b) : (tensor<f32>) -> ()\n"
                         "  func.return\n}\n")
                      .message()),
      HasSubstr("do not match @f"));
  EXPECT_THAT(
      std::string(
          verify("func.func @main() {\n"
                 "  %0 = stablehlo.constant dense<1> : tensor<i32>\n}\n")
              .message()),
      HasSubstr("function body must end with func.return"));
  EXPECT_THAT(
      std::string(
          verify(
              "func.func @main(%a: tensor<2xi32>) {\n"
              "  check.expect_eq_const %a, dense<[1, 2, 3]> : tensor<3xi32>\n"
              "  func.return\n}\n")
              .message()),
      HasSubstr("differs from the expected value"));
  EXPECT_THAT(
      std::string(verify("func.func @main(%a: tensor<i32>) {\n"
                         "  %0 = \"interpreter.run_parallel\"(%a) {programs = "
                         "[[@gone]]} : (tensor<i32>) -> tensor<i32>\n"
                         "  func.return\n}\n")
                      .message()),
      HasSubstr("program @gone does not exist"));
  EXPECT_THAT(
      std::string(verify("func.func @main(%a: tensor<i32>) {\n"
                         "  \"stablehlo.return\"(%a) : (tensor<i32>) -> ()\n"
                         "  func.return\n}\n")
                      .message()),
      HasSubstr("terminator must be the last op of its block"));
}

// Found by tools/fuzz/corpus_mutator (a mutant of stablehlo/interpret/
// all_gather.mlir declaring a result tensor<0x2x8xi64>): the plugins wrote
// the program's tensor<2x8xi64> into a buffer sized for the declared type.
TEST(VerifierTest, RunParallelTypesMatchItsPrograms) {
  auto verify = [](const std::string& results, const std::string& types) {
    auto m = parser::ParseModule(absl::StrCat(
        "func.func @f(%x: tensor<2xi64>) -> tensor<4xi64> {\n"
        "  %0 = stablehlo.concatenate %x, %x, dim = 0 : (tensor<2xi64>, "
        "tensor<2xi64>) -> tensor<4xi64>\n"
        "  func.return %0 : tensor<4xi64>\n}\n"
        "func.func @main() {\n"
        "  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi64>\n"
        "  %b = stablehlo.constant dense<[1, 2, 3]> : tensor<3xi64>\n"
        "  ",
        results, " = \"interpreter.run_parallel\"(%a, ",
        absl::StrContains(types, "3xi64") ? "%b" : "%a",
        ") {programs = "
        "[[@f], [@f]]} : (",
        types, "\n  func.return\n}\n"));
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? VerifyModule(**m) : absl::InternalError("parse");
  };
  EXPECT_TRUE(verify("%r:2",
                     "tensor<2xi64>, tensor<2xi64>) -> "
                     "(tensor<4xi64>, tensor<4xi64>)")
                  .ok());
  EXPECT_THAT(std::string(verify("%r:2",
                                 "tensor<2xi64>, tensor<2xi64>) -> "
                                 "(tensor<4xi64>, tensor<0x4xi64>)")
                              .message()),
              HasSubstr("result 1 is tensor<0x4xi64>, but its program returns "
                        "tensor<4xi64>"));
  EXPECT_THAT(std::string(verify("%r",
                                 "tensor<2xi64>, tensor<2xi64>) -> "
                                 "tensor<4xi64>")
                              .message()),
              HasSubstr("its programs take 2 and return 2"));
  EXPECT_THAT(std::string(verify("%r:2",
                                 "tensor<2xi64>, tensor<3xi64>) -> "
                                 "(tensor<4xi64>, tensor<4xi64>)")
                              .message()),
              HasSubstr("operand 1 is tensor<3xi64>"));
}

// Found by the corpus mutator: a composite whose result type contradicts
// its decomposition ran and made cpu write the wrong-sized result.
TEST(VerifierTest, CompositeTypesMatchItsDecomposition) {
  auto verify = [](const std::string& result_type) {
    auto m = parser::ParseModule(absl::StrCat(
        "func.func @impl(%x: tensor<i64>) -> tensor<i64> {\n"
        "  func.return %x : tensor<i64>\n}\n"
        "func.func @main(%a: tensor<i64>) {\n"
        "  %r = stablehlo.composite \"my.op\" %a {decomposition = @impl} : "
        "(tensor<i64>) -> ",
        result_type, "\n  func.return\n}\n"));
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? VerifyModule(**m) : absl::InternalError("parse");
  };
  EXPECT_TRUE(verify("tensor<i64>").ok());
  const absl::Status bad = verify("tensor<65536xi64>");
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.message()),
              HasSubstr("do not match decomposition @impl"));
}

TEST(VerifierTest, ArgumentAndResultShardingsFitTheirTensorsAndDevices) {
  auto verify = [](const std::string& partitions, const std::string& arg,
                   const std::string& result) {
    auto m = parser::ParseModule(absl::StrCat(
        "module @m attributes {mhlo.num_partitions = ", partitions,
        " : i32} {\n  func.func @main(%a: tensor<4x8xf32> {mhlo.sharding = \"",
        arg, "\"}) -> (tensor<4x8xf32> {mhlo.sharding = \"", result,
        "\"}) {\n    func.return %a : tensor<4x8xf32>\n  }\n}\n"));
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? VerifyModule(**m) : absl::InternalError("parse");
  };
  EXPECT_TRUE(verify("4", "{devices=[2,2]<=[4]}", "{replicated}").ok());
  EXPECT_TRUE(verify("4", "{devices=[2,1,2]0,2,1,3 last_tile_dim_replicate}",
                     "{maximal device=3}")
                  .ok());
  struct Case {
    std::string partitions, arg, result, error;
  };
  for (const Case& c : {
           Case{"2", "{devices=[2,2]<=[4]}", "{replicated}",
                "argument #0 (tensor<4x8xf32>): sharding {devices=[2,2]<=[4]}: "
                "device 2 is not one of the 2 devices"},
           Case{"4", "{devices=[4]<=[4]}", "{replicated}",
                "tiles 1 dimensions but the tensor has 2"},
           Case{"4", "{replicated}", "{devices=[2,2]0,1,1,3}",
                "result #0 (tensor<4x8xf32>): sharding {devices=[2,2]0,1,1,3}: "
                "device 1 is listed twice"},
           Case{"4", "{devices=[2,2]<=[3]}", "{replicated}",
                "argument #0 (tensor<4x8xf32>): sharding "
                "\"{devices=[2,2]<=[3]}\" "
                "at offset"},
           Case{"1", "{{replicated}}", "{replicated}",
                "does not fit the value's type"},
       }) {
    const absl::Status s = verify(c.partitions, c.arg, c.result);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.arg;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error)) << c.arg;
  }
}

TEST(VerifierTest, ShardyMeshesAndShardingsFitTheModuleAndTensors) {
  auto verify = [](const std::string& mesh, const std::string& sharding) {
    auto m = parser::ParseModule(absl::StrCat(
        "module @m attributes {mhlo.num_partitions = 4 : i32} {\n  sdy.mesh "
        "@mesh = ",
        mesh,
        "\n  func.func @main(%a: tensor<8x8xf32> {sdy.sharding = ", sharding,
        "}) -> tensor<8x8xf32> {\n    func.return %a : tensor<8x8xf32>\n  "
        "}\n}\n"));
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? VerifyModule(**m) : absl::InternalError("parse");
  };
  EXPECT_TRUE(
      verify("<[\"a\"=2, \"b\"=2]>", "#sdy.sharding<@mesh, [{\"a\"}, {?}]>")
          .ok());
  struct Case {
    std::string mesh, sharding, error;
  };
  for (const Case& c : {
           Case{"<[\"a\"=2, \"b\"=2]>", "#sdy.sharding<@other, [{}, {}]>",
                "argument #0 (tensor<8x8xf32>): #sdy.sharding<@other, [{}, "
                "{}]>: the module has no mesh @other"},
           Case{"<[\"a\"=2, \"b\"=2]>", "#sdy.sharding<@mesh, [{\"c\"}, {}]>",
                "axis \"c\" is not in the mesh"},
           Case{"<[\"a\"=2, \"b\"=2]>", "#sdy.sharding<@mesh, [{\"a\"}]>",
                "shards 1 dimensions but the tensor has 2"},
           Case{"<[\"a\"=8]>", "#sdy.sharding<@mesh, [{}, {}]>",
                "sdy.mesh @mesh has 8 devices but mhlo.num_partitions is 4"},
           Case{"<[\"a\"=2, \"a\"=2]>", "#sdy.sharding<@mesh, [{}, {}]>",
                "sdy.mesh @mesh: sharding"},
       }) {
    const absl::Status s = verify(c.mesh, c.sharding);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.sharding;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error)) << c.sharding;
  }
}

TEST(VerifierTest, ShardingCustomCallsCarryAFittingSharding) {
  auto verify = [](const std::string& target, const std::string& sharding) {
    auto m = parser::ParseModule(absl::StrCat(
        "module @m attributes {mhlo.num_partitions = 2 : i32} {\n"
        "  func.func @main(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {\n"
        "    %0 = stablehlo.custom_call @",
        target, "(%a) {mhlo.sharding = \"", sharding,
        "\"} : (tensor<4x8xf32>) -> tensor<4x8xf32>\n"
        "    func.return %0 : tensor<4x8xf32>\n  }\n}\n"));
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? VerifyModule(**m) : absl::InternalError("parse");
  };
  EXPECT_TRUE(verify("Sharding", "{devices=[2,1]<=[2]}").ok());
  EXPECT_TRUE(verify("other_target", "{devices=[7]}").ok())
      << "only the sharding calls are read";
  EXPECT_THAT(std::string(verify("Sharding", "{devices=[2]<=[2]}").message()),
              HasSubstr("@Sharding: sharding {devices=[2]<=[2]}: tiles 1 "
                        "dimensions but the tensor has 2"));
  EXPECT_THAT(
      std::string(
          verify("SPMDFullToShardShape", "{devices=[1,4]<=[4]}").message()),
      HasSubstr("device 2 is not one of the 2 devices"));
}

TEST(VerifierTest, ShardingConstraintsFitTheirMeshAndValue) {
  auto verify = [](const std::string& constraint) {
    auto m = parser::ParseModule(absl::StrCat(
        "module @m attributes {mhlo.num_partitions = 2 : i32} {\n"
        "  sdy.mesh @mesh = <[\"a\"=2]>\n"
        "  func.func @main(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {\n"
        "    %0 = sdy.sharding_constraint %a ",
        constraint,
        " : tensor<4x8xf32>\n    func.return %0 : tensor<4x8xf32>\n  }\n}\n"));
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? VerifyModule(**m) : absl::InternalError("parse");
  };
  EXPECT_TRUE(verify("<@mesh, [{\"a\"}, {?}]>").ok());
  EXPECT_THAT(std::string(verify("<@mesh, [{\"b\"}, {}]>").message()),
              HasSubstr("sdy.sharding_constraint: sdy.sharding: axis \"b\""));
  EXPECT_THAT(std::string(verify("<@nope, [{}, {}]>").message()),
              HasSubstr("the module has no mesh @nope"));
  EXPECT_THAT(std::string(verify("<@mesh, [{}]>").message()),
              HasSubstr("shards 1 dimensions but the tensor has 2"));
}

TEST(VerifierTest, DominanceIsCheckedOnMutatedIr) {
  auto m = parser::ParseModule(
      "func.func @main(%a: tensor<f32>) -> tensor<f32> {\n"
      "  %0 = stablehlo.negate %a : tensor<f32>\n"
      "  %1 = stablehlo.abs %0 : tensor<f32>\n"
      "  func.return %1 : tensor<f32>\n}\n");
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(VerifyModule(**m).ok());
  Block* b = (*m)->LookupFunction("main")->entry();
  Op* neg = b->front();
  Op* abs = std::next(b->ops().begin())->get();
  // Make negate use abs's result, which is defined after it.
  neg->SetOperand(0, abs->result(0));
  absl::Status st = VerifyModule(**m);
  EXPECT_THAT(
      std::string(st.message()),
      HasSubstr(
          "2:3: stablehlo.negate: operand #0 does not dominate this use"));
}

}  // namespace
}  // namespace backplane::ir
