#include "compiler/proto/convert.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::proto {
namespace {

using ::testing::HasSubstr;

namespace pb = ::backplane::ir::proto;

using ir::Attribute;
using ir::Block;
using ir::ComparisonDirection;
using ir::ConvDimensionNumbers;
using ir::ElementType;
using ir::EnumKind;
using ir::Function;
using ir::Literal;
using ir::Module;
using ir::NamedAttrList;
using ir::Op;
using ir::OpCode;
using ir::ResultAccuracyMode;
using ir::TensorType;
using ir::Type;
using ir::Value;

std::string Bytes(const pb::Module& m) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  m.SerializeToCodedStream(&coded);
  return out;
}

Attribute F32Vector(std::vector<float> values) {
  Literal lit(
      TensorType(ElementType::kF32, {static_cast<int64_t>(values.size())}));
  for (size_t i = 0; i < values.size(); ++i) lit.data<float>()[i] = values[i];
  return Attribute::DenseElements(std::move(lit));
}

// A module exercising every attribute kind, a tuple and a token type,
// nested regions using outer values, multiple blocks and an unknown op.
std::unique_ptr<Module> BuildModule() {
  auto module = std::make_unique<Module>();
  module->set_name("everything");
  module->attributes().Set("mhlo.num_partitions",
                           Attribute::Integer(1, ElementType::kS32));
  module->location_aliases().push_back({"loc1", "\"a.py\":1:2"});
  module->meshes().push_back({"mesh", "<[\"x\"=2, \"y\"=2]>"});
  module->set_elided_resources_filled(true);

  Type vec = Type::Tensor(ElementType::kF32, {3});
  Type scalar = Type::Tensor(ElementType::kF32, {});
  auto f = std::make_unique<Function>(
      "main", std::vector<Type>{vec, Type::Token()},
      std::vector<Type>{vec, Type::Tuple({scalar, Type::Token()})});
  f->arg_attrs()[0].Set("jax.arg_info", Attribute::String("x"));
  f->result_attrs()[1].Set("jax.result_info", Attribute::String("r\n\"q\""));
  f->attributes().Set("sym_visibility", Attribute::String("public"));
  f->location().file = "m.mlir";
  f->location().line = 3;
  Block* entry = f->entry();

  NamedAttrList cattrs;
  cattrs.Set("value", F32Vector({1.0f, -0.0f, 2.5f}));
  Op* c = entry->Append(Op::Create(OpCode::kConstant, {}, {vec}, cattrs));
  c->location().loc_text = "#loc1";
  Op* add = entry->Append(
      Op::Create(OpCode::kAdd, {entry->argument(0), c->result(0)}, {vec}));

  NamedAttrList rattrs;
  rattrs.Set("dimensions", Attribute::DenseArray(ElementType::kS64, {0}));
  Op* reduce = entry->Append(Op::Create(
      OpCode::kReduce, {add->result(0), c->result(0)}, {scalar}, rattrs));
  // Body uses its own arguments and, unusually, a value from outside.
  Block* body = reduce->AddRegion()->AddBlock();
  Value* a = body->AddArgument(scalar);
  Value* b = body->AddArgument(scalar);
  Op* sum = body->Append(Op::Create(OpCode::kAdd, {a, b}, {scalar}));
  body->Append(Op::Create(OpCode::kReturn, {sum->result(0)}, {}));
  // A second block in the same region.
  Block* second = reduce->region(0)->AddBlock();
  second->Append(Op::Create(OpCode::kReturn, {sum->result(0)}, {}));

  NamedAttrList all;
  all.Set("unit", Attribute::Unit());
  all.Set("flag", Attribute::Bool(true));
  all.Set("idx", Attribute::Integer(7, ElementType::kS64, true));
  all.Set("u64", Attribute::Integer(-1, ElementType::kU64));
  all.Set("fl", Attribute::Float(0.1, ElementType::kF64));
  all.Set("arr", Attribute::Array({Attribute::String("a"),
                                   Attribute::Array({Attribute::Unit()})}));
  all.Set("sym", Attribute::SymbolRef("callee"));
  all.Set("ty", Attribute::TypeAttr(Type::Tuple({vec, Type::Token()})));
  NamedAttrList dict;
  dict.Set("k", Attribute::Integer(3, ElementType::kS32));
  all.Set("dict", Attribute::Dictionary(dict));
  all.Set("dir", Attribute::Enum(EnumKind::kComparisonDirection,
                                 static_cast<int>(ComparisonDirection::kLt)));
  all.Set("chlo_dir",
          Attribute::Enum(EnumKind::kComparisonDirection, 0, "chlo"));
  all.Set("dot", Attribute::DotDims({{0}, {0}, {2}, {1}}));
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
  all.Set("conv", Attribute::ConvDims(conv));
  all.Set("gather", Attribute::GatherDims({{1}, {0}, {}, {}, {0}, 1}));
  all.Set("scatter", Attribute::ScatterDims({{1}, {0}, {2}, {3}, {0}, 1}));
  all.Set("channel", Attribute::Channel({5, 2}));
  all.Set("acc",
          Attribute::Accuracy({1e-5, 0.5, 2, ResultAccuracyMode::kTolerance}));
  all.Set("alias", Attribute::OperandAlias({{0}, 1, {}}));
  all.Set("opaque", Attribute::Opaque("#foo.bar<1>"));
  Literal pred(TensorType(ElementType::kPred, {2}));
  pred.data<uint8_t>()[1] = 1;
  all.Set("pred", Attribute::DenseElements(std::move(pred)));
  Literal s4(TensorType(ElementType::kS4, {2}));
  s4.data<int8_t>()[0] = -8;
  s4.data<int8_t>()[1] = 7;
  all.Set("s4", Attribute::DenseElements(std::move(s4), /*elided=*/true));
  Literal c64(TensorType(ElementType::kC64, {1}));
  all.Set("c64", Attribute::DenseElements(std::move(c64)));
  Literal empty(TensorType(ElementType::kF16, {0, 4}));
  all.Set("empty", Attribute::DenseElements(std::move(empty)));
  Op* tuple = entry->Append(Op::Create(
      OpCode::kUnknown, {reduce->result(0), entry->argument(1)},
      {Type::Tuple({scalar, Type::Token()})}, all, "mydialect.pack"));
  entry->Append(
      Op::Create(OpCode::kFuncReturn, {add->result(0), tuple->result(0)}, {}));
  EXPECT_TRUE(module->AddFunction(std::move(f)).ok());

  auto g = std::make_unique<Function>("helper", std::vector<Type>{},
                                      std::vector<Type>{});
  g->set_public(false);
  g->entry()->Append(Op::Create(OpCode::kFuncReturn, {}, {}));
  EXPECT_TRUE(module->AddFunction(std::move(g)).ok());
  return module;
}

