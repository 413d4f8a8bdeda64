// The standard pipeline (with the interpreter as constant evaluator) on the
// whole corpus: every program that verifies before must verify after every
// pass, and on a sample of the testdata programs the optimised program must
// compute bitwise the same results (NaNs compare equal to NaNs) and pass or
// fail the same checks.
#include <cmath>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "compiler/passes/pipeline.h"
#include "compiler/proto/corpus_programs.h"
#include "gtest/gtest.h"
#include "tests/util/corpus.h"

namespace backplane::passes {
namespace {

using backplane::testing::CorpusProgram;

int64_t CountOps(const ir::Module& m) {
  int64_t n = 0;
  ir::Walk(m, [&](ir::Op&) { ++n; });
  return n;
}

bool IsNanAt(const ir::Literal& lit, int64_t i) {
  ir::ElementType t = lit.element_type();
  if (ir::IsFloat(t)) return std::isnan(lit.GetAsDouble(i));
  if (ir::IsComplex(t)) {
    return std::isnan(lit.GetAsDouble(i)) || std::isnan(lit.GetImagAsDouble(i));
  }
  return false;
}

// Bitwise equality where any NaN equals any NaN (element-wise; a complex
// element matches when both have a NaN part).
bool SameResults(const ir::Literal& a, const ir::Literal& b) {
  if (a.type() != b.type()) return false;
  int size = ir::ElementByteSize(a.element_type());
  for (int64_t i = 0; i < a.element_count(); ++i) {
    if (std::memcmp(a.untyped_data() + i * size, b.untyped_data() + i * size,
                    size) == 0) {
      continue;
    }
    if (IsNanAt(a, i) && IsNanAt(b, i)) continue;
    return false;
  }
  return true;
}

absl::StatusOr<std::vector<ir::Literal>> Run(const ir::Module& m,
                                             const std::string& function) {
  absl::StatusOr<std::unique_ptr<interpreter::Interpreter>> interp =
      interpreter::Interpreter::Create(m);
  if (!interp.ok()) return interp.status();
  return (*interp)->Run(function, {});
}

// The functions the corpus runs: @main when present, else every public
// function without arguments (the interpret tests' convention).
std::vector<std::string> EntryPoints(const ir::Module& m) {
  if (m.LookupFunction("main") != nullptr) return {"main"};
  std::vector<std::string> out;
  for (const auto& f : m.functions()) {
    if (f->is_public() && f->num_arguments() == 0) out.push_back(f->name());
  }
  return out;
}

// Runs every entry point of both modules; false (with test failures
// recorded) when they disagree. A program the interpreter cannot run must
// not become runnable or vice versa, and a check that held must still hold.
bool SameBehaviour(const std::string& name, const ir::Module& original,
                   const ir::Module& optimised, int* successful_runs) {
  bool same = true;
  for (const std::string& fn : EntryPoints(original)) {
    absl::StatusOr<std::vector<ir::Literal>> want = Run(original, fn);
    absl::StatusOr<std::vector<ir::Literal>> got = Run(optimised, fn);
    if (want.ok() != got.ok() ||
        (!want.ok() && want.status().code() != got.status().code())) {
      ADD_FAILURE() << name << " @" << fn << ": original " << want.status()
                    << ", optimised " << got.status();
      same = false;
      continue;
    }
    if (!want.ok()) continue;
    ++*successful_runs;
    if (want->size() != got->size()) {
      ADD_FAILURE() << name << " @" << fn << ": result counts differ";
      same = false;
      continue;
    }
    for (size_t i = 0; i < want->size(); ++i) {
      if (!SameResults((*want)[i], (*got)[i])) {
        ADD_FAILURE() << name << " @" << fn << ": result #" << i << " differs";
        same = false;
      }
    }
  }
  return same;
}

PipelineOptions Options() {
  PipelineOptions options;
  options.evaluator = interpreter::EvaluateOp;
  options.verifier = [](const ir::Module& m) { return ir::VerifyModule(m); };
  return options;
}

TEST(CorpusPipelineTest, PipelineKeepsProgramsValidAndResultsEqual) {
  std::optional<std::string> dir = backplane::testing::FindCorpusDir();
  if (!dir) GTEST_SKIP() << "corpus not found";
  std::vector<CorpusProgram> programs =
      backplane::testing::ListCorpusPrograms(*dir);
  int optimised = 0, skipped = 0, compared = 0, testdata_seen = 0;
  int disagreements = 0, successful_runs = 0;
  int64_t ops_before = 0, ops_after = 0;
  absl::Duration pipeline_time;
  for (const CorpusProgram& program : programs) {
    parser::ParseOptions parse_options;
    parse_options.filename = program.name;
    absl::StatusOr<std::unique_ptr<ir::Module>> m =
        parser::ParseModule(program.text, parse_options);
    // Programs that do not parse or verify are other tests' business
    // (some interpret chunks are negative tests).
    if (!m.ok() || !ir::VerifyModule(**m).ok()) {
      ++skipped;
      continue;
    }
    int64_t before = CountOps(**m);
    std::unique_ptr<PassManager> pm = StandardPipeline(Options());
    absl::Time start = absl::Now();
    absl::StatusOr<bool> changed = pm->Run(**m);
    pipeline_time += absl::Now() - start;
    ASSERT_TRUE(changed.ok()) << program.name << ": " << changed.status();
    ++optimised;
    ops_before += before;
    ops_after += CountOps(**m);
    if (program.kind == CorpusProgram::Kind::kModel) {
      std::printf("%s: %lld -> %lld ops in %s\n", program.name.c_str(),
                  static_cast<long long>(before),
                  static_cast<long long>(CountOps(**m)),
                  absl::FormatDuration(absl::Now() - start).c_str());
    }

    // Semantic check on every 4th testdata program, every one using CHLO,
    // and every interpret
    // chunk, with and without constant folding (with folding most testdata
    // programs collapse to constants, which would leave the other rewrites
    // unexercised).
    if (program.kind == CorpusProgram::Kind::kModel ||
        (program.kind == CorpusProgram::Kind::kTestdata &&
         testdata_seen++ % 4 != 0 &&
         program.text.find("chlo.") == std::string::npos)) {
      continue;
    }
    absl::StatusOr<std::unique_ptr<ir::Module>> original =
        parser::ParseModule(program.text, parse_options);
    absl::StatusOr<std::unique_ptr<ir::Module>> unfolded =
        parser::ParseModule(program.text, parse_options);
    ASSERT_TRUE(original.ok() && unfolded.ok());
    // The variant without folding also decomposes CHLO, so that pass gets
    // checked against the interpreter's direct CHLO kernels.
    PipelineOptions no_fold = Options();
    no_fold.evaluator = nullptr;
    absl::StatusOr<std::unique_ptr<PassManager>> unfolding = ParsePipeline(
        "chlo-decompose,inline,(canonicalize,cse)*8,dce", no_fold);
    ASSERT_TRUE(unfolding.ok()) << unfolding.status();
    absl::StatusOr<bool> unfolded_changed = (*unfolding)->Run(**unfolded);
    ASSERT_TRUE(unfolded_changed.ok())
        << program.name << ": " << unfolded_changed.status();
    ++compared;
    if (!SameBehaviour(program.name, **original, **m, &successful_runs) ||
        !SameBehaviour(program.name + " (no folding)", **original, **unfolded,
                       &successful_runs)) {
      ++disagreements;
    }
  }
  std::printf(
      "optimised %d programs (%d skipped: parse/verify); ops %lld -> %lld; "
      "pipeline time %s; %d compared with the interpreter (%d runs that "
      "succeed), %d differ\n",
      optimised, skipped, static_cast<long long>(ops_before),
      static_cast<long long>(ops_after),
      absl::FormatDuration(pipeline_time).c_str(), compared, successful_runs,
      disagreements);
  EXPECT_GT(optimised, 1000);
  EXPECT_GT(compared, 500);
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(successful_runs, 500);
}

}  // namespace
}  // namespace backplane::passes
