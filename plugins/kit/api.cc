// The kit's implementation of the BPL_Api table: validation, struct-size
// handling, status conversion and exception containment around the C++
// interfaces of plugin.h.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/backplane_c_api.h"
#include "base/build_sanitizer.h"
#include "base/cancellation.h"
#include "base/status_macros.h"
#include "plugins/kit/handle_table.h"
#include "plugins/kit/handles.h"
#include "plugins/kit/plugin.h"
#include "plugins/kit/status.h"

namespace backplane::kit {
namespace {

PluginState* g_plugin = nullptr;

// The smallest args struct any caller may pass: struct_size and the
// extension pointer, which every args struct of every version has.
constexpr size_t kMinArgsSize = sizeof(size_t) + sizeof(void*);

// A private, zero-initialised copy of a caller's args struct. Fields beyond
// the caller's struct_size (an older caller) keep their zero defaults;
// bytes beyond ours (a newer caller) are never read. Outputs are written
// back only within the caller's struct_size.
template <typename T>
class ArgsCopy {
 public:
  explicit ArgsCopy(T* caller) : caller_(caller) {}

  absl::Status Load() {
    if (caller_ == nullptr) {
      return absl::InvalidArgumentError("args is NULL");
    }
    caller_size_ = caller_->struct_size;
    if (caller_size_ < kMinArgsSize) {
      return absl::InvalidArgumentError(absl::StrCat(
          "args struct_size is ", caller_size_, ", smaller than the minimum ",
          kMinArgsSize, " (is struct_size set?)"));
    }
    std::memset(&local_, 0, sizeof(T));
    std::memcpy(&local_, caller_, std::min(caller_size_, sizeof(T)));
    loaded_ = true;
    return absl::OkStatus();
  }

  void Store() {
    if (loaded_) {
      std::memcpy(caller_, &local_, std::min(caller_size_, sizeof(T)));
    }
  }

  T* operator->() { return &local_; }
  T& get() { return local_; }

  // Whether the caller's struct contains `field`.
  template <typename F>
  bool Has(F T::*field) const {
    size_t end = FieldEnd(field);
    return end <= caller_size_;
  }

  // An output field the caller must have room for.
  template <typename F>
  absl::Status RequireOutput(F T::*field, const char* name) const {
    if (!Has(field)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "args struct_size ", caller_size_, " has no room for output '", name,
          "' (needs ", FieldEnd(field), ")"));
    }
    return absl::OkStatus();
  }

 private:
  template <typename F>
  size_t FieldEnd(F T::*field) const {
    const char* base = reinterpret_cast<const char*>(&local_);
    const char* f = reinterpret_cast<const char*>(&(local_.*field));
    return static_cast<size_t>(f - base) + sizeof(F);
  }

  T* caller_;
  T local_;
  size_t caller_size_ = 0;
  bool loaded_ = false;
};

// Runs `body` on a validated copy of `args`, turning statuses and any C++
// exception into a BPL_Error prefixed with the function's name:
// std::bad_alloc is RESOURCE_EXHAUSTED, any other exception INTERNAL.
template <typename T, typename Body>
BPL_Error* Guard(const char* function, T* args, Body&& body) {
  absl::Status status;
  try {
    ArgsCopy<T> copy(args);
    status = copy.Load();
    if (status.ok()) status = body(copy);
    copy.Store();
  } catch (const std::bad_alloc& e) {
    // Host memory ran out somewhere the plugin did not check: still the
    // caller's resource problem, not a plugin bug.
    status = absl::ResourceExhaustedError(
        absl::StrCat("out of host memory: ", e.what()));
  } catch (const std::exception& e) {
    status = absl::InternalError(
        absl::StrCat("plugin threw a C++ exception: ", e.what()));
  } catch (...) {
    status = absl::InternalError("plugin threw a non-standard exception");
  }
  if (status.ok()) return nullptr;
  return ToBplError(absl::Status(
      status.code(), absl::StrCat(function, ": ", status.message())));
}

// Reads a C enum field as the integer the caller stored. A caller may pass
// any value; loading it as the enum type would be undefined behaviour for
// values outside the enum's range.
template <typename E>
int64_t RawEnum(const E& field) {
  static_assert(sizeof(E) == sizeof(int32_t), "C enums are int-sized");
  int32_t raw;
  std::memcpy(&raw, &field, sizeof(raw));
  return raw;
}

HandleTable& Table() { return HandleTable::Get(); }

template <typename Obj, typename H>
absl::StatusOr<std::shared_ptr<Obj>> LookupAs(const H* handle, HandleType type,
                                              const char* name) {
  return Table().Lookup<Obj>(FromHandle(handle), type, name);
}

absl::StatusOr<std::shared_ptr<EventObject>> LookupEvent(
    const BPL_Event* handle, const char* name = "event") {
  return LookupAs<EventObject>(handle, HandleType::kEvent, name);
}
absl::StatusOr<std::shared_ptr<ClientObject>> LookupClient(
    const BPL_Client* handle) {
  return LookupAs<ClientObject>(handle, HandleType::kClient, "client");
}
absl::StatusOr<std::shared_ptr<DeviceObject>> LookupDevice(
    const BPL_Device* handle, const char* name = "device") {
  return LookupAs<DeviceObject>(handle, HandleType::kDevice, name);
}
absl::StatusOr<std::shared_ptr<DeviceObject>> LookupDescription(
    const BPL_DeviceDescription* handle) {
  return LookupAs<DeviceObject>(handle, HandleType::kDeviceDescription,
                                "description");
}
absl::StatusOr<std::shared_ptr<MemoryObject>> LookupMemory(
    const BPL_Memory* handle, const char* name = "memory") {
  return LookupAs<MemoryObject>(handle, HandleType::kMemory, name);
}
absl::StatusOr<std::shared_ptr<BufferObject>> LookupBuffer(
    const BPL_Buffer* handle, const char* name = "buffer") {
  return LookupAs<BufferObject>(handle, HandleType::kBuffer, name);
}
absl::StatusOr<std::shared_ptr<ExecutableObject>> LookupExecutable(
    const BPL_Executable* handle) {
  return LookupAs<ExecutableObject>(handle, HandleType::kExecutable,
                                    "executable");
}
absl::StatusOr<std::shared_ptr<StatisticsObject>> LookupStatistics(
    const BPL_ExecutionStatistics* handle) {
  return LookupAs<StatisticsObject>(handle, HandleType::kStatistics,
                                    "statistics");
}

// Frees `handle`'s table entry; the object is released here, outside the
// table's lock (its destructor may complete events and run callbacks).
template <typename H>
absl::Status DestroyHandle(H* handle, HandleType type, const char* name) {
  ASSIGN_OR_RETURN(std::shared_ptr<void> last,
                   Table().Remove(FromHandle(handle), type, name));
  last.reset();
  return absl::OkStatus();
}

absl::Status CheckLive(const ClientState& client) {
  if (client.destroyed.load(std::memory_order_acquire)) {
    return absl::FailedPreconditionError(
        "the client this object belongs to was destroyed");
  }
  return absl::OkStatus();
}

absl::Status CheckInitialized() {
  if (!g_plugin->initialized.load(std::memory_order_acquire)) {
    return absl::FailedPreconditionError(
        "Plugin_Initialize must be called first");
  }
  return absl::OkStatus();
}

BPL_Event* NewEventHandle(std::shared_ptr<Event> event,
                          bool framework_created = false) {
  auto object = std::make_shared<EventObject>();
  object->event = std::move(event);
  object->framework_created = framework_created;
  return ToHandle<BPL_Event>(
      Table().Insert(HandleType::kEvent, std::move(object)));
}

// ---------------------------------------------------------------- Error

BPL_Error* Error_Destroy(BPL_Error_Destroy_Args* args) {
  // Never fails; tolerate a NULL args pointer too.
  if (args == nullptr || args->struct_size < kMinArgsSize + sizeof(void*)) {
    return nullptr;
  }
  if (args->error == nullptr) return nullptr;
  absl::Status status = DestroyBplError(args->error);
  if (status.ok()) return nullptr;
  return ToBplError(absl::Status(
      status.code(), absl::StrCat("Error_Destroy: ", status.message())));
}

BPL_Error* Error_Message(BPL_Error_Message_Args* args) {
  return Guard("Error_Message", args, [](ArgsCopy<BPL_Error_Message_Args>& a) {
    ASSIGN_OR_RETURN(std::shared_ptr<ErrorObject> error,
                     LookupBplError(a->error));
    RETURN_IF_ERROR(a.RequireOutput(&BPL_Error_Message_Args::out_message_size,
                                    "out_message_size"));
    // Owned by the table entry, so valid until the error is destroyed.
    a->out_message = error->message.c_str();
    a->out_message_size = error->message.size();
    return absl::OkStatus();
  });
}

