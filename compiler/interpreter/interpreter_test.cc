// Unit tests of the interpreter: one or more small programs per op family
// and control-flow construct. Most programs assert their own results with
// check ops (which fail the run when they do not hold); the rest compare
// results from C++.
#include "compiler/interpreter/interpreter.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::interpreter {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<ir::Module> Parse(const std::string& text) {
  absl::StatusOr<std::unique_ptr<ir::Module>> m = parser::ParseModule(text);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *std::move(m) : nullptr;
}

// Runs @main of a module whose checks assert the expected values.
absl::Status RunChecks(const std::string& text) {
  std::unique_ptr<ir::Module> m = Parse(text);
  if (m == nullptr) return absl::InvalidArgumentError("parse failed");
  ASSIGN_OR_RETURN(std::unique_ptr<Interpreter> interp,
                   Interpreter::Create(*m));
  return interp->Call("main", {}).status();
}

// Wraps op lines into `func.func @main() { ... func.return }`.
std::string Main(const std::string& body) {
  return absl::StrCat("func.func @main() {\n", body, "\n  func.return\n}\n");
}

TEST(InterpreterTest, ElementwiseUnaryBinaryAndCompare) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %a = stablehlo.constant dense<[1.0, -4.0, 9.0]> : tensor<3xf32>
  %b = stablehlo.constant dense<[2.0, 2.0, -3.0]> : tensor<3xf32>
  %n = stablehlo.negate %a : tensor<3xf32>
  check.expect_eq_const %n, dense<[-1.0, 4.0, -9.0]> : tensor<3xf32>
  %s = stablehlo.add %a, %b : tensor<3xf32>
  check.expect_eq_const %s, dense<[3.0, -2.0, 6.0]> : tensor<3xf32>
  %m = stablehlo.maximum %a, %b : tensor<3xf32>
  check.expect_eq_const %m, dense<[2.0, 2.0, 9.0]> : tensor<3xf32>
  %abs = stablehlo.abs %a : tensor<3xf32>
  %r = stablehlo.sqrt %abs : tensor<3xf32>
  check.expect_almost_eq_const %r, dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %c = stablehlo.compare LT, %a, %b, FLOAT : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  check.expect_eq_const %c, dense<[true, true, false]> : tensor<3xi1>
  %sel = stablehlo.select %c, %a, %b : tensor<3xi1>, tensor<3xf32>
  check.expect_eq_const %sel, dense<[1.0, -4.0, -3.0]> : tensor<3xf32>
  %lo = stablehlo.constant dense<0.0> : tensor<f32>
  %hi = stablehlo.constant dense<5.0> : tensor<f32>
  %cl = stablehlo.clamp %lo, %a, %hi : (tensor<f32>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  check.expect_eq_const %cl, dense<[1.0, 0.0, 5.0]> : tensor<3xf32>
  %i = stablehlo.constant dense<[7, -8]> : tensor<2xi32>
  %j = stablehlo.constant dense<[2, 3]> : tensor<2xi32>
  %rem = stablehlo.remainder %i, %j : tensor<2xi32>
  check.expect_eq_const %rem, dense<[1, -2]> : tensor<2xi32>
  %shl = stablehlo.shift_left %i, %j : tensor<2xi32>
  check.expect_eq_const %shl, dense<[28, -64]> : tensor<2xi32>
  %e = chlo.erf %a : tensor<3xf32> -> tensor<3xf32>
  check.expect_almost_eq_const %e, dense<[0.842700779, -1.0, 1.0]> : tensor<3xf32>
  %nb = stablehlo.constant dense<[3, 5]> : tensor<2xi4>
  %sum4 = stablehlo.add %nb, %nb : tensor<2xi4>
  check.expect_eq_const %sum4, dense<[6, -6]> : tensor<2xi4>
)"))
                  .ok());
}

TEST(InterpreterTest, ConversionsAndConstructors) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %f = stablehlo.constant dense<[1.5, -2.5, 300.0]> : tensor<3xf32>
  %i = stablehlo.convert %f : (tensor<3xf32>) -> tensor<3xi8>
  check.expect_eq_const %i, dense<[1, -2, 127]> : tensor<3xi8>
  %bits = stablehlo.bitcast_convert %f : (tensor<3xf32>) -> tensor<3xi32>
  check.expect_eq_const %bits, dense<[1069547520, -1071644672, 1133903872]> : tensor<3xi32>
  %io = stablehlo.iota dim = 1 : tensor<2x3xi32>
  check.expect_eq_const %io, dense<[[0, 1, 2], [0, 1, 2]]> : tensor<2x3xi32>
  %re = stablehlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %im = stablehlo.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %z = stablehlo.complex %re, %im : tensor<2xcomplex<f32>>
  %zi = stablehlo.imag %z : (tensor<2xcomplex<f32>>) -> tensor<2xf32>
  check.expect_eq_const %zi, dense<[3.0, 4.0]> : tensor<2xf32>
  %inf = stablehlo.constant dense<[0x7F800000, 1.0]> : tensor<2xf32>
  %fin = stablehlo.is_finite %inf : (tensor<2xf32>) -> tensor<2xi1>
  check.expect_eq_const %fin, dense<[false, true]> : tensor<2xi1>
  %rp = stablehlo.reduce_precision %f, format = e5m2 : tensor<3xf32>
  check.expect_eq_const %rp, dense<[1.5, -2.5, 320.0]> : tensor<3xf32>
)"))
                  .ok());
}

