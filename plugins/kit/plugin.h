// The interfaces a vendor implements to make a Backplane plugin.
//
// Implement Plugin, Client, Device, Memory, Buffer and Executable, then
// export the table with one line in a .cc file of the plugin library:
//
//   BPL_KIT_DEFINE_PLUGIN(my_vendor::MyPlugin)
//
// Plugins whose devices address host memory derive the client from
// kit::HostClient (host_client.h) and the devices from
// kit::SingleMemoryDevice (single_memory_device.h), which provide the
// devices, memories and buffers from host data; see docs/plugin_guide.md.
//
// The kit (api.cc) turns these classes into the BPL_Api table. It validates
// every call before it reaches you (NULL pointers, struct sizes, handles of
// the wrong type, destroyed or foreign handles, deleted buffers, objects of
// another client, argument shapes and devices in Execute, byte strides,
// option names, types and sizes), converts
// absl::Status to BPL_Error, and catches C++ exceptions so none crosses the C
// boundary. So implementations may assume well-formed arguments.
//
// Threading: every method may be called from many threads at once, except
// where noted. Lifetime: the kit keeps a Client alive until every buffer and
// executable made from it is destroyed, and Devices/Memories as long as their
// Client; it keeps an Executable, its arguments and its Client alive until
// every ExecuteResult::device_done event of a run fires (so complete
// device_done after the run's last use of them).
#ifndef BACKPLANE_PLUGINS_KIT_PLUGIN_H_
#define BACKPLANE_PLUGINS_KIT_PLUGIN_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "api/backplane_c_api.h"
#include "api/cpp/shape.h"
#include "base/cancellation.h"
#include "plugins/kit/event.h"
#include "plugins/kit/options.h"
#include "plugins/kit/pending_executions.h"

namespace backplane::kit {

class Client;
class Device;

using ::backplane::ElementTypeByteSize;
using ::backplane::ElementTypeName;
using ::backplane::IsValidElementType;
using ::backplane::Shape;

class Memory {
 public:
  virtual ~Memory() = default;
  virtual int64_t id() const = 0;
  virtual absl::string_view kind() const = 0;
  virtual std::vector<Device*> devices() const = 0;
};

struct MemoryStats {
  int64_t bytes_in_use = -1;
  int64_t peak_bytes_in_use = -1;
  int64_t num_allocs = -1;
  int64_t largest_alloc_size = -1;
  int64_t bytes_limit = -1;
};

class Device {
 public:
  virtual ~Device() = default;
  virtual int64_t id() const = 0;
  virtual absl::string_view kind() const = 0;
  virtual std::string debug_string() const = 0;
  virtual std::vector<NamedValue> attributes() const { return {}; }
  virtual bool is_addressable() const { return true; }
  virtual std::vector<Memory*> memories() const = 0;
  virtual Memory* default_memory() const = 0;
  virtual MemoryStats memory_stats() const { return {}; }
};

// An array in device memory. Owned through shared_ptr so work in flight can
// keep it alive after the framework deletes or destroys its handle.
class Buffer {
 public:
  virtual ~Buffer() = default;
  virtual const Shape& shape() const = 0;
  virtual Device* device() const = 0;
  virtual Memory* memory() const = 0;
  virtual int64_t on_device_size() const = 0;
  // Completes when the contents are ready (or failed to be computed).
  virtual std::shared_ptr<Event> ready_event() const = 0;
  // Copies the dense host form into `dst` (at least shape().byte_size()
  // bytes), asynchronously; `dst` stays valid until the event completes.
  virtual std::shared_ptr<Event> CopyToHost(void* dst) = 0;
  // Copies into a new buffer in `memory` (of this client).
  virtual absl::StatusOr<std::shared_ptr<Buffer>> CopyToMemory(
      Memory* memory) = 0;
};

// Statistics of one execution, filled by the plugin when it completes.
class ExecutionStatistics {
 public:
  void Complete(std::vector<NamedValue> values);
  bool is_complete() const;
  // NULL until Complete(); then stable for the object's life.
  const NamedValueArray* values() const;

 private:
  mutable std::mutex mu_;
  std::unique_ptr<NamedValueArray> values_;
};

struct ExecuteRequest {
  // arguments[d][p]: parameter p on device d, validated by the kit.
  std::vector<std::vector<std::shared_ptr<Buffer>>> arguments;
  // donated[p]: the plugin may reuse parameter p's memory for outputs.
  std::vector<bool> donated;
  // Execution must wait for these (already combined by the kit).
  std::shared_ptr<Event> wait;
  int64_t launch_id = 0;
  // When non-empty, one per device: fill them when each device completes.
  std::vector<std::shared_ptr<ExecutionStatistics>> statistics;
  // The execution's deadline (BPL_ExecuteOptions.deadline_ns) and cancel
  // flag (BPL_Executable_Cancel); never null when the kit calls Execute.
  // An executable that supports_cancellation() keeps it alive until the
  // execution ends and polls it (base::Cancellation::Check) at loop
  // iterations and calls, ending the run with its status.
  std::shared_ptr<base::Cancellation> cancellation;
};

struct ExecuteResult {
  // outputs[d][o]: output o on device d; their ready events complete (with
  // an error if execution failed) when the values are computed.
  std::vector<std::vector<std::shared_ptr<Buffer>>> outputs;
  // One per device: completes when that device's work is done.
  std::vector<std::shared_ptr<Event>> device_done;
};

struct ExecutableMemoryStats {
  int64_t code_size = -1;
  int64_t argument_size = -1;
  int64_t output_size = -1;
  int64_t alias_size = -1;
  int64_t temp_size = -1;
};

class Executable {
 public:
  virtual ~Executable() = default;
  virtual absl::string_view name() const = 0;
  virtual std::vector<Device*> devices() const = 0;
  virtual const std::vector<Shape>& parameter_shapes() const = 0;
  virtual const std::vector<Shape>& output_shapes() const = 0;
  // Parameters that may be donated (compile option or argument attribute).
  virtual std::vector<bool> donatable_parameters() const {
    return std::vector<bool>(parameter_shapes().size(), false);
  }
  virtual std::string fingerprint() const = 0;
  virtual ExecutableMemoryStats memory_stats() const { return {}; }
  virtual absl::StatusOr<std::string> Serialize() const = 0;
  virtual absl::StatusOr<ExecuteResult> Execute(ExecuteRequest request) = 0;
  // Whether Execute fills ExecuteRequest::statistics.
  virtual bool supports_statistics() const { return false; }
  // Whether Execute honours ExecuteRequest::cancellation. When false, the kit
  // answers UNIMPLEMENTED to a deadline and to BPL_Executable_Cancel.
  virtual bool supports_cancellation() const { return false; }
  // Executions that BPL_Executable_Cancel reaches (used by the kit).
  PendingExecutions& pending_executions() { return pending_executions_; }

