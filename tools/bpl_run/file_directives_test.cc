#include "tools/bpl_run/file_directives.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/runner.h"

namespace backplane::bpl_run {
namespace {

using ::testing::HasSubstr;

constexpr char kAdd[] = R"(
func.func @main(%x: tensor<2xi32>, %y: tensor<2xi64>) -> tensor<2xi64> {
  %c = stablehlo.convert %x : (tensor<2xi32>) -> tensor<2xi64>
  %0 = stablehlo.add %c, %y : tensor<2xi64>
  return %0 : tensor<2xi64>
}
)";

std::unique_ptr<ir::Module> Parse(const std::string& text) {
  auto m = parser::ParseModule(text);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *std::move(m) : nullptr;
}

TEST(FileDirectivesTest, InlineArgumentsOfTheFirstRunLineThatIsNotNot) {
  FileDirectives d = ReadFileDirectives(
      "// RUN: not tool %s --args=\"[dense<9> : tensor<2xi32>]\"\n"
      "// RUN: tool %s --interpret --args=\"[dense<[1, 2]> : tensor<2xi32>, "
      "dense<5> : tensor<2xi64>]\" | FileCheck %s\n");
  ASSERT_TRUE(d.args.has_value());
  EXPECT_EQ(*d.args,
            "[dense<[1, 2]> : tensor<2xi32>, dense<5> : tensor<2xi64>]");
  auto m = Parse(kAdd);
  auto args = ParseArgumentList(*d.args, *m->LookupFunction("main"));
  ASSERT_TRUE(args.ok()) << args.status();
  ASSERT_EQ(args->size(), 2u);
  EXPECT_EQ((*args)[0].data<int32_t>()[1], 2);
  EXPECT_EQ((*args)[1].data<int64_t>()[0], 5);
}

TEST(FileDirectivesTest, EchoedArgumentFileAndContinuationLines) {
  FileDirectives d = ReadFileDirectives(
      "// RUN: echo \"[dense<1> : tensor<2xi32>]\" > %t.args\n"
      "// RUN: tool %s \\\n"
      "// RUN:   --args=@%t.args | FileCheck %s\n");
  ASSERT_TRUE(d.args.has_value());
  EXPECT_EQ(*d.args, "[dense<1> : tensor<2xi32>]");
  // A .npy file is not read: no arguments.
  EXPECT_FALSE(
      ReadFileDirectives("// RUN: tool --args=@%t/p.npy\n").args.has_value());
}

TEST(FileDirectivesTest, ArgumentErrorsNameTheValue) {
  auto m = Parse(kAdd);
  const ir::Function& main = *m->LookupFunction("main");
  EXPECT_THAT(ParseArgumentList("not_array", main).status().message(),
              HasSubstr("bracketed list"));
  EXPECT_THAT(
      ParseArgumentList("[dense<1> : tensor<2xi32>]", main).status().message(),
      HasSubstr("has 1 values but @main takes 2"));
  EXPECT_THAT(ParseArgumentList("[4.0 : f32, dense<1> : tensor<2xi64>]", main)
                  .status()
                  .message(),
              HasSubstr("value #0 is not `dense<...>"));
  EXPECT_THAT(ParseArgumentList(
                  "[dense<1> : tensor<2xi32>, dense<1> : tensor<3xi64>]", main)
                  .status()
                  .message(),
              HasSubstr("value #1 is a tensor<3xi64> but argument 1"));
}

TEST(FileDirectivesTest, CheckAndCheckNextFollowFileCheck) {
  FileDirectives d = ReadFileDirectives(
      "// CHECK:      tensor<2xi64> {\n"
      "// CHECK-NEXT:   [6, 7]\n"
      "// CHECK-NEXT: }\n"
      "// CHECK-ERROR-NO-FILE: failed to read\n");
  ASSERT_EQ(d.checks.size(), 3u) << "other prefixes are not ours";
  EXPECT_TRUE(d.checks_unsupported.empty());
  EXPECT_TRUE(MatchCheckLines(d, "tensor<2xi64> {\n  [6, 7]\n}\n").ok());
  EXPECT_TRUE(
      MatchCheckLines(d, "noise\ntensor<2xi64> {\n  [6,   7]\n}\n").ok());
  absl::Status wrong = MatchCheckLines(d, "tensor<2xi64> {\n  [6, 8]\n}\n");
  EXPECT_EQ(wrong.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong.message(), HasSubstr("CHECK-NEXT on line 2 ([6, 7])"));
  // CHECK-NEXT must be the very next line.
  EXPECT_FALSE(MatchCheckLines(d, "tensor<2xi64> {\n\n  [6, 7]\n}\n").ok());
}

TEST(FileDirectivesTest, UnsupportedChecksAreNotMatched) {
  EXPECT_THAT(ReadFileDirectives("// CHECK-LABEL: @f\n").checks_unsupported,
              HasSubstr("CHECK-LABEL"));
  EXPECT_THAT(ReadFileDirectives("// CHECK: {{.*}}\n").checks_unsupported,
              HasSubstr("regex"));
  EXPECT_THAT(ReadFileDirectives("// CHECK: x\n// -----\n// CHECK: y\n")
                  .checks_unsupported,
              HasSubstr("split"));
}

class RunnerArgumentsTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const char* tmp = std::getenv("TEST_TMPDIR");
    std::string path = std::string(tmp ? tmp : "/tmp") + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string Run(const std::string& path, int expected_passed) {
    std::unique_ptr<Backend> backend = MakeInterpreterBackend();
    std::ostringstream out;
    absl::StatusOr<RunSummary> s =
        RunTests({path}, RunnerOptions(), *backend, out);
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(s->passed, expected_passed) << out.str();
    return out.str();
  }
};

TEST_F(RunnerArgumentsTest, RunsMainOnTheFileArgumentsAndMatchesItsChecks) {
  const std::string header =
      "// RUN: tool %s --interpret --args=\"[dense<[1, 2]> : tensor<2xi32>, "
      "dense<5> : tensor<2xi64>]\" | FileCheck %s\n";
  Run(Write("args_ok.mlir", header + kAdd +
                                "// CHECK: tensor<2xi64> {\n"
                                "// CHECK-NEXT: [6, 7]\n"),
      1);
  EXPECT_THAT(Run(Write("args_wrong.mlir", header + kAdd +
                                               "// CHECK: tensor<2xi64> {\n"
                                               "// CHECK-NEXT: [6, 70]\n"),
                  0),
              HasSubstr("does not match the printed results"));
  EXPECT_THAT(Run(Write("args_none.mlir", kAdd), 0),
              HasSubstr("the file gives none"));
}

}  // namespace
}  // namespace backplane::bpl_run
