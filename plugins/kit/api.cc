// The kit's implementation of the BPL_Api table: validation, struct-size
// handling, status conversion and exception containment around the C++
// interfaces of plugin.h.
#include <chrono>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
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
// exception into a BPL_Error prefixed with the function's name.
template <typename T, typename Body>
BPL_Error* Guard(const char* function, T* args, Body&& body) {
  absl::Status status;
  try {
    ArgsCopy<T> copy(args);
    status = copy.Load();
    if (status.ok()) status = body(copy);
    copy.Store();
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

template <typename H>
absl::Status CheckHandle(const H* handle, HandleTag tag, const char* name) {
  if (handle == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(name, " is NULL"));
  }
  if (handle->tag != tag) {
    if (handle->tag == HandleTag::kDestroyed) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " was already destroyed"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is not a valid handle of its type"));
  }
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

BPL_Event* NewEventHandle(std::shared_ptr<Event> event) {
  auto* handle = new BPL_Event;
  handle->event = std::move(event);
  return handle;
}

template <typename T>
void DestroyHandle(T* handle) {
  handle->tag = HandleTag::kDestroyed;
  delete handle;
}

// ---------------------------------------------------------------- Error

BPL_Error* Error_Destroy(BPL_Error_Destroy_Args* args) {
  // Never fails; tolerate a NULL args pointer too.
  if (args == nullptr || args->struct_size < kMinArgsSize + sizeof(void*)) {
    return nullptr;
  }
  delete args->error;
  return nullptr;
}

BPL_Error* Error_Message(BPL_Error_Message_Args* args) {
  return Guard("Error_Message", args, [](ArgsCopy<BPL_Error_Message_Args>& a) {
    if (a->error == nullptr) {
      return absl::InvalidArgumentError("error is NULL");
    }
    RETURN_IF_ERROR(a.RequireOutput(&BPL_Error_Message_Args::out_message_size,
                                    "out_message_size"));
    a->out_message = a->error->message.c_str();
    a->out_message_size = a->error->message.size();
    return absl::OkStatus();
  });
}

BPL_Error* Error_GetCode(BPL_Error_GetCode_Args* args) {
  return Guard("Error_GetCode", args, [](ArgsCopy<BPL_Error_GetCode_Args>& a) {
    if (a->error == nullptr) {
      return absl::InvalidArgumentError("error is NULL");
    }
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Error_GetCode_Args::out_code, "out_code"));
    a->out_code = static_cast<int64_t>(a->error->status.code());
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
    RETURN_IF_ERROR(CheckHandle(a->event, HandleTag::kEvent, "event"));
    DestroyHandle(a->event);
    return absl::OkStatus();
  });
}

BPL_Error* Event_IsReady(BPL_Event_IsReady_Args* args) {
  return Guard("Event_IsReady", args, [](ArgsCopy<BPL_Event_IsReady_Args>& a) {
    RETURN_IF_ERROR(CheckHandle(a->event, HandleTag::kEvent, "event"));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Event_IsReady_Args::reserved, "out_is_ready"));
    a->out_is_ready = a->event->event->IsReady();
    return absl::OkStatus();
  });
}

BPL_Error* Event_Error(BPL_Event_Error_Args* args) {
  return Guard("Event_Error", args, [](ArgsCopy<BPL_Event_Error_Args>& a) {
    RETURN_IF_ERROR(CheckHandle(a->event, HandleTag::kEvent, "event"));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Event_Error_Args::out_error, "out_error"));
    a->out_error = nullptr;
    if (a->event->event->IsReady()) {
      a->out_error = ToBplError(a->event->event->status());
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
        RETURN_IF_ERROR(CheckHandle(a->event, HandleTag::kEvent, "event"));
        event_status = a->event->event->Await();
        return absl::OkStatus();
      });
  if (error != nullptr) return error;
  return ToBplError(event_status);
}

BPL_Error* Event_OnReady(BPL_Event_OnReady_Args* args) {
  return Guard("Event_OnReady", args, [](ArgsCopy<BPL_Event_OnReady_Args>& a) {
    RETURN_IF_ERROR(CheckHandle(a->event, HandleTag::kEvent, "event"));
    if (a->callback == nullptr) {
      return absl::InvalidArgumentError("callback is NULL");
    }
    BPL_EventCallback* callback = a->callback;
    void* user_arg = a->user_arg;
    a->event->event->OnReady([callback, user_arg](const absl::Status& s) {
      BPL_Error* error = ToBplError(s);
      callback(error, user_arg);
      delete error;
    });
    return absl::OkStatus();
  });
}

BPL_Error* Event_Create(BPL_Event_Create_Args* args) {
  return Guard("Event_Create", args, [](ArgsCopy<BPL_Event_Create_Args>& a) {
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Event_Create_Args::out_event, "out_event"));
    a->out_event = NewEventHandle(std::make_shared<Event>());
    a->out_event->framework_created = true;
    return absl::OkStatus();
  });
}

BPL_Error* Event_Set(BPL_Event_Set_Args* args) {
  return Guard("Event_Set", args, [](ArgsCopy<BPL_Event_Set_Args>& a) {
    RETURN_IF_ERROR(CheckHandle(a->event, HandleTag::kEvent, "event"));
    if (!a->event->framework_created) {
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
      status =
          absl::Status(static_cast<absl::StatusCode>(a->error_code), message);
    }
    return a->event->event->Set(std::move(status));
  });
}

// ---------------------------------------------------------------- Client

