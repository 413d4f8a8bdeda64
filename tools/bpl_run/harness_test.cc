// Tests of the bpl_run harness: discovery, the runner's output format and
// JSON report, random inputs, host-side checks and JSON escaping.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/json.h"
#include "base/status_macros.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/child_process.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/host_checks.h"
#include "tools/bpl_run/runner.h"
#include "tools/bpl_run/test_discovery.h"

namespace backplane::bpl_run {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class HarnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    root_ = fs::path(tmp ? tmp : "/tmp") /
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_ / "sub");
    Write("a_pass.mlir", R"(
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  %b = stablehlo.add %a, %a : tensor<2xi32>
  check.expect_eq_const %b, dense<[2, 4]> : tensor<2xi32>
  func.return
})");
    Write("b_fail.mlir", R"(
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  check.expect_eq_const %a, dense<[1, 5]> : tensor<2xi32>
  func.return
})");
    Write("sub/c_split.mlir", R"(
func.func @first() {
  %a = stablehlo.constant dense<1> : tensor<i32>
  check.expect_eq_const %a, dense<1> : tensor<i32>
  func.return
}
func.func @second() {
  %a = stablehlo.constant dense<2.0> : tensor<f32>
  %b = stablehlo.sqrt %a : tensor<f32>
  check.expect_almost_eq_const %b, dense<1.41421354> : tensor<f32>
  func.return
}
func.func private @helper() {
  func.return
}
// -----
func.func @other() {
  func.return
}
func.func @main() {
  %a = stablehlo.constant dense<3> : tensor<i32>
  stablehlo.custom_call @check.expect_eq(%a, %a) {has_side_effect = true} : (tensor<i32>, tensor<i32>) -> ()
  func.return
})");
    Write("d_args.mlir", R"(
func.func @main(%x: tensor<4xf32>, %i: tensor<3xi32>) -> tensor<4xf32> {
  %y = stablehlo.multiply %x, %x : tensor<4xf32>
  func.return %y : tensor<4xf32>
})");
    Write("e_bad.mlir", "func.func @main( {\n");
    Write("notes.txt", "not a test");
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(root_ / name) << text;
  }

  std::string Path(const std::string& name) { return (root_ / name).string(); }

  fs::path root_;
};

TEST_F(HarnessTest, DiscoversSortedMlirFilesAndTests) {
  absl::StatusOr<std::vector<std::string>> files =
      CollectMlirFiles({root_.string()});
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 5u);
  EXPECT_EQ((*files)[0], Path("a_pass.mlir"));
  EXPECT_EQ((*files)[4], Path("sub/c_split.mlir"));
  absl::StatusOr<TestFile> split = LoadTestFile(Path("sub/c_split.mlir"));
  ASSERT_TRUE(split.ok());
  ASSERT_EQ(split->chunks.size(), 2u);
  ASSERT_EQ(split->chunks[0].tests.size(), 2u);  // @helper is private.
  EXPECT_EQ(split->chunks[0].tests[0].label,
            Path("sub/c_split.mlir") + ":first");
  ASSERT_EQ(split->chunks[1].tests.size(), 1u);  // Only @main.
  EXPECT_EQ(split->chunks[1].tests[0].function, "main");
  EXPECT_EQ(CollectMlirFiles({Path("missing")}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(HarnessTest, PrintsOneLinePerTestAndSummary) {
  std::unique_ptr<Backend> backend = MakeInterpreterBackend();
  std::ostringstream out;
  RunnerOptions options;
  options.json_path = Path("report.json");
  options.stats = true;
  absl::StatusOr<RunSummary> summary =
      RunTests({root_.string()}, options, *backend, out);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->passed, 4);
  EXPECT_EQ(summary->failed, 3);
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("PASS " + Path("a_pass.mlir") + "\n"));
  EXPECT_THAT(text, HasSubstr("FAIL " + Path("b_fail.mlir") + ": "));
  EXPECT_THAT(text, HasSubstr("index [1]: 2 (actual) vs 5 (expected)"));
  EXPECT_THAT(text,
              HasSubstr("FAIL " + Path("d_args.mlir") +
                        ": @main takes arguments and the file gives none"));
  EXPECT_THAT(text, HasSubstr("FAIL " + Path("e_bad.mlir") + ":chunk1: "));
  EXPECT_THAT(text,
              HasSubstr("PASS " + Path("sub/c_split.mlir") + ":second\n"));
  EXPECT_THAT(text, HasSubstr("PASS " + Path("sub/c_split.mlir") + ":main\n"));
  EXPECT_THAT(text,
              HasSubstr("STATS " + Path("a_pass.mlir") + " {\"wall_ns\":"));
  EXPECT_TRUE(absl::EndsWith(text, "4 passed, 3 failed\n")) << text;

  std::ifstream json_in(Path("report.json"));
  std::stringstream json;
  json << json_in.rdbuf();
  EXPECT_THAT(json.str(), HasSubstr("\"passed\":4,\"failed\":3"));
  EXPECT_THAT(json.str(),
              HasSubstr("{\"path\":\"" + Path("b_fail.mlir") +
                        "\",\"function\":\"main\",\"status\":\"FAIL\""));
  EXPECT_THAT(json.str(), HasSubstr("\"wall_ns\":"));
}

