// Completion events for plugins built with the kit.
//
// An Event completes exactly once, with OK or an error. Plugins create one
// per asynchronous result, hand it to the kit (which wraps it as BPL_Event),
// and call Set() when the work is done:
//
//   auto done = std::make_shared<kit::Event>();
//   pool.Schedule([done] { ...; done->Set(absl::OkStatus()); });
//   return done;
//
// Callbacks registered with OnReady run exactly once: on the thread that
// calls Set(), or at once on the registering thread if already complete.
// A callback may destroy the event (drop the last reference to it); the
// remaining callbacks still run.
#ifndef BACKPLANE_PLUGINS_KIT_EVENT_H_
#define BACKPLANE_PLUGINS_KIT_EVENT_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace backplane::kit {

class Event {
 public:
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  // An event that is already complete.
  static std::shared_ptr<Event> Ready(absl::Status status = absl::OkStatus());

  // Completes the event. Returns FAILED_PRECONDITION if it was complete.
  absl::Status Set(absl::Status status);

  bool IsReady() const;
  // The completion status; OK while pending.
  absl::Status status() const;
  // Blocks until complete and returns the completion status.
  absl::Status Await() const;
  void OnReady(std::function<void(const absl::Status&)> callback);

 private:
  // std::mutex rather than absl::Mutex: Debian's abseil is not built with
  // ThreadSanitizer annotations, so its mutexes are invisible to --config=tsan.
  mutable std::mutex mu_;
  mutable std::condition_variable ready_cv_;
  bool ready_ = false;   // Guarded by mu_.
  absl::Status status_;  // Guarded by mu_.
  std::vector<std::function<void(const absl::Status&)>> callbacks_;  // mu_.
};

// Completes when all `events` complete: with the first error among them, or
// OK. With no events, ready at once.
std::shared_ptr<Event> AllOf(absl::Span<const std::shared_ptr<Event>> events);

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_EVENT_H_