absl::Status BuildClientHandles(ClientState& state) {
  for (Device* device : state.impl->devices()) {
    if (device == nullptr) return absl::InternalError("plugin: NULL device");
    auto handle = std::make_unique<BPL_Device>();
    handle->client = &state;
    handle->impl = device;
    handle->description.device = handle.get();
    handle->kind = std::string(device->kind());
    handle->debug_string = device->debug_string();
    handle->attributes =
        std::make_unique<NamedValueArray>(device->attributes());
    state.device_handles[device] = handle.get();
    state.devices.push_back(handle.get());
    if (device->is_addressable()) {
      state.addressable_devices.push_back(handle.get());
    }
    state.device_storage.push_back(std::move(handle));
  }
  for (Memory* memory : state.impl->memories()) {
    if (memory == nullptr) return absl::InternalError("plugin: NULL memory");
    auto handle = std::make_unique<BPL_Memory>();
    handle->client = &state;
    handle->impl = memory;
    handle->kind = std::string(memory->kind());
    state.memory_handles[memory] = handle.get();
    state.memories.push_back(handle.get());
    state.memory_storage.push_back(std::move(handle));
  }
  for (auto& memory : state.memory_storage) {
    for (Device* device : memory->impl->devices()) {
      auto it = state.device_handles.find(device);
      if (it == state.device_handles.end()) {
        return absl::InternalError("plugin: memory names an unknown device");
      }
      memory->devices.push_back(it->second);
    }
  }
  for (auto& device : state.device_storage) {
    for (Memory* memory : device->impl->memories()) {
      auto it = state.memory_handles.find(memory);
      if (it == state.memory_handles.end()) {
        return absl::InternalError("plugin: device names an unknown memory");
      }
      device->memories.push_back(it->second);
    }
    auto it = state.memory_handles.find(device->impl->default_memory());
    if (it == state.memory_handles.end()) {
      return absl::InternalError(
          absl::StrCat("plugin: device ", device->impl->id(),
                       " has no default memory among the client's memories"));
    }
    device->default_memory = it->second;
  }
  return absl::OkStatus();
}

BPL_Error* Client_Create(BPL_Client_Create_Args* args) {
  return Guard("Client_Create", args, [](ArgsCopy<BPL_Client_Create_Args>& a) {
    RETURN_IF_ERROR(CheckInitialized());
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Client_Create_Args::out_client, "out_client"));
    ASSIGN_OR_RETURN(auto values, ReadNamedValues(a->options, a->num_options,
                                                  "client option"));
    ASSIGN_OR_RETURN(auto options, Options::Parse(std::move(values),
                                                  g_plugin->info.client_options,
                                                  "client option"));
    ASSIGN_OR_RETURN(std::unique_ptr<Client> impl,
                     g_plugin->plugin->CreateClient(options));
    auto state = std::make_shared<ClientState>();
    state->plugin = g_plugin;
    state->impl = std::move(impl);
    RETURN_IF_ERROR(BuildClientHandles(*state));
    auto* handle = new BPL_Client;
    handle->state = std::move(state);
    a->out_client = handle;
    return absl::OkStatus();
  });
}

BPL_Error* Client_Destroy(BPL_Client_Destroy_Args* args) {
  return Guard(
      "Client_Destroy", args, [](ArgsCopy<BPL_Client_Destroy_Args>& a) {
        if (a->client == nullptr) return absl::OkStatus();
        RETURN_IF_ERROR(CheckHandle(a->client, HandleTag::kClient, "client"));
        a->client->state->destroyed.store(true);
        DestroyHandle(a->client);
        return absl::OkStatus();
      });
}

absl::Status CheckClient(BPL_Client* client) {
  RETURN_IF_ERROR(CheckHandle(client, HandleTag::kClient, "client"));
  return absl::OkStatus();
}

BPL_Error* Client_PlatformName(BPL_Client_PlatformName_Args* args) {
  return Guard("Client_PlatformName", args,
               [](ArgsCopy<BPL_Client_PlatformName_Args>& a) {
                 RETURN_IF_ERROR(CheckClient(a->client));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Client_PlatformName_Args::out_platform_name_size,
                     "out_platform_name_size"));
                 absl::string_view name =
                     a->client->state->impl->platform_name();
                 a->out_platform_name = name.data();
                 a->out_platform_name_size = name.size();
                 return absl::OkStatus();
               });
}

BPL_Error* Client_PlatformVersion(BPL_Client_PlatformVersion_Args* args) {
  return Guard(
      "Client_PlatformVersion", args,
      [](ArgsCopy<BPL_Client_PlatformVersion_Args>& a) {
        RETURN_IF_ERROR(CheckClient(a->client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_PlatformVersion_Args::out_platform_version_size,
            "out_platform_version_size"));
        absl::string_view version = a->client->state->impl->platform_version();
        a->out_platform_version = version.data();
        a->out_platform_version_size = version.size();
        return absl::OkStatus();
      });
}

BPL_Error* Client_Devices(BPL_Client_Devices_Args* args) {
  return Guard(
      "Client_Devices", args, [](ArgsCopy<BPL_Client_Devices_Args>& a) {
        RETURN_IF_ERROR(CheckClient(a->client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_Devices_Args::out_num_devices, "out_num_devices"));
        a->out_devices = a->client->state->devices.data();
        a->out_num_devices = a->client->state->devices.size();
        return absl::OkStatus();
      });
}

