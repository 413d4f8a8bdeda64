// Tests of the CPU program compiler: each specialised thunk and fusion is
// compared with the reference interpreter on the same program.
#include "cpu_plugin/program.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "oneapi/dnnl/dnnl.hpp"

namespace backplane::cpu {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// Deterministic inputs for every parameter.
std::vector<ir::Literal> Inputs(const Program& p) {
  std::vector<ir::Literal> in;
  uint32_t state = 7;
  for (const ir::TensorType& t : p.parameter_types()) {
    ir::Literal l(t);
    if (t.element_type() == ir::ElementType::kF32) {
      for (float& f : l.data<float>()) {
        state = state * 1664525u + 1013904223u;
        f = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;
      }
    }
    in.push_back(std::move(l));
  }
  return in;
}

std::vector<ir::Literal> RunProgram(const Program& p,
                                    const std::vector<ir::Literal>& in) {
  std::vector<const void*> args;
  for (const auto& l : in) args.push_back(l.untyped_data());
  std::vector<ir::Literal> out;
  for (const auto& t : p.result_types()) out.emplace_back(t);
  std::vector<void*> results;
  for (auto& l : out) results.push_back(l.untyped_data());
  absl::Status s = p.Run(args, results, 0);
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

std::vector<ir::Literal> RunInterpreter(const std::string& text,
                                        const std::vector<ir::Literal>& in) {
  auto module = parser::ParseModule(text, {});
  EXPECT_TRUE(module.ok()) << module.status();
  auto interp = interpreter::Interpreter::Create(**module);
  EXPECT_TRUE(interp.ok()) << interp.status();
  auto out = (*interp)->Run("main", in);
  EXPECT_TRUE(out.ok()) << out.status();
  return *std::move(out);
}

// Compiles `text`, runs it on the plugin and the interpreter, compares
// with a relative tolerance, and returns the thunk kinds.
std::vector<std::string> ExpectMatchesInterpreter(const std::string& text,
                                                  ProgramOptions options = {},
                                                  double tolerance = 1e-4) {
  options.allow_interpreter_fallback = false;
  auto program = Program::Compile(text, options);
  EXPECT_TRUE(program.ok()) << program.status();
  if (!program.ok()) return {};
  std::vector<ir::Literal> in = Inputs(**program);
  std::vector<ir::Literal> ours = RunProgram(**program, in);
  std::vector<ir::Literal> ref = RunInterpreter(text, in);
  EXPECT_EQ(ours.size(), ref.size());
  for (size_t i = 0; i < ours.size() && i < ref.size(); ++i) {
    EXPECT_EQ(ours[i].type(), ref[i].type());
    int64_t mismatches = 0;
    for (int64_t j = 0; j < ref[i].element_count(); ++j) {
      const double a = ours[i].GetAsDouble(j), e = ref[i].GetAsDouble(j);
      if (std::fabs(a - e) > tolerance * std::max(1.0, std::fabs(e))) {
        if (mismatches++ < 3) {
          ADD_FAILURE() << "result " << i << " element " << j << ": " << a
                        << " vs " << e;
        }
      }
    }
    EXPECT_EQ(mismatches, 0);
  }
  return (*program)->ThunkKinds();
}

// program.h's usage example, as written there.
absl::Status AddOne(absl::string_view text, const std::vector<float>& x,
                    std::vector<float>& out) {
  ProgramOptions options;
  options.matmul_precision = MatmulPrecision::kBf16;
  ASSIGN_OR_RETURN(std::unique_ptr<Program> program,
                   Program::Compile(text, options));
  return program->Run({x.data()}, {out.data()}, /*replica_id=*/0);
}

TEST(ProgramTest, HeaderExampleRuns) {
  std::vector<float> x = {1, 2, 3, 4};
  std::vector<float> out(4);
  ASSERT_TRUE(AddOne(R"(
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = stablehlo.constant dense<1.0> : tensor<4xf32>
  %y = stablehlo.add %x, %one : tensor<4xf32>
  return %y : tensor<4xf32>
})",
                     x, out)
                  .ok());
  EXPECT_THAT(out, ::testing::ElementsAre(2, 3, 4, 5));
  EXPECT_FALSE(AddOne("not mlir", x, out).ok());
}

TEST(ProgramTest, MatmulWithBiasAndReluIsOneOneDnnThunk) {
  const std::string text = R"(
func.func @main(%x: tensor<16x64xf32>, %w: tensor<64x32xf32>,
                %b: tensor<32xf32>) -> tensor<16x32xf32> {
  %0 = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<16x64xf32>, tensor<64x32xf32>) -> tensor<16x32xf32>
  %c = stablehlo.constant dense<0.5> : tensor<32xf32>
  %1 = stablehlo.broadcast_in_dim %c, dims = [1] : (tensor<32xf32>) -> tensor<16x32xf32>
  %2 = stablehlo.add %0, %1 : tensor<16x32xf32>
  %z = stablehlo.constant dense<0.0> : tensor<16x32xf32>
  %3 = stablehlo.maximum %2, %z : tensor<16x32xf32>
  return %3 : tensor<16x32xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text);
  EXPECT_THAT(kinds, Contains("onednn.matmul+bias+relu"));
  EXPECT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
}