TEST_F(HarnessTest, RandomInputsRunFunctionsWithArguments) {
  std::unique_ptr<Backend> backend = MakeInterpreterBackend();
  std::ostringstream out;
  RunnerOptions options;
  options.random_inputs = true;
  absl::StatusOr<RunSummary> summary =
      RunTests({Path("d_args.mlir")}, options, *backend, out);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->passed, 1) << out.str();

  std::unique_ptr<ir::Module> m =
      *parser::ParseModule(LoadTestFile(Path("d_args.mlir"))->chunks[0].text);
  absl::StatusOr<std::vector<ir::Literal>> a =
      RandomInputs(*m->LookupFunction("main"));
  absl::StatusOr<std::vector<ir::Literal>> b =
      RandomInputs(*m->LookupFunction("main"));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), 2u);
  EXPECT_TRUE((*a)[0].BitwiseEquals((*b)[0]));  // Deterministic.
  for (int32_t v : (*a)[1].data<int32_t>()) {
    EXPECT_GE(v, 0);
    EXPECT_LT(v, 4);
  }
}

// A 16 GiB argument under a 2 GiB address-space limit: RESOURCE_EXHAUSTED
// with the size, in a child so that the limit stays there.
TEST_F(HarnessTest, RandomInputTooLargeForHostMemoryIsResourceExhausted) {
  if (!tests::AddressSpaceLimitsWork()) GTEST_SKIP() << "sanitizer build";
  std::optional<std::string> text = tests::RunInChild(
      [] {
        auto m = parser::ParseModule(R"(
func.func @main(%x: tensor<2147483648xf64>) -> tensor<2147483648xf64> {
  return %x : tensor<2147483648xf64>
})");
        if (!m.ok()) return m.status().ToString();
        auto inputs = RandomInputs(*(*m)->LookupFunction("main"));
        return inputs.ok() ? std::string("allocated")
                           : inputs.status().ToString();
      },
      size_t{2} << 30);
  ASSERT_TRUE(text.has_value()) << "RandomInputs crashed out of host memory";
  EXPECT_THAT(*text, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_THAT(*text, HasSubstr("argument 0 of @main"));
  EXPECT_THAT(*text, HasSubstr("17179869184 bytes"));
}

// Moves the checks out, runs the rewritten program on the interpreter as a
// plugin would, and evaluates the checks on the host.
absl::Status RunWithHostChecks(const std::string& text) {
  ASSIGN_OR_RETURN(std::unique_ptr<ir::Module> m, parser::ParseModule(text));
  ASSIGN_OR_RETURN(std::vector<HostCheck> checks, ExtractChecks(*m, "main"));
  ASSIGN_OR_RETURN(std::unique_ptr<interpreter::Interpreter> interp,
                   interpreter::Interpreter::Create(*m));
  ASSIGN_OR_RETURN(std::vector<ir::Literal> out, interp->Run("main", {}));
  return EvaluateHostChecks(checks, out);
}

TEST(HostChecksTest, ChecksMoveToResultsAndHoldOnTheHost) {
  const std::string pass = R"(
func.func @main() -> tensor<2xf32> {
  %a = stablehlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = stablehlo.add %a, %a : tensor<2xf32>
  check.expect_eq_const %b, dense<[2.0, 4.0]> : tensor<2xf32>
  stablehlo.custom_call @check.expect_close(%b, %b) {has_side_effect = true} : (tensor<2xf32>, tensor<2xf32>) -> ()
  check.expect_almost_eq %a, %a : tensor<2xf32>
  func.return %a : tensor<2xf32>
})";
  EXPECT_TRUE(RunWithHostChecks(pass).ok());
  absl::StatusOr<std::unique_ptr<ir::Module>> m = parser::ParseModule(pass);
  ASSERT_TRUE(m.ok());
  absl::StatusOr<std::vector<HostCheck>> checks = ExtractChecks(**m, "main");
  ASSERT_TRUE(checks.ok());
  EXPECT_EQ(checks->size(), 3u);
  // One original result, then 1 + 2 + 2 checked values.
  EXPECT_EQ((*m)->LookupFunction("main")->result_types().size(), 6u);

  absl::Status fail = RunWithHostChecks(R"(
func.func @main() {
  %a = stablehlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  check.expect_eq_const %a, dense<[1.0, 3.0]> : tensor<2xf32>
  func.return
})");
  EXPECT_EQ(fail.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(fail.message(), HasSubstr("index [1]"));

  absl::Status nested = RunWithHostChecks(R"(
func.func @main() {
  %t = stablehlo.constant dense<true> : tensor<i1>
  %r = "stablehlo.if"(%t) ({
    check.expect_eq_const %t, dense<true> : tensor<i1>
    stablehlo.return %t : tensor<i1>
  }, {
    stablehlo.return %t : tensor<i1>
  }) : (tensor<i1>) -> tensor<i1>
  func.return
})");
  EXPECT_EQ(nested.code(), absl::StatusCode::kUnimplemented);
}

TEST(HostChecksTest, SerializedEqComparesWithTheProbedValue) {
  // Two probes of one id record iterations 0 and 1.
  const std::string probes = R"(
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi64>
  %b = stablehlo.add %a, %a : tensor<2xi64>
  %p = interpreter.probe %b, probe_id = "p" : tensor<2xi64>
  %c = stablehlo.add %p, %a : tensor<2xi64>
  %q = interpreter.probe %c, probe_id = "p" : tensor<2xi64>
  check.expect_serialized_eq %p, probe_id = "p" : tensor<2xi64>
  check.expect_serialized_eq %q, probe_id = "p", iter = 1 : tensor<2xi64>
  func.return
})";
  EXPECT_TRUE(RunWithHostChecks(probes).ok());
  // The probed value differs from the checked one.
  absl::Status mismatch = RunWithHostChecks(R"(
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi64>
  %p = interpreter.probe %a, probe_id = "p" : tensor<2xi64>
  %b = stablehlo.add %p, %a : tensor<2xi64>
  check.expect_serialized_eq %b, probe_id = "p" : tensor<2xi64>
  func.return
})");
  EXPECT_EQ(mismatch.code(), absl::StatusCode::kFailedPrecondition);
  // Unknown ids and iterations, and probes inside loops, stay with the
  // interpreter.
  for (const char* check :
       {"check.expect_serialized_eq %p, probe_id = \"q\" : tensor<2xi64>",
        "check.expect_serialized_eq %p, probe_id = \"p\", iter = 1 : "
        "tensor<2xi64>"}) {
    absl::Status missing = RunWithHostChecks(absl::StrCat(R"(
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi64>
  %p = interpreter.probe %a, probe_id = "p" : tensor<2xi64>
  )",
                                                          check, R"(
  func.return
})"));
    EXPECT_EQ(missing.code(), absl::StatusCode::kUnimplemented) << check;
  }
}

