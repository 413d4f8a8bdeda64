// SingleMemoryDevice: a kit::Device with exactly one memory space of its own
// (its default memory), as host devices and most accelerators have.
//
//   class MyDevice : public kit::SingleMemoryDevice {
//    public:
//     explicit MyDevice(int64_t id) : SingleMemoryDevice(id, "hbm") {}
//     absl::string_view kind() const override { return "my-chip"; }
//     std::string debug_string() const override { return "my-chip:0"; }
//   };
//
// The device owns its DeviceMemory, whose id is the device's id.
#ifndef BACKPLANE_PLUGINS_KIT_SINGLE_MEMORY_DEVICE_H_
#define BACKPLANE_PLUGINS_KIT_SINGLE_MEMORY_DEVICE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "plugins/kit/plugin.h"

namespace backplane::kit {

// A memory space attached to one device.
class DeviceMemory final : public Memory {
 public:
  DeviceMemory(Device* device, int64_t id, absl::string_view kind)
      : device_(device), id_(id), kind_(kind) {}
  int64_t id() const override { return id_; }
  absl::string_view kind() const override { return kind_; }
  std::vector<Device*> devices() const override { return {device_}; }

 private:
  Device* device_;
  int64_t id_;
  std::string kind_;
};

class SingleMemoryDevice : public Device {
 public:
  int64_t id() const final { return id_; }
  std::vector<Memory*> memories() const final { return {&memory_}; }
  Memory* default_memory() const final { return &memory_; }

 protected:
  // `memory_kind` is the memory's kind ("host", "hbm", ...).
  SingleMemoryDevice(int64_t id, absl::string_view memory_kind)
      : id_(id), memory_(this, id, memory_kind) {}

 private:
  int64_t id_;
  // Mutable: the Device interface hands out non-const Memory pointers.
  mutable DeviceMemory memory_;
};

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_SINGLE_MEMORY_DEVICE_H_