TEST(ProgramTest, ComputedBiasIsTheMatmulsBiasArgument) {
  // A linear layer as PyTorch exports it: the bias is a parameter,
  // broadcast through two steps; then a residual and relu.
  const std::string text = R"(
func.func @main(%x: tensor<16x64xf32>, %w: tensor<64x32xf32>,
                %b: tensor<32xf32>, %r: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %0 = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<16x64xf32>, tensor<64x32xf32>) -> tensor<16x32xf32>
  %1 = stablehlo.broadcast_in_dim %b, dims = [1] : (tensor<32xf32>) -> tensor<1x32xf32>
  %2 = stablehlo.broadcast_in_dim %1, dims = [0, 1] : (tensor<1x32xf32>) -> tensor<16x32xf32>
  %3 = stablehlo.add %2, %0 : tensor<16x32xf32>
  %4 = stablehlo.add %3, %r : tensor<16x32xf32>
  %z = stablehlo.constant dense<0.0> : tensor<16x32xf32>
  %5 = stablehlo.maximum %4, %z : tensor<16x32xf32>
  return %5 : tensor<16x32xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text);
  EXPECT_THAT(kinds, Contains("onednn.matmul+bias+residual+relu"));
  EXPECT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
}

TEST(ProgramTest, EpilogueContinuesThroughReshapesThatKeepTheChannels) {
  // PyTorch's linear layer inside a residual block: [S, H] -> [1, S, H]
  // before the residual add. A reshape that moves the channels stops the
  // chain.
  const std::string text = R"(
func.func @main(%x: tensor<16x64xf32>, %w: tensor<64x32xf32>,
                %b: tensor<32xf32>, %r: tensor<1x16x32xf32>, %q: tensor<1x512xf32>,
                %w2: tensor<64x32xf32>) -> (tensor<1x16x32xf32>, tensor<1x512xf32>) {
  %0 = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<16x64xf32>, tensor<64x32xf32>) -> tensor<16x32xf32>
  %1 = stablehlo.broadcast_in_dim %b, dims = [1] : (tensor<32xf32>) -> tensor<16x32xf32>
  %2 = stablehlo.add %0, %1 : tensor<16x32xf32>
  %3 = stablehlo.reshape %2 : (tensor<16x32xf32>) -> tensor<1x16x32xf32>
  %4 = stablehlo.add %3, %r : tensor<1x16x32xf32>
  %5 = stablehlo.dot_general %x, %w2, contracting_dims = [1] x [0] : (tensor<16x64xf32>, tensor<64x32xf32>) -> tensor<16x32xf32>
  %6 = stablehlo.reshape %5 : (tensor<16x32xf32>) -> tensor<1x512xf32>
  %7 = stablehlo.add %6, %q : tensor<1x512xf32>
  return %4, %7 : tensor<1x16x32xf32>, tensor<1x512xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text);
  EXPECT_THAT(kinds, Contains("onednn.matmul+bias+residual"))
      << absl::StrJoin(kinds, ",");
  EXPECT_THAT(kinds, Contains("onednn.matmul")) << absl::StrJoin(kinds, ",");
  EXPECT_EQ(kinds.size(), 3u) << absl::StrJoin(kinds, ",");
}

TEST(ProgramTest, BiasComputedAfterTheMatmulIsNotFused) {
  // The bias vector only exists after the dot runs: a separate add.
  const std::string text = R"(
func.func @main(%x: tensor<16x64xf32>, %w: tensor<64x32xf32>,
                %b: tensor<32xf32>) -> tensor<16x32xf32> {
  %0 = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<16x64xf32>, tensor<64x32xf32>) -> tensor<16x32xf32>
  %e = stablehlo.exponential %b : tensor<32xf32>
  %1 = stablehlo.broadcast_in_dim %e, dims = [1] : (tensor<32xf32>) -> tensor<16x32xf32>
  %2 = stablehlo.add %0, %1 : tensor<16x32xf32>
  return %2 : tensor<16x32xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text);
  EXPECT_THAT(kinds, Contains("onednn.matmul"));
  EXPECT_THAT(kinds, Not(Contains("onednn.matmul+bias")));
}

TEST(ProgramTest, TransposedWeightsAreReadInPlace) {
  const std::string text = R"(
func.func @main(%x: tensor<32x64xf32>, %w: tensor<48x64xf32>) -> tensor<32x48xf32> {
  %t = stablehlo.transpose %w, dims = [1, 0] : (tensor<48x64xf32>) -> tensor<64x48xf32>
  %0 = stablehlo.dot_general %x, %t, contracting_dims = [1] x [0] : (tensor<32x64xf32>, tensor<64x48xf32>) -> tensor<32x48xf32>
  return %0 : tensor<32x48xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text);
  EXPECT_THAT(kinds, Not(Contains("transpose")));
  EXPECT_THAT(kinds, Contains("onednn.matmul"));
}

