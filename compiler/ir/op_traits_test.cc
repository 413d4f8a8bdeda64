#include "compiler/ir/op_traits.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::ir {
namespace {

using ::testing::HasSubstr;

TEST(OpTraitsTest, NamesRoundTrip) {
  for (int i = 1; i < static_cast<int>(OpCode::kNumOpCodes); ++i) {
    const OpCode code = static_cast<OpCode>(i);
    EXPECT_EQ(OpCodeFromName(OpCodeName(code)), code) << OpCodeName(code);
    EXPECT_EQ(Traits(code).name, OpCodeName(code));
  }
  EXPECT_EQ(OpCodeName(OpCode::kUnknown), "<unknown>");
  EXPECT_EQ(OpCodeFromName("call"), OpCode::kFuncCall);
  EXPECT_EQ(OpCodeFromName("return"), OpCode::kFuncReturn);
  EXPECT_EQ(OpCodeFromName("stablehlo.nope"), OpCode::kUnknown);
}

TEST(OpTraitsTest, Rows) {
  static_assert(Traits(OpCode::kAdd).operands.exact());
  static_assert(Traits(OpCode::kAdd).operands.min == 2);
  static_assert(Traits(OpCode::kAdd).kernel == KernelKind::kBinary);
  static_assert(Traits(OpCode::kSort).results.same_as_operands);
  static_assert(Traits(OpCode::kConcatenate).operands.Accepts(7));
  static_assert(!Traits(OpCode::kConcatenate).operands.Accepts(0));
  static_assert(Traits(OpCode::kAllReduce).effect == SideEffect::kCollective);
  static_assert(Traits(OpCode::kReduce).family == Family::kReduction);
  static_assert(IsImplicitlyBroadcasting(OpCode::kChloBroadcastZeta));
  static_assert(!IsImplicitlyBroadcasting(OpCode::kChloZeta));
  EXPECT_EQ(Traits(OpCode::kShiftLeft).categories, category::kInt);
  EXPECT_EQ(Traits(static_cast<OpCode>(60000)).family, Family::kUnknown);
}

// Every element-wise op has one result, and exactly the ops the kernels
// run have a kernel.
TEST(OpTraitsTest, ElementwiseRowsAreConsistent) {
  for (int i = 1; i < static_cast<int>(OpCode::kNumOpCodes); ++i) {
    const OpTraits& t = Traits(static_cast<OpCode>(i));
    if (t.elementwise == ElementwiseClass::kNone) {
      EXPECT_EQ(t.kernel, KernelKind::kNone) << t.name;
      continue;
    }
    EXPECT_EQ(t.family, Family::kElementwise) << t.name;
    EXPECT_TRUE(t.results.exact() && t.results.min == 1) << t.name;
    EXPECT_TRUE(t.operands.exact()) << t.name;
    if (t.kernel == KernelKind::kUnary) {
      EXPECT_EQ(t.operands.min, 1) << t.name;
    }
    if (t.kernel == KernelKind::kBinary) {
      EXPECT_EQ(t.operands.min, 2) << t.name;
    }
  }
}

absl::Status Verify(const std::string& args, const std::string& op) {
  const std::string text = absl::StrCat("func.func @main(", args, ") {\n  ", op,
                                        "\n  func.return\n}\n");
  auto m = parser::ParseModule(text);
  EXPECT_TRUE(m.ok()) << m.status() << "\n" << text;
  if (!m.ok()) return absl::InternalError("parse failed");
  return VerifyModule(**m);
}

void ExpectRejected(const std::string& args, const std::string& op,
                    const std::string& error) {
  absl::Status st = Verify(args, op);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << op << ": " << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr(error)) << op;
}

constexpr char kTwo[] =
    "%a: tensor<2xf32>, %b: tensor<2xf32>, %c: tensor<2xf32>";

TEST(OpTraitsTest, ChloBroadcastCounts) {
  for (int i = 1; i < static_cast<int>(OpCode::kNumOpCodes); ++i) {
    const OpCode code = static_cast<OpCode>(i);
    if (!IsImplicitlyBroadcasting(code)) continue;
    const std::string name(OpCodeName(code));
    ExpectRejected(kTwo,
                   absl::StrCat("%0 = \"", name,
                                "\"(%a) : (tensor<2xf32>) -> tensor<2xf32>"),
                   absl::StrCat(name, ": expected ",
                                code == OpCode::kChloBroadcastSelect ? 3 : 2,
                                " operand(s), got 1"));
  }
}

TEST(OpTraitsTest, ChloBroadcastAddRegressions) {
  ExpectRejected("%a: tensor<i64>",
                 "%0 = \"chlo.broadcast_add\"(%a, %a) : (tensor<i64>, "
                 "tensor<i64>) -> tensor<2xf32>",
                 "chlo.broadcast_add: result #0 has type tensor<2xf32> but "
                 "tensor<2xi64> was inferred");
  ExpectRejected(kTwo,
                 "%0 = \"chlo.broadcast_add\"(%a, %b, %c) : (tensor<2xf32>, "
                 "tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>",
                 "expected 2 operand(s), got 3");
  ExpectRejected("%a: tensor<2xf32>, %b: tensor<2xf64>",
                 "%0 = \"chlo.broadcast_add\"(%a, %b) : (tensor<2xf32>, "
                 "tensor<2xf64>) -> tensor<2xf32>",
                 "operand types differ");
  EXPECT_TRUE(Verify("%a: tensor<2x3xf32>, %b: tensor<3xf32>",
                     "%0 = \"chlo.broadcast_add\"(%a, %b) : (tensor<2x3xf32>, "
                     "tensor<3xf32>) -> tensor<2x3xf32>")
                  .ok());
}

TEST(OpTraitsTest, ChloCountRegressions) {
  for (const char* name :
       {"chlo.is_inf", "chlo.is_neg_inf", "chlo.is_pos_inf"}) {
    ExpectRejected(kTwo,
                   absl::StrCat("%0 = \"", name, "\"() : () -> tensor<2xi1>"),
                   "expected 1 operand(s), got 0");
  }
  for (const char* name :
       {"chlo.mulhi", "chlo.next_after", "chlo.polygamma", "chlo.zeta"}) {
    ExpectRejected(kTwo,
                   absl::StrCat("%0 = \"", name, "\"() : () -> tensor<2xf32>"),
                   "expected 2 operand(s), got 0");
    ExpectRejected(kTwo,
                   absl::StrCat("%0 = \"", name,
                                "\"(%a) : (tensor<2xf32>) -> tensor<2xf32>"),
                   "expected 2 operand(s), got 1");
  }
  ExpectRejected(kTwo, "\"chlo.erf\"(%a) : (tensor<2xf32>) -> ()",
                 "chlo.erf: expected 1 result(s), got 0");
  ExpectRejected(kTwo,
                 "%0 = \"chlo.is_inf\"(%a) : (tensor<2xf32>) -> tensor<2xf32>",
                 "was inferred");
}

TEST(OpTraitsTest, DynamicOpCountRegressions) {
  const struct {
    const char* name;
    int operands;
  } kOps[] = {{"stablehlo.dynamic_pad", 5},
              {"stablehlo.dynamic_reshape", 2},
              {"stablehlo.real_dynamic_slice", 4}};
  for (const auto& op : kOps) {
    ExpectRejected(kTwo,
                   absl::StrCat("%0 = \"", op.name,
                                "\"(%a) : (tensor<2xf32>) -> tensor<2xf32>"),
                   absl::StrCat(op.name, ": expected ", op.operands,
                                " operand(s), got 1"));
  }
}

}  // namespace
}  // namespace backplane::ir
