// Event: a framework-side handle to a BPL_Event.
//
//   RETURN_IF_ERROR(buffer.ReadyEvent()->Await());
//
// Events made with Event::Create are completed by the framework with Set();
// pass them as dependencies (wait events) to transfers and executions.
#ifndef BACKPLANE_API_CPP_EVENT_H_
#define BACKPLANE_API_CPP_EVENT_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/backplane_c_api.h"
#include "api/cpp/api_ref.h"

namespace backplane {

class Event {
 public:
  Event() = default;
  Event(ApiRef api, BPL_Event* event) : api_(std::move(api)), event_(event) {}
  ~Event();
  Event(Event&& other) noexcept;
  Event& operator=(Event&& other) noexcept;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  // A framework-owned event, pending until Set().
  static absl::StatusOr<Event> Create(const ApiRef& api);

  bool valid() const { return event_ != nullptr; }
  BPL_Event* get() const { return event_; }

  absl::StatusOr<bool> IsReady() const;
  // Blocks until complete; returns the event's status.
  absl::Status Await() const;
  // The completion status once ready (OK while pending).
  absl::Status status() const;
  // `callback` runs exactly once, with the completion status.
  absl::Status OnReady(std::function<void(absl::Status)> callback) const;
  // Completes a framework-created event.
  absl::Status Set(const absl::Status& status) const;

 private:
  ApiRef api_;
  BPL_Event* event_ = nullptr;
};

}  // namespace backplane

#endif  // BACKPLANE_API_CPP_EVENT_H_
