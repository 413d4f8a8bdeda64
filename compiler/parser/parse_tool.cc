// Parses (and optionally prints) MLIR files: a development and timing aid.
//
//   bazel run -c opt //compiler/parser:parse_tool -- [--print] [--split]
//       [--no-fill] a.mlir
//
// Reports per-file parse time and the first error, and exits non-zero when
// any file fails to parse or does not print back identically.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "compiler/parser/printer.h"

int main(int argc, char** argv) {
  bool print = false;
  bool split = false;
  bool no_fill = false;  // Leave elided resources zero: times parsing alone.
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--print") {
      print = true;
    } else if (a == "--no-fill") {
      no_fill = true;
    } else if (a == "--split") {
      split = true;
    } else {
      files.push_back(a);
    }
  }
  int failures = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot open\n", file.c_str());
      ++failures;
      continue;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    std::vector<backplane::parser::InputChunk> chunks;
    if (split) {
      chunks = backplane::parser::SplitInputFile(text);
    } else {
      chunks.push_back({text, 1});
    }
    backplane::parser::ParseOptions options;
    options.filename = file;
    if (no_fill) {
      options.fill_elided_resource = [](int64_t, backplane::ir::Literal*) {
        return absl::OkStatus();
      };
    }
    for (const auto& chunk : chunks) {
      auto start = std::chrono::steady_clock::now();
      auto module = backplane::parser::ParseModule(chunk.text, options);
      double ms = std::chrono::duration<double, std::milli>(
                      std::chrono::steady_clock::now() - start)
                      .count();
      if (!module.ok()) {
        std::fprintf(stderr, "FAIL %s\n",
                     std::string(module.status().message()).c_str());
        ++failures;
        continue;
      }
      absl::Status verified = backplane::ir::VerifyModule(**module);
      if (!verified.ok()) {
        std::fprintf(stderr, "VERIFY FAIL %s\n",
                     std::string(verified.message()).c_str());
        ++failures;
      }
      std::string printed = backplane::parser::PrintModule(**module);
      auto again = backplane::parser::ParseModule(printed, options);
      if (!again.ok()) {
        std::fprintf(stderr, "REPARSE FAIL %s: %s\n", file.c_str(),
                     std::string(again.status().message()).c_str());
        ++failures;
        continue;
      }
      if (backplane::parser::PrintModule(**again) != printed) {
        std::fprintf(stderr, "ROUNDTRIP MISMATCH %s\n", file.c_str());
        ++failures;
      }
      if (print) std::fputs(printed.c_str(), stdout);
      std::fprintf(stderr, "ok %s (%.2f ms)\n", file.c_str(), ms);
    }
  }
  return failures == 0 ? 0 : 1;
}
