// Family Compile: valid and invalid programs, formats, serialisation,
// fingerprints, executable queries.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class Compile : public ConformanceTest {};

TEST_F(Compile, ValidProgramReportsItsSignature) {
  Executable exe = CompileOrDie(R"(
func.func @main(%a: tensor<2x3xf32>, %b: tensor<i32>) -> (tensor<3x2xf32>, tensor<i32>) {
  %t = stablehlo.transpose %a, dims = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %t, %b : tensor<3x2xf32>, tensor<i32>
})");
  auto params = exe.parameter_shapes();
  ASSERT_TRUE(params.ok()) << params.status();
  ASSERT_EQ(params->size(), 2u);
  EXPECT_EQ((*params)[0], (Shape{BPL_ELEMENT_TYPE_F32, {2, 3}}));
  EXPECT_EQ((*params)[1], (Shape{BPL_ELEMENT_TYPE_S32, {}}));
  auto outputs = exe.output_shapes();
  ASSERT_TRUE(outputs.ok());
  ASSERT_EQ(outputs->size(), 2u);
  EXPECT_EQ((*outputs)[0], (Shape{BPL_ELEMENT_TYPE_F32, {3, 2}}));
  EXPECT_TRUE(exe.name().ok());
  auto devices = exe.devices();
  ASSERT_TRUE(devices.ok());
  ASSERT_EQ(devices->size(), 1u);
  EXPECT_EQ((*devices)[0].get(), device_.get());
  EXPECT_TRUE(exe.memory_stats().ok());
}

TEST_F(Compile, UnknownFormatIsUnimplemented) {
  auto exe = client_.Compile("whatever", {}, {}, "no-such-format");
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(exe.status().message(), HasSubstr("no-such-format"));
}

TEST_F(Compile, SyntaxErrorHasLineAndColumn) {
  auto exe = client_.Compile(
      "func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
      "  %b = stablehlo.add %a, : tensor<4xf32>\n"
      "  return %b : tensor<4xf32>\n"
      "}\n");
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(exe.status().message()),
              MatchesRegex(".*:2:[0-9]+.*"));
}

TEST_F(Compile, VerifierErrorIsInvalidArgument) {
  // Operand shapes of add disagree.
  auto exe = client_.Compile(R"(
func.func @main(%a: tensor<4xf32>, %b: tensor<3xf32>) -> tensor<4xf32> {
  %c = stablehlo.add %a, %b : (tensor<4xf32>, tensor<3xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
})");
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.status().code(), absl::StatusCode::kInvalidArgument)
      << exe.status();
}

// A recv whose channel no send of the program uses would wait forever: it
// is a compile error naming the op and the channel, not a hang at run time.
TEST_F(Compile, RecvThatNoSendCanMatchIsACompileError) {
  auto exe = client_.Compile(R"(
func.func @main() -> tensor<2xi64> {
  %t = stablehlo.after_all : !stablehlo.token
  %a, %b = "stablehlo.recv"(%t) {
    channel_handle = #stablehlo.channel_handle<handle = 5, type = 3>,
    is_host_transfer = true
  } : (!stablehlo.token) -> (tensor<2xi64>, !stablehlo.token)
  return %a : tensor<2xi64>
})");
  ASSERT_FALSE(exe.ok()) << "compiled a recv that can never complete";
  EXPECT_EQ(exe.status().code(), absl::StatusCode::kInvalidArgument)
      << exe.status();
  EXPECT_THAT(exe.status().message(), HasSubstr("stablehlo.recv"));
  EXPECT_THAT(exe.status().message(), HasSubstr("channel 5"));
}

TEST_F(Compile, UnsupportedOpIsUnimplementedNamingIt) {
  auto exe = client_.Compile(R"(
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  %b = stablehlo.custom_call @vendor_x.secret_kernel(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %b : tensor<4xf32>
})");
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.status().code(), absl::StatusCode::kUnimplemented)
      << exe.status();
  EXPECT_THAT(exe.status().message(), HasSubstr("vendor_x.secret_kernel"));
}

TEST_F(Compile, MissingEntryFunctionIsAnError) {
  auto exe = client_.Compile(kAddProgram,
                             {{"entry_function", std::string("nowhere")}});
  ASSERT_FALSE(exe.ok());
  EXPECT_THAT(exe.status().message(), HasSubstr("nowhere"));
}

TEST_F(Compile, UnknownCompileOptionIsRejectedButOtherPluginsOptionsIgnored) {
  auto bad = client_.Compile(kAddProgram, {{"no_such_option", int64_t{1}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("no_such_option"));
  auto mistyped =
      client_.Compile(kAddProgram, {{"num_replicas", std::string("one")}});
  EXPECT_EQ(mistyped.status().code(), absl::StatusCode::kInvalidArgument);
  auto foreign = client_.Compile(
      kAddProgram, {{"some_other_vendor.tuning", std::string("fast")}});
  EXPECT_TRUE(foreign.ok()) << foreign.status();
}

TEST_F(Compile, SerializeDeserializeAndExecute) {
  REQUIRE_CAPABILITY("serialize");
  Executable exe = CompileOrDie(kAddProgram);
  auto bytes = exe.Serialize();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_FALSE(bytes->empty());
  auto loaded = client_.DeserializeExecutable(*bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(*loaded->fingerprint(), *exe.fingerprint());
  EXPECT_EQ(*loaded->parameter_shapes(), *exe.parameter_shapes());
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  Buffer b = Upload<float>({10, 20, 30, 40}, {4});
  auto out = loaded->ExecuteOnOneDevice({&a, &b});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(Download<float>((*out)[0]), ElementsAre(11, 22, 33, 44));
}

TEST_F(Compile, CorruptSerializedBytesAreInvalidArgument) {
  REQUIRE_CAPABILITY("serialize");
  auto garbage = client_.DeserializeExecutable("definitely not an executable");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  Executable exe = CompileOrDie(kAddProgram);
  std::string bytes = *exe.Serialize();
  auto truncated =
      client_.DeserializeExecutable(bytes.substr(0, bytes.size() / 3));
  EXPECT_FALSE(truncated.ok());
}

TEST_F(Compile, FingerprintIsStableAndDistinguishesPrograms) {
  Executable a = CompileOrDie(kAddProgram);
  Executable b = CompileOrDie(kAddProgram);
  Executable c = CompileOrDie(R"(
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %c = stablehlo.multiply %a, %b : tensor<4xf32>
  return %c : tensor<4xf32>
})");
  ASSERT_FALSE(a.fingerprint()->empty());
  EXPECT_EQ(*a.fingerprint(), *b.fingerprint());
  EXPECT_NE(*a.fingerprint(), *c.fingerprint());
}

TEST_F(Compile, DeletedExecutableKeepsHandleButCannotRun) {
  Executable exe = CompileOrDie(kAddProgram);
  ASSERT_TRUE(exe.Delete().ok());
  EXPECT_TRUE(*exe.IsDeleted());
  EXPECT_TRUE(exe.parameter_shapes().ok());
  Buffer a = Upload<float>({1, 2, 3, 4}, {4});
  auto out = exe.ExecuteOnOneDevice({&a, &a});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace backplane::conformance
