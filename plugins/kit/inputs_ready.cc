#include "plugins/kit/inputs_ready.h"

#include <vector>

namespace backplane::kit {

bool InputsComplete(const std::shared_ptr<Event>& wait,
                    absl::Span<const std::shared_ptr<Buffer>> buffers,
                    absl::Status* status) {
  if (wait != nullptr && !wait->IsReady()) return false;
  for (const auto& buffer : buffers) {
    if (!buffer->ready_event()->IsReady()) return false;
  }
  *status = wait == nullptr ? absl::OkStatus() : wait->status();
  for (size_t i = 0; status->ok() && i < buffers.size(); ++i) {
    *status = buffers[i]->ready_event()->status();
  }
  return true;
}

std::shared_ptr<Event> InputsReady(
    const std::shared_ptr<Event>& wait,
    absl::Span<const std::shared_ptr<Buffer>> buffers) {
  std::vector<std::shared_ptr<Event>> events;
  events.reserve(buffers.size() + 1);
  if (wait != nullptr) events.push_back(wait);
  for (const auto& buffer : buffers) events.push_back(buffer->ready_event());
  return AllOf(events);
}

}  // namespace backplane::kit
