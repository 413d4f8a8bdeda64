// Finds the tests of bpl_run: every `.mlir` file under the given paths
// (recursively, sorted), split at `// -----` lines into chunks; in a chunk
// that defines @main only @main is a test, otherwise every public function
// without arguments is one.
//
//   absl::StatusOr<std::vector<TestFile>> files = DiscoverTests({"corpus"});
//   for (const TestFile& f : *files)
//     for (const TestChunk& c : f.chunks)
//       for (const TestCase& t : c.tests) run(c.module, t);
#ifndef BACKPLANE_TOOLS_BPL_RUN_TEST_DISCOVERY_H_
#define BACKPLANE_TOOLS_BPL_RUN_TEST_DISCOVERY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "tools/bpl_run/file_directives.h"

namespace backplane::bpl_run {

struct TestCase {
  std::string label;     // "<path>" or "<path>:<func>", unique per run.
  std::string function;  // Function to run.
  bool needs_arguments = false;
};

struct TestChunk {
  std::string path;                    // The file it came from.
  std::string text;                    // The chunk's MLIR text.
  absl::Status parse_status;           // Parse failure: the chunk is one FAIL.
  std::shared_ptr<ir::Module> module;  // Null when parsing failed.
  std::vector<TestCase> tests;
};

struct TestFile {
  std::string path;
  FileDirectives directives;  // Its RUN and CHECK lines.
  std::vector<TestChunk> chunks;
};

// Every `.mlir` file under `paths` (files or folders), sorted; NOT_FOUND for
// a path that does not exist.
absl::StatusOr<std::vector<std::string>> CollectMlirFiles(
    const std::vector<std::string>& paths);

// Reads, splits and parses one file and lists its tests. Parse errors are
// recorded per chunk (the chunk becomes one failing test), not returned.
absl::StatusOr<TestFile> LoadTestFile(const std::string& path);

}  // namespace backplane::bpl_run

#endif  // BACKPLANE_TOOLS_BPL_RUN_TEST_DISCOVERY_H_
