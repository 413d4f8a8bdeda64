// The C++ framework API: RAII classes over the Backplane C ABI.
//
//   absl::StatusOr<std::vector<float>> AddOne(absl::string_view mlir_text) {
//     ASSIGN_OR_RETURN(Plugin plugin, Plugin::Load("cpu"));
//     ASSIGN_OR_RETURN(Client client, plugin.CreateClient());
//     ASSIGN_OR_RETURN(std::vector<Device> devices,
//                      client.addressable_devices());
//     ASSIGN_OR_RETURN(Buffer x,
//                      client.BufferFromVector<float>({1, 2}, {2},
//                      devices[0]));
//     ASSIGN_OR_RETURN(Executable exe, client.Compile(mlir_text));
//     ASSIGN_OR_RETURN(std::vector<Buffer> outputs,
//                      exe.ExecuteOnOneDevice({&x}));
//     return outputs[0].ToVector<float>();
//   }
//
// (RETURN_IF_ERROR and ASSIGN_OR_RETURN come from base/status_macros.h; the
// example is compiled and run by client_example_test.cc.)
//
// Every object keeps its plugin loaded and its client alive, so objects may
// be destroyed in any order. Functions a plugin's (older) table lacks return
// UNIMPLEMENTED. Objects are movable, not copyable, except Device and Memory
// (non-owning views that are cheap to copy).
#ifndef BACKPLANE_API_CPP_CLIENT_H_
#define BACKPLANE_API_CPP_CLIENT_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "api/backplane_c_api.h"
#include "api/cpp/api_ref.h"
#include "api/cpp/event.h"
#include "api/cpp/named_value.h"
#include "api/cpp/shape.h"
#include "base/status_macros.h"

namespace backplane {

class Buffer;
class Device;
class Executable;

namespace internal {
// Owns a BPL_Client; shared by every object made from it.
struct ClientHandle {
  ApiRef api;
  BPL_Client* client = nullptr;
  ~ClientHandle();
};
}  // namespace internal

class Memory {
 public:
  Memory() = default;
  Memory(std::shared_ptr<internal::ClientHandle> client, BPL_Memory* memory)
      : client_(std::move(client)), memory_(memory) {}
  BPL_Memory* get() const { return memory_; }
  absl::StatusOr<int64_t> id() const;
  absl::StatusOr<std::string> kind() const;
  absl::StatusOr<std::vector<Device>> devices() const;

 private:
  std::shared_ptr<internal::ClientHandle> client_;
  BPL_Memory* memory_ = nullptr;
};

struct DeviceMemoryStats {
  int64_t bytes_in_use = -1;
  int64_t peak_bytes_in_use = -1;
  int64_t num_allocs = -1;
  int64_t largest_alloc_size = -1;
  int64_t bytes_limit = -1;
};

class Device {
 public:
  Device() = default;
  Device(std::shared_ptr<internal::ClientHandle> client, BPL_Device* device)
      : client_(std::move(client)), device_(device) {}
  BPL_Device* get() const { return device_; }
  absl::StatusOr<int64_t> id() const;
  absl::StatusOr<std::string> kind() const;
  absl::StatusOr<std::string> debug_string() const;
  absl::StatusOr<std::vector<NamedValue>> attributes() const;
  absl::StatusOr<bool> is_addressable() const;
  absl::StatusOr<std::vector<Memory>> memories() const;
  absl::StatusOr<Memory> default_memory() const;
  absl::StatusOr<DeviceMemoryStats> memory_stats() const;

 private:
  absl::StatusOr<BPL_DeviceDescription*> description() const;
  std::shared_ptr<internal::ClientHandle> client_;
  BPL_Device* device_ = nullptr;
};

class Buffer {
 public:
  Buffer() = default;
  Buffer(std::shared_ptr<internal::ClientHandle> client, BPL_Buffer* buffer)
      : client_(std::move(client)), buffer_(buffer) {}
  ~Buffer();
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  bool valid() const { return buffer_ != nullptr; }
  BPL_Buffer* get() const { return buffer_; }
  absl::StatusOr<Shape> shape() const;
  absl::StatusOr<size_t> on_device_size() const;
  absl::StatusOr<Device> device() const;
  absl::StatusOr<Memory> memory() const;
  absl::StatusOr<Event> ReadyEvent() const;
  // Frees device memory, keeps the handle (see BPL_Buffer_Delete).
  absl::Status Delete();
  absl::StatusOr<bool> IsDeleted() const;

