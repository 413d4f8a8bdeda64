#include "tools/fuzz/abi_sequence/runner.h"

#include <chrono>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace backplane::fuzz {

namespace {

constexpr int kMaxActions = 256;

// Never handed out by any plugin (16-byte aligned, so no handle type bits).
alignas(16) unsigned char g_bogus[16];

void OnReadyCallback(const BPL_Error* error, void* user_arg) {
  auto* slot = static_cast<CallbackSlot*>(user_arg);
  int64_t code = 0;
  if (error != nullptr) {
    BPL_Error_GetCode_Args get{};
    get.struct_size = BPL_Error_GetCode_Args_STRUCT_SIZE;
    get.error = error;
    BPL_Error* e = slot->api->Error_GetCode(&get);
    code = e == nullptr ? get.out_code : -1;
    if (e != nullptr) {
      BPL_Error_Destroy_Args drop{};
      drop.struct_size = BPL_Error_Destroy_Args_STRUCT_SIZE;
      drop.error = e;
      slot->api->Error_Destroy(&drop);
    }
  }
  std::string violation;
  if (slot->runs.fetch_add(1) != 0) violation = "a callback ran twice";
  if (code < 0 || code > 16 || (error != nullptr && code == 0)) {
    violation = absl::StrCat("a callback's error has code ", code);
  }
  if (slot->destroy != nullptr) {
    BPL_Event_Destroy_Args destroy{};
    destroy.struct_size = BPL_Event_Destroy_Args_STRUCT_SIZE;
    destroy.event = slot->destroy;
    BPL_Error* e = slot->api->Event_Destroy(&destroy);
    if (e != nullptr) {
      violation = "Event_Destroy of its own event in a callback failed";
      BPL_Error_Destroy_Args drop{};
      drop.struct_size = BPL_Error_Destroy_Args_STRUCT_SIZE;
      drop.error = e;
      slot->api->Error_Destroy(&drop);
    }
  }
  CallbackTracker* tracker = slot->tracker;
  std::lock_guard<std::mutex> lock(tracker->mu);
  if (!violation.empty() && tracker->violation.empty()) {
    tracker->violation = violation;
  }
  if (!slot->done) {
    slot->done = true;
    slot->code = code;
    ++tracker->fired;
  }
  tracker->cv.notify_all();
}

}  // namespace

const char* KindName(Kind kind) {
  static const char* const kNames[kNumKinds] = {
      "client", "device",     "memory", "description",
      "buffer", "executable", "event",  "error"};
  return kNames[static_cast<int>(kind)];
}

const char* ExpectName(Expect expect) {
  switch (expect) {
    case Expect::kOk:
      return "OK";
    case Expect::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case Expect::kError:
      return "an error";
    case Expect::kOkOrInvalid:
      return "OK or INVALID_ARGUMENT";
    case Expect::kAny:
      return "anything";
  }
  return "?";
}

Runner::Runner(const std::vector<const BPL_Api*>& plugins,
               const SequenceOptions& options, SequenceStats* stats,
               const uint8_t* data, size_t size)
    : plugins_(plugins), options_(options), stats_(stats), in_(data, size) {}

Runner::~Runner() {
  // A callback that never ran may still run later: keep what it touches.
  if (leak_slots_) {
    for (auto& slot : slots_) slot.release();
    for (auto& block : keep_) block.release();
  }
}

void Runner::Log(const std::string& line) {
  if (options_.log != nullptr) options_.log->Add(line);
}

absl::Status Runner::Finding(const std::string& what) const {
  return absl::InternalError(
      absl::StrCat("finding at action ", action_, ": ", current_, ": ", what));
}

absl::Status Runner::Run() {
  absl::Status finding;
  while (!in_.Done() && action_ < kMaxActions && finding.ok()) {
    int op = in_.U8() % kNumActions;
    ++action_;
    ++stats_->actions;
    finding = RunAction(op);
  }
  current_ = "teardown";
  Log("teardown");
  teardown_ = true;
  for (Obj& o : kept_errors_) Add(std::move(o));
  kept_errors_.clear();
  absl::Status teardown = Teardown();
  return finding.ok() ? teardown : finding;
}

