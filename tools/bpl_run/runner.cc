#include "tools/bpl_run/runner.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "base/json.h"
#include "base/status_macros.h"
#include "compiler/parser/parser.h"
#include "tools/bpl_run/test_discovery.h"

namespace backplane::bpl_run {
namespace {

// Seeds of random inputs start here so they never coincide with the seeds
// the parser uses for elided constants (their ordinals count from 0).
constexpr int64_t kInputSeedBase = int64_t{1} << 40;

std::string OneLine(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\n", " "}, {"\r", " "}});
}

struct Record {
  std::string path;
  std::string function;
  bool passed;
  std::string reason;
  int64_t wall_ns;
};

}  // namespace

absl::StatusOr<std::vector<ir::Literal>> RandomInputs(
    const ir::Function& function) {
  std::vector<ir::Literal> inputs;
  const std::vector<ir::Type> types = function.argument_types();
  for (size_t i = 0; i < types.size(); ++i) {
    if (!types[i].is_tensor()) {
      return absl::UnimplementedError(absl::StrCat(
          "argument ", i, " of @", function.name(), " has type ",
          types[i].ToString(), "; random inputs exist only for tensors"));
    }
    RETURN_IF_ERROR(ir::TensorType::CheckedElementCount(types[i].dims()));
    ASSIGN_OR_RETURN(ir::Literal literal,
                     ir::Literal::Allocate(types[i].tensor()),
                     "random input for argument %d of @%s", i, function.name());
    RETURN_IF_ERROR(parser::DefaultElidedFiller(
        kInputSeedBase + static_cast<int64_t>(i), &literal));
    inputs.push_back(std::move(literal));
  }
  return inputs;
}

absl::StatusOr<std::vector<ir::Literal>> TestInputs(
    const TestFile& file, const TestChunk& chunk, const TestCase& test,
    const RunnerOptions& options) {
  if (!test.needs_arguments) return std::vector<ir::Literal>();
  const ir::Function& function = *chunk.module->LookupFunction(test.function);
  if (file.directives.args.has_value()) {
    return ParseArgumentList(*file.directives.args, function);
  }
  if (!options.random_inputs) {
    return absl::FailedPreconditionError(absl::StrCat(
        "@", test.function,
        " takes arguments and the file gives none (no RUN line passes "
        "--args=\"[...]\" or an echoed --args=@file); pass --random_inputs "
        "to run it on random values"));
  }
  return RandomInputs(function);
}

absl::StatusOr<RunSummary> RunTests(const std::vector<std::string>& paths,
                                    const RunnerOptions& options,
                                    Backend& backend, std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<std::string> files, CollectMlirFiles(paths));
  RunSummary summary;
  std::vector<Record> records;
  auto report = [&](const std::string& label, const std::string& path,
                    const std::string& function, const absl::Status& status,
                    int64_t wall_ns) {
    Record r{path, function, status.ok(), std::string(), wall_ns};
    if (status.ok()) {
      ++summary.passed;
      out << "PASS " << label << "\n";
    } else {
      ++summary.failed;
      r.reason = OneLine(status.message());
      if (r.reason.empty()) r.reason = absl::StatusCodeToString(status.code());
      out << "FAIL " << label << ": " << r.reason << "\n";
    }
    out.flush();
    records.push_back(std::move(r));
  };
  for (const std::string& path : files) {
    absl::StatusOr<TestFile> file = LoadTestFile(path);
    if (!file.ok()) {
      report(path, path, "", file.status(), 0);
      continue;
    }
    for (const TestChunk& chunk : file->chunks) {
      for (const TestCase& test : chunk.tests) {
        if (!chunk.parse_status.ok()) {
          report(test.label, path, test.function, chunk.parse_status, 0);
          continue;
        }
        absl::StatusOr<std::vector<ir::Literal>> inputs =
            TestInputs(*file, chunk, test, options);
        if (!inputs.ok()) {
          report(test.label, path, test.function, inputs.status(), 0);
          continue;
        }
        ExecutionResult result = backend.Run(chunk, test, *std::move(inputs));
        if (result.status.ok() && test.function == "main") {
          result.status =
              MatchCheckLines(file->directives, PrintResults(result.outputs));
        }
        if (options.stats) {
          out << "STATS " << test.label << " {";
          if (!result.extra_stats_has_wall_ns) {
            out << "\"wall_ns\":" << result.wall_ns
                << (result.extra_stats_json.empty() ? "" : ",");
          }
          out << result.extra_stats_json << "}\n";
        }
        report(test.label, path, test.function, result.status, result.wall_ns);
      }
    }
  }
  out << summary.passed << " passed, " << summary.failed << " failed\n";
  out.flush();
  if (!options.json_path.empty()) {
    std::ofstream json(options.json_path);
    if (!json) {
      return absl::UnavailableError(
          absl::StrCat("cannot write ", options.json_path));
    }
    json << "{\"backend\":" << base::JsonQuote(backend.name())
         << ",\"passed\":" << summary.passed << ",\"failed\":" << summary.failed
         << ",\"tests\":[";
    for (size_t i = 0; i < records.size(); ++i) {
      const Record& r = records[i];
      json << (i ? ",\n" : "\n") << "{\"path\":" << base::JsonQuote(r.path)
           << ",\"function\":" << base::JsonQuote(r.function)
           << ",\"status\":" << (r.passed ? "\"PASS\"" : "\"FAIL\"")
           << ",\"reason\":" << base::JsonQuote(r.reason)
           << ",\"wall_ns\":" << r.wall_ns << "}";
    }
    json << "\n]}\n";
    if (!json) {
      return absl::UnavailableError(
          absl::StrCat("cannot write ", options.json_path));
    }
  }
  return summary;
}

}  // namespace backplane::bpl_run
