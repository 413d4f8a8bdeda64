#include "compiler/interpreter/print_value.h"

#include <memory>
#include <string>

#include "compiler/interpreter/interpreter.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::interpreter {
namespace {

using ::testing::HasSubstr;

ir::Literal Constant(const std::string& text) {
  // Parses `%c = stablehlo.constant <text>` and folds nothing: the value is
  // the constant's attribute, run through the interpreter.
  auto m = parser::ParseModule(
      "func.func @main() -> " + text.substr(text.rfind(": ") + 2) +
      " {\n  %c = stablehlo.constant " + text +
      "\n  func.return %c : " + text.substr(text.rfind(": ") + 2) + "\n}\n");
  EXPECT_TRUE(m.ok()) << m.status();
  auto interp = Interpreter::Create(**m);
  EXPECT_TRUE(interp.ok()) << interp.status();
  auto out = (*interp)->Call("main", {});
  EXPECT_TRUE(out.ok()) << out.status();
  return (*out)[0]->tensor();
}

TEST(PrintValueTest, ScalarsVectorsAndNesting) {
  EXPECT_EQ(FormatPrintedValue(Constant("dense<7> : tensor<ui8>")),
            "tensor<ui8> {7}\n");
  EXPECT_EQ(FormatPrintedValue(Constant("dense<[5, -6, 0]> : tensor<3xi16>")),
            "tensor<3xi16> {\n  [5, -6, 0]\n}\n");
  EXPECT_EQ(FormatPrintedValue(Constant("dense<> : tensor<0xi32>")),
            "tensor<0xi32> {\n  []\n}\n");
  EXPECT_EQ(
      FormatPrintedValue(Constant("dense<[[true], [false]]> : tensor<2x1xi1>")),
      "tensor<2x1xi1> {\n  [\n    [true],\n    [false]\n  ]\n}\n");
  EXPECT_EQ(FormatPrintedValue(
                Constant("dense<[[[1, 2]], [[3, 4]]]> : tensor<2x1x2xi8>")),
            "tensor<2x1x2xi8> {\n  [\n    [\n      [1, 2]\n    ],\n    [\n"
            "      [3, 4]\n    ]\n  ]\n}\n");
}

TEST(PrintValueTest, FloatsUnsignedAndComplex) {
  EXPECT_EQ(FormatPrintedValue(Constant("dense<[0.5, -2.0]> : tensor<2xbf16>")),
            "tensor<2xbf16> {\n  [5.000000e-01, -2.000000e+00]\n}\n");
  EXPECT_EQ(FormatPrintedValue(
                Constant("dense<18446744073709551615> : tensor<ui64>")),
            "tensor<ui64> {18446744073709551615}\n");
  EXPECT_EQ(
      FormatPrintedValue(Constant("dense<(1.5, -3.0)> : tensor<complex<f32>>")),
      "tensor<complex<f32>> {(1.500000e+00, -3.000000e+00)}\n");
}

TEST(PrintValueTest, PrintOpWritesEachProcessValueWholeAndPassesItOn) {
  auto m = parser::ParseModule(R"(
func.func @worker(%x: tensor<2xi32>) -> tensor<2xi32> {
  %p = interpreter.print %x : tensor<2xi32>
  %y = stablehlo.add %p, %p : tensor<2xi32>
  func.return %y : tensor<2xi32>
}
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  %b = stablehlo.constant dense<[30, 40]> : tensor<2xi32>
  %r:2 = "interpreter.run_parallel"(%a, %b) {
    programs = [[@worker], [@worker]]
  } : (tensor<2xi32>, tensor<2xi32>) -> (tensor<2xi32>, tensor<2xi32>)
  check.expect_eq_const %r#0, dense<[2, 4]> : tensor<2xi32>
  check.expect_eq_const %r#1, dense<[60, 80]> : tensor<2xi32>
  func.return
}
)");
  ASSERT_TRUE(m.ok()) << m.status();
  auto interp = Interpreter::Create(**m);
  ASSERT_TRUE(interp.ok()) << interp.status();
  testing::internal::CaptureStdout();
  auto out = (*interp)->Call("main", {});
  const std::string printed = testing::internal::GetCapturedStdout();
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(printed, HasSubstr("tensor<2xi32> {\n  [1, 2]\n}\n"));
  EXPECT_THAT(printed, HasSubstr("tensor<2xi32> {\n  [30, 40]\n}\n"));
  EXPECT_EQ(printed.size(),
            2 * std::string("tensor<2xi32> {\n  [1, 2]\n}\n").size() + 2);
}

}  // namespace
}  // namespace backplane::interpreter
