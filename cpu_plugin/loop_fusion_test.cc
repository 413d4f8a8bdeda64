// Tests of loop fusion: each pattern is compiled with fusion, checked to run
// as one fused loop, and compared bit for bit (any NaN matching any NaN) with
// the reference interpreter (with correctly rounded math, as the interpreter
// computes it; the last test covers the default fast exponential).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/kernels/elementwise/test_util.h"
#include "compiler/parser/parser.h"
#include "cpu_plugin/loop_fusion_plan.h"
#include "cpu_plugin/program.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::cpu {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// Inputs with NaNs, infinities, signed zeros and ordinary values mixed in.
std::vector<ir::Literal> Inputs(const std::vector<ir::TensorType>& types) {
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(), -0.0f,
                            0.0f};
  std::vector<ir::Literal> in;
  uint32_t state = 11;
  for (const ir::TensorType& t : types) {
    ir::Literal l(t);
    if (t.element_type() == ir::ElementType::kF32) {
      int64_t i = 0;
      for (float& f : l.data<float>()) {
        state = state * 1664525u + 1013904223u;
        f = static_cast<float>(state >> 8) / 4194304.0f - 2.0f;
        if (i++ % 37 == 5) f = specials[(state >> 3) % 5];
      }
    }
    in.push_back(std::move(l));
  }
  return in;
}

// Equal bits, except that any f32 NaN equals any other: which NaN a sum
// of NaNs and infinities ends with depends on operand order, which the
// compiler may swap in vectorised code (as the check.expect_eq rule).
bool SameBitsOrBothNaN(const ir::Literal& a, const ir::Literal& b) {
  if (a.byte_size() != b.byte_size()) return false;
  if (a.type().element_type() != ir::ElementType::kF32) {
    return std::memcmp(a.untyped_data(), b.untyped_data(), a.byte_size()) == 0;
  }
  const auto x = a.data<float>();
  const auto y = b.data<float>();
  for (size_t k = 0; k < x.size(); ++k) {
    if (std::isnan(x[k]) && std::isnan(y[k])) continue;
    if (std::memcmp(&x[k], &y[k], sizeof(float)) != 0) return false;
  }
  return true;
}

// Runs `text` fused and on the interpreter; returns the thunk kinds.
std::vector<std::string> ExpectBitIdentical(const std::string& text) {
  ProgramOptions options;
  options.allow_interpreter_fallback = false;
  options.math_accuracy = kernels::elementwise::MathAccuracy::kCorrectlyRounded;
  auto program = Program::Compile(text, options);
  EXPECT_TRUE(program.ok()) << program.status();
  if (!program.ok()) return {};
  const Program& p = **program;
  std::vector<ir::Literal> in = Inputs(p.parameter_types());
  std::vector<const void*> args;
  for (const auto& l : in) args.push_back(l.untyped_data());
  std::vector<ir::Literal> ours;
  for (const auto& t : p.result_types()) ours.emplace_back(t);
  std::vector<void*> results;
  for (auto& l : ours) results.push_back(l.untyped_data());
  absl::Status s = p.Run(args, results, 0);
  EXPECT_TRUE(s.ok()) << s;
  auto module = parser::ParseModule(text, {});
  EXPECT_TRUE(module.ok()) << module.status();
  auto interp = interpreter::Interpreter::Create(**module);
  EXPECT_TRUE(interp.ok()) << interp.status();
  auto ref = (*interp)->Run("main", in);
  EXPECT_TRUE(ref.ok()) << ref.status();
  if (!ref.ok()) return {};
  EXPECT_EQ(ours.size(), ref->size());
  for (size_t i = 0; i < ours.size() && i < ref->size(); ++i) {
    EXPECT_EQ(ours[i].type(), (*ref)[i].type()) << "result " << i;
    if (ours[i].type() != (*ref)[i].type()) continue;
    EXPECT_TRUE(SameBitsOrBothNaN(ours[i], (*ref)[i]))
        << "result " << i << " differs from the interpreter";
  }
  return p.ThunkKinds();
}