TEST(InterpreterTest, DataMovement) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %x = stablehlo.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %t = stablehlo.transpose %x, dims = [1, 0] : (tensor<2x3xi32>) -> tensor<3x2xi32>
  check.expect_eq_const %t, dense<[[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
  %r = stablehlo.reshape %x : (tensor<2x3xi32>) -> tensor<3x2xi32>
  check.expect_eq_const %r, dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi32>
  %s = stablehlo.slice %x [0:2, 1:3:2] : (tensor<2x3xi32>) -> tensor<2x1xi32>
  check.expect_eq_const %s, dense<[[2], [5]]> : tensor<2x1xi32>
  %one = stablehlo.constant dense<1> : tensor<i32>
  %big = stablehlo.constant dense<7> : tensor<i32>
  %ds = stablehlo.dynamic_slice %x, %one, %big, sizes = [1, 2] : (tensor<2x3xi32>, tensor<i32>, tensor<i32>) -> tensor<1x2xi32>
  check.expect_eq_const %ds, dense<[[5, 6]]> : tensor<1x2xi32>
  %u = stablehlo.constant dense<[[0, 0]]> : tensor<1x2xi32>
  %dus = stablehlo.dynamic_update_slice %x, %u, %one, %one : (tensor<2x3xi32>, tensor<1x2xi32>, tensor<i32>, tensor<i32>) -> tensor<2x3xi32>
  check.expect_eq_const %dus, dense<[[1, 2, 3], [4, 0, 0]]> : tensor<2x3xi32>
  %c = stablehlo.concatenate %x, %x, dim = 0 : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<4x3xi32>
  check.expect_eq_const %c, dense<[[1, 2, 3], [4, 5, 6], [1, 2, 3], [4, 5, 6]]> : tensor<4x3xi32>
  %zero = stablehlo.constant dense<0> : tensor<i32>
  %p = stablehlo.pad %x, %zero, low = [0, 1], high = [0, -1], interior = [0, 0] : (tensor<2x3xi32>, tensor<i32>) -> tensor<2x3xi32>
  check.expect_eq_const %p, dense<[[0, 1, 2], [0, 4, 5]]> : tensor<2x3xi32>
  %rev = stablehlo.reverse %x, dims = [1] : tensor<2x3xi32>
  check.expect_eq_const %rev, dense<[[3, 2, 1], [6, 5, 4]]> : tensor<2x3xi32>
  %b = stablehlo.broadcast_in_dim %one, dims = [] : (tensor<i32>) -> tensor<2x2xi32>
  check.expect_eq_const %b, dense<1> : tensor<2x2xi32>
  %d = stablehlo.get_dimension_size %x, dim = 1 : (tensor<2x3xi32>) -> tensor<i32>
  check.expect_eq_const %d, dense<3> : tensor<i32>
)"))
                  .ok());
}

TEST(InterpreterTest, DotAndConvolution) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %a = stablehlo.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = stablehlo.constant dense<[[5.0, 6.0], [7.0, 8.0]]> : tensor<2x2xf32>
  %d = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  check.expect_eq_const %d, dense<[[19.0, 22.0], [43.0, 50.0]]> : tensor<2x2xf32>
  %x = stablehlo.constant dense<[[[1.0], [2.0], [3.0], [4.0]]]> : tensor<1x4x1xf32>
  %w = stablehlo.constant dense<[[[1.0]], [[10.0]]]> : tensor<2x1x1xf32>
  %y = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, f]x[0, i, o]->[b, 0, f], window = {stride = [1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x4x1xf32>, tensor<2x1x1xf32>) -> tensor<1x3x1xf32>
  check.expect_eq_const %y, dense<[[[21.0], [32.0], [43.0]]]> : tensor<1x3x1xf32>
)"))
                  .ok());
}

// Found by tools/fuzz/corpus_mutator (stablehlo/interpret/dynamic_conv.mlir
// with lhs_dilation 2 -> 3): dynamic_conv's result shape depends on its
// padding operand, and a padding that contradicts the declared type gave a
// tensor of another shape (the cpu plugin reported INTERNAL, the sim plugin
// a wrong value). Now it is an INVALID_ARGUMENT of the op.
TEST(InterpreterTest, ResultContradictingItsDeclaredTypeIsInvalid) {
  const absl::Status s = RunChecks(Main(R"(
  %lhs = stablehlo.constant dense<1> : tensor<1x4x4x1xi64>
  %rhs = stablehlo.constant dense<1> : tensor<3x3x1x1xi64>
  %padding = stablehlo.constant dense<1> : tensor<2x2xi64>
  %result = "stablehlo.dynamic_conv"(%lhs, %rhs, %padding) {
    window_strides = array<i64: 4, 4>, lhs_dilation = array<i64: 3, 2>,
    rhs_dilation = array<i64: 1, 1>,
    window_reversal = array<i1: false, false>,
    dimension_numbers = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>,
    batch_group_count = 1 : i64, feature_group_count = 1 : i64
  } : (tensor<1x4x4x1xi64>, tensor<3x3x1x1xi64>, tensor<2x2xi64>) -> tensor<1x2x2x1xi64>)"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("stablehlo.dynamic_conv: result 0 is "
                        "tensor<1x3x2x1xi64> at run time but declared "
                        "tensor<1x2x2x1xi64>"));
}

// Found by tools/fuzz/corpus_mutator (stablehlo/interpret/send_recv.mlir
// with the second send's channel 1 -> 255): a recv that no process will
// ever serve blocked run_parallel forever; now the deadlock is an error.
TEST(InterpreterTest, RunParallelDeadlockIsAnError) {
  // One send on channel 1, two recvs: the second recv waits forever.
  const absl::Status s = RunChecks(R"(
func.func @send(%x : tensor<i64>, %t : !stablehlo.token) -> !stablehlo.token {
  %r = "stablehlo.send"(%x, %t) {
    channel_handle = #stablehlo.channel_handle<handle = 1, type = 2>,
    is_host_transfer = true
  } : (tensor<i64>, !stablehlo.token) -> !stablehlo.token
  return %r : !stablehlo.token
}
func.func @recv(%t : !stablehlo.token) -> (tensor<i64>, tensor<i64>) {
  %v, %r = "stablehlo.recv"(%t) {
    channel_handle = #stablehlo.channel_handle<handle = 1, type = 3>,
    is_host_transfer = true
  } : (!stablehlo.token) -> (tensor<i64>, !stablehlo.token)
  %w, %q = "stablehlo.recv"(%t) {
    channel_handle = #stablehlo.channel_handle<handle = 1, type = 3>,
    is_host_transfer = true
  } : (!stablehlo.token) -> (tensor<i64>, !stablehlo.token)
  return %v, %w : tensor<i64>, tensor<i64>
}
func.func @main() {
  %0 = stablehlo.constant dense<1> : tensor<i64>
  %1 = stablehlo.after_all : !stablehlo.token
  %2:3 = "interpreter.run_parallel"(%0, %1, %1) {
    programs = [[@send], [@recv]]
  } : (tensor<i64>, !stablehlo.token, !stablehlo.token) ->
      (!stablehlo.token, tensor<i64>, tensor<i64>)
  func.return
})");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("deadlock: recv on channel 1 waits"));
}

