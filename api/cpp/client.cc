#include "api/cpp/client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace backplane {
namespace {

// Zero-initialised args with struct_size set.
template <typename T>
T MakeArgs(size_t struct_size) {
  T args{};
  args.struct_size = struct_size;
  return args;
}
#define BPL_ARGS(type) MakeArgs<type>(type##_STRUCT_SIZE)

std::vector<Device> Devices(const std::shared_ptr<internal::ClientHandle>& c,
                            BPL_Device* const* devices, size_t n) {
  std::vector<Device> out;
  for (size_t i = 0; i < n; ++i) out.emplace_back(c, devices[i]);
  return out;
}

std::vector<Memory> Memories(const std::shared_ptr<internal::ClientHandle>& c,
                             BPL_Memory* const* memories, size_t n) {
  std::vector<Memory> out;
  for (size_t i = 0; i < n; ++i) out.emplace_back(c, memories[i]);
  return out;
}

}  // namespace

namespace internal {
ClientHandle::~ClientHandle() {
  if (client != nullptr) {
    auto args = BPL_ARGS(BPL_Client_Destroy_Args);
    args.client = client;
    BPL_CALL(api.api, Client_Destroy, &args).IgnoreError();
  }
}
}  // namespace internal

// ---------------------------------------------------------------- Memory

absl::StatusOr<int64_t> Memory::id() const {
  auto args = BPL_ARGS(BPL_Memory_Id_Args);
  args.memory = memory_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Memory_Id, &args));
  return args.out_id;
}

absl::StatusOr<std::string> Memory::kind() const {
  auto args = BPL_ARGS(BPL_Memory_Kind_Args);
  args.memory = memory_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Memory_Kind, &args));
  return std::string(args.out_kind, args.out_kind_size);
}

absl::StatusOr<std::vector<Device>> Memory::devices() const {
  auto args = BPL_ARGS(BPL_Memory_Devices_Args);
  args.memory = memory_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Memory_Devices, &args));
  return Devices(client_, args.out_devices, args.out_num_devices);
}

// ---------------------------------------------------------------- Device

absl::StatusOr<BPL_DeviceDescription*> Device::description() const {
  auto args = BPL_ARGS(BPL_Device_GetDescription_Args);
  args.device = device_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Device_GetDescription, &args));
  return args.out_description;
}

absl::StatusOr<int64_t> Device::id() const {
  ASSIGN_OR_RETURN(auto d, description());
  auto args = BPL_ARGS(BPL_DeviceDescription_Id_Args);
  args.description = d;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, DeviceDescription_Id, &args));
  return args.out_id;
}

absl::StatusOr<std::string> Device::kind() const {
  ASSIGN_OR_RETURN(auto d, description());
  auto args = BPL_ARGS(BPL_DeviceDescription_Kind_Args);
  args.description = d;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, DeviceDescription_Kind, &args));
  return std::string(args.out_kind, args.out_kind_size);
}

absl::StatusOr<std::string> Device::debug_string() const {
  ASSIGN_OR_RETURN(auto d, description());
  auto args = BPL_ARGS(BPL_DeviceDescription_DebugString_Args);
  args.description = d;
  RETURN_IF_ERROR(
      BPL_CALL(client_->api.api, DeviceDescription_DebugString, &args));
  return std::string(args.out_debug_string, args.out_debug_string_size);
}

absl::StatusOr<std::vector<NamedValue>> Device::attributes() const {
  ASSIGN_OR_RETURN(auto d, description());
  auto args = BPL_ARGS(BPL_DeviceDescription_Attributes_Args);
  args.description = d;
  RETURN_IF_ERROR(
      BPL_CALL(client_->api.api, DeviceDescription_Attributes, &args));
  return ReadNamedValues(args.out_attributes, args.out_num_attributes,
                         "device attribute");
}

absl::StatusOr<bool> Device::is_addressable() const {
  auto args = BPL_ARGS(BPL_Device_IsAddressable_Args);
  args.device = device_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Device_IsAddressable, &args));
  return args.out_is_addressable;
}

