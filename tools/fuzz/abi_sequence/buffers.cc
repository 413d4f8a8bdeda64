// Buffer actions: uploads with random shapes, element types and strides,
// downloads into undersized and oversized destinations, destroy, delete,
// copies and ready events.
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "tools/fuzz/abi_sequence/actions.h"

namespace backplane::fuzz {

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// An upload the fuzzer plans: what it sends and what it must get back.
struct UploadPlan {
  int element_type = BPL_ELEMENT_TYPE_F32;
  std::vector<int64_t> dims = {4};
  std::vector<int64_t> strides;  // Empty: dense.
  bool pass_strides = false;
  size_t num_strides = 0;
  size_t bytes = 0;  // Host bytes to allocate.
  bool null_data = false;
  int semantics = BPL_HOST_BUFFER_COPY_DURING_CALL;
  Expect expect = Expect::kOk;
};

int64_t NumElements(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::vector<int64_t> RandomDims(Bytes& in) {
  std::vector<int64_t> dims(in.Pick(4));
  for (int64_t& d : dims) d = static_cast<int64_t>(in.Pick(5));
  return dims;
}

// Non-negative strides small enough to allocate (0 broadcasts; strides
// below the element size overlap).
void ValidStrides(Bytes& in, UploadPlan* plan) {
  const int64_t elem = static_cast<int64_t>(ElementSize(plan->element_type));
  plan->strides.resize(plan->dims.size());
  int64_t extent = elem;
  for (size_t i = 0; i < plan->dims.size(); ++i) {
    plan->strides[i] = static_cast<int64_t>(in.Pick(4)) * elem +
                       (in.OneIn(4) ? static_cast<int64_t>(in.Pick(3)) : 0);
    if (plan->dims[i] > 0) extent += (plan->dims[i] - 1) * plan->strides[i];
  }
  plan->pass_strides = true;
  plan->num_strides = plan->strides.size();
  if (NumElements(plan->dims) > 0) plan->bytes = static_cast<size_t>(extent);
}

// The element at row-major position `flat` of strided host data.
int64_t StridedOffset(const UploadPlan& plan, int64_t flat) {
  int64_t offset = 0;
  for (size_t i = plan.dims.size(); i-- > 0;) {
    offset += (flat % plan.dims[i]) * plan.strides[i];
    flat /= plan.dims[i];
  }
  return offset;
}

UploadPlan PlanUpload(Bytes& in) {
  UploadPlan plan;
  plan.semantics = static_cast<int>(in.Pick(4));
  uint8_t variant = in.U8() % 14;
  if (variant >= 4 && variant != 5) {
    plan.element_type = 1 + static_cast<int>(in.Pick(30));
    plan.dims = RandomDims(in);
    plan.expect = Expect::kOkOrInvalid;
  }
  plan.bytes = ElementSize(plan.element_type) *
               static_cast<size_t>(NumElements(plan.dims));
  switch (variant) {
    case 5:  // f32[4] strided, gathered by the plugin.
    case 6:
      ValidStrides(in, &plan);
      break;
    case 7:  // A negative stride.
      for (int64_t& d : plan.dims) d = d == 0 ? 1 : d;
      ValidStrides(in, &plan);
      if (plan.strides.empty()) {
        plan.dims = {2};
        plan.strides = {0};
        plan.num_strides = 1;
      }
      plan.strides[in.Pick(plan.strides.size())] =
          -1 - static_cast<int64_t>(in.Pick(9));
      plan.expect = Expect::kInvalidArgument;
      break;
    case 8:  // A stride whose extent overflows int64 (with no zero
             // dimension: then nothing is read and only signs count).
      for (int64_t& d : plan.dims) d = d == 0 ? 1 : d;
      plan.dims.push_back(2 + in.Pick(3));
      ValidStrides(in, &plan);
      plan.strides.back() = kInt64Max / (plan.dims.back() - 1) + 1 +
                            static_cast<int64_t>(in.Pick(3));
      plan.expect = Expect::kInvalidArgument;
      break;
    case 9:  // Stride count differs from the rank.
      ValidStrides(in, &plan);
      plan.num_strides = plan.strides.size() + 1;
      plan.strides.push_back(0);
      plan.expect = Expect::kError;
      break;
    case 10:  // NULL data, dense or strided.
      plan.null_data = true;
      if (in.OneIn(2)) ValidStrides(in, &plan);
      plan.expect = NumElements(plan.dims) == 0 ? Expect::kAny : Expect::kError;
      break;
    case 11:  // Element types out of range.
      plan.element_type = in.OneIn(2) ? 0 : 31 + in.U8();
      plan.bytes = 16;
      plan.expect = Expect::kInvalidArgument;
      break;
    case 12:  // A negative dimension.
      plan.dims.push_back(-1 - static_cast<int64_t>(in.Pick(5)));
      plan.bytes = 16;
      plan.expect = Expect::kInvalidArgument;
      break;
    case 13:  // Dimensions whose product overflows.
      plan.dims = {int64_t{1} << 40, int64_t{1} << 40, int64_t{1} << 40};
      plan.bytes = 16;
      plan.expect = Expect::kError;
      break;
    default:
      break;
  }
  return plan;
}

// Fills host data; for f32 with a certain result, returns the values the
// buffer must hold (small integers: exact under any arithmetic).
bool FillData(Bytes& in, const UploadPlan& plan, unsigned char* data,
              std::vector<float>* values) {
  for (size_t i = 0; i < plan.bytes; ++i) data[i] = in.U8();
  if (plan.element_type != BPL_ELEMENT_TYPE_F32 || plan.expect != Expect::kOk) {
    return false;
  }
  for (size_t i = 0; i + 4 <= plan.bytes; i += 4) {
    float f = static_cast<float>(static_cast<int8_t>(data[i]));
    std::memcpy(data + i, &f, 4);
  }
  int64_t n = NumElements(plan.dims);
  values->resize(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    int64_t offset = plan.pass_strides ? StridedOffset(plan, k) : 4 * k;
    if (offset % 4 != 0) return false;  // Straddles two values: not small.
    std::memcpy(&(*values)[k], data + offset, 4);
  }
  return true;
}

// Optional wait events: live framework events (or a bad one).
Expect AddWaitEvents(Runner& r, int p, UploadPlan* plan,
                     std::vector<BPL_Event*>* events, bool* may_block) {
  if (!r.in().OneIn(5)) return plan->expect;
  Pick e = r.PickFor(Kind::kEvent, p);
  if (e.index < 0 && !e.bad) return plan->expect;
  events->push_back(static_cast<BPL_Event*>(e.ptr));
  if (e.bad) return ExpectFor(r, e, plan->expect);
  const Obj& o = r.obj(e.index);
  *may_block = o.may_block || (o.framework && !o.set);
  if (plan->semantics == BPL_HOST_BUFFER_COPY_DURING_CALL) {
    return plan->expect == Expect::kError || plan->expect == Expect::kAny
               ? Expect::kError
               : Expect::kInvalidArgument;
  }
  return plan->expect;
}

// Takes the event an upload or copy returned: counted by teardown, and in
// the pool for later actions.
absl::Status KeepEvent(Runner& r, int p, BPL_Event* event, bool may_block) {
  if (event == nullptr) return absl::OkStatus();
  RETURN_IF_ERROR(r.Track(p, event, false, false));
  Obj o;
  o.kind = Kind::kEvent;
  o.plugin = p;
  o.ptr = event;
  o.may_block = may_block;
  r.Add(std::move(o));
  return absl::OkStatus();
}

// The device an upload goes to: mostly the client's own.
Pick UploadDevice(Runner& r, int p, const Pick& client) {
  Pick d;
  if (!client.bad && client.index >= 0 && !r.in().OneIn(10)) {
    d.index = r.obj(client.index).device;
    d.ptr = r.obj(d.index).ptr;
    d.how = "own";
    return d;
  }
  if (r.in().OneIn(2)) return d;  // NULL: the default.
  return r.PickBad(Kind::kDevice, p);
}

}  // namespace

absl::Status Upload(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick client = r.PickFor(Kind::kClient, p);
  UploadPlan plan = PlanUpload(r.in());
  Pick device = UploadDevice(r, p, client);
  std::vector<BPL_Event*> events;
  bool may_block = false;
  Expect expect = AddWaitEvents(r, p, &plan, &events, &may_block);
  if (device.bad) expect = ExpectFor(r, device, expect);
  if (device.index < 0 && !device.bad) {
    expect = expect == Expect::kOk ? Expect::kOkOrInvalid : expect;
  }
  expect = ExpectFor(r, client, expect);
  unsigned char* data = r.Keep<unsigned char>(plan.bytes);
  std::vector<float> values;
  bool known = FillData(r.in(), plan, data, &values);
  r.Log(absl::StrCat("  upload type ", plan.element_type, " dims [",
                     absl::StrJoin(plan.dims, ","), "] strides [",
                     absl::StrJoin(plan.strides, ","), "]/", plan.num_strides,
                     plan.pass_strides ? "" : " (dense)", " semantics ",
                     plan.semantics, " waits ", events.size(),
                     plan.null_data ? " NULL data" : "", " device ",
                     device.how));
  BPL_Client_BufferFromHost_Args args{};
  args.client = static_cast<BPL_Client*>(client.ptr);
  args.data = plan.null_data ? nullptr : data;
  std::memcpy(&args.element_type, &plan.element_type, sizeof(int));
  args.dims = plan.dims.data();
  args.num_dims = plan.dims.size();
  args.byte_strides = plan.pass_strides ? plan.strides.data() : nullptr;
  args.num_byte_strides = plan.num_strides;
  std::memcpy(&args.host_buffer_semantics, &plan.semantics, sizeof(int));
  args.device = static_cast<BPL_Device*>(device.ptr);
  args.wait_events = events.empty() ? nullptr : events.data();
  args.num_wait_events = events.size();
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Client_BufferFromHost", p,
                         r.api(p)->Client_BufferFromHost, args, expect,
                         &result));
  if (!result.ok()) return absl::OkStatus();
  if (args.out_buffer == nullptr) return r.Finding("OK with a NULL buffer");
  Obj b;
  b.kind = Kind::kBuffer;
  b.plugin = p;
  b.ptr = args.out_buffer;
  b.client = client.index;
  b.element_type = plan.element_type;
  b.dims = plan.dims;
  b.known = known && events.empty();
  b.values = std::move(values);
  b.may_block = may_block;
  r.Add(std::move(b));
  return KeepEvent(r, p, args.out_done_with_host_buffer, may_block);
}