TEST(ProgramTest, BatchedMatmulWithTransposedOperands) {
  const std::string text = R"(
func.func @main(%q: tensor<4x12x64xf32>, %k: tensor<4x64x12xf32>) -> tensor<4x12x12xf32> {
  %0 = stablehlo.dot_general %q, %k, batching_dims = [0] x [0], contracting_dims = [2] x [1] : (tensor<4x12x64xf32>, tensor<4x64x12xf32>) -> tensor<4x12x12xf32>
  return %0 : tensor<4x12x12xf32>
})";
  EXPECT_THAT(ExpectMatchesInterpreter(text), Contains("onednn.matmul"));
}

// Exported attention: q and k come from matmuls with computed biases, are
// split into heads, transposed and scaled by a splat constant. The scales
// become the matmuls' output-scale post-ops (scale hoisting) and the head
// transposes, no longer separated from the batched dot by a unit reshape,
// are read in place.
TEST(ProgramTest, AttentionScaleIsAMatmulPostOpAndHeadsAreReadInPlace) {
  const std::string text = R"(
func.func @main(%x: tensor<64x64xf32>, %wq: tensor<64x64xf32>, %bq: tensor<64xf32>, %wk: tensor<64x64xf32>, %bk: tensor<64xf32>) -> tensor<4x64x64xf32> {
  %s = stablehlo.constant dense<0.353553385> : tensor<1x4x64x16xf32>
  %sk = stablehlo.constant dense<0.353553385> : tensor<1x4x16x64xf32>
  %q0 = stablehlo.dot_general %x, %wq, contracting_dims = [1] x [0] : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %qb = stablehlo.broadcast_in_dim %bq, dims = [1] : (tensor<64xf32>) -> tensor<64x64xf32>
  %q1 = stablehlo.add %qb, %q0 : tensor<64x64xf32>
  %q2 = stablehlo.reshape %q1 : (tensor<64x64xf32>) -> tensor<1x64x4x16xf32>
  %q3 = stablehlo.transpose %q2, dims = [0, 2, 1, 3] : (tensor<1x64x4x16xf32>) -> tensor<1x4x64x16xf32>
  %q4 = stablehlo.multiply %q3, %s : tensor<1x4x64x16xf32>
  %q5 = stablehlo.reshape %q4 : (tensor<1x4x64x16xf32>) -> tensor<4x64x16xf32>
  %k0 = stablehlo.dot_general %x, %wk, contracting_dims = [1] x [0] : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %kb = stablehlo.broadcast_in_dim %bk, dims = [1] : (tensor<64xf32>) -> tensor<64x64xf32>
  %k1 = stablehlo.add %kb, %k0 : tensor<64x64xf32>
  %k2 = stablehlo.reshape %k1 : (tensor<64x64xf32>) -> tensor<1x64x4x16xf32>
  %k3 = stablehlo.transpose %k2, dims = [0, 2, 1, 3] : (tensor<1x64x4x16xf32>) -> tensor<1x4x64x16xf32>
  %k4 = stablehlo.transpose %k3, dims = [0, 1, 3, 2] : (tensor<1x4x64x16xf32>) -> tensor<1x4x16x64xf32>
  %k5 = stablehlo.multiply %k4, %sk : tensor<1x4x16x64xf32>
  %k6 = stablehlo.reshape %k5 : (tensor<1x4x16x64xf32>) -> tensor<4x16x64xf32>
  %a = stablehlo.dot_general %q5, %k6, batching_dims = [0] x [0], contracting_dims = [2] x [1] : (tensor<4x64x16xf32>, tensor<4x16x64xf32>) -> tensor<4x64x64xf32>
  return %a : tensor<4x64x64xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "onednn.matmul+bias+scale"),
            2)
      << absl::StrJoin(kinds, ",");
  EXPECT_THAT(kinds, Not(Contains(HasSubstr("transpose"))))
      << absl::StrJoin(kinds, ",");
  EXPECT_THAT(kinds, Not(Contains(HasSubstr("multiply"))))
      << absl::StrJoin(kinds, ",");
}

// The scale stays where it is when the transposed value has another user
// (hoisting it would scale that user's input too), and a second splat
// factor is not folded into the first one's post-op (two roundings).
TEST(ProgramTest, ScaleIsNotHoistedPastSharedValues) {
  const std::string text = R"(
func.func @main(%x: tensor<64x64xf32>, %w: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  %s = stablehlo.constant dense<0.5> : tensor<64x64xf32>
  %t = stablehlo.constant dense<3.0> : tensor<64x64xf32>
  %y = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %yt = stablehlo.transpose %y, dims = [1, 0] : (tensor<64x64xf32>) -> tensor<64x64xf32>
  %a = stablehlo.multiply %yt, %s : tensor<64x64xf32>
  %b = stablehlo.multiply %y, %t : tensor<64x64xf32>
  return %a, %b : tensor<64x64xf32>, tensor<64x64xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text);
  EXPECT_THAT(kinds, Contains("onednn.matmul")) << absl::StrJoin(kinds, ",");
  EXPECT_THAT(kinds, Not(Contains(HasSubstr("+scale"))))
      << absl::StrJoin(kinds, ",");

  const std::string twice = R"(
func.func @main(%x: tensor<64x64xf32>, %w: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %s = stablehlo.constant dense<0.3> : tensor<64x64xf32>
  %t = stablehlo.constant dense<7.0> : tensor<64x64xf32>
  %y = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %a = stablehlo.multiply %y, %s : tensor<64x64xf32>
  %b = stablehlo.multiply %t, %a : tensor<64x64xf32>
  return %b : tensor<64x64xf32>
})";
  kinds = ExpectMatchesInterpreter(twice, {}, 1e-6);
  EXPECT_THAT(kinds, Contains("onednn.matmul+scale"))
      << absl::StrJoin(kinds, ",");
  EXPECT_THAT(kinds, Contains(HasSubstr("multiply")))
      << absl::StrJoin(kinds, ",");
}

