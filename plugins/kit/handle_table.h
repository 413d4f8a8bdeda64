// The table behind every opaque handle a kit-built plugin hands out. Private
// to the kit (api.cc, status.cc): vendors never see it.
//
//   uintptr_t h = HandleTable::Get().Insert(HandleType::kBuffer, object);
//   ASSIGN_OR_RETURN(std::shared_ptr<BufferObject> buffer,
//                    HandleTable::Get().Lookup<BufferObject>(
//                        h, HandleType::kBuffer, "buffer"));
//   ASSIGN_OR_RETURN(std::shared_ptr<void> last,
//                    HandleTable::Get().Remove(h, HandleType::kBuffer,
//                                              "buffer"));
//
// A handle is a number, never an address: slot index, object type and the
// slot's generation, which changes every time the slot is freed. So a stale
// (destroyed), double-destroyed, mistyped or foreign handle is found
// missing instead of being dereferenced, and a stale handle never names the
// newer object that reuses its slot. Generations start at a random value
// per table, so a handle of another plugin library (another table) matches
// by accident with probability about 2^-32; raw pointers (16-byte aligned,
// so type bits 0) never match.
//
// Ownership: an owned entry (Insert) holds the object until Remove; a
// borrowed entry (InsertBorrowed) holds only a weak reference to the
// object's owner and fails lookups once the owner is gone. Lookup returns a
// shared_ptr, so the object lives for the whole call even if another thread
// (or a callback run by the call) removes it meanwhile.
//
// Thread-safe; one short mutex-protected section per operation.
#ifndef BACKPLANE_PLUGINS_KIT_HANDLE_TABLE_H_
#define BACKPLANE_PLUGINS_KIT_HANDLE_TABLE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace backplane::kit {

enum class HandleType : uint8_t {
  kError = 1,
  kEvent,
  kClient,
  kDevice,
  kDeviceDescription,
  kMemory,
  kBuffer,
  kExecutable,
  kStatistics,
};

class HandleTable {
 public:
  // The table of this plugin library.
  static HandleTable& Get();

  explicit HandleTable(uint32_t first_generation);
  HandleTable(const HandleTable&) = delete;
  HandleTable& operator=(const HandleTable&) = delete;

  uintptr_t Insert(HandleType type, std::shared_ptr<void> object);
  uintptr_t InsertBorrowed(HandleType type, void* object,
                           std::weak_ptr<void> owner);

  // The live object `handle` names, or INVALID_ARGUMENT naming `what`.
  template <typename T>
  absl::StatusOr<std::shared_ptr<T>> Lookup(uintptr_t handle, HandleType type,
                                            const char* what) const {
    std::shared_ptr<void> keep;
    void* object = nullptr;
    absl::Status status = Find(handle, type, what, &keep, &object);
    if (!status.ok()) return status;
    return std::shared_ptr<T>(std::move(keep), static_cast<T*>(object));
  }

  // Frees the slot; returns the owned object (released by the caller,
  // outside the table's lock), or INVALID_ARGUMENT as Lookup.
  absl::StatusOr<std::shared_ptr<void>> Remove(uintptr_t handle,
                                               HandleType type,
                                               const char* what);

  // Live entries (for tests).
  size_t size() const;

 private:
  struct Slot {
    uint32_t generation = 0;
    HandleType type = HandleType::kError;
    bool used = false;
    void* object = nullptr;
    std::shared_ptr<void> owned;
    std::weak_ptr<void> owner;  // Borrowed entries only.
  };

  uintptr_t Add(HandleType type, void* object, std::shared_ptr<void> owned,
                std::weak_ptr<void> owner);
  absl::Status Find(uintptr_t handle, HandleType type, const char* what,
                    std::shared_ptr<void>* keep, void** object) const;
  // The slot `handle` names if it is live and of `type`; NULL otherwise.
  const Slot* SlotOf(uintptr_t handle, HandleType type) const;

  const uint32_t first_generation_;
  mutable std::mutex mu_;
  std::vector<Slot> slots_;     // Guarded by mu_.
  std::vector<uint32_t> free_;  // Guarded by mu_.
  size_t live_ = 0;             // Guarded by mu_.
};

// A C handle type's value and back.
template <typename H>
H* ToHandle(uintptr_t value) {
  return reinterpret_cast<H*>(value);
}
template <typename H>
uintptr_t FromHandle(const H* handle) {
  return reinterpret_cast<uintptr_t>(handle);
}

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_HANDLE_TABLE_H_
