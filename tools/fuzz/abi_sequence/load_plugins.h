// Loads the plugins a fuzz run drives, by library path, through the
// framework's loader (which also initialises them).
//
//   absl::StatusOr<LoadedPlugins> plugins = LoadPlugins(
//       {"examples/hello_plugin/libbackplane_hello.so"}, argv[0]);
//   RunSequence(data, size, plugins->apis);
#ifndef BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_LOAD_PLUGINS_H_
#define BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_LOAD_PLUGINS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/backplane_c_api.h"
#include "plugins/loader/loader.h"

namespace backplane::fuzz {

struct LoadedPlugins {
  std::vector<std::shared_ptr<loader::LoadedPlugin>> libraries;
  std::vector<const BPL_Api*> apis;
  std::vector<std::string> names;
};

// The bundled plugins' libraries, relative to the workspace.
std::vector<std::string> DefaultPluginPaths();

// Loads `paths`; a relative path is looked up in the runfiles first
// ($RUNFILES_DIR, then `argv0`.runfiles), then as given.
absl::StatusOr<LoadedPlugins> LoadPlugins(const std::vector<std::string>& paths,
                                          const std::string& argv0);

}  // namespace backplane::fuzz

#endif  // BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_LOAD_PLUGINS_H_