absl::Status Runner::RunAction(int op) {
  for (Obj& o : kept_errors_) Add(std::move(o));
  kept_errors_.clear();
  current_ = absl::StrCat("action op ", op);
  Log(absl::StrCat("action ", action_, ": op ", op));
  return RunActionOp(*this, op);
}

int Runner::Add(Obj obj) {
  pool_.push_back(std::move(obj));
  return static_cast<int>(pool_.size()) - 1;
}

int Runner::Intern(Kind kind, int plugin, void* ptr, int client) {
  for (size_t i = 0; i < pool_.size(); ++i) {
    const Obj& o = pool_[i];
    if (o.kind == kind && o.plugin == plugin && o.ptr == ptr && o.live &&
        o.client == client) {
      return static_cast<int>(i);
    }
  }
  Obj o;
  o.kind = kind;
  o.plugin = plugin;
  o.ptr = ptr;
  o.client = client;
  return Add(std::move(o));
}

bool Runner::ClientLive(int index) const {
  int client = pool_[index].client;
  return client < 0 || pool_[client].live;
}

bool Runner::Healthy(int index) const {
  if (index < 0) return false;
  const Obj& o = pool_[index];
  return o.live && !o.deleted && !o.doomed && ClientLive(index);
}

int Runner::PickLive(Kind kind, int plugin) {
  std::vector<int> candidates;
  for (size_t i = 0; i < pool_.size(); ++i) {
    const Obj& o = pool_[i];
    if (o.kind == kind && o.live && !o.doomed &&
        (plugin < 0 || o.plugin == plugin)) {
      candidates.push_back(static_cast<int>(i));
    }
  }
  if (candidates.empty()) return -1;
  return candidates[in_.Pick(candidates.size())];
}

Pick Runner::PickBad(Kind kind, int plugin) {
  std::vector<int> stale, foreign, mistyped;
  for (size_t i = 0; i < pool_.size(); ++i) {
    const Obj& o = pool_[i];
    if (o.doomed) continue;
    if (o.kind == kind && o.plugin == plugin && !o.live) {
      stale.push_back(static_cast<int>(i));
    } else if (o.kind == kind && o.plugin != plugin) {
      foreign.push_back(static_cast<int>(i));
    } else if (o.kind != kind && o.plugin == plugin && o.live) {
      mistyped.push_back(static_cast<int>(i));
    }
  }
  Pick p;
  p.bad = true;
  const std::vector<int>* lists[3] = {&stale, &foreign, &mistyped};
  const char* names[3] = {"stale", "foreign", "mistyped"};
  int which = static_cast<int>(in_.Pick(4));
  if (which < 3 && !lists[which]->empty()) {
    const std::vector<int>& list = *lists[which];
    p.index = list[in_.Pick(list.size())];
    p.ptr = pool_[p.index].ptr;
    p.how = names[which];
    Log(absl::StrCat("  bad ", KindName(kind), ": ", p.how, " ",
                     KindName(pool_[p.index].kind), " #", p.index,
                     " of plugin ", pool_[p.index].plugin));
    return p;
  }
  p.ptr = g_bogus;
  p.how = "bogus";
  Log(absl::StrCat("  bad ", KindName(kind), ": bogus pointer"));
  return p;
}

Pick Runner::PickFor(Kind kind, int plugin) {
  uint8_t m = in_.U8();
  if (m < 200) {
    Pick p;
    p.index = PickLive(kind, plugin);
    if (p.index >= 0) {
      p.ptr = pool_[p.index].ptr;
      p.how = "live";
      return p;
    }
  }
  if (m >= 250) return Pick();  // NULL.
  return PickBad(kind, plugin);
}

void Runner::Unsettle(int exe) {
  for (Obj& o : pool_) {
    if (o.kind == Kind::kBuffer && o.producer == exe) o.known = false;
  }
}

