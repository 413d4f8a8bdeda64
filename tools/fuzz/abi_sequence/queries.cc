// Queries of every object type, on live, stale, foreign and mistyped
// handles: strings must be NUL-terminated at their size, handles non-NULL,
// and a buffer's shape the one it was made with.
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "tools/fuzz/abi_sequence/actions.h"

namespace backplane::fuzz {

namespace {

// Calls `entry` of a random plugin on a handle of `kind` put in `field`.
// *pick is the handle; *ok whether the call succeeded on a live one.
template <typename Args, typename H>
absl::Status QueryCall(Runner& r, const char* name, Kind kind,
                       BPL_Error* (*BPL_Api::*entry)(Args*), H* Args::*field,
                       Args* args, Pick* pick, int* plugin, bool* ok) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  *plugin = p;
  *pick = r.PickFor(kind, p);
  *args = Args{};
  args->*field = static_cast<H*>(pick->ptr);
  absl::Status result;
  RETURN_IF_ERROR(r.Call(name, p, r.api(p)->*entry, *args,
                         ExpectFor(r, *pick, Expect::kOk), &result));
  *ok = result.ok() && pick->index >= 0 && !pick->bad;
  return absl::OkStatus();
}

absl::Status CheckString(Runner& r, const char* s, size_t size) {
  if (s == nullptr || std::strlen(s) != size) {
    return r.Finding("a string output is NULL or not terminated at its size");
  }
  return absl::OkStatus();
}

absl::Status CheckValues(Runner& r, const BPL_NamedValue* values, size_t n) {
  if (n > 0 && values == nullptr) return r.Finding("NULL named values");
  for (size_t i = 0; i < n; ++i) {
    RETURN_IF_ERROR(CheckString(r, values[i].name, values[i].name_size));
    if (values[i].type == BPL_VALUE_STRING) {
      RETURN_IF_ERROR(
          CheckString(r, values[i].value.string_value, values[i].value_size));
    }
  }
  return absl::OkStatus();
}

#define BPL_FUZZ_QUERY(Name, kind, field)                                \
  BPL_##Name##_Args args;                                                \
  Pick pick;                                                             \
  int p = 0;                                                             \
  bool ok = false;                                                       \
  RETURN_IF_ERROR(QueryCall(r, #Name, kind, &BPL_Api::Name,              \
                            &BPL_##Name##_Args::field, &args, &pick, &p, \
                            &ok));                                       \
  if (!ok) return absl::OkStatus()

absl::Status QueryClient(Runner& r, int which) {
  if (which == 0) {
    BPL_FUZZ_QUERY(Client_PlatformName, Kind::kClient, client);
    return CheckString(r, args.out_platform_name, args.out_platform_name_size);
  }
  if (which == 1) {
    BPL_FUZZ_QUERY(Client_PlatformVersion, Kind::kClient, client);
    return CheckString(r, args.out_platform_version,
                       args.out_platform_version_size);
  }
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick c = r.PickFor(Kind::kClient, p);
  BPL_Client_LookupDevice_Args args{};
  args.client = static_cast<BPL_Client*>(c.ptr);
  args.id = static_cast<int8_t>(r.in().U8());
  absl::Status result;
  Expect expect = ExpectFor(r, c, Expect::kAny);
  // Exact struct_size: the check below must see the real answer.
  RETURN_IF_ERROR(r.Call("Client_LookupDevice", p,
                         r.api(p)->Client_LookupDevice, args, expect, &result,
                         false));
  if (!result.ok() && r.Healthy(c.index) && !c.bad &&
      result.code() != absl::StatusCode::kNotFound) {
    return r.Finding(absl::StrCat(
        "LookupDevice: expected OK or NOT_FOUND, got ", result.ToString()));
  }
  if (result.ok() && !c.bad && c.index >= 0) {
    if (args.out_device == nullptr) return r.Finding("OK with a NULL device");
    r.Intern(Kind::kDevice, p, args.out_device, c.index);
  }
  return absl::OkStatus();
}

absl::Status QueryDevice(Runner& r, int which) {
  if (which == 0) {
    BPL_FUZZ_QUERY(Device_GetDescription, Kind::kDevice, device);
    if (args.out_description == nullptr) return r.Finding("NULL description");
    r.Intern(Kind::kDescription, p, args.out_description,
             r.obj(pick.index).client);
    return absl::OkStatus();
  }
  if (which == 1) {
    BPL_FUZZ_QUERY(Device_IsAddressable, Kind::kDevice, device);
    return absl::OkStatus();
  }
  if (which == 2) {
    BPL_FUZZ_QUERY(Device_Memories, Kind::kDevice, device);
    for (size_t i = 0; i < args.out_num_memories; ++i) {
      if (args.out_memories[i] == nullptr) return r.Finding("a NULL memory");
      r.Intern(Kind::kMemory, p, args.out_memories[i],
               r.obj(pick.index).client);
    }
    return absl::OkStatus();
  }
  if (which == 3) {
    BPL_FUZZ_QUERY(Device_DefaultMemory, Kind::kDevice, device);
    if (args.out_memory == nullptr) return r.Finding("NULL default memory");
    r.Intern(Kind::kMemory, p, args.out_memory, r.obj(pick.index).client);
    return absl::OkStatus();
  }
  BPL_FUZZ_QUERY(Device_MemoryStats, Kind::kDevice, device);
  return absl::OkStatus();
}

absl::Status QueryDescriptionOrMemory(Runner& r, int which) {
  if (which == 0) {
    BPL_FUZZ_QUERY(DeviceDescription_Id, Kind::kDescription, description);
    return absl::OkStatus();
  }
  if (which == 1) {
    BPL_FUZZ_QUERY(DeviceDescription_Kind, Kind::kDescription, description);
    return CheckString(r, args.out_kind, args.out_kind_size);
  }
  if (which == 2) {
    BPL_FUZZ_QUERY(DeviceDescription_Attributes, Kind::kDescription,
                   description);
    return CheckValues(r, args.out_attributes, args.out_num_attributes);
  }
  if (which == 3) {
    BPL_FUZZ_QUERY(DeviceDescription_DebugString, Kind::kDescription,
                   description);
    return CheckString(r, args.out_debug_string, args.out_debug_string_size);
  }
  if (which == 4) {
    BPL_FUZZ_QUERY(Memory_Id, Kind::kMemory, memory);
    return absl::OkStatus();
  }
  if (which == 5) {
    BPL_FUZZ_QUERY(Memory_Kind, Kind::kMemory, memory);
    return CheckString(r, args.out_kind, args.out_kind_size);
  }
  BPL_FUZZ_QUERY(Memory_Devices, Kind::kMemory, memory);
  for (size_t i = 0; i < args.out_num_devices; ++i) {
    if (args.out_devices[i] == nullptr) return r.Finding("a NULL device");
  }
  return absl::OkStatus();
}

absl::Status QueryBuffer(Runner& r, int which) {
  if (which == 0) {
    BPL_FUZZ_QUERY(Buffer_IsDeleted, Kind::kBuffer, buffer);
    if (args.out_is_deleted != r.obj(pick.index).deleted &&
        r.obj(pick.index).producer < 0 && r.ClientLive(pick.index)) {
      return r.Finding("IsDeleted disagrees with the Delete calls made");
    }
    return absl::OkStatus();
  }
  if (which == 1) {
    BPL_FUZZ_QUERY(Buffer_Shape, Kind::kBuffer, buffer);
    const Obj& b = r.obj(pick.index);
    int type;
    std::memcpy(&type, &args.out_element_type, sizeof(int));
    if (b.element_type != 0 &&
        (type != b.element_type || args.out_num_dims != b.dims.size() ||
         (args.out_num_dims > 0 &&
          std::memcmp(args.out_dims, b.dims.data(),
                      args.out_num_dims * sizeof(int64_t)) != 0))) {
      return r.Finding(
          "Buffer_Shape is not the shape the buffer was made with");
    }
    return absl::OkStatus();
  }
  if (which == 2) {
    BPL_FUZZ_QUERY(Buffer_OnDeviceSizeInBytes, Kind::kBuffer, buffer);
    return absl::OkStatus();
  }
  if (which == 3) {
    BPL_FUZZ_QUERY(Buffer_Device, Kind::kBuffer, buffer);
    if (args.out_device == nullptr) return r.Finding("NULL device");
    return absl::OkStatus();
  }
  BPL_FUZZ_QUERY(Buffer_Memory, Kind::kBuffer, buffer);
  if (args.out_memory == nullptr) return r.Finding("NULL memory");
  return absl::OkStatus();
}

absl::Status QueryExecutable(Runner& r, int which) {
  switch (which) {
    case 0: {
      BPL_FUZZ_QUERY(Executable_IsDeleted, Kind::kExecutable, executable);
      return absl::OkStatus();
    }
    case 1: {
      BPL_FUZZ_QUERY(Executable_Name, Kind::kExecutable, executable);
      return CheckString(r, args.out_name, args.out_name_size);
    }
    case 2: {
      BPL_FUZZ_QUERY(Executable_Devices, Kind::kExecutable, executable);
      if (args.out_num_devices == 0) return r.Finding("no devices");
      return absl::OkStatus();
    }
    case 3: {
      BPL_FUZZ_QUERY(Executable_ParameterShapes, Kind::kExecutable, executable);
      return absl::OkStatus();
    }
    case 4: {
      BPL_FUZZ_QUERY(Executable_OutputShapes, Kind::kExecutable, executable);
      return absl::OkStatus();
    }
    case 5: {
      BPL_FUZZ_QUERY(Executable_Fingerprint, Kind::kExecutable, executable);
      return CheckString(r, args.out_fingerprint, args.out_fingerprint_size);
    }
    default: {
      BPL_FUZZ_QUERY(Executable_MemoryStats, Kind::kExecutable, executable);
      return absl::OkStatus();
    }
  }
}

absl::Status QueryPlugin(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  BPL_Plugin_Attributes_Args args{};
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Plugin_Attributes", p, r.api(p)->Plugin_Attributes,
                         args, Expect::kOk, &result));
  if (!result.ok()) return absl::OkStatus();
  return CheckValues(r, args.out_attributes, args.out_num_attributes);
}

#undef BPL_FUZZ_QUERY

}  // namespace

absl::Status Query(Runner& r) {
  int which = static_cast<int>(r.in().Pick(29));
  if (which < 3) return QueryClient(r, which);
  if (which < 8) return QueryDevice(r, which - 3);
  if (which < 15) return QueryDescriptionOrMemory(r, which - 8);
  if (which < 20) return QueryBuffer(r, which - 15);
  if (which < 27) return QueryExecutable(r, which - 20);
  return QueryPlugin(r);
}

}  // namespace backplane::fuzz