absl::Status UploadKnown(Runner& r, int client, int element_type,
                         const std::vector<int64_t>& dims, int* index) {
  *index = -1;
  const Obj& c = r.obj(client);
  const int p = c.plugin;
  int64_t n = NumElements(dims);
  if (n < 0 || n > 4096 || ElementSize(element_type) == 0) {
    return absl::OkStatus();
  }
  size_t bytes = ElementSize(element_type) * static_cast<size_t>(n);
  unsigned char* data = r.Keep<unsigned char>(bytes);
  std::vector<float> values;
  for (int64_t k = 0; k < n; ++k) {
    if (element_type == BPL_ELEMENT_TYPE_F32) {
      float f = static_cast<float>(static_cast<int8_t>(r.in().U8()));
      values.push_back(f);
      std::memcpy(data + 4 * k, &f, 4);
    } else if (element_type == BPL_ELEMENT_TYPE_S32) {
      int32_t v = r.in().U8() % 64;
      std::memcpy(data + 4 * k, &v, 4);
    }
  }
  BPL_Client_BufferFromHost_Args args{};
  args.client = static_cast<BPL_Client*>(c.ptr);
  args.data = data;
  std::memcpy(&args.element_type, &element_type, sizeof(int));
  args.dims = dims.data();
  args.num_dims = dims.size();
  args.device = static_cast<BPL_Device*>(r.obj(c.device).ptr);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Client_BufferFromHost", p,
                         r.api(p)->Client_BufferFromHost, args, Expect::kOk,
                         &result, false));
  Obj b;
  b.kind = Kind::kBuffer;
  b.plugin = p;
  b.ptr = args.out_buffer;
  b.client = client;
  b.element_type = element_type;
  b.dims = dims;
  b.known = element_type == BPL_ELEMENT_TYPE_F32;
  b.values = std::move(values);
  *index = r.Add(std::move(b));
  return KeepEvent(r, p, args.out_done_with_host_buffer, false);
}

