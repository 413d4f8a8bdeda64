// Client, device, error and NULL-args actions, and the op-code dispatcher.
#include "tools/fuzz/abi_sequence/actions.h"

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace backplane::fuzz {

Expect ExpectFor(const Runner& r, const Pick& pick, Expect valid) {
  const bool strict = valid == Expect::kOk || valid == Expect::kOkOrInvalid ||
                      valid == Expect::kInvalidArgument;
  if (pick.bad) return strict ? Expect::kInvalidArgument : Expect::kError;
  if (pick.index < 0)
    return valid == Expect::kAny ? Expect::kAny : Expect::kError;
  return r.Healthy(pick.index) ? valid : Expect::kAny;
}

absl::Status CreateClient(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  BPL_Client_Create_Args args{};
  BPL_NamedValue option{};
  option.struct_size = BPL_NamedValue_STRUCT_SIZE;
  Expect expect = Expect::kOk;
  uint8_t m = r.in().U8() % 8;
  if (m == 0) {  // An option no plugin accepts.
    option.name = "fuzz_unknown_option";
    option.name_size = std::strlen(option.name);
    option.type = BPL_VALUE_INT64;
    option.value.int64_value = 1;
    args.options = &option;
    args.num_options = 1;
    expect = Expect::kInvalidArgument;
  } else if (m == 1) {  // Options without an array.
    args.num_options = 3;
    expect = Expect::kError;
  }
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Client_Create", p, r.api(p)->Client_Create, args,
                         expect, &result));
  if (!result.ok()) return absl::OkStatus();
  Obj client;
  client.kind = Kind::kClient;
  client.plugin = p;
  client.ptr = args.out_client;
  int ci = r.Add(std::move(client));
  BPL_Client_Devices_Args devices{};
  devices.client = args.out_client;
  RETURN_IF_ERROR(r.Call("Client_AddressableDevices", p,
                         r.api(p)->Client_AddressableDevices, devices,
                         Expect::kOk, &result, false));
  if (devices.out_num_devices == 0 || devices.out_devices == nullptr ||
      devices.out_devices[0] == nullptr) {
    return r.Finding("a client has no addressable device");
  }
  int di = r.Intern(Kind::kDevice, p, devices.out_devices[0], ci);
  r.obj(ci).device = di;
  return absl::OkStatus();
}

absl::Status DestroyClient(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick c = r.PickFor(Kind::kClient, p);
  BPL_Client_Destroy_Args args{};
  args.client = static_cast<BPL_Client*>(c.ptr);
  Expect expect = c.bad ? Expect::kInvalidArgument
                        : (c.index < 0 ? Expect::kAny : Expect::kOk);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Client_Destroy", p, r.api(p)->Client_Destroy, args,
                         expect, &result));
  if (result.ok() && c.index >= 0 && !c.bad) r.obj(c.index).live = false;
  return absl::OkStatus();
}

absl::Status ListDevices(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick c = r.PickFor(Kind::kClient, p);
  Expect expect = ExpectFor(r, c, Expect::kOk);
  absl::Status result;
  uint8_t m = r.in().U8() % 3;
  if (m == 2) {
    BPL_Client_AddressableMemories_Args args{};
    args.client = static_cast<BPL_Client*>(c.ptr);
    RETURN_IF_ERROR(r.Call("Client_AddressableMemories", p,
                           r.api(p)->Client_AddressableMemories, args, expect,
                           &result));
    if (!result.ok() || c.bad || c.index < 0) return absl::OkStatus();
    for (size_t i = 0; i < args.out_num_memories; ++i) {
      if (args.out_memories[i] == nullptr) return r.Finding("a NULL memory");
      r.Intern(Kind::kMemory, p, args.out_memories[i], c.index);
    }
    return absl::OkStatus();
  }
  BPL_Client_Devices_Args args{};
  args.client = static_cast<BPL_Client*>(c.ptr);
  if (m == 0) {
    RETURN_IF_ERROR(r.Call("Client_Devices", p, r.api(p)->Client_Devices, args,
                           expect, &result));
  } else {
    RETURN_IF_ERROR(r.Call("Client_AddressableDevices", p,
                           r.api(p)->Client_AddressableDevices, args, expect,
                           &result));
  }
  if (!result.ok() || c.bad || c.index < 0) return absl::OkStatus();
  for (size_t i = 0; i < args.out_num_devices; ++i) {
    if (args.out_devices[i] == nullptr) return r.Finding("a NULL device");
    r.Intern(Kind::kDevice, p, args.out_devices[i], c.index);
  }
  return absl::OkStatus();
}