BPL_Error* Client_AddressableDevices(BPL_Client_AddressableDevices_Args* args) {
  return Guard(
      "Client_AddressableDevices", args,
      [](ArgsCopy<BPL_Client_AddressableDevices_Args>& a) {
        RETURN_IF_ERROR(CheckClient(a->client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_Devices_Args::out_num_devices, "out_num_devices"));
        a->out_devices = a->client->state->addressable_devices.data();
        a->out_num_devices = a->client->state->addressable_devices.size();
        return absl::OkStatus();
      });
}

BPL_Error* Client_LookupDevice(BPL_Client_LookupDevice_Args* args) {
  return Guard("Client_LookupDevice", args,
               [](ArgsCopy<BPL_Client_LookupDevice_Args>& a) {
                 RETURN_IF_ERROR(CheckClient(a->client));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Client_LookupDevice_Args::out_device, "out_device"));
                 std::vector<int64_t> ids;
                 for (BPL_Device* device : a->client->state->devices) {
                   if (device->impl->id() == a->id) {
                     a->out_device = device;
                     return absl::OkStatus();
                   }
                   ids.push_back(device->impl->id());
                 }
                 return absl::NotFoundError(absl::StrCat(
                     "no device with id ", a->id, "; device ids are [",
                     absl::StrJoin(ids, ", "), "]"));
               });
}

BPL_Error* Client_AddressableMemories(
    BPL_Client_AddressableMemories_Args* args) {
  return Guard("Client_AddressableMemories", args,
               [](ArgsCopy<BPL_Client_AddressableMemories_Args>& a) {
                 RETURN_IF_ERROR(CheckClient(a->client));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Client_AddressableMemories_Args::out_num_memories,
                     "out_num_memories"));
                 a->out_memories = a->client->state->memories.data();
                 a->out_num_memories = a->client->state->memories.size();
                 return absl::OkStatus();
               });
}

absl::Status CheckDeviceOf(const ClientState& client, BPL_Device* device,
                           const char* name) {
  RETURN_IF_ERROR(CheckHandle(device, HandleTag::kDevice, name));
  if (device->client != &client) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " belongs to another client"));
  }
  return absl::OkStatus();
}

absl::Status CheckMemoryOf(const ClientState& client, BPL_Memory* memory,
                           const char* name) {
  RETURN_IF_ERROR(CheckHandle(memory, HandleTag::kMemory, name));
  if (memory->client != &client) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " belongs to another client"));
  }
  return absl::OkStatus();
}

BPL_Executable* NewExecutableHandle(std::shared_ptr<ClientState> client,
                                    std::unique_ptr<Executable> impl,
                                    absl::Status* status) {
  auto handle = std::make_unique<BPL_Executable>();
  handle->client = client;
  handle->name = std::string(impl->name());
  handle->fingerprint = impl->fingerprint();
  for (Device* device : impl->devices()) {
    auto it = client->device_handles.find(device);
    if (it == client->device_handles.end()) {
      *status = absl::InternalError("plugin: executable on an unknown device");
      return nullptr;
    }
    handle->devices.push_back(it->second);
  }
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
  return handle.release();
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
        RETURN_IF_ERROR(CheckClient(a->client));
        ClientState& client = *a->client->state;
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
        ASSIGN_OR_RETURN(auto values, ReadNamedValues(a->compile_options,
                                                      a->num_compile_options,
                                                      "compile option"));
        ASSIGN_OR_RETURN(
            auto options,
            Options::Parse(
                DropForeignOptions(std::move(values), client.plugin->info.name),
                client.plugin->compile_option_schema, "compile option"));
        std::vector<Device*> devices;
        if (a->num_devices > 0 && a->devices == nullptr) {
          return absl::InvalidArgumentError(absl::StrCat(
              "devices is NULL but num_devices is ", a->num_devices));
        }
        for (size_t i = 0; i < a->num_devices; ++i) {
          RETURN_IF_ERROR(CheckDeviceOf(client, a->devices[i], "devices[i]"));
          if (!a->devices[i]->impl->is_addressable()) {
            return absl::InvalidArgumentError(absl::StrCat(
                "device ", a->devices[i]->impl->id(), " is not addressable"));
          }
          devices.push_back(a->devices[i]->impl);
        }
        if (devices.empty()) {
          if (client.addressable_devices.empty()) {
            return absl::FailedPreconditionError("no addressable devices");
          }
          devices.push_back(client.addressable_devices[0]->impl);
        }
        RETURN_IF_ERROR(CheckLive(client));
        ASSIGN_OR_RETURN(
            auto impl,
            client.impl->Compile(
                format,
                absl::string_view(program->code == nullptr ? "" : program->code,
                                  program->code_size),
                options, devices));
        absl::Status status;
        a->out_executable =
            NewExecutableHandle(a->client->state, std::move(impl), &status);
        return status;
      });
}

BPL_Error* Client_DeserializeExecutable(
    BPL_Client_DeserializeExecutable_Args* args) {
  return Guard(
      "Client_DeserializeExecutable", args,
      [](ArgsCopy<BPL_Client_DeserializeExecutable_Args>& a) {
        RETURN_IF_ERROR(CheckClient(a->client));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Client_DeserializeExecutable_Args::out_executable,
            "out_executable"));
        if (a->serialized == nullptr && a->serialized_size != 0) {
          return absl::InvalidArgumentError("serialized is NULL");
        }
        ASSIGN_OR_RETURN(
            auto impl,
            a->client->state->impl->DeserializeExecutable(
                absl::string_view(a->serialized == nullptr ? "" : a->serialized,
                                  a->serialized_size)));
        absl::Status status;
        a->out_executable =
            NewExecutableHandle(a->client->state, std::move(impl), &status);
        return status;
      });
}

