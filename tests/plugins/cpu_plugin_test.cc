// The cpu plugin's own compile options, through the C ABI:
// cpu.convolution_algorithm and cpu.math_accuracy are validated, change the
// compiled code (the fingerprint) and survive serialization.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "compiler/kernels/elementwise/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane {
namespace {

using ::backplane::kernels::elementwise::testing::UlpDistance;
using ::testing::HasSubstr;

// A 3x3 convolution large enough for the Winograd path, and its input.
constexpr char kConvolution[] = R"(
func.func @main(%x: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = stablehlo.constant dense<0.125> : tensor<3x3x16x16xf32>
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1], pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x16x16x16xf32>, tensor<3x3x16x16xf32>) -> tensor<1x16x16x16xf32>
  return %0 : tensor<1x16x16x16xf32>
})";

class CpuPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto plugin =
        Plugin::Load(absl::StrCat(std::getenv("TEST_SRCDIR"),
                                  "/backplane/cpu_plugin/libbackplane_cpu.so"));
    ASSERT_TRUE(plugin.ok()) << plugin.status();
    plugin_ = *std::move(plugin);
    auto client = plugin_.CreateClient();
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  // The convolution's result for an input of ones at every position
  // whose index is odd, zeros elsewhere.
  std::vector<float> Run(const Executable& exe) {
    std::vector<float> x(16 * 16 * 16);
    for (size_t i = 0; i < x.size(); ++i) x[i] = (i % 2) ? 1.0f : 0.0f;
    auto devices = client_.addressable_devices();
    EXPECT_TRUE(devices.ok());
    auto in = client_.BufferFromVector(x, {1, 16, 16, 16}, (*devices)[0]);
    EXPECT_TRUE(in.ok()) << in.status();
    auto out = exe.ExecuteOnOneDevice({&*in});
    EXPECT_TRUE(out.ok()) << out.status();
    auto v = (*out)[0].ToVector<float>();
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : std::vector<float>();
  }

  Plugin plugin_;
  Client client_;
};

TEST_F(CpuPluginTest, ConvolutionAlgorithmOption) {
  auto direct =
      client_.Compile(kConvolution, {{"cpu.convolution_algorithm", "direct"}});
  ASSERT_TRUE(direct.ok()) << direct.status();
  auto automatic =
      client_.Compile(kConvolution, {{"cpu.convolution_algorithm", "auto"}});
  ASSERT_TRUE(automatic.ok()) << automatic.status();
  auto default_options = client_.Compile(kConvolution);
  ASSERT_TRUE(default_options.ok()) << default_options.status();
  EXPECT_NE(*direct->fingerprint(), *automatic->fingerprint());
  EXPECT_EQ(*default_options->fingerprint(), *automatic->fingerprint());

  // Both algorithms compute the same convolution (sums of 0.125s: exact
  // in either order).
  const std::vector<float> want = Run(*direct);
  EXPECT_EQ(Run(*automatic), want);

  // The setting is part of the serialized executable.
  auto bytes = direct->Serialize();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  auto restored = client_.DeserializeExecutable(*bytes);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(*restored->fingerprint(), *direct->fingerprint());
  EXPECT_EQ(Run(*restored), want);
}

TEST_F(CpuPluginTest, UnknownConvolutionAlgorithmIsRejected) {
  auto exe =
      client_.Compile(kConvolution, {{"cpu.convolution_algorithm", "fft"}});
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(exe.status().message(), HasSubstr("cpu.convolution_algorithm"));
  EXPECT_THAT(exe.status().message(), HasSubstr("\"fft\""));
}

// exp alone (an element-wise thunk) and exp(x) * x (a fused loop).
constexpr char kExponentials[] = R"(
func.func @main(%x: tensor<4096xf32>) -> (tensor<4096xf32>, tensor<4096xf32>) {
  %0 = stablehlo.exponential %x : tensor<4096xf32>
  %1 = stablehlo.exponential %x : tensor<4096xf32>
  %2 = stablehlo.multiply %1, %x : tensor<4096xf32>
  return %0, %2 : tensor<4096xf32>, tensor<4096xf32>
})";

TEST_F(CpuPluginTest, MathAccuracyOption) {
  auto fast = client_.Compile(kExponentials, {{"cpu.math_accuracy", "fast"}});
  ASSERT_TRUE(fast.ok()) << fast.status();
  auto exact = client_.Compile(kExponentials,
                               {{"cpu.math_accuracy", "correctly_rounded"}});
  ASSERT_TRUE(exact.ok()) << exact.status();
  auto default_options = client_.Compile(kExponentials);
  ASSERT_TRUE(default_options.ok()) << default_options.status();
  EXPECT_NE(*fast->fingerprint(), *exact->fingerprint());
  EXPECT_EQ(*default_options->fingerprint(), *fast->fingerprint());

  std::vector<float> x(4096);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = -40.0f + 80.0f * static_cast<float>(i) / 4096.0f + 1e-3f;
  }
  auto devices = client_.addressable_devices();
  ASSERT_TRUE(devices.ok());
  auto in = client_.BufferFromVector(x, {4096}, (*devices)[0]);
  ASSERT_TRUE(in.ok()) << in.status();
  auto run = [&](const Executable& exe) {
    auto out = exe.ExecuteOnOneDevice({&*in});
    EXPECT_TRUE(out.ok()) << out.status();
    std::vector<std::vector<float>> values;
    for (int i = 0; out.ok() && i < 2; ++i) {
      auto v = (*out)[i].ToVector<float>();
      EXPECT_TRUE(v.ok()) << v.status();
      values.push_back(v.ok() ? *v : std::vector<float>(4096));
    }
    return values;
  };
  const auto fast_values = run(*fast);
  const auto exact_values = run(*exact);
  ASSERT_EQ(fast_values.size(), 2u);
  ASSERT_EQ(exact_values.size(), 2u);
  int64_t differ = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const float want = static_cast<float>(std::exp(static_cast<double>(x[i])));
    // correctly_rounded: the interpreter's kernels, exact here.
    EXPECT_EQ(exact_values[0][i], want) << x[i];
    EXPECT_EQ(exact_values[1][i], want * x[i]) << x[i];
    // fast: within an ulp of it, standalone and fused alike.
    EXPECT_LE(UlpDistance(fast_values[0][i], want), 1) << x[i];
    EXPECT_EQ(fast_values[1][i], fast_values[0][i] * x[i]) << x[i];
    differ += fast_values[0][i] != want;
  }
  EXPECT_GT(differ, 0) << "the fast exponential was not used";

  auto bytes = exact->Serialize();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  auto restored = client_.DeserializeExecutable(*bytes);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(*restored->fingerprint(), *exact->fingerprint());
  EXPECT_EQ(run(*restored), exact_values);
}

TEST_F(CpuPluginTest, UnknownMathAccuracyIsRejected) {
  auto exe = client_.Compile(kExponentials, {{"cpu.math_accuracy", "sloppy"}});
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(exe.status().message(), HasSubstr("cpu.math_accuracy"));
  EXPECT_THAT(exe.status().message(), HasSubstr("\"sloppy\""));
}

}  // namespace
}  // namespace backplane
