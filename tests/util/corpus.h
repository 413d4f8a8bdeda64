// Locates the shared reference corpus (`../shared/corpus` beside the
// repository) from tests and tools. The corpus is optional: callers skip
// cleanly when it is absent.
#ifndef BACKPLANE_TESTS_UTIL_CORPUS_H_
#define BACKPLANE_TESTS_UTIL_CORPUS_H_

#include <optional>
#include <string>

namespace backplane::testing {

// Returns the corpus folder, trying in order: $BACKPLANE_CORPUS_DIR; the
// folder `../shared/corpus` beside the source tree, found by resolving this
// target's runfile symlink (works under `bazel test` and `bazel run`);
// `$BUILD_WORKSPACE_DIRECTORY/../shared/corpus`; `../shared/corpus` from the
// working directory. std::nullopt when none exists.
std::optional<std::string> FindCorpusDir();

}  // namespace backplane::testing

#endif  // BACKPLANE_TESTS_UTIL_CORPUS_H_
