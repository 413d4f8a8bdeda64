#include "compiler/passes/op_properties.h"

#include <iterator>
#include <vector>

#include "compiler/passes/test_util.h"
#include "gtest/gtest.h"

namespace backplane::passes {
namespace {

// Finds the op defining result `name` by walking in order: the tests below
// give each interesting op a distinct opcode/position.
std::vector<ir::Op*> TopLevelOps(const ir::Module& m) {
  std::vector<ir::Op*> out;
  for (const auto& op : m.LookupFunction("main")->entry()->ops()) {
    out.push_back(op.get());
  }
  return out;
}

TEST(OpPropertiesTest, Classification) {
  std::unique_ptr<ir::Module> m = testing::ParseOrFail(R"(
func.func @main(%x: tensor<f32>, %t: !stablehlo.token, %s: tensor<1xi64>) -> () {
  %0 = stablehlo.negate %x : tensor<f32>
  %1 = stablehlo.custom_call @pure(%x) : (tensor<f32>) -> tensor<f32>
  %2 = stablehlo.custom_call @effect(%x) {has_side_effect = true} : (tensor<f32>) -> tensor<f32>
  %3 = stablehlo.custom_call @check.expect_eq(%x, %x) : (tensor<f32>, tensor<f32>) -> tensor<i1>
  %4 = stablehlo.rng %x, %x, %s, distribution = UNIFORM : (tensor<f32>, tensor<f32>, tensor<1xi64>) -> tensor<f32>
  %5 = stablehlo.replica_id : tensor<ui32>
  %6 = stablehlo.outfeed %x, %t : (tensor<f32>, !stablehlo.token) -> !stablehlo.token
  %7 = "stablehlo.if"(%3) ({
    %p = stablehlo.custom_call @effect(%x) {has_side_effect = true} : (tensor<f32>) -> tensor<f32>
    stablehlo.return %p : tensor<f32>
  }, {
    stablehlo.return %x : tensor<f32>
  }) : (tensor<i1>) -> tensor<f32>
  %8 = "mydialect.thing"(%x) : (tensor<f32>) -> tensor<f32>
  return
})");
  ASSERT_NE(m, nullptr);
  std::vector<ir::Op*> ops = TopLevelOps(*m);
  struct Expected {
    bool side_effects, cse, fold;
  };
  const Expected expected[] = {
      {false, true, true},    // negate
      {false, false, false},  // custom_call without side effect
      {true, false, false},   // custom_call with side effect
      {true, false, false},   // check custom call
      {false, false, false},  // rng
      {false, true, false},   // replica_id
      {true, false, false},   // outfeed
      {true, false, false},   // if with an effect inside
      {true, false, false},   // unknown op
      {true, false, false},   // return
  };
  ASSERT_EQ(ops.size(), std::size(expected));
  for (size_t i = 0; i < ops.size(); ++i) {
    EXPECT_EQ(HasSideEffects(*ops[i]), expected[i].side_effects) << i;
    EXPECT_EQ(IsCseCandidate(*ops[i]), expected[i].cse) << i;
    EXPECT_EQ(IsFoldable(*ops[i]), expected[i].fold) << i;
  }
  EXPECT_FALSE(AllResultsUnused(*ops[3]));  // %3 feeds the if.
  EXPECT_TRUE(AllResultsUnused(*ops[0]));
}

TEST(OpPropertiesTest, RegionsUseOuterValues) {
  std::unique_ptr<ir::Module> m = testing::ParseOrFail(R"(
func.func @main(%x: tensor<4xf32>, %c: tensor<f32>) -> () {
  %0 = stablehlo.negate %c : tensor<f32>
  %1 = "stablehlo.reduce"(%x, %c) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {dimensions = array<i64: 0>} : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
  %2 = "stablehlo.reduce"(%x, %c) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %0 : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {dimensions = array<i64: 0>} : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
  %3 = "stablehlo.reduce"(%x, %c) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %n = "stablehlo.reduce"(%x, %a) ({
    ^bb1(%p: tensor<f32>, %q: tensor<f32>):
      %t = stablehlo.add %p, %b : tensor<f32>
      stablehlo.return %t : tensor<f32>
    }) {dimensions = array<i64: 0>} : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
    stablehlo.return %n : tensor<f32>
  }) {dimensions = array<i64: 0>} : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
  return
})");
  ASSERT_NE(m, nullptr);
  std::vector<ir::Op*> ops = TopLevelOps(*m);
  EXPECT_FALSE(RegionsUseOuterValues(*ops[0]));  // no regions
  EXPECT_FALSE(RegionsUseOuterValues(*ops[1]));  // only its own arguments
  EXPECT_TRUE(RegionsUseOuterValues(*ops[2]));   // reads %0
  // The nested reduce reads %x and the outer block's %b: %x is outside.
  EXPECT_TRUE(RegionsUseOuterValues(*ops[3]));
  // The inner reduce alone reads %b, defined outside it.
  const ir::Op* inner = ops[3]->region(0)->front()->ops().front().get();
  EXPECT_TRUE(RegionsUseOuterValues(*inner));
}

}  // namespace
}  // namespace backplane::passes