BPL_Error* Error_GetCode(BPL_Error_GetCode_Args* args) {
  return Guard("Error_GetCode", args, [](ArgsCopy<BPL_Error_GetCode_Args>& a) {
    ASSIGN_OR_RETURN(std::shared_ptr<ErrorObject> error,
                     LookupBplError(a->error));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Error_GetCode_Args::out_code, "out_code"));
    a->out_code = static_cast<int64_t>(error->status.code());
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- Plugin

BPL_Error* Plugin_Initialize(BPL_Plugin_Initialize_Args* args) {
  return Guard("Plugin_Initialize", args,
               [](ArgsCopy<BPL_Plugin_Initialize_Args>& a) -> absl::Status {
                 std::lock_guard<std::mutex> lock(g_plugin->init_mu);
                 if (g_plugin->initialized.load()) return absl::OkStatus();
                 if (a.Has(&BPL_Plugin_Initialize_Args::framework_abi_major) &&
                     a->framework_abi_major != 0 &&
                     a->framework_abi_major != BPL_API_MAJOR) {
                   return absl::FailedPreconditionError(absl::StrCat(
                       "framework ABI major version ", a->framework_abi_major,
                       " is not this plugin's ", BPL_API_MAJOR));
                 }
                 RETURN_IF_ERROR(g_plugin->plugin->Initialize());
                 g_plugin->initialized.store(true, std::memory_order_release);
                 return absl::OkStatus();
               });
}

BPL_Error* Plugin_Attributes(BPL_Plugin_Attributes_Args* args) {
  return Guard(
      "Plugin_Attributes", args, [](ArgsCopy<BPL_Plugin_Attributes_Args>& a) {
        RETURN_IF_ERROR(
            a.RequireOutput(&BPL_Plugin_Attributes_Args::out_num_attributes,
                            "out_num_attributes"));
        a->out_attributes = g_plugin->attributes->data();
        a->out_num_attributes = g_plugin->attributes->size();
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- Event

BPL_Error* Event_Destroy(BPL_Event_Destroy_Args* args) {
  return Guard("Event_Destroy", args, [](ArgsCopy<BPL_Event_Destroy_Args>& a) {
    if (a->event == nullptr) return absl::OkStatus();
    return DestroyHandle(a->event, HandleType::kEvent, "event");
  });
}

BPL_Error* Event_IsReady(BPL_Event_IsReady_Args* args) {
  return Guard("Event_IsReady", args, [](ArgsCopy<BPL_Event_IsReady_Args>& a) {
    ASSIGN_OR_RETURN(auto event, LookupEvent(a->event));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Event_IsReady_Args::reserved, "out_is_ready"));
    a->out_is_ready = event->event->IsReady();
    return absl::OkStatus();
  });
}

BPL_Error* Event_Error(BPL_Event_Error_Args* args) {
  return Guard("Event_Error", args, [](ArgsCopy<BPL_Event_Error_Args>& a) {
    ASSIGN_OR_RETURN(auto event, LookupEvent(a->event));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Event_Error_Args::out_error, "out_error"));
    a->out_error = nullptr;
    if (event->event->IsReady()) {
      a->out_error = ToBplError(event->event->status());
    }
    return absl::OkStatus();
  });
}

BPL_Error* Event_Await(BPL_Event_Await_Args* args) {
  // The event's own error is returned unprefixed: it is the error of the
  // work the event stands for, not of Event_Await.
  absl::Status event_status;
  BPL_Error* error =
      Guard("Event_Await", args, [&](ArgsCopy<BPL_Event_Await_Args>& a) {
        ASSIGN_OR_RETURN(auto event, LookupEvent(a->event));
        event_status = event->event->Await();
        return absl::OkStatus();
      });
  if (error != nullptr) return error;
  return ToBplError(event_status);
}

BPL_Error* Event_OnReady(BPL_Event_OnReady_Args* args) {
  return Guard("Event_OnReady", args, [](ArgsCopy<BPL_Event_OnReady_Args>& a) {
    ASSIGN_OR_RETURN(auto event, LookupEvent(a->event));
    if (a->callback == nullptr) {
      return absl::InvalidArgumentError("callback is NULL");
    }
    BPL_EventCallback* callback = a->callback;
    void* user_arg = a->user_arg;
    event->event->OnReady([callback, user_arg](const absl::Status& s) {
      BPL_Error* error = ToBplError(s);
      callback(error, user_arg);
      if (error != nullptr) DestroyBplError(error).IgnoreError();
    });
    return absl::OkStatus();
  });
}

BPL_Error* Event_Create(BPL_Event_Create_Args* args) {
  return Guard("Event_Create", args, [](ArgsCopy<BPL_Event_Create_Args>& a) {
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Event_Create_Args::out_event, "out_event"));
    a->out_event =
        NewEventHandle(std::make_shared<Event>(), /*framework_created=*/true);
    return absl::OkStatus();
  });
}

BPL_Error* Event_Set(BPL_Event_Set_Args* args) {
  return Guard("Event_Set", args, [](ArgsCopy<BPL_Event_Set_Args>& a) {
    // `event` keeps the event alive while its callbacks run, even if one
    // of them destroys the handle.
    ASSIGN_OR_RETURN(auto event, LookupEvent(a->event));
    if (!event->framework_created) {
      return absl::FailedPreconditionError(
          "only events made with Event_Create can be set by the framework");
    }
    if (a->error_code < 0 || a->error_code > 16) {
      return absl::InvalidArgumentError(absl::StrCat(
          "error_code ", a->error_code, " is not a BPL_ErrorCode"));
    }
    absl::Status status;
    if (a->error_code != 0) {
      std::string message;
      if (a->error_message != nullptr) {
        message.assign(a->error_message, a->error_message_size);
      }
      if (message.empty()) {
        // Every BPL_Error has a message, also when the framework gave none.
        message = absl::StrCat("framework event set with error code ",
                               a->error_code, " and no message");
      }
      status =
          absl::Status(static_cast<absl::StatusCode>(a->error_code), message);
    }
    return event->event->Set(std::move(status));
  });
}

// ---------------------------------------------------------------- Client

absl::Status BuildClientHandles(const std::shared_ptr<ClientState>& shared) {
  ClientState& state = *shared;
  const std::weak_ptr<void> owner = shared;
  for (Device* device : state.impl->devices()) {
    if (device == nullptr) return absl::InternalError("plugin: NULL device");
    auto object = std::make_unique<DeviceObject>();
    object->client = &state;
    object->impl = device;
    object->kind = std::string(device->kind());
    object->debug_string = device->debug_string();
    object->attributes =
        std::make_unique<NamedValueArray>(device->attributes());
    object->handle = ToHandle<BPL_Device>(
        Table().InsertBorrowed(HandleType::kDevice, object.get(), owner));
    object->description =
        ToHandle<BPL_DeviceDescription>(Table().InsertBorrowed(
            HandleType::kDeviceDescription, object.get(), owner));
    state.device_objects[device] = object.get();
    state.devices.push_back(object->handle);
    if (device->is_addressable()) {
      state.addressable_devices.push_back(object->handle);
    }
    state.device_storage.push_back(std::move(object));
  }
  for (Memory* memory : state.impl->memories()) {
    if (memory == nullptr) return absl::InternalError("plugin: NULL memory");
    auto object = std::make_unique<MemoryObject>();
    object->client = &state;
    object->impl = memory;
    object->kind = std::string(memory->kind());
    object->handle = ToHandle<BPL_Memory>(
        Table().InsertBorrowed(HandleType::kMemory, object.get(), owner));
    state.memory_objects[memory] = object.get();
    state.memories.push_back(object->handle);
    state.memory_storage.push_back(std::move(object));
  }
  for (auto& memory : state.memory_storage) {
    for (Device* device : memory->impl->devices()) {
      auto it = state.device_objects.find(device);
      if (it == state.device_objects.end()) {
        return absl::InternalError("plugin: memory names an unknown device");
      }
      memory->devices.push_back(it->second->handle);
    }
  }
  for (auto& device : state.device_storage) {
    for (Memory* memory : device->impl->memories()) {
      auto it = state.memory_objects.find(memory);
      if (it == state.memory_objects.end()) {
        return absl::InternalError("plugin: device names an unknown memory");
      }
      device->memories.push_back(it->second->handle);
    }
    auto it = state.memory_objects.find(device->impl->default_memory());
    if (it == state.memory_objects.end()) {
      return absl::InternalError(
          absl::StrCat("plugin: device ", device->impl->id(),
                       " has no default memory among the client's memories"));
    }
    device->default_memory = it->second;
  }
  return absl::OkStatus();
}

// The largest option value_size (string bytes or list elements) the kit
// reads; no option needs more, and a corrupt size must not become a huge
// allocation.
constexpr size_t kMaxOptionValueSize = size_t{1} << 24;

// ReadNamedValues for caller-given options, with value_size bounded.
absl::StatusOr<std::vector<NamedValue>> ReadOptions(
    const BPL_NamedValue* values, size_t count, absl::string_view what) {
  for (size_t i = 0; values != nullptr && i < count; ++i) {
    const BPL_NamedValue& v = values[i];
    if (v.struct_size >= BPL_NamedValue_STRUCT_SIZE &&
        v.value_size > kMaxOptionValueSize) {
      std::string name =
          v.name == nullptr
              ? absl::StrCat("#", i)
              : absl::StrCat("'",
                             absl::string_view(
                                 v.name, std::min<size_t>(v.name_size, 256)),
                             "'");
      return absl::InvalidArgumentError(
          absl::StrCat(what, " ", name, ": value_size ", v.value_size,
                       " exceeds the maximum of ", kMaxOptionValueSize));
    }
  }
  return ReadNamedValues(values, count, what);
}

BPL_Error* Client_Create(BPL_Client_Create_Args* args) {
  return Guard("Client_Create", args, [](ArgsCopy<BPL_Client_Create_Args>& a) {
    RETURN_IF_ERROR(CheckInitialized());
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Client_Create_Args::out_client, "out_client"));
    ASSIGN_OR_RETURN(auto values,
                     ReadOptions(a->options, a->num_options, "client option"));
    ASSIGN_OR_RETURN(auto options, Options::Parse(std::move(values),
                                                  g_plugin->info.client_options,
                                                  "client option"));
    ASSIGN_OR_RETURN(std::unique_ptr<Client> impl,
                     g_plugin->plugin->CreateClient(options));
    auto state = std::make_shared<ClientState>();
    state->plugin = g_plugin;
    state->impl = std::move(impl);
    RETURN_IF_ERROR(BuildClientHandles(state));
    auto handle = std::make_shared<ClientObject>();
    handle->state = std::move(state);
    a->out_client = ToHandle<BPL_Client>(
        Table().Insert(HandleType::kClient, std::move(handle)));
    return absl::OkStatus();
  });
}

BPL_Error* Client_Destroy(BPL_Client_Destroy_Args* args) {
  return Guard("Client_Destroy", args,
               [](ArgsCopy<BPL_Client_Destroy_Args>& a) {
                 if (a->client == nullptr) return absl::OkStatus();
                 ASSIGN_OR_RETURN(auto client, LookupClient(a->client));
                 RETURN_IF_ERROR(
                     DestroyHandle(a->client, HandleType::kClient, "client"));
                 client->state->destroyed.store(true);
                 return absl::OkStatus();
               });
}

