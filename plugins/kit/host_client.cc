#include "plugins/kit/host_client.h"

#include <cstring>
#include <utility>

#include "base/status_macros.h"
#include "plugins/kit/host_buffer.h"

namespace backplane::kit {

HostClient::HostClient(std::vector<std::unique_ptr<Device>> devices)
    : devices_(std::move(devices)) {}

std::vector<Device*> HostClient::devices() const {
  std::vector<Device*> out;
  out.reserve(devices_.size());
  for (const auto& d : devices_) out.push_back(d.get());
  return out;
}

std::vector<Memory*> HostClient::memories() const {
  std::vector<Memory*> out;
  for (const auto& d : devices_) {
    for (Memory* m : d->memories()) out.push_back(m);
  }
  return out;
}

absl::StatusOr<BufferFromHostResult> HostClient::BufferFromHost(
    const HostBuffer& host, Memory* memory, std::shared_ptr<Event> wait) {
  Device* device = memory->devices()[0];
  BufferFromHostResult result;
  if (host.semantics == BPL_HOST_BUFFER_IMMUTABLE_ZERO_COPY ||
      host.semantics == BPL_HOST_BUFFER_MUTABLE_ZERO_COPY) {
    // Host memory is device memory: alias it. The data becomes valid when
    // the framework's dependencies complete.
    result.buffer = HostMemoryBuffer::Alias(
        host.data, host.shape, device, memory,
        host.semantics == BPL_HOST_BUFFER_MUTABLE_ZERO_COPY, wait);
    result.done_with_host_buffer = Event::Ready();
    return result;
  }
  auto ready = std::make_shared<Event>();
  ASSIGN_OR_RETURN(
      std::shared_ptr<HostMemoryBuffer> target,
      HostMemoryBuffer::Allocate(host.shape, device, memory, ready));
  const void* src = host.data;
  const size_t bytes = static_cast<size_t>(host.shape.byte_size());
  // memcpy's pointers must be valid even for zero bytes, so empty arrays
  // copy nothing.
  auto copy = [target, src, bytes](const absl::Status& status) {
    if (status.ok() && bytes > 0) {
      std::memcpy(target->mutable_data(), src, bytes);
    }
  };
  if (wait == nullptr || wait->IsReady()) {
    // Always so for COPY_DURING_CALL: the kit completes `wait` first, so
    // the copy is done before this returns, as that semantics demands.
    const absl::Status status =
        wait == nullptr ? absl::OkStatus() : wait->status();
    copy(status);
    ready->Set(status).IgnoreError();
    result.done_with_host_buffer = Event::Ready();
  } else {
    auto done_with_host = std::make_shared<Event>();
    wait->OnReady([copy, ready, done_with_host](const absl::Status& status) {
      copy(status);
      done_with_host->Set(absl::OkStatus()).IgnoreError();
      ready->Set(status).IgnoreError();
    });
    result.done_with_host_buffer = std::move(done_with_host);
  }
  result.buffer = std::move(target);
  return result;
}

}  // namespace backplane::kit