absl::Status Runner::CheckErrorOf(int plugin, BPL_Error* error,
                                  absl::Status* status) {
  const BPL_Api* a = api(plugin);
  BPL_Error_GetCode_Args get{};
  get.struct_size = BPL_Error_GetCode_Args_STRUCT_SIZE;
  get.error = error;
  ++stats_->calls;
  ++stats_->calls_per_plugin[plugin];
  if (BPL_Error* e = a->Error_GetCode(&get)) {
    DropError(plugin, e);
    return Finding("Error_GetCode of a fresh error failed");
  }
  BPL_Error_Message_Args message{};
  message.struct_size = BPL_Error_Message_Args_STRUCT_SIZE;
  message.error = error;
  ++stats_->calls;
  ++stats_->calls_per_plugin[plugin];
  if (BPL_Error* e = a->Error_Message(&message)) {
    DropError(plugin, e);
    return Finding("Error_Message of a fresh error failed");
  }
  if (get.out_code < 1 || get.out_code > 16) {
    return Finding(absl::StrCat("an error has invalid code ", get.out_code));
  }
  if (message.out_message == nullptr || message.out_message_size == 0 ||
      std::strlen(message.out_message) != message.out_message_size) {
    return Finding("an error has an empty or unterminated message");
  }
  *status =
      absl::Status(static_cast<absl::StatusCode>(get.out_code),
                   std::string(message.out_message, message.out_message_size));
  return absl::OkStatus();
}

absl::Status Runner::TakeError(int plugin, BPL_Error* error,
                               absl::Status* status) {
  *status = absl::OkStatus();
  if (error == nullptr) return absl::OkStatus();
  absl::Status finding = CheckErrorOf(plugin, error, status);
  if (!finding.ok()) {
    DropError(plugin, error);
    return finding;
  }
  if (!teardown_ && in_.OneIn(8)) {
    // Kept, for Error_* calls with stale or foreign ones; enters the pool
    // before the next action (so no action's Obj& goes stale meanwhile).
    Obj o;
    o.kind = Kind::kError;
    o.plugin = plugin;
    o.ptr = error;
    kept_errors_.push_back(std::move(o));
    return absl::OkStatus();
  }
  BPL_Error_Destroy_Args destroy{};
  destroy.struct_size = BPL_Error_Destroy_Args_STRUCT_SIZE;
  destroy.error = error;
  ++stats_->calls;
  ++stats_->calls_per_plugin[plugin];
  if (BPL_Error* e = api(plugin)->Error_Destroy(&destroy)) {
    DropError(plugin, e);
    return Finding("Error_Destroy of a live error failed");
  }
  return absl::OkStatus();
}

void Runner::DropError(int plugin, BPL_Error* error) {
  if (error == nullptr) return;
  BPL_Error_Destroy_Args destroy{};
  destroy.struct_size = BPL_Error_Destroy_Args_STRUCT_SIZE;
  destroy.error = error;
  DropError(plugin, api(plugin)->Error_Destroy(&destroy));
}

absl::Status Runner::Track(int plugin, BPL_Event* event, bool destroy,
                           bool fuzz_size, CallbackSlot** slot_out,
                           Expect expect) {
  auto slot = std::make_unique<CallbackSlot>();
  slot->tracker = &tracker_;
  slot->api = api(plugin);
  slot->destroy = destroy ? event : nullptr;
  BPL_Event_OnReady_Args args{};
  args.event = event;
  args.callback = &OnReadyCallback;
  args.user_arg = slot.get();
  {
    // Counted before the call: the callback may run inside it.
    std::lock_guard<std::mutex> lock(tracker_.mu);
    ++tracker_.registered;
  }
  absl::Status result;
  absl::Status finding =
      Call("Event_OnReady", plugin, api(plugin)->Event_OnReady, args, expect,
           &result, fuzz_size);
  if (!result.ok() || !finding.ok()) {
    std::lock_guard<std::mutex> lock(tracker_.mu);
    if (slot->done) {
      leak_slots_ = true;
      slots_.push_back(std::move(slot));
      return finding.ok() ? Finding("a callback ran though OnReady failed")
                          : finding;
    }
    --tracker_.registered;
    return finding;
  }
  if (slot_out != nullptr) *slot_out = slot.get();
  slots_.push_back(std::move(slot));
  return absl::OkStatus();
}

absl::Status Runner::WaitSlot(CallbackSlot* slot, int64_t* code) {
  std::unique_lock<std::mutex> lock(tracker_.mu);
  if (!tracker_.cv.wait_for(
          lock, std::chrono::seconds(options_.event_timeout_seconds),
          [&] { return slot->done; })) {
    leak_slots_ = true;
    return Finding(absl::StrCat("an event did not complete within ",
                                options_.event_timeout_seconds, " s (hang)"));
  }
  *code = slot->code;
  return absl::OkStatus();
}

