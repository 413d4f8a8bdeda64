// The concrete objects behind the ABI's opaque handles, for plugins built
// with the kit. Private to the kit: vendors implement plugin.h instead.
#ifndef BACKPLANE_PLUGINS_KIT_HANDLES_H_
#define BACKPLANE_PLUGINS_KIT_HANDLES_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "api/backplane_c_api.h"
#include "plugins/kit/event.h"
#include "plugins/kit/options.h"
#include "plugins/kit/plugin.h"

namespace backplane::kit {

// Every handle starts with a tag, so a pointer of the wrong handle type (or
// one already destroyed) is reported instead of being misused.
enum class HandleTag : uint32_t {
  kEvent = 0xB9E7E001,
  kClient = 0xB9E7E002,
  kDevice = 0xB9E7E003,
  kDeviceDescription = 0xB9E7E004,
  kMemory = 0xB9E7E005,
  kBuffer = 0xB9E7E006,
  kExecutable = 0xB9E7E007,
  kStatistics = 0xB9E7E008,
  kDestroyed = 0xDEADDEAD,
};

struct PluginState;
struct ClientState;

}  // namespace backplane::kit

struct BPL_Event {
  backplane::kit::HandleTag tag = backplane::kit::HandleTag::kEvent;
  std::shared_ptr<backplane::kit::Event> event;
  bool framework_created = false;
};

struct BPL_DeviceDescription {
  backplane::kit::HandleTag tag = backplane::kit::HandleTag::kDeviceDescription;
  BPL_Device* device = nullptr;
};

struct BPL_Device {
  backplane::kit::HandleTag tag = backplane::kit::HandleTag::kDevice;
  backplane::kit::ClientState* client = nullptr;
  backplane::kit::Device* impl = nullptr;
  BPL_DeviceDescription description;
  std::string kind;
  std::string debug_string;
  std::unique_ptr<backplane::kit::NamedValueArray> attributes;
  std::vector<BPL_Memory*> memories;
  BPL_Memory* default_memory = nullptr;
};

struct BPL_Memory {
  backplane::kit::HandleTag tag = backplane::kit::HandleTag::kMemory;
  backplane::kit::ClientState* client = nullptr;
  backplane::kit::Memory* impl = nullptr;
  std::string kind;
  std::vector<BPL_Device*> devices;
};

struct BPL_Client {
  backplane::kit::HandleTag tag = backplane::kit::HandleTag::kClient;
  std::shared_ptr<backplane::kit::ClientState> state;
};

struct BPL_Buffer {
  backplane::kit::HandleTag tag = backplane::kit::HandleTag::kBuffer;
  std::shared_ptr<backplane::kit::ClientState> client;
  backplane::kit::Shape shape;  // Kept after Delete for queries.
  BPL_Device* device = nullptr;
  BPL_Memory* memory = nullptr;
  int64_t on_device_size = 0;
  mutable std::mutex mu;
  std::shared_ptr<backplane::kit::Buffer> impl;

  std::shared_ptr<backplane::kit::Buffer> Get() const {
    std::lock_guard<std::mutex> lock(mu);
    return impl;
  }
};

struct BPL_Executable {
  backplane::kit::HandleTag tag = backplane::kit::HandleTag::kExecutable;
  std::shared_ptr<backplane::kit::ClientState> client;
  std::string name;
  std::string fingerprint;
  std::vector<BPL_Device*> devices;
  std::vector<backplane::kit::Shape> parameter_shapes;
  std::vector<backplane::kit::Shape> output_shapes;
  std::vector<BPL_Shape> c_parameter_shapes;
  std::vector<BPL_Shape> c_output_shapes;
  std::vector<bool> donatable;
  backplane::kit::ExecutableMemoryStats memory_stats;
  mutable std::mutex mu;
  std::shared_ptr<backplane::kit::Executable> impl;

  std::shared_ptr<backplane::kit::Executable> Get() const {
    std::lock_guard<std::mutex> lock(mu);
    return impl;
  }
};

struct BPL_ExecutionStatistics {
  backplane::kit::HandleTag tag = backplane::kit::HandleTag::kStatistics;
  std::shared_ptr<backplane::kit::ExecutionStatistics> statistics;
};

namespace backplane::kit {

struct PluginState {
  std::unique_ptr<Plugin> plugin;
  PluginInfo info;
  std::unique_ptr<NamedValueArray> attributes;
  std::vector<OptionSpec> compile_option_schema;  // Standard + own prefixed.
  std::atomic<bool> initialized{false};
  std::mutex init_mu;
};

// Shared by the client handle and every object made from it, so the
// implementation outlives all of them; `destroyed` records Client_Destroy.
struct ClientState {
  PluginState* plugin = nullptr;
  std::unique_ptr<Client> impl;
  std::atomic<bool> destroyed{false};
  std::vector<std::unique_ptr<BPL_Device>> device_storage;
  std::vector<std::unique_ptr<BPL_Memory>> memory_storage;
  std::vector<BPL_Device*> devices;
  std::vector<BPL_Device*> addressable_devices;
  std::vector<BPL_Memory*> memories;
  absl::flat_hash_map<const Device*, BPL_Device*> device_handles;
  absl::flat_hash_map<const Memory*, BPL_Memory*> memory_handles;
};

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_HANDLES_H_