FromProtoOptions AllowUnknown() {
  FromProtoOptions options;
  options.allow_unknown_ops = true;
  return options;
}

TEST(ConvertTest, RoundTripThroughBytesIsLossless) {
  std::unique_ptr<Module> module = BuildModule();
  absl::StatusOr<pb::Module> p = ToProto(*module);
  ASSERT_TRUE(p.ok()) << p.status();
  std::string bytes = Bytes(*p);

  pb::Module parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  absl::StatusOr<std::unique_ptr<Module>> back =
      FromProto(parsed, AllowUnknown());
  ASSERT_TRUE(back.ok()) << back.status();
  absl::StatusOr<pb::Module> again = ToProto(**back);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(Bytes(*again), bytes);

  // Spot checks on the rebuilt IR itself.
  const Module& m = **back;
  EXPECT_EQ(m.name(), "everything");
  EXPECT_TRUE(m.elided_resources_filled());
  ASSERT_EQ(m.location_aliases().size(), 1u);
  EXPECT_EQ(m.meshes(), module->meshes()) << "Shardy meshes survive";
  EXPECT_EQ(m.attributes(), module->attributes());
  Function* main = m.LookupFunction("main");
  ASSERT_NE(main, nullptr);
  Function* orig = module->LookupFunction("main");
  EXPECT_EQ(main->arg_attrs(), orig->arg_attrs());
  EXPECT_EQ(main->result_attrs(), orig->result_attrs());
  EXPECT_EQ(main->result_types(), orig->result_types());
  EXPECT_EQ(main->location().line, 3);
  EXPECT_FALSE(m.LookupFunction("helper")->is_public());

  const Op* pack = main->entry()->terminator()->operand(1)->defining_op();
  ASSERT_NE(pack, nullptr);
  EXPECT_EQ(pack->code(), OpCode::kUnknown);
  EXPECT_EQ(pack->name(), "mydialect.pack");
  const Op* orig_pack = orig->entry()->terminator()->operand(1)->defining_op();
  EXPECT_EQ(pack->attributes(), orig_pack->attributes());
  EXPECT_TRUE(pack->attr("s4")->is_elided());

  // The reduce body's ops use the body's own block arguments.
  const Op* reduce = pack->operand(0)->defining_op();
  ASSERT_EQ(reduce->code(), OpCode::kReduce);
  const Block* body = reduce->region(0)->block(0);
  EXPECT_EQ(body->front()->operand(0), body->argument(0));
  EXPECT_EQ(reduce->region(0)->num_blocks(), 2);
  EXPECT_EQ(reduce->region(0)->block(1)->front()->operand(0),
            body->front()->result(0));
  EXPECT_EQ(main->entry()->front()->location().loc_text, "#loc1");
}