BPL_Error* Client_PlatformName(BPL_Client_PlatformName_Args* args) {
  return Guard("Client_PlatformName", args,
               [](ArgsCopy<BPL_Client_PlatformName_Args>& a) {
                 ASSIGN_OR_RETURN(auto client_handle, LookupClient(a->client));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Client_PlatformName_Args::out_platform_name_size,
                     "out_platform_name_size"));
                 absl::string_view name =
                     client_handle->state->impl->platform_name();
                 a->out_platform_name = name.data();
                 a->out_platform_name_size = name.size();
                 return absl::OkStatus();
               });
}

BPL_Error* Client_PlatformVersion(BPL_Client_PlatformVersion_Args* args) {
  return Guard(
      "Client_PlatformVersion", args,
      [](ArgsCopy<BPL_Client_PlatformVersion_Args>& a) {
        ASSIGN_OR_RETURN(auto client_handle, LookupClient(a->client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_PlatformVersion_Args::out_platform_version_size,
            "out_platform_version_size"));
        absl::string_view version =
            client_handle->state->impl->platform_version();
        a->out_platform_version = version.data();
        a->out_platform_version_size = version.size();
        return absl::OkStatus();
      });
}

BPL_Error* Client_Devices(BPL_Client_Devices_Args* args) {
  return Guard(
      "Client_Devices", args, [](ArgsCopy<BPL_Client_Devices_Args>& a) {
        ASSIGN_OR_RETURN(auto client_handle, LookupClient(a->client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_Devices_Args::out_num_devices, "out_num_devices"));
        a->out_devices = client_handle->state->devices.data();
        a->out_num_devices = client_handle->state->devices.size();
        return absl::OkStatus();
      });
}

BPL_Error* Client_AddressableDevices(BPL_Client_AddressableDevices_Args* args) {
  return Guard(
      "Client_AddressableDevices", args,
      [](ArgsCopy<BPL_Client_AddressableDevices_Args>& a) {
        ASSIGN_OR_RETURN(auto client_handle, LookupClient(a->client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_Devices_Args::out_num_devices, "out_num_devices"));
        a->out_devices = client_handle->state->addressable_devices.data();
        a->out_num_devices = client_handle->state->addressable_devices.size();
        return absl::OkStatus();
      });
}

BPL_Error* Client_LookupDevice(BPL_Client_LookupDevice_Args* args) {
  return Guard(
      "Client_LookupDevice", args,
      [](ArgsCopy<BPL_Client_LookupDevice_Args>& a) {
        ASSIGN_OR_RETURN(auto client_handle, LookupClient(a->client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_LookupDevice_Args::out_device, "out_device"));
        std::vector<int64_t> ids;
        for (const auto& device : client_handle->state->device_storage) {
          if (device->impl->id() == a->id) {
            a->out_device = device->handle;
            return absl::OkStatus();
          }
          ids.push_back(device->impl->id());
        }
        return absl::NotFoundError(absl::StrCat("no device with id ", a->id,
                                                "; device ids are [",
                                                absl::StrJoin(ids, ", "), "]"));
      });
}

BPL_Error* Client_AddressableMemories(
    BPL_Client_AddressableMemories_Args* args) {
  return Guard("Client_AddressableMemories", args,
               [](ArgsCopy<BPL_Client_AddressableMemories_Args>& a) {
                 ASSIGN_OR_RETURN(auto client_handle, LookupClient(a->client));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Client_AddressableMemories_Args::out_num_memories,
                     "out_num_memories"));
                 a->out_memories = client_handle->state->memories.data();
                 a->out_num_memories = client_handle->state->memories.size();
                 return absl::OkStatus();
               });
}

// The device `device` names, if it belongs to `client`.
absl::StatusOr<DeviceObject*> DeviceOf(const ClientState& client,
                                       BPL_Device* device, const char* name) {
  ASSIGN_OR_RETURN(auto object, LookupDevice(device, name));
  if (object->client != &client) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " belongs to another client"));
  }
  return object.get();  // Owned by `client`, which the caller holds.
}

absl::StatusOr<MemoryObject*> MemoryOf(const ClientState& client,
                                       BPL_Memory* memory, const char* name) {
  ASSIGN_OR_RETURN(auto object, LookupMemory(memory, name));
  if (object->client != &client) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " belongs to another client"));
  }
  return object.get();
}

absl::StatusOr<BPL_Executable*> NewExecutableHandle(
    std::shared_ptr<ClientState> client, std::unique_ptr<Executable> impl) {
  auto handle = std::make_shared<ExecutableObject>();
  handle->name = std::string(impl->name());
  handle->fingerprint = impl->fingerprint();
  for (Device* device : impl->devices()) {
    auto it = client->device_objects.find(device);
    if (it == client->device_objects.end()) {
      return absl::InternalError("plugin: executable on an unknown device");
    }
    handle->devices.push_back(it->second);
    handle->device_handles.push_back(it->second->handle);
  }
  handle->client = std::move(client);
  handle->parameter_shapes = impl->parameter_shapes();
  handle->output_shapes = impl->output_shapes();
  handle->donatable = impl->donatable_parameters();
  handle->donatable.resize(handle->parameter_shapes.size(), false);
  handle->memory_stats = impl->memory_stats();
  for (const Shape& s : handle->parameter_shapes) {
    handle->c_parameter_shapes.push_back(
        BPL_Shape{s.element_type, s.dims.size(), s.dims.data()});
  }
  for (const Shape& s : handle->output_shapes) {
    handle->c_output_shapes.push_back(
        BPL_Shape{s.element_type, s.dims.size(), s.dims.data()});
  }
  {
    std::lock_guard<std::mutex> lock(handle->mu);
    handle->impl = std::move(impl);
  }
  return ToHandle<BPL_Executable>(
      Table().Insert(HandleType::kExecutable, std::move(handle)));
}

// Keeps options meant for other plugins ("<other>.<key>") out of the way.
std::vector<NamedValue> DropForeignOptions(std::vector<NamedValue> values,
                                           absl::string_view own_prefix) {
  std::vector<NamedValue> kept;
  for (NamedValue& v : values) {
    size_t dot = v.name.find('.');
    if (dot != std::string::npos &&
        absl::string_view(v.name).substr(0, dot) != own_prefix) {
      continue;
    }
    kept.push_back(std::move(v));
  }
  return kept;
}

BPL_Error* Client_Compile(BPL_Client_Compile_Args* args) {
  return Guard(
      "Client_Compile", args, [](ArgsCopy<BPL_Client_Compile_Args>& a) {
        ASSIGN_OR_RETURN(auto client_handle, LookupClient(a->client));
        ClientState& client = *client_handle->state;
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_Compile_Args::out_executable, "out_executable"));
        const BPL_Program* program = a->program;
        if (program == nullptr) {
          return absl::InvalidArgumentError("program is NULL");
        }
        if (program->struct_size < BPL_Program_STRUCT_SIZE) {
          return absl::InvalidArgumentError(absl::StrCat(
              "program struct_size ", program->struct_size,
              " is smaller than BPL_Program's ", BPL_Program_STRUCT_SIZE));
        }
        if (program->format == nullptr) {
          return absl::InvalidArgumentError("program format is NULL");
        }
        if (program->code == nullptr && program->code_size != 0) {
          return absl::InvalidArgumentError("program code is NULL");
        }
        std::string format(program->format, program->format_size);
        const auto& formats = client.plugin->info.program_formats;
        if (std::find(formats.begin(), formats.end(), format) ==
            formats.end()) {
          return absl::UnimplementedError(absl::StrCat(
              "program format '", format,
              "' is not supported; supported: ", absl::StrJoin(formats, ", ")));
        }
        ASSIGN_OR_RETURN(auto values,
                         ReadOptions(a->compile_options, a->num_compile_options,
                                     "compile option"));
        ASSIGN_OR_RETURN(
            auto options,
            Options::Parse(
                DropForeignOptions(std::move(values), client.plugin->info.name),
                client.plugin->compile_option_schema, "compile option"));
        RETURN_IF_ERROR(CheckStandardCompileOptions(options));
        std::vector<Device*> devices;
        if (a->num_devices > 0 && a->devices == nullptr) {
          return absl::InvalidArgumentError(absl::StrCat(
              "devices is NULL but num_devices is ", a->num_devices));
        }
        for (size_t i = 0; i < a->num_devices; ++i) {
          const std::string name = absl::StrCat("devices[", i, "]");
          ASSIGN_OR_RETURN(DeviceObject * device,
                           DeviceOf(client, a->devices[i], name.c_str()));
          if (!device->impl->is_addressable()) {
            return absl::InvalidArgumentError(absl::StrCat(
                "device ", device->impl->id(), " is not addressable"));
          }
          devices.push_back(device->impl);
        }
        if (devices.empty()) {
          for (const auto& device : client.device_storage) {
            if (device->impl->is_addressable()) {
              devices.push_back(device->impl);
              break;
            }
          }
          if (devices.empty()) {
            return absl::FailedPreconditionError("no addressable devices");
          }
        }
        RETURN_IF_ERROR(CheckLive(client));
        ASSIGN_OR_RETURN(
            auto impl,
            client.impl->Compile(
                format,
                absl::string_view(program->code == nullptr ? "" : program->code,
                                  program->code_size),
                options, devices));
        ASSIGN_OR_RETURN(
            a->out_executable,
            NewExecutableHandle(client_handle->state, std::move(impl)));
        return absl::OkStatus();
      });
}

BPL_Error* Client_DeserializeExecutable(
    BPL_Client_DeserializeExecutable_Args* args) {
  return Guard(
      "Client_DeserializeExecutable", args,
      [](ArgsCopy<BPL_Client_DeserializeExecutable_Args>& a) {
        ASSIGN_OR_RETURN(auto client_handle, LookupClient(a->client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_DeserializeExecutable_Args::out_executable,
            "out_executable"));
        if (a->serialized == nullptr && a->serialized_size != 0) {
          return absl::InvalidArgumentError("serialized is NULL");
        }
        ASSIGN_OR_RETURN(
            auto impl,
            client_handle->state->impl->DeserializeExecutable(
                absl::string_view(a->serialized == nullptr ? "" : a->serialized,
                                  a->serialized_size)));
        ASSIGN_OR_RETURN(
            a->out_executable,
            NewExecutableHandle(client_handle->state, std::move(impl)));
        return absl::OkStatus();
      });
}

