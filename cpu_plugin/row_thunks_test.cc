// Tests of the row gather (gather_thunk.h) and row reduce (reduce_thunk.h)
// thunks: chosen for their patterns only, and bit-identical to the
// reference interpreter (clamped indices, NaNs, short and long rows).
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/parser/parser.h"
#include "cpu_plugin/program.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::cpu {
namespace {

using ::testing::Contains;
using ::testing::Not;

// Runs `text` on the plugin and the interpreter with `inputs`; returns the
// thunk kinds after checking the results are identical.
std::vector<std::string> ExpectIdentical(const std::string& text,
                                         const std::vector<ir::Literal>& in) {
  ProgramOptions options;
  options.allow_interpreter_fallback = false;
  auto program = Program::Compile(text, options);
  EXPECT_TRUE(program.ok()) << program.status();
  if (!program.ok()) return {};
  const Program& p = **program;
  std::vector<const void*> args;
  for (const auto& l : in) args.push_back(l.untyped_data());
  std::vector<ir::Literal> ours;
  for (const auto& t : p.result_types()) ours.emplace_back(t);
  std::vector<void*> results;
  for (auto& l : ours) results.push_back(l.untyped_data());
  absl::Status s = p.Run(args, results, 0);
  EXPECT_TRUE(s.ok()) << s;
  auto module = parser::ParseModule(text, {});
  auto interp = interpreter::Interpreter::Create(**module);
  EXPECT_TRUE(interp.ok()) << interp.status();
  auto ref = (*interp)->Run("main", in);
  EXPECT_TRUE(ref.ok()) << ref.status();
  if (!ref.ok()) return {};
  for (size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(std::memcmp(ours[i].untyped_data(), (*ref)[i].untyped_data(),
                          ours[i].byte_size()),
              0)
        << "result " << i;
  }
  return p.ThunkKinds();
}

ir::Literal F32(std::vector<int64_t> dims, int nan_every = 0) {
  ir::Literal l(ir::TensorType(ir::ElementType::kF32, std::move(dims)));
  int64_t i = 0;
  for (float& f : l.data<float>()) {
    f = std::sin(static_cast<float>(i) * 0.37f) * 3.0f;
    if (nan_every > 0 && i % nan_every == nan_every - 1) {
      f = std::numeric_limits<float>::quiet_NaN();
    }
    ++i;
  }
  return l;
}

TEST(RowGatherTest, EmbeddingLookupWithClampedIndices) {
  const std::string text = R"(
func.func @main(%table: tensor<10x6xf32>, %ids: tensor<1x5x1xi32>) -> tensor<1x5x6xf32> {
  %0 = "stablehlo.gather"(%table, %ids) <{dimension_numbers = #stablehlo.gather<offset_dims = [2], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 2>, slice_sizes = array<i64: 1, 6>}> : (tensor<10x6xf32>, tensor<1x5x1xi32>) -> tensor<1x5x6xf32>
  return %0 : tensor<1x5x6xf32>
})";
  std::vector<ir::Literal> in;
  in.push_back(F32({10, 6}));
  ir::Literal ids(ir::TensorType(ir::ElementType::kS32, {1, 5, 1}));
  const int32_t values[] = {3, 0, 9, -4, 12};  // The last two are clamped.
  std::memcpy(ids.untyped_data(), values, sizeof(values));
  in.push_back(std::move(ids));
  EXPECT_THAT(ExpectIdentical(text, in), Contains("row_gather"));
}

TEST(RowGatherTest, Int64IndicesWithoutIndexVectorDimension) {
  const std::string text = R"(
func.func @main(%table: tensor<4x2x3xf32>, %ids: tensor<3xi64>) -> tensor<3x2x3xf32> {
  %0 = "stablehlo.gather"(%table, %ids) <{dimension_numbers = #stablehlo.gather<offset_dims = [1, 2], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 2, 3>}> : (tensor<4x2x3xf32>, tensor<3xi64>) -> tensor<3x2x3xf32>
  return %0 : tensor<3x2x3xf32>
})";
  std::vector<ir::Literal> in;
  in.push_back(F32({4, 2, 3}));
  ir::Literal ids(ir::TensorType(ir::ElementType::kS64, {3}));
  const int64_t values[] = {2, 3, 1};
  std::memcpy(ids.untyped_data(), values, sizeof(values));
  in.push_back(std::move(ids));
  EXPECT_THAT(ExpectIdentical(text, in), Contains("row_gather"));
}

TEST(RowGatherTest, PartialSlicesUseTheGenericGather) {
  const std::string text = R"(
func.func @main(%table: tensor<10x6xf32>, %ids: tensor<2x1xi32>) -> tensor<2x3xf32> {
  %0 = "stablehlo.gather"(%table, %ids) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 3>}> : (tensor<10x6xf32>, tensor<2x1xi32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
})";
  std::vector<ir::Literal> in;
  in.push_back(F32({10, 6}));
  ir::Literal ids(ir::TensorType(ir::ElementType::kS32, {2, 1}));
  const int32_t values[] = {1, 7};
  std::memcpy(ids.untyped_data(), values, sizeof(values));
  in.push_back(std::move(ids));
  EXPECT_THAT(ExpectIdentical(text, in), Not(Contains("row_gather")));
}