// Gathers a strided host array into dense row-major bytes.
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

BPL_Error* Client_BufferFromHost(BPL_Client_BufferFromHost_Args* args) {
  return Guard(
      "Client_BufferFromHost", args,
      [](ArgsCopy<BPL_Client_BufferFromHost_Args>& a) -> absl::Status {
        RETURN_IF_ERROR(CheckClient(a->client));
        ClientState& client = *a->client->state;
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
        BPL_Memory* memory = a->memory;
        if (memory != nullptr) {
          RETURN_IF_ERROR(CheckMemoryOf(client, memory, "memory"));
        } else {
          if (a->device == nullptr) {
            return absl::InvalidArgumentError(
                "neither device nor memory is set");
          }
          RETURN_IF_ERROR(CheckDeviceOf(client, a->device, "device"));
          if (!a->device->impl->is_addressable()) {
            return absl::InvalidArgumentError("device is not addressable");
          }
          memory = a->device->default_memory;
        }
        std::vector<std::shared_ptr<Event>> waits;
        if (a->num_wait_events > 0 && a->wait_events == nullptr) {
          return absl::InvalidArgumentError("wait_events is NULL");
        }
        for (size_t i = 0; i < a->num_wait_events; ++i) {
          RETURN_IF_ERROR(
              CheckHandle(a->wait_events[i], HandleTag::kEvent, "wait event"));
          waits.push_back(a->wait_events[i]->event);
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
        if (a->byte_strides != nullptr) {
          if (a->num_byte_strides != a->num_dims) {
            return absl::InvalidArgumentError(
                absl::StrCat("num_byte_strides ", a->num_byte_strides,
                             " differs from num_dims ", a->num_dims));
          }
          std::vector<int64_t> strides(a->byte_strides,
                                       a->byte_strides + a->num_byte_strides);
          // Strided data is gathered now, so the copy is done when the data
          // is valid; with pending dependencies we must wait for them first.
          if (!waits.empty()) {
            RETURN_IF_ERROR(AllOf(waits)->Await());
            waits.clear();
          }
          dense.reset(new char[std::max<int64_t>(host.shape.byte_size(), 1)]);
          Densify(static_cast<const char*>(a->data), host.shape, strides,
                  dense.get());
          host.data = dense.get();
          host.semantics = BPL_HOST_BUFFER_COPY_DURING_CALL;
        }
        ASSIGN_OR_RETURN(
            BufferFromHostResult result,
            client.impl->BufferFromHost(host, memory->impl, AllOf(waits)));
        if (result.buffer == nullptr) {
          return absl::InternalError("plugin returned no buffer");
        }
        auto* handle = new BPL_Buffer;
        handle->client = a->client->state;
        handle->shape = result.buffer->shape();
        handle->memory = memory;
        auto dev = client.device_handles.find(result.buffer->device());
        handle->device =
            dev == client.device_handles.end() ? nullptr : dev->second;
        handle->on_device_size = result.buffer->on_device_size();
        {
          std::lock_guard<std::mutex> lock(handle->mu);
          handle->impl = std::move(result.buffer);
        }
        a->out_buffer = handle;
        if (a.Has(&BPL_Client_BufferFromHost_Args::out_done_with_host_buffer)) {
          a->out_done_with_host_buffer = NewEventHandle(
              dense != nullptr || result.done_with_host_buffer == nullptr
                  ? Event::Ready()
                  : result.done_with_host_buffer);
        }
        return absl::OkStatus();
      });
}

// ------------------------------------------------------ DeviceDescription

absl::Status CheckDescription(BPL_DeviceDescription* d) {
  return CheckHandle(d, HandleTag::kDeviceDescription, "description");
}

BPL_Error* DeviceDescription_Id(BPL_DeviceDescription_Id_Args* args) {
  return Guard("DeviceDescription_Id", args,
               [](ArgsCopy<BPL_DeviceDescription_Id_Args>& a) {
                 RETURN_IF_ERROR(CheckDescription(a->description));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_DeviceDescription_Id_Args::out_id, "out_id"));
                 a->out_id = a->description->device->impl->id();
                 return absl::OkStatus();
               });
}

BPL_Error* DeviceDescription_Kind(BPL_DeviceDescription_Kind_Args* args) {
  return Guard(
      "DeviceDescription_Kind", args,
      [](ArgsCopy<BPL_DeviceDescription_Kind_Args>& a) {
        RETURN_IF_ERROR(CheckDescription(a->description));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_DeviceDescription_Kind_Args::out_kind_size, "out_kind_size"));
        const std::string& kind = a->description->device->kind;
        a->out_kind = kind.c_str();
        a->out_kind_size = kind.size();
        return absl::OkStatus();
      });
}

BPL_Error* DeviceDescription_Attributes(
    BPL_DeviceDescription_Attributes_Args* args) {
  return Guard("DeviceDescription_Attributes", args,
               [](ArgsCopy<BPL_DeviceDescription_Attributes_Args>& a) {
                 RETURN_IF_ERROR(CheckDescription(a->description));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_DeviceDescription_Attributes_Args::out_num_attributes,
                     "out_num_attributes"));
                 const NamedValueArray& attrs =
                     *a->description->device->attributes;
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
        RETURN_IF_ERROR(CheckDescription(a->description));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_DeviceDescription_DebugString_Args::out_debug_string_size,
            "out_debug_string_size"));
        const std::string& s = a->description->device->debug_string;
        a->out_debug_string = s.c_str();
        a->out_debug_string_size = s.size();
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- Device