TEST(InterpreterTest, ReductionsWithRecognisedAndGenericBodies) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %x = stablehlo.constant dense<[[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]> : tensor<2x3xf32>
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %sum = stablehlo.reduce(%x init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2xf32>
  check.expect_eq_const %sum, dense<[9.0, 12.0]> : tensor<2xf32>
  %idx = stablehlo.iota dim = 1 : tensor<2x3xi32>
  %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %izero = stablehlo.constant dense<0> : tensor<i32>
  %am:2 = stablehlo.reduce(%x init: %ninf), (%idx init: %izero) across dimensions = [1] : (tensor<2x3xf32>, tensor<2x3xi32>, tensor<f32>, tensor<i32>) -> (tensor<2xf32>, tensor<2xi32>)
   reducer(%a: tensor<f32>, %b: tensor<f32>) (%ai: tensor<i32>, %bi: tensor<i32>) {
    %gt = stablehlo.compare GT, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %v = stablehlo.select %gt, %a, %b : tensor<i1>, tensor<f32>
    %i = stablehlo.select %gt, %ai, %bi : tensor<i1>, tensor<i32>
    stablehlo.return %v, %i : tensor<f32>, tensor<i32>
  }
  check.expect_eq_const %am#0, dense<[5.0, 6.0]> : tensor<2xf32>
  check.expect_eq_const %am#1, dense<[1, 2]> : tensor<2xi32>
  %rw = "stablehlo.reduce_window"(%x, %zero) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {window_dimensions = array<i64: 1, 2>} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x2xf32>
  check.expect_eq_const %rw, dense<[[6.0, 8.0], [6.0, 8.0]]> : tensor<2x2xf32>
)"))
                  .ok());
}

TEST(InterpreterTest, ScatterGatherSortMap) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %x = stablehlo.constant dense<[10, 20, 30]> : tensor<3xi32>
  %idx = stablehlo.constant dense<[[2], [0], [2]]> : tensor<3x1xi32>
  %upd = stablehlo.constant dense<[1, 2, 3]> : tensor<3xi32>
  %sc = "stablehlo.scatter"(%x, %idx, %upd) ({
  ^bb0(%a: tensor<i32>, %b: tensor<i32>):
    %s = stablehlo.add %a, %b : tensor<i32>
    stablehlo.return %s : tensor<i32>
  }) {scatter_dimension_numbers = #stablehlo.scatter<inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>} : (tensor<3xi32>, tensor<3x1xi32>, tensor<3xi32>) -> tensor<3xi32>
  check.expect_eq_const %sc, dense<[12, 20, 34]> : tensor<3xi32>
  %gen = "stablehlo.scatter"(%x, %idx, %upd) ({
  ^bb0(%a: tensor<i32>, %b: tensor<i32>):
    %m = stablehlo.multiply %b, %b : tensor<i32>
    %s = stablehlo.subtract %a, %m : tensor<i32>
    stablehlo.return %s : tensor<i32>
  }) {scatter_dimension_numbers = #stablehlo.scatter<inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>} : (tensor<3xi32>, tensor<3x1xi32>, tensor<3xi32>) -> tensor<3xi32>
  check.expect_eq_const %gen, dense<[6, 20, 20]> : tensor<3xi32>
  %g = "stablehlo.gather"(%x, %idx) {dimension_numbers = #stablehlo.gather<collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1>} : (tensor<3xi32>, tensor<3x1xi32>) -> tensor<3xi32>
  check.expect_eq_const %g, dense<[30, 10, 30]> : tensor<3xi32>
  %k = stablehlo.constant dense<[3, 1, 2]> : tensor<3xi32>
  %v = stablehlo.constant dense<[30.0, 10.0, 20.0]> : tensor<3xf32>
  %sorted:2 = "stablehlo.sort"(%k, %v) ({
  ^bb0(%a: tensor<i32>, %b: tensor<i32>, %c: tensor<f32>, %d: tensor<f32>):
    %lt = stablehlo.compare GT, %a, %b, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  }) {dimension = 0 : i64} : (tensor<3xi32>, tensor<3xf32>) -> (tensor<3xi32>, tensor<3xf32>)
  check.expect_eq_const %sorted#1, dense<[30.0, 20.0, 10.0]> : tensor<3xf32>
  %gs = "stablehlo.sort"(%v) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %na = stablehlo.negate %a : tensor<f32>
    %nb = stablehlo.negate %b : tensor<f32>
    %lt = stablehlo.compare LT, %na, %nb, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  }) {dimension = 0 : i64} : (tensor<3xf32>) -> tensor<3xf32>
  check.expect_eq_const %gs, dense<[30.0, 20.0, 10.0]> : tensor<3xf32>
  %mp = "stablehlo.map"(%x, %k) ({
  ^bb0(%a: tensor<i32>, %b: tensor<i32>):
    %m = stablehlo.multiply %a, %b : tensor<i32>
    stablehlo.return %m : tensor<i32>
  }) {dimensions = array<i64: 0>} : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  check.expect_eq_const %mp, dense<[30, 20, 60]> : tensor<3xi32>
  %tv, %ti = chlo.top_k(%v, k = 2) : tensor<3xf32> -> (tensor<2xf32>, tensor<2xi32>)
  check.expect_eq_const %ti, dense<[0, 2]> : tensor<2xi32>
)"))
                  .ok());
}