TEST(ProgramTest, ConvolutionFoldsBatchNormResidualAndRelu) {
  // Inference batch norm after a convolution with constant weights, then
  // a residual add and relu: all of it runs inside one oneDNN primitive.
  const std::string text = R"(
func.func @main(%x: tensor<1x8x8x16xf32>, %r: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %w = stablehlo.constant dense<0.03125> : tensor<3x3x16x32xf32>
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x16xf32>, tensor<3x3x16x32xf32>) -> tensor<1x8x8x32xf32>
  %mean = stablehlo.constant dense<0.25> : tensor<32xf32>
  %var = stablehlo.constant dense<4.0> : tensor<32xf32>
  %m = stablehlo.broadcast_in_dim %mean, dims = [3] : (tensor<32xf32>) -> tensor<1x8x8x32xf32>
  %1 = stablehlo.subtract %0, %m : tensor<1x8x8x32xf32>
  %s = stablehlo.rsqrt %var : tensor<32xf32>
  %sb = stablehlo.broadcast_in_dim %s, dims = [3] : (tensor<32xf32>) -> tensor<1x8x8x32xf32>
  %2 = stablehlo.multiply %1, %sb : tensor<1x8x8x32xf32>
  %3 = stablehlo.add %2, %r : tensor<1x8x8x32xf32>
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %z = stablehlo.broadcast_in_dim %zero, dims = [] : (tensor<f32>) -> tensor<1x8x8x32xf32>
  %4 = stablehlo.maximum %3, %z : tensor<1x8x8x32xf32>
  return %4 : tensor<1x8x8x32xf32>
})";
  ProgramOptions options;
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text, options);
  EXPECT_THAT(kinds, Contains("onednn.convolution+bias+residual+relu"))
      << absl::StrJoin(kinds, ",");
}

// A residual computed earlier whose last reader is the fused add: the
// convolution writes its result over it (sum post-op). Not when another
// reader runs later, the convolution reads it itself, or a fused loop that
// runs after the convolution reads it.
TEST(ProgramTest, ResidualThatDiesAtTheAddIsOverwrittenInPlace) {
  auto program = [](const std::string& after) {
    return absl::StrCat(R"(
func.func @main(%x: tensor<1x8x8x32xf32>, %y: tensor<1x8x8x32xf32>) -> (tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>) {
  %w = stablehlo.constant dense<0.0125> : tensor<1x1x32x32xf32>
  %r = stablehlo.multiply %x, %y : tensor<1x8x8x32xf32>
  %c = stablehlo.convolution(%y, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x32xf32>, tensor<1x1x32x32xf32>) -> tensor<1x8x8x32xf32>
  %s = stablehlo.add %c, %r : tensor<1x8x8x32xf32>
)",
                        after, "}");
  };
  // %r dies at the add.
  std::vector<std::string> kinds = ExpectMatchesInterpreter(
      program("  %t = stablehlo.negate %s : tensor<1x8x8x32xf32>\n"
              "  return %s, %t : tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>\n"),
      {}, 1e-5);
  EXPECT_THAT(kinds, Contains(HasSubstr("[residual_in_place]")))
      << absl::StrJoin(kinds, ",");
  // %r is read again afterwards: by a later op, and as a result.
  for (const char* after :
       {"  %t = stablehlo.subtract %s, %r : tensor<1x8x8x32xf32>\n"
        "  %u = stablehlo.exponential %t : tensor<1x8x8x32xf32>\n"
        "  return %s, %u : tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>\n",
        "  return %s, %r : tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>\n"}) {
    kinds = ExpectMatchesInterpreter(program(after), {}, 1e-5);
    EXPECT_THAT(kinds, Contains(HasSubstr("+residual")))
        << absl::StrJoin(kinds, ",");
    EXPECT_THAT(kinds, Not(Contains(HasSubstr("[residual_in_place]"))))
        << absl::StrJoin(kinds, ",");
  }
  // The convolution reads the residual itself.
  const std::string self = R"(
func.func @main(%x: tensor<1x8x8x32xf32>, %y: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %w = stablehlo.constant dense<0.0125> : tensor<1x1x32x32xf32>
  %r = stablehlo.multiply %x, %y : tensor<1x8x8x32xf32>
  %c = stablehlo.convolution(%r, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x32xf32>, tensor<1x1x32x32xf32>) -> tensor<1x8x8x32xf32>
  %s = stablehlo.add %c, %r : tensor<1x8x8x32xf32>
  return %s : tensor<1x8x8x32xf32>
})";
  kinds = ExpectMatchesInterpreter(self, {}, 1e-5);
  EXPECT_THAT(kinds, Not(Contains(HasSubstr("[residual_in_place]"))))
      << absl::StrJoin(kinds, ",");
}

