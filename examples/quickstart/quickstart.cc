// Quickstart: what a framework does with a Backplane plugin.
//
//   bazel run //examples/quickstart -- hello
//   bazel run //examples/quickstart -- cpu
//
// Loads the plugin named on the command line, lists its devices, uploads
// two inputs, compiles a StableHLO program, runs it and prints the result.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "base/status_macros.h"

namespace {

constexpr char kProgram[] = R"mlir(
func.func @main(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %y = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0]
      : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %zero = stablehlo.constant dense<0.0> : tensor<2x2xf32>
  %relu = stablehlo.maximum %y, %zero : tensor<2x2xf32>
  return %relu : tensor<2x2xf32>
}
)mlir";

absl::Status Run(const std::string& plugin_name) {
  ASSIGN_OR_RETURN(backplane::Plugin plugin,
                   backplane::Plugin::Load(plugin_name));
  std::printf("loaded plugin '%s' (ABI %lld.%lld)\n", plugin.name().c_str(),
              static_cast<long long>(plugin.abi_major()),
              static_cast<long long>(plugin.abi_minor()));

  ASSIGN_OR_RETURN(backplane::Client client, plugin.CreateClient());
  ASSIGN_OR_RETURN(std::vector<backplane::Device> devices,
                   client.addressable_devices());
  for (const backplane::Device& device : devices) {
    absl::StatusOr<std::string> debug = device.debug_string();
    std::printf("device: %s\n", debug.ok() ? debug->c_str() : "?");
  }
  const backplane::Device& device = devices.at(0);

  ASSIGN_OR_RETURN(
      backplane::Buffer x,
      client.BufferFromVector<float>({1, -2, 3, 4, 5, -6}, {2, 3}, device));
  ASSIGN_OR_RETURN(
      backplane::Buffer w,
      client.BufferFromVector<float>({1, 0, 0, 1, 1, 1}, {3, 2}, device));

  ASSIGN_OR_RETURN(backplane::Executable executable, client.Compile(kProgram));
  ASSIGN_OR_RETURN(std::vector<backplane::Buffer> outputs,
                   executable.ExecuteOnOneDevice({&x, &w}));
  ASSIGN_OR_RETURN(std::vector<float> result, outputs.at(0).ToVector<float>());
  std::printf("relu(x @ w) = [%s]\n", absl::StrJoin(result, ", ").c_str());
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  std::string name = argc > 1 ? argv[1] : "cpu";
  absl::Status status = Run(name);
  if (!status.ok()) {
    std::fprintf(stderr, "quickstart: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
