// Enumerates the programs of the shared corpus for whole-corpus tests:
// every testdata file, every `// -----` chunk of the interpret tests, and
// the models.
//
//   std::optional<std::string> dir = backplane::testing::FindCorpusDir();
//   if (!dir) GTEST_SKIP();
//   for (const CorpusProgram& p : ListCorpusPrograms(*dir)) Parse(p.text);
#ifndef BACKPLANE_COMPILER_PROTO_CORPUS_PROGRAMS_H_
#define BACKPLANE_COMPILER_PROTO_CORPUS_PROGRAMS_H_

#include <string>
#include <vector>

namespace backplane::testing {

struct CorpusProgram {
  enum class Kind { kTestdata, kInterpret, kModel };
  Kind kind;
  std::string
      name;  // "testdata/abs_float64_20_20.mlir", "interpret/add.mlir#3"
  std::string text;
};

// In a stable (sorted) order; unreadable files are skipped.
std::vector<CorpusProgram> ListCorpusPrograms(const std::string& corpus_dir);

}  // namespace backplane::testing

#endif  // BACKPLANE_COMPILER_PROTO_CORPUS_PROGRAMS_H_