  // Bytes needed by ToHost.
  absl::StatusOr<size_t> HostSize() const;
  // Asynchronous copy into `dst`, which must stay valid until the event.
  absl::StatusOr<Event> ToHost(void* dst, size_t dst_size) const;
  // Synchronous copy into a vector of T (T must match the element type).
  template <typename T>
  absl::StatusOr<std::vector<T>> ToVector() const;
  absl::StatusOr<Buffer> CopyToDevice(const Device& device) const;
  absl::StatusOr<Buffer> CopyToMemory(const Memory& memory) const;

 private:
  std::shared_ptr<internal::ClientHandle> client_;
  BPL_Buffer* buffer_ = nullptr;
};

class ExecutionStatistics {
 public:
  ExecutionStatistics(ApiRef api, const BPL_ProfilingExtension* profiling,
                      BPL_ExecutionStatistics* statistics);
  ~ExecutionStatistics();
  ExecutionStatistics(ExecutionStatistics&& other) noexcept;
  ExecutionStatistics& operator=(ExecutionStatistics&&) = delete;
  ExecutionStatistics(const ExecutionStatistics&) = delete;
  // Available once the execution completed.
  absl::StatusOr<std::vector<NamedValue>> Get() const;

 private:
  ApiRef api_;
  const BPL_ProfilingExtension* profiling_;
  BPL_ExecutionStatistics* statistics_;
};

struct ExecuteOptions {
  std::vector<int64_t> non_donatable_input_indices;
  int64_t launch_id = 0;
  // Execution waits for these events (not owned).
  std::vector<const Event*> wait_events;
  // Ask for statistics (if the plugin has the profiling extension).
  bool collect_statistics = false;
  // ABI 1.2: time limit in nanoseconds from the Execute call; 0 for none.
  // An execution still running then completes with DEADLINE_EXCEEDED on its
  // events. Execute is UNIMPLEMENTED when the plugin cannot honour it (a
  // plugin of ABI 1.0/1.1, or an executable that cannot be cancelled).
  int64_t deadline_ns = 0;
};

struct ExecuteResult {
  std::vector<std::vector<Buffer>> outputs;  // [device][output]
  std::vector<Event> device_done;            // [device]
  // [device]; empty when not requested or not supported.
  std::vector<ExecutionStatistics> statistics;
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
  Executable() = default;
  // Takes ownership of `executable`.
  Executable(std::shared_ptr<internal::ClientHandle> client,
             BPL_Executable* executable);
  ~Executable();
  Executable(Executable&& other) noexcept;
  Executable& operator=(Executable&& other) noexcept;
  Executable(const Executable&) = delete;
  Executable& operator=(const Executable&) = delete;

  BPL_Executable* get() const { return executable_; }
  absl::StatusOr<std::string> name() const;
  absl::StatusOr<std::vector<Device>> devices() const;
  absl::StatusOr<std::vector<Shape>> parameter_shapes() const;
  absl::StatusOr<std::vector<Shape>> output_shapes() const;
  absl::StatusOr<std::string> fingerprint() const;
  absl::StatusOr<ExecutableMemoryStats> memory_stats() const;
  absl::StatusOr<std::string> Serialize() const;
  absl::Status Delete();
  absl::StatusOr<bool> IsDeleted() const;

  // arguments[d][p] is parameter p on device d.
  absl::StatusOr<ExecuteResult> Execute(
      absl::Span<const std::vector<Buffer*>> arguments,
      const ExecuteOptions& options = {}) const;
  // ABI 1.2: cancels the executions of this executable started so far that
  // have not completed; they complete with CANCELLED. Does not wait for
  // them. UNIMPLEMENTED when the plugin cannot cancel (ABI 1.0/1.1 plugins
  // included).
  absl::Status Cancel() const;
  // Single-device convenience: runs and waits; returns the outputs.
  absl::StatusOr<std::vector<Buffer>> ExecuteOnOneDevice(
      const std::vector<Buffer*>& arguments) const;