absl::StatusOr<std::vector<Memory>> Device::memories() const {
  auto args = BPL_ARGS(BPL_Device_Memories_Args);
  args.device = device_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Device_Memories, &args));
  return Memories(client_, args.out_memories, args.out_num_memories);
}

absl::StatusOr<Memory> Device::default_memory() const {
  auto args = BPL_ARGS(BPL_Device_DefaultMemory_Args);
  args.device = device_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Device_DefaultMemory, &args));
  return Memory(client_, args.out_memory);
}

absl::StatusOr<DeviceMemoryStats> Device::memory_stats() const {
  auto args = BPL_ARGS(BPL_Device_MemoryStats_Args);
  args.device = device_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Device_MemoryStats, &args));
  DeviceMemoryStats stats;
  stats.bytes_in_use = args.out_bytes_in_use;
  stats.peak_bytes_in_use = args.out_peak_bytes_in_use;
  stats.num_allocs = args.out_num_allocs;
  stats.largest_alloc_size = args.out_largest_alloc_size;
  stats.bytes_limit = args.out_bytes_limit;
  return stats;
}

// ---------------------------------------------------------------- Buffer

Buffer::~Buffer() {
  if (buffer_ != nullptr) {
    auto args = BPL_ARGS(BPL_Buffer_Destroy_Args);
    args.buffer = buffer_;
    BPL_CALL(client_->api.api, Buffer_Destroy, &args).IgnoreError();
  }
}

Buffer::Buffer(Buffer&& other) noexcept
    : client_(std::move(other.client_)),
      buffer_(std::exchange(other.buffer_, nullptr)) {}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    Buffer dying(std::move(*this));
    client_ = std::move(other.client_);
    buffer_ = std::exchange(other.buffer_, nullptr);
  }
  return *this;
}

absl::StatusOr<Shape> Buffer::shape() const {
  auto args = BPL_ARGS(BPL_Buffer_Shape_Args);
  args.buffer = buffer_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Buffer_Shape, &args));
  return Shape{
      args.out_element_type,
      std::vector<int64_t>(args.out_dims, args.out_dims + args.out_num_dims)};
}

absl::StatusOr<size_t> Buffer::on_device_size() const {
  auto args = BPL_ARGS(BPL_Buffer_OnDeviceSizeInBytes_Args);
  args.buffer = buffer_;
  RETURN_IF_ERROR(
      BPL_CALL(client_->api.api, Buffer_OnDeviceSizeInBytes, &args));
  return args.out_size_in_bytes;
}

absl::StatusOr<Device> Buffer::device() const {
  auto args = BPL_ARGS(BPL_Buffer_Device_Args);
  args.buffer = buffer_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Buffer_Device, &args));
  return Device(client_, args.out_device);
}

absl::StatusOr<Memory> Buffer::memory() const {
  auto args = BPL_ARGS(BPL_Buffer_Memory_Args);
  args.buffer = buffer_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Buffer_Memory, &args));
  return Memory(client_, args.out_memory);
}

absl::StatusOr<Event> Buffer::ReadyEvent() const {
  auto args = BPL_ARGS(BPL_Buffer_ReadyEvent_Args);
  args.buffer = buffer_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Buffer_ReadyEvent, &args));
  return Event(client_->api, args.out_event);
}

absl::Status Buffer::Delete() {
  auto args = BPL_ARGS(BPL_Buffer_Delete_Args);
  args.buffer = buffer_;
  return BPL_CALL(client_->api.api, Buffer_Delete, &args);
}

absl::StatusOr<bool> Buffer::IsDeleted() const {
  auto args = BPL_ARGS(BPL_Buffer_IsDeleted_Args);
  args.buffer = buffer_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Buffer_IsDeleted, &args));
  return args.out_is_deleted;
}

absl::StatusOr<size_t> Buffer::HostSize() const {
  auto args = BPL_ARGS(BPL_Buffer_ToHost_Args);
  args.buffer = buffer_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Buffer_ToHost, &args));
  return args.dst_size;
}

