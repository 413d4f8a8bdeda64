#include "plugins/kit/host_buffer.h"

#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "plugins/kit/host_allocator.h"

namespace backplane::kit {

absl::StatusOr<std::shared_ptr<HostMemoryBuffer>> HostMemoryBuffer::Allocate(
    Shape shape, Device* device, Memory* memory, std::shared_ptr<Event> ready) {
  const int64_t bytes = shape.byte_size();
  void* data = HostAllocator::Default().Allocate(static_cast<size_t>(bytes));
  if (data == nullptr) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "cannot allocate ", bytes, " bytes for ", shape.ToString()));
  }
  auto buffer = std::shared_ptr<HostMemoryBuffer>(new HostMemoryBuffer());
  buffer->shape_ = std::move(shape);
  buffer->device_ = device;
  buffer->memory_ = memory;
  buffer->ready_ = std::move(ready);
  buffer->data_ = data;
  buffer->owned_ = true;
  buffer->writable_ = true;
  return buffer;
}

std::shared_ptr<HostMemoryBuffer> HostMemoryBuffer::Alias(
    const void* data, Shape shape, Device* device, Memory* memory,
    bool mutable_alias, std::shared_ptr<Event> ready) {
  auto buffer = std::shared_ptr<HostMemoryBuffer>(new HostMemoryBuffer());
  buffer->shape_ = std::move(shape);
  buffer->device_ = device;
  buffer->memory_ = memory;
  buffer->ready_ = std::move(ready);
  buffer->data_ = const_cast<void*>(data);
  buffer->owned_ = false;
  buffer->writable_ = mutable_alias;
  return buffer;
}

HostMemoryBuffer::~HostMemoryBuffer() {
  if (owned_) {
    if (accounting_) accounting_(-shape_.byte_size());
    HostAllocator::Default().Free(data_,
                                  static_cast<size_t>(shape_.byte_size()));
  }
}

void HostMemoryBuffer::set_accounting(Accounting accounting) {
  accounting_ = std::move(accounting);
  if (owned_ && accounting_) accounting_(shape_.byte_size());
}

std::shared_ptr<Event> HostMemoryBuffer::CopyToHost(void* dst) {
  auto done = std::make_shared<Event>();
  // Keep this buffer alive until the copy ran, even if its handle goes.
  std::shared_ptr<HostMemoryBuffer> self = shared_from_this();
  ready_->OnReady([self, dst, done](const absl::Status& status) {
    if (status.ok()) {
      std::memcpy(dst, self->data_,
                  static_cast<size_t>(self->shape_.byte_size()));
    }
    done->Set(status).IgnoreError();
  });
  return done;
}

absl::StatusOr<std::shared_ptr<Buffer>> HostMemoryBuffer::CopyToMemory(
    Memory* memory) {
  std::vector<Device*> devices = memory->devices();
  Device* device = devices.empty() ? device_ : devices[0];
  auto done = std::make_shared<Event>();
  ASSIGN_OR_RETURN(auto copy, Allocate(shape_, device, memory, done));
  copy->set_accounting(accounting_);
  std::shared_ptr<HostMemoryBuffer> target = copy;
  std::shared_ptr<HostMemoryBuffer> self = shared_from_this();
  ready_->OnReady([self, target, done](const absl::Status& status) {
    if (status.ok()) {
      std::memcpy(target->data_, self->data_,
                  static_cast<size_t>(self->shape_.byte_size()));
    }
    done->Set(status).IgnoreError();
  });
  return std::shared_ptr<Buffer>(std::move(copy));
}

}  // namespace backplane::kit
