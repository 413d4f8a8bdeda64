#include "tools/bpl_run/test_discovery.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "compiler/parser/parser.h"

namespace backplane::bpl_run {

namespace fs = std::filesystem;

absl::StatusOr<std::vector<std::string>> CollectMlirFiles(
    const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
      continue;
    }
    if (!fs::is_directory(path, ec)) {
      return absl::NotFoundError(
          absl::StrCat("no such file or folder: ", path));
    }
    for (fs::recursive_directory_iterator it(path, ec), end; it != end && !ec;
         it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".mlir") {
        files.push_back(it->path().string());
      }
    }
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot list ", path, ": ", ec.message()));
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

absl::StatusOr<TestFile> LoadTestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  TestFile file;
  file.path = path;
  file.directives = ReadFileDirectives(text);
  std::vector<parser::InputChunk> chunks;
  if (absl::StrContains(text, "// -----")) {
    chunks = parser::SplitInputFile(text);
  } else {
    chunks.push_back(parser::InputChunk{text, 1});
  }
  const bool split = chunks.size() > 1;
  absl::flat_hash_map<std::string, int> label_count;
  for (size_t c = 0; c < chunks.size(); ++c) {
    TestChunk chunk;
    chunk.path = path;
    chunk.text = std::move(chunks[c].text);
    parser::ParseOptions options;
    options.filename = path;
    absl::StatusOr<std::unique_ptr<ir::Module>> module =
        parser::ParseModule(chunk.text, options);
    auto add_test = [&](const std::string& function, bool needs_arguments) {
      TestCase t;
      t.function = function;
      t.needs_arguments = needs_arguments;
      std::string label = split || function != "main"
                              ? absl::StrCat(path, ":", function)
                              : path;
      const int seen = label_count[label]++;
      if (seen > 0) absl::StrAppend(&label, "#", c + 1);
      t.label = std::move(label);
      chunk.tests.push_back(std::move(t));
    };
    if (!module.ok()) {
      chunk.parse_status = module.status();
      add_test(absl::StrCat("chunk", c + 1), false);
      file.chunks.push_back(std::move(chunk));
      continue;
    }
    chunk.module = std::shared_ptr<ir::Module>(std::move(*module));
    if (const ir::Function* main = chunk.module->LookupFunction("main")) {
      add_test("main", main->num_arguments() > 0);
    } else {
      for (const auto& fn : chunk.module->functions()) {
        if (fn->is_public() && fn->num_arguments() == 0) {
          add_test(fn->name(), false);
        }
      }
    }
    file.chunks.push_back(std::move(chunk));
  }
  return file;
}

}  // namespace backplane::bpl_run
