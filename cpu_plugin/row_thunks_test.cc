// Tests of the row gather (gather_thunk.h), row reduce and window reduce
// (reduce_thunk.h) and layout (layout_thunks.h) thunks: chosen for their
// patterns only, and bit-identical to the reference interpreter (clamped
// indices, NaNs, short and long rows).
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
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
        Case{"maximum", "0xFF800000", "2", "3x5", 0},
        Case{"minimum", "0.0", "2", "3x5", 0},
        Case{"multiply", "1.0", "2", "3x5", 0}}) {
    SCOPED_TRACE(c.body);
    std::vector<ir::Literal> in;
    in.push_back(F32({3, 5, 37}, c.nan_every));
    EXPECT_THAT(
        ExpectIdentical(ReduceProgram(c.body, c.init, c.dims, c.out), in),
        Contains("row_reduce"));
  }
}

// Rows of 11 (short rows, one element at a time) and 40 (16 lanes and a
// tail): -0 and +0 compare equal, and the result is +0 for maximum, -0 for
// minimum, wherever the zeros are.
TEST(RowReduceTest, SignedZerosFollowElementwiseMaximumAndMinimum) {
  for (const char* body : {"maximum", "minimum"}) {
    for (int n : {11, 40}) {
      SCOPED_TRACE(absl::StrCat(body, " n=", n));
      const std::string type = absl::StrCat("tensor<2x", n, "xf32>");
      const std::string text = absl::StrCat(
          "func.func @main(%x: ", type, ") -> tensor<2xf32> {\n",
          "  %i = stablehlo.constant dense<",
          std::string(body) == "maximum" ? "0xFF800000" : "0x7F800000",
          "> : tensor<f32>\n",
          "  %0 = stablehlo.reduce(%x init: %i) applies stablehlo.", body,
          " across dimensions = [1] : (", type,
          ", tensor<f32>) -> tensor<2xf32>\n",
          "  return %0 : tensor<2xf32>\n}");
      ProgramOptions options;
      options.allow_interpreter_fallback = false;
      auto program = Program::Compile(text, options);
      ASSERT_TRUE(program.ok()) << program.status();
      EXPECT_THAT((*program)->ThunkKinds(), Contains("row_reduce"));
      // Row 0: -0/+0 alternating; row 1: all -0 except one +0 at the end.
      std::vector<float> x(2 * n, -0.0f);
      for (int i = 1; i < n; i += 2) x[i] = 0.0f;
      x[2 * n - 1] = 0.0f;
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
}

TEST(RowReduceTest, PredicateAnyAndAll) {
  for (const char* body : {"or", "and"}) {
    for (const char* init : {"true", "false"}) {
      SCOPED_TRACE(absl::StrCat(body, " init ", init));
      const std::string text = absl::StrCat(
          R"(
func.func @main(%x: tensor<4x3x5xf32>) -> tensor<4x3xi1> {
  %z = stablehlo.constant dense<0.0> : tensor<4x3x5xf32>
  %p = stablehlo.compare GT, %x, %z : (tensor<4x3x5xf32>, tensor<4x3x5xf32>) -> tensor<4x3x5xi1>
  %i = stablehlo.constant dense<)",
          init, R"(> : tensor<i1>
  %0 = stablehlo.reduce(%p init: %i) applies stablehlo.)",
          body,
          R"( across dimensions = [2] : (tensor<4x3x5xi1>, tensor<i1>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
})");
      // Rows of all-positive, all-negative and mixed values.
      ir::Literal x = F32({4, 3, 5});
      float* f = x.data<float>().data();
      for (int i = 0; i < 5; ++i) {
        f[i] = 1.0f;
        f[5 + i] = -1.0f;
      }
      std::vector<ir::Literal> in;
      in.push_back(std::move(x));
      EXPECT_THAT(ExpectIdentical(text, in), Contains("row_reduce"));
    }
  }
}

TEST(RowReduceTest, LeadingDimensionsUseTheGenericReduce) {
  std::vector<ir::Literal> in;
  in.push_back(F32({3, 5, 37}));
  EXPECT_THAT(ExpectIdentical(ReduceProgram("add", "0.0", "0", "5x37"), in),
              Not(Contains("row_reduce")));
}

std::string WindowProgram(const std::string& in, const std::string& out,
                          const std::string& body, const std::string& init,
                          const std::string& attrs) {
  return R"(
func.func @main(%x: tensor<)" +
         in + R"(xf32>) -> tensor<)" + out + R"(xf32> {
  %init = stablehlo.constant dense<)" +
         init + R"(> : tensor<f32>
  %0 = "stablehlo.reduce_window"(%x, %init) <{)" +
         attrs + R"(}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %r = stablehlo.)" +
         body + R"( %a, %b : tensor<f32>
    stablehlo.return %r : tensor<f32>
  }) : (tensor<)" +
         in + R"(xf32>, tensor<f32>) -> tensor<)" + out + R"(xf32>
  return %0 : tensor<)" +
         out + R"(xf32>
})";
}

