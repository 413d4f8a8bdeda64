#include "plugins/kit/handle_table.h"

#include <random>
#include <utility>

#include "absl/strings/str_cat.h"

namespace backplane::kit {
namespace {

// Handle layout: generation in bits 32-63, slot index in bits 4-31, type in
// bits 0-3 (never 0, so no handle is NULL and no aligned pointer is one).
constexpr int kTypeBits = 4;
constexpr uint64_t kTypeMask = (uint64_t{1} << kTypeBits) - 1;
constexpr uint64_t kMaxSlots = (uint64_t{1} << (32 - kTypeBits)) - 1;

static_assert(sizeof(uintptr_t) == 8, "handles need 64-bit pointers");

uint64_t Encode(uint32_t generation, uint32_t index, HandleType type) {
  return (uint64_t{generation} << 32) | (uint64_t{index} << kTypeBits) |
         static_cast<uint64_t>(type);
}

uint32_t RandomGeneration() {
  std::random_device device;
  uint32_t value = device();
  return value == 0 ? 1 : value;
}

}  // namespace

HandleTable& HandleTable::Get() {
  // Never destroyed: handles may be used by static destructors and threads
  // that outlive main.
  static HandleTable* table = new HandleTable(RandomGeneration());
  return *table;
}

HandleTable::HandleTable(uint32_t first_generation)
    : first_generation_(first_generation) {}

uintptr_t HandleTable::Insert(HandleType type, std::shared_ptr<void> object) {
  void* raw = object.get();
  return Add(type, raw, std::move(object), {});
}

uintptr_t HandleTable::InsertBorrowed(HandleType type, void* object,
                                      std::weak_ptr<void> owner) {
  return Add(type, object, nullptr, std::move(owner));
}

uintptr_t HandleTable::Add(HandleType type, void* object,
                           std::shared_ptr<void> owned,
                           std::weak_ptr<void> owner) {
  std::lock_guard<std::mutex> lock(mu_);
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    if (slots_.size() >= kMaxSlots) {
      // 268 million live handles: the process is out of memory anyway.
      std::terminate();
    }
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
    slots_.back().generation = first_generation_;
  }
  Slot& slot = slots_[index];
  slot.used = true;
  slot.type = type;
  slot.object = object;
  slot.owned = std::move(owned);
  slot.owner = std::move(owner);
  ++live_;
  return Encode(slot.generation, index, type);
}

const HandleTable::Slot* HandleTable::SlotOf(uintptr_t handle,
                                             HandleType type) const {
  const uint64_t value = handle;
  if ((value & kTypeMask) != static_cast<uint64_t>(type)) return nullptr;
  const uint64_t index = (value & 0xFFFFFFFFu) >> kTypeBits;
  if (index >= slots_.size()) return nullptr;
  const Slot& slot = slots_[index];
  if (!slot.used || slot.type != type ||
      slot.generation != static_cast<uint32_t>(value >> 32)) {
    return nullptr;
  }
  return &slot;
}

absl::Status HandleTable::Find(uintptr_t handle, HandleType type,
                               const char* what, std::shared_ptr<void>* keep,
                               void** object) const {
  if (handle == 0) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is NULL"));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    const Slot* slot = SlotOf(handle, type);
    if (slot != nullptr) {
      *keep = slot->owned != nullptr ? slot->owned : slot->owner.lock();
      if (*keep != nullptr) {
        *object = slot->object;
        return absl::OkStatus();
      }
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      what,
      " is not a live handle of its type (destroyed, of another type "
      "or of another plugin)"));
}

absl::StatusOr<std::shared_ptr<void>> HandleTable::Remove(uintptr_t handle,
                                                          HandleType type,
                                                          const char* what) {
  if (handle == 0) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is NULL"));
  }
  std::shared_ptr<void> owned;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const Slot* found = SlotOf(handle, type);
    if (found == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(what,
                       " is not a live handle of its type (already "
                       "destroyed, of another type or of another plugin)"));
    }
    const uint32_t index =
        static_cast<uint32_t>((uint64_t{handle} & 0xFFFFFFFFu) >> kTypeBits);
    Slot& slot = slots_[index];
    owned = std::move(slot.owned);
    slot.owner.reset();
    slot.object = nullptr;
    slot.used = false;
    --live_;
    // A slot whose generation would come round again is retired, so no
    // handle ever names two objects.
    if (++slot.generation != first_generation_) free_.push_back(index);
  }
  return owned;
}

size_t HandleTable::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_;
}

}  // namespace backplane::kit