// Checks caller-given byte strides before anything is read: each must be
// non-negative, and the furthest byte any element touches must be
// representable (no int64 overflow) and must not wrap the address space
// past `data`. Errors name the dimension.
absl::Status CheckByteStrides(const void* data, const Shape& shape,
                              const std::vector<int64_t>& byte_strides) {
  const int64_t element_size = ElementTypeByteSize(shape.element_type);
  int64_t extent = element_size;  // One past the last byte read.
  bool empty = false;
  for (size_t d = 0; d < byte_strides.size(); ++d) {
    if (byte_strides[d] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("byte_strides[", d, "] is negative (", byte_strides[d],
                       "); strides must be >= 0"));
    }
    if (shape.dims[d] == 0) empty = true;
  }
  if (empty) return absl::OkStatus();  // No element is read.
  for (size_t d = 0; d < byte_strides.size(); ++d) {
    int64_t span;
    if (__builtin_mul_overflow(shape.dims[d] - 1, byte_strides[d], &span) ||
        __builtin_add_overflow(extent, span, &extent)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "byte_strides[", d, "] = ", byte_strides[d], " with dims[", d,
          "] = ", shape.dims[d], " makes element offsets overflow int64"));
    }
    uintptr_t end;
    if (__builtin_add_overflow(reinterpret_cast<uintptr_t>(data),
                               static_cast<uintptr_t>(extent), &end)) {
      return absl::InvalidArgumentError(
          absl::StrCat("byte_strides[", d, "] = ", byte_strides[d],
                       " reaches past the end of the address space from data"));
    }
  }
  return absl::OkStatus();
}

// Gathers a strided host array into dense row-major bytes (strides checked
// by CheckByteStrides).
void Densify(const char* src, const Shape& shape,
             const std::vector<int64_t>& byte_strides, char* dst) {
  const int64_t element_size = ElementTypeByteSize(shape.element_type);
  const size_t rank = shape.dims.size();
  const int64_t count = shape.element_count();
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t offset = 0;
    for (size_t d = 0; d < rank; ++d) offset += index[d] * byte_strides[d];
    std::memcpy(dst + i * element_size, src + offset, element_size);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < shape.dims[d]) break;
      index[d] = 0;
    }
  }
}

// Gathers strided `src` into a new dense array (*dense) once `ready`
// completes; the returned event completes after that with `ready`'s status.
std::shared_ptr<Event> GatherWhenReady(const char* src, const Shape& shape,
                                       std::vector<int64_t> strides,
                                       const std::shared_ptr<Event>& ready,
                                       std::shared_ptr<char[]>* dense) {
  std::shared_ptr<char[]> storage(
      new char[std::max<int64_t>(shape.byte_size(), 1)]);
  *dense = storage;
  auto gathered = std::make_shared<Event>();
  ready->OnReady([gathered, storage, src, shape,
                  strides = std::move(strides)](const absl::Status& status) {
    if (status.ok()) Densify(src, shape, strides, storage.get());
    gathered->Set(status).IgnoreError();
  });
  return gathered;
}

absl::StatusOr<Shape> ReadShape(int64_t element_type, const int64_t* dims,
                                size_t num_dims) {
  if (!IsValidElementType(element_type)) {
    return absl::InvalidArgumentError(
        absl::StrCat("element_type ", element_type, " is not valid"));
  }
  if (num_dims > 0 && dims == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("dims is NULL but num_dims is ", num_dims));
  }
  if (num_dims > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("rank ", num_dims, " exceeds the maximum of 64"));
  }
  Shape shape;
  shape.element_type = static_cast<BPL_ElementType>(element_type);
  int64_t count = 1;
  for (size_t i = 0; i < num_dims; ++i) {
    if (dims[i] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("dims[", i, "] is negative (", dims[i], ")"));
    }
    if (dims[i] != 0 && count > (int64_t{1} << 48) / dims[i]) {
      return absl::InvalidArgumentError("shape has too many elements");
    }
    count *= dims[i];
    shape.dims.push_back(dims[i]);
  }
  return shape;
}

BPL_Buffer* NewBufferHandle(const std::shared_ptr<ClientState>& client,
                            std::shared_ptr<Buffer> impl) {
  auto handle = std::make_shared<BufferObject>();
  handle->client = client;
  handle->shape = impl->shape();
  auto dev = client->device_objects.find(impl->device());
  handle->device = dev == client->device_objects.end() ? nullptr : dev->second;
  auto mem = client->memory_objects.find(impl->memory());
  handle->memory = mem == client->memory_objects.end() ? nullptr : mem->second;
  handle->on_device_size = impl->on_device_size();
  {
    std::lock_guard<std::mutex> lock(handle->mu);
    handle->impl = std::move(impl);
  }
  return ToHandle<BPL_Buffer>(
      Table().Insert(HandleType::kBuffer, std::move(handle)));
}

BPL_Error* Client_BufferFromHost(BPL_Client_BufferFromHost_Args* args) {
  return Guard(
      "Client_BufferFromHost", args,
      [](ArgsCopy<BPL_Client_BufferFromHost_Args>& a) -> absl::Status {
        ASSIGN_OR_RETURN(auto client_handle, LookupClient(a->client));
        ClientState& client = *client_handle->state;
        RETURN_IF_ERROR(CheckLive(client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_BufferFromHost_Args::out_buffer, "out_buffer"));
        ASSIGN_OR_RETURN(Shape shape, ReadShape(RawEnum(a->element_type),
                                                a->dims, a->num_dims));
        if (a->data == nullptr && shape.byte_size() != 0) {
          return absl::InvalidArgumentError("data is NULL");
        }
        const int64_t semantics = RawEnum(a->host_buffer_semantics);
        if (semantics < BPL_HOST_BUFFER_COPY_DURING_CALL ||
            semantics > BPL_HOST_BUFFER_MUTABLE_ZERO_COPY) {
          return absl::InvalidArgumentError(
              absl::StrCat("host_buffer_semantics ", semantics,
                           " is not a BPL_HostBufferSemantics"));
        }
        MemoryObject* memory = nullptr;
        if (a->memory != nullptr) {
          ASSIGN_OR_RETURN(memory, MemoryOf(client, a->memory, "memory"));
        } else {
          if (a->device == nullptr) {
            return absl::InvalidArgumentError(
                "neither device nor memory is set");
          }
          ASSIGN_OR_RETURN(DeviceObject * device,
                           DeviceOf(client, a->device, "device"));
          if (!device->impl->is_addressable()) {
            return absl::InvalidArgumentError("device is not addressable");
          }
          memory = device->default_memory;
        }
        std::vector<std::shared_ptr<Event>> waits;
        if (a->num_wait_events > 0 && a->wait_events == nullptr) {
          return absl::InvalidArgumentError("wait_events is NULL");
        }
        for (size_t i = 0; i < a->num_wait_events; ++i) {
          const std::string name = absl::StrCat("wait_events[", i, "]");
          ASSIGN_OR_RETURN(auto event,
                           LookupEvent(a->wait_events[i], name.c_str()));
          waits.push_back(event->event);
        }
        // The data must be copied before the call returns, so it cannot
        // also be declared "not valid yet".
        if (!waits.empty() &&
            a->host_buffer_semantics == BPL_HOST_BUFFER_COPY_DURING_CALL) {
          return absl::InvalidArgumentError(
              "wait_events cannot be combined with COPY_DURING_CALL (the "
              "data is copied before the call returns); use "
              "IMMUTABLE_UNTIL_TRANSFER_COMPLETES");
        }
        HostBuffer host;
        // Frameworks may pass NULL for an empty array; plugins always get a
        // valid pointer, so memcpy(dst, data, 0) stays defined behaviour.
        static const char kEmptyData[1] = {0};
        host.data = a->data != nullptr ? a->data : kEmptyData;
        host.shape = shape;
        host.semantics = a->host_buffer_semantics;
        std::unique_ptr<char[]> dense;
        std::shared_ptr<char[]> async_dense;  // Gathered after the waits.
        std::shared_ptr<Event> gathered;
        if (a->byte_strides != nullptr) {
          if (a->num_byte_strides != a->num_dims) {
            return absl::InvalidArgumentError(
                absl::StrCat("num_byte_strides ", a->num_byte_strides,
                             " differs from num_dims ", a->num_dims));
          }
          std::vector<int64_t> strides(a->byte_strides,
                                       a->byte_strides + a->num_byte_strides);
          RETURN_IF_ERROR(CheckByteStrides(a->data, host.shape, strides));
          if (!waits.empty()) {
            // The data is valid only once the wait events complete, which
            // the caller may do after this call returns: gather then, never
            // block here (a caller that sets the events itself would wait
            // forever). The plugin reads the gathered copy once it is made.
            gathered =
                GatherWhenReady(static_cast<const char*>(a->data), host.shape,
                                std::move(strides), AllOf(waits), &async_dense);
            host.data = async_dense.get();
            host.semantics = BPL_HOST_BUFFER_IMMUTABLE_UNTIL_TRANSFER_COMPLETES;
            waits = {gathered};
          } else {
            // Strided data is gathered now, so the copy is done at once.
            dense.reset(new char[std::max<int64_t>(host.shape.byte_size(), 1)]);
            Densify(static_cast<const char*>(a->data), host.shape, strides,
                    dense.get());
            host.data = dense.get();
            host.semantics = BPL_HOST_BUFFER_COPY_DURING_CALL;
          }
        }
        ASSIGN_OR_RETURN(
            BufferFromHostResult result,
            client.impl->BufferFromHost(host, memory->impl, AllOf(waits)));
        if (result.buffer == nullptr) {
          return absl::InternalError("plugin returned no buffer");
        }
        {
          // A transfer still pending (waiting on events) may use the
          // client's implementation (its devices, their clocks) when it
          // runs, after the framework destroyed the buffer and the client:
          // keep the client alive until the transfer is done.
          std::shared_ptr<Event> parts[2] = {
              result.buffer->ready_event(),
              result.done_with_host_buffer != nullptr
                  ? result.done_with_host_buffer
                  : Event::Ready()};
          if (parts[0] == nullptr) parts[0] = Event::Ready();
          AllOf(parts)->OnReady(
              [keep = client_handle->state](const absl::Status&) {});
        }
        a->out_buffer =
            NewBufferHandle(client_handle->state, std::move(result.buffer));
        if (async_dense != nullptr && result.done_with_host_buffer != nullptr) {
          // The gathered copy lives until the plugin is done reading it.
          result.done_with_host_buffer->OnReady(
              [async_dense](const absl::Status&) {});
        }
        if (a.Has(&BPL_Client_BufferFromHost_Args::out_done_with_host_buffer)) {
          // The caller's memory is read by the gather, or by the plugin.
          a->out_done_with_host_buffer = NewEventHandle(
              gathered != nullptr ? gathered
              : dense != nullptr || result.done_with_host_buffer == nullptr
                  ? Event::Ready()
                  : result.done_with_host_buffer);
        }
        return absl::OkStatus();
      });
}