absl::StatusOr<Event> Buffer::ToHost(void* dst, size_t dst_size) const {
  if (dst == nullptr) {
    return absl::InvalidArgumentError("ToHost: dst is NULL (use HostSize)");
  }
  auto args = BPL_ARGS(BPL_Buffer_ToHost_Args);
  args.buffer = buffer_;
  args.dst = dst;
  args.dst_size = dst_size;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Buffer_ToHost, &args));
  return Event(client_->api, args.out_event);
}

absl::StatusOr<Buffer> Buffer::CopyToDevice(const Device& device) const {
  auto args = BPL_ARGS(BPL_Buffer_CopyToDevice_Args);
  args.buffer = buffer_;
  args.dst_device = device.get();
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Buffer_CopyToDevice, &args));
  return Buffer(client_, args.out_buffer);
}

absl::StatusOr<Buffer> Buffer::CopyToMemory(const Memory& memory) const {
  auto args = BPL_ARGS(BPL_Buffer_CopyToMemory_Args);
  args.buffer = buffer_;
  args.dst_memory = memory.get();
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Buffer_CopyToMemory, &args));
  return Buffer(client_, args.out_buffer);
}

// --------------------------------------------------- ExecutionStatistics

ExecutionStatistics::ExecutionStatistics(
    ApiRef api, const BPL_ProfilingExtension* profiling,
    BPL_ExecutionStatistics* statistics)
    : api_(std::move(api)), profiling_(profiling), statistics_(statistics) {}

ExecutionStatistics::ExecutionStatistics(ExecutionStatistics&& other) noexcept
    : api_(std::move(other.api_)),
      profiling_(other.profiling_),
      statistics_(std::exchange(other.statistics_, nullptr)) {}

ExecutionStatistics::~ExecutionStatistics() {
  if (statistics_ != nullptr) {
    auto args = BPL_ARGS(BPL_ExecutionStatistics_Destroy_Args);
    args.statistics = statistics_;
    internal::ToStatus(api_.api, profiling_->ExecutionStatistics_Destroy(&args))
        .IgnoreError();
  }
}

absl::StatusOr<std::vector<NamedValue>> ExecutionStatistics::Get() const {
  auto args = BPL_ARGS(BPL_ExecutionStatistics_Get_Args);
  args.statistics = statistics_;
  RETURN_IF_ERROR(
      internal::ToStatus(api_.api, profiling_->ExecutionStatistics_Get(&args)));
  return ReadNamedValues(args.out_values, args.out_num_values, "statistic");
}

// ------------------------------------------------------------ Executable

Executable::~Executable() {
  if (executable_ != nullptr) {
    auto args = BPL_ARGS(BPL_Executable_Destroy_Args);
    args.executable = executable_;
    BPL_CALL(client_->api.api, Executable_Destroy, &args).IgnoreError();
  }
}

Executable::Executable(std::shared_ptr<internal::ClientHandle> client,
                       BPL_Executable* executable)
    : client_(std::move(client)), executable_(executable) {
  if (client_ == nullptr || executable_ == nullptr) return;
  auto args = BPL_ARGS(BPL_Executable_ParameterShapes_Args);
  args.executable = executable_;
  // A failure leaves the count unknown; Execute then asks (and reports).
  if (BPL_CALL(client_->api.api, Executable_OutputShapes, &args).ok()) {
    num_outputs_ = static_cast<int64_t>(args.out_num_shapes);
  }
}

Executable::Executable(Executable&& other) noexcept
    : client_(std::move(other.client_)),
      executable_(std::exchange(other.executable_, nullptr)),
      num_outputs_(std::exchange(other.num_outputs_, -1)) {}

Executable& Executable::operator=(Executable&& other) noexcept {
  if (this != &other) {
    Executable dying(std::move(*this));
    client_ = std::move(other.client_);
    executable_ = std::exchange(other.executable_, nullptr);
    num_outputs_ = std::exchange(other.num_outputs_, -1);
  }
  return *this;
}

absl::StatusOr<std::string> Executable::name() const {
  auto args = BPL_ARGS(BPL_Executable_Name_Args);
  args.executable = executable_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Executable_Name, &args));
  return std::string(args.out_name, args.out_name_size);
}

absl::StatusOr<std::vector<Device>> Executable::devices() const {
  auto args = BPL_ARGS(BPL_Executable_Devices_Args);
  args.executable = executable_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Executable_Devices, &args));
  return Devices(client_, args.out_devices, args.out_num_devices);
}