// Whether the CPU has every feature of oneDNN's ISA level `isa` (the
// plugin asks oneDNN for a primitive and takes what it has; these say what
// it must have found).
bool CpuHas(dnnl::cpu_isa isa) {
  const unsigned want = static_cast<unsigned>(isa);
  return (static_cast<unsigned>(dnnl::get_effective_cpu_isa()) & want) ==
         want;
}

TEST(ProgramTest, Bf16ConvolutionConvertsSourceAndWeights) {
  // matmul_precision=bf16: the same fused convolution in bf16 with f32
  // accumulation (bf16 keeps 8 bits of mantissa: ~1e-2 relative).
  const std::string text = R"(
func.func @main(%x: tensor<1x8x8x16xf32>, %r: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %w = stablehlo.constant dense<0.0333> : tensor<3x3x16x32xf32>
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x16xf32>, tensor<3x3x16x32xf32>) -> tensor<1x8x8x32xf32>
  %1 = stablehlo.add %0, %r : tensor<1x8x8x32xf32>
  return %1 : tensor<1x8x8x32xf32>
})";
  ProgramOptions options;
  options.matmul_precision = MatmulPrecision::kBf16;
  std::vector<std::string> kinds =
      ExpectMatchesInterpreter(text, options, /*tolerance=*/2e-2);
  // Without a bf16 convolution (no AVX-512 BF16) the plugin keeps f32 and
  // says so; with one it must use it.
  const bool bf16 = CpuHas(dnnl::cpu_isa::avx512_core_bf16);
  EXPECT_THAT(kinds, Contains(bf16 ? "onednn.convolution+residual[bf16]"
                                   : "onednn.convolution+residual"))
      << absl::StrJoin(kinds, ",");
  // With bf16 the result is not the f32 one (0.0333 is not representable
  // in bf16); without, it is the f32 one bit for bit.
  auto f32 = Program::Compile(text, {});
  auto b16 = Program::Compile(text, options);
  ASSERT_TRUE(f32.ok() && b16.ok());
  std::vector<ir::Literal> in = Inputs(**f32);
  std::vector<ir::Literal> a = RunProgram(**f32, in);
  std::vector<ir::Literal> b = RunProgram(**b16, in);
  EXPECT_EQ(
      std::memcmp(a[0].untyped_data(), b[0].untyped_data(), a[0].byte_size()) !=
          0,
      bf16);
}

// A 3x3 stride-1 convolution with a constant bias and relu over an
// HxWx`channels` input, constant varied weights (so Winograd's weight transform
// is exercised), optionally adding a residual input.
std::string Conv3x3Program(int hw, int channels, bool residual) {
  const std::string act =
      absl::StrCat("tensor<1x", hw, "x", hw, "x", channels, "xf32>");
  std::vector<std::string> weights;
  for (int i = 0; i < 9 * channels * channels; ++i) {
    weights.push_back(absl::StrCat((i * 37 % 101 - 50) / 400.0));
  }
  std::string text = absl::StrCat(
      "func.func @main(%x: ", act, residual ? ", %r: " + act : "", ") -> ", act,
      " {\n", "  %b = stablehlo.constant dense<0.0625> : tensor<", channels,
      "xf32>\n", "  %w = stablehlo.constant dense<[",
      absl::StrJoin(weights, ", "), "]> : tensor<", 9 * channels * channels,
      "xf32>\n", "  %k = stablehlo.reshape %w : (tensor<",
      9 * channels * channels, "xf32>) -> tensor<3x3x", channels, "x", channels,
      "xf32>\n",
      "  %0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, "
      "i, o]->[b, 0, 1, f], window = {pad = [[1, 1], [1, 1]]} "
      "{batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (",
      act, ", tensor<3x3x", channels, "x", channels, "xf32>) -> ", act, "\n",
      "  %1 = stablehlo.broadcast_in_dim %b, dims = [3] : (tensor<", channels,
      "xf32>) -> ", act, "\n", "  %2 = stablehlo.add %0, %1 : ", act, "\n");
  std::string last = "%2";
  if (residual) {
    absl::StrAppend(&text, "  %3 = stablehlo.add %2, %r : ", act, "\n");
    last = "%3";
  }
  absl::StrAppend(&text, "  %z = stablehlo.constant dense<0.0> : ", act,
                  "\n  %4 = stablehlo.maximum ", last, ", %z : ", act,
                  "\n  return %4 : ", act, "\n}\n");
  return text;
}