TEST(ConvertTest, DenseLiteralBytesSurviveExactly) {
  std::unique_ptr<Module> module = BuildModule();
  absl::StatusOr<pb::Module> p = ToProto(*module);
  ASSERT_TRUE(p.ok());
  absl::StatusOr<std::unique_ptr<Module>> back = FromProto(*p, AllowUnknown());
  ASSERT_TRUE(back.ok()) << back.status();
  const Literal& lit = (*back)
                           ->LookupFunction("main")
                           ->entry()
                           ->front()
                           ->attr("value")
                           ->literal();
  EXPECT_TRUE(lit.BitwiseEquals(module->LookupFunction("main")
                                    ->entry()
                                    ->front()
                                    ->attr("value")
                                    ->literal()));
  EXPECT_TRUE(std::signbit(lit.data<float>()[1]));
}

TEST(ConvertTest, ToProtoRejectsValuesFromOutsideTheModule) {
  Function outside("outside", {Type::Tensor(ElementType::kF32, {})}, {});
  Module m;
  auto f =
      std::make_unique<Function>("f", std::vector<Type>{}, std::vector<Type>{});
  f->entry()->Append(Op::Create(OpCode::kNegate, {outside.entry()->argument(0)},
                                {Type::Tensor(ElementType::kF32, {})}));
  ASSERT_TRUE(m.AddFunction(std::move(f)).ok());
  absl::StatusOr<pb::Module> p = ToProto(m);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("not defined before its use"));
  // Let the op go before `outside` does.
  m.EraseFunction("f");
}

// ---- Malformed input -------------------------------------------------------

// A valid proto of `func @f(%0: tensor<2xf32>) { %1 = negate %0; return %1 }`
// that tests then break.
pb::Module SmallProto() {
  auto m = std::make_unique<Module>();
  Type t = Type::Tensor(ElementType::kF32, {2});
  auto f = std::make_unique<Function>("f", std::vector<Type>{t},
                                      std::vector<Type>{t});
  Op* neg = f->entry()->Append(
      Op::Create(OpCode::kNegate, {f->entry()->argument(0)}, {t}));
  f->entry()->Append(Op::Create(OpCode::kFuncReturn, {neg->result(0)}, {}));
  EXPECT_TRUE(m->AddFunction(std::move(f)).ok());
  absl::StatusOr<pb::Module> p = ToProto(*m);
  EXPECT_TRUE(p.ok());
  return *p;
}

pb::Op* NegateOp(pb::Module* m) {
  return m->mutable_functions(0)
      ->mutable_body()
      ->mutable_blocks(0)
      ->mutable_ops(0);
}

void ExpectInvalid(const pb::Module& m, absl::string_view message,
                   const FromProtoOptions& options = {}) {
  absl::StatusOr<std::unique_ptr<Module>> r = FromProto(m, options);
  ASSERT_FALSE(r.ok()) << "expected an error containing: " << message;
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr(message));
}

TEST(FromProtoTest, SmallProtoIsValid) {
  EXPECT_TRUE(FromProto(SmallProto()).ok());
}

TEST(FromProtoTest, RejectsUnknownOps) {
  pb::Module m = SmallProto();
  NegateOp(&m)->set_name("stablehlo.negat");
  ExpectInvalid(m, "@f: unknown op 'stablehlo.negat'");
  NegateOp(&m)->set_name("not an op");
  ExpectInvalid(m, "malformed op name 'not an op'", AllowUnknown());
  NegateOp(&m)->set_name("");
  ExpectInvalid(m, "malformed op name ''", AllowUnknown());
}

TEST(FromProtoTest, RejectsShortFuncNames) {
  pb::Module m = SmallProto();
  m.mutable_functions(0)
      ->mutable_body()
      ->mutable_blocks(0)
      ->mutable_ops(1)
      ->set_name("return");
  ExpectInvalid(m, "not a full name (expected 'func.return')");
}

TEST(FromProtoTest, RejectsDanglingValueIds) {
  pb::Module m = SmallProto();
  NegateOp(&m)->set_operands(0, 12345);
  ExpectInvalid(m, "@f: stablehlo.negate: operand #0 refers to value id 12345");
}

