#include "plugins/kit/event.h"

#include <atomic>
#include <utility>

namespace backplane::kit {

std::shared_ptr<Event> Event::Ready(absl::Status status) {
  auto event = std::make_shared<Event>();
  event->Set(std::move(status)).IgnoreError();
  return event;
}

absl::Status Event::Set(absl::Status status) {
  std::vector<std::function<void(const absl::Status&)>> callbacks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ready_) {
      return absl::FailedPreconditionError("event is already complete");
    }
    ready_ = true;
    status_ = status;
    callbacks.swap(callbacks_);
  }
  ready_cv_.notify_all();
  // Run outside the lock, from locals only: a callback may query or destroy
  // this event (its handle may hold the last reference), so `this` must not
  // be touched once the first callback has run.
  for (auto& callback : callbacks) callback(status);
  return absl::OkStatus();
}

bool Event::IsReady() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ready_;
}

absl::Status Event::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

absl::Status Event::Await() const {
  std::unique_lock<std::mutex> lock(mu_);
  ready_cv_.wait(lock, [this] { return ready_; });
  return status_;
}

void Event::OnReady(std::function<void(const absl::Status&)> callback) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!ready_) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback(status());
}

std::shared_ptr<Event> AllOf(absl::Span<const std::shared_ptr<Event>> events) {
  if (events.empty()) return Event::Ready();
  if (events.size() == 1) return events[0];
  auto all = std::make_shared<Event>();
  struct State {
    std::atomic<size_t> remaining;
    std::mutex mu;
    absl::Status first_error;
  };
  auto state = std::make_shared<State>();
  state->remaining = events.size();
  for (const auto& event : events) {
    event->OnReady([state, all](const absl::Status& status) {
      if (!status.ok()) {
        std::lock_guard<std::mutex> lock(state->mu);
        if (state->first_error.ok()) state->first_error = status;
      }
      if (state->remaining.fetch_sub(1) == 1) {
        absl::Status result;
        {
          std::lock_guard<std::mutex> lock(state->mu);
          result = state->first_error;
        }
        all->Set(result).IgnoreError();
      }
    });
  }
  return all;
}

}  // namespace backplane::kit