// Every entry with NULL args: INVALID_ARGUMENT, never a crash.
absl::Status NullArgs(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  const BPL_Api* a = r.api(p);
  int which = static_cast<int>(r.in().Pick(16));
  BPL_Error* error = nullptr;
  const char* name = "";
#define BPL_FUZZ_NULL_CASE(n, fn) \
  case n:                         \
    name = #fn;                   \
    error = a->fn(nullptr);       \
    break
  switch (which) {
    BPL_FUZZ_NULL_CASE(0, Client_Create);
    BPL_FUZZ_NULL_CASE(1, Client_Devices);
    BPL_FUZZ_NULL_CASE(2, Client_Compile);
    BPL_FUZZ_NULL_CASE(3, Client_BufferFromHost);
    BPL_FUZZ_NULL_CASE(4, Buffer_ToHost);
    BPL_FUZZ_NULL_CASE(5, Buffer_Destroy);
    BPL_FUZZ_NULL_CASE(6, Buffer_Shape);
    BPL_FUZZ_NULL_CASE(7, Executable_Execute);
    BPL_FUZZ_NULL_CASE(8, Executable_Cancel);
    BPL_FUZZ_NULL_CASE(9, Executable_Serialize);
    BPL_FUZZ_NULL_CASE(10, Event_Await);
    BPL_FUZZ_NULL_CASE(11, Event_OnReady);
    BPL_FUZZ_NULL_CASE(12, Event_Set);
    BPL_FUZZ_NULL_CASE(13, Error_Message);
    BPL_FUZZ_NULL_CASE(14, Client_DeserializeExecutable);
    BPL_FUZZ_NULL_CASE(15, Plugin_Attributes);
  }
#undef BPL_FUZZ_NULL_CASE
  r.Log(absl::StrCat("  call ", name, "(NULL) on plugin ", p));
  absl::Status status;
  RETURN_IF_ERROR(r.TakeError(p, error, &status));
  if (status.code() != absl::StatusCode::kInvalidArgument) {
    return r.Finding(absl::StrCat(name,
                                  "(NULL args): expected "
                                  "INVALID_ARGUMENT, got ",
                                  status.ToString()));
  }
  return absl::OkStatus();
}

// Error_GetCode, Error_Message and Error_Destroy on kept, destroyed and
// foreign errors (and handles of other types posing as errors).
absl::Status ErrorOps(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  const BPL_Api* a = r.api(p);
  Pick e = r.PickFor(Kind::kError, p);
  absl::Status result;
  uint8_t m = r.in().U8() % 3;
  if (m == 0) {
    BPL_Error_GetCode_Args args{};
    args.error = static_cast<BPL_Error*>(e.ptr);
    RETURN_IF_ERROR(r.Call("Error_GetCode", p, a->Error_GetCode, args,
                           ExpectFor(r, e, Expect::kOk), &result));
    if (result.ok() && (args.out_code < 1 || args.out_code > 16)) {
      return r.Finding(absl::StrCat("a kept error has code ", args.out_code));
    }
  } else if (m == 1) {
    BPL_Error_Message_Args args{};
    args.error = static_cast<BPL_Error*>(e.ptr);
    RETURN_IF_ERROR(r.Call("Error_Message", p, a->Error_Message, args,
                           ExpectFor(r, e, Expect::kOk), &result));
    if (result.ok() &&
        (args.out_message == nullptr ||
         std::strlen(args.out_message) != args.out_message_size)) {
      return r.Finding("a kept error's message is unterminated");
    }
  } else {
    // Never fails for a live error or NULL; INVALID_ARGUMENT otherwise.
    BPL_Error_Destroy_Args args{};
    args.error = static_cast<BPL_Error*>(e.ptr);
    Expect expect = e.bad ? Expect::kInvalidArgument : Expect::kOk;
    RETURN_IF_ERROR(r.Call("Error_Destroy", p, a->Error_Destroy, args, expect,
                           &result, false));
    if (result.ok() && !e.bad && e.index >= 0) r.obj(e.index).live = false;
  }
  return absl::OkStatus();
}

absl::Status RunActionOp(Runner& r, int op) {
  switch (op) {
    case 0:
      return CreateClient(r);
    case 1:
      return DestroyClient(r);
    case 2:
      return ListDevices(r);
    case 3:
      return Upload(r);
    case 4:
      return ToHost(r);
    case 5:
      return DestroyBuffer(r);
    case 6:
      return DeleteBuffer(r);
    case 7:
      return Compile(r);
    case 8:
      return SerializeOrDeserialize(r);
    case 9:
      return Execute(r);
    case 10:
      return CreateEvent(r);
    case 11:
      return SetEvent(r);
    case 12:
      return DestroyEvent(r);
    case 13:
      return OnReady(r);
    case 14:
      return Await(r);
    case 15:
      return Cancel(r);
    case 16:
      return DestroyExecutable(r);
    case 17:
      return Query(r);
    case 18:
      return ErrorOps(r);
    case 19:
      return CopyBuffer(r);
    case 20:
      return BufferReadyEvent(r);
    case 21:
      return DeleteExecutable(r);
    case 22:
      return NullArgs(r);
    default:
      return ExecuteAdd(r);
  }
}

}  // namespace backplane::fuzz
