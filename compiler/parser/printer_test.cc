#include "compiler/parser/printer.h"

#include <string>

#include "absl/strings/match.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::parser {
namespace {

using ::testing::HasSubstr;

// parse -> print -> parse -> print must be a fixed point, and the reparsed
// module must verify.
std::string RoundTrip(const std::string& text) {
  auto m = ParseModule(text);
  EXPECT_TRUE(m.ok()) << m.status();
  if (!m.ok()) return "";
  std::string printed = PrintModule(**m);
  auto again = ParseModule(printed);
  EXPECT_TRUE(again.ok()) << again.status() << "\n" << printed;
  if (!again.ok()) return "";
  absl::Status verified = ir::VerifyModule(**again);
  EXPECT_TRUE(verified.ok()) << verified << "\n" << printed;
  EXPECT_EQ(PrintModule(**again), printed);
  return printed;
}

TEST(PrinterTest, ModuleFunctionsAndAttributes) {
  std::string p = RoundTrip(R"(
    module @m attributes {mhlo.num_replicas = 1 : i32} {
      func.func public @main(%a: tensor<2xf32> {mhlo.sharding = "{replicated}"}) -> (tensor<2xf32> {jax.result_info = "r"}) {
        %0 = call @f(%a) : (tensor<2xf32>) -> tensor<2xf32>
        return %0 : tensor<2xf32>
      }
      func.func private @f(%x: tensor<2xf32>) -> tensor<2xf32> {
        return %x : tensor<2xf32>
      }
    })");
  EXPECT_THAT(
      p, HasSubstr("module @m attributes {mhlo.num_replicas = 1 : i32} {"));
  EXPECT_THAT(p, HasSubstr("func.func public @main(%arg0: tensor<2xf32> "
                           "{mhlo.sharding = \"{replicated}\"}) -> "
                           "(tensor<2xf32> {jax.result_info = \"r\"})"));
  EXPECT_THAT(p, HasSubstr("%0 = call @f(%arg0) : (tensor<2xf32>) -> "
                           "tensor<2xf32>\n    return %0 : tensor<2xf32>\n"));
  EXPECT_THAT(p, HasSubstr("func.func private @f"));
}

TEST(PrinterTest, QuotedOpNamesWithEscapesRoundTrip) {
  // Found by the parser fuzzer (2026-12-07): the name was printed without
  // re-escaping, so every print/parse halved its backslashes.
  auto m = ParseModule(R"(
func.func @main() {
  "my\\dialect.\"op\""() : () -> ()
  func.return
})");
  ASSERT_TRUE(m.ok()) << m.status();
  const std::string printed = PrintModule(**m);
  EXPECT_THAT(printed, HasSubstr(R"("my\\dialect.\"op\""())"));
  auto again = ParseModule(printed);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(PrintModule(**again), printed);
}

TEST(PrinterTest, ChloScanRoundTripsWithItsSegments) {
  std::string p = RoundTrip(R"(
func.func @main(%a: tensor<4xi32>, %b: tensor<4xf32>, %c: tensor<i32>) -> (tensor<4xi32>, tensor<i32>) {
  %0:2 = chlo.scan(%a, %b) inits(%c) dimension=0 attributes {is_reverse = true} {
  ^bb0(%x: tensor<i32>, %y: tensor<f32>, %acc: tensor<i32>):
    %s = stablehlo.add %x, %acc : tensor<i32>
    stablehlo.return %s, %s : tensor<i32>, tensor<i32>
  } : (tensor<4xi32>, tensor<4xf32>, tensor<i32>) -> (tensor<4xi32>, tensor<i32>)
  func.return %0#0, %0#1 : tensor<4xi32>, tensor<i32>
})");
  EXPECT_THAT(p, HasSubstr("operandSegmentSizes = array<i32: 2, 1>"));
  EXPECT_THAT(p, HasSubstr("resultSegmentSizes = array<i32: 1, 1>"));
  EXPECT_THAT(p, HasSubstr("is_reverse = true"));
}

TEST(PrinterTest, ShardyMeshesPrintBack) {
  std::string p = RoundTrip(R"(
module @m attributes {mhlo.num_partitions = 4 : i32} {
  sdy.mesh @mesh = <["a"=2, "b"=2]>
  sdy.mesh @"odd name" = <[], device_ids=[0]>
  func.func @main(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"a", "b"}]>}) -> tensor<8xf32> {
    %0 = sdy.sharding_constraint %a <@mesh, [{"b", ?}]> : tensor<8xf32>
    func.return %0 : tensor<8xf32>
  }
})");
  EXPECT_THAT(p, HasSubstr("\"sdy.sharding_constraint\"(%arg0) {sharding = "
                           "#sdy.sharding<@mesh, [{\"b\", ?}]>}"));
  EXPECT_THAT(p, HasSubstr("  sdy.mesh @mesh = <[\"a\"=2, \"b\"=2]>\n"));
  EXPECT_THAT(p, HasSubstr("sdy.mesh @\"odd name\" = <[], device_ids=[0]>"));
  EXPECT_THAT(p, HasSubstr("#sdy.sharding<@mesh, [{\"a\", \"b\"}]>"));
  EXPECT_THAT(ParseModule("module {\n  sdy.mesh @m = <[]>\n  sdy.mesh @m = "
                          "<[]>\n}\n")
                  .status()
                  .message(),
              HasSubstr("mesh @m is defined twice"));
}