// A loop summing ones `trips` times, probing the sum each iteration.
std::string LoopProbeProgram(int trips, const std::string& checks) {
  return absl::StrCat(R"(
func.func @main() {
  %zero = stablehlo.constant dense<0> : tensor<i64>
  %one = stablehlo.constant dense<1> : tensor<i64>
  %two = stablehlo.constant dense<2> : tensor<i64>
  %n = stablehlo.constant dense<)",
                      trips, R"(> : tensor<i64>
  %i, %sum = stablehlo.while(%a = %zero, %b = %zero) : tensor<i64>, tensor<i64>
  cond {
    %c = stablehlo.compare LT, %a, %n : (tensor<i64>, tensor<i64>) -> tensor<i1>
    stablehlo.return %c : tensor<i1>
  } do {
    %s = stablehlo.add %b, %one : tensor<i64>
    %p = interpreter.probe %s, probe_id = "sum" : tensor<i64>
    %j = stablehlo.add %a, %one : tensor<i64>
    stablehlo.return %j, %p : tensor<i64>, tensor<i64>
  }
  check.expect_eq_const %sum, dense<)",
                      trips, R"(> : tensor<i64>
  )",
                      checks, R"(
  func.return
})");
}

TEST(HostChecksTest, SerializedEqReadsProbesInsideALoop) {
  const std::string checks =
      "check.expect_serialized_eq %one, probe_id = \"sum\", iter = 0 : "
      "tensor<i64>\n  check.expect_serialized_eq %two, probe_id = \"sum\", "
      "iter = 1 : tensor<i64>";
  EXPECT_TRUE(RunWithHostChecks(LoopProbeProgram(2, checks)).ok());
  EXPECT_TRUE(RunWithHostChecks(LoopProbeProgram(5, checks)).ok());
  // A wrong value, and an iteration the loop never ran (its slot would
  // hold zero, which the check value is): both fail, as on the
  // interpreter.
  EXPECT_EQ(
      RunWithHostChecks(LoopProbeProgram(2,
                                         "check.expect_serialized_eq %two, "
                                         "probe_id = \"sum\", iter = 0 : "
                                         "tensor<i64>"))
          .code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      RunWithHostChecks(LoopProbeProgram(2,
                                         "check.expect_serialized_eq %zero, "
                                         "probe_id = \"sum\", iter = 3 : "
                                         "tensor<i64>"))
          .code(),
      absl::StatusCode::kFailedPrecondition);
}