TEST(ProgramTest, WinogradForLarge3x3Convolutions) {
  // 14x14 outputs with 16-channel multiples take Winograd (F(2x2, 3x3) in
  // f32: a few ulps from the direct sum); cpu.convolution_algorithm=direct
  // (kDirect) turns it off.
  // oneDNN has Winograd only for AVX-512 CPUs; elsewhere the direct
  // convolution runs and is named so.
  const std::string text = Conv3x3Program(14, 32, /*residual=*/false);
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text, {}, 1e-5);
  EXPECT_THAT(kinds, Contains(CpuHas(dnnl::cpu_isa::avx512_core)
                                  ? "onednn.convolution+bias+relu[winograd]"
                                  : "onednn.convolution+bias+relu"))
      << absl::StrJoin(kinds, ",");
  ProgramOptions direct;
  direct.convolution_algorithm = ConvolutionAlgorithm::kDirect;
  kinds = ExpectMatchesInterpreter(text, direct, 1e-5);
  EXPECT_THAT(kinds, Contains("onednn.convolution+bias+relu"))
      << absl::StrJoin(kinds, ",");
}

TEST(ProgramTest, WinogradIsNotUsedWhereItDoesNotPay) {
  struct Case {
    int hw, channels;
    bool residual;
  };
  // Small outputs (the weights dominate), channels that are not 16-channel
  // multiples, and a fused residual.
  for (const Case& c :
       {Case{7, 32, false}, Case{14, 24, false}, Case{14, 32, true}}) {
    SCOPED_TRACE(absl::StrCat(c.hw, "x", c.hw, "x", c.channels,
                              c.residual ? "+residual" : ""));
    std::vector<std::string> kinds = ExpectMatchesInterpreter(
        Conv3x3Program(c.hw, c.channels, c.residual), {}, 1e-5);
    EXPECT_THAT(kinds, Not(Contains(HasSubstr("winograd"))))
        << absl::StrJoin(kinds, ",");
    EXPECT_THAT(kinds, Contains(HasSubstr("onednn.convolution")))
        << absl::StrJoin(kinds, ",");
  }
}

TEST(ProgramTest, ConvolutionFoldsFlaxStyleBatchNorm) {
  // The shape of Flax's inference batch norm: per-channel parameters
  // reshaped to 1x1x1xC, combined, then broadcast to the activation.
  const std::string text = R"(
func.func @main(%x: tensor<1x8x8x16xf32>) -> tensor<1x8x8x32xf32> {
  %w = stablehlo.constant dense<0.03125> : tensor<1x1x16x32xf32>
  %mean = stablehlo.constant dense<0.25> : tensor<32xf32>
  %var = stablehlo.constant dense<4.0> : tensor<32xf32>
  %gamma = stablehlo.constant dense<1.5> : tensor<32xf32>
  %beta = stablehlo.constant dense<0.125> : tensor<32xf32>
  %eps = stablehlo.constant dense<1.0e-5> : tensor<f32>
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x16xf32>, tensor<1x1x16x32xf32>) -> tensor<1x8x8x32xf32>
  %2 = stablehlo.broadcast_in_dim %mean, dims = [3] : (tensor<32xf32>) -> tensor<1x1x1x32xf32>
  %3 = stablehlo.broadcast_in_dim %var, dims = [3] : (tensor<32xf32>) -> tensor<1x1x1x32xf32>
  %4 = stablehlo.broadcast_in_dim %2, dims = [0, 1, 2, 3] : (tensor<1x1x1x32xf32>) -> tensor<1x8x8x32xf32>
  %5 = stablehlo.subtract %0, %4 : tensor<1x8x8x32xf32>
  %6 = stablehlo.broadcast_in_dim %eps, dims = [] : (tensor<f32>) -> tensor<1x1x1x32xf32>
  %7 = stablehlo.add %3, %6 : tensor<1x1x1x32xf32>
  %8 = stablehlo.rsqrt %7 : tensor<1x1x1x32xf32>
  %9 = stablehlo.reshape %gamma : (tensor<32xf32>) -> tensor<1x1x1x32xf32>
  %10 = stablehlo.multiply %8, %9 : tensor<1x1x1x32xf32>
  %11 = stablehlo.broadcast_in_dim %10, dims = [0, 1, 2, 3] : (tensor<1x1x1x32xf32>) -> tensor<1x8x8x32xf32>
  %12 = stablehlo.multiply %5, %11 : tensor<1x8x8x32xf32>
  %13 = stablehlo.reshape %beta : (tensor<32xf32>) -> tensor<1x1x1x32xf32>
  %14 = stablehlo.broadcast_in_dim %13, dims = [0, 1, 2, 3] : (tensor<1x1x1x32xf32>) -> tensor<1x8x8x32xf32>
  %15 = stablehlo.add %12, %14 : tensor<1x8x8x32xf32>
  return %15 : tensor<1x8x8x32xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text);
  EXPECT_THAT(kinds, Contains("onednn.convolution+bias"));
  EXPECT_EQ(kinds.size(), 1u) << absl::StrJoin(kinds, ",");
}

