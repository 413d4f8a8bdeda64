#include "base/cancellation.h"

#include "absl/strings/str_cat.h"

namespace backplane::base {
namespace {

thread_local const Cancellation* current_cancellation = nullptr;

}  // namespace

const Cancellation* CurrentCancellation() { return current_cancellation; }

ScopedCancellation::ScopedCancellation(const Cancellation* cancellation)
    : previous_(current_cancellation) {
  current_cancellation = cancellation;
}

ScopedCancellation::~ScopedCancellation() { current_cancellation = previous_; }

Cancellation::Cancellation(Clock::time_point deadline)
    : has_deadline_(true), deadline_(deadline) {}

absl::Status Cancellation::Check() const {
  if (cancelled()) return CheckAt(Clock::time_point{});
  if (!has_deadline_) return absl::OkStatus();
  return CheckAt(Clock::now());
}

absl::Status Cancellation::CheckAt(Clock::time_point now) const {
  if (cancelled()) {
    return absl::CancelledError("the execution was cancelled");
  }
  if (has_deadline_ && now >= deadline_) {
    const auto over =
        std::chrono::duration_cast<std::chrono::microseconds>(now - deadline_);
    return absl::DeadlineExceededError(absl::StrCat(
        "the execution passed its deadline (by ", over.count(), " us)"));
  }
  return absl::OkStatus();
}

}  // namespace backplane::base
