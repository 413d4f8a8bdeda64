// Event actions: framework events (create, set, destroy unset), callbacks
// that destroy their event, awaits and queries of event state.
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "tools/fuzz/abi_sequence/actions.h"

namespace backplane::fuzz {

absl::Status CreateEvent(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  BPL_Event_Create_Args args{};
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Event_Create", p, r.api(p)->Event_Create, args,
                         Expect::kOk, &result));
  if (!result.ok()) return absl::OkStatus();
  if (args.out_event == nullptr) return r.Finding("OK with a NULL event");
  Obj e;
  e.kind = Kind::kEvent;
  e.plugin = p;
  e.ptr = args.out_event;
  e.framework = true;
  r.Add(std::move(e));
  return absl::OkStatus();
}

absl::Status SetEvent(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick e = r.PickFor(Kind::kEvent, p);
  BPL_Event_Set_Args args{};
  args.event = static_cast<BPL_Event*>(e.ptr);
  uint8_t m = r.in().U8() % 8;
  Expect expect = Expect::kOk;
  if (m == 1) {
    args.error_code = 1 + r.in().Pick(16);
    args.error_message = r.in().OneIn(2) ? "fuzz: upstream failed" : nullptr;
    args.error_message_size =
        args.error_message == nullptr ? 0 : std::strlen(args.error_message);
  } else if (m == 2) {
    args.error_code = r.in().OneIn(2) ? -1 : 17 + r.in().Pick(100);
    expect = Expect::kInvalidArgument;
  }
  if (e.index >= 0 && !e.bad) {
    const Obj& o = r.obj(e.index);
    // Set twice, or a plugin's event: FAILED_PRECONDITION.
    if (!o.framework || o.set) expect = Expect::kError;
  }
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Event_Set", p, r.api(p)->Event_Set, args,
                         ExpectFor(r, e, expect), &result));
  if (result.ok() && e.index >= 0 && !e.bad) r.obj(e.index).set = true;
  return absl::OkStatus();
}

absl::Status DestroyEvent(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick e = r.PickFor(Kind::kEvent, p);
  BPL_Event_Destroy_Args args{};
  args.event = static_cast<BPL_Event*>(e.ptr);
  Expect expect = e.bad ? Expect::kInvalidArgument
                        : (e.index < 0 ? Expect::kAny : Expect::kOk);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Event_Destroy", p, r.api(p)->Event_Destroy, args,
                         expect, &result));
  if (result.ok() && e.index >= 0 && !e.bad) r.obj(e.index).live = false;
  return absl::OkStatus();
}

absl::Status OnReady(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick e = r.PickFor(Kind::kEvent, p);
  if (e.index < 0 && !e.bad) return absl::OkStatus();
  const bool destroy = !e.bad && r.in().OneIn(3);
  Expect expect = e.bad ? Expect::kInvalidArgument : Expect::kOk;
  CallbackSlot* slot = nullptr;
  RETURN_IF_ERROR(
      r.Track(p, static_cast<BPL_Event*>(e.ptr), destroy, true, &slot, expect));
  if (destroy && slot != nullptr) r.obj(e.index).doomed = true;
  return absl::OkStatus();
}

absl::Status Await(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick e = r.PickFor(Kind::kEvent, p);
  const BPL_Api* a = r.api(p);
  absl::Status result;
  uint8_t m = r.in().U8() % 3;
  const bool blocking = e.index >= 0 && !e.bad &&
                        (r.obj(e.index).may_block ||
                         (r.obj(e.index).framework && !r.obj(e.index).set));
  if (m == 0 && !blocking) {
    // Its error is the event's: any code, checked like every error.
    BPL_Event_Await_Args args{};
    args.event = static_cast<BPL_Event*>(e.ptr);
    return r.Call("Event_Await", p, a->Event_Await, args,
                  e.bad ? Expect::kInvalidArgument : Expect::kAny, &result);
  }
  if (m == 1) {
    BPL_Event_Error_Args args{};
    args.event = static_cast<BPL_Event*>(e.ptr);
    RETURN_IF_ERROR(r.Call("Event_Error", p, a->Event_Error, args,
                           ExpectFor(r, e, Expect::kOk), &result));
    if (!result.ok() || args.out_error == nullptr) return absl::OkStatus();
    absl::Status event_status;
    return r.TakeError(p, args.out_error, &event_status);
  }
  BPL_Event_IsReady_Args args{};
  args.event = static_cast<BPL_Event*>(e.ptr);
  return r.Call("Event_IsReady", p, a->Event_IsReady, args,
                ExpectFor(r, e, Expect::kOk), &result);
}

}  // namespace backplane::fuzz