absl::StatusOr<std::vector<Shape>> Executable::Shapes(bool outputs) const {
  auto args = BPL_ARGS(BPL_Executable_ParameterShapes_Args);
  args.executable = executable_;
  if (outputs) {
    RETURN_IF_ERROR(BPL_CALL(client_->api.api, Executable_OutputShapes, &args));
  } else {
    RETURN_IF_ERROR(
        BPL_CALL(client_->api.api, Executable_ParameterShapes, &args));
  }
  std::vector<Shape> shapes;
  for (size_t i = 0; i < args.out_num_shapes; ++i) {
    const BPL_Shape& s = args.out_shapes[i];
    shapes.push_back(Shape{s.element_type,
                           std::vector<int64_t>(s.dims, s.dims + s.num_dims)});
  }
  return shapes;
}

absl::StatusOr<std::vector<Shape>> Executable::parameter_shapes() const {
  return Shapes(false);
}

absl::StatusOr<std::vector<Shape>> Executable::output_shapes() const {
  return Shapes(true);
}

absl::StatusOr<size_t> Executable::NumOutputs() const {
  if (num_outputs_ >= 0) return static_cast<size_t>(num_outputs_);
  ASSIGN_OR_RETURN(std::vector<Shape> shapes, output_shapes());
  return shapes.size();
}

absl::StatusOr<std::string> Executable::fingerprint() const {
  auto args = BPL_ARGS(BPL_Executable_Fingerprint_Args);
  args.executable = executable_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Executable_Fingerprint, &args));
  return std::string(args.out_fingerprint, args.out_fingerprint_size);
}

absl::StatusOr<ExecutableMemoryStats> Executable::memory_stats() const {
  auto args = BPL_ARGS(BPL_Executable_MemoryStats_Args);
  args.executable = executable_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Executable_MemoryStats, &args));
  ExecutableMemoryStats s;
  s.code_size = args.out_code_size_in_bytes;
  s.argument_size = args.out_argument_size_in_bytes;
  s.output_size = args.out_output_size_in_bytes;
  s.alias_size = args.out_alias_size_in_bytes;
  s.temp_size = args.out_temp_size_in_bytes;
  return s;
}

absl::StatusOr<std::string> Executable::Serialize() const {
  auto args = BPL_ARGS(BPL_Executable_Serialize_Args);
  args.executable = executable_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Executable_Serialize, &args));
  std::string bytes(args.out_bytes, args.out_bytes_size);
  if (args.out_bytes_deleter != nullptr) {
    args.out_bytes_deleter(args.out_bytes_handle);
  }
  return bytes;
}

absl::Status Executable::Delete() {
  auto args = BPL_ARGS(BPL_Executable_Delete_Args);
  args.executable = executable_;
  return BPL_CALL(client_->api.api, Executable_Delete, &args);
}

absl::StatusOr<bool> Executable::IsDeleted() const {
  auto args = BPL_ARGS(BPL_Executable_IsDeleted_Args);
  args.executable = executable_;
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Executable_IsDeleted, &args));
  return args.out_is_deleted;
}

