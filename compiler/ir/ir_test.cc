#include "compiler/ir/ir.h"

#include "gtest/gtest.h"

namespace backplane::ir {
namespace {

Type F32(std::vector<int64_t> dims) {
  return Type::Tensor(ElementType::kF32, std::move(dims));
}

// main(%a, %b): %0 = add %a, %b; %1 = multiply %0, %0; return %1
struct Fixture {
  Module module;
  Function* f = nullptr;
  Op* add = nullptr;
  Op* mul = nullptr;
  Op* ret = nullptr;
  Fixture() {
    auto fn = std::make_unique<Function>("main",
                                         std::vector<Type>{F32({2}), F32({2})},
                                         std::vector<Type>{F32({2})});
    f = fn.get();
    EXPECT_TRUE(module.AddFunction(std::move(fn)).ok());
    Block* b = f->entry();
    add = b->Append(
        Op::Create(OpCode::kAdd, {b->argument(0), b->argument(1)}, {F32({2})}));
    mul = b->Append(Op::Create(OpCode::kMultiply,
                               {add->result(0), add->result(0)}, {F32({2})}));
    ret = b->Append(Op::Create(OpCode::kFuncReturn, {mul->result(0)}, {}));
  }
};

TEST(IrTest, BuildsAndTracksUses) {
  Fixture fx;
  EXPECT_EQ(fx.module.LookupFunction("main"), fx.f);
  EXPECT_EQ(fx.add->result(0)->uses().size(), 2u);
  EXPECT_EQ(fx.f->entry()->argument(0)->uses().size(), 1u);
  EXPECT_TRUE(fx.f->entry()->argument(0)->is_block_argument());
  EXPECT_EQ(fx.mul->operand(0)->defining_op(), fx.add);
  EXPECT_EQ(fx.mul->parent_function(), fx.f);
  EXPECT_EQ(fx.mul->parent_op(), nullptr);
  EXPECT_EQ(fx.f->entry()->terminator(), fx.ret);
  EXPECT_EQ(fx.add->name(), "stablehlo.add");
  EXPECT_FALSE(fx.module
                   .AddFunction(std::make_unique<Function>(
                       "main", std::vector<Type>{}, std::vector<Type>{}))
                   .ok());
}

TEST(IrTest, ReplaceAllUsesAndErase) {
  Fixture fx;
  Block* b = fx.f->entry();
  // Erasing a used op fails and changes nothing.
  absl::Status st = fx.add->Erase();
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(b->ops().size(), 3u);
  fx.add->result(0)->ReplaceAllUsesWith(b->argument(0));
  EXPECT_TRUE(fx.add->result(0)->use_empty());
  EXPECT_EQ(fx.mul->operand(1), b->argument(0));
  EXPECT_EQ(b->argument(0)->uses().size(), 3u);
  ASSERT_TRUE(fx.add->Erase().ok());
  EXPECT_EQ(b->ops().size(), 2u);
  EXPECT_EQ(b->argument(0)->uses().size(), 2u);  // add's use is gone
  EXPECT_EQ(b->argument(1)->uses().size(), 0u);
}

TEST(IrTest, InsertBeforeDetachAndSetOperand) {
  Fixture fx;
  Block* b = fx.f->entry();
  Op* neg = b->InsertBefore(
      fx.mul, Op::Create(OpCode::kNegate, {fx.add->result(0)}, {F32({2})}));
  EXPECT_EQ(std::next(b->ops().begin())->get(), neg);
  fx.mul->SetOperand(1, neg->result(0));
  EXPECT_EQ(fx.add->result(0)->uses().size(), 2u);  // neg + mul operand 0
  std::unique_ptr<Op> owned = b->Detach(neg);
  EXPECT_EQ(owned->parent_block(), nullptr);
  b->InsertBefore(fx.mul, std::move(owned));
  EXPECT_EQ(neg->parent_block(), b);
}

TEST(IrTest, CloneRegionsRemapsValuesAndWalkVisitsNestedOps) {
  Fixture fx;
  Block* b = fx.f->entry();
  // A reduce-like op with a body that uses an outer value.
  auto op = Op::Create(OpCode::kWhile, {fx.add->result(0)}, {F32({2})});
  Region* body = op->AddRegion();
  Block* inner = body->AddBlock();
  Value* arg = inner->AddArgument(F32({2}));
  Op* inner_add = inner->Append(
      Op::Create(OpCode::kAdd, {arg, fx.add->result(0)}, {F32({2})}));
  inner->Append(Op::Create(OpCode::kReturn, {inner_add->result(0)}, {}));
  Op* loop = b->InsertBefore(fx.ret, std::move(op));
  EXPECT_EQ(inner_add->parent_op(), loop);
  EXPECT_EQ(inner_add->parent_function(), fx.f);

  IRMapping mapping;
  std::unique_ptr<Op> copy = loop->Clone(mapping);
  EXPECT_EQ(copy->operand(0), fx.add->result(0));  // outer value kept
  Block* copied = copy->region(0)->front();
  EXPECT_NE(copied->argument(0), arg);
  EXPECT_EQ(mapping[arg], copied->argument(0));
  EXPECT_EQ(copied->front()->operand(0), copied->argument(0));
  EXPECT_EQ(copied->front()->operand(1), fx.add->result(0));
  b->InsertBefore(fx.ret, std::move(copy));

  int count = 0, adds = 0;
  Walk(fx.module, [&](Op& o) {
    ++count;
    adds += o.code() == OpCode::kAdd;
  });
  EXPECT_EQ(count, 3 + 2 * 3);
  EXPECT_EQ(adds, 3);
}

TEST(IrTest, AdoptRegionAndEraseFunction) {
  Fixture fx;
  auto region = std::make_unique<Region>();
  region->AddBlock();
  auto op = Op::Create(OpCode::kCase, {}, {});
  Region* r = op->AdoptRegion(std::move(region));
  EXPECT_EQ(r->parent_op(), op.get());
  EXPECT_TRUE(fx.module.EraseFunction("main"));
  EXPECT_EQ(fx.module.LookupFunction("main"), nullptr);
  EXPECT_FALSE(fx.module.EraseFunction("main"));
}

TEST(IrTest, DestroysIrThatIsNotInSsaOrder) {
  // A pass may leave a use before its definition while rewriting; tearing
  // such IR down must still be safe (checked under ASan).
  auto fx = std::make_unique<Fixture>();
  fx->add->SetOperand(0, fx->mul->result(0));
  fx.reset();
  SUCCEED();
}

TEST(IrTest, OpCodeNames) {
  EXPECT_EQ(OpCodeFromName("stablehlo.dot_general"), OpCode::kDotGeneral);
  EXPECT_EQ(OpCodeFromName("chlo.top_k"), OpCode::kChloTopK);
  EXPECT_EQ(OpCodeFromName("call"), OpCode::kFuncCall);
  EXPECT_EQ(OpCodeFromName("interpreter.run_parallel"),
            OpCode::kInterpreterRunParallel);
  EXPECT_EQ(OpCodeFromName("nope.op"), OpCode::kUnknown);
  for (int i = 1; i < static_cast<int>(OpCode::kNumOpCodes); ++i) {
    OpCode c = static_cast<OpCode>(i);
    EXPECT_EQ(OpCodeFromName(OpCodeName(c)), c) << OpCodeName(c);
  }
  auto unknown = Op::Create(OpCode::kUnknown, {}, {}, {}, "my.op");
  EXPECT_EQ(unknown->name(), "my.op");
}

TEST(AttributeTest, SpellingAndEquality) {
  EXPECT_EQ(Attribute::Integer(-3, ElementType::kS8).ToString(), "-3 : i8");
  EXPECT_EQ(Attribute::Integer(-1, ElementType::kU64).ToString(),
            "18446744073709551615 : ui64");
  EXPECT_EQ(Attribute::Integer(4, ElementType::kS64, true).ToString(),
            "4 : index");
  EXPECT_EQ(Attribute::Float(0.1, ElementType::kF32).ToString(), "0.1 : f32");
  EXPECT_EQ(Attribute::Float(1e20, ElementType::kF64).ToString(),
            "1.0e+20 : f64");
  EXPECT_EQ(Attribute::Float(-INFINITY, ElementType::kF32).ToString(),
            "0xFF800000 : f32");
  EXPECT_EQ(Attribute::DenseArray(ElementType::kS64, {1, 2}).ToString(),
            "array<i64: 1, 2>");
  EXPECT_EQ(Attribute::DenseArray(ElementType::kPred, {1, 0}).ToString(),
            "array<i1: true, false>");
  EXPECT_EQ(Attribute::Enum(EnumKind::kComparisonDirection, 5).ToString(),
            "#stablehlo<comparison_direction LT>");
  EXPECT_EQ(Attribute::String("a\"b\n").ToString(), "\"a\\\"b\\n\"");
  EXPECT_EQ(Attribute::SymbolRef("x.y").ToString(), "@x.y");
  EXPECT_EQ(Attribute::SymbolRef("a b").ToString(), "@\"a b\"");
  ConvDimensionNumbers conv;
  conv.input_batch_dimension = 0;
  conv.input_feature_dimension = 3;
  conv.input_spatial_dimensions = {1, 2};
  conv.kernel_input_feature_dimension = 2;
  conv.kernel_output_feature_dimension = 3;
  conv.kernel_spatial_dimensions = {0, 1};
  conv.output_batch_dimension = 0;
  conv.output_feature_dimension = 3;
  conv.output_spatial_dimensions = {1, 2};
  EXPECT_EQ(Attribute::ConvDims(conv).ToString(),
            "#stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>");
  conv.output_spatial_dimensions = {1, 1};  // Not a permutation: raw form.
  EXPECT_EQ(Attribute::ConvDims(conv).ToString().substr(0, 20),
            "#stablehlo.conv<raw ");

  Literal lit(TensorType(ElementType::kF32, {2}));
  lit.data<float>()[1] = 1;
  EXPECT_EQ(Attribute::DenseElements(lit).ToString(),
            "dense<[0.0, 1.0]> : tensor<2xf32>");
  EXPECT_EQ(Attribute::DenseElements(lit, true).ToString(),
            "dense_resource<__elided__> : tensor<2xf32>");
  EXPECT_EQ(Attribute::DenseElements(lit), Attribute::DenseElements(lit));
  Literal other = lit;
  other.data<float>()[0] = 5;
  EXPECT_NE(Attribute::DenseElements(lit), Attribute::DenseElements(other));
  EXPECT_EQ(Attribute::Float(NAN, ElementType::kF32),
            Attribute::Float(NAN, ElementType::kF32));
  EXPECT_NE(Attribute::Integer(1), Attribute::Integer(1, ElementType::kS32));

  NamedAttrList dict;
  dict.Set("b", Attribute::Unit());
  dict.Set("a", Attribute::Bool(true));
  dict.Set("b", Attribute::Integer(2));
  EXPECT_EQ(dict.ToString(), "{b = 2 : i64, a = true}");
  EXPECT_TRUE(dict.Erase("b"));
  EXPECT_FALSE(dict.Erase("b"));
  dict.Set("u", Attribute::Unit());
  EXPECT_EQ(dict.ToString(), "{a = true, u}");
}

}  // namespace
}  // namespace backplane::ir