absl::Status Runner::Wait(int plugin, BPL_Event* event, int64_t* code) {
  CallbackSlot* slot = nullptr;
  RETURN_IF_ERROR(Track(plugin, event, false, false, &slot));
  return WaitSlot(slot, code);
}

// ---------------------------------------------------------------- teardown

absl::Status Runner::SetFrameworkEvents() {
  for (size_t i = 0; i < pool_.size(); ++i) {
    Obj& o = pool_[i];
    if (o.kind != Kind::kEvent || !o.live || !o.framework || o.set) continue;
    BPL_Event_Set_Args set{};
    set.event = static_cast<BPL_Event*>(o.ptr);
    absl::Status result;
    RETURN_IF_ERROR(Call("Event_Set", o.plugin, api(o.plugin)->Event_Set, set,
                         o.doomed ? Expect::kAny : Expect::kOk, &result,
                         false));
    o.set = true;
  }
  return absl::OkStatus();
}

absl::Status Runner::WaitCallbacks() {
  std::unique_lock<std::mutex> lock(tracker_.mu);
  if (!tracker_.cv.wait_for(
          lock, std::chrono::seconds(options_.event_timeout_seconds),
          [&] { return tracker_.fired == tracker_.registered; })) {
    leak_slots_ = true;
    return Finding(absl::StrCat(tracker_.registered - tracker_.fired,
                                " callbacks did not run within ",
                                options_.event_timeout_seconds, " s (hang)"));
  }
  if (!tracker_.violation.empty()) return Finding(tracker_.violation);
  return absl::OkStatus();
}

absl::Status Runner::DestroyAll() {
  // Everything but clients first, then clients (either order is defined).
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < pool_.size(); ++i) {
      Obj& o = pool_[i];
      if (!o.live || o.doomed || (o.kind == Kind::kClient) != (pass == 1)) {
        continue;
      }
      absl::Status result;
      const BPL_Api* a = api(o.plugin);
      current_ = absl::StrCat("teardown of ", KindName(o.kind), " ", i);
      if (o.kind == Kind::kBuffer) {
        BPL_Buffer_Destroy_Args d{};
        d.buffer = static_cast<BPL_Buffer*>(o.ptr);
        RETURN_IF_ERROR(Call("Buffer_Destroy", o.plugin, a->Buffer_Destroy, d,
                             Expect::kOk, &result, false));
      } else if (o.kind == Kind::kExecutable) {
        BPL_Executable_Destroy_Args d{};
        d.executable = static_cast<BPL_Executable*>(o.ptr);
        RETURN_IF_ERROR(Call("Executable_Destroy", o.plugin,
                             a->Executable_Destroy, d, Expect::kOk, &result,
                             false));
      } else if (o.kind == Kind::kEvent) {
        BPL_Event_Destroy_Args d{};
        d.event = static_cast<BPL_Event*>(o.ptr);
        RETURN_IF_ERROR(Call("Event_Destroy", o.plugin, a->Event_Destroy, d,
                             Expect::kOk, &result, false));
      } else if (o.kind == Kind::kError) {
        BPL_Error_Destroy_Args d{};
        d.error = static_cast<BPL_Error*>(o.ptr);
        RETURN_IF_ERROR(Call("Error_Destroy", o.plugin, a->Error_Destroy, d,
                             Expect::kOk, &result, false));
      } else if (o.kind == Kind::kClient) {
        BPL_Client_Destroy_Args d{};
        d.client = static_cast<BPL_Client*>(o.ptr);
        RETURN_IF_ERROR(Call("Client_Destroy", o.plugin, a->Client_Destroy, d,
                             Expect::kOk, &result, false));
      }
      o.live = false;
    }
  }
  return absl::OkStatus();
}

absl::Status Runner::Teardown() {
  // Past the input's end every fuzz byte reads 0: exact struct sizes.
  absl::Status set = SetFrameworkEvents();
  absl::Status waited = WaitCallbacks();
  absl::Status destroyed = DestroyAll();
  // Destroying the last handles may complete more events (cancelled runs).
  absl::Status waited_again = WaitCallbacks();
  if (!set.ok()) return set;
  if (!waited.ok()) return waited;
  if (!destroyed.ok()) return destroyed;
  return waited_again;
}

}  // namespace backplane::fuzz