 private:
  PendingExecutions pending_executions_;
};

// Options every plugin understands at compile time; a plugin adds its own
// under "<plugin name>.<key>" (see Plugin::compile_option_specs).
const std::vector<OptionSpec>& StandardCompileOptionSpecs();
// Checks the standard options' values (the kit calls it before Compile):
// optimization_level must be in [0, 3].
absl::Status CheckStandardCompileOptions(const Options& options);

// Dense host data for BufferFromHost. The kit densifies strided input (into
// memory it owns, passing COPY_DURING_CALL), so implementations only ever see
// dense data. With IMMUTABLE_ZERO_COPY the implementation may alias `data`
// but must never write to it, not even for a donated argument.
struct HostBuffer {
  // Never NULL, also for zero-sized shapes.
  const void* data = nullptr;
  Shape shape;
  BPL_HostBufferSemantics semantics = BPL_HOST_BUFFER_COPY_DURING_CALL;
};

struct BufferFromHostResult {
  std::shared_ptr<Buffer> buffer;
  // Completes when the host memory may be reused (ready at once for
  // COPY_DURING_CALL).
  std::shared_ptr<Event> done_with_host_buffer;
};

class Client {
 public:
  virtual ~Client() = default;
  virtual absl::string_view platform_name() const = 0;
  virtual absl::string_view platform_version() const = 0;
  // All devices, in id order; owned by the client.
  virtual std::vector<Device*> devices() const = 0;
  virtual std::vector<Memory*> memories() const = 0;
  // `program_format` is one of the plugin's program_formats; `devices` are
  // this client's addressable devices (at least one).
  virtual absl::StatusOr<std::unique_ptr<Executable>> Compile(
      absl::string_view program_format, absl::string_view code,
      const Options& options, absl::Span<Device* const> devices) = 0;
  virtual absl::StatusOr<std::unique_ptr<Executable>> DeserializeExecutable(
      absl::string_view bytes) = 0;
  // `wait` completes when the host data is valid (framework dependencies).
  virtual absl::StatusOr<BufferFromHostResult> BufferFromHost(
      const HostBuffer& host, Memory* memory, std::shared_ptr<Event> wait) = 0;
};

struct PluginInfo {
  std::string name;  // Also the prefix of the plugin's own options.
  std::string vendor;
  std::string plugin_version;
  std::vector<std::string> program_formats = {"stablehlo"};
  std::string stablehlo_version_min = "1.0.0";
  std::string stablehlo_version_max = "1.0.0";
  std::vector<std::string> capabilities;
  std::vector<OptionSpec> client_options;
  // The plugin's own compile options, named without the "<name>." prefix.
  std::vector<OptionSpec> compile_options;
  std::vector<NamedValue> extra_attributes;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual PluginInfo info() const = 0;
  // Called once, from Plugin_Initialize.
  virtual absl::Status Initialize() { return absl::OkStatus(); }
  virtual absl::StatusOr<std::unique_ptr<Client>> CreateClient(
      const Options& options) = 0;
};

// Builds the function table for `plugin` (called once per library by
// BPL_KIT_DEFINE_PLUGIN; the plugin lives as long as the library).
const BPL_Api* MakeApi(std::unique_ptr<Plugin> plugin);

}  // namespace backplane::kit

// Defines the exported BPL_GetApi for PluginClass (default-constructible).
#define BPL_KIT_DEFINE_PLUGIN(PluginClass)                          \
  extern "C" BPL_EXPORT const BPL_Api* BPL_GetApi(void) {           \
    static const BPL_Api* api =                                     \
        ::backplane::kit::MakeApi(std::make_unique<PluginClass>()); \
    return api;                                                     \
  }

// Defines the exported BPL_GetApi for the plugin that `factory_expression`
// (a std::unique_ptr<kit::Plugin>) makes, evaluated once.
#define BPL_KIT_DEFINE_PLUGIN_FACTORY(factory_expression)                      \
  extern "C" BPL_EXPORT const BPL_Api* BPL_GetApi(void) {                      \
    static const BPL_Api* api = ::backplane::kit::MakeApi(factory_expression); \
    return api;                                                                \
  }

#endif  // BACKPLANE_PLUGINS_KIT_PLUGIN_H_