TEST(FromProtoTest, RejectsCycles) {
  pb::Module m = SmallProto();
  // The negate consumes its own result.
  NegateOp(&m)->set_operands(0, NegateOp(&m)->results(0).id());
  ExpectInvalid(m, "not defined before this op");
}

TEST(FromProtoTest, RejectsDuplicateIds) {
  pb::Module m = SmallProto();
  NegateOp(&m)->mutable_results(0)->set_id(
      m.functions(0).body().blocks(0).arguments(0).id());
  ExpectInvalid(m, "is defined twice");
}

TEST(FromProtoTest, RejectsValuesEscapingTheirRegion) {
  pb::Module m = SmallProto();
  // Give the negate a region defining value 99, then use 99 outside.
  pb::Block* inner = NegateOp(&m)->add_regions()->add_blocks();
  pb::Value* arg = inner->add_arguments();
  arg->set_id(99);
  *arg->mutable_type() = m.functions(0).body().blocks(0).arguments(0).type();
  m.mutable_functions(0)
      ->mutable_body()
      ->mutable_blocks(0)
      ->mutable_ops(1)
      ->set_operands(0, 99);
  ExpectInvalid(m, "@f: func.return: operand #0 refers to value id 99");
}

TEST(FromProtoTest, RejectsWrongDenseByteLength) {
  pb::Module m = SmallProto();
  pb::NamedAttribute* a = NegateOp(&m)->add_attributes();
  a->set_name("value");
  pb::DenseElementsAttr* d = a->mutable_value()->mutable_dense_elements();
  d->mutable_type()->set_element_type(pb::F32);
  d->mutable_type()->add_dims(2);
  d->set_data(std::string(7, '\0'));
  ExpectInvalid(m, "need 8 bytes of data, got 7 (in attribute 'value')");
}

TEST(FromProtoTest, RejectsHugeDeclaredDenseShapeWithoutAllocating) {
  pb::Module m = SmallProto();
  pb::NamedAttribute* a = NegateOp(&m)->add_attributes();
  a->set_name("value");
  pb::DenseElementsAttr* d = a->mutable_value()->mutable_dense_elements();
  d->mutable_type()->set_element_type(pb::F64);
  d->mutable_type()->add_dims(int64_t{1} << 31);
  d->set_data("x");
  ExpectInvalid(m, "need 17179869184 bytes of data, got 1");
}