TEST(PrinterTest, RegionsMultiResultsAndLocations) {
  std::string p = RoundTrip(R"(
    func.func @main(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<f32>, tensor<i32>) {
      %c = stablehlo.constant dense<0.0> : tensor<f32>
      %z = stablehlo.constant dense<0> : tensor<i32>
      %r:2 = stablehlo.reduce(%x init: %c), (%i init: %z) across dimensions = [0] : (tensor<4xf32>, tensor<4xi32>, tensor<f32>, tensor<i32>) -> (tensor<f32>, tensor<i32>)
       reducer(%a: tensor<f32>, %b: tensor<f32>) (%p: tensor<i32>, %q: tensor<i32>) {
        %s = stablehlo.add %a, %b : tensor<f32> loc("x.py":3:4)
        %t = stablehlo.maximum %p, %q : tensor<i32>
        stablehlo.return %s, %t : tensor<f32>, tensor<i32>
      }
      return %r#0, %r#1 : tensor<f32>, tensor<i32>
    }
    #loc9 = loc("y.py":1:1))");
  EXPECT_THAT(p,
              HasSubstr("%2:2 = \"stablehlo.reduce\"(%arg0, %arg1, %0, %1) ({\n"
                        "    ^bb0(%arg2: tensor<f32>, %arg3: tensor<i32>, "
                        "%arg4: tensor<f32>, %arg5: tensor<i32>):"));
  EXPECT_THAT(p, HasSubstr("loc(\"x.py\":3:4)"));
  EXPECT_THAT(p, HasSubstr("return %2#0, %2#1 : tensor<f32>, tensor<i32>"));
  EXPECT_THAT(p, HasSubstr("%3 = stablehlo.add %arg2, %arg4 : tensor<f32> "
                           "loc(\"x.py\":3:4)"));
  EXPECT_THAT(p, HasSubstr("#loc9 = loc(\"y.py\":1:1)"));
}

TEST(PrinterTest, DenseLiteralsReadBackBitExact) {
  const std::string text = R"(
    func.func @main() {
      %0 = stablehlo.constant dense<[0x7FC00001, -0.0, 1.0e-45, 3.40282347E+38, 0xFF800000]> : tensor<5xf32>
      %1 = stablehlo.constant dense<[0x7E01, 6.1e-05, -65504.0]> : tensor<3xf16>
      %2 = stablehlo.constant dense<[0x7FC1, 1.0e+38]> : tensor<2xbf16>
      %3 = stablehlo.constant dense<[4.9406564584124654E-324, 0.1, 0x7FF0000000000001]> : tensor<3xf64>
      %4 = stablehlo.constant dense<[(0.1, -0.2), (0x7F800000, 1.0)]> : tensor<2xcomplex<f32>>
      %5 = stablehlo.constant dense<[true, false, true]> : tensor<3xi1>
      %6 = stablehlo.constant dense<[-2, -1, 0, 1]> : tensor<4xi2>
      %7 = stablehlo.constant dense<[0, 15, 7]> : tensor<3xui4>
      %8 = stablehlo.constant dense<[-9223372036854775808, 9223372036854775807]> : tensor<2xi64>
      %9 = stablehlo.constant dense<[18446744073709551615, 0]> : tensor<2xui64>
      %10 = stablehlo.iota dim = 0 : tensor<40xf32>
      %11 = stablehlo.constant dense<[[1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 11, 12, 13, 14, 15, 16, 17, 18]]> : tensor<2x9xi32>
      %12 = stablehlo.constant dense<[0x01, 0x7F, 0xFF]> : tensor<3xf8E4M3FN>
      func.return
    })";
  auto m = ParseModule(text);
  ASSERT_TRUE(m.ok()) << m.status();
  std::string printed = PrintModule(**m);
  auto again = ParseModule(printed);
  ASSERT_TRUE(again.ok()) << again.status() << printed;
  std::vector<const ir::Literal*> before, after;
  ir::Walk(**m, [&](ir::Op& op) {
    if (op.attr("value")) before.push_back(&op.attr("value")->literal());
  });
  ir::Walk(**again, [&](ir::Op& op) {
    if (op.attr("value")) after.push_back(&op.attr("value")->literal());
  });
  ASSERT_EQ(before.size(), 12u);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_TRUE(before[i]->BitwiseEquals(*after[i])) << "constant " << i;
  }
  // Large non-splat literals use the compact hex form.
  EXPECT_THAT(printed, HasSubstr("dense<\"0x0100000002000000"));
  EXPECT_THAT(printed, HasSubstr("0x7FC00001"));
  EXPECT_EQ(PrintModule(**again), printed);
}