absl::Status CheckDevice(BPL_Device* device) {
  return CheckHandle(device, HandleTag::kDevice, "device");
}

BPL_Error* Device_GetDescription(BPL_Device_GetDescription_Args* args) {
  return Guard("Device_GetDescription", args,
               [](ArgsCopy<BPL_Device_GetDescription_Args>& a) {
                 RETURN_IF_ERROR(CheckDevice(a->device));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Device_GetDescription_Args::out_description,
                     "out_description"));
                 a->out_description = &a->device->description;
                 return absl::OkStatus();
               });
}

BPL_Error* Device_IsAddressable(BPL_Device_IsAddressable_Args* args) {
  return Guard(
      "Device_IsAddressable", args,
      [](ArgsCopy<BPL_Device_IsAddressable_Args>& a) {
        RETURN_IF_ERROR(CheckDevice(a->device));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Device_IsAddressable_Args::reserved, "out_is_addressable"));
        a->out_is_addressable = a->device->impl->is_addressable();
        return absl::OkStatus();
      });
}

BPL_Error* Device_Memories(BPL_Device_Memories_Args* args) {
  return Guard(
      "Device_Memories", args, [](ArgsCopy<BPL_Device_Memories_Args>& a) {
        RETURN_IF_ERROR(CheckDevice(a->device));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Device_Memories_Args::out_num_memories, "out_num_memories"));
        a->out_memories = a->device->memories.data();
        a->out_num_memories = a->device->memories.size();
        return absl::OkStatus();
      });
}

BPL_Error* Device_DefaultMemory(BPL_Device_DefaultMemory_Args* args) {
  return Guard("Device_DefaultMemory", args,
               [](ArgsCopy<BPL_Device_DefaultMemory_Args>& a) {
                 RETURN_IF_ERROR(CheckDevice(a->device));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Device_DefaultMemory_Args::out_memory, "out_memory"));
                 a->out_memory = a->device->default_memory;
                 return absl::OkStatus();
               });
}

BPL_Error* Device_MemoryStats(BPL_Device_MemoryStats_Args* args) {
  return Guard(
      "Device_MemoryStats", args, [](ArgsCopy<BPL_Device_MemoryStats_Args>& a) {
        RETURN_IF_ERROR(CheckDevice(a->device));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Device_MemoryStats_Args::out_bytes_limit, "out_bytes_limit"));
        MemoryStats stats = a->device->impl->memory_stats();
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
    RETURN_IF_ERROR(CheckHandle(a->memory, HandleTag::kMemory, "memory"));
    RETURN_IF_ERROR(a.RequireOutput(&BPL_Memory_Id_Args::out_id, "out_id"));
    a->out_id = a->memory->impl->id();
    return absl::OkStatus();
  });
}

BPL_Error* Memory_Kind(BPL_Memory_Kind_Args* args) {
  return Guard("Memory_Kind", args, [](ArgsCopy<BPL_Memory_Kind_Args>& a) {
    RETURN_IF_ERROR(CheckHandle(a->memory, HandleTag::kMemory, "memory"));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Memory_Kind_Args::out_kind_size, "out_kind_size"));
    a->out_kind = a->memory->kind.c_str();
    a->out_kind_size = a->memory->kind.size();
    return absl::OkStatus();
  });
}

BPL_Error* Memory_Devices(BPL_Memory_Devices_Args* args) {
  return Guard(
      "Memory_Devices", args, [](ArgsCopy<BPL_Memory_Devices_Args>& a) {
        RETURN_IF_ERROR(CheckHandle(a->memory, HandleTag::kMemory, "memory"));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Memory_Devices_Args::out_num_devices, "out_num_devices"));
        a->out_devices = a->memory->devices.data();
        a->out_num_devices = a->memory->devices.size();
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- Buffer

absl::Status CheckBuffer(BPL_Buffer* buffer, const char* name = "buffer") {
  return CheckHandle(buffer, HandleTag::kBuffer, name);
}

// The live implementation of `buffer`, or why there is none.
absl::StatusOr<std::shared_ptr<Buffer>> LiveBuffer(BPL_Buffer* buffer,
                                                   const char* name) {
  RETURN_IF_ERROR(CheckBuffer(buffer, name));
  RETURN_IF_ERROR(CheckLive(*buffer->client));
  std::shared_ptr<Buffer> impl = buffer->Get();
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
                 RETURN_IF_ERROR(CheckBuffer(a->buffer));
                 DestroyHandle(a->buffer);
                 return absl::OkStatus();
               });
}

BPL_Error* Buffer_Delete(BPL_Buffer_Delete_Args* args) {
  return Guard("Buffer_Delete", args, [](ArgsCopy<BPL_Buffer_Delete_Args>& a) {
    RETURN_IF_ERROR(CheckBuffer(a->buffer));
    std::shared_ptr<Buffer> released;
    {
      std::lock_guard<std::mutex> lock(a->buffer->mu);
      released.swap(a->buffer->impl);
    }
    return absl::OkStatus();  // `released` frees outside the lock.
  });
}

BPL_Error* Buffer_IsDeleted(BPL_Buffer_IsDeleted_Args* args) {
  return Guard("Buffer_IsDeleted", args,
               [](ArgsCopy<BPL_Buffer_IsDeleted_Args>& a) {
                 RETURN_IF_ERROR(CheckBuffer(a->buffer));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Buffer_IsDeleted_Args::reserved, "out_is_deleted"));
                 a->out_is_deleted = a->buffer->Get() == nullptr;
                 return absl::OkStatus();
               });
}

