// Cancellation of one execution: a deadline and a cancel flag that long
// running code (interpreter loops and calls, simulated loops) polls.
//
//   auto cancel = std::make_shared<base::Cancellation>(
//       base::Cancellation::Clock::now() + std::chrono::seconds(1));
//   ...  // Another thread may call cancel->Cancel().
//   RETURN_IF_ERROR(cancel->Check(), "while loop at %s", where);
//
// Check() is cheap: one relaxed atomic load, plus one steady_clock read when
// a deadline is set. It returns CANCELLED once Cancel() was called and
// DEADLINE_EXCEEDED once the deadline has passed, OK otherwise. Thread-safe.
// Whoever starts the execution owns the object (usually through a
// shared_ptr shared with whoever may cancel it); pollers only borrow it.
//
// Code that cannot pass the object down (a plugin calling into layers that
// take no cancellation argument) installs it for the current thread:
//
//   base::ScopedCancellation scope(cancellation.get());
//   program->Run(...);  // The interpreter polls base::CurrentCancellation().
#ifndef BACKPLANE_BASE_CANCELLATION_H_
#define BACKPLANE_BASE_CANCELLATION_H_

#include <atomic>
#include <chrono>

#include "absl/status/status.h"

namespace backplane::base {

class Cancellation {
 public:
  using Clock = std::chrono::steady_clock;

  // Never expires; only Cancel() ends it.
  Cancellation() = default;
  // Expires at `deadline`.
  explicit Cancellation(Clock::time_point deadline);
  Cancellation(const Cancellation&) = delete;
  Cancellation& operator=(const Cancellation&) = delete;

  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  bool has_deadline() const { return has_deadline_; }
  Clock::time_point deadline() const { return deadline_; }

  // OK, CANCELLED or DEADLINE_EXCEEDED (with the deadline's overrun).
  absl::Status Check() const;
  // As Check(), with the time already read by the caller.
  absl::Status CheckAt(Clock::time_point now) const;

 private:
  std::atomic<bool> cancelled_{false};
  bool has_deadline_ = false;
  Clock::time_point deadline_{};
};

// Check() on `cancellation`, OK when it is null (nothing to poll).
inline absl::Status CheckCancellation(const Cancellation* cancellation) {
  return cancellation == nullptr ? absl::OkStatus() : cancellation->Check();
}

// The cancellation installed on this thread by ScopedCancellation, or null.
const Cancellation* CurrentCancellation();

// Installs `cancellation` (borrowed; may be null) as this thread's current
// one for the scope's life, restoring the previous one afterwards.
class ScopedCancellation {
 public:
  explicit ScopedCancellation(const Cancellation* cancellation);
  ~ScopedCancellation();
  ScopedCancellation(const ScopedCancellation&) = delete;
  ScopedCancellation& operator=(const ScopedCancellation&) = delete;

 private:
  const Cancellation* previous_;
};

}  // namespace backplane::base

#endif  // BACKPLANE_BASE_CANCELLATION_H_