TEST(ProgramTest, ConvolutionLayoutsGroupsAndStrides) {
  const std::string text = R"(
func.func @main(%x: tensor<2x16x9x9xf32>, %w: tensor<32x8x3x3xf32>) -> tensor<2x32x5x5xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1], window = {stride = [2, 2], pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 2 : i64} : (tensor<2x16x9x9xf32>, tensor<32x8x3x3xf32>) -> tensor<2x32x5x5xf32>
  return %0 : tensor<2x32x5x5xf32>
})";
  EXPECT_THAT(ExpectMatchesInterpreter(text), Contains("onednn.convolution"));
}

TEST(ProgramTest, MaxPoolReduceWindow) {
  const std::string text = R"(
func.func @main(%x: tensor<1x16x16x32xf32>) -> tensor<1x8x8x32xf32> {
  %init = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %0 = "stablehlo.reduce_window"(%x, %init) <{padding = dense<[[0, 0], [1, 1], [1, 1], [0, 0]]> : tensor<4x2xi64>, window_dimensions = array<i64: 1, 3, 3, 1>, window_strides = array<i64: 1, 2, 2, 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %m = stablehlo.maximum %a, %b : tensor<f32>
    stablehlo.return %m : tensor<f32>
  }) : (tensor<1x16x16x32xf32>, tensor<f32>) -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
})";
  EXPECT_THAT(ExpectMatchesInterpreter(text), Contains("onednn.max_pool"));
}

TEST(ProgramTest, LayoutAndElementwiseThunks) {
  const std::string text = R"(
func.func @main(%x: tensor<2x3x4xf32>, %y: tensor<4xf32>) -> (tensor<4x3x2xf32>, tensor<2x3x4xf32>) {
  %t = stablehlo.transpose %x, dims = [2, 1, 0] : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %b = stablehlo.broadcast_in_dim %y, dims = [2] : (tensor<4xf32>) -> tensor<2x3x4xf32>
  %s = stablehlo.subtract %x, %b : tensor<2x3x4xf32>
  %e = stablehlo.exponential %s : tensor<2x3x4xf32>
  return %t, %e : tensor<4x3x2xf32>, tensor<2x3x4xf32>
})";
  ProgramOptions unfused;
  unfused.optimization_level = 0;
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text, unfused);
  EXPECT_THAT(kinds, Contains("transpose"));
  EXPECT_THAT(kinds, Contains("broadcast_in_dim"));
  // Optimised, the broadcast is read in place by the fused loop.
  EXPECT_THAT(ExpectMatchesInterpreter(text),
              Contains("loop_fusion(subtract,exponential)"));
}

// Copies large enough to be split over threads: a tiled NCHW -> NHWC
// transpose (3 channels, rows split into blocks), a permutation walked by
// outer index with a strided inner row, and a broadcast; the values are
// copies, so they must match exactly.
TEST(ProgramTest, LargeLayoutCopiesSplitOverThreads) {
  const std::string text = R"(
func.func @main(%x: tensor<1x3x150x224xf32>, %y: tensor<40x30x64xf32>, %z: tensor<300xf32>) -> (tensor<1x150x224x3xf32>, tensor<64x40x30xf32>, tensor<300x300xf32>) {
  %a = stablehlo.transpose %x, dims = [0, 2, 3, 1] : (tensor<1x3x150x224xf32>) -> tensor<1x150x224x3xf32>
  %b = stablehlo.transpose %y, dims = [2, 0, 1] : (tensor<40x30x64xf32>) -> tensor<64x40x30xf32>
  %c = stablehlo.broadcast_in_dim %z, dims = [0] : (tensor<300xf32>) -> tensor<300x300xf32>
  return %a, %b, %c : tensor<1x150x224x3xf32>, tensor<64x40x30xf32>, tensor<300x300xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text, {}, 0.0);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "transpose"), 2)
      << absl::StrJoin(kinds, ",");
  EXPECT_THAT(kinds, Contains("broadcast_in_dim")) << absl::StrJoin(kinds, ",");
}

TEST(ProgramTest, LivenessReusesTemporaries) {
  // A chain of 8 element-wise ops on 64 KiB tensors needs two live
  // temporaries at a time, not eight.
  std::string text =
      "func.func @main(%x: tensor<16384xf32>) -> tensor<16384xf32> {\n"
      "  %v0 = stablehlo.exponential %x : tensor<16384xf32>\n";
  for (int i = 1; i < 8; ++i) {
    text += "  %v" + std::to_string(i) + " = stablehlo.negate %v" +
            std::to_string(i - 1) + " : tensor<16384xf32>\n";
  }
  text += "  return %v7 : tensor<16384xf32>\n}\n";
  ProgramOptions options;
  options.optimization_level = 0;
  auto program = Program::Compile(text, options);
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_EQ((*program)->unshared_temp_bytes(), 7 * 65536);
  EXPECT_EQ((*program)->temp_bytes(), 2 * 65536);
  ExpectMatchesInterpreter(text, options);
}

