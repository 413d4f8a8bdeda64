#include "plugins/kit/pending_executions.h"

#include <algorithm>

namespace backplane::kit {

void PendingExecutions::Add(
    const std::shared_ptr<base::Cancellation>& cancellation) {
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked();
  pending_.push_back(cancellation);
}

void PendingExecutions::CancelAll() {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& weak : pending_) {
    if (std::shared_ptr<base::Cancellation> c = weak.lock()) c->Cancel();
  }
  PruneLocked();
}

void PendingExecutions::PruneLocked() {
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                [](const auto& w) { return w.expired(); }),
                 pending_.end());
}

}  // namespace backplane::kit
