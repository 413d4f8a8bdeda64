#include "tests/util/corpus.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

namespace backplane::testing {
namespace {

bool IsDir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::optional<std::string> RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) == nullptr) return std::nullopt;
  return std::string(buf);
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// The marker file is a runfile of this library; its real path is inside the
// source tree, whose parent holds `shared/`.
std::optional<std::string> FromMarker() {
  const char* dirs[] = {"TEST_SRCDIR", "RUNFILES_DIR"};
  for (const char* var : dirs) {
    const char* root = std::getenv(var);
    if (root == nullptr) continue;
    std::string marker =
        std::string(root) + "/backplane/tests/util/corpus_marker.txt";
    std::optional<std::string> real = RealPath(marker);
    if (!real) continue;
    // <repo>/tests/util/corpus_marker.txt -> <repo>/../shared/corpus
    std::string repo = Dirname(Dirname(Dirname(*real)));
    std::string corpus = repo + "/../shared/corpus";
    if (IsDir(corpus)) return RealPath(corpus);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> FindCorpusDir() {
  if (const char* env = std::getenv("BACKPLANE_CORPUS_DIR")) {
    if (IsDir(env)) return std::string(env);
    return std::nullopt;
  }
  if (auto dir = FromMarker()) return dir;
  if (const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
    std::string corpus = std::string(ws) + "/../shared/corpus";
    if (IsDir(corpus)) return RealPath(corpus);
  }
  if (IsDir("../shared/corpus")) return RealPath("../shared/corpus");
  return std::nullopt;
}

}  // namespace backplane::testing
