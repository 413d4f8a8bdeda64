// Finds and loads Backplane plugins by name, for frameworks.
//
//   absl::StatusOr<std::shared_ptr<loader::LoadedPlugin>> cpu =
//       loader::LoadPlugin("cpu");
//   if (!cpu.ok()) std::cerr << cpu.status();  // lists every candidate tried
//
// `LoadPlugin(name)` resolves, in order:
//   1. BACKPLANE_PLUGINS="name=/path/lib.so,other=/path/lib2.so";
//   2. JSON manifests (see manifest.h) in the folders of
//      BACKPLANE_PLUGIN_PATH (colon-separated), then
//      /usr/local/lib/backplane/plugins and /usr/lib/backplane/plugins;
//   3. libbackplane_<name>.so through the dynamic linker's search path.
// An argument containing '/' is a library path and is loaded directly.
//
// Environment variables are ignored in set-uid/set-gid (AT_SECURE)
// processes. BACKPLANE_LOADER_DEBUG=1 logs every step to stderr. Libraries
// are opened with RTLD_LOCAL; loading the same plugin twice gives the same
// LoadedPlugin. A plugin stays loaded while any shared_ptr to it lives;
// unloading releases the handle but keeps the code mapped (RTLD_NODELETE),
// so nothing can ever call into unmapped plugin code.
#ifndef BACKPLANE_PLUGINS_LOADER_LOADER_H_
#define BACKPLANE_PLUGINS_LOADER_LOADER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/backplane_c_api.h"
#include "base/build_sanitizer.h"
#include "plugins/loader/manifest.h"

namespace backplane::loader {

// A plugin library loaded into this process, with its validated API table.
class LoadedPlugin {
 public:
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  // The name the plugin reports in its "name" attribute.
  const std::string& name() const { return name_; }
  // Canonical path of the library.
  const std::string& library_path() const { return library_path_; }
  // How it was found, e.g. "manifest /usr/lib/backplane/plugins/cpu.json".
  const std::string& found_by() const { return found_by_; }
  const BPL_Api* api() const { return api_; }

 private:
  friend class Loader;
  LoadedPlugin() = default;
  void* handle_ = nullptr;
  const BPL_Api* api_ = nullptr;
  std::string name_;
  std::string library_path_;
  std::string found_by_;
};

// A plugin the loader can see without loading it (for backplane-info).
struct DiscoveredPlugin {
  std::string name;
  std::string library_path;
  std::string found_by;
  std::optional<Manifest> manifest;
  // Empty when usable; otherwise why it would be rejected before loading.
  std::string problem;
};

struct LoaderOptions {
  // Reads an environment variable; the default uses getenv and returns
  // nothing in privileged processes.
  std::function<std::optional<std::string>(const char*)> getenv;
  // Whether to treat the process as privileged (set-uid/set-gid), which
  // makes the default getenv ignore every variable. Unset: detected.
  std::optional<bool> privileged;
  std::vector<std::string> system_manifest_dirs = {
      "/usr/local/lib/backplane/plugins", "/usr/lib/backplane/plugins"};
  // The ABI this framework speaks (tests pretend to be other frameworks).
  int64_t framework_abi_major = BPL_API_MAJOR;
  int64_t framework_abi_minor = BPL_API_MINOR;
  // How this framework was built; see build_sanitizer.h.
  std::string framework_sanitizer = base::ThisBuildSanitizer();
  // Receives debug lines; default: stderr when BACKPLANE_LOADER_DEBUG=1.
  std::function<void(absl::string_view)> debug_log;
};

class Loader {
 public:
  explicit Loader(LoaderOptions options = {});
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // The process-wide loader with default options.
  static Loader& Default();

  // Loads by name or path. On failure the error lists every candidate
  // tried and why each was rejected.
  absl::StatusOr<std::shared_ptr<LoadedPlugin>> Load(
      absl::string_view name_or_path);

  // Releases `plugin` (the caller's reference) and unloads the library if
  // that was the last one. FAILED_PRECONDITION, leaving `plugin` untouched,
  // when other references (clients, buffers, other callers) still exist.
  absl::Status Unload(std::shared_ptr<LoadedPlugin>& plugin);

  // Every plugin visible through the environment and manifest folders.
  std::vector<DiscoveredPlugin> Discover();

 private:
  struct Candidate {
    std::string path;
    std::string found_by;
    std::optional<Manifest> manifest;
    std::string rejected;  // Set when rejected before dlopen.
  };

  std::optional<std::string> Env(const char* name) const;
  void Log(absl::string_view line) const;
  std::vector<std::string> ManifestDirs() const;
  // CheckManifestCompatible with this framework's ABI and sanitizer.
  absl::Status CheckCompatible(const Manifest& manifest) const;
  // Manifests in `dir` by name; duplicates within the folder are reported
  // in `problems`.
  void ScanManifestDir(const std::string& dir,
                       std::vector<Candidate>& manifests,
                       std::vector<std::string>& problems) const;
  std::vector<Candidate> Candidates(absl::string_view name,
                                    std::vector<std::string>& problems);
  absl::StatusOr<std::shared_ptr<LoadedPlugin>> Open(
      const std::string& path, const std::string& found_by,
      absl::string_view expected_name);

  LoaderOptions options_;
  std::mutex mu_;
  std::map<std::string, std::weak_ptr<LoadedPlugin>> by_path_;
  std::map<std::string, std::weak_ptr<LoadedPlugin>> by_name_;
};

// Loader::Default().Load(name_or_path).
absl::StatusOr<std::shared_ptr<LoadedPlugin>> LoadPlugin(
    absl::string_view name_or_path);

// Reads the plugin's attributes (a convenience for tools).
absl::StatusOr<std::string> PluginAttributeString(const BPL_Api* api,
                                                  absl::string_view name);

}  // namespace backplane::loader

#endif  // BACKPLANE_PLUGINS_LOADER_LOADER_H_