TEST(ProgramTest, ControlFlowRunsThroughGenericThunks) {
  const std::string text = R"(
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = stablehlo.constant dense<0> : tensor<i32>
  %r:2 = stablehlo.while(%i = %c0, %v = %x) : tensor<i32>, tensor<4xf32>
   cond {
    %n = stablehlo.constant dense<3> : tensor<i32>
    %p = stablehlo.compare LT, %i, %n : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %p : tensor<i1>
  } do {
    %one = stablehlo.constant dense<1> : tensor<i32>
    %j = stablehlo.add %i, %one : tensor<i32>
    %w = stablehlo.add %v, %v : tensor<4xf32>
    stablehlo.return %j, %w : tensor<i32>, tensor<4xf32>
  }
  return %r#1 : tensor<4xf32>
})";
  EXPECT_THAT(ExpectMatchesInterpreter(text),
              Contains(HasSubstr("generic(stablehlo.while)")));
}

TEST(ProgramTest, CollectivesFallBackToTheInterpreter) {
  const std::string text = R"(
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.all_reduce"(%x) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
})";
  auto program = Program::Compile(text, {});
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_TRUE((*program)->interpreted());
  EXPECT_THAT((*program)->fallback_reason(), HasSubstr("all_reduce"));
  ProgramOptions strict;
  strict.allow_interpreter_fallback = false;
  EXPECT_FALSE(Program::Compile(text, strict).ok());
}

TEST(ProgramTest, BadProgramsGiveErrors) {
  EXPECT_FALSE(Program::Compile("func.func @main(", {}).ok());
  auto p = Program::Compile("func.func @other() -> () { return }", {});
  EXPECT_FALSE(p.ok());
}

TEST(ProgramTest, ResidualComputedOnlyForTheFusedAddIsKept) {
  // %r's only user is the add that the matmul absorbs: %r must still be
  // computed (it once was dropped as dead, and compiling threw).
  const std::string text = R"(
func.func @main(%x: tensor<64x128xf32>, %w: tensor<128x64xf32>, %y: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = stablehlo.negate %y : tensor<64x64xf32>
  %0 = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<64x64xf32>
  %1 = stablehlo.add %0, %r : tensor<64x64xf32>
  %z = stablehlo.constant dense<0.0> : tensor<64x64xf32>
  %2 = stablehlo.maximum %1, %z : tensor<64x64xf32>
  return %2 : tensor<64x64xf32>
})";
  std::vector<std::string> kinds = ExpectMatchesInterpreter(text);
  EXPECT_THAT(kinds, Contains(HasSubstr("residual")));
  EXPECT_THAT(kinds, Contains("unary(stablehlo.negate)"));
}

TEST(ProgramTest, UnknownCustomCallsAreRejectedAtCompileTime) {
  const std::string text = R"(
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.custom_call @my_kernel(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
})";
  auto program = Program::Compile(text, {});
  ASSERT_FALSE(program.ok());
  EXPECT_EQ(program.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(program.status().message(), HasSubstr("my_kernel"));
}

TEST(ProgramTest, DonatedParametersAndResultReuse) {
  // %a is read for the last time by the add that writes the result (in
  // place is fine); %b is read again by the multiply after the first result
  // is written; %c has another size.
  const std::string text = R"(
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<2xf32>)
    -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.add %a, %b : tensor<4xf32>
  %1 = stablehlo.multiply %0, %b : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
})";
  ProgramOptions options;
  options.donated_parameters = {0, 2};
  auto program = Program::Compile(text, options);
  ASSERT_TRUE(program.ok()) << program.status();
  const Program& p = **program;
  EXPECT_THAT(p.donatable_parameters(),
              ::testing::ElementsAre(true, false, true));
  EXPECT_TRUE(p.CanWriteResultOver(0, 0));
  EXPECT_FALSE(p.CanWriteResultOver(0, 1));  // %b is read after.
  EXPECT_TRUE(p.CanWriteResultOver(1, 1));   // In place, last use.
  EXPECT_FALSE(p.CanWriteResultOver(0, 2));  // Size differs.
  EXPECT_FALSE(p.CanWriteResultOver(2, 0));  // No such result.
  // Run with result 0 written over parameter 0 and result 1 over
  // parameter 1: the values are those of separate buffers.
  std::vector<float> a = {1, 2, 3, 4}, b = {10, 20, 30, 40}, c = {0, 0};
  std::vector<const void*> args = {a.data(), b.data(), c.data()};
  std::vector<void*> results = {a.data(), b.data()};
  ASSERT_TRUE(p.Run(args, results, 0).ok());
  EXPECT_THAT(a, ::testing::ElementsAre(11, 22, 33, 44));
  EXPECT_THAT(b, ::testing::ElementsAre(110, 440, 990, 1760));

  options.donated_parameters = {3};
  EXPECT_EQ(Program::Compile(text, options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ProgramTest, PassedThroughParameterIsNeverReused) {
  const std::string text = R"(
func.func @main(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.negate %a : tensor<4xf32>
  return %0, %a : tensor<4xf32>, tensor<4xf32>
})";
  ProgramOptions options;
  options.donated_parameters = {0};
  auto program = Program::Compile(text, options);
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_FALSE((*program)->CanWriteResultOver(0, 0));
  EXPECT_FALSE((*program)->CanWriteResultOver(1, 0));
}

}  // namespace
}  // namespace backplane::cpu
