// Compiles and runs the usage example at the top of client.h, so that it
// stays true. Keep the two in step.
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "base/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane {
namespace {

// client.h's example, with the plugin name as a parameter.
absl::StatusOr<std::vector<float>> AddOne(absl::string_view plugin_name,
                                          absl::string_view mlir_text) {
  ASSIGN_OR_RETURN(Plugin plugin, Plugin::Load(plugin_name));
  ASSIGN_OR_RETURN(Client client, plugin.CreateClient());
  ASSIGN_OR_RETURN(std::vector<Device> devices, client.addressable_devices());
  ASSIGN_OR_RETURN(Buffer x,
                   client.BufferFromVector<float>({1, 2}, {2}, devices[0]));
  ASSIGN_OR_RETURN(Executable exe, client.Compile(mlir_text));
  ASSIGN_OR_RETURN(std::vector<Buffer> outputs, exe.ExecuteOnOneDevice({&x}));
  return outputs[0].ToVector<float>();
}

constexpr char kAddOne[] = R"(
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %one = stablehlo.constant dense<1.0> : tensor<2xf32>
  %y = stablehlo.add %x, %one : tensor<2xf32>
  return %y : tensor<2xf32>
})";

std::string HelloPlugin() {
  return absl::StrCat(std::getenv("TEST_SRCDIR"),
                      "/backplane/examples/hello_plugin/libbackplane_hello.so");
}

TEST(ClientExample, RunsAsWritten) {
  absl::StatusOr<std::vector<float>> y = AddOne(HelloPlugin(), kAddOne);
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_THAT(*y, ::testing::ElementsAre(2.0f, 3.0f));
}

TEST(ClientExample, ErrorsPropagate) {
  absl::StatusOr<std::vector<float>> y = AddOne(HelloPlugin(), "not mlir");
  EXPECT_FALSE(y.ok());
  absl::StatusOr<std::vector<float>> z =
      AddOne("/nonexistent/libbackplane_none.so", kAddOne);
  EXPECT_FALSE(z.ok());
}

}  // namespace
}  // namespace backplane