BPL_Error* Buffer_Shape(BPL_Buffer_Shape_Args* args) {
  return Guard("Buffer_Shape", args, [](ArgsCopy<BPL_Buffer_Shape_Args>& a) {
    RETURN_IF_ERROR(CheckBuffer(a->buffer));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Buffer_Shape_Args::out_num_dims, "out_num_dims"));
    a->out_element_type = a->buffer->shape.element_type;
    a->out_dims = a->buffer->shape.dims.data();
    a->out_num_dims = a->buffer->shape.dims.size();
    return absl::OkStatus();
  });
}

BPL_Error* Buffer_OnDeviceSizeInBytes(
    BPL_Buffer_OnDeviceSizeInBytes_Args* args) {
  return Guard("Buffer_OnDeviceSizeInBytes", args,
               [](ArgsCopy<BPL_Buffer_OnDeviceSizeInBytes_Args>& a) {
                 RETURN_IF_ERROR(CheckBuffer(a->buffer));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Buffer_OnDeviceSizeInBytes_Args::out_size_in_bytes,
                     "out_size_in_bytes"));
                 a->out_size_in_bytes =
                     static_cast<size_t>(a->buffer->on_device_size);
                 return absl::OkStatus();
               });
}

BPL_Error* Buffer_Device(BPL_Buffer_Device_Args* args) {
  return Guard("Buffer_Device", args, [](ArgsCopy<BPL_Buffer_Device_Args>& a) {
    RETURN_IF_ERROR(CheckBuffer(a->buffer));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Buffer_Device_Args::out_device, "out_device"));
    a->out_device = a->buffer->device;
    return absl::OkStatus();
  });
}

BPL_Error* Buffer_Memory(BPL_Buffer_Memory_Args* args) {
  return Guard("Buffer_Memory", args, [](ArgsCopy<BPL_Buffer_Memory_Args>& a) {
    RETURN_IF_ERROR(CheckBuffer(a->buffer));
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Buffer_Memory_Args::out_memory, "out_memory"));
    a->out_memory = a->buffer->memory;
    return absl::OkStatus();
  });
}

BPL_Error* Buffer_ToHost(BPL_Buffer_ToHost_Args* args) {
  return Guard("Buffer_ToHost", args, [](ArgsCopy<BPL_Buffer_ToHost_Args>& a) {
    RETURN_IF_ERROR(CheckBuffer(a->buffer));
    const size_t needed = static_cast<size_t>(a->buffer->shape.byte_size());
    if (a->dst == nullptr) {
      a->dst_size = needed;
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(
        a.RequireOutput(&BPL_Buffer_ToHost_Args::out_event, "out_event"));
    if (a->dst_size < needed) {
      return absl::InvalidArgumentError(
          absl::StrCat("dst_size ", a->dst_size, " is smaller than the ",
                       needed, " bytes of ", a->buffer->shape.ToString()));
    }
    ASSIGN_OR_RETURN(auto impl, LiveBuffer(a->buffer, "buffer"));
    a->out_event = NewEventHandle(impl->CopyToHost(a->dst));
    return absl::OkStatus();
  });
}

BPL_Buffer* NewBufferHandle(const std::shared_ptr<ClientState>& client,
                            std::shared_ptr<Buffer> impl) {
  auto* handle = new BPL_Buffer;
  handle->client = client;
  handle->shape = impl->shape();
  auto dev = client->device_handles.find(impl->device());
  handle->device = dev == client->device_handles.end() ? nullptr : dev->second;
  auto mem = client->memory_handles.find(impl->memory());
  handle->memory = mem == client->memory_handles.end() ? nullptr : mem->second;
  handle->on_device_size = impl->on_device_size();
  std::lock_guard<std::mutex> lock(handle->mu);
  handle->impl = std::move(impl);
  return handle;
}

absl::Status CopyBufferTo(BPL_Buffer* buffer, BPL_Memory* memory,
                          BPL_Buffer** out) {
  ASSIGN_OR_RETURN(auto impl, LiveBuffer(buffer, "buffer"));
  ASSIGN_OR_RETURN(auto copy, impl->CopyToMemory(memory->impl));
  if (copy == nullptr) return absl::InternalError("plugin returned no buffer");
  *out = NewBufferHandle(buffer->client, std::move(copy));
  return absl::OkStatus();
}

BPL_Error* Buffer_CopyToDevice(BPL_Buffer_CopyToDevice_Args* args) {
  return Guard(
      "Buffer_CopyToDevice", args,
      [](ArgsCopy<BPL_Buffer_CopyToDevice_Args>& a) {
        RETURN_IF_ERROR(CheckBuffer(a->buffer));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Buffer_CopyToDevice_Args::out_buffer, "out_buffer"));
        RETURN_IF_ERROR(
            CheckDeviceOf(*a->buffer->client, a->dst_device, "dst_device"));
        if (!a->dst_device->impl->is_addressable()) {
          return absl::InvalidArgumentError("dst_device is not addressable");
        }
        return CopyBufferTo(a->buffer, a->dst_device->default_memory,
                            &a->out_buffer);
      });
}

