// The objects behind the ABI's opaque handles, for plugins built with the
// kit. Private to the kit: vendors implement plugin.h instead.
//
// Every handle the kit hands out is an entry of the HandleTable
// (handle_table.h), never an address: api.cc looks each one up, which
// rejects stale, mistyped and foreign handles. Ownership: the table owns
// EventObject, ClientObject, BufferObject, ExecutableObject and
// StatisticsObject until the framework destroys the handle (and calls in
// flight keep them alive through the shared_ptr Lookup returns); devices,
// descriptions and memories are owned by their ClientState, and their table
// entries are borrowed ones that die with it.
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
#include "plugins/kit/handle_table.h"
#include "plugins/kit/options.h"
#include "plugins/kit/plugin.h"

namespace backplane::kit {

struct PluginState;
struct ClientState;
struct MemoryObject;

struct EventObject {
  std::shared_ptr<Event> event;
  bool framework_created = false;
  // A framework event destroyed before it is set can never be set: it
  // completes with CANCELLED, so work waiting on it never hangs.
  ~EventObject() {
    if (framework_created && event != nullptr && !event->IsReady()) {
      event
          ->Set(absl::CancelledError(
              "the framework destroyed this event before setting it"))
          .IgnoreError();
    }
  }
};

struct DeviceObject {
  BPL_Device* handle = nullptr;
  BPL_DeviceDescription* description = nullptr;
  ClientState* client = nullptr;
  Device* impl = nullptr;
  std::string kind;
  std::string debug_string;
  std::unique_ptr<NamedValueArray> attributes;
  std::vector<BPL_Memory*> memories;
  MemoryObject* default_memory = nullptr;
};

struct MemoryObject {
  BPL_Memory* handle = nullptr;
  ClientState* client = nullptr;
  Memory* impl = nullptr;
  std::string kind;
  std::vector<BPL_Device*> devices;
};

struct ClientObject {
  std::shared_ptr<ClientState> state;
};

struct BufferObject {
  std::shared_ptr<ClientState> client;
  Shape shape;  // Kept after Delete for queries.
  DeviceObject* device = nullptr;
  MemoryObject* memory = nullptr;
  int64_t on_device_size = 0;
  mutable std::mutex mu;
  std::shared_ptr<Buffer> impl;

  std::shared_ptr<Buffer> Get() const {
    std::lock_guard<std::mutex> lock(mu);
    return impl;
  }
  // Deletes the contents; returns them, to be released outside the lock.
  std::shared_ptr<Buffer> Take() {
    std::lock_guard<std::mutex> lock(mu);
    return std::move(impl);
  }
};

struct ExecutableObject {
  std::shared_ptr<ClientState> client;
  std::string name;
  std::string fingerprint;
  std::vector<DeviceObject*> devices;
  std::vector<BPL_Device*> device_handles;
  std::vector<Shape> parameter_shapes;
  std::vector<Shape> output_shapes;
  std::vector<BPL_Shape> c_parameter_shapes;
  std::vector<BPL_Shape> c_output_shapes;
  std::vector<bool> donatable;
  ExecutableMemoryStats memory_stats;
  mutable std::mutex mu;
  std::shared_ptr<Executable> impl;

  std::shared_ptr<Executable> Get() const {
    std::lock_guard<std::mutex> lock(mu);
    return impl;
  }
};

struct StatisticsObject {
  std::shared_ptr<ExecutionStatistics> statistics;
};

struct PluginState {
  std::unique_ptr<Plugin> plugin;
  PluginInfo info;
  std::unique_ptr<NamedValueArray> attributes;
  std::vector<OptionSpec> compile_option_schema;  // Standard + own prefixed.
  std::atomic<bool> initialized{false};
  std::mutex init_mu;
};

// Shared by the client handle and every object made from it (and every run
// in flight), so the implementation outlives all of them; `destroyed`
// records Client_Destroy. Owns the device and memory objects, whose
// borrowed table entries it removes when it dies.
struct ClientState {
  ~ClientState();

  PluginState* plugin = nullptr;
  std::unique_ptr<Client> impl;
  std::atomic<bool> destroyed{false};
  std::vector<std::unique_ptr<DeviceObject>> device_storage;
  std::vector<std::unique_ptr<MemoryObject>> memory_storage;
  // Handles, as handed out by Client_Devices & co.
  std::vector<BPL_Device*> devices;
  std::vector<BPL_Device*> addressable_devices;
  std::vector<BPL_Memory*> memories;
  absl::flat_hash_map<const Device*, DeviceObject*> device_objects;
  absl::flat_hash_map<const Memory*, MemoryObject*> memory_objects;
};

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_HANDLES_H_