absl::Status Download(Runner& r, int index) {
  const int p = r.obj(index).plugin;
  BPL_Buffer_ToHost_Args query{};
  query.buffer = static_cast<BPL_Buffer*>(r.obj(index).ptr);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Buffer_ToHost(size)", p, r.api(p)->Buffer_ToHost,
                         query, Expect::kOk, &result, false));
  BPL_Buffer_ToHost_Args args{};
  args.buffer = query.buffer;
  args.dst_size = query.dst_size;
  args.dst = r.Keep<unsigned char>(query.dst_size);
  RETURN_IF_ERROR(r.Call("Buffer_ToHost", p, r.api(p)->Buffer_ToHost, args,
                         Expect::kOk, &result, false));
  int64_t code = 0;
  RETURN_IF_ERROR(r.Wait(p, args.out_event, &code));
  RETURN_IF_ERROR(KeepEvent(r, p, args.out_event, false));
  const Obj& b = r.obj(index);
  if (code != 0 || !b.known) return absl::OkStatus();
  if (args.dst_size != b.values.size() * sizeof(float)) {
    return r.Finding(absl::StrCat("ToHost needs ", args.dst_size, " bytes for ",
                                  b.values.size(), " f32"));
  }
  for (size_t i = 0; i < b.values.size(); ++i) {
    float got;
    std::memcpy(&got, static_cast<unsigned char*>(args.dst) + 4 * i, 4);
    if (got != b.values[i]) {
      return r.Finding(absl::StrCat("wrong result: element ", i, " is ", got,
                                    ", expected ", b.values[i]));
    }
  }
  return absl::OkStatus();
}