std::string ReduceProgram(const std::string& body, const std::string& init,
                          const std::string& dims, const std::string& out) {
  return R"(
func.func @main(%x: tensor<3x5x37xf32>) -> tensor<)" +
         out + R"(xf32> {
  %init = stablehlo.constant dense<)" +
         init + R"(> : tensor<f32>
  %0 = stablehlo.reduce(%x init: %init) applies stablehlo.)" +
         body + " across dimensions = [" + dims +
         "] : (tensor<3x5x37xf32>, tensor<f32>) -> tensor<" + out +
         R"(xf32>
  return %0 : tensor<)" +
         out + R"(xf32>
})";
}

TEST(RowReduceTest, BodiesRowsAndNaNs) {
  struct Case {
    const char* body;
    const char* init;
    const char* dims;
    const char* out;
    int nan_every;
  };
  for (const Case& c :
       {Case{"add", "0.5", "2", "3x5", 0}, Case{"add", "0.0", "1, 2", "3", 0},
        Case{"maximum", "0xFF800000", "2", "3x5", 41},
        Case{"minimum", "0x7F800000", "2", "3x5", 53},
        Case{"multiply", "1.0", "2", "3x5", 0}}) {
    SCOPED_TRACE(c.body);
    std::vector<ir::Literal> in;
    in.push_back(F32({3, 5, 37}, c.nan_every));
    EXPECT_THAT(
        ExpectIdentical(ReduceProgram(c.body, c.init, c.dims, c.out), in),
        Contains("row_reduce"));
  }
}

TEST(RowReduceTest, SignedZerosFollowElementwiseMaximumAndMinimum) {
  for (const char* body : {"maximum", "minimum"}) {
    SCOPED_TRACE(body);
    const std::string text =
        std::string(R"(
func.func @main(%x: tensor<2x11xf32>) -> tensor<2xf32> {
  %init = stablehlo.constant dense<0x7FC00000> : tensor<f32>
  %i = stablehlo.constant dense<)") +
        (std::string(body) == "maximum" ? "0xFF800000" : "0x7F800000") +
        R"(> : tensor<f32>
  %0 = stablehlo.reduce(%x init: %i) applies stablehlo.)" +
        body +
        R"( across dimensions = [1] : (tensor<2x11xf32>, tensor<f32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
})";
    ProgramOptions options;
    options.allow_interpreter_fallback = false;
    auto program = Program::Compile(text, options);
    ASSERT_TRUE(program.ok()) << program.status();
    EXPECT_THAT((*program)->ThunkKinds(), Contains("row_reduce"));
    // Row 0: -0/+0 alternating (11 elements: the lanes and the tail);
    // row 1: all -0 except one +0 in the tail.
    std::vector<float> x(22, -0.0f);
    for (int i = 1; i < 11; i += 2) x[i] = 0.0f;
    x[21] = 0.0f;
    std::vector<float> out(2, 1.0f);
    std::vector<const void*> args = {x.data()};
    std::vector<void*> results = {out.data()};
    ASSERT_TRUE((*program)->Run(args, results, 0).ok());
    const bool max = std::string(body) == "maximum";
    for (int r = 0; r < 2; ++r) {
      EXPECT_EQ(out[r], 0.0f);
      EXPECT_EQ(std::signbit(out[r]), !max) << "row " << r;
    }
  }
}

TEST(RowReduceTest, LeadingDimensionsUseTheGenericReduce) {
  std::vector<ir::Literal> in;
  in.push_back(F32({3, 5, 37}));
  EXPECT_THAT(ExpectIdentical(ReduceProgram("add", "0.0", "0", "5x37"), in),
              Not(Contains("row_reduce")));
}

}  // namespace
}  // namespace backplane::cpu