absl::StatusOr<ExecuteResult> Executable::Execute(
    absl::Span<const std::vector<Buffer*>> arguments,
    const ExecuteOptions& options) const {
  ASSIGN_OR_RETURN(const size_t num_outputs, NumOutputs());
  const size_t num_devices = arguments.size();
  const size_t num_args = num_devices == 0 ? 0 : arguments[0].size();
  std::vector<std::vector<BPL_Buffer*>> c_args(num_devices);
  std::vector<BPL_Buffer* const*> arg_lists(num_devices);
  for (size_t d = 0; d < num_devices; ++d) {
    if (arguments[d].size() != num_args) {
      return absl::InvalidArgumentError(
          absl::StrCat("Execute: device ", d, " has ", arguments[d].size(),
                       " arguments but device 0 has ", num_args));
    }
    for (Buffer* b : arguments[d]) {
      c_args[d].push_back(b == nullptr ? nullptr : b->get());
    }
    arg_lists[d] = c_args[d].data();
  }
  std::vector<std::vector<BPL_Buffer*>> c_outputs(
      num_devices, std::vector<BPL_Buffer*>(num_outputs, nullptr));
  std::vector<BPL_Buffer**> output_lists(num_devices);
  for (size_t d = 0; d < num_devices; ++d)
    output_lists[d] = c_outputs[d].data();
  std::vector<BPL_Event*> done(num_devices, nullptr);
  std::vector<BPL_Event*> waits;
  for (const Event* e : options.wait_events) waits.push_back(e->get());

  BPL_ExecuteOptions c_options{};
  c_options.struct_size = BPL_ExecuteOptions_STRUCT_SIZE;
  c_options.non_donatable_input_indices =
      options.non_donatable_input_indices.data();
  c_options.num_non_donatable_input_indices =
      options.non_donatable_input_indices.size();
  c_options.launch_id = options.launch_id;
  c_options.deadline_ns = options.deadline_ns;
  if (options.deadline_ns != 0 && client_->api.api->abi_minor < 2) {
    // Older plugins do not read the field: refuse rather than ignore it.
    return absl::UnimplementedError(absl::StrCat(
        "Execute: deadline_ns needs ABI 1.2; the plugin implements 1.",
        client_->api.api->abi_minor));
  }

  const BPL_ProfilingExtension* profiling =
      options.collect_statistics
          ? internal::FindProfilingExtension(client_->api.api)
          : nullptr;
  std::vector<BPL_ExecutionStatistics*> stats(num_devices, nullptr);
  BPL_ExecuteStatisticsRequest stats_request{};
  stats_request.base.struct_size = sizeof(stats_request);
  stats_request.base.type = BPL_EXTENSION_EXECUTE_STATISTICS_REQUEST;
  stats_request.base.version = 1;
  stats_request.out_statistics = stats.data();

  auto args = BPL_ARGS(BPL_Executable_Execute_Args);
  args.extension_start = profiling != nullptr ? &stats_request.base : nullptr;
  args.executable = executable_;
  args.options = &c_options;
  args.argument_lists = arg_lists.data();
  args.num_devices = num_devices;
  args.num_args = num_args;
  args.wait_events = waits.data();
  args.num_wait_events = waits.size();
  args.output_lists = output_lists.data();
  args.device_complete_events = done.data();
  RETURN_IF_ERROR(BPL_CALL(client_->api.api, Executable_Execute, &args));

  ExecuteResult result;
  result.outputs.resize(num_devices);
  for (size_t d = 0; d < num_devices; ++d) {
    for (BPL_Buffer* b : c_outputs[d])
      result.outputs[d].emplace_back(client_, b);
    result.device_done.emplace_back(client_->api, done[d]);
    if (profiling != nullptr && stats[d] != nullptr) {
      result.statistics.emplace_back(client_->api, profiling, stats[d]);
    }
  }
  return result;
}

absl::Status Executable::Cancel() const {
  auto args = BPL_ARGS(BPL_Executable_Cancel_Args);
  args.executable = executable_;
  return BPL_CALL(client_->api.api, Executable_Cancel, &args);
}

absl::StatusOr<std::vector<Buffer>> Executable::ExecuteOnOneDevice(
    const std::vector<Buffer*>& arguments) const {
  std::vector<std::vector<Buffer*>> lists = {arguments};
  ASSIGN_OR_RETURN(auto result, Execute(lists));
  RETURN_IF_ERROR(result.device_done[0].Await());
  return std::move(result.outputs[0]);
}

// ---------------------------------------------------------------- Client

absl::StatusOr<std::string> Client::platform_name() const {
  auto args = BPL_ARGS(BPL_Client_PlatformName_Args);
  args.client = get();
  RETURN_IF_ERROR(BPL_CALL(api().api, Client_PlatformName, &args));
  return std::string(args.out_platform_name, args.out_platform_name_size);
}

absl::StatusOr<std::string> Client::platform_version() const {
  auto args = BPL_ARGS(BPL_Client_PlatformVersion_Args);
  args.client = get();
  RETURN_IF_ERROR(BPL_CALL(api().api, Client_PlatformVersion, &args));
  return std::string(args.out_platform_version, args.out_platform_version_size);
}

