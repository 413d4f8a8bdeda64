#include "compiler/passes/pipeline.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compiler/passes/canonicalize.h"
#include "compiler/passes/chlo_decompose.h"
#include "compiler/passes/cse.h"
#include "compiler/passes/dce.h"
#include "compiler/passes/inline.h"

namespace backplane::passes {

std::vector<std::string> RegisteredPassNames() {
  return {"canonicalize", "chlo-decompose", "constant-fold", "cse",
          "dce",          "inline"};
}

absl::StatusOr<std::unique_ptr<Pass>> CreatePassByName(
    absl::string_view name, const PipelineOptions& options) {
  if (name == "canonicalize") return CreateCanonicalizePass();
  if (name == "chlo-decompose") return CreateChloDecomposePass();
  if (name == "cse") return CreateCsePass();
  if (name == "dce") return CreateDcePass();
  if (name == "inline") return CreateInlinePass();
  if (name == "constant-fold") {
    if (!options.evaluator) {
      return absl::InvalidArgumentError(
          "pass constant-fold needs PipelineOptions::evaluator");
    }
    return CreateConstantFoldPass(options.evaluator);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown pass '", name,
      "'; known passes: ", absl::StrJoin(RegisteredPassNames(), ", ")));
}

std::unique_ptr<PassManager> StandardPipeline(const PipelineOptions& options) {
  auto pm = std::make_unique<PassManager>();
  if (options.verifier) pm->set_verifier(options.verifier);
  pm->Add(CreateInlinePass());
  std::vector<std::unique_ptr<Pass>> loop;
  loop.push_back(CreateCanonicalizePass());
  if (options.evaluator) {
    loop.push_back(CreateConstantFoldPass(options.evaluator));
  }
  loop.push_back(CreateCsePass());
  pm->AddFixedPoint(std::move(loop), options.max_iterations);
  pm->Add(CreateDcePass());
  return pm;
}

namespace {

absl::Status SyntaxError(absl::string_view spec, size_t pos,
                         absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("pipeline '", spec, "' at offset ", pos, ": ", what));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PassManager>> ParsePipeline(
    absl::string_view spec, const PipelineOptions& options) {
  auto pm = std::make_unique<PassManager>();
  if (options.verifier) pm->set_verifier(options.verifier);
  size_t pos = 0;
  auto skip_spaces = [&] {
    while (pos < spec.size() && absl::ascii_isspace(spec[pos])) ++pos;
  };
  auto read_name = [&]() -> std::string {
    size_t start = pos;
    while (pos < spec.size() &&
           (absl::ascii_isalnum(spec[pos]) || spec[pos] == '-')) {
      ++pos;
    }
    return std::string(spec.substr(start, pos - start));
  };
  skip_spaces();
  if (pos == spec.size()) return pm;  // An empty pipeline does nothing.
  while (true) {
    skip_spaces();
    if (pos < spec.size() && spec[pos] == '(') {
      ++pos;
      std::vector<std::unique_ptr<Pass>> group;
      while (true) {
        skip_spaces();
        size_t at = pos;
        std::string name = read_name();
        if (name.empty()) return SyntaxError(spec, at, "expected a pass name");
        absl::StatusOr<std::unique_ptr<Pass>> p =
            CreatePassByName(name, options);
        if (!p.ok()) return SyntaxError(spec, at, p.status().message());
        group.push_back(*std::move(p));
        skip_spaces();
        if (pos < spec.size() && spec[pos] == ',') {
          ++pos;
          continue;
        }
        if (pos < spec.size() && spec[pos] == ')') {
          ++pos;
          break;
        }
        return SyntaxError(spec, pos, "expected ',' or ')'");
      }
      skip_spaces();
      if (pos >= spec.size() || spec[pos] != '*') {
        return SyntaxError(spec, pos, "expected '*N' after a group");
      }
      ++pos;
      size_t start = pos;
      while (pos < spec.size() && absl::ascii_isdigit(spec[pos])) ++pos;
      int rounds = 0;
      if (!absl::SimpleAtoi(spec.substr(start, pos - start), &rounds) ||
          rounds < 1 || rounds > 1000) {
        return SyntaxError(spec, start, "expected a round count in [1, 1000]");
      }
      pm->AddFixedPoint(std::move(group), rounds);
    } else {
      size_t at = pos;
      std::string name = read_name();
      if (name.empty()) return SyntaxError(spec, at, "expected a pass name");
      absl::StatusOr<std::unique_ptr<Pass>> p = CreatePassByName(name, options);
      if (!p.ok()) return SyntaxError(spec, at, p.status().message());
      pm->Add(*std::move(p));
    }
    skip_spaces();
    if (pos == spec.size()) break;
    if (spec[pos] != ',') return SyntaxError(spec, pos, "expected ','");
    ++pos;
  }
  return pm;
}

}  // namespace backplane::passes