// ------------------------------------------------------ DeviceDescription

BPL_Error* DeviceDescription_Id(BPL_DeviceDescription_Id_Args* args) {
  return Guard(
      "DeviceDescription_Id", args,
      [](ArgsCopy<BPL_DeviceDescription_Id_Args>& a) {
        ASSIGN_OR_RETURN(auto device, LookupDescription(a->description));
        RETURN_IF_ERROR(
            a.RequireOutput(&BPL_DeviceDescription_Id_Args::out_id, "out_id"));
        a->out_id = device->impl->id();
        return absl::OkStatus();
      });
}

BPL_Error* DeviceDescription_Kind(BPL_DeviceDescription_Kind_Args* args) {
  return Guard(
      "DeviceDescription_Kind", args,
      [](ArgsCopy<BPL_DeviceDescription_Kind_Args>& a) {
        ASSIGN_OR_RETURN(auto device, LookupDescription(a->description));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_DeviceDescription_Kind_Args::out_kind_size, "out_kind_size"));
        const std::string& kind = device->kind;
        a->out_kind = kind.c_str();
        a->out_kind_size = kind.size();
        return absl::OkStatus();
      });
}

BPL_Error* DeviceDescription_Attributes(
    BPL_DeviceDescription_Attributes_Args* args) {
  return Guard("DeviceDescription_Attributes", args,
               [](ArgsCopy<BPL_DeviceDescription_Attributes_Args>& a) {
                 ASSIGN_OR_RETURN(auto device,
                                  LookupDescription(a->description));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_DeviceDescription_Attributes_Args::out_num_attributes,
                     "out_num_attributes"));
                 const NamedValueArray& attrs = *device->attributes;
                 a->out_attributes = attrs.data();
                 a->out_num_attributes = attrs.size();
                 return absl::OkStatus();
               });
}

BPL_Error* DeviceDescription_DebugString(
    BPL_DeviceDescription_DebugString_Args* args) {
  return Guard(
      "DeviceDescription_DebugString", args,
      [](ArgsCopy<BPL_DeviceDescription_DebugString_Args>& a) {
        ASSIGN_OR_RETURN(auto device, LookupDescription(a->description));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_DeviceDescription_DebugString_Args::out_debug_string_size,
            "out_debug_string_size"));
        const std::string& s = device->debug_string;
        a->out_debug_string = s.c_str();
        a->out_debug_string_size = s.size();
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- Device

BPL_Error* Device_GetDescription(BPL_Device_GetDescription_Args* args) {
  return Guard("Device_GetDescription", args,
               [](ArgsCopy<BPL_Device_GetDescription_Args>& a) {
                 ASSIGN_OR_RETURN(auto device, LookupDevice(a->device));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Device_GetDescription_Args::out_description,
                     "out_description"));
                 a->out_description = device->description;
                 return absl::OkStatus();
               });
}

BPL_Error* Device_IsAddressable(BPL_Device_IsAddressable_Args* args) {
  return Guard(
      "Device_IsAddressable", args,
      [](ArgsCopy<BPL_Device_IsAddressable_Args>& a) {
        ASSIGN_OR_RETURN(auto device, LookupDevice(a->device));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Device_IsAddressable_Args::reserved, "out_is_addressable"));
        a->out_is_addressable = device->impl->is_addressable();
        return absl::OkStatus();
      });
}

BPL_Error* Device_Memories(BPL_Device_Memories_Args* args) {
  return Guard(
      "Device_Memories", args, [](ArgsCopy<BPL_Device_Memories_Args>& a) {
        ASSIGN_OR_RETURN(auto device, LookupDevice(a->device));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Device_Memories_Args::out_num_memories, "out_num_memories"));
        a->out_memories = device->memories.data();
        a->out_num_memories = device->memories.size();
        return absl::OkStatus();
      });
}

BPL_Error* Device_DefaultMemory(BPL_Device_DefaultMemory_Args* args) {
  return Guard("Device_DefaultMemory", args,
               [](ArgsCopy<BPL_Device_DefaultMemory_Args>& a) {
                 ASSIGN_OR_RETURN(auto device, LookupDevice(a->device));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Device_DefaultMemory_Args::out_memory, "out_memory"));
                 a->out_memory = device->default_memory->handle;
                 return absl::OkStatus();
               });
}

BPL_Error* Device_MemoryStats(BPL_Device_MemoryStats_Args* args) {
  return Guard(
      "Device_MemoryStats", args, [](ArgsCopy<BPL_Device_MemoryStats_Args>& a) {
        ASSIGN_OR_RETURN(auto device, LookupDevice(a->device));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Device_MemoryStats_Args::out_bytes_limit, "out_bytes_limit"));
        MemoryStats stats = device->impl->memory_stats();
        a->out_bytes_in_use = stats.bytes_in_use;
        a->out_peak_bytes_in_use = stats.peak_bytes_in_use;
        a->out_num_allocs = stats.num_allocs;
        a->out_largest_alloc_size = stats.largest_alloc_size;
        a->out_bytes_limit = stats.bytes_limit;
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- Memory

BPL_Error* Memory_Id(BPL_Memory_Id_Args* args) {
  return Guard("Memory_Id", args, [](ArgsCopy<BPL_Memory_Id_Args>& a) {
    ASSIGN_OR_RETURN(auto memory, LookupMemory(a->memory));
    RETURN_IF_ERROR(a.RequireOutput(&BPL_Memory_Id_Args::out_id, "out_id"));
    a->out_id = memory->impl->id();
    return absl::OkStatus();
  });
}

BPL_Error* Memory_Kind(BPL_Memory_Kind_Args* args) {
  return Guard("Memory_Kind", args, [](ArgsCopy<BPL_Memory_Kind_Args>& a) {
    ASSIGN_OR_RETURN(auto memory, LookupMemory(a->memory));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Memory_Kind_Args::out_kind_size, "out_kind_size"));
    a->out_kind = memory->kind.c_str();
    a->out_kind_size = memory->kind.size();
    return absl::OkStatus();
  });
}

BPL_Error* Memory_Devices(BPL_Memory_Devices_Args* args) {
  return Guard(
      "Memory_Devices", args, [](ArgsCopy<BPL_Memory_Devices_Args>& a) {
        ASSIGN_OR_RETURN(auto memory, LookupMemory(a->memory));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Memory_Devices_Args::out_num_devices, "out_num_devices"));
        a->out_devices = memory->devices.data();
        a->out_num_devices = memory->devices.size();
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- Buffer

// The live implementation of `buffer`, or why there is none.
absl::StatusOr<std::shared_ptr<Buffer>> LiveBuffer(const BufferObject& buffer,
                                                   const char* name) {
  RETURN_IF_ERROR(CheckLive(*buffer.client));
  std::shared_ptr<Buffer> impl = buffer.Get();
  if (impl == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, " was deleted (or donated to an execution)"));
  }
  return impl;
}

BPL_Error* Buffer_Destroy(BPL_Buffer_Destroy_Args* args) {
  return Guard("Buffer_Destroy", args,
               [](ArgsCopy<BPL_Buffer_Destroy_Args>& a) {
                 if (a->buffer == nullptr) return absl::OkStatus();
                 return DestroyHandle(a->buffer, HandleType::kBuffer, "buffer");
               });
}

BPL_Error* Buffer_Delete(BPL_Buffer_Delete_Args* args) {
  return Guard("Buffer_Delete", args, [](ArgsCopy<BPL_Buffer_Delete_Args>& a) {
    ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
    std::shared_ptr<Buffer> released = buffer->Take();
    return absl::OkStatus();  // `released` frees outside the lock.
  });
}

BPL_Error* Buffer_IsDeleted(BPL_Buffer_IsDeleted_Args* args) {
  return Guard("Buffer_IsDeleted", args,
               [](ArgsCopy<BPL_Buffer_IsDeleted_Args>& a) {
                 ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Buffer_IsDeleted_Args::reserved, "out_is_deleted"));
                 a->out_is_deleted = buffer->Get() == nullptr;
                 return absl::OkStatus();
               });
}

BPL_Error* Buffer_Shape(BPL_Buffer_Shape_Args* args) {
  return Guard("Buffer_Shape", args, [](ArgsCopy<BPL_Buffer_Shape_Args>& a) {
    ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Buffer_Shape_Args::out_num_dims, "out_num_dims"));
    a->out_element_type = buffer->shape.element_type;
    a->out_dims = buffer->shape.dims.data();
    a->out_num_dims = buffer->shape.dims.size();
    return absl::OkStatus();
  });
}

BPL_Error* Buffer_OnDeviceSizeInBytes(
    BPL_Buffer_OnDeviceSizeInBytes_Args* args) {
  return Guard("Buffer_OnDeviceSizeInBytes", args,
               [](ArgsCopy<BPL_Buffer_OnDeviceSizeInBytes_Args>& a) {
                 ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Buffer_OnDeviceSizeInBytes_Args::out_size_in_bytes,
                     "out_size_in_bytes"));
                 a->out_size_in_bytes =
                     static_cast<size_t>(buffer->on_device_size);
                 return absl::OkStatus();
               });
}

