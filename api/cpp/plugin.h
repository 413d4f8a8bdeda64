// Plugin: a loaded Backplane plugin on the framework side.
//
//   absl::StatusOr<Plugin> cpu = Plugin::Load("cpu");   // see plugins/loader
//   absl::StatusOr<Client> client = cpu->CreateClient({{"num_devices", 2}});
#ifndef BACKPLANE_API_CPP_PLUGIN_H_
#define BACKPLANE_API_CPP_PLUGIN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/backplane_c_api.h"
#include "api/cpp/api_ref.h"
#include "api/cpp/client.h"
#include "api/cpp/named_value.h"

namespace backplane {

class Plugin {
 public:
  // Loads by name or path through the default loader (plugins/loader).
  static absl::StatusOr<Plugin> Load(absl::string_view name_or_path);
  // Wraps a table obtained some other way (tests, statically linked
  // plugins); `keep_alive` is held as long as any object of the plugin.
  static absl::StatusOr<Plugin> FromApi(const BPL_Api* api,
                                        PluginKeepAlive keep_alive = nullptr);

  const ApiRef& api() const { return api_; }
  const std::string& name() const { return name_; }
  int64_t abi_major() const { return api_.api->abi_major; }
  int64_t abi_minor() const { return api_.api->abi_minor; }

  absl::StatusOr<std::vector<NamedValue>> attributes() const;
  absl::StatusOr<Client> CreateClient(
      const std::vector<NamedValue>& options = {}) const;
  // The plugin's profiling extension, or nullptr.
  const BPL_ProfilingExtension* profiling() const;

 private:
  ApiRef api_;
  std::string name_;
};

}  // namespace backplane

#endif  // BACKPLANE_API_CPP_PLUGIN_H_