BPL_Error* Buffer_CopyToMemory(BPL_Buffer_CopyToMemory_Args* args) {
  return Guard("Buffer_CopyToMemory", args,
               [](ArgsCopy<BPL_Buffer_CopyToMemory_Args>& a) {
                 RETURN_IF_ERROR(CheckBuffer(a->buffer));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Buffer_CopyToMemory_Args::out_buffer, "out_buffer"));
                 RETURN_IF_ERROR(CheckMemoryOf(*a->buffer->client,
                                               a->dst_memory, "dst_memory"));
                 return CopyBufferTo(a->buffer, a->dst_memory, &a->out_buffer);
               });
}

BPL_Error* Buffer_ReadyEvent(BPL_Buffer_ReadyEvent_Args* args) {
  return Guard("Buffer_ReadyEvent", args,
               [](ArgsCopy<BPL_Buffer_ReadyEvent_Args>& a) {
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Buffer_ReadyEvent_Args::out_event, "out_event"));
                 ASSIGN_OR_RETURN(auto impl, LiveBuffer(a->buffer, "buffer"));
                 a->out_event = NewEventHandle(impl->ready_event());
                 return absl::OkStatus();
               });
}

// ------------------------------------------------------------ Executable

absl::Status CheckExecutable(BPL_Executable* e) {
  return CheckHandle(e, HandleTag::kExecutable, "executable");
}

absl::StatusOr<std::shared_ptr<Executable>> LiveExecutable(BPL_Executable* e) {
  RETURN_IF_ERROR(CheckExecutable(e));
  RETURN_IF_ERROR(CheckLive(*e->client));
  std::shared_ptr<Executable> impl = e->Get();
  if (impl == nullptr) {
    return absl::FailedPreconditionError("executable was deleted");
  }
  return impl;
}

BPL_Error* Executable_Destroy(BPL_Executable_Destroy_Args* args) {
  return Guard("Executable_Destroy", args,
               [](ArgsCopy<BPL_Executable_Destroy_Args>& a) {
                 if (a->executable == nullptr) return absl::OkStatus();
                 RETURN_IF_ERROR(CheckExecutable(a->executable));
                 DestroyHandle(a->executable);
                 return absl::OkStatus();
               });
}

BPL_Error* Executable_Delete(BPL_Executable_Delete_Args* args) {
  return Guard("Executable_Delete", args,
               [](ArgsCopy<BPL_Executable_Delete_Args>& a) {
                 RETURN_IF_ERROR(CheckExecutable(a->executable));
                 std::shared_ptr<Executable> released;
                 std::lock_guard<std::mutex> lock(a->executable->mu);
                 released.swap(a->executable->impl);
                 return absl::OkStatus();
               });
}

BPL_Error* Executable_IsDeleted(BPL_Executable_IsDeleted_Args* args) {
  return Guard(
      "Executable_IsDeleted", args,
      [](ArgsCopy<BPL_Executable_IsDeleted_Args>& a) {
        RETURN_IF_ERROR(CheckExecutable(a->executable));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Executable_IsDeleted_Args::reserved, "out_is_deleted"));
        a->out_is_deleted = a->executable->Get() == nullptr;
        return absl::OkStatus();
      });
}

BPL_Error* Executable_Name(BPL_Executable_Name_Args* args) {
  return Guard(
      "Executable_Name", args, [](ArgsCopy<BPL_Executable_Name_Args>& a) {
        RETURN_IF_ERROR(CheckExecutable(a->executable));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Executable_Name_Args::out_name_size, "out_name_size"));
        a->out_name = a->executable->name.c_str();
        a->out_name_size = a->executable->name.size();
        return absl::OkStatus();
      });
}

BPL_Error* Executable_Devices(BPL_Executable_Devices_Args* args) {
  return Guard(
      "Executable_Devices", args, [](ArgsCopy<BPL_Executable_Devices_Args>& a) {
        RETURN_IF_ERROR(CheckExecutable(a->executable));
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Executable_Devices_Args::out_num_devices, "out_num_devices"));
        a->out_devices = a->executable->devices.data();
        a->out_num_devices = a->executable->devices.size();
        return absl::OkStatus();
      });
}

BPL_Error* Executable_ParameterShapes(
    BPL_Executable_ParameterShapes_Args* args) {
  return Guard("Executable_ParameterShapes", args,
               [](ArgsCopy<BPL_Executable_ParameterShapes_Args>& a) {
                 RETURN_IF_ERROR(CheckExecutable(a->executable));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Executable_ParameterShapes_Args::out_num_shapes,
                     "out_num_shapes"));
                 a->out_shapes = a->executable->c_parameter_shapes.data();
                 a->out_num_shapes = a->executable->c_parameter_shapes.size();
                 return absl::OkStatus();
               });
}

BPL_Error* Executable_OutputShapes(BPL_Executable_OutputShapes_Args* args) {
  return Guard("Executable_OutputShapes", args,
               [](ArgsCopy<BPL_Executable_OutputShapes_Args>& a) {
                 RETURN_IF_ERROR(CheckExecutable(a->executable));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Executable_OutputShapes_Args::out_num_shapes,
                     "out_num_shapes"));
                 a->out_shapes = a->executable->c_output_shapes.data();
                 a->out_num_shapes = a->executable->c_output_shapes.size();
                 return absl::OkStatus();
               });
}

BPL_Error* Executable_Fingerprint(BPL_Executable_Fingerprint_Args* args) {
  return Guard("Executable_Fingerprint", args,
               [](ArgsCopy<BPL_Executable_Fingerprint_Args>& a) {
                 RETURN_IF_ERROR(CheckExecutable(a->executable));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Executable_Fingerprint_Args::out_fingerprint_size,
                     "out_fingerprint_size"));
                 a->out_fingerprint = a->executable->fingerprint.c_str();
                 a->out_fingerprint_size = a->executable->fingerprint.size();
                 return absl::OkStatus();
               });
}