// ExtractChecks on `text` after taking the operand off every
// interpreter.probe, as generic op syntax allows.
absl::Status ExtractWithOperandlessProbes(const std::string& text) {
  ASSIGN_OR_RETURN(std::unique_ptr<ir::Module> m, parser::ParseModule(text));
  ir::Walk(*m, [](ir::Op& op) {
    if (op.code() == ir::OpCode::kInterpreterProbe) op.SetOperands({});
  });
  return ExtractChecks(*m, "main").status();
}

TEST(HostChecksTest, SerializedEqOfAProbeWithoutOperandIsAnError) {
  // In the function body and alone in a loop body: an error naming the
  // probe, not a crash.
  for (const std::string& text :
       {std::string(R"(
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi64>
  %p = interpreter.probe %a, probe_id = "p" : tensor<2xi64>
  check.expect_serialized_eq %a, probe_id = "p" : tensor<2xi64>
  func.return
})"),
        LoopProbeProgram(2,
                         "check.expect_serialized_eq %one, probe_id = "
                         "\"sum\", iter = 0 : tensor<i64>")}) {
    absl::Status status = ExtractWithOperandlessProbes(text);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(status.message()), HasSubstr("interpreter.probe"));
    EXPECT_THAT(std::string(status.message()), HasSubstr("has no operand"));
  }
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(base::JsonQuote("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
}

}  // namespace
}  // namespace backplane::bpl_run