absl::Status ToHost(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick b = r.PickFor(Kind::kBuffer, p);
  absl::Status result;
  if (b.index >= 0 && !b.bad && r.Healthy(b.index) &&
      !r.obj(b.index).may_block && r.in().OneIn(2)) {
    return Download(r, b.index);
  }
  BPL_Buffer_ToHost_Args query{};
  query.buffer = static_cast<BPL_Buffer*>(b.ptr);
  RETURN_IF_ERROR(r.Call("Buffer_ToHost(size)", p, r.api(p)->Buffer_ToHost,
                         query, ExpectFor(r, b, Expect::kOk), &result));
  const bool sized = result.ok();  // Else `needed` is a guess.
  size_t needed = sized ? query.dst_size : 16;
  uint8_t m = r.in().U8() % 3;
  Expect expect = ExpectFor(r, b, Expect::kAny);
  size_t size = needed;
  if (m == 1 && needed > 0) {
    size = needed - 1 - r.in().Pick(needed);  // Undersized.
    if (sized && !b.bad && b.index >= 0 && r.Healthy(b.index)) {
      expect = Expect::kInvalidArgument;
    }
  } else if (m == 2) {
    size = needed + 1 + r.in().Pick(64);  // Oversized.
  }
  BPL_Buffer_ToHost_Args args{};
  args.buffer = query.buffer;
  args.dst_size = size;
  args.dst = r.Keep<unsigned char>(size);
  RETURN_IF_ERROR(r.Call("Buffer_ToHost", p, r.api(p)->Buffer_ToHost, args,
                         expect, &result));
  if (!result.ok()) return absl::OkStatus();
  if (args.out_event == nullptr) return r.Finding("OK with a NULL event");
  bool may_block = b.index >= 0 && r.obj(b.index).may_block;
  return KeepEvent(r, p, args.out_event, may_block);
}

