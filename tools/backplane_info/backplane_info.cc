// backplane-info: lists the plugins this process can discover, and for each
// one that loads, its versions, attributes and devices.
//
//   bazel run //tools:backplane-info                 # every discoverable
//   plugin bazel run //tools:backplane-info -- cpu hello    # these, by name or
//   path
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "plugins/loader/loader.h"

namespace {

void PrintPlugin(const std::string& name_or_path) {
  std::printf("plugin %s\n", name_or_path.c_str());
  auto plugin = backplane::Plugin::Load(name_or_path);
  if (!plugin.ok()) {
    std::printf("  cannot load: %s\n",
                std::string(plugin.status().message()).c_str());
    return;
  }
  std::printf("  ABI %lld.%lld\n", static_cast<long long>(plugin->abi_major()),
              static_cast<long long>(plugin->abi_minor()));
  auto attributes = plugin->attributes();
  if (attributes.ok()) {
    for (const backplane::NamedValue& v : *attributes) {
      std::printf("  %s = %s\n", v.name.c_str(),
                  backplane::ValueToString(v.value).c_str());
    }
  }
  auto client = plugin->CreateClient();
  if (!client.ok()) {
    std::printf("  cannot create a client: %s\n",
                std::string(client.status().message()).c_str());
    return;
  }
  auto platform = client->platform_name();
  auto version = client->platform_version();
  if (platform.ok() && version.ok()) {
    std::printf("  platform %s %s\n", platform->c_str(), version->c_str());
  }
  auto devices = client->devices();
  if (!devices.ok()) return;
  for (const backplane::Device& device : *devices) {
    auto id = device.id();
    auto kind = device.kind();
    auto debug = device.debug_string();
    std::printf(
        "  device %lld: %s (%s)\n", static_cast<long long>(id.ok() ? *id : -1),
        kind.ok() ? kind->c_str() : "?", debug.ok() ? debug->c_str() : "?");
    auto stats = device.memory_stats();
    if (stats.ok() && stats->bytes_limit >= 0) {
      std::printf("    memory limit %lld bytes\n",
                  static_cast<long long>(stats->bytes_limit));
    }
    auto attrs = device.attributes();
    if (attrs.ok()) {
      for (const backplane::NamedValue& v : *attrs) {
        std::printf("    %s = %s\n", v.name.c_str(),
                    backplane::ValueToString(v.value).c_str());
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> requested(argv + 1, argv + argc);
  if (requested.empty()) {
    std::vector<backplane::loader::DiscoveredPlugin> found =
        backplane::loader::Loader::Default().Discover();
    if (found.empty()) {
      std::printf(
          "no plugins found (set BACKPLANE_PLUGIN_PATH to a folder of "
          "manifests, or BACKPLANE_PLUGINS=name=/path/lib.so)\n");
      return 0;
    }
    for (const auto& d : found) {
      if (!d.problem.empty()) {
        std::printf("plugin %s (%s): not usable: %s\n", d.name.c_str(),
                    d.found_by.c_str(), d.problem.c_str());
        continue;
      }
      requested.push_back(d.name);
    }
  }
  for (const std::string& name : requested) PrintPlugin(name);
  return 0;
}
