// HostMemoryBuffer: a kit::Buffer whose device memory is ordinary host
// memory. For plugins whose devices share the host's address space (CPU
// backends, interpreters, the hello example); a vendor with real device
// memory writes its own Buffer instead.
//
// The contents are written once, by whoever creates the buffer (a transfer
// or an execution), before its ready event completes. Readers wait for the
// ready event.
#ifndef BACKPLANE_PLUGINS_KIT_HOST_BUFFER_H_
#define BACKPLANE_PLUGINS_KIT_HOST_BUFFER_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "plugins/kit/event.h"
#include "plugins/kit/plugin.h"

namespace backplane::kit {

class HostMemoryBuffer : public Buffer,
                         public std::enable_shared_from_this<HostMemoryBuffer> {
 public:
  // Allocates 64-byte aligned storage, uninitialised: the producer (a
  // transfer or an execution) writes every byte before completing `ready`,
  // and zeroing first would double the cost of large transfers. Returns
  // RESOURCE_EXHAUSTED when the allocation fails.
  static absl::StatusOr<std::shared_ptr<HostMemoryBuffer>> Allocate(
      Shape shape, Device* device, Memory* memory,
      std::shared_ptr<Event> ready);

  // Aliases `data` (zero-copy host buffer semantics). `mutable_alias` says
  // whether the plugin may write to it (MUTABLE_ZERO_COPY).
  static std::shared_ptr<HostMemoryBuffer> Alias(const void* data, Shape shape,
                                                 Device* device, Memory* memory,
                                                 bool mutable_alias,
                                                 std::shared_ptr<Event> ready);

  ~HostMemoryBuffer() override;

  const Shape& shape() const override { return shape_; }
  Device* device() const override { return device_; }
  Memory* memory() const override { return memory_; }
  int64_t on_device_size() const override { return shape_.byte_size(); }
  std::shared_ptr<Event> ready_event() const override { return ready_; }
  std::shared_ptr<Event> CopyToHost(void* dst) override;
  absl::StatusOr<std::shared_ptr<Buffer>> CopyToMemory(Memory* memory) override;

  const void* data() const { return data_; }
  // NULL for immutable aliases: such memory must never be written.
  void* mutable_data() { return writable_ ? data_ : nullptr; }
  bool owns_memory() const { return owned_; }

  // Called with +bytes on allocation and -bytes on release, for memory
  // statistics; set before buffers are made.
  using Accounting = std::function<void(int64_t bytes)>;
  void set_accounting(Accounting accounting);

 private:
  HostMemoryBuffer() = default;
  Shape shape_;
  Device* device_ = nullptr;
  Memory* memory_ = nullptr;
  std::shared_ptr<Event> ready_;
  void* data_ = nullptr;
  bool owned_ = false;
  bool writable_ = false;
  Accounting accounting_;
};

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_HOST_BUFFER_H_