TEST(InterpreterTest, ControlFlow) {
  EXPECT_TRUE(RunChecks(R"(
func.func @twice(%x: tensor<i64>) -> tensor<i64> {
  %y = stablehlo.add %x, %x : tensor<i64>
  func.return %y : tensor<i64>
}
func.func @main() {
  %zero = stablehlo.constant dense<0> : tensor<i64>
  %one = stablehlo.constant dense<1> : tensor<i64>
  %ten = stablehlo.constant dense<10> : tensor<i64>
  %i, %acc = stablehlo.while(%a = %zero, %b = %one) : tensor<i64>, tensor<i64>
  cond {
    %c = stablehlo.compare LT, %a, %ten : (tensor<i64>, tensor<i64>) -> tensor<i1>
    stablehlo.return %c : tensor<i1>
  } do {
    %n = stablehlo.add %a, %one : tensor<i64>
    %d = func.call @twice(%b) : (tensor<i64>) -> tensor<i64>
    stablehlo.return %n, %d : tensor<i64>, tensor<i64>
  }
  check.expect_eq_const %acc, dense<1024> : tensor<i64>
  %t = stablehlo.constant dense<true> : tensor<i1>
  %r = "stablehlo.if"(%t) ({
    stablehlo.return %one : tensor<i64>
  }, {
    stablehlo.return %zero : tensor<i64>
  }) : (tensor<i1>) -> tensor<i64>
  check.expect_eq_const %r, dense<1> : tensor<i64>
  %idx = stablehlo.constant dense<7> : tensor<i32>
  %cs = "stablehlo.case"(%idx) ({
    stablehlo.return %one : tensor<i64>
  }, {
    stablehlo.return %ten : tensor<i64>
  }) : (tensor<i32>) -> tensor<i64>
  check.expect_eq_const %cs, dense<10> : tensor<i64>
  %cp = stablehlo.composite "my.twice" %ten {decomposition = @twice} : (tensor<i64>) -> tensor<i64>
  check.expect_eq_const %cp, dense<20> : tensor<i64>
  %ob:2 = stablehlo.optimization_barrier %one, %ten : tensor<i64>, tensor<i64>
  check.expect_eq_const %ob#1, dense<10> : tensor<i64>
  %tok = stablehlo.after_all : !stablehlo.token
  %tup = stablehlo.tuple %one, %tok : tuple<tensor<i64>, !stablehlo.token>
  %g = stablehlo.get_tuple_element %tup[0] : (tuple<tensor<i64>, !stablehlo.token>) -> tensor<i64>
  check.expect_eq_const %g, dense<1> : tensor<i64>
  func.return
}
)")
                  .ok());
}

TEST(InterpreterTest, FftTriangularSolveCholeskyRng) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %x = stablehlo.constant dense<[1.0, 0.0, 0.0, 0.0]> : tensor<4xf32>
  %f = stablehlo.fft %x, type = RFFT, length = [4] : (tensor<4xf32>) -> tensor<3xcomplex<f32>>
  %re = stablehlo.real %f : (tensor<3xcomplex<f32>>) -> tensor<3xf32>
  check.expect_almost_eq_const %re, dense<[1.0, 1.0, 1.0]> : tensor<3xf32>
  %a = stablehlo.constant dense<[[2.0, 0.0], [1.0, 1.0]]> : tensor<2x2xf32>
  %b = stablehlo.constant dense<[[2.0], [3.0]]> : tensor<2x1xf32>
  %s = "stablehlo.triangular_solve"(%a, %b) {left_side = true, lower = true, unit_diagonal = false, transpose_a = #stablehlo<transpose NO_TRANSPOSE>} : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  check.expect_almost_eq_const %s, dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %spd = stablehlo.constant dense<[[4.0, 2.0], [2.0, 5.0]]> : tensor<2x2xf32>
  %l = stablehlo.cholesky %spd, lower = true : tensor<2x2xf32>
  check.expect_almost_eq_const %l, dense<[[2.0, 0.0], [1.0, 2.0]]> : tensor<2x2xf32>
  %state = stablehlo.constant dense<[1, 2]> : tensor<2xui64>
  %ns, %bits = stablehlo.rng_bit_generator %state, algorithm = THREE_FRY : (tensor<2xui64>) -> (tensor<2xui64>, tensor<4xui32>)
  %same_ns, %same = stablehlo.rng_bit_generator %state, algorithm = THREE_FRY : (tensor<2xui64>) -> (tensor<2xui64>, tensor<4xui32>)
  check.expect_eq %bits, %same : tensor<4xui32>
)"))
                  .ok());
}

TEST(InterpreterTest, RaggedDotSplitsRowsIntoGroups) {
  // Rows 0-1 use group 0 (x1), row 2 group 1 (x10), row 3 is past the
  // groups and stays zero.
  EXPECT_TRUE(RunChecks(Main(R"(
  %lhs = stablehlo.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %rhs = stablehlo.constant dense<[[[1.0], [1.0]], [[10.0], [10.0]]]> : tensor<2x2x1xf32>
  %sizes = stablehlo.constant dense<[2, 1]> : tensor<2xi64>
  %r = "chlo.ragged_dot"(%lhs, %rhs, %sizes) {ragged_dot_dimension_numbers = #chlo.ragged_dot<lhs_batching_dimensions = [], rhs_batching_dimensions = [], lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [1], lhs_ragged_dimensions = [0], rhs_group_dimensions = [0]>} : (tensor<4x2xf32>, tensor<2x2x1xf32>, tensor<2xi64>) -> tensor<4x1xf32>
  check.expect_eq_const %r, dense<[[3.0], [7.0], [110.0], [0.0]]> : tensor<4x1xf32>
)"))
                  .ok());
}

TEST(InterpreterTest, CustomCallChecks) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %a = stablehlo.constant dense<[1.0, 0x7FC00000]> : tensor<2xf32>
  %b = stablehlo.constant dense<[1.0, 0x7FC00001]> : tensor<2xf32>
  stablehlo.custom_call @check.expect_eq(%a, %b) {has_side_effect = true} : (tensor<2xf32>, tensor<2xf32>) -> ()
  %c = stablehlo.constant dense<[1.00000024, 0x7FC00000]> : tensor<2xf32>
  stablehlo.custom_call @check.expect_close(%a, %c) {has_side_effect = true} : (tensor<2xf32>, tensor<2xf32>) -> ()
)"))
                  .ok());
  // 1.0 vs 1.0000005 is 4 ULP apart: beyond the default of 3.
  absl::Status s = RunChecks(Main(R"(
  %a = stablehlo.constant dense<[1.0]> : tensor<1xf32>
  %c = stablehlo.constant dense<[1.00000048]> : tensor<1xf32>
  stablehlo.custom_call @check.expect_close(%a, %c) {has_side_effect = true} : (tensor<1xf32>, tensor<1xf32>) -> ()
)"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("4 ULP apart"));
}

