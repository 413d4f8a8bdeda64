#include "compiler/passes/ir_util.h"

#include <cmath>
#include <complex>
#include <limits>

#include "compiler/ir/float16.h"
#include "gtest/gtest.h"

namespace backplane::passes {
namespace {

using ir::ElementType;
using ir::TensorType;

TEST(IrUtilTest, SplatLiteralConvertsLikeTheSpec) {
  ir::Literal s4 = SplatLiteral(TensorType(ElementType::kS4, {3}), -1);
  EXPECT_EQ(s4.data<int8_t>()[2], -1);
  // 9 wraps to -7 in four bits, sign-extended into the byte.
  EXPECT_EQ(SplatLiteral(TensorType(ElementType::kS4, {}), 9).data<int8_t>()[0],
            -7);
  EXPECT_EQ(
      SplatLiteral(TensorType(ElementType::kU4, {}), -1).data<uint8_t>()[0],
      15);
  EXPECT_EQ(
      SplatLiteral(TensorType(ElementType::kU64, {}), -1).data<uint64_t>()[0],
      ~uint64_t{0});
  EXPECT_EQ(
      SplatLiteral(TensorType(ElementType::kBF16, {}), 1.0).data<uint16_t>()[0],
      0x3F80);
  EXPECT_EQ(SplatLiteral(TensorType(ElementType::kF16, {}),
                         -std::numeric_limits<double>::infinity())
                .data<uint16_t>()[0],
            0xFC00);
  ir::Literal c = SplatLiteral(TensorType(ElementType::kC64, {2}), 2.5);
  EXPECT_EQ(c.data<std::complex<float>>()[1], std::complex<float>(2.5f, 0));
  // Non-finite values for integers are defined (zero), not UB.
  EXPECT_EQ(SplatLiteral(TensorType(ElementType::kS32, {}),
                         std::numeric_limits<double>::infinity())
                .data<int32_t>()[0],
            0);
}

TEST(IrUtilTest, IsSplatOfIsBitExact) {
  ir::Literal nz = SplatLiteral(TensorType(ElementType::kF32, {4}), -0.0);
  EXPECT_TRUE(IsSplatOf(nz, -0.0));
  EXPECT_FALSE(IsSplatOf(nz, 0.0));
  ir::Literal pz = SplatLiteral(TensorType(ElementType::kF32, {4}), 0.0);
  EXPECT_TRUE(IsSplatOf(pz, 0.0));
  EXPECT_FALSE(IsSplatOf(pz, -0.0));
  pz.data<float>()[3] = 1.0f;
  EXPECT_FALSE(IsSplatOf(pz, 0.0));
  EXPECT_FALSE(IsSplat(pz));
  // Integers must hold the value itself: 256 is not a u8 zero.
  ir::Literal u8 = SplatLiteral(TensorType(ElementType::kU8, {2}), 0);
  EXPECT_TRUE(IsSplatOf(u8, 0));
  EXPECT_FALSE(IsSplatOf(u8, 256));
  EXPECT_FALSE(IsSplatOf(u8, 0.5));
  // All ones: -1 matches 255 in u8 (the bit pattern and/or need).
  EXPECT_TRUE(
      IsSplatOf(SplatLiteral(TensorType(ElementType::kU8, {2}), 255), -1));
  // An empty tensor is a splat of nothing.
  EXPECT_FALSE(IsSplatOf(ir::Literal(TensorType(ElementType::kF32, {0})), 0));
}

TEST(IrUtilTest, ConstantsAndReplacement) {
  ir::Function f("f", {ir::Type::Tensor(ElementType::kS32, {2})},
                 {ir::Type::Tensor(ElementType::kS32, {2})});
  ir::Block* b = f.entry();
  ir::Value* arg = b->argument(0);
  ir::Op* neg =
      b->Append(ir::Op::Create(ir::OpCode::kNegate, {arg}, {arg->type()}));
  ir::Op* ret =
      b->Append(ir::Op::Create(ir::OpCode::kFuncReturn, {neg->result(0)}, {}));
  EXPECT_EQ(ConstantValue(arg), nullptr);
  EXPECT_EQ(ConstantValue(neg->result(0)), nullptr);
  ir::Value* c =
      InsertConstant(neg, SplatLiteral(TensorType(ElementType::kS32, {2}), 7));
  ASSERT_NE(ConstantValue(c), nullptr);
  EXPECT_EQ(ConstantValue(c)->data<int32_t>()[1], 7);
  EXPECT_EQ(b->front(), c->defining_op());  // Inserted before `neg`.
  ASSERT_TRUE(ReplaceOp(neg, {c}).ok());
  EXPECT_EQ(ret->operand(0), c);
  EXPECT_EQ(b->ops().size(), 2u);
}

}  // namespace
}  // namespace backplane::passes