 private:
  absl::StatusOr<std::vector<Shape>> Shapes(bool outputs) const;
  // The number of outputs, as OutputShapes gave it at construction (an
  // executable's signature never changes), so Execute needs no query.
  absl::StatusOr<size_t> NumOutputs() const;
  std::shared_ptr<internal::ClientHandle> client_;
  BPL_Executable* executable_ = nullptr;
  int64_t num_outputs_ = -1;  // -1: not known (the query failed).
};

struct BufferFromHostOptions {
  BPL_HostBufferSemantics semantics = BPL_HOST_BUFFER_COPY_DURING_CALL;
  std::vector<int64_t> byte_strides;  // Empty: dense row-major.
  const Memory* memory = nullptr;     // Overrides the device's default.
  std::vector<const Event*> wait_events;
};

struct BufferFromHostResult {
  Buffer buffer;
  Event done_with_host_buffer;
};

class Client {
 public:
  Client() = default;
  explicit Client(std::shared_ptr<internal::ClientHandle> handle)
      : handle_(std::move(handle)) {}

  BPL_Client* get() const { return handle_ ? handle_->client : nullptr; }
  const ApiRef& api() const { return handle_->api; }

  absl::StatusOr<std::string> platform_name() const;
  absl::StatusOr<std::string> platform_version() const;
  absl::StatusOr<std::vector<Device>> devices() const;
  absl::StatusOr<std::vector<Device>> addressable_devices() const;
  absl::StatusOr<Device> LookupDevice(int64_t id) const;
  absl::StatusOr<std::vector<Memory>> memories() const;

  absl::StatusOr<Executable> Compile(
      absl::string_view code, const std::vector<NamedValue>& options = {},
      const std::vector<Device>& devices = {},
      absl::string_view format = "stablehlo") const;
  absl::StatusOr<Executable> DeserializeExecutable(
      absl::string_view bytes) const;

  absl::StatusOr<BufferFromHostResult> BufferFromHost(
      const void* data, const Shape& shape, const Device& device,
      const BufferFromHostOptions& options = {}) const;
  // Copies `values` (row-major, dims' product elements) to `device`.
  template <typename T>
  absl::StatusOr<Buffer> BufferFromVector(const std::vector<T>& values,
                                          const std::vector<int64_t>& dims,
                                          const Device& device) const;

 private:
  std::shared_ptr<internal::ClientHandle> handle_;
};

// ------------------------------------------------------------ templates

template <typename T>
absl::StatusOr<std::vector<T>> Buffer::ToVector() const {
  ASSIGN_OR_RETURN(Shape s, shape());
  if (s.element_type != ElementTypeOf<T>()) {
    return absl::InvalidArgumentError(std::string("ToVector: buffer is ") +
                                      s.ToString() +
                                      ", not of the requested element type " +
                                      ElementTypeName(ElementTypeOf<T>()));
  }
  std::vector<T> out(static_cast<size_t>(s.element_count()));
  // An empty vector's data() may be NULL, which ToHost reads as a size
  // query; any valid address works for zero bytes.
  T empty_target{};
  absl::StatusOr<Event> done =
      ToHost(out.empty() ? &empty_target : out.data(), out.size() * sizeof(T));
  if (!done.ok()) return done.status();
  RETURN_IF_ERROR(done->Await());
  return out;
}

template <typename T>
absl::StatusOr<Buffer> Client::BufferFromVector(
    const std::vector<T>& values, const std::vector<int64_t>& dims,
    const Device& device) const {
  Shape shape{ElementTypeOf<T>(), dims};
  if (shape.element_count() != static_cast<int64_t>(values.size())) {
    return absl::InvalidArgumentError(
        "BufferFromVector: " + std::to_string(values.size()) +
        " values for shape " + shape.ToString());
  }
  static_assert(!std::is_same<T, bool>::value,
                "std::vector<bool> is packed; use uint8_t with PRED shapes");
  absl::StatusOr<BufferFromHostResult> result =
      BufferFromHost(values.data(), shape, device);
  if (!result.ok()) return result.status();
  return std::move(result->buffer);
}

}  // namespace backplane

#endif  // BACKPLANE_API_CPP_CLIENT_H_