TEST(FromProtoTest, SplatsStaySmallAndExpandWithinLimits) {
  auto m = std::make_unique<Module>();
  Type big = Type::Tensor(ElementType::kF32, {1024, 1024});
  auto f = std::make_unique<Function>("f", std::vector<Type>{},
                                      std::vector<Type>{big});
  NamedAttrList attrs;
  Literal zeros(big.tensor());
  for (float& v : zeros.data<float>()) v = -0.0f;
  attrs.Set("value", Attribute::DenseElements(std::move(zeros)));
  Op* c = f->entry()->Append(Op::Create(OpCode::kConstant, {}, {big}, attrs));
  f->entry()->Append(Op::Create(OpCode::kFuncReturn, {c->result(0)}, {}));
  ASSERT_TRUE(m->AddFunction(std::move(f)).ok());
  absl::StatusOr<pb::Module> p = ToProto(*m);
  ASSERT_TRUE(p.ok());
  EXPECT_LT(p->ByteSizeLong(), 200u);  // Not 4 MiB.
  absl::StatusOr<std::unique_ptr<Module>> back = FromProto(*p);
  ASSERT_TRUE(back.ok()) << back.status();
  const Literal& lit =
      (*back)->LookupFunction("f")->entry()->front()->attr("value")->literal();
  EXPECT_TRUE(lit.BitwiseEquals(c->attr("value")->literal()));

  // A tiny proto must not be able to demand a huge allocation.
  FromProtoOptions options;
  options.max_splat_bytes = 1 << 20;
  absl::StatusOr<std::unique_ptr<Module>> limited = FromProto(*p, options);
  EXPECT_EQ(limited.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(limited.status().message(),
              HasSubstr("would expand to 4194304 bytes"));

  pb::DenseElementsAttr* d = p->mutable_functions(0)
                                 ->mutable_body()
                                 ->mutable_blocks(0)
                                 ->mutable_ops(0)
                                 ->mutable_attributes(0)
                                 ->mutable_value()
                                 ->mutable_dense_elements();
  d->set_data("abc");
  ExpectInvalid(*p,
                "splat dense elements of type tensor<1024x1024xf32> need "
                "4 bytes of data, got 3");
}

TEST(FromProtoTest, RejectsOutOfRangeSubByteValues) {
  pb::Module m = SmallProto();
  pb::NamedAttribute* a = NegateOp(&m)->add_attributes();
  a->set_name("mask");
  pb::DenseElementsAttr* d = a->mutable_value()->mutable_dense_elements();
  d->mutable_type()->set_element_type(pb::PRED);
  d->mutable_type()->add_dims(2);
  d->set_data(std::string("\x01\x02", 2));
  ExpectInvalid(m, "element 1 has byte value 2, outside i1's range [0, 1]");
  d->mutable_type()->set_element_type(pb::S4);
  d->set_data(std::string("\x08\x00", 2));
  ExpectInvalid(m, "element 0 has byte value 8, outside i4's range [-8, 7]");
}

TEST(FromProtoTest, RejectsBadTypes) {
  pb::Module m = SmallProto();
  pb::TensorType* t =
      NegateOp(&m)->mutable_results(0)->mutable_type()->mutable_tensor();
  t->set_dims(0, -3);
  ExpectInvalid(m, "tensor type:");
  t->set_dims(0, 2);
  t->set_element_type(static_cast<pb::ElementType>(77));
  ExpectInvalid(m, "invalid element type 77");
  t->set_element_type(pb::ELEMENT_TYPE_INVALID);
  ExpectInvalid(m, "invalid element type 0");
  NegateOp(&m)->mutable_results(0)->mutable_type()->clear_kind();
  ExpectInvalid(m, "a type has no kind");
}

TEST(FromProtoTest, RejectsBadAttributes) {
  pb::Module m = SmallProto();
  pb::NamedAttribute* a = NegateOp(&m)->add_attributes();
  a->set_name("dir");
  ExpectInvalid(m, "an attribute has no kind (in attribute 'dir')");
  a->mutable_value()->mutable_enum_value()->set_value(6);
  a->mutable_value()->mutable_enum_value()->set_dialect("stablehlo");
  ExpectInvalid(m, "value 6 is out of range for enum comparison_direction");
  a->mutable_value()->mutable_enum_value()->set_kind(
      static_cast<pb::EnumKind>(40));
  ExpectInvalid(m, "invalid enum kind 40");
  a->mutable_value()->mutable_float_value()->set_type(pb::S32);
  ExpectInvalid(m, "float attribute has a non-float type");
  a->mutable_value()->mutable_integer()->set_type(pb::F32);
  ExpectInvalid(m, "integer attribute has a non-integer type");
  a->mutable_value()->mutable_unit();
  pb::NamedAttribute* dup = NegateOp(&m)->add_attributes();
  *dup = *a;
  ExpectInvalid(m, "attribute 'dir' appears twice");
}

TEST(FromProtoTest, RejectsExcessiveNesting) {
  pb::Module m = SmallProto();
  pb::NamedAttribute* a = NegateOp(&m)->add_attributes();
  a->set_name("deep");
  pb::Attribute* cur = a->mutable_value();
  for (int i = 0; i < 80; ++i) cur = cur->mutable_array()->add_elements();
  cur->mutable_unit();
  ExpectInvalid(m, "attributes nest deeper than 64");
}

TEST(FromProtoTest, RejectsStructuralProblems) {
  pb::Module m = SmallProto();
  *m.add_functions() = m.functions(0);
  ExpectInvalid(m, "redefinition of function @f");

  m = SmallProto();
  m.mutable_functions(0)->clear_body();
  ExpectInvalid(m, "@f: function has no body");

  m = SmallProto();
  m.mutable_functions(0)->add_arg_attrs();
  m.mutable_functions(0)->add_arg_attrs();
  ExpectInvalid(m, "3 argument attribute dictionaries for 1 arguments");
}

TEST(FromProtoTest, GarbageBytesNeverCrash) {
  // Mutate every byte of a valid encoding in turn; whatever protobuf
  // accepts, FromProto must either accept or reject cleanly.
  pb::Module valid = SmallProto();
  std::string bytes = Bytes(valid);
  int accepted = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int delta : {1, 0x40, 0x7f}) {
      std::string mutated = bytes;
      mutated[i] = static_cast<char>(mutated[i] + delta);
      pb::Module m;
      if (!m.ParseFromString(mutated)) continue;
      absl::StatusOr<std::unique_ptr<Module>> r = FromProto(m, AllowUnknown());
      if (r.ok()) ++accepted;
    }
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace backplane::proto