BPL_Error* Buffer_Device(BPL_Buffer_Device_Args* args) {
  return Guard("Buffer_Device", args, [](ArgsCopy<BPL_Buffer_Device_Args>& a) {
    ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Buffer_Device_Args::out_device, "out_device"));
    a->out_device = buffer->device ? buffer->device->handle : nullptr;
    return absl::OkStatus();
  });
}

BPL_Error* Buffer_Memory(BPL_Buffer_Memory_Args* args) {
  return Guard("Buffer_Memory", args, [](ArgsCopy<BPL_Buffer_Memory_Args>& a) {
    ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Buffer_Memory_Args::out_memory, "out_memory"));
    a->out_memory = buffer->memory ? buffer->memory->handle : nullptr;
    return absl::OkStatus();
  });
}

BPL_Error* Buffer_ToHost(BPL_Buffer_ToHost_Args* args) {
  return Guard("Buffer_ToHost", args, [](ArgsCopy<BPL_Buffer_ToHost_Args>& a) {
    ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
    const size_t needed = static_cast<size_t>(buffer->shape.byte_size());
    if (a->dst == nullptr) {
      a->dst_size = needed;
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Buffer_ToHost_Args::out_event, "out_event"));
    if (a->dst_size < needed) {
      return absl::InvalidArgumentError(
          absl::StrCat("dst_size ", a->dst_size, " is smaller than the ",
                       needed, " bytes of ", buffer->shape.ToString()));
    }
    ASSIGN_OR_RETURN(auto impl, LiveBuffer(*buffer, "buffer"));
    a->out_event = NewEventHandle(impl->CopyToHost(a->dst));
    return absl::OkStatus();
  });
}

absl::Status CopyBufferTo(const BufferObject& buffer, MemoryObject* memory,
                          BPL_Buffer** out) {
  ASSIGN_OR_RETURN(auto impl, LiveBuffer(buffer, "buffer"));
  ASSIGN_OR_RETURN(auto copy, impl->CopyToMemory(memory->impl));
  if (copy == nullptr) return absl::InternalError("plugin returned no buffer");
  *out = NewBufferHandle(buffer.client, std::move(copy));
  return absl::OkStatus();
}

BPL_Error* Buffer_CopyToDevice(BPL_Buffer_CopyToDevice_Args* args) {
  return Guard(
      "Buffer_CopyToDevice", args,
      [](ArgsCopy<BPL_Buffer_CopyToDevice_Args>& a) {
        ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Buffer_CopyToDevice_Args::out_buffer, "out_buffer"));
        ASSIGN_OR_RETURN(
            DeviceObject * device,
            DeviceOf(*buffer->client, a->dst_device, "dst_device"));
        if (!device->impl->is_addressable()) {
          return absl::InvalidArgumentError("dst_device is not addressable");
        }
        return CopyBufferTo(*buffer, device->default_memory, &a->out_buffer);
      });
}

BPL_Error* Buffer_CopyToMemory(BPL_Buffer_CopyToMemory_Args* args) {
  return Guard("Buffer_CopyToMemory", args,
               [](ArgsCopy<BPL_Buffer_CopyToMemory_Args>& a) {
                 ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Buffer_CopyToMemory_Args::out_buffer, "out_buffer"));
                 ASSIGN_OR_RETURN(
                     MemoryObject * memory,
                     MemoryOf(*buffer->client, a->dst_memory, "dst_memory"));
                 return CopyBufferTo(*buffer, memory, &a->out_buffer);
               });
}

BPL_Error* Buffer_ReadyEvent(BPL_Buffer_ReadyEvent_Args* args) {
  return Guard("Buffer_ReadyEvent", args,
               [](ArgsCopy<BPL_Buffer_ReadyEvent_Args>& a) {
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Buffer_ReadyEvent_Args::out_event, "out_event"));
                 ASSIGN_OR_RETURN(auto buffer, LookupBuffer(a->buffer));
                 ASSIGN_OR_RETURN(auto impl, LiveBuffer(*buffer, "buffer"));
                 a->out_event = NewEventHandle(impl->ready_event());
                 return absl::OkStatus();
               });
}

// ------------------------------------------------------------ Executable

absl::StatusOr<std::shared_ptr<Executable>> LiveExecutable(
    const ExecutableObject& e) {
  RETURN_IF_ERROR(CheckLive(*e.client));
  std::shared_ptr<Executable> impl = e.Get();
  if (impl == nullptr) {
    return absl::FailedPreconditionError("executable was deleted");
  }
  return impl;
}

BPL_Error* Executable_Destroy(BPL_Executable_Destroy_Args* args) {
  return Guard("Executable_Destroy", args,
               [](ArgsCopy<BPL_Executable_Destroy_Args>& a) {
                 if (a->executable == nullptr) return absl::OkStatus();
                 return DestroyHandle(a->executable, HandleType::kExecutable,
                                      "executable");
               });
}

BPL_Error* Executable_Delete(BPL_Executable_Delete_Args* args) {
  return Guard(
      "Executable_Delete", args, [](ArgsCopy<BPL_Executable_Delete_Args>& a) {
        ASSIGN_OR_RETURN(auto executable, LookupExecutable(a->executable));
        std::shared_ptr<Executable> released;
        {
          std::lock_guard<std::mutex> lock(executable->mu);
          released.swap(executable->impl);
        }
        return absl::OkStatus();  // Released outside the lock.
      });
}

BPL_Error* Executable_IsDeleted(BPL_Executable_IsDeleted_Args* args) {
  return Guard(
      "Executable_IsDeleted", args,
      [](ArgsCopy<BPL_Executable_IsDeleted_Args>& a) {
        ASSIGN_OR_RETURN(auto executable, LookupExecutable(a->executable));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Executable_IsDeleted_Args::reserved, "out_is_deleted"));
        a->out_is_deleted = executable->Get() == nullptr;
        return absl::OkStatus();
      });
}

BPL_Error* Executable_Name(BPL_Executable_Name_Args* args) {
  return Guard(
      "Executable_Name", args, [](ArgsCopy<BPL_Executable_Name_Args>& a) {
        ASSIGN_OR_RETURN(auto executable, LookupExecutable(a->executable));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Executable_Name_Args::out_name_size, "out_name_size"));
        a->out_name = executable->name.c_str();
        a->out_name_size = executable->name.size();
        return absl::OkStatus();
      });
}

BPL_Error* Executable_Devices(BPL_Executable_Devices_Args* args) {
  return Guard(
      "Executable_Devices", args, [](ArgsCopy<BPL_Executable_Devices_Args>& a) {
        ASSIGN_OR_RETURN(auto executable, LookupExecutable(a->executable));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Executable_Devices_Args::out_num_devices, "out_num_devices"));
        a->out_devices = executable->device_handles.data();
        a->out_num_devices = executable->devices.size();
        return absl::OkStatus();
      });
}

BPL_Error* Executable_ParameterShapes(
    BPL_Executable_ParameterShapes_Args* args) {
  return Guard("Executable_ParameterShapes", args,
               [](ArgsCopy<BPL_Executable_ParameterShapes_Args>& a) {
                 ASSIGN_OR_RETURN(auto executable,
                                  LookupExecutable(a->executable));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Executable_ParameterShapes_Args::out_num_shapes,
                     "out_num_shapes"));
                 a->out_shapes = executable->c_parameter_shapes.data();
                 a->out_num_shapes = executable->c_parameter_shapes.size();
                 return absl::OkStatus();
               });
}

BPL_Error* Executable_OutputShapes(BPL_Executable_OutputShapes_Args* args) {
  return Guard(
      "Executable_OutputShapes", args,
      [](ArgsCopy<BPL_Executable_OutputShapes_Args>& a) {
        ASSIGN_OR_RETURN(auto executable, LookupExecutable(a->executable));
        RETURN_IF_ERROR(
            a.RequireOutput(&BPL_Executable_OutputShapes_Args::out_num_shapes,
                            "out_num_shapes"));
        a->out_shapes = executable->c_output_shapes.data();
        a->out_num_shapes = executable->c_output_shapes.size();
        return absl::OkStatus();
      });
}

BPL_Error* Executable_Fingerprint(BPL_Executable_Fingerprint_Args* args) {
  return Guard("Executable_Fingerprint", args,
               [](ArgsCopy<BPL_Executable_Fingerprint_Args>& a) {
                 ASSIGN_OR_RETURN(auto executable,
                                  LookupExecutable(a->executable));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Executable_Fingerprint_Args::out_fingerprint_size,
                     "out_fingerprint_size"));
                 a->out_fingerprint = executable->fingerprint.c_str();
                 a->out_fingerprint_size = executable->fingerprint.size();
                 return absl::OkStatus();
               });
}

BPL_Error* Executable_MemoryStats(BPL_Executable_MemoryStats_Args* args) {
  return Guard("Executable_MemoryStats", args,
               [](ArgsCopy<BPL_Executable_MemoryStats_Args>& a) {
                 ASSIGN_OR_RETURN(auto executable,
                                  LookupExecutable(a->executable));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Executable_MemoryStats_Args::out_temp_size_in_bytes,
                     "out_temp_size_in_bytes"));
                 const ExecutableMemoryStats& s = executable->memory_stats;
                 a->out_code_size_in_bytes = s.code_size;
                 a->out_argument_size_in_bytes = s.argument_size;
                 a->out_output_size_in_bytes = s.output_size;
                 a->out_alias_size_in_bytes = s.alias_size;
                 a->out_temp_size_in_bytes = s.temp_size;
                 return absl::OkStatus();
               });
}

void DeleteSerialized(void* handle) {
  delete static_cast<std::string*>(handle);
}

