#include "tools/fuzz/abi_sequence/load_plugins.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace backplane::fuzz {

namespace {

std::string Resolve(const std::string& path, const std::string& argv0) {
  if (!path.empty() && path[0] == '/') return path;
  std::vector<std::string> candidates;
  if (const char* runfiles = std::getenv("RUNFILES_DIR")) {
    candidates.push_back(absl::StrCat(runfiles, "/backplane/", path));
  }
  if (!argv0.empty()) {
    candidates.push_back(absl::StrCat(argv0, ".runfiles/backplane/", path));
  }
  for (const std::string& c : candidates) {
    if (access(c.c_str(), R_OK) == 0) return c;
  }
  // The loader treats names containing '/' as paths.
  return path.find('/') == std::string::npos ? absl::StrCat("./", path) : path;
}

}  // namespace

std::vector<std::string> DefaultPluginPaths() {
  return {"examples/hello_plugin/libbackplane_hello.so",
          "cpu_plugin/libbackplane_cpu.so",
          "sim_accelerator/libbackplane_sim.so"};
}

absl::StatusOr<LoadedPlugins> LoadPlugins(const std::vector<std::string>& paths,
                                          const std::string& argv0) {
  LoadedPlugins loaded;
  for (const std::string& path : paths) {
    const std::string resolved = Resolve(path, argv0);
    ASSIGN_OR_RETURN(std::shared_ptr<loader::LoadedPlugin> plugin,
                     loader::Loader::Default().Load(resolved), "loading %s",
                     resolved);
    loaded.apis.push_back(plugin->api());
    loaded.names.push_back(plugin->name());
    loaded.libraries.push_back(std::move(plugin));
  }
  return loaded;
}

}  // namespace backplane::fuzz