TEST(InterpreterTest, FailingCheckNamesLocationAndValues) {
  absl::Status s = RunChecks(Main(R"(
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  check.expect_eq_const %a, dense<[1, 3]> : tensor<2xi32>
)"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("<input>:4:"));
  EXPECT_THAT(s.message(), HasSubstr("index [1]: 2 (actual) vs 3 (expected)"));
}

TEST(InterpreterTest, UnsupportedOpIsUnimplementedWithNameAndLocation) {
  absl::Status s = RunChecks(Main(R"(
  %a = stablehlo.constant dense<1> : tensor<i32>
  %b = stablehlo.custom_call @my_kernel(%a) : (tensor<i32>) -> tensor<i32>
)"));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(s.message(), HasSubstr("stablehlo.custom_call"));
  EXPECT_THAT(s.message(), HasSubstr("my_kernel"));
  EXPECT_THAT(s.message(), HasSubstr("<input>:4:"));
}

TEST(InterpreterTest, ProbeAndSerializedEq) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  %p = interpreter.probe %a, probe_id = "p" : tensor<2xi32>
  check.expect_serialized_eq %p, probe_id = "p" : tensor<2xi32>
)"))
                  .ok());
}

TEST(InterpreterTest, RunParallelCollectives) {
  EXPECT_TRUE(RunChecks(R"(
func.func @worker(%x: tensor<2xi64>) -> (tensor<2xi64>, tensor<4xi64>, tensor<2xi64>, tensor<ui32>) {
  %sum = "stablehlo.all_reduce"(%x) ({
  ^bb0(%a: tensor<i64>, %b: tensor<i64>):
    %s = stablehlo.add %a, %b : tensor<i64>
    stablehlo.return %s : tensor<i64>
  }) {replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<2xi64>) -> tensor<2xi64>
  %all = "stablehlo.all_gather"(%x) {all_gather_dim = 0 : i64, replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<2xi64>) -> tensor<4xi64>
  %perm = "stablehlo.collective_permute"(%x) {source_target_pairs = dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<2xi64>) -> tensor<2xi64>
  %id = stablehlo.replica_id : tensor<ui32>
  func.return %sum, %all, %perm, %id : tensor<2xi64>, tensor<4xi64>, tensor<2xi64>, tensor<ui32>
}
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi64>
  %b = stablehlo.constant dense<[10, 20]> : tensor<2xi64>
  %r:8 = "interpreter.run_parallel"(%a, %b) {programs = [[@worker], [@worker]]} : (tensor<2xi64>, tensor<2xi64>) -> (tensor<2xi64>, tensor<4xi64>, tensor<2xi64>, tensor<ui32>, tensor<2xi64>, tensor<4xi64>, tensor<2xi64>, tensor<ui32>)
  check.expect_eq_const %r#0, dense<[11, 22]> : tensor<2xi64>
  check.expect_eq_const %r#4, dense<[11, 22]> : tensor<2xi64>
  check.expect_eq_const %r#5, dense<[1, 2, 10, 20]> : tensor<4xi64>
  check.expect_eq_const %r#2, dense<[0, 0]> : tensor<2xi64>
  check.expect_eq_const %r#6, dense<[1, 2]> : tensor<2xi64>
  check.expect_eq_const %r#7, dense<1> : tensor<ui32>
  func.return
}
)")
                  .ok());
}

TEST(InterpreterTest, RunParallelAllToAllReduceScatterBroadcast) {
  EXPECT_TRUE(RunChecks(R"(
func.func @worker(%x: tensor<2x2xi64>) -> (tensor<4x1xi64>, tensor<1x2xi64>, tensor<2x2xi64>) {
  %a2a = "stablehlo.all_to_all"(%x) {split_dimension = 1 : i64, concat_dimension = 0 : i64, split_count = 2 : i64, replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<2x2xi64>) -> tensor<4x1xi64>
  %rs = "stablehlo.reduce_scatter"(%x) ({
  ^bb0(%a: tensor<i64>, %b: tensor<i64>):
    %m = stablehlo.maximum %a, %b : tensor<i64>
    stablehlo.return %m : tensor<i64>
  }) {scatter_dimension = 0 : i64, replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<2x2xi64>) -> tensor<1x2xi64>
  %bc = "stablehlo.collective_broadcast"(%x) {replica_groups = dense<[[1, 0]]> : tensor<1x2xi64>} : (tensor<2x2xi64>) -> tensor<2x2xi64>
  func.return %a2a, %rs, %bc : tensor<4x1xi64>, tensor<1x2xi64>, tensor<2x2xi64>
}
func.func @main() {
  %a = stablehlo.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %b = stablehlo.constant dense<[[5, 6], [7, 0]]> : tensor<2x2xi64>
  %r:6 = "interpreter.run_parallel"(%a, %b) {programs = [[@worker], [@worker]]} : (tensor<2x2xi64>, tensor<2x2xi64>) -> (tensor<4x1xi64>, tensor<1x2xi64>, tensor<2x2xi64>, tensor<4x1xi64>, tensor<1x2xi64>, tensor<2x2xi64>)
  check.expect_eq_const %r#0, dense<[[1], [3], [5], [7]]> : tensor<4x1xi64>
  check.expect_eq_const %r#3, dense<[[2], [4], [6], [0]]> : tensor<4x1xi64>
  check.expect_eq_const %r#1, dense<[[5, 6]]> : tensor<1x2xi64>
  check.expect_eq_const %r#4, dense<[[7, 4]]> : tensor<1x2xi64>
  check.expect_eq_const %r#2, dense<[[5, 6], [7, 0]]> : tensor<2x2xi64>
  check.expect_eq_const %r#5, dense<[[5, 6], [7, 0]]> : tensor<2x2xi64>
  func.return
}
)")
                  .ok());
}