BPL_Error* Executable_Serialize(BPL_Executable_Serialize_Args* args) {
  return Guard(
      "Executable_Serialize", args,
      [](ArgsCopy<BPL_Executable_Serialize_Args>& a) {
        RETURN_IF_ERROR(
            a.RequireOutput(&BPL_Executable_Serialize_Args::out_bytes_deleter,
                            "out_bytes_deleter"));
        ASSIGN_OR_RETURN(auto executable, LookupExecutable(a->executable));
        ASSIGN_OR_RETURN(auto impl, LiveExecutable(*executable));
        ASSIGN_OR_RETURN(auto bytes, impl->Serialize());
        auto* owned = new std::string(std::move(bytes));
        a->out_bytes = owned->data();
        a->out_bytes_size = owned->size();
        a->out_bytes_handle = owned;
        a->out_bytes_deleter = &DeleteSerialized;
        return absl::OkStatus();
      });
}

const BPL_ExecuteStatisticsRequest* FindStatisticsRequest(
    const BPL_ExtensionBase* ext) {
  // Bounded walk: a cyclic chain from a buggy caller must not hang us.
  for (int i = 0; ext != nullptr && i < 64; ++i, ext = ext->next) {
    if (ext->type == BPL_EXTENSION_EXECUTE_STATISTICS_REQUEST &&
        ext->struct_size >= sizeof(BPL_ExecuteStatisticsRequest)) {
      return reinterpret_cast<const BPL_ExecuteStatisticsRequest*>(ext);
    }
  }
  return nullptr;
}

// The live argument buffers of one execution, checked against the
// executable's parameters and devices: arguments[d][p].
absl::Status CollectArguments(
    const ExecutableObject& handle, BPL_Buffer* const* const* argument_lists,
    std::vector<std::vector<std::shared_ptr<Buffer>>>* arguments) {
  const size_t num_devices = handle.devices.size();
  const size_t num_params = handle.parameter_shapes.size();
  arguments->resize(num_devices);
  for (size_t d = 0; d < num_devices && num_params > 0; ++d) {
    if (argument_lists[d] == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("argument_lists[", d, "] is NULL"));
    }
    for (size_t p = 0; p < num_params; ++p) {
      std::string name = absl::StrCat("argument ", p, " on device ", d);
      ASSIGN_OR_RETURN(auto arg,
                       LookupBuffer(argument_lists[d][p], name.c_str()));
      if (arg->client != handle.client) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, " belongs to another client"));
      }
      if (arg->shape != handle.parameter_shapes[p]) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, " is ", arg->shape.ToString(), " but parameter ",
                         p, " is ", handle.parameter_shapes[p].ToString()));
      }
      if (arg->device != handle.devices[d]) {
        return absl::InvalidArgumentError(absl::StrCat(
            name, " is on device ", arg->device ? arg->device->impl->id() : -1,
            " but the executable runs there on device ",
            handle.devices[d]->impl->id()));
      }
      ASSIGN_OR_RETURN(auto impl, LiveBuffer(*arg, name.c_str()));
      (*arguments)[d].push_back(std::move(impl));
    }
  }
  return absl::OkStatus();
}

// The events behind `wait_events`, combined.
absl::StatusOr<std::shared_ptr<Event>> CombineWaitEvents(
    BPL_Event* const* wait_events, size_t num_wait_events) {
  if (num_wait_events > 0 && wait_events == nullptr) {
    return absl::InvalidArgumentError("wait_events is NULL");
  }
  std::vector<std::shared_ptr<Event>> waits;
  waits.reserve(num_wait_events);
  for (size_t i = 0; i < num_wait_events; ++i) {
    const std::string name = absl::StrCat("wait_events[", i, "]");
    ASSIGN_OR_RETURN(auto event, LookupEvent(wait_events[i], name.c_str()));
    waits.push_back(event->event);
  }
  return AllOf(waits);
}

// What a run uses, held until every device's completion event fires,
// whatever the framework destroys meanwhile: the executable, its arguments
// (donated ones too) and the client.
struct RunResources {
  std::shared_ptr<Executable> executable;
  std::vector<std::vector<std::shared_ptr<Buffer>>> arguments;
  std::shared_ptr<ClientState> client;
};

// Holds what the run of `handle` on `argument_lists` uses until every
// event of `done` fires. Nothing to hold when all have fired already (a run
// done inline, the common case), which keeps Execute's overhead low.
void KeepAliveUntilDone(std::shared_ptr<Executable> executable,
                        const ExecutableObject& handle,
                        BPL_Buffer* const* const* argument_lists,
                        const std::vector<std::shared_ptr<Event>>& done) {
  bool pending = false;
  for (const auto& event : done) {
    pending = pending || (event != nullptr && !event->IsReady());
  }
  if (!pending) return;
  auto resources = std::make_shared<RunResources>();
  resources->executable = std::move(executable);
  resources->client = handle.client;
  // The arguments were checked live by CollectArguments moments ago, and
  // donated ones are only taken from their handles after this.
  const size_t num_params = handle.parameter_shapes.size();
  resources->arguments.resize(handle.devices.size());
  for (size_t d = 0; d < handle.devices.size() && num_params > 0; ++d) {
    for (size_t p = 0; p < num_params; ++p) {
      auto arg = LookupBuffer(argument_lists[d][p]);
      if (arg.ok()) resources->arguments[d].push_back((*arg)->Get());
    }
  }
  // Each device's callback holds a reference; the last one to run frees
  // the resources (on the thread that completes that device).
  std::shared_ptr<const RunResources> held = std::move(resources);
  for (const auto& event : done) {
    if (event == nullptr) continue;
    event->OnReady([held](const absl::Status&) {});
  }
}

BPL_Error* Executable_Execute(BPL_Executable_Execute_Args* args) {
  return Guard(
      "Executable_Execute", args,
      [](ArgsCopy<BPL_Executable_Execute_Args>& a) -> absl::Status {
        // A deadline counts from the call.
        const auto called = base::Cancellation::Clock::now();
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Executable_Execute_Args::output_lists, "output_lists"));
        ASSIGN_OR_RETURN(std::shared_ptr<ExecutableObject> executable,
                         LookupExecutable(a->executable));
        ASSIGN_OR_RETURN(std::shared_ptr<Executable> exe,
                         LiveExecutable(*executable));
        const ExecutableObject& handle = *executable;
        const size_t num_devices = handle.devices.size();
        const size_t num_params = handle.parameter_shapes.size();
        if (a->num_devices != num_devices) {
          return absl::InvalidArgumentError(absl::StrCat(
              "num_devices is ", a->num_devices, " but the executable runs on ",
              num_devices, " device(s)"));
        }
        if (a->num_args != num_params) {
          return absl::InvalidArgumentError(absl::StrCat(
              "num_args is ", a->num_args, " but the executable takes ",
              num_params, " parameter(s)"));
        }
        if (a->argument_lists == nullptr && num_params > 0) {
          return absl::InvalidArgumentError("argument_lists is NULL");
        }
        if (a->output_lists == nullptr) {
          return absl::InvalidArgumentError("output_lists is NULL");
        }
        for (size_t d = 0; d < num_devices; ++d) {
          if (a->output_lists[d] == nullptr && !handle.output_shapes.empty()) {
            return absl::InvalidArgumentError(
                absl::StrCat("output_lists[", d, "] is NULL"));
          }
        }
        ExecuteRequest request;
        RETURN_IF_ERROR(
            CollectArguments(handle, a->argument_lists, &request.arguments));
        // Donation: what the executable allows, minus what the caller
        // forbids, minus buffers passed more than once.
        request.donated = handle.donatable;
        const BPL_ExecuteOptions* options = a->options;
        if (options != nullptr) {
          if (options->struct_size <
              offsetof(BPL_ExecuteOptions, non_donatable_input_indices)) {
            return absl::InvalidArgumentError(absl::StrCat(
                "options struct_size ", options->struct_size, " is too small"));
          }
          BPL_ExecuteOptions local{};
          std::memcpy(&local, options,
                      std::min(options->struct_size, sizeof(local)));
          if (local.num_non_donatable_input_indices > 0 &&
              local.non_donatable_input_indices == nullptr) {
            return absl::InvalidArgumentError(
                "non_donatable_input_indices is NULL");
          }
          for (size_t i = 0; i < local.num_non_donatable_input_indices; ++i) {
            int64_t index = local.non_donatable_input_indices[i];
            if (index < 0 || static_cast<size_t>(index) >= num_params) {
              return absl::InvalidArgumentError(
                  absl::StrCat("non-donatable input index ", index,
                               " is out of range [0, ", num_params, ")"));
            }
            request.donated[index] = false;
          }
          request.launch_id = local.launch_id;
          if (local.deadline_ns < 0) {
            return absl::InvalidArgumentError(
                absl::StrCat("deadline_ns is ", local.deadline_ns,
                             "; it must be 0 (none) or positive"));
          }
          if (local.deadline_ns > 0) {
            if (!exe->supports_cancellation()) {
              return absl::UnimplementedError(
                  absl::StrCat("executable '", exe->name(),
                               "' cannot honour deadline_ns (this plugin "
                               "does not support cancellation)"));
            }
            request.cancellation = std::make_shared<base::Cancellation>(
                called + std::chrono::nanoseconds(local.deadline_ns));
          }
        }
        if (request.cancellation == nullptr) {
          request.cancellation = std::make_shared<base::Cancellation>();
        }
        exe->pending_executions().Add(request.cancellation);
        for (size_t d = 0; d < num_devices && num_params > 0; ++d) {
          for (size_t p = 0; p < num_params; ++p) {
            if (!request.donated[p]) continue;
            for (size_t q = 0; q < num_params; ++q) {
              if (q != p &&
                  a->argument_lists[d][q] == a->argument_lists[d][p]) {
                request.donated[p] = false;
              }
            }
          }
        }
        ASSIGN_OR_RETURN(request.wait,
                         CombineWaitEvents(a->wait_events, a->num_wait_events));
        const BPL_ExecuteStatisticsRequest* stats_request =
            FindStatisticsRequest(a->extension_start);
        if (stats_request != nullptr && stats_request->out_statistics &&
            exe->supports_statistics()) {
          for (size_t d = 0; d < num_devices; ++d) {
            request.statistics.push_back(
                std::make_shared<ExecutionStatistics>());
          }
        }
        std::vector<std::shared_ptr<ExecutionStatistics>> statistics =
            request.statistics;
        std::vector<bool> donated = request.donated;
        ASSIGN_OR_RETURN(auto result, exe->Execute(std::move(request)));
        if (result.outputs.size() != num_devices ||
            result.device_done.size() != num_devices) {
          return absl::InternalError(
              "plugin returned results for the wrong number of devices");
        }
        for (size_t d = 0; d < num_devices; ++d) {
          if (result.outputs[d].size() != handle.output_shapes.size()) {
            return absl::InternalError(
                "plugin returned the wrong number of outputs");
          }
        }
        KeepAliveUntilDone(exe, handle, a->argument_lists, result.device_done);
        for (size_t d = 0; d < num_devices; ++d) {
          for (size_t o = 0; o < handle.output_shapes.size(); ++o) {
            a->output_lists[d][o] =
                NewBufferHandle(handle.client, std::move(result.outputs[d][o]));
          }
          if (a->device_complete_events != nullptr) {
            a->device_complete_events[d] =
                NewEventHandle(result.device_done[d]);
          }
          if (!statistics.empty()) {
            auto s = std::make_shared<StatisticsObject>();
            s->statistics = statistics[d];
            stats_request->out_statistics[d] =
                ToHandle<BPL_ExecutionStatistics>(
                    Table().Insert(HandleType::kStatistics, std::move(s)));
          }
          for (size_t p = 0; p < num_params; ++p) {
            if (!donated[p]) continue;
            // Checked live by CollectArguments; the run holds the contents.
            auto arg = LookupBuffer(a->argument_lists[d][p]);
            if (arg.ok()) (*arg)->Take();
          }
        }
        return absl::OkStatus();
      });
}

