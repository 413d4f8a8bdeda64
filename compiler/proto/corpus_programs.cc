#include "compiler/proto/corpus_programs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "compiler/parser/parser.h"

namespace backplane::testing {
namespace {

std::vector<std::string> MlirFiles(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".mlir") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

}  // namespace

std::vector<CorpusProgram> ListCorpusPrograms(const std::string& corpus_dir) {
  std::vector<CorpusProgram> out;
  using Kind = CorpusProgram::Kind;
  for (const std::string& path :
       MlirFiles(corpus_dir + "/stablehlo/testdata")) {
    std::string text;
    if (!ReadFile(path, &text)) continue;
    out.push_back(
        {Kind::kTestdata,
         "testdata/" + std::filesystem::path(path).filename().string(),
         std::move(text)});
  }
  for (const std::string& path :
       MlirFiles(corpus_dir + "/stablehlo/interpret")) {
    std::string text;
    if (!ReadFile(path, &text)) continue;
    std::vector<parser::InputChunk> chunks = parser::SplitInputFile(text);
    for (size_t i = 0; i < chunks.size(); ++i) {
      out.push_back(
          {Kind::kInterpret,
           absl::StrCat("interpret/",
                        std::filesystem::path(path).filename().string(), "#",
                        i),
           std::move(chunks[i].text)});
    }
  }
  for (const std::string& path : MlirFiles(corpus_dir + "/models")) {
    std::string text;
    if (!ReadFile(path, &text)) continue;
    out.push_back({Kind::kModel,
                   "models/" + std::filesystem::path(path).filename().string(),
                   std::move(text)});
  }
  return out;
}

}  // namespace backplane::testing
