#include "api/cpp/event.h"

#include <memory>
#include <string>
#include <utility>

#include "base/status_macros.h"

namespace backplane {

Event::~Event() {
  if (event_ != nullptr && BPL_API_HAS(api_.api, Event_Destroy)) {
    BPL_Event_Destroy_Args args{};
    args.struct_size = BPL_Event_Destroy_Args_STRUCT_SIZE;
    args.event = event_;
    internal::ToStatus(api_.api, api_.api->Event_Destroy(&args)).IgnoreError();
  }
}

Event::Event(Event&& other) noexcept
    : api_(std::move(other.api_)),
      event_(std::exchange(other.event_, nullptr)) {}

Event& Event::operator=(Event&& other) noexcept {
  if (this != &other) {
    Event dying(std::move(*this));
    api_ = std::move(other.api_);
    event_ = std::exchange(other.event_, nullptr);
  }
  return *this;
}

absl::StatusOr<Event> Event::Create(const ApiRef& api) {
  BPL_Event_Create_Args args{};
  args.struct_size = BPL_Event_Create_Args_STRUCT_SIZE;
  RETURN_IF_ERROR(BPL_CALL(api.api, Event_Create, &args));
  return Event(api, args.out_event);
}

absl::StatusOr<bool> Event::IsReady() const {
  BPL_Event_IsReady_Args args{};
  args.struct_size = BPL_Event_IsReady_Args_STRUCT_SIZE;
  args.event = event_;
  RETURN_IF_ERROR(BPL_CALL(api_.api, Event_IsReady, &args));
  return args.out_is_ready;
}

absl::Status Event::Await() const {
  BPL_Event_Await_Args args{};
  args.struct_size = BPL_Event_Await_Args_STRUCT_SIZE;
  args.event = event_;
  return BPL_CALL(api_.api, Event_Await, &args);
}

absl::Status Event::status() const {
  BPL_Event_Error_Args args{};
  args.struct_size = BPL_Event_Error_Args_STRUCT_SIZE;
  args.event = event_;
  RETURN_IF_ERROR(BPL_CALL(api_.api, Event_Error, &args));
  return internal::ToStatus(api_.api, args.out_error);
}

namespace {
struct CallbackState {
  const BPL_Api* api;
  std::function<void(absl::Status)> callback;
};

void Trampoline(const BPL_Error* error, void* user_arg) {
  std::unique_ptr<CallbackState> state(static_cast<CallbackState*>(user_arg));
  state->callback(internal::PeekStatus(state->api, error));
}
}  // namespace

absl::Status Event::OnReady(std::function<void(absl::Status)> callback) const {
  auto state = std::make_unique<CallbackState>();
  state->api = api_.api;
  state->callback = std::move(callback);
  BPL_Event_OnReady_Args args{};
  args.struct_size = BPL_Event_OnReady_Args_STRUCT_SIZE;
  args.event = event_;
  args.callback = &Trampoline;
  args.user_arg = state.get();
  absl::Status status = BPL_CALL(api_.api, Event_OnReady, &args);
  if (status.ok()) state.release();  // The trampoline owns it now.
  return status;
}

absl::Status Event::Set(const absl::Status& status) const {
  BPL_Event_Set_Args args{};
  args.struct_size = BPL_Event_Set_Args_STRUCT_SIZE;
  args.event = event_;
  args.error_code = static_cast<int64_t>(status.code());
  std::string message(status.message());
  args.error_message = message.c_str();
  args.error_message_size = message.size();
  return BPL_CALL(api_.api, Event_Set, &args);
}

}  // namespace backplane
