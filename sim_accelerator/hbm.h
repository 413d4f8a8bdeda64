// One chip's HBM as an allocation space with a fixed capacity. Buffers and
// executions reserve bytes here; a reservation that does not fit fails with
// RESOURCE_EXHAUSTED stating the sizes and changes nothing.
//
//   HbmSpace hbm("sim:0", 16 << 30);
//   absl::StatusOr<HbmReservation> r = hbm.Reserve(bytes, "buffer f32[4]");
//   // ... the bytes are released when `r` is destroyed.
#ifndef BACKPLANE_SIM_ACCELERATOR_HBM_H_
#define BACKPLANE_SIM_ACCELERATOR_HBM_H_

#include <cstdint>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backplane::sim {

// Allocations are rounded up to this many bytes (one HBM burst row).
inline constexpr int64_t kHbmGranule = 256;

class HbmSpace;

// Owns reserved bytes of an HbmSpace; movable, releases on destruction.
class HbmReservation {
 public:
  HbmReservation() = default;
  HbmReservation(HbmReservation&& other) noexcept;
  HbmReservation& operator=(HbmReservation&& other) noexcept;
  HbmReservation(const HbmReservation&) = delete;
  HbmReservation& operator=(const HbmReservation&) = delete;
  ~HbmReservation();

  int64_t bytes() const { return bytes_; }

 private:
  friend class HbmSpace;
  HbmReservation(HbmSpace* space, int64_t bytes)
      : space_(space), bytes_(bytes) {}
  HbmSpace* space_ = nullptr;
  int64_t bytes_ = 0;
};

struct HbmStats {
  int64_t bytes_in_use = 0;
  int64_t peak_bytes_in_use = 0;
  int64_t num_allocs = 0;
  int64_t largest_alloc_size = 0;
  int64_t bytes_limit = 0;
};

class HbmSpace {
 public:
  HbmSpace(std::string name, int64_t capacity)
      : name_(std::move(name)), capacity_(capacity) {}

  // Reserves `bytes` (rounded up to kHbmGranule); `what` names the request
  // in the error.
  absl::StatusOr<HbmReservation> Reserve(int64_t bytes, absl::string_view what);
  HbmStats stats() const;
  int64_t capacity() const { return capacity_; }

 private:
  friend class HbmReservation;
  void Release(int64_t bytes);

  const std::string name_;
  const int64_t capacity_;
  mutable std::mutex mu_;
  HbmStats stats_;
};

}  // namespace backplane::sim

#endif  // BACKPLANE_SIM_ACCELERATOR_HBM_H_
