// Runs the fuzz target without libFuzzer (plain g++ build, `bazel test`):
// over seed programs, every prefix of them, and byte-flipped variants, so
// the target itself stays exercised and crash-free in regular testing.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

const char* const kSeeds[] = {
    R"(module @m attributes {a = 1 : i32} {
  func.func public @main(%arg0: tensor<2x3xf32> {x = "y"}) -> (tensor<3xf32>) {
    %c = stablehlo.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 0x7FC00000]]> : tensor<2x3xf32>
    %0 = stablehlo.add %arg0, %c : tensor<2x3xf32>
    %cst = stablehlo.constant dense<0.0> : tensor<f32>
    %1 = stablehlo.reduce(%0 init: %cst) applies stablehlo.add across dimensions = [0] : (tensor<2x3xf32>, tensor<f32>) -> tensor<3xf32>
    %2 = "stablehlo.sort"(%1) <{dimension = 0 : i64}> ({
    ^bb0(%a: tensor<f32>, %b: tensor<f32>):
      %3 = stablehlo.compare LT, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %3 : tensor<i1>
    }) : (tensor<3xf32>) -> tensor<3xf32>
    return %2 : tensor<3xf32>
  }
})",
    R"(func.func @main(%x: tensor<1x8x8x2xf32>, %k: tensor<3x3x2x4xf32>, %n: tensor<i64>) {
  %0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [2, 2], pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x2xf32>, tensor<3x3x2x4xf32>) -> tensor<1x4x4x4xf32>
  %r0, %r1 = stablehlo.while(%i = %n, %s = %n) : tensor<i64>, tensor<i64>
  cond {
    %c = stablehlo.compare LT, %i, %s : (tensor<i64>, tensor<i64>) -> tensor<i1>
    stablehlo.return %c : tensor<i1>
  } do {
    stablehlo.return %i, %s : tensor<i64>, tensor<i64>
  }
  %w = stablehlo.constant dense_resource<__elided__> : tensor<4xcomplex<f32>>
  check.expect_eq_const %r0, dense<1> : tensor<i64>
  func.return
}
#loc1 = loc("a.py":1:2))",
    // The small float types: decimals rounded per format, bit patterns that
    // must fit 4/6/8 bits, splats, and converts between them.
    R"(func.func @main() -> tensor<2xf32> {
  %0 = stablehlo.constant dense<[1.5, 0x7F]> : tensor<2xf8E4M3FNUZ>
  %1 = stablehlo.constant dense<[-6.0, 0x3]> : tensor<2xf4E2M1FN>
  %2 = stablehlo.constant dense<28.0> : tensor<2xf6E3M2FN>
  %3 = stablehlo.constant dense<[0.25, 0xFF]> : tensor<2xf8E8M0FNU>
  %4 = stablehlo.convert %0 : (tensor<2xf8E4M3FNUZ>) -> tensor<2xf8E3M4>
  %5 = stablehlo.convert %4 : (tensor<2xf8E3M4>) -> tensor<2xf32>
  %6 = stablehlo.constant dense<[3.3, 0x78]> : tensor<2xf8E4M3>
  %7 = stablehlo.constant dense<[0x3F, 7.5]> : tensor<2xf6E2M3FN>
  %8 = stablehlo.constant dense<[30.0, 0x80]> : tensor<2xf8E4M3B11FNUZ>
  %9 = stablehlo.constant dense<57344.0> : tensor<2xf8E5M2FNUZ>
  func.return %5 : tensor<2xf32>
})",
};

}  // namespace

int main() {
  int runs = 0;
  for (const char* seed : kSeeds) {
    std::string text = seed;
    for (size_t n = 0; n <= text.size(); ++n) {
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(text.data()), n);
      ++runs;
    }
    for (size_t i = 0; i < text.size(); i += 3) {
      std::string mutated = text;
      mutated[i] = static_cast<char>(mutated[i] ^ (1 + i % 7));
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(mutated.data()),
                             mutated.size());
      ++runs;
    }
  }
  std::printf("ran %d inputs\n", runs);
  return 0;
}
