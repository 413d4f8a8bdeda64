// HostClient: the kit::Client of a plugin whose devices address host memory
// (a CPU backend, an interpreter, the hello example). It owns the devices,
// lists them and their memories, and makes buffers from host data as
// HostMemoryBuffers: the zero-copy semantics alias the caller's memory,
// the others copy it. A plugin derives from it and adds what is its own:
//
//   class MyClient : public kit::HostClient {
//    public:
//     MyClient() : HostClient(MakeDevices()) {}
//     absl::string_view platform_name() const override { return "mine"; }
//     absl::string_view platform_version() const override { return "1.0"; }
//     ... Compile and DeserializeExecutable ...
//   };
//
// A plugin whose devices have memory of their own (sim_accelerator) derives
// from kit::Client instead and writes its own Buffer.
#ifndef BACKPLANE_PLUGINS_KIT_HOST_CLIENT_H_
#define BACKPLANE_PLUGINS_KIT_HOST_CLIENT_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "plugins/kit/event.h"
#include "plugins/kit/plugin.h"

namespace backplane::kit {

class HostClient : public Client {
 public:
  std::vector<Device*> devices() const final;
  // Every device's memories, in device order.
  std::vector<Memory*> memories() const final;
  // With IMMUTABLE_ZERO_COPY or MUTABLE_ZERO_COPY the buffer aliases
  // `host.data` and is ready when `wait` is; otherwise the data is copied
  // into a new buffer once `wait` completes (at once when it has).
  absl::StatusOr<BufferFromHostResult> BufferFromHost(
      const HostBuffer& host, Memory* memory,
      std::shared_ptr<Event> wait) final;

 protected:
  // `devices`, in id order, address host memory (their buffers are
  // HostMemoryBuffers).
  explicit HostClient(std::vector<std::unique_ptr<Device>> devices);

  size_t num_devices() const { return devices_.size(); }
  // The device at `index` in id order.
  Device* device(size_t index) const { return devices_[index].get(); }

 private:
  std::vector<std::unique_ptr<Device>> devices_;
};

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_HOST_CLIENT_H_