TEST(InterpreterTest, CollectiveBroadcastGivesZerosOutsideEveryGroup) {
  // Replica 1 is in no group: it gets zeros and still takes part in the
  // all_reduce that follows (its place in the collective count is kept).
  EXPECT_TRUE(RunChecks(R"(
func.func @worker(%x: tensor<2xi32>) -> (tensor<2xi32>, tensor<2xi32>) {
  %bc = "stablehlo.collective_broadcast"(%x) {replica_groups = dense<[[2, 0]]> : tensor<1x2xi64>} : (tensor<2xi32>) -> tensor<2xi32>
  %sum = "stablehlo.all_reduce"(%bc) ({
  ^bb0(%a: tensor<i32>, %b: tensor<i32>):
    %s = stablehlo.add %a, %b : tensor<i32>
    stablehlo.return %s : tensor<i32>
  }) {replica_groups = dense<[[0, 1, 2]]> : tensor<1x3xi64>} : (tensor<2xi32>) -> tensor<2xi32>
  func.return %bc, %sum : tensor<2xi32>, tensor<2xi32>
}
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  %b = stablehlo.constant dense<[3, 4]> : tensor<2xi32>
  %c = stablehlo.constant dense<[5, 6]> : tensor<2xi32>
  %r:6 = "interpreter.run_parallel"(%a, %b, %c) {programs = [[@worker], [@worker], [@worker]]} : (tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> (tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>)
  check.expect_eq_const %r#0, dense<[5, 6]> : tensor<2xi32>
  check.expect_eq_const %r#2, dense<0> : tensor<2xi32>
  check.expect_eq_const %r#4, dense<[5, 6]> : tensor<2xi32>
  check.expect_eq_const %r#1, dense<[10, 12]> : tensor<2xi32>
  check.expect_eq_const %r#5, dense<[10, 12]> : tensor<2xi32>
  func.return
}
)")
                  .ok());
}