// Every small float type of the spec parses from decimals (rounded to the
// type) and from bit patterns, prints as exact hex bit patterns and reads
// back bit for bit; f4/f6 patterns must fit their 4 or 6 bits.
TEST(PrinterTest, SmallFloatTypesRoundTrip) {
  const std::string text = R"(
    func.func @main() {
      %0 = stablehlo.constant dense<[0.0, 1.0, 2.0, 3.3]> : tensor<4xf8E3M4>
      %1 = stablehlo.constant dense<[140.0, 0x78, -0.0]> : tensor<3xf8E4M3>
      %2 = stablehlo.constant dense<[1.0, 0x80]> : tensor<2xf8E4M3FNUZ>
      %3 = stablehlo.constant dense<[1.0, 57344.0]> : tensor<2xf8E5M2FNUZ>
      %4 = stablehlo.constant dense<[-1.0, 30.0]> : tensor<2xf8E4M3B11FNUZ>
      %5 = stablehlo.constant dense<[1.0, 0.25, 0xFF]> : tensor<3xf8E8M0FNU>
      %6 = stablehlo.constant dense<[-6.0, 0.5]> : tensor<2xf4E2M1FN>
      %7 = stablehlo.constant dense<[7.5, 0x3F]> : tensor<2xf6E2M3FN>
      %8 = stablehlo.constant dense<28.0> : tensor<2xf6E3M2FN>
      func.return
    })";
  auto m = ParseModule(text);
  ASSERT_TRUE(m.ok()) << m.status();
  std::vector<std::vector<uint8_t>> bytes;
  ir::Walk(**m, [&](ir::Op& op) {
    if (!op.attr("value")) return;
    const ir::Literal& l = op.attr("value")->literal();
    bytes.emplace_back(l.untyped_data(), l.untyped_data() + l.byte_size());
  });
  ASSERT_EQ(bytes.size(), 9u);
  EXPECT_EQ(bytes[0], (std::vector<uint8_t>{0x00, 0x30, 0x40, 0x4a}));
  EXPECT_EQ(bytes[1], (std::vector<uint8_t>{0x71, 0x78, 0x80}));
  EXPECT_EQ(bytes[2], (std::vector<uint8_t>{0x40, 0x80}));
  EXPECT_EQ(bytes[3], (std::vector<uint8_t>{0x40, 0x7f}));
  EXPECT_EQ(bytes[4], (std::vector<uint8_t>{0xd8, 0x7f}));
  EXPECT_EQ(bytes[5], (std::vector<uint8_t>{0x7f, 0x7d, 0xff}));
  EXPECT_EQ(bytes[6], (std::vector<uint8_t>{0x0f, 0x01}));
  EXPECT_EQ(bytes[7], (std::vector<uint8_t>{0x1f, 0x3f}));
  EXPECT_EQ(bytes[8], (std::vector<uint8_t>{0x1f, 0x1f}));
  const std::string printed = RoundTrip(text);
  EXPECT_THAT(printed, HasSubstr("tensor<4xf8E3M4>"));
  EXPECT_THAT(printed, HasSubstr("tensor<2xf6E3M2FN>"));

  auto too_wide = ParseModule(R"(
    func.func @main() {
      %0 = stablehlo.constant dense<[0x10]> : tensor<1xf4E2M1FN>
      func.return
    })");
  ASSERT_FALSE(too_wide.ok());
  EXPECT_THAT(too_wide.status().message(),
              HasSubstr("hex bit pattern 0x10 does not fit f4E2M1FN"));
}