TEST(WindowReduceTest, GeometriesBodiesAndPaddingMatchTheInterpreter) {
  struct Case {
    const char* name;
    std::vector<int64_t> in_dims;
    const char* in;
    const char* out;
    const char* body;
    const char* init;
    const char* attrs;
    int nan_every;
  };
  const Case cases[] = {
      // ResNet's global sum pool; more lanes than one accumulator chunk.
      {"global_sum_nhwc",
       {1, 7, 7, 300},
       "1x7x7x300",
       "1x1x1x300",
       "add",
       "0.0",
       "window_dimensions = array<i64: 1, 7, 7, 1>",
       0},
      // Padding folds in the init value (0.5 per padded position).
      {"padded_strided_sum",
       {2, 9, 8, 5},
       "2x9x8x5",
       "2x5x4x5",
       "add",
       "0.5",
       "window_dimensions = array<i64: 1, 3, 3, 1>, window_strides = "
       "array<i64: 1, 2, 2, 1>, padding = dense<[[0, 0], [1, 1], [1, 0], [0, "
       "0]]> : tensor<4x2xi64>",
       0},
      // The innermost dimension is windowed: one lane per output.
      {"windowed_innermost_max",
       {3, 20},
       "3x20",
       "3x9",
       "maximum",
       "0xFF800000",
       "window_dimensions = array<i64: 1, 4>, window_strides = array<i64: 1, "
       "2>, padding = dense<[[0, 0], [0, 1]]> : tensor<2x2xi64>",
       7},
      {"dilated_min_with_nans",
       {4, 11, 6},
       "4x11x6",
       "4x3x6",
       "minimum",
       "0x7F800000",
       "window_dimensions = array<i64: 1, 3, 1>, window_strides = array<i64: "
       "1, 3, 1>, window_dilations = array<i64: 1, 2, 1>",
       13},
      {"product",
       {5, 6},
       "5x6",
       "4x6",
       "multiply",
       "1.0",
       "window_dimensions = array<i64: 2, 1>",
       0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<ir::Literal> in;
    in.push_back(F32(c.in_dims, c.nan_every));
    EXPECT_THAT(ExpectIdentical(
                    WindowProgram(c.in, c.out, c.body, c.init, c.attrs), in),
                Contains("window_reduce"));
  }
}

TEST(WindowReduceTest, BaseDilationUsesTheGenericKernel) {
  std::vector<ir::Literal> in;
  in.push_back(F32({2, 5}));
  EXPECT_THAT(
      ExpectIdentical(WindowProgram("2x5", "2x8", "add", "0.0",
                                    "window_dimensions = array<i64: 1, 2>, "
                                    "base_dilations = array<i64: 1, 2>"),
                      in),
      Not(Contains("window_reduce")));
}

ir::Literal Iota(ir::ElementType type, std::vector<int64_t> dims) {
  ir::Literal l(ir::TensorType(type, std::move(dims)));
  uint8_t* bytes = l.untyped_data();
  for (int64_t i = 0; i < l.byte_size(); ++i) {
    bytes[i] = static_cast<uint8_t>(i * 7 + i / 251);
  }
  return l;
}

TEST(LayoutThunkTest, TransposesAndBroadcastsMatchTheInterpreter) {
  struct Case {
    const char* name;
    ir::ElementType type;
    const char* type_name;
    std::vector<int64_t> in_dims;
    const char* op;
  };
  // Tiles of 16 with ragged edges, merged dimensions (NCHW<->NHWC), unit
  // dimensions, 1- to 8-byte elements and broadcasts.
  const Case cases[] = {
      {"nchw_to_nhwc",
       ir::ElementType::kF32,
       "f32",
       {1, 3, 17, 19},
       "stablehlo.transpose %x, dims = [0, 2, 3, 1] : (tensor<1x3x17x19xf32>) "
       "-> tensor<1x17x19x3xf32>"},
      {"nhwc_to_nchw",
       ir::ElementType::kF32,
       "f32",
       {2, 5, 7, 40},
       "stablehlo.transpose %x, dims = [0, 3, 1, 2] : (tensor<2x5x7x40xf32>) "
       "-> tensor<2x40x5x7xf32>"},
      {"reverse_3d_i8",
       ir::ElementType::kS8,
       "i8",
       {33, 2, 18},
       "stablehlo.transpose %x, dims = [2, 1, 0] : (tensor<33x2x18xi8>) -> "
       "tensor<18x2x33xi8>"},
      {"heads_bf16",
       ir::ElementType::kBF16,
       "bf16",
       {1, 9, 4, 20},
       "stablehlo.transpose %x, dims = [0, 2, 1, 3] : (tensor<1x9x4x20xbf16>) "
       "-> tensor<1x4x9x20xbf16>"},
      {"matrix_f64",
       ir::ElementType::kF64,
       "f64",
       {31, 45},
       "stablehlo.transpose %x, dims = [1, 0] : (tensor<31x45xf64>) -> "
       "tensor<45x31xf64>"},
      {"broadcast_middle",
       ir::ElementType::kF32,
       "f32",
       {6, 1},
       "stablehlo.broadcast_in_dim %x, dims = [0, 2] : (tensor<6x1xf32>) -> "
       "tensor<6x5x3xf32>"},
      {"broadcast_transposed",
       ir::ElementType::kF32,
       "f32",
       {4, 18},
       "stablehlo.broadcast_in_dim %x, dims = [2, 0] : (tensor<4x18xf32>) -> "
       "tensor<18x3x4xf32>"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string in_type = "tensor<";
    for (int64_t d : c.in_dims) absl::StrAppend(&in_type, d, "x");
    absl::StrAppend(&in_type, c.type_name, ">");
    const std::string op = c.op;
    const std::string out_type = op.substr(op.rfind("-> ") + 3);
    const std::string text = "func.func @main(%x: " + in_type + ") -> " +
                             out_type + " {\n  %0 = " + op +
                             "\n  return %0 : " + out_type + "\n}";
    std::vector<ir::Literal> in;
    in.push_back(Iota(c.type, c.in_dims));
    const std::vector<std::string> kinds = ExpectIdentical(text, in);
    EXPECT_TRUE(absl::c_linear_search(kinds, "transpose") ||
                absl::c_linear_search(kinds, "broadcast_in_dim"))
        << absl::StrJoin(kinds, ",");
  }
}

}  // namespace
}  // namespace backplane::cpu