absl::StatusOr<std::vector<Device>> Client::devices() const {
  auto args = BPL_ARGS(BPL_Client_Devices_Args);
  args.client = get();
  RETURN_IF_ERROR(BPL_CALL(api().api, Client_Devices, &args));
  return Devices(handle_, args.out_devices, args.out_num_devices);
}

absl::StatusOr<std::vector<Device>> Client::addressable_devices() const {
  auto args = BPL_ARGS(BPL_Client_AddressableDevices_Args);
  args.client = get();
  RETURN_IF_ERROR(BPL_CALL(api().api, Client_AddressableDevices, &args));
  return Devices(handle_, args.out_devices, args.out_num_devices);
}

absl::StatusOr<Device> Client::LookupDevice(int64_t id) const {
  auto args = BPL_ARGS(BPL_Client_LookupDevice_Args);
  args.client = get();
  args.id = id;
  RETURN_IF_ERROR(BPL_CALL(api().api, Client_LookupDevice, &args));
  return Device(handle_, args.out_device);
}

absl::StatusOr<std::vector<Memory>> Client::memories() const {
  auto args = BPL_ARGS(BPL_Client_AddressableMemories_Args);
  args.client = get();
  RETURN_IF_ERROR(BPL_CALL(api().api, Client_AddressableMemories, &args));
  return Memories(handle_, args.out_memories, args.out_num_memories);
}

absl::StatusOr<Executable> Client::Compile(
    absl::string_view code, const std::vector<NamedValue>& options,
    const std::vector<Device>& devices, absl::string_view format) const {
  BPL_Program program{};
  program.struct_size = BPL_Program_STRUCT_SIZE;
  program.format = format.data();
  program.format_size = format.size();
  program.code = code.data();
  program.code_size = code.size();
  NamedValueArray c_options(options);
  std::vector<BPL_Device*> c_devices;
  for (const Device& d : devices) c_devices.push_back(d.get());
  auto args = BPL_ARGS(BPL_Client_Compile_Args);
  args.client = get();
  args.program = &program;
  args.compile_options = c_options.data();
  args.num_compile_options = c_options.size();
  args.devices = c_devices.data();
  args.num_devices = c_devices.size();
  RETURN_IF_ERROR(BPL_CALL(api().api, Client_Compile, &args));
  return Executable(handle_, args.out_executable);
}

absl::StatusOr<Executable> Client::DeserializeExecutable(
    absl::string_view bytes) const {
  auto args = BPL_ARGS(BPL_Client_DeserializeExecutable_Args);
  args.client = get();
  args.serialized = bytes.data();
  args.serialized_size = bytes.size();
  RETURN_IF_ERROR(BPL_CALL(api().api, Client_DeserializeExecutable, &args));
  return Executable(handle_, args.out_executable);
}

absl::StatusOr<BufferFromHostResult> Client::BufferFromHost(
    const void* data, const Shape& shape, const Device& device,
    const BufferFromHostOptions& options) const {
  std::vector<BPL_Event*> waits;
  for (const Event* e : options.wait_events) waits.push_back(e->get());
  auto args = BPL_ARGS(BPL_Client_BufferFromHost_Args);
  args.client = get();
  args.data = data;
  args.element_type = shape.element_type;
  args.dims = shape.dims.data();
  args.num_dims = shape.dims.size();
  if (!options.byte_strides.empty()) {
    args.byte_strides = options.byte_strides.data();
    args.num_byte_strides = options.byte_strides.size();
  }
  args.host_buffer_semantics = options.semantics;
  args.device = device.get();
  args.memory = options.memory != nullptr ? options.memory->get() : nullptr;
  args.wait_events = waits.data();
  args.num_wait_events = waits.size();
  RETURN_IF_ERROR(BPL_CALL(api().api, Client_BufferFromHost, &args));
  BufferFromHostResult result;
  result.buffer = Buffer(handle_, args.out_buffer);
  result.done_with_host_buffer = Event(api(), args.out_done_with_host_buffer);
  return result;
}

}  // namespace backplane