BPL_Error* Executable_Cancel(BPL_Executable_Cancel_Args* args) {
  return Guard("Executable_Cancel", args,
               [](ArgsCopy<BPL_Executable_Cancel_Args>& a) -> absl::Status {
                 ASSIGN_OR_RETURN(std::shared_ptr<ExecutableObject> object,
                                  LookupExecutable(a->executable));
                 ASSIGN_OR_RETURN(std::shared_ptr<Executable> exe,
                                  LiveExecutable(*object));
                 if (!exe->supports_cancellation()) {
                   return absl::UnimplementedError(absl::StrCat(
                       "executable '", exe->name(),
                       "' cannot be cancelled (this plugin does not support "
                       "cancellation)"));
                 }
                 exe->pending_executions().CancelAll();
                 return absl::OkStatus();
               });
}

// ------------------------------------------------------------- Profiling

BPL_Error* ExecutionStatistics_Get(BPL_ExecutionStatistics_Get_Args* args) {
  return Guard(
      "ExecutionStatistics_Get", args,
      [](ArgsCopy<BPL_ExecutionStatistics_Get_Args>& a) {
        ASSIGN_OR_RETURN(auto statistics, LookupStatistics(a->statistics));
        RETURN_IF_ERROR(
            a.RequireOutput(&BPL_ExecutionStatistics_Get_Args::out_num_values,
                            "out_num_values"));
        const NamedValueArray* values = statistics->statistics->values();
        if (values == nullptr) {
          return absl::FailedPreconditionError(
              "the execution has not completed yet");
        }
        a->out_values = values->data();
        a->out_num_values = values->size();
        return absl::OkStatus();
      });
}

BPL_Error* ExecutionStatistics_Destroy(
    BPL_ExecutionStatistics_Destroy_Args* args) {
  return Guard("ExecutionStatistics_Destroy", args,
               [](ArgsCopy<BPL_ExecutionStatistics_Destroy_Args>& a) {
                 if (a->statistics == nullptr) return absl::OkStatus();
                 return DestroyHandle(a->statistics, HandleType::kStatistics,
                                      "statistics");
               });
}

std::vector<NamedValue> PluginAttributes(const PluginState& state) {
  const PluginInfo& info = state.info;
  std::vector<std::string> client_options;
  for (const OptionSpec& s : info.client_options) {
    client_options.push_back(absl::StrCat(s.name, ":", ValueTypeName(s.type)));
  }
  std::vector<std::string> compile_options;
  for (const OptionSpec& s : state.compile_option_schema) {
    compile_options.push_back(absl::StrCat(s.name, ":", ValueTypeName(s.type)));
  }
  std::vector<NamedValue> attrs = {
      {"name", info.name},
      {"vendor", info.vendor},
      {"plugin_version", info.plugin_version},
      {"abi_version", std::vector<int64_t>{BPL_API_MAJOR, BPL_API_MINOR}},
      {"program_formats", info.program_formats},
      {"stablehlo_version_min", info.stablehlo_version_min},
      {"stablehlo_version_max", info.stablehlo_version_max},
      {"capabilities", info.capabilities},
      {"client_options", client_options},
      {"compile_options", compile_options},
      {"sanitizer", std::string(base::ThisBuildSanitizer())},
  };
  for (const NamedValue& extra : info.extra_attributes) attrs.push_back(extra);
  return attrs;
}

}  // namespace

ClientState::~ClientState() {
  for (const auto& device : device_storage) {
    Table()
        .Remove(FromHandle(device->handle), HandleType::kDevice, "device")
        .IgnoreError();
    Table()
        .Remove(FromHandle(device->description), HandleType::kDeviceDescription,
                "description")
        .IgnoreError();
  }
  for (const auto& memory : memory_storage) {
    Table()
        .Remove(FromHandle(memory->handle), HandleType::kMemory, "memory")
        .IgnoreError();
  }
}

const BPL_Api* MakeApi(std::unique_ptr<Plugin> plugin) {
  static PluginState state;
  static BPL_ProfilingExtension profiling;
  static BPL_Api api;
  state.plugin = std::move(plugin);
  state.info = state.plugin->info();
  state.compile_option_schema = StandardCompileOptionSpecs();
  for (const OptionSpec& own : state.info.compile_options) {
    state.compile_option_schema.push_back(
        {absl::StrCat(state.info.name, ".", own.name), own.type,
         own.description});
  }
  state.attributes = std::make_unique<NamedValueArray>(PluginAttributes(state));
  g_plugin = &state;

  profiling = BPL_ProfilingExtension{};
  profiling.base.struct_size = sizeof(BPL_ProfilingExtension);
  profiling.base.type = BPL_EXTENSION_PROFILING;
  profiling.base.version = 1;
  profiling.base.next = nullptr;
  profiling.ExecutionStatistics_Get = &ExecutionStatistics_Get;
  profiling.ExecutionStatistics_Destroy = &ExecutionStatistics_Destroy;

  api = BPL_Api{};
  api.struct_size = BPL_Api_STRUCT_SIZE;
  api.extension_start = &profiling.base;
  api.abi_major = BPL_API_MAJOR;
  api.abi_minor = BPL_API_MINOR;
#define BPL_KIT_SET(fn) api.fn = &fn
  BPL_KIT_SET(Error_Destroy);
  BPL_KIT_SET(Error_Message);
  BPL_KIT_SET(Error_GetCode);
  BPL_KIT_SET(Plugin_Initialize);
  BPL_KIT_SET(Plugin_Attributes);
  BPL_KIT_SET(Event_Destroy);
  BPL_KIT_SET(Event_IsReady);
  BPL_KIT_SET(Event_Error);
  BPL_KIT_SET(Event_Await);
  BPL_KIT_SET(Event_OnReady);
  BPL_KIT_SET(Event_Create);
  BPL_KIT_SET(Event_Set);
  BPL_KIT_SET(Client_Create);
  BPL_KIT_SET(Client_Destroy);
  BPL_KIT_SET(Client_PlatformName);
  BPL_KIT_SET(Client_PlatformVersion);
  BPL_KIT_SET(Client_Devices);
  BPL_KIT_SET(Client_AddressableDevices);
  BPL_KIT_SET(Client_LookupDevice);
  BPL_KIT_SET(Client_AddressableMemories);
  BPL_KIT_SET(Client_Compile);
  BPL_KIT_SET(Client_DeserializeExecutable);
  BPL_KIT_SET(Client_BufferFromHost);
  BPL_KIT_SET(DeviceDescription_Id);
  BPL_KIT_SET(DeviceDescription_Kind);
  BPL_KIT_SET(DeviceDescription_Attributes);
  BPL_KIT_SET(DeviceDescription_DebugString);
  BPL_KIT_SET(Device_GetDescription);
  BPL_KIT_SET(Device_IsAddressable);
  BPL_KIT_SET(Device_Memories);
  BPL_KIT_SET(Device_DefaultMemory);
  BPL_KIT_SET(Device_MemoryStats);
  BPL_KIT_SET(Memory_Id);
  BPL_KIT_SET(Memory_Kind);
  BPL_KIT_SET(Memory_Devices);
  BPL_KIT_SET(Buffer_Destroy);
  BPL_KIT_SET(Buffer_Delete);
  BPL_KIT_SET(Buffer_IsDeleted);
  BPL_KIT_SET(Buffer_Shape);
  BPL_KIT_SET(Buffer_OnDeviceSizeInBytes);
  BPL_KIT_SET(Buffer_Device);
  BPL_KIT_SET(Buffer_Memory);
  BPL_KIT_SET(Buffer_ToHost);
  BPL_KIT_SET(Buffer_CopyToDevice);
  BPL_KIT_SET(Buffer_CopyToMemory);
  BPL_KIT_SET(Buffer_ReadyEvent);
  BPL_KIT_SET(Executable_Destroy);
  BPL_KIT_SET(Executable_Delete);
  BPL_KIT_SET(Executable_IsDeleted);
  BPL_KIT_SET(Executable_Name);
  BPL_KIT_SET(Executable_Devices);
  BPL_KIT_SET(Executable_ParameterShapes);
  BPL_KIT_SET(Executable_OutputShapes);
  BPL_KIT_SET(Executable_Fingerprint);
  BPL_KIT_SET(Executable_MemoryStats);
  BPL_KIT_SET(Executable_Serialize);
  BPL_KIT_SET(Executable_Execute);
  BPL_KIT_SET(Executable_Cancel);
#undef BPL_KIT_SET
  return &api;
}

}  // namespace backplane::kit
