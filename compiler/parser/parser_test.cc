#include "compiler/parser/parser.h"

#include <cmath>
#include <complex>
#include <string>

#include "absl/strings/match.h"
#include "compiler/ir/float16.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/verifier.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::parser {
namespace {

using ir::ElementType;
using ir::Op;
using ir::OpCode;
using ::testing::HasSubstr;

std::unique_ptr<ir::Module> MustParse(const std::string& text) {
  ParseOptions options;
  options.filename = "t.mlir";
  auto m = ParseModule(text, options);
  EXPECT_TRUE(m.ok()) << m.status();
  if (!m.ok()) return nullptr;
  absl::Status v = ir::VerifyModule(**m);
  EXPECT_TRUE(v.ok()) << v;
  return std::move(*m);
}

std::string ParseError(const std::string& text) {
  ParseOptions options;
  options.filename = "t.mlir";
  auto m = ParseModule(text, options);
  EXPECT_FALSE(m.ok());
  return m.ok() ? "" : std::string(m.status().message());
}

// The first op of @main's body with the given code.
const Op* FindOp(const ir::Module& m, OpCode code) {
  const Op* found = nullptr;
  ir::Walk(m, [&](Op& op) {
    if (!found && op.code() == code) found = &op;
  });
  return found;
}

TEST(ParserTest, ModuleWithAttributesAndFunctions) {
  auto m = MustParse(R"(
    // A comment.
    module @jit_f attributes {mhlo.num_partitions = 1 : i32, mhlo.flag} {
      func.func public @main(%arg0: tensor<2xf32> {mhlo.sharding = "{replicated}"}) -> (tensor<2xf32> {jax.result_info = ""}) {
        %0 = call @helper(%arg0) : (tensor<2xf32>) -> tensor<2xf32>
        return %0 : tensor<2xf32>
      }
      func.func private @helper(%x: tensor<2xf32>) -> tensor<2xf32> {
        func.return %x : tensor<2xf32>
      }
    })");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->name(), "jit_f");
  const ir::Attribute* parts = m->attributes().Get("mhlo.num_partitions");
  ASSERT_NE(parts, nullptr);
  EXPECT_EQ(parts->int_value(), 1);
  EXPECT_EQ(parts->int_type(), ElementType::kS32);
  EXPECT_EQ(m->attributes().Get("mhlo.flag")->kind(),
            ir::Attribute::Kind::kUnit);
  ir::Function* main = m->LookupFunction("main");
  ASSERT_NE(main, nullptr);
  EXPECT_TRUE(main->is_public());
  EXPECT_FALSE(m->LookupFunction("helper")->is_public());
  EXPECT_EQ(main->arg_attrs()[0].Get("mhlo.sharding")->string_value(),
            "{replicated}");
  EXPECT_TRUE(main->result_attrs()[0].Has("jax.result_info"));
  const Op* call = FindOp(*m, OpCode::kFuncCall);
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(*ir::GetSymbol(*call, "callee"), "helper");
  EXPECT_EQ(call->location().line, 5);
  EXPECT_EQ(call->location().column, 9);
}

TEST(ParserTest, BareFileWithoutModule) {
  auto m = MustParse(R"(
    func.func @main() {
      %0 = stablehlo.constant dense<[1, 2]> : tensor<2xi64>
      check.expect_eq_const %0, dense<[1, 2]> : tensor<2xi64>
      func.return
    })");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->name(), "");
  EXPECT_TRUE(m->LookupFunction("main")->is_public());
  const Op* check = FindOp(*m, OpCode::kCheckExpectEqConst);
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->attr("value")->literal().GetAsInt64(1), 2);
}

TEST(ParserTest, ElementwiseAndCompareSelect) {
  auto m = MustParse(R"(
    func.func @main(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
      %0 = stablehlo.add %a, %b : tensor<3xf32>
      %1 = stablehlo.compare  GT, %0, %b,  FLOAT : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
      %2 = stablehlo.compare LT, %0, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
      %3 = stablehlo.select %1, %0, %b : tensor<3xi1>, tensor<3xf32>
      %4 = "stablehlo.multiply"(%3, %3) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
      %5 = stablehlo.negate %4 : (tensor<3xf32>) -> tensor<3xf32>
      return %5 : tensor<3xf32>
    })");
  ASSERT_NE(m, nullptr);
  const Op* cmp = FindOp(*m, OpCode::kCompare);
  EXPECT_EQ(*ir::GetComparisonDirection(*cmp), ir::ComparisonDirection::kGt);
  EXPECT_EQ(*ir::GetComparisonType(*cmp), ir::ComparisonType::kFloat);
  const Op* sel = FindOp(*m, OpCode::kSelect);
  EXPECT_EQ(sel->result(0)->type().ToString(), "tensor<3xf32>");
  EXPECT_EQ(sel->operand(0)->type().element_type(), ElementType::kPred);
}

TEST(ParserTest, MultiResultValuesAndTupleIndexing) {
  auto m = MustParse(R"(
    func.func @main(%a: tensor<f32>, %b: tensor<i32>) -> (tensor<f32>, tensor<i32>) {
      %0:2 = stablehlo.optimization_barrier %a, %b : tensor<f32>, tensor<i32>
      %r0, %r1 = stablehlo.optimization_barrier %0#0, %0#1 : tensor<f32>, tensor<i32>
      return %r0, %r1 : tensor<f32>, tensor<i32>
    })");
  ASSERT_NE(m, nullptr);
  const ir::Block* body = m->LookupFunction("main")->entry();
  const Op* second = std::next(body->ops().begin())->get();
  EXPECT_EQ(second->operand(1)->index(), 1);
  EXPECT_EQ(second->operand(1)->defining_op(), body->front());
}