TEST(PrinterTest, AllStructuredAttributesRoundTrip) {
  std::string p = RoundTrip(R"(
    func.func @main(%img: tensor<1x8x8x2xf32>, %k: tensor<3x3x2x4xf32>, %x: tensor<3x4xf32>, %i: tensor<2x1xi32>) -> tensor<1x4x4x4xf32> {
      %0 = stablehlo.convolution(%img, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [2, 2], pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64, precision_config = [#stablehlo<precision DEFAULT>, #stablehlo<precision HIGH>]} : (tensor<1x8x8x2xf32>, tensor<3x3x2x4xf32>) -> tensor<1x4x4x4xf32>
      %1 = "stablehlo.gather"(%x, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 4>}> : (tensor<3x4xf32>, tensor<2x1xi32>) -> tensor<2x4xf32>
      %2 = stablehlo.dot_general %x, %x, contracting_dims = [1] x [1], precision = [DEFAULT, DEFAULT] : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x3xf32>
      %t = stablehlo.after_all : !stablehlo.token
      %3 = "stablehlo.send"(%x, %t) {channel_handle = #stablehlo.channel_handle<handle = 1, type = 2>, is_host_transfer = true} : (tensor<3x4xf32>, !stablehlo.token) -> !stablehlo.token
      %cx = stablehlo.complex %x, %x : tensor<3x4xcomplex<f32>>
      %4 = stablehlo.fft %cx, type = FFT, length = [4] : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xcomplex<f32>>
      %5 = "x.y"(%x) {a = #stablehlo.result_accuracy<atol = 0.5, rtol = 0.0, ulps = 1, mode = #stablehlo.result_accuracy_mode<DEFAULT>>, b = #stablehlo.output_operand_alias<output_tuple_indices = [], operand_index = 0, operand_tuple_indices = []>, c = #stablehlo<rng_algorithm PHILOX>, d = 2.5 : bf16, e = array<i1: true>, f = @"odd name", g = "tab\there"} : (tensor<3x4xf32>) -> tensor<3x4xf32>
      return %0 : tensor<1x4x4x4xf32>
    })");
  EXPECT_THAT(p, HasSubstr("dimension_numbers = #stablehlo.conv<[b, 0, 1, "
                           "f]x[0, 1, i, o]->[b, 0, 1, f]>"));
  EXPECT_THAT(p, HasSubstr("padding = dense<1> : tensor<2x2xi64>"));
  EXPECT_THAT(
      p, HasSubstr("#stablehlo.gather<offset_dims = [1], collapsed_slice_dims "
                   "= [0], start_index_map = [0], index_vector_dim = 1>"));
  EXPECT_THAT(p, HasSubstr("#stablehlo.dot<lhs_contracting_dimensions = [1], "
                           "rhs_contracting_dimensions = [1]>"));
  EXPECT_THAT(p, HasSubstr("f = @\"odd name\""));
  EXPECT_THAT(p, HasSubstr("d = 2.5 : bf16"));
}

TEST(PrinterTest, CustomSyntaxForCommonOps) {
  std::string p = RoundTrip(R"(
    func.func @main(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
      %0 = stablehlo.transpose %b, dims = [1, 0] : (tensor<3x2xf32>) -> tensor<2x3xf32>
      %1 = stablehlo.compare GE, %a, %0, FLOAT : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
      %2 = stablehlo.select %1, %a, %0 : tensor<2x3xi1>, tensor<2x3xf32>
      %3 = stablehlo.dot_general %2, %b, contracting_dims = [1] x [0] : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
      %4 = stablehlo.iota dim = 1 : tensor<2x2xf32>
      %5 = stablehlo.concatenate %3, %4, dim = 0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
      %6 = stablehlo.slice %5 [0:2, 0:2] : (tensor<4x2xf32>) -> tensor<2x2xf32>
      %7 = "stablehlo.broadcast_in_dim"(%6) {broadcast_dimensions = dense<[0, 1]> : tensor<2xi64>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
      return %7 : tensor<2x2xf32>
    })");
  EXPECT_THAT(p, HasSubstr("%0 = stablehlo.transpose %arg1, dims = [1, 0] : "
                           "(tensor<3x2xf32>) -> tensor<2x3xf32>"));
  EXPECT_THAT(
      p, HasSubstr("%1 = stablehlo.compare GE, %arg0, %0, FLOAT : "
                   "(tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>"));
  EXPECT_THAT(p,
              HasSubstr("%2 = stablehlo.select %1, %arg0, %0 : "
                        "(tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> "
                        "tensor<2x3xf32>"));
  EXPECT_THAT(p, HasSubstr("%3 = stablehlo.dot_general %2, %arg1, "
                           "contracting_dims = [1] x [0] :"));
  EXPECT_THAT(p, HasSubstr("%4 = stablehlo.iota dim = 1 : tensor<2x2xf32>"));
  EXPECT_THAT(p, HasSubstr("%5 = stablehlo.concatenate %3, %4, dim = 0 :"));
  // Slices, and attributes in a spelling the custom syntax would change,
  // stay generic.
  EXPECT_THAT(p, HasSubstr("%6 = \"stablehlo.slice\"(%5) {start_indices"));
  EXPECT_THAT(
      p, HasSubstr("\"stablehlo.broadcast_in_dim\"(%6) "
                   "{broadcast_dimensions = dense<[0, 1]> : tensor<2xi64>}"));
}

TEST(PrinterTest, QuotedSymbolNames) {
  std::string p = RoundTrip(R"(
    module @"my-module" {
      func.func @"f-1"() {
        func.return
      }
      func.func @main() {
        call @"f-1"() : () -> ()
        func.return
      }
    })");
  EXPECT_THAT(p, HasSubstr("module @\"my-module\" {"));
  EXPECT_THAT(p, HasSubstr("func.func public @\"f-1\"()"));
}

TEST(PrinterTest, PrintOpShowsOneOp) {
  auto m = ParseModule(R"(
    func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
      %0 = stablehlo.abs %x : tensor<2xf32>
      return %0 : tensor<2xf32>
    })");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(PrintOp(*(*m)->LookupFunction("main")->entry()->front()),
            "%0 = stablehlo.abs %arg0 : tensor<2xf32>\n");
}

}  // namespace
}  // namespace backplane::parser
