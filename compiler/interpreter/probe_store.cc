#include "compiler/interpreter/probe_store.h"

namespace backplane::interpreter {

void ProbeStore::Record(const std::string& id, const ir::Literal& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  probes_[id].push_back(value);
}

std::optional<ir::Literal> ProbeStore::Find(const std::string& id,
                                            int64_t iteration) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = probes_.find(id);
  if (it == probes_.end() || iteration < 0 ||
      iteration >= static_cast<int64_t>(it->second.size())) {
    return std::nullopt;
  }
  return it->second[iteration];
}

}  // namespace backplane::interpreter