TEST(ParserTest, PrettyOpsWithKeywordAttributes) {
  auto m = MustParse(R"(
    func.func @main(%x: tensor<2x3xf32>, %i: tensor<i64>) -> tensor<6x4xf32> {
      %0 = stablehlo.broadcast_in_dim %x, dims = [0, 1] : (tensor<2x3xf32>) -> tensor<2x3xf32>
      %1 = stablehlo.transpose %0, dims = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
      %2 = stablehlo.reshape %1 : (tensor<3x2xf32>) -> tensor<6xf32>
      %3 = stablehlo.iota dim = 0 : tensor<4xi32>
      %4 = stablehlo.slice %x [0:2, 1:3:2] : (tensor<2x3xf32>) -> tensor<2x1xf32>
      %5 = stablehlo.dynamic_slice %x, %i, %i, sizes = [1, 2] : (tensor<2x3xf32>, tensor<i64>, tensor<i64>) -> tensor<1x2xf32>
      %6 = stablehlo.concatenate %1, %1, dim = 0 : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<6x2xf32>
      %c = stablehlo.constant dense<0.0> : tensor<f32>
      %7 = stablehlo.pad %6, %c, low = [0, 1], high = [0, 1], interior = [0, 0] : (tensor<6x2xf32>, tensor<f32>) -> tensor<6x4xf32>
      %8 = stablehlo.reverse %7, dims = [0] : tensor<6x4xf32>
      %9 = stablehlo.reduce_precision %8, format = e5m10 : tensor<6x4xf32>
      return %9 : tensor<6x4xf32>
    })");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(*ir::GetI64Array(*FindOp(*m, OpCode::kTranspose), "permutation"),
            (std::vector<int64_t>{1, 0}));
  const Op* slice = FindOp(*m, OpCode::kSlice);
  EXPECT_EQ(*ir::GetI64Array(*slice, "strides"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(*ir::GetI64Array(*FindOp(*m, OpCode::kDynamicSlice), "slice_sizes"),
            (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(*ir::GetI64(*FindOp(*m, OpCode::kIota), "iota_dimension"), 0);
  EXPECT_EQ(*ir::GetI64(*FindOp(*m, OpCode::kConcatenate), "dimension"), 0);
  EXPECT_EQ(*ir::GetI64Array(*FindOp(*m, OpCode::kPad), "edge_padding_high"),
            (std::vector<int64_t>{0, 1}));
  const Op* rp = FindOp(*m, OpCode::kReducePrecision);
  EXPECT_EQ(*ir::GetI64(*rp, "exponent_bits"), 5);
  EXPECT_EQ(*ir::GetI64(*rp, "mantissa_bits"), 10);
}

TEST(ParserTest, DotGeneralAndConvolutionPretty) {
  auto m = MustParse(R"(
    func.func @main(%a: tensor<2x4x3xf32>, %b: tensor<2x3x5xf32>, %img: tensor<1x8x8x2xf32>, %k: tensor<3x3x2x4xf32>) -> (tensor<2x4x5xf32>, tensor<1x4x4x4xf32>) {
      %0 = stablehlo.dot_general %a, %b, batching_dims = [0] x [0], contracting_dims = [2] x [1], precision = [DEFAULT, HIGHEST] : (tensor<2x4x3xf32>, tensor<2x3x5xf32>) -> tensor<2x4x5xf32>
      %1 = stablehlo.convolution(%img, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [2, 2], pad = [[1, 1], [1, 1]], lhs_dilate = [1, 1], rhs_dilate = [1, 1], reverse = [false, false]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x2xf32>, tensor<3x3x2x4xf32>) -> tensor<1x4x4x4xf32>
      return %0, %1 : tensor<2x4x5xf32>, tensor<1x4x4x4xf32>
    })");
  ASSERT_NE(m, nullptr);
  auto dims = ir::GetDotDimensionNumbers(*FindOp(*m, OpCode::kDotGeneral));
  ASSERT_TRUE(dims.ok());
  EXPECT_EQ(dims->lhs_batching_dimensions, (std::vector<int64_t>{0}));
  EXPECT_EQ(dims->rhs_contracting_dimensions, (std::vector<int64_t>{1}));
  auto prec = ir::GetPrecisionConfig(*FindOp(*m, OpCode::kDotGeneral));
  EXPECT_EQ((*prec)[1], ir::Precision::kHighest);
  const Op* conv = FindOp(*m, OpCode::kConvolution);
  auto cd = ir::GetConvDimensionNumbers(*conv);
  ASSERT_TRUE(cd.ok());
  EXPECT_EQ(cd->input_feature_dimension, 3);
  EXPECT_EQ(cd->kernel_output_feature_dimension, 3);
  EXPECT_EQ(cd->kernel_spatial_dimensions, (std::vector<int64_t>{0, 1}));
  auto w = ir::GetConvWindow(*conv, 2);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->strides, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(w->padding[1], (std::pair<int64_t, int64_t>{1, 1}));
}

TEST(ParserTest, ReduceWindowAttributesWithDefaults) {
  auto m = MustParse(R"(
    func.func @main(%x: tensor<1x8x8x3xf32>) -> tensor<1x4x4x3xf32> {
      %c = stablehlo.constant dense<0.0> : tensor<f32>
      %0 = "stablehlo.reduce_window"(%x, %c) <{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>}> ({
      ^bb0(%a: tensor<f32>, %b: tensor<f32>):
        %s = stablehlo.add %a, %b : tensor<f32>
        stablehlo.return %s : tensor<f32>
      }) : (tensor<1x8x8x3xf32>, tensor<f32>) -> tensor<1x4x4x3xf32>
      return %0 : tensor<1x4x4x3xf32>
    })");
  const ir::Op* op = nullptr;
  for (const auto& o : m->LookupFunction("main")->entry()->ops()) {
    if (o->code() == ir::OpCode::kReduceWindow) op = o.get();
  }
  ASSERT_NE(op, nullptr);
  auto w = ir::GetReduceWindowAttrs(*op, 4);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->window_strides, (std::vector<int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(w->base_dilations, (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(w->window_dilations, (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(w->padding[2], (std::pair<int64_t, int64_t>{0, 0}));
  // Attributes of another length than the operand's rank.
  auto wrong = ir::GetReduceWindowAttrs(*op, 3);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParserTest, ReduceCompactAndReducerForms) {
  auto m = MustParse(R"(
    func.func @main(%x: tensor<4x5xf32>, %i: tensor<4x5xi32>) -> (tensor<4xf32>, tensor<5xf32>, tensor<5xi32>) {
      %c = stablehlo.constant dense<0.0> : tensor<f32>
      %z = stablehlo.constant dense<0> : tensor<i32>
      %0 = stablehlo.reduce(%x init: %c) applies stablehlo.add across dimensions = [1] : (tensor<4x5xf32>, tensor<f32>) -> tensor<4xf32>
      %1:2 = stablehlo.reduce(%x init: %c), (%i init: %z) across dimensions = [0] : (tensor<4x5xf32>, tensor<4x5xi32>, tensor<f32>, tensor<i32>) -> (tensor<5xf32>, tensor<5xi32>)
       reducer(%a: tensor<f32>, %b: tensor<f32>) (%p: tensor<i32>, %q: tensor<i32>)  {
        %s = stablehlo.add %a, %b : tensor<f32>
        %t = stablehlo.add %p, %q : tensor<i32>
        stablehlo.return %s, %t : tensor<f32>, tensor<i32>
      }
      return %0, %1#0, %1#1 : tensor<4xf32>, tensor<5xf32>, tensor<5xi32>
    })");
  ASSERT_NE(m, nullptr);
  const ir::Block* body = m->LookupFunction("main")->entry();
  auto it = body->ops().begin();
  std::advance(it, 2);
  const Op* compact = it->get();
  ASSERT_EQ(compact->code(), OpCode::kReduce);
  const ir::Block* reducer = compact->region(0)->front();
  EXPECT_EQ(reducer->num_arguments(), 2);
  EXPECT_EQ(reducer->front()->code(), OpCode::kAdd);
  const Op* full = std::next(it)->get();
  const ir::Block* block = full->region(0)->front();
  // Block arguments: first of each pair, then second of each pair.
  ASSERT_EQ(block->num_arguments(), 4);
  EXPECT_EQ(block->argument(1)->type().element_type(), ElementType::kS32);
  EXPECT_EQ(block->argument(2)->type().element_type(), ElementType::kF32);
  const Op* add = block->front();
  EXPECT_EQ(add->operand(0), block->argument(0));
  EXPECT_EQ(add->operand(1), block->argument(2));
}

TEST(ParserTest, WhileCaseIfAndGenericRegions) {
  auto m = MustParse(R"(
    func.func @main(%n: tensor<i64>, %p: tensor<i1>, %idx: tensor<i32>) -> tensor<i64> {
      %one = stablehlo.constant dense<1> : tensor<i64>
      %r0, %r1 = stablehlo.while(%i = %one, %acc = %one) : tensor<i64>, tensor<i64>
      cond {
        %c = stablehlo.compare LT, %i, %n : (tensor<i64>, tensor<i64>) -> tensor<i1>
        stablehlo.return %c : tensor<i1>
      } do {
        %next = stablehlo.add %i, %one : tensor<i64>
        %m = stablehlo.multiply %acc, %next : tensor<i64>
        stablehlo.return %next, %m : tensor<i64>, tensor<i64>
      }
      %a = "stablehlo.if"(%p) ({
        stablehlo.return %r0 : tensor<i64>
      }, {
        stablehlo.return %r1 : tensor<i64>
      }) : (tensor<i1>) -> tensor<i64>
      %b = "stablehlo.case"(%idx) ({
        stablehlo.return %a : tensor<i64>
      }) : (tensor<i32>) -> tensor<i64>
      %v = stablehlo.broadcast_in_dim %b, dims = [] : (tensor<i64>) -> tensor<3xi64>
      %s = "stablehlo.sort"(%v) <{dimension = 0 : i64, is_stable = true}> ({
      ^bb0(%x: tensor<i64>, %y: tensor<i64>):
        %lt = stablehlo.compare LT, %x, %y : (tensor<i64>, tensor<i64>) -> tensor<i1>
        stablehlo.return %lt : tensor<i1>
      }) : (tensor<3xi64>) -> tensor<3xi64>
      %r = stablehlo.slice %s [0:1] : (tensor<3xi64>) -> tensor<1xi64>
      %t = stablehlo.reshape %r : (tensor<1xi64>) -> tensor<i64>
      return %t : tensor<i64>
    })");
  ASSERT_NE(m, nullptr);
  const Op* loop = FindOp(*m, OpCode::kWhile);
  ASSERT_EQ(loop->num_regions(), 2);
  EXPECT_EQ(loop->region(0)->front()->num_arguments(), 2);
  EXPECT_EQ(loop->region(1)->front()->back()->num_operands(), 2);
  // The body refers to %one and %n from the enclosing function.
  const Op* add = loop->region(1)->front()->front();
  EXPECT_EQ(add->operand(1)->defining_op()->code(), OpCode::kConstant);
  EXPECT_EQ(FindOp(*m, OpCode::kIf)->num_regions(), 2);
  EXPECT_TRUE(ir::GetBoolOr(*FindOp(*m, OpCode::kSort), "is_stable", false));
}

TEST(ParserTest, GatherScatterAndStructuredAttributes) {
  auto m = MustParse(R"(
    func.func @main(%x: tensor<3x4xf32>, %i: tensor<2x1xi32>, %u: tensor<2x4xf32>, %sq: tensor<3x3xf32>) -> (tensor<2x4xf32>, tensor<3x4xf32>) {
      %0 = "stablehlo.gather"(%x, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 4>}> : (tensor<3x4xf32>, tensor<2x1xi32>) -> tensor<2x4xf32>
      %1 = "stablehlo.scatter"(%x, %i, %u) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>, unique_indices = false}> ({
      ^bb0(%a: tensor<f32>, %b: tensor<f32>):
        stablehlo.return %b : tensor<f32>
      }) : (tensor<3x4xf32>, tensor<2x1xi32>, tensor<2x4xf32>) -> tensor<3x4xf32>
      %2 = "stablehlo.all_gather"(%x) {all_gather_dim = 1 : i64, channel_handle = #stablehlo.channel_handle<handle = 1, type = 0>, replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<3x4xf32>) -> tensor<3x4xf32>
      %3 = "stablehlo.triangular_solve"(%sq, %x) <{left_side = true, lower = false, transpose_a = #stablehlo<transpose NO_TRANSPOSE>, unit_diagonal = true}> : (tensor<3x3xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
      return %0, %1 : tensor<2x4xf32>, tensor<3x4xf32>
    })");
  ASSERT_NE(m, nullptr);
  auto g = ir::GetGatherDimensionNumbers(*FindOp(*m, OpCode::kGather));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->offset_dims, (std::vector<int64_t>{1}));
  EXPECT_EQ(g->index_vector_dim, 1);
  auto s = ir::GetScatterDimensionNumbers(*FindOp(*m, OpCode::kScatter));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->inserted_window_dims, (std::vector<int64_t>{0}));
  auto ch = ir::GetChannelHandle(*FindOp(*m, OpCode::kAllGather));
  ASSERT_TRUE(ch.has_value());
  EXPECT_EQ(ch->handle, 1);
  const ir::Attribute* t =
      FindOp(*m, OpCode::kTriangularSolve)->attr("transpose_a");
  EXPECT_EQ(t->enum_kind(), ir::EnumKind::kTranspose);
  EXPECT_EQ(t->enum_value(), static_cast<int>(ir::Transpose::kNoTranspose));
}

TEST(ParserTest, CustomCallCompositeChloAndInterpreterOps) {
  auto m = MustParse(R"(
    func.func @impl(%a: tensor<i64>) -> tensor<i64> {
      func.return %a : tensor<i64>
    }
    func.func @main(%x: tensor<4x3xf32>, %n: tensor<i64>) {
      stablehlo.custom_call @check.expect_close(%x, %x) {has_side_effect = true} : (tensor<4x3xf32>, tensor<4x3xf32>) -> ()
      %0 = stablehlo.custom_call @foo(%x) {backend_config = "", api_version = 2 : i32} : (tensor<4x3xf32>) -> tensor<4x3xf32>
      %1 = stablehlo.composite "my.op" %n {composite_attributes = {k = 2 : i64}, decomposition = @impl} : (tensor<i64>) -> tensor<i64>
      %2 = chlo.erf %x : tensor<4x3xf32> -> tensor<4x3xf32>
      %v, %i = chlo.top_k(%x, k = 2) : tensor<4x3xf32> -> (tensor<4x2xf32>, tensor<4x2xi32>)
      %3 = chlo.next_after %x, %x : tensor<4x3xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
      %4 = interpreter.probe %x, probe_id = "p" : tensor<4x3xf32>
      check.expect_serialized_eq %x, probe_id = "p", iter = 0 : tensor<4x3xf32>
      %5 = "chlo.mulhi"(%n, %n) : (tensor<i64>, tensor<i64>) -> tensor<i64>
      func.return
    })");
  ASSERT_NE(m, nullptr);
  const Op* cc = FindOp(*m, OpCode::kCustomCall);
  EXPECT_EQ(*ir::GetString(*cc, "call_target_name"), "check.expect_close");
  EXPECT_EQ(cc->num_results(), 0);
  const Op* comp = FindOp(*m, OpCode::kComposite);
  EXPECT_EQ(*ir::GetString(*comp, "name"), "my.op");
  EXPECT_EQ(*ir::GetSymbol(*comp, "decomposition"), "impl");
  EXPECT_EQ(comp->num_operands(), 1);
  EXPECT_EQ(*ir::GetI64(*FindOp(*m, OpCode::kChloTopK), "k"), 2);
  EXPECT_EQ(*ir::GetString(*FindOp(*m, OpCode::kInterpreterProbe), "probe_id"),
            "p");
  EXPECT_EQ(*ir::GetI64(*FindOp(*m, OpCode::kCheckExpectSerializedEq), "iter"),
            0);
}

TEST(ParserTest, UnknownGenericOpParsesAsUnknown) {
  auto m = MustParse(R"(
    func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
      %0 = "mydialect.frobnicate"(%x) {level = 3 : i64} : (tensor<2xf32>) -> tensor<2xf32>
      return %0 : tensor<2xf32>
    })");
  ASSERT_NE(m, nullptr);
  const Op* op = m->LookupFunction("main")->entry()->front();
  EXPECT_EQ(op->code(), OpCode::kUnknown);
  EXPECT_EQ(op->name(), "mydialect.frobnicate");
  ir::VerifyOptions strict;
  strict.allow_unknown_ops = false;
  absl::Status st = ir::VerifyModule(*m, strict);
  EXPECT_EQ(st.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(st.message(), HasSubstr("mydialect.frobnicate"));
}

TEST(ParserTest, LocationsAndAliases) {
  auto m = MustParse(R"(
    func.func @main(%x: tensor<f32> loc("in.py":1:2)) -> tensor<f32> {
      %0 = stablehlo.abs %x : tensor<f32> loc(#loc3)
      %1 = stablehlo.abs %0 : tensor<f32> loc("f.py":4:7)
      return %1 : tensor<f32> loc(unknown)
    } loc(#loc1)
    #loc1 = loc("a.py":1:1)
    #loc3 = loc(callsite("x"("y":2:3) at "z":4:5)))");
  ASSERT_NE(m, nullptr);
  const ir::Block* b = m->LookupFunction("main")->entry();
  EXPECT_EQ(b->front()->location().loc_text, "#loc3");
  EXPECT_EQ(std::next(b->ops().begin())->get()->location().loc_text,
            "\"f.py\":4:7");
  ASSERT_EQ(m->location_aliases().size(), 2u);
  EXPECT_EQ(m->location_aliases()[1].second,
            "callsite(\"x\"(\"y\":2:3) at \"z\":4:5)");
}

TEST(ParserTest, DenseLiteralsOfEveryElementType) {
  auto m = MustParse(R"(
    func.func @main() {
      %b = stablehlo.constant dense<[true, false]> : tensor<2xi1>
      %i2 = stablehlo.constant dense<[-2, 1]> : tensor<2xi2>
      %i4 = stablehlo.constant dense<[-8, 7]> : tensor<2xi4>
      %u2 = stablehlo.constant dense<[0, 3]> : tensor<2xui2>
      %u4 = stablehlo.constant dense<[0, 15]> : tensor<2xui4>
      %i8 = stablehlo.constant dense<[-128, 127]> : tensor<2xi8>
      %u64 = stablehlo.constant dense<18446744073709551615> : tensor<ui64>
      %h = stablehlo.constant dense<[1.5, 0x7C00]> : tensor<2xf16>
      %bf = stablehlo.constant dense<[-2.5, 0xFF80]> : tensor<2xbf16>
      %f = stablehlo.constant dense<[[1.0, 2.0], [3.0, 0x7FC00000]]> : tensor<2x2xf32>
      %d = stablehlo.constant dense<0.1> : tensor<3xf64>
      %c = stablehlo.constant dense<[(1.0, -2.0), (0x7FF0000000000000, 0.5)]> : tensor<2xcomplex<f64>>
      %x = stablehlo.constant dense<"0x0000803F00000040"> : tensor<2xf32>
      %e = stablehlo.constant dense<> : tensor<0xf32>
      %e2 = stablehlo.constant dense<[[], []]> : tensor<2x0xi32>
      func.return
    })");
  ASSERT_NE(m, nullptr);
  std::vector<const ir::Literal*> lits;
  ir::Walk(*m, [&](Op& op) {
    if (op.code() == OpCode::kConstant)
      lits.push_back(&op.attr("value")->literal());
  });
  ASSERT_EQ(lits.size(), 15u);
  EXPECT_EQ(lits[0]->GetAsInt64(0), 1);
  EXPECT_EQ(lits[1]->GetAsInt64(0), -2);
  EXPECT_EQ(lits[2]->GetAsInt64(0), -8);
  EXPECT_EQ(lits[3]->GetAsInt64(1), 3);
  EXPECT_EQ(lits[4]->GetAsInt64(1), 15);
  EXPECT_EQ(lits[5]->GetAsInt64(0), -128);
  EXPECT_EQ(lits[6]->data<uint64_t>()[0], 18446744073709551615ull);
  EXPECT_EQ(lits[7]->data<uint16_t>()[0], ir::FloatToHalf(1.5f));
  EXPECT_EQ(lits[7]->data<uint16_t>()[1], 0x7C00);  // +inf
  EXPECT_EQ(lits[8]->data<uint16_t>()[1], 0xFF80);  // -inf in bf16
  EXPECT_EQ(lits[8]->GetAsDouble(0), -2.5);
  EXPECT_EQ(lits[9]->GetAsDouble(2), 3.0);
  EXPECT_TRUE(std::isnan(lits[9]->GetAsDouble(3)));
  EXPECT_EQ(lits[10]->GetAsDouble(2), 0.1);
  EXPECT_EQ(lits[11]->GetImagAsDouble(0), -2.0);
  EXPECT_TRUE(std::isinf(lits[11]->GetAsDouble(1)));
  EXPECT_EQ(lits[12]->GetAsDouble(1), 2.0);
  EXPECT_EQ(lits[13]->element_count(), 0);
  EXPECT_EQ(lits[14]->element_count(), 0);
}

TEST(ParserTest, ElidedResourcesAreFilledDeterministically) {
  const std::string text = R"(
    func.func @main() -> (tensor<64xf32>, tensor<8xi32>) {
      %w = stablehlo.constant dense_resource<__elided__> : tensor<64xf32>
      %n = stablehlo.constant dense_resource<__elided__> : tensor<8xi32>
      return %w, %n : tensor<64xf32>, tensor<8xi32>
    })";
  auto m = MustParse(text);
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->elided_resources_filled());
  const Op* w = FindOp(*m, OpCode::kConstant);
  EXPECT_TRUE(w->attr("value")->is_elided());
  const ir::Literal& lit = w->attr("value")->literal();
  bool varied = false;
  for (int64_t i = 0; i < 64; ++i) {
    double v = lit.GetAsDouble(i);
    EXPECT_GE(v, -1.0);
    EXPECT_LT(v, 1.0);
    varied |= v != lit.GetAsDouble(0);
  }
  EXPECT_TRUE(varied);
  auto again = MustParse(text);
  EXPECT_TRUE(lit.BitwiseEquals(
      FindOp(*again, OpCode::kConstant)->attr("value")->literal()));
  // Integers are small and non-negative.
  const ir::Literal& ints =
      std::next(m->LookupFunction("main")->entry()->ops().begin())
          ->get()
          ->attr("value")
          ->literal();
  for (int64_t i = 0; i < 8; ++i) {
    EXPECT_GE(ints.GetAsInt64(i), 0);
    EXPECT_LT(ints.GetAsInt64(i), 4);
  }
  // A custom hook.
  ParseOptions options;
  options.fill_elided_resource = [](int64_t ordinal, ir::Literal* l) {
    for (int64_t i = 0; i < l->element_count(); ++i) {
      if (l->element_type() == ElementType::kF32)
        l->data<float>()[i] = ordinal + 7;
    }
    return absl::OkStatus();
  };
  auto custom = ParseModule(text, options);
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(FindOp(**custom, OpCode::kConstant)
                ->attr("value")
                ->literal()
                .GetAsDouble(5),
            7.0);
}

TEST(ParserTest, DialectResourceBlobs) {
  auto m = MustParse(R"(
    func.func @main() -> tensor<2xf32> {
      %w = stablehlo.constant dense_resource<blob1> : tensor<2xf32>
      return %w : tensor<2xf32>
    }
    {-#
      dialect_resources: {
        builtin: {
          blob1: "0x040000000000803F00000040"
        }
      }
    #-})");
  ASSERT_NE(m, nullptr);
  const ir::Literal& lit =
      FindOp(*m, OpCode::kConstant)->attr("value")->literal();
  EXPECT_EQ(lit.GetAsDouble(0), 1.0);
  EXPECT_EQ(lit.GetAsDouble(1), 2.0);
  EXPECT_FALSE(m->elided_resources_filled());
}

TEST(ParserTest, AttributeKinds) {
  auto m = MustParse(R"(
    func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
      %0 = "x.op"(%x) {a = 1.5 : f32, b = -3 : i8, c = "s\"q\0A", d = [1, "two", [true]], e = array<i64>, f = array<i1: true, false>, g = @sym, h = tensor<2xf32>, i = {nested = unit}, j = #stablehlo.dot<lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [0]>, k = #stablehlo.output_operand_alias<output_tuple_indices = [0], operand_index = 1, operand_tuple_indices = []>, l = #stablehlo.result_accuracy<atol = 1.0e-05, rtol = 0.0, ulps = 2, mode = #stablehlo.result_accuracy_mode<TOLERANCE>>, m = #chlo.ragged_dot<lhs_batching_dimensions = [], rhs_batching_dimensions = []>, n = 7 : index, o = 0x7FF0000000000000 : f64, p = #stablehlo.conv<raw input_batch_dimension = 0, input_feature_dimension = 1, input_spatial_dimensions = [2], kernel_input_feature_dimension = 1, kernel_output_feature_dimension = 0, kernel_spatial_dimensions = [2], output_batch_dimension = 0, output_feature_dimension = 1, output_spatial_dimensions = [2]>} : (tensor<2xf32>) -> tensor<2xf32>
      return %0 : tensor<2xf32>
    })");
  ASSERT_NE(m, nullptr);
  const Op* op = m->LookupFunction("main")->entry()->front();
  EXPECT_EQ(op->attr("a")->float_value(), 1.5);
  EXPECT_EQ(op->attr("b")->int_value(), -3);
  EXPECT_EQ(op->attr("b")->int_type(), ElementType::kS8);
  EXPECT_EQ(op->attr("c")->string_value(), "s\"q\n");
  EXPECT_EQ(op->attr("d")->array().size(), 3u);
  EXPECT_TRUE(op->attr("e")->dense_array().empty());
  EXPECT_EQ(op->attr("f")->dense_array(), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(op->attr("g")->string_value(), "sym");
  EXPECT_EQ(op->attr("h")->type_value().ToString(), "tensor<2xf32>");
  EXPECT_TRUE(op->attr("i")->dictionary().Has("nested"));
  EXPECT_EQ(op->attr("j")->dot_dimension_numbers()->lhs_contracting_dimensions,
            (std::vector<int64_t>{1}));
  EXPECT_EQ(op->attr("k")->output_operand_alias()->operand_index, 1);
  EXPECT_EQ(op->attr("l")->result_accuracy()->ulps, 2);
  EXPECT_EQ(op->attr("l")->result_accuracy()->mode,
            ir::ResultAccuracyMode::kTolerance);
  EXPECT_EQ(op->attr("m")->kind(), ir::Attribute::Kind::kOpaque);
  EXPECT_TRUE(op->attr("n")->is_index_type());
  EXPECT_TRUE(std::isinf(op->attr("o")->float_value()));
  EXPECT_EQ(
      op->attr("p")->conv_dimension_numbers()->kernel_output_feature_dimension,
      0);
}

// ---- Errors ----------------------------------------------------------------

TEST(ParserErrorTest, UndefinedValueNamesFileLineColumnAndOp) {
  std::string e = ParseError(
      "func.func @main(%x: tensor<f32>) -> tensor<f32> {\n"
      "  %0 = stablehlo.add %x, %y : tensor<f32>\n"
      "  return %0 : tensor<f32>\n"
      "}\n");
  EXPECT_EQ(e, "t.mlir:2:26: stablehlo.add: use of undefined value %y");
}

TEST(ParserErrorTest, NegativeDimensionIsNamed) {
  std::string e =
      ParseError("func.func @main(%x: tensor<2x-3xf32>) {\n  func.return\n}\n");
  EXPECT_THAT(e, HasSubstr("dimension #1 has negative size -3"));
  EXPECT_THAT(e, ::testing::Not(HasSubstr("element type")));
}

TEST(ParserErrorTest, Messages) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::string head = "func.func @main(%x: tensor<2xf32>) {\n";
  std::vector<Case> cases = {
      {head + "  %0 = stablehlo.add %x, %x : tensor<3xf32>\n}",
       "t.mlir:2:29: stablehlo.add: operand #0 has type tensor<2xf32> but the "
       "op's type is tensor<3xf32>"},
      {head + "  %0 = stablehlo.constant dense<[1.0, 2.0, 3.0]> : "
              "tensor<2xf32>\n}",
       "t.mlir:2:27: stablehlo.constant: dense literal: literal shape [3] does "
       "not match type tensor<2xf32>"},
      {head + "  %0 = stablehlo.constant dense<300> : tensor<i8>\n}",
       "t.mlir:2:27: stablehlo.constant: dense literal: integer 300 is out of "
       "range for i8"},
      {head + "  %0 = stablehlo.constant dense<[[1], [2, 3]]> : "
              "tensor<2x2xi32>\n}",
       "t.mlir:2:39: stablehlo.constant: dense literal is not rectangular: a "
       "list at depth 1 has 2 elements, an earlier one 1"},
      {head +
           "  %0 = stablehlo.constant dense<[3, [1, 2]]> : tensor<2x2xi32>\n}",
       "t.mlir:2:37: stablehlo.constant: dense literal mixes nested lists and "
       "elements"},
      {head +
           "  %0 = stablehlo.constant dense<[[1, 2], 3]> : tensor<2x2xi32>\n}",
       "t.mlir:2:42: stablehlo.constant: dense literal mixes nested lists and "
       "elements"},
      {head + "  %0 = stablehlo.frob %x : tensor<2xf32>\n}",
       "t.mlir:2:8: func.func @main: unknown operation 'stablehlo.frob' "
       "(custom syntax is only understood for known ops; use the generic "
       "form)"},
      {head + "  %0 = stablehlo.abs %x : tensor<2xq8>\n}",
       "t.mlir:2:36: stablehlo.abs: unsupported element type 'q8'"},
      {head + "  %0 = stablehlo.abs %x : tensor<?xf32>\n}",
       "t.mlir:2:34: stablehlo.abs: dynamic dimensions ('?') are not "
       "supported"},
      {head +
           "  %0 = \"stablehlo.abs\"(%x) : (tensor<3xf32>) -> tensor<2xf32>\n}",
       "t.mlir:2:28: stablehlo.abs: operand #0 has type tensor<2xf32> but the "
       "signature says tensor<3xf32>"},
      {head + "  %0:2 = stablehlo.abs %x : tensor<2xf32>\n}",
       "t.mlir:2:27: stablehlo.abs: expected at least 2 type(s) for the "
       "results, got 1"},
      {head + "  %0 = stablehlo.abs %x : tensor<2xf32>\n  %0 = stablehlo.abs "
              "%x : tensor<2xf32>\n}",
       "t.mlir:3:3: stablehlo.abs: redefinition of value %0"},
      {head + "  %0 = stablehlo.constant dense<1.0> : "
              "tensor<100000x100000x100000xf32>\n}",
       "t.mlir:2:46: stablehlo.constant: tensor of shape "
       "[100000x100000x100000] has more than the supported maximum"},
      {head +
           "  %0 = stablehlo.constant dense<1.0> : tensor<20000x20000xf32>\n}",
       "t.mlir:2:27: stablehlo.constant: dense literal: constant of type "
       "tensor<20000x20000xf32> needs 1600000000 bytes, more than the "
       "limit of 1073741824"},
      {head + "  %0 = stablehlo.constant dense<\"0x0102\"> : tensor<3xf32>\n}",
       "t.mlir:2:27: stablehlo.constant: dense literal: hex data has 2 bytes "
       "but tensor<3xf32> needs 12 (or 4 for a splat)"},
      {head + "  %0 = stablehlo.constant dense<\"abc> : tensor<3xf32>\n}",
       "t.mlir:2:33: stablehlo.constant: expected a dense element, got error "
       "(unterminated string (newline in string))"},
      {"func.func @main() {\n  func.return\n}\nfunc.func @main() {\n  "
       "func.return\n}",
       "t.mlir:4:1: module: redefinition of function @main"},
      {"module {\n  func.func @f() {\n    func.return\n  }\n",
       "t.mlir:5:1: module: expected func.func or '}', got end of input"},
      {head + "  %0 = stablehlo.transpose %x, dims = [0 : (tensor<2xf32>) -> "
              "tensor<2xf32>\n}",
       "t.mlir:2:42: stablehlo.transpose: expected ',' or ']', got ':'"},
      {head + "  %0 = stablehlo.constant dense<1> : tensor<i32> loc(\"x\"\n}",
       "t.mlir:2:50: stablehlo.constant: unterminated loc(...)"},
  };
  for (const Case& c : cases) {
    std::string e = ParseError(c.text);
    EXPECT_TRUE(absl::StartsWith(e, c.expected))
        << "input:\n"
        << c.text << "\ngot:      " << e << "\nexpected: " << c.expected;
  }
}

TEST(ParserErrorTest, OversizedConstantIsResourceExhausted) {
  auto m = ParseModule(
      "func.func @main() {\n"
      "  %0 = stablehlo.constant dense<1.0> : tensor<1000000x1000000xf32>\n"
      "  func.return\n}\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kResourceExhausted);
  ParseOptions small;
  small.max_constant_bytes = 1024;
  m = ParseModule(
      "func.func @main() {\n"
      "  %0 = stablehlo.constant dense_resource<__elided__> : "
      "tensor<1024xf32>\n"
      "  func.return\n}\n",
      small);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(ParserErrorTest, DeepNestingIsRejectedNotCrashing) {
  std::string deep_attr = "func.func @main() attributes {a = ";
  for (int i = 0; i < 100000; ++i) deep_attr += "[";
  std::string e = ParseError(deep_attr);
  EXPECT_THAT(e, HasSubstr("nesting deeper than the limit of 128"));

  std::string deep_dense =
      "func.func @main() {\n %0 = stablehlo.constant dense<";
  for (int i = 0; i < 100000; ++i) deep_dense += "[";
  e = ParseError(deep_dense);
  EXPECT_THAT(e, HasSubstr("nesting deeper than the limit"));

  std::string deep_regions = "func.func @main(%p: tensor<i1>) {\n";
  for (int i = 0; i < 1000; ++i) deep_regions += "\"stablehlo.if\"(%p) ({\n";
  e = ParseError(deep_regions);
  EXPECT_THAT(e, HasSubstr("nesting deeper than the limit"));
}

TEST(ParserErrorTest, TruncatedInputsNeverCrash) {
  const std::string text = R"(module @m attributes {x = 1 : i32} {
  func.func public @main(%arg0: tensor<2x3xf32> {a.b = "c"}) -> (tensor<3xf32>) {
    %c = stablehlo.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
    %0 = stablehlo.add %arg0, %c : tensor<2x3xf32>
    %cst = stablehlo.constant dense<0.0> : tensor<f32>
    %1 = stablehlo.reduce(%0 init: %cst) applies stablehlo.add across dimensions = [0] : (tensor<2x3xf32>, tensor<f32>) -> tensor<3xf32>
    %2 = "stablehlo.sort"(%1) <{dimension = 0 : i64}> ({
    ^bb0(%a: tensor<f32>, %b: tensor<f32>):
      %3 = stablehlo.compare LT, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %3 : tensor<i1>
    }) : (tensor<3xf32>) -> tensor<3xf32>
    return %2 : tensor<3xf32>
  }
})";
  ASSERT_TRUE(ParseModule(text).ok());
  for (size_t n = 0; n < text.size(); ++n) {
    auto m = ParseModule(text.substr(0, n));
    if (m.ok()) ir::VerifyModule(**m).IgnoreError();
  }
}

TEST(SplitInputFileTest, KeepsLineNumbers) {
  std::string text =
      "func.func @a() {\n  func.return\n}\n// -----\n"
      "func.func @b() {\n  %0 = stablehlo.add %q, %q : tensor<f32>\n}\n";
  std::vector<InputChunk> chunks = SplitInputFile(text);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[1].first_line, 5);
  EXPECT_TRUE(ParseModule(chunks[0].text).ok());
  ParseOptions options;
  options.filename = "s.mlir";
  auto m = ParseModule(chunks[1].text, options);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("s.mlir:6:22:"));
}

}  // namespace
}  // namespace backplane::parser