TEST(InterpreterTest, CollectiveBroadcastVariadicAndDynamicRoot) {
  // Two data operands; with has_dynamic_root the root operand names each
  // one's source by its position in the group.
  EXPECT_TRUE(RunChecks(R"(
func.func @worker(%x: tensor<2xf32>, %i: tensor<i64>) -> (tensor<2xf32>, tensor<i64>, tensor<2xf32>, tensor<i64>) {
  %fixed:2 = "stablehlo.collective_broadcast"(%x, %i) {replica_groups = dense<[[1, 0]]> : tensor<1x2xi64>} : (tensor<2xf32>, tensor<i64>) -> (tensor<2xf32>, tensor<i64>)
  %root = stablehlo.constant dense<[1, 0]> : tensor<2xi32>
  %dyn:2 = "stablehlo.collective_broadcast"(%x, %i, %root) {replica_groups = dense<[[1, 0]]> : tensor<1x2xi64>, has_dynamic_root} : (tensor<2xf32>, tensor<i64>, tensor<2xi32>) -> (tensor<2xf32>, tensor<i64>)
  func.return %fixed#0, %fixed#1, %dyn#0, %dyn#1 : tensor<2xf32>, tensor<i64>, tensor<2xf32>, tensor<i64>
}
func.func @main() {
  %x0 = stablehlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %i0 = stablehlo.constant dense<10> : tensor<i64>
  %x1 = stablehlo.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %i1 = stablehlo.constant dense<11> : tensor<i64>
  %r:8 = "interpreter.run_parallel"(%x0, %i0, %x1, %i1) {programs = [[@worker], [@worker]]} : (tensor<2xf32>, tensor<i64>, tensor<2xf32>, tensor<i64>) -> (tensor<2xf32>, tensor<i64>, tensor<2xf32>, tensor<i64>, tensor<2xf32>, tensor<i64>, tensor<2xf32>, tensor<i64>)
  check.expect_eq_const %r#0, dense<[3.0, 4.0]> : tensor<2xf32>
  check.expect_eq_const %r#1, dense<11> : tensor<i64>
  check.expect_eq_const %r#2, dense<[1.0, 2.0]> : tensor<2xf32>
  check.expect_eq_const %r#3, dense<11> : tensor<i64>
  check.expect_eq_const %r#4, dense<[3.0, 4.0]> : tensor<2xf32>
  check.expect_eq_const %r#6, dense<[1.0, 2.0]> : tensor<2xf32>
  check.expect_eq_const %r#7, dense<11> : tensor<i64>
  func.return
}
)")
                  .ok());
  // A root outside the group is an error naming it, not a wrong read.
  absl::Status bad = RunChecks(R"(
func.func @worker(%x: tensor<2xf32>) -> tensor<2xf32> {
  %root = stablehlo.constant dense<[2]> : tensor<1xi32>
  %y = "stablehlo.collective_broadcast"(%x, %root) {replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>, has_dynamic_root} : (tensor<2xf32>, tensor<1xi32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}
func.func @main() {
  %x = stablehlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %r:2 = "interpreter.run_parallel"(%x, %x) {programs = [[@worker], [@worker]]} : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  func.return
}
)");
  EXPECT_THAT(bad.message(), HasSubstr("root 2 of operand #0"));
}

TEST(InterpreterTest, CbrtOfComplexIsThePrincipalRoot) {
  // cbrt(-8) = 2 * e^(i*pi/3) = 1 + i*sqrt(3); cbrt(8i) = sqrt(3) + i.
  EXPECT_TRUE(RunChecks(Main(R"(
  %z = stablehlo.constant dense<[(-8.0, 0.0), (0.0, 8.0)]> : tensor<2xcomplex<f64>>
  %c = stablehlo.cbrt %z : tensor<2xcomplex<f64>>
  check.expect_almost_eq_const %c, dense<[(1.0, 1.7320508075688772), (1.7320508075688772, 1.0)]> : tensor<2xcomplex<f64>>
  %w = stablehlo.constant dense<(27.0, 0.0)> : tensor<complex<f32>>
  %d = stablehlo.cbrt %w : tensor<complex<f32>>
  check.expect_almost_eq_const %d, dense<(3.0, 0.0)> : tensor<complex<f32>>)"))
                  .ok());
}

TEST(InterpreterTest, ChloScanPrefixesCarriesAndReverse) {
  EXPECT_TRUE(RunChecks(Main(R"(
  %x = stablehlo.constant dense<[[2, 4, 6], [1, 3, 5]]> : tensor<2x3xi32>
  %zero = stablehlo.constant dense<0> : tensor<2xi32>
  %s:2 = chlo.scan(%x) inits(%zero) dimension=1 {
  ^bb0(%e: tensor<2xi32>, %acc: tensor<2xi32>):
    %n = stablehlo.add %e, %acc : tensor<2xi32>
    stablehlo.return %n, %n : tensor<2xi32>, tensor<2xi32>
  } : (tensor<2x3xi32>, tensor<2xi32>) -> (tensor<2x3xi32>, tensor<2xi32>)
  check.expect_eq_const %s#0, dense<[[2, 6, 12], [1, 4, 9]]> : tensor<2x3xi32>
  check.expect_eq_const %s#1, dense<[12, 9]> : tensor<2xi32>
  %v = stablehlo.constant dense<[1.0, 2.0, 4.0]> : tensor<3xf32>
  %one = stablehlo.constant dense<1.0> : tensor<f32>
  %r:2 = chlo.scan(%v) inits(%one) dimension=0 attributes {is_reverse = true} {
  ^bb0(%e: tensor<f32>, %acc: tensor<f32>):
    %p = stablehlo.multiply %e, %acc : tensor<f32>
    %c = stablehlo.convert %p : (tensor<f32>) -> tensor<i8>
    stablehlo.return %c, %p : tensor<i8>, tensor<f32>
  } : (tensor<3xf32>, tensor<f32>) -> (tensor<3xi8>, tensor<f32>)
  check.expect_eq_const %r#0, dense<[8, 8, 4]> : tensor<3xi8>
  check.expect_eq_const %r#1, dense<8.0> : tensor<f32>
  %a = stablehlo.constant dense<[5, 9, 2, 9]> : tensor<4xi64>
  %i = stablehlo.iota dim = 0 : tensor<4xi64>
  %lo = stablehlo.constant dense<-100> : tensor<i64>
  %z = stablehlo.constant dense<-1> : tensor<i64>
  %m:3 = chlo.scan(%a, %i) inits(%lo, %z) dimension=0 {
  ^bb0(%e: tensor<i64>, %k: tensor<i64>, %best: tensor<i64>, %at: tensor<i64>):
    %gt = stablehlo.compare GT, %e, %best : (tensor<i64>, tensor<i64>) -> tensor<i1>
    %nb = stablehlo.select %gt, %e, %best : tensor<i1>, tensor<i64>
    %na = stablehlo.select %gt, %k, %at : tensor<i1>, tensor<i64>
    stablehlo.return %na, %nb, %na : tensor<i64>, tensor<i64>, tensor<i64>
  } : (tensor<4xi64>, tensor<4xi64>, tensor<i64>, tensor<i64>) -> (tensor<4xi64>, tensor<i64>, tensor<i64>)
  check.expect_eq_const %m#0, dense<[0, 1, 1, 1]> : tensor<4xi64>
  check.expect_eq_const %m#1, dense<9> : tensor<i64>
  check.expect_eq_const %m#2, dense<1> : tensor<i64>)"))
                  .ok());
}

TEST(InterpreterTest, RunParallelSendRecvInfeedOutfeedPartitions) {
  EXPECT_TRUE(RunChecks(R"(
func.func @sender(%x: tensor<2xi64>, %t: !stablehlo.token) -> (!stablehlo.token, tensor<ui32>) {
  %s = "stablehlo.send"(%x, %t) {channel_handle = #stablehlo.channel_handle<handle = 5, type = 2>, is_host_transfer = true} : (tensor<2xi64>, !stablehlo.token) -> !stablehlo.token
  %o = "stablehlo.outfeed"(%x, %s) : (tensor<2xi64>, !stablehlo.token) -> !stablehlo.token
  %p = stablehlo.partition_id : tensor<ui32>
  func.return %o, %p : !stablehlo.token, tensor<ui32>
}
func.func @receiver(%t: !stablehlo.token) -> (tensor<2xi64>, tensor<2xi64>, tensor<ui32>) {
  %v, %t2 = "stablehlo.recv"(%t) {channel_handle = #stablehlo.channel_handle<handle = 5, type = 3>, is_host_transfer = true} : (!stablehlo.token) -> (tensor<2xi64>, !stablehlo.token)
  %f, %t3 = "stablehlo.infeed"(%t2) : (!stablehlo.token) -> (tensor<2xi64>, !stablehlo.token)
  %p = stablehlo.partition_id : tensor<ui32>
  func.return %v, %f, %p : tensor<2xi64>, tensor<2xi64>, tensor<ui32>
}
func.func @feed() -> tensor<2xi64> {
  %c = stablehlo.constant dense<[8, 9]> : tensor<2xi64>
  func.return %c : tensor<2xi64>
}
func.func @main() {
  %x = stablehlo.constant dense<[3, 4]> : tensor<2xi64>
  %t = stablehlo.after_all : !stablehlo.token
  %r:5 = "interpreter.run_parallel"(%x, %t, %t) {infeed = [@feed], programs = [[@sender, @receiver]]} : (tensor<2xi64>, !stablehlo.token, !stablehlo.token) -> (!stablehlo.token, tensor<ui32>, tensor<2xi64>, tensor<2xi64>, tensor<ui32>)
  check.expect_eq_const %r#2, dense<[3, 4]> : tensor<2xi64>
  check.expect_eq_const %r#3, dense<[8, 9]> : tensor<2xi64>
  check.expect_eq_const %r#1, dense<0> : tensor<ui32>
  check.expect_eq_const %r#4, dense<1> : tensor<ui32>
  func.return
}
)")
                  .ok());
}

TEST(InterpreterTest, MalformedProgramsAreRejectedBeforeRunning) {
  std::unique_ptr<ir::Module> m = Parse(R"(
func.func @main() {
  %a = stablehlo.constant dense<1.0> : tensor<2xf32>
  %b = "stablehlo.add"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
)");
  ASSERT_NE(m, nullptr);
  absl::StatusOr<std::unique_ptr<Interpreter>> interp = Interpreter::Create(*m);
  EXPECT_FALSE(interp.ok());
  EXPECT_THAT(interp.status().message(), HasSubstr("stablehlo.add"));
}

TEST(InterpreterTest, FailingProcessAbortsParallelRunWithoutHanging) {
  absl::Status s = RunChecks(R"(
func.func @bad(%x: tensor<2xi64>) -> tensor<2xi64> {
  check.expect_eq_const %x, dense<[0, 0]> : tensor<2xi64>
  %sum = "stablehlo.all_reduce"(%x) ({
  ^bb0(%a: tensor<i64>, %b: tensor<i64>):
    %s = stablehlo.add %a, %b : tensor<i64>
    stablehlo.return %s : tensor<i64>
  }) {replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>} : (tensor<2xi64>) -> tensor<2xi64>
  func.return %sum : tensor<2xi64>
}
func.func @main() {
  %a = stablehlo.constant dense<[0, 0]> : tensor<2xi64>
  %b = stablehlo.constant dense<[1, 2]> : tensor<2xi64>
  %r:2 = "interpreter.run_parallel"(%a, %b) {programs = [[@bad], [@bad]]} : (tensor<2xi64>, tensor<2xi64>) -> (tensor<2xi64>, tensor<2xi64>)
  func.return
}
)");
  EXPECT_FALSE(s.ok());
}

TEST(InterpreterTest, RunTakesArgumentsAndChecksTheirTypes) {
  std::unique_ptr<ir::Module> m = Parse(R"(
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = stablehlo.multiply %x, %x : tensor<2xf32>
  func.return %y : tensor<2xf32>
}
)");
  ASSERT_NE(m, nullptr);
  absl::StatusOr<std::unique_ptr<Interpreter>> interp = Interpreter::Create(*m);
  ASSERT_TRUE(interp.ok());
  ir::Literal x(ir::TensorType(ir::ElementType::kF32, {2}));
  x.data<float>()[0] = 3;
  x.data<float>()[1] = -2;
  absl::StatusOr<std::vector<ir::Literal>> out = (*interp)->Run("main", {x});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].data<float>()[0], 9);
  EXPECT_EQ((*out)[0].data<float>()[1], 4);
  ir::Literal wrong(ir::TensorType(ir::ElementType::kF32, {3}));
  EXPECT_EQ((*interp)->Run("main", {wrong}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*interp)->Run("nope", {}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(InterpreterTest, IntermediatesAreReleasedAfterLastUse) {
  // Ten 4 MB intermediates in a chain: only about two may be live at once.
  std::string body =
      "  %v0 = stablehlo.constant dense<1.0> : tensor<1048576xf32>\n";
  for (int i = 1; i <= 10; ++i) {
    absl::StrAppend(&body, "  %v", i, " = stablehlo.add %v", i - 1, ", %v",
                    i - 1, " : tensor<1048576xf32>\n");
  }
  std::unique_ptr<ir::Module> m = Parse(Main(body));
  ASSERT_NE(m, nullptr);
  absl::StatusOr<std::unique_ptr<Interpreter>> interp = Interpreter::Create(*m);
  ASSERT_TRUE(interp.ok());
  const int64_t before = RuntimeValue::LiveBytes();
  RuntimeValue::ResetPeakLiveBytes();
  ASSERT_TRUE((*interp)->Call("main", {}).ok());
  EXPECT_LE(RuntimeValue::PeakLiveBytes() - before, 3 * 4 * 1048576);
  EXPECT_EQ((*interp)->stats().ops_executed, 11);
}

TEST(InterpreterTest, MemoryLimitAndLoopLimitAreErrors) {
  std::unique_ptr<ir::Module> m = Parse(Main(R"(
  %a = stablehlo.constant dense<1.0> : tensor<1048576xf32>
  %b = stablehlo.add %a, %a : tensor<1048576xf32>
)"));
  ASSERT_NE(m, nullptr);
  InterpreterOptions options;
  options.max_live_bytes = 1 << 20;
  absl::StatusOr<std::unique_ptr<Interpreter>> interp =
      Interpreter::Create(*m, options);
  ASSERT_TRUE(interp.ok());
  EXPECT_EQ((*interp)->Call("main", {}).status().code(),
            absl::StatusCode::kResourceExhausted);

  std::unique_ptr<ir::Module> loop = Parse(Main(R"(
  %t = stablehlo.constant dense<true> : tensor<i1>
  %r = stablehlo.while(%a = %t) : tensor<i1>
  cond {
    stablehlo.return %a : tensor<i1>
  } do {
    stablehlo.return %a : tensor<i1>
  }
)"));
  ASSERT_NE(loop, nullptr);
  InterpreterOptions loop_options;
  loop_options.max_loop_iterations = 1000;
  interp = Interpreter::Create(*loop, loop_options);
  ASSERT_TRUE(interp.ok());
  absl::Status s = (*interp)->Call("main", {}).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("stablehlo.while"));
}

TEST(EvaluateOpTest, FoldsSingleOpsIncludingRegions) {
  std::unique_ptr<ir::Module> m = Parse(R"(
func.func @main(%x: tensor<3xf32>, %z: tensor<f32>) -> (tensor<3xf32>, tensor<f32>) {
  %y = stablehlo.add %x, %x : tensor<3xf32>
  %s = stablehlo.reduce(%x init: %z) applies stablehlo.add across dimensions = [0] : (tensor<3xf32>, tensor<f32>) -> tensor<f32>
  func.return %y, %s : tensor<3xf32>, tensor<f32>
}
)");
  ASSERT_NE(m, nullptr);
  const ir::Block* entry = m->LookupFunction("main")->entry();
  auto it = entry->ops().begin();
  const ir::Op& add = **it++;
  const ir::Op& reduce = **it;
  ir::Literal x(ir::TensorType(ir::ElementType::kF32, {3}));
  x.data<float>()[0] = 1;
  x.data<float>()[1] = 2;
  x.data<float>()[2] = 4;
  ir::Literal z(ir::TensorType(ir::ElementType::kF32, {}));
  absl::StatusOr<std::vector<ir::Literal>> sum = EvaluateOp(add, {x, x});
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ((*sum)[0].data<float>()[2], 8);
  absl::StatusOr<std::vector<ir::Literal>> r = EvaluateOp(reduce, {x, z});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].data<float>()[0], 7);
  EXPECT_EQ(EvaluateOp(add, {x}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace backplane::interpreter
