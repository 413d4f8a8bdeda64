#include "compiler/ir/op_error.h"

#include <memory>

#include "compiler/parser/parser.h"
#include "gtest/gtest.h"

namespace backplane::ir {
namespace {

TEST(OpErrorTest, FormatLocation) {
  EXPECT_EQ(FormatLocation(Location{"m.mlir", 12, 5, ""}), "m.mlir:12:5");
  EXPECT_EQ(FormatLocation(Location{"", 3, 1, ""}), "<input>:3:1");
  EXPECT_EQ(FormatLocation(Location{"m.mlir", 0, 0, "\"x.py\":3:1"}),
            "\"x.py\":3:1");
  EXPECT_EQ(FormatLocation(Location{"m.mlir", 0, 0, ""}), "m.mlir");
  EXPECT_EQ(FormatLocation(Location{}), "<unknown location>");
}

TEST(OpErrorTest, PrefixesOnceAndKeepsTheCode) {
  parser::ParseOptions options;
  options.filename = "m.mlir";
  auto m =
      parser::ParseModule(R"(func.func @main(%x: tensor<f32>) -> tensor<f32> {
  %y = stablehlo.negate %x : tensor<f32>
  return %y : tensor<f32>
})",
                          options);
  ASSERT_TRUE(m.ok()) << m.status();
  const Op& negate = *(*m)->LookupFunction("main")->entry()->ops().front();
  absl::Status once = OpError(negate, absl::ResourceExhaustedError("too big"));
  EXPECT_EQ(once.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(once.message(), "m.mlir:2:3: stablehlo.negate: too big");
  // Passing the error up through another layer names the op once.
  EXPECT_EQ(OpError(negate, once), once);
  EXPECT_TRUE(OpError(negate, absl::OkStatus()).ok());
}

}  // namespace
}  // namespace backplane::ir