BPL_Error* Executable_MemoryStats(BPL_Executable_MemoryStats_Args* args) {
  return Guard("Executable_MemoryStats", args,
               [](ArgsCopy<BPL_Executable_MemoryStats_Args>& a) {
                 RETURN_IF_ERROR(CheckExecutable(a->executable));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Executable_MemoryStats_Args::out_temp_size_in_bytes,
                     "out_temp_size_in_bytes"));
                 const ExecutableMemoryStats& s = a->executable->memory_stats;
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
  return Guard("Executable_Serialize", args,
               [](ArgsCopy<BPL_Executable_Serialize_Args>& a) {
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_Executable_Serialize_Args::out_bytes_deleter,
                     "out_bytes_deleter"));
                 ASSIGN_OR_RETURN(auto impl, LiveExecutable(a->executable));
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

BPL_Error* Executable_Execute(BPL_Executable_Execute_Args* args) {
  return Guard(
      "Executable_Execute", args,
      [](ArgsCopy<BPL_Executable_Execute_Args>& a) -> absl::Status {
        // A deadline counts from the call.
        const auto called = base::Cancellation::Clock::now();
        RETURN_IF_ERROR(a.RequireOutput(
            &BPL_Executable_Execute_Args::output_lists, "output_lists"));
        ASSIGN_OR_RETURN(auto exe_or, LiveExecutable(a->executable));
        std::shared_ptr<Executable> exe = std::move(exe_or);
        BPL_Executable& handle = *a->executable;
        ClientState& client = *handle.client;
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
        ExecuteRequest request;
        request.arguments.resize(num_devices);
        for (size_t d = 0; d < num_devices; ++d) {
          if (a->output_lists[d] == nullptr && !handle.output_shapes.empty()) {
            return absl::InvalidArgumentError(
                absl::StrCat("output_lists[", d, "] is NULL"));
          }
          if (num_params == 0) continue;
          if (a->argument_lists[d] == nullptr) {
            return absl::InvalidArgumentError(
                absl::StrCat("argument_lists[", d, "] is NULL"));
          }
          for (size_t p = 0; p < num_params; ++p) {
            BPL_Buffer* arg = a->argument_lists[d][p];
            std::string name = absl::StrCat("argument ", p, " on device ", d);
            RETURN_IF_ERROR(CheckHandle(arg, HandleTag::kBuffer, name.c_str()));
            if (arg->client.get() != &client) {
              return absl::InvalidArgumentError(
                  absl::StrCat(name, " belongs to another client"));
            }
            if (arg->shape != handle.parameter_shapes[p]) {
              return absl::InvalidArgumentError(absl::StrCat(
                  name, " is ", arg->shape.ToString(), " but parameter ", p,
                  " is ", handle.parameter_shapes[p].ToString()));
            }
            if (arg->device != handle.devices[d]) {
              return absl::InvalidArgumentError(
                  absl::StrCat(name, " is on device ",
                               arg->device ? arg->device->impl->id() : -1,
                               " but the executable runs there on device ",
                               handle.devices[d]->impl->id()));
            }
            ASSIGN_OR_RETURN(auto impl, LiveBuffer(arg, name.c_str()));
            request.arguments[d].push_back(std::move(impl));
          }
        }
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
        std::vector<std::shared_ptr<Event>> waits;
        if (a->num_wait_events > 0 && a->wait_events == nullptr) {
          return absl::InvalidArgumentError("wait_events is NULL");
        }
        for (size_t i = 0; i < a->num_wait_events; ++i) {
          RETURN_IF_ERROR(
              CheckHandle(a->wait_events[i], HandleTag::kEvent, "wait event"));
          waits.push_back(a->wait_events[i]->event);
        }
        request.wait = AllOf(waits);
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
            auto* s = new BPL_ExecutionStatistics;
            s->statistics = statistics[d];
            stats_request->out_statistics[d] = s;
          }
          for (size_t p = 0; p < num_params; ++p) {
            if (!donated[p]) continue;
            std::shared_ptr<Buffer> released;
            std::lock_guard<std::mutex> lock(a->argument_lists[d][p]->mu);
            released.swap(a->argument_lists[d][p]->impl);
          }
        }
        return absl::OkStatus();
      });
}

BPL_Error* Executable_Cancel(BPL_Executable_Cancel_Args* args) {
  return Guard("Executable_Cancel", args,
               [](ArgsCopy<BPL_Executable_Cancel_Args>& a) -> absl::Status {
                 ASSIGN_OR_RETURN(auto exe, LiveExecutable(a->executable));
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
  return Guard("ExecutionStatistics_Get", args,
               [](ArgsCopy<BPL_ExecutionStatistics_Get_Args>& a) {
                 RETURN_IF_ERROR(CheckHandle(
                     a->statistics, HandleTag::kStatistics, "statistics"));
                 RETURN_IF_ERROR(a.RequireOutput(
                     &BPL_ExecutionStatistics_Get_Args::out_num_values,
                     "out_num_values"));
                 const NamedValueArray* values =
                     a->statistics->statistics->values();
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
                 RETURN_IF_ERROR(CheckHandle(
                     a->statistics, HandleTag::kStatistics, "statistics"));
                 DestroyHandle(a->statistics);
                 return absl::OkStatus();
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