TEST(LoopFusionTest, ChainOfElementwiseOpsIsOneLoop) {
  const std::string text = R"(
func.func @main(%x: tensor<3x1000xf32>, %y: tensor<3x1000xf32>) -> tensor<3x1000xf32> {
  %0 = stablehlo.add %x, %y : tensor<3x1000xf32>
  %1 = stablehlo.exponential %0 : tensor<3x1000xf32>
  %2 = stablehlo.multiply %1, %x : tensor<3x1000xf32>
  %3 = stablehlo.maximum %2, %y : tensor<3x1000xf32>
  %4 = stablehlo.minimum %3, %0 : tensor<3x1000xf32>
  return %4 : tensor<3x1000xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  ASSERT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
  EXPECT_EQ(kinds[0], "loop_fusion(add,exponential,multiply,maximum,minimum)");
}

TEST(LoopFusionTest, BroadcastsAreReadWithZeroStrides) {
  // Bias along the last dimension, a per-row value along the first, a
  // splat constant, and a chain of broadcasts (768 -> 1x768 -> 5x768).
  const std::string text = R"(
func.func @main(%x: tensor<5x768xf32>, %bias: tensor<768xf32>,
                %row: tensor<5xf32>) -> tensor<5x768xf32> {
  %b1 = stablehlo.broadcast_in_dim %bias, dims = [1] : (tensor<768xf32>) -> tensor<1x768xf32>
  %b2 = stablehlo.broadcast_in_dim %b1, dims = [0, 1] : (tensor<1x768xf32>) -> tensor<5x768xf32>
  %r = stablehlo.broadcast_in_dim %row, dims = [0] : (tensor<5xf32>) -> tensor<5x768xf32>
  %c = stablehlo.constant dense<0.5> : tensor<5x768xf32>
  %0 = stablehlo.add %x, %b2 : tensor<5x768xf32>
  %1 = stablehlo.subtract %0, %r : tensor<5x768xf32>
  %2 = stablehlo.multiply %1, %c : tensor<5x768xf32>
  return %2 : tensor<5x768xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  ASSERT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
  EXPECT_EQ(kinds[0], "loop_fusion(add,subtract,multiply)");
}

TEST(LoopFusionTest, TransposedBroadcastAndScalar) {
  // broadcast_in_dim that permutes (dims = [1, 0]) reads with strides.
  const std::string text = R"(
func.func @main(%x: tensor<4x6xf32>, %t: tensor<6x4xf32>, %s: tensor<f32>) -> tensor<4x6xf32> {
  %0 = stablehlo.broadcast_in_dim %t, dims = [1, 0] : (tensor<6x4xf32>) -> tensor<4x6xf32>
  %1 = stablehlo.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<4x6xf32>
  %2 = stablehlo.divide %x, %0 : tensor<4x6xf32>
  %3 = stablehlo.power %2, %1 : tensor<4x6xf32>
  return %3 : tensor<4x6xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  ASSERT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
}

TEST(LoopFusionTest, TransposesAreReadThroughPermutedStrides) {
  // Attention's head split: a transpose scaled by a constant, a transpose
  // of a transpose (k^T), and a computed value that is transposed, which
  // is written to memory by its own thunk and read transposed by the next
  // loop (a loop evaluates every member at the result's index).
  const std::string text = R"(
func.func @main(%q: tensor<1x9x4x16xf32>, %y: tensor<3x5xf32>) -> (tensor<1x4x9x16xf32>, tensor<1x4x16x9xf32>, tensor<5x3xf32>) {
  %c = stablehlo.constant dense<0.125> : tensor<1x4x9x16xf32>
  %t = stablehlo.transpose %q, dims = [0, 2, 1, 3] : (tensor<1x9x4x16xf32>) -> tensor<1x4x9x16xf32>
  %0 = stablehlo.multiply %t, %c : tensor<1x4x9x16xf32>
  %k = stablehlo.transpose %t, dims = [0, 1, 3, 2] : (tensor<1x4x9x16xf32>) -> tensor<1x4x16x9xf32>
  %ck = stablehlo.constant dense<0.5> : tensor<1x4x16x9xf32>
  %1 = stablehlo.multiply %k, %ck : tensor<1x4x16x9xf32>
  %e = stablehlo.exponential %y : tensor<3x5xf32>
  %et = stablehlo.transpose %e, dims = [1, 0] : (tensor<3x5xf32>) -> tensor<5x3xf32>
  %n = stablehlo.negate %et : tensor<5x3xf32>
  return %0, %1, %n : tensor<1x4x9x16xf32>, tensor<1x4x16x9xf32>, tensor<5x3xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  EXPECT_THAT(kinds, Contains("loop_fusion(multiply)"))
      << absl::StrJoin(kinds, ",");
  // %t has two users; each loop reads %q through its own permutation (%k's
  // composes both). No transpose is materialised.
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "transpose"), 0)
      << absl::StrJoin(kinds, ",");
}

TEST(LoopFusionTest, SplatOperandsOnEitherSide) {
  // Splat constants and a broadcast scalar parameter as the lhs and rhs of
  // binary ops and as the third operand of a fused multiply-add pair; the
  // inputs carry NaNs, infinities and signed zeros.
  const std::string text = R"(
func.func @main(%x: tensor<3x700xf32>, %s: tensor<f32>) -> tensor<3x700xf32> {
  %c = stablehlo.constant dense<1.5> : tensor<3x700xf32>
  %z = stablehlo.constant dense<-0.0> : tensor<3x700xf32>
  %k = stablehlo.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<3x700xf32>
  %0 = stablehlo.subtract %c, %x : tensor<3x700xf32>
  %1 = stablehlo.divide %c, %0 : tensor<3x700xf32>
  %2 = stablehlo.multiply %1, %x : tensor<3x700xf32>
  %3 = stablehlo.add %2, %k : tensor<3x700xf32>
  %4 = stablehlo.maximum %z, %3 : tensor<3x700xf32>
  %5 = stablehlo.minimum %4, %c : tensor<3x700xf32>
  %6 = stablehlo.subtract %5, %k : tensor<3x700xf32>
  return %6 : tensor<3x700xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  ASSERT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
}

TEST(LoopFusionTest, ViewsSharedByTwoLoopsAreNotMaterialised) {
  // One broadcast (as CSE leaves it) feeding two loops that cannot merge
  // (%0 is used by both): each loop reads the vector through strides.
  const std::string text = R"(
func.func @main(%x: tensor<6x50xf32>, %v: tensor<50xf32>) -> (tensor<6x50xf32>, tensor<6x50xf32>) {
  %b = stablehlo.broadcast_in_dim %v, dims = [1] : (tensor<50xf32>) -> tensor<6x50xf32>
  %0 = stablehlo.multiply %x, %b : tensor<6x50xf32>
  %1 = stablehlo.exponential %0 : tensor<6x50xf32>
  %2 = stablehlo.add %1, %b : tensor<6x50xf32>
  %3 = stablehlo.subtract %0, %b : tensor<6x50xf32>
  return %2, %3 : tensor<6x50xf32>, tensor<6x50xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  EXPECT_THAT(kinds, Not(Contains("broadcast_in_dim")))
      << absl::StrJoin(kinds, ",");
  EXPECT_THAT(kinds, Contains("loop_fusion(exponential,add)"))
      << absl::StrJoin(kinds, ",");
}

TEST(LoopFusionTest, LargeLoopsSplitOverThreads) {
  // Above the threading threshold: a few long rows (the threads' ranges
  // start mid-row) and many short rows; a per-row broadcast and a splat
  // exercise the per-thread staging buffers.
  for (const char* shape : {"3x30000", "400x200"}) {
    SCOPED_TRACE(shape);
    const std::string t = absl::StrCat("tensor<", shape, "xf32>");
    const std::string rows =
        std::string(shape).substr(0, std::string(shape).find('x'));
    const std::string text = absl::StrCat(
        "func.func @main(%x: ", t, ", %r: tensor<", rows, "xf32>) -> ", t,
        " {\n  %c = stablehlo.constant dense<0.75> : ", t,
        "\n  %b = stablehlo.broadcast_in_dim %r, dims = [0] : (tensor<", rows,
        "xf32>) -> ", t, "\n  %0 = stablehlo.multiply %x, %c : ", t,
        "\n  %1 = stablehlo.add %0, %b : ", t,
        "\n  %2 = stablehlo.exponential %1 : ", t,
        "\n  %3 = stablehlo.divide %2, %b : ", t, "\n  return %3 : ", t, "\n}");
    std::vector<std::string> kinds = ExpectBitIdentical(text);
    ASSERT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
  }
}

TEST(LoopFusionTest, CompareSelectAndPredicates) {
  // The pattern of a masked softmax's where(), and GELU's erf branches.
  const std::string text = R"(
func.func @main(%x: tensor<2x300xf32>, %y: tensor<2x300xf32>) -> tensor<2x300xf32> {
  %z = stablehlo.constant dense<0.0> : tensor<2x300xf32>
  %0 = stablehlo.compare LT, %x, %y, FLOAT : (tensor<2x300xf32>, tensor<2x300xf32>) -> tensor<2x300xi1>
  %1 = stablehlo.compare EQ, %x, %z, FLOAT : (tensor<2x300xf32>, tensor<2x300xf32>) -> tensor<2x300xi1>
  %2 = stablehlo.not %1 : tensor<2x300xi1>
  %3 = stablehlo.and %0, %2 : tensor<2x300xi1>
  %4 = stablehlo.abs %x : tensor<2x300xf32>
  %5 = stablehlo.select %3, %4, %y : tensor<2x300xi1>, tensor<2x300xf32>
  return %5 : tensor<2x300xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  ASSERT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
  EXPECT_THAT(kinds[0], HasSubstr("select"));
}

// Compares that only feed a select run inside it (one pass): every
// direction on values with NaNs, infinities and signed zeros, a compare of
// computed values, and ones that stay separate (a second reader, a total
// order compare, an i1 select).
TEST(LoopFusionTest, ComparesFeedingSelectsRunInsideThem) {
  std::string text = R"(
func.func @main(%x: tensor<3x500xf32>, %y: tensor<3x500xf32>) -> (tensor<3x500xf32>, tensor<3x500xi1>) {
  %s = stablehlo.multiply %x, %y : tensor<3x500xf32>
  %d = stablehlo.subtract %x, %y : tensor<3x500xf32>
)";
  // Each select's choice is summed into %a5, so that every one counts.
  const char* directions[] = {"EQ", "NE", "LT", "LE", "GT", "GE"};
  std::string sum = "%s";
  for (int i = 0; i < 6; ++i) {
    absl::StrAppend(&text, "  %c", i, " = stablehlo.compare ", directions[i],
                    ", ", i % 2 ? "%x, %d" : "%d, %y", i == 3 ? "" : ", FLOAT",
                    " : (tensor<3x500xf32>, tensor<3x500xf32>) -> "
                    "tensor<3x500xi1>\n",
                    "  %v", i, " = stablehlo.select %c", i, ", ",
                    i % 2 ? "%s, %d" : "%d, %s",
                    " : tensor<3x500xi1>, tensor<3x500xf32>\n", "  %a", i,
                    " = stablehlo.add ", sum, ", %v", i,
                    " : tensor<3x500xf32>\n");
    sum = absl::StrCat("%a", i);
  }
  absl::StrAppend(
      &text,
      R"(  %t = stablehlo.compare LT, %x, %y, TOTALORDER : (tensor<3x500xf32>, tensor<3x500xf32>) -> tensor<3x500xi1>
  %w = stablehlo.select %t, %a5, %x : tensor<3x500xi1>, tensor<3x500xf32>
  %k = stablehlo.compare GT, %w, %y, FLOAT : (tensor<3x500xf32>, tensor<3x500xf32>) -> tensor<3x500xi1>
  %u = stablehlo.select %k, %w, %s : tensor<3x500xi1>, tensor<3x500xf32>
  %m = stablehlo.compare LE, %u, %x, FLOAT : (tensor<3x500xf32>, tensor<3x500xf32>) -> tensor<3x500xi1>
  %b = stablehlo.select %m, %m, %k : tensor<3x500xi1>, tensor<3x500xi1>
  return %u, %b : tensor<3x500xf32>, tensor<3x500xi1>
})");
  ExpectBitIdentical(text);
}

// Row reductions run inside the loop that computes their input, in the
// row reduction's order of operations (bit-identical to the interpreter):
// a layer norm's variance over 48 rows of 700 (two chunks and a tail of 4;
// NaNs and infinities are first clamped to +-1000 so that the order of the
// sums shows in the bits), max / min / product bodies over NaNs,
// infinities and signed zeros, reduction rows that span 12 loop rows (a
// transposed input keeps the reduced dimensions apart), and enough rows to
// split over threads. An input that is also a result, and rows shorter
// than 8, keep their own row reduction.
TEST(LoopFusionTest, RowReductionsRunInsideTheirInputsLoop) {
  const std::string text = R"(
func.func @main(%x: tensor<48x700xf32>, %m: tensor<48xf32>, %y: tensor<4x5x40x12xf32>, %z: tensor<300x512xf32>, %w: tensor<100x5xf32>) -> (tensor<48xf32>, tensor<48xf32>, tensor<48xf32>, tensor<4x5xf32>, tensor<300xf32>, tensor<300xf32>, tensor<300x512xf32>, tensor<100xf32>) {
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %one = stablehlo.constant dense<1.0> : tensor<f32>
  %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %pinf = stablehlo.constant dense<0x7F800000> : tensor<f32>
  %mb = stablehlo.broadcast_in_dim %m, dims = [0] : (tensor<48xf32>) -> tensor<48x700xf32>
  %zx = stablehlo.constant dense<0.0> : tensor<48x700xf32>
  %lo = stablehlo.constant dense<-1.0e+03> : tensor<48x700xf32>
  %hi = stablehlo.constant dense<1.0e+03> : tensor<48x700xf32>
  %ok = stablehlo.compare EQ, %x, %x, FLOAT : (tensor<48x700xf32>, tensor<48x700xf32>) -> tensor<48x700xi1>
  %c1 = stablehlo.select %ok, %x, %zx : tensor<48x700xi1>, tensor<48x700xf32>
  %c2 = stablehlo.maximum %c1, %lo : tensor<48x700xf32>
  %c3 = stablehlo.minimum %c2, %hi : tensor<48x700xf32>
  %d = stablehlo.subtract %c3, %mb : tensor<48x700xf32>
  %sq = stablehlo.multiply %d, %d : tensor<48x700xf32>
  %var = stablehlo.reduce(%sq init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<48x700xf32>, tensor<f32>) -> tensor<48xf32>
  %n = stablehlo.negate %x : tensor<48x700xf32>
  %mx = stablehlo.reduce(%n init: %ninf) applies stablehlo.maximum across dimensions = [1] : (tensor<48x700xf32>, tensor<f32>) -> tensor<48xf32>
  %a = stablehlo.abs %x : tensor<48x700xf32>
  %mn = stablehlo.reduce(%a init: %pinf) applies stablehlo.minimum across dimensions = [1] : (tensor<48x700xf32>, tensor<f32>) -> tensor<48xf32>
  %t = stablehlo.transpose %y, dims = [0, 1, 3, 2] : (tensor<4x5x40x12xf32>) -> tensor<4x5x12x40xf32>
  %e = stablehlo.exponential %t : tensor<4x5x12x40xf32>
  %p = stablehlo.reduce(%e init: %one) applies stablehlo.multiply across dimensions = [2, 3] : (tensor<4x5x12x40xf32>, tensor<f32>) -> tensor<4x5xf32>
  %h = stablehlo.multiply %z, %z : tensor<300x512xf32>
  %s = stablehlo.reduce(%h init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<300x512xf32>, tensor<f32>) -> tensor<300xf32>
  %k = stablehlo.add %z, %z : tensor<300x512xf32>
  %ks = stablehlo.reduce(%k init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<300x512xf32>, tensor<f32>) -> tensor<300xf32>
  %v = stablehlo.multiply %w, %w : tensor<100x5xf32>
  %vs = stablehlo.reduce(%v init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<100x5xf32>, tensor<f32>) -> tensor<100xf32>
  return %var, %mx, %mn, %p, %s, %ks, %k, %vs : tensor<48xf32>, tensor<48xf32>, tensor<48xf32>, tensor<4x5xf32>, tensor<300xf32>, tensor<300xf32>, tensor<300x512xf32>, tensor<100xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  const std::string all = absl::StrJoin(kinds, " ");
  EXPECT_THAT(kinds, Contains("loop_fusion(compare,select,maximum,minimum,"
                              "subtract,multiply,reduce)"))
      << all;
  EXPECT_THAT(kinds, Contains("loop_fusion(negate,reduce)")) << all;
  EXPECT_THAT(kinds, Contains("loop_fusion(abs,reduce)")) << all;
  EXPECT_THAT(kinds, Contains("loop_fusion(exponential,reduce)")) << all;
  EXPECT_THAT(kinds, Contains("loop_fusion(multiply,reduce)")) << all;
  // %k is also a result; %v's rows are 5 long.
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "row_reduce"), 2) << all;
}

TEST(LoopFusionTest, ValuesUsedOutsideEndTheirOwnGroup) {
  // %1 is returned as well as used by %2: it is materialised once (the
  // root of its own loop) and read by the second loop.
  const std::string text = R"(
func.func @main(%x: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %0 = stablehlo.negate %x : tensor<64xf32>
  %1 = stablehlo.tanh %0 : tensor<64xf32>
  %2 = stablehlo.multiply %1, %x : tensor<64xf32>
  %3 = stablehlo.sqrt %2 : tensor<64xf32>
  return %1, %3 : tensor<64xf32>, tensor<64xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  EXPECT_THAT(kinds, Contains("loop_fusion(negate,tanh)"));
  EXPECT_THAT(kinds, Contains("loop_fusion(multiply,sqrt)"));
}

TEST(LoopFusionTest, LongChainReusesRegistersAndOddSizes) {
  // More ops than registers would need without reuse; 1031 elements is
  // not a multiple of the chunk; a size-1 dimension is dropped.
  std::string text =
      "func.func @main(%x: tensor<1031x1xf32>) -> tensor<1031x1xf32> {\n"
      "  %v0 = stablehlo.abs %x : tensor<1031x1xf32>\n";
  for (int i = 1; i < 40; ++i) {
    text += "  %v" + std::to_string(i) + " = stablehlo." +
            (i % 3 == 0   ? "add"
             : i % 3 == 1 ? "multiply"
                          : "subtract") +
            " %v" + std::to_string(i - 1) + ", %x : tensor<1031x1xf32>\n";
  }
  text += "  return %v39 : tensor<1031x1xf32>\n}\n";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  ASSERT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
}

TEST(LoopFusionTest, IntegerAndScalarGroups) {
  const std::string text = R"(
func.func @main(%a: tensor<i32>, %b: tensor<i32>) -> tensor<i32> {
  %0 = stablehlo.add %a, %b : tensor<i32>
  %1 = stablehlo.multiply %0, %a : tensor<i32>
  return %1 : tensor<i32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  ASSERT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
}

TEST(LoopFusionTest, PlanRespectsExclusionsAndShapes) {
  const std::string text = R"(
func.func @main(%x: tensor<4xf32>, %s: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = stablehlo.exponential %x : tensor<4xf32>
  %1 = stablehlo.log %0 : tensor<4xf32>
  %2 = stablehlo.broadcast_in_dim %1, dims = [1] : (tensor<4xf32>) -> tensor<2x4xf32>
  %3 = stablehlo.add %2, %s : tensor<2x4xf32>
  return %3 : tensor<2x4xf32>
})";
  auto module = parser::ParseModule(text, {});
  ASSERT_TRUE(module.ok()) << module.status();
  const ir::Block& block = *(*module)->LookupFunction("main")->entry();
  std::vector<LoopGroup> groups =
      PlanLoopFusions(block, [](const ir::Op&) { return false; });
  // exp+log (4 elements) cannot live in the 2x4 loop behind a broadcast.
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].members.size(), 2u);
  EXPECT_EQ(groups[0].root()->name(), "stablehlo.log");
  EXPECT_EQ(groups[1].members.size(), 2u);  // broadcast + add
  std::vector<LoopGroup> none = PlanLoopFusions(
      block, [](const ir::Op& op) { return op.name() != "stablehlo.add"; });
  EXPECT_TRUE(none.empty());
  ExpectBitIdentical(text);
}

// Short rows over four dimensions, split over threads: each thread's first
// row is found by division, the next ones by stepping every input's offset
// (a transposed input, a broadcast along the rows, one along an outer
// dimension) with carries across dimensions.
TEST(LoopFusionTest, ShortRowsStepThroughOuterDimensions) {
  const std::string text = R"(
func.func @main(%x: tensor<6x5x7x96xf32>, %t: tensor<6x7x5x96xf32>, %r: tensor<6x5x7xf32>, %c: tensor<5x96xf32>) -> tensor<6x5x7x96xf32> {
  %0 = stablehlo.transpose %t, dims = [0, 2, 1, 3] : (tensor<6x7x5x96xf32>) -> tensor<6x5x7x96xf32>
  %1 = stablehlo.broadcast_in_dim %r, dims = [0, 1, 2] : (tensor<6x5x7xf32>) -> tensor<6x5x7x96xf32>
  %2 = stablehlo.broadcast_in_dim %c, dims = [1, 3] : (tensor<5x96xf32>) -> tensor<6x5x7x96xf32>
  %3 = stablehlo.subtract %x, %1 : tensor<6x5x7x96xf32>
  %4 = stablehlo.multiply %3, %0 : tensor<6x5x7x96xf32>
  %5 = stablehlo.add %4, %2 : tensor<6x5x7x96xf32>
  %6 = stablehlo.exponential %5 : tensor<6x5x7x96xf32>
  %7 = stablehlo.multiply %6, %3 : tensor<6x5x7x96xf32>
  return %7 : tensor<6x5x7x96xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  ASSERT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
  EXPECT_THAT(kinds[0], HasSubstr("loop_fusion("));
}

// Horner polynomials as exporters write them (XLA's erf expansions): runs
// of multiply-add pairs by the same value become one chain each. The first
// chain starts from a constant times z, the second from a computed value;
// a value read twice (%p2 below) ends a chain, and a multiply by another
// value does not join it.
TEST(LoopFusionTest, MultiplyAddChainsAreOnePassEach) {
  const std::string text = R"(
func.func @main(%x: tensor<5x700xf32>, %y: tensor<5x700xf32>) -> (tensor<5x700xf32>, tensor<5x700xf32>) {
  %c0 = stablehlo.constant dense<0.25> : tensor<5x700xf32>
  %c1 = stablehlo.constant dense<-1.5> : tensor<5x700xf32>
  %c2 = stablehlo.constant dense<3.0e+02> : tensor<5x700xf32>
  %c3 = stablehlo.constant dense<-7.0e-03> : tensor<5x700xf32>
  %z = stablehlo.multiply %x, %x : tensor<5x700xf32>
  %0 = stablehlo.multiply %c0, %z : tensor<5x700xf32>
  %1 = stablehlo.add %0, %c1 : tensor<5x700xf32>
  %2 = stablehlo.multiply %1, %z : tensor<5x700xf32>
  %3 = stablehlo.add %2, %c2 : tensor<5x700xf32>
  %4 = stablehlo.multiply %z, %3 : tensor<5x700xf32>
  %p2 = stablehlo.add %4, %c3 : tensor<5x700xf32>
  %5 = stablehlo.multiply %p2, %z : tensor<5x700xf32>
  %6 = stablehlo.add %5, %c1 : tensor<5x700xf32>
  %7 = stablehlo.multiply %6, %y : tensor<5x700xf32>
  %8 = stablehlo.add %7, %c0 : tensor<5x700xf32>
  %9 = stablehlo.add %y, %p2 : tensor<5x700xf32>
  %10 = stablehlo.multiply %9, %z : tensor<5x700xf32>
  %11 = stablehlo.add %10, %c2 : tensor<5x700xf32>
  %12 = stablehlo.multiply %11, %z : tensor<5x700xf32>
  %13 = stablehlo.add %c3, %12 : tensor<5x700xf32>
  %14 = stablehlo.multiply %13, %z : tensor<5x700xf32>
  %15 = stablehlo.add %14, %c0 : tensor<5x700xf32>
  %16 = stablehlo.multiply %8, %15 : tensor<5x700xf32>
  return %16, %p2 : tensor<5x700xf32>, tensor<5x700xf32>
})";
  std::vector<std::string> kinds = ExpectBitIdentical(text);
  // z is materialised (two groups read it); %p2 is a result, so it ends the
  // first group.
  EXPECT_EQ(std::count_if(kinds.begin(), kinds.end(),
                          [](const std::string& k) {
                            return absl::StrContains(k, "[chains:3]");
                          }),
            2)
      << absl::StrJoin(kinds, "\n");
}

// The default (MathAccuracy::kFast) exponential in a fused loop large
// enough to be split over threads: within an ulp of the interpreter's
// correctly rounded exp, NaN and infinities as the interpreter has them,
// and the rest of the chain computed from it exactly.
TEST(LoopFusionTest, FastExponentialStaysWithinAnUlp) {
  const std::string text = R"(
func.func @main(%x: tensor<300x700xf32>) -> (tensor<300x700xf32>, tensor<300x700xf32>) {
  %c = stablehlo.constant dense<8.0> : tensor<300x700xf32>
  %0 = stablehlo.multiply %x, %c : tensor<300x700xf32>
  %1 = stablehlo.exponential %0 : tensor<300x700xf32>
  %2 = stablehlo.exponential %0 : tensor<300x700xf32>
  %3 = stablehlo.add %2, %x : tensor<300x700xf32>
  return %1, %3 : tensor<300x700xf32>, tensor<300x700xf32>
})";
  ProgramOptions options;
  options.allow_interpreter_fallback = false;
  auto program = Program::Compile(text, options);
  ASSERT_TRUE(program.ok()) << program.status();
  const Program& p = **program;
  EXPECT_THAT(p.ThunkKinds(),
              Contains(HasSubstr("loop_fusion(multiply,exponential")));
  std::vector<ir::Literal> in = Inputs(p.parameter_types());
  std::vector<ir::Literal> ours;
  for (const auto& t : p.result_types()) ours.emplace_back(t);
  ASSERT_TRUE(p.Run({in[0].untyped_data()},
                    {ours[0].untyped_data(), ours[1].untyped_data()}, 0)
                  .ok());
  auto module = parser::ParseModule(text, {});
  ASSERT_TRUE(module.ok()) << module.status();
  auto interp = interpreter::Interpreter::Create(**module);
  ASSERT_TRUE(interp.ok()) << interp.status();
  auto ref = (*interp)->Run("main", in);
  ASSERT_TRUE(ref.ok()) << ref.status();
  const auto x = in[0].data<float>();
  const auto exp_ours = ours[0].data<float>();
  const auto exp_ref = (*ref)[0].data<float>();
  const auto sum_ours = ours[1].data<float>();
  int64_t differ = 0;
  for (size_t i = 0; i < exp_ours.size(); ++i) {
    if (std::isnan(exp_ref[i])) {
      ASSERT_TRUE(std::isnan(exp_ours[i])) << i;
      continue;
    }
    ASSERT_LE(
        kernels::elementwise::testing::UlpDistance(exp_ours[i], exp_ref[i]), 1)
        << "exp(" << x[i] * 8.0f << ")";
    differ += exp_ours[i] != exp_ref[i];
    const float sum = exp_ours[i] + x[i];
    ASSERT_TRUE(sum_ours[i] == sum ||
                (std::isnan(sum) && std::isnan(sum_ours[i])))
        << i;
  }
  EXPECT_GT(differ, 0);
}

}  // namespace
}  // namespace backplane::cpu
