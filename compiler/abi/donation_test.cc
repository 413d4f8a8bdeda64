#include "compiler/abi/donation.h"

#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::abi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(DonationTest, OptionAndArgumentAttributesMarkDonors) {
  auto module = parser::ParseModule(R"(
func.func @main(%a: tensor<2xf32>, %b: tensor<2xf32> {jax.buffer_donor = true},
                %c: tensor<2xf32> {tf.aliasing_output = 0 : i32},
                %d: tensor<2xf32> {jax.buffer_donor = false}) -> tensor<2xf32> {
  return %a : tensor<2xf32>
})");
  ASSERT_TRUE(module.ok()) << module.status();
  const ir::Function* main = (*module)->LookupFunction("main");
  auto donatable = DonatableParameters(*main, {0});
  ASSERT_TRUE(donatable.ok()) << donatable.status();
  EXPECT_THAT(*donatable, ElementsAre(true, true, true, false));
  auto none = DonatableParameters(*main, {});
  ASSERT_TRUE(none.ok());
  EXPECT_THAT(*none, ElementsAre(false, true, true, false));
}

TEST(DonationTest, OutOfRangeOptionIsAnError) {
  auto module = parser::ParseModule(R"(
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
})");
  ASSERT_TRUE(module.ok()) << module.status();
  auto donatable = DonatableParameters(*(*module)->LookupFunction("main"), {1});
  ASSERT_FALSE(donatable.ok());
  EXPECT_THAT(donatable.status().message(),
              HasSubstr("names parameter 1 but @main has 1 parameter(s)"));
}

}  // namespace
}  // namespace backplane::abi