absl::Status DestroyBuffer(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick b = r.PickFor(Kind::kBuffer, p);
  BPL_Buffer_Destroy_Args args{};
  args.buffer = static_cast<BPL_Buffer*>(b.ptr);
  Expect expect = b.bad ? Expect::kInvalidArgument
                        : (b.index < 0 ? Expect::kAny : Expect::kOk);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Buffer_Destroy", p, r.api(p)->Buffer_Destroy, args,
                         expect, &result));
  if (result.ok() && b.index >= 0 && !b.bad) r.obj(b.index).live = false;
  return absl::OkStatus();
}

absl::Status DeleteBuffer(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick b = r.PickFor(Kind::kBuffer, p);
  BPL_Buffer_Delete_Args args{};
  args.buffer = static_cast<BPL_Buffer*>(b.ptr);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Buffer_Delete", p, r.api(p)->Buffer_Delete, args,
                         ExpectFor(r, b, Expect::kOk), &result));
  if (result.ok() && b.index >= 0 && !b.bad) {
    r.obj(b.index).deleted = true;
    r.obj(b.index).known = false;
  }
  return absl::OkStatus();
}

absl::Status CopyBuffer(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick b = r.PickFor(Kind::kBuffer, p);
  bool own = b.index >= 0 && !b.bad && !r.in().OneIn(6);
  const bool to_memory = r.in().OneIn(2);
  const Kind kind = to_memory ? Kind::kMemory : Kind::kDevice;
  Pick dst;
  if (own) {
    dst.index = r.PickLive(kind, p);
    own = dst.index >= 0 && r.obj(dst.index).client == r.obj(b.index).client;
    if (dst.index >= 0) dst.ptr = r.obj(dst.index).ptr;
  } else {
    dst = r.PickBad(kind, p);
  }
  Expect expect = ExpectFor(r, b, own ? Expect::kOk : Expect::kError);
  if (dst.bad) expect = ExpectFor(r, dst, expect);
  absl::Status result;
  BPL_Buffer* out = nullptr;
  if (to_memory) {
    BPL_Buffer_CopyToMemory_Args args{};
    args.buffer = static_cast<BPL_Buffer*>(b.ptr);
    args.dst_memory = static_cast<BPL_Memory*>(dst.ptr);
    RETURN_IF_ERROR(r.Call("Buffer_CopyToMemory", p,
                           r.api(p)->Buffer_CopyToMemory, args, expect,
                           &result));
    out = args.out_buffer;
  } else {
    BPL_Buffer_CopyToDevice_Args args{};
    args.buffer = static_cast<BPL_Buffer*>(b.ptr);
    args.dst_device = static_cast<BPL_Device*>(dst.ptr);
    RETURN_IF_ERROR(r.Call("Buffer_CopyToDevice", p,
                           r.api(p)->Buffer_CopyToDevice, args, expect,
                           &result));
    out = args.out_buffer;
  }
  if (!result.ok()) return absl::OkStatus();
  if (out == nullptr || b.index < 0) return r.Finding("OK with a NULL buffer");
  Obj copy = r.obj(b.index);
  copy.ptr = out;
  copy.live = true;
  copy.deleted = false;
  copy.producer = -1;
  int ci = r.Add(std::move(copy));
  // Its ready event: the copy may read the source after the call.
  BPL_Buffer_ReadyEvent_Args ready{};
  ready.buffer = out;
  RETURN_IF_ERROR(r.Call("Buffer_ReadyEvent", p, r.api(p)->Buffer_ReadyEvent,
                         ready, Expect::kAny, &result, false));
  if (!result.ok()) return absl::OkStatus();
  return KeepEvent(r, p, ready.out_event, r.obj(ci).may_block);
}

absl::Status BufferReadyEvent(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick b = r.PickFor(Kind::kBuffer, p);
  BPL_Buffer_ReadyEvent_Args args{};
  args.buffer = static_cast<BPL_Buffer*>(b.ptr);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Buffer_ReadyEvent", p, r.api(p)->Buffer_ReadyEvent,
                         args, ExpectFor(r, b, Expect::kOk), &result));
  if (!result.ok()) return absl::OkStatus();
  if (args.out_event == nullptr) return r.Finding("OK with a NULL event");
  return KeepEvent(r, p, args.out_event, r.obj(b.index).may_block);
}

}  // namespace backplane::fuzz
