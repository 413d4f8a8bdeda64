#include "sim_accelerator/hbm.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace backplane::sim {

HbmReservation::HbmReservation(HbmReservation&& other) noexcept
    : space_(std::exchange(other.space_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)) {}

HbmReservation& HbmReservation::operator=(HbmReservation&& other) noexcept {
  if (this != &other) {
    if (space_ != nullptr) space_->Release(bytes_);
    space_ = std::exchange(other.space_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

HbmReservation::~HbmReservation() {
  if (space_ != nullptr) space_->Release(bytes_);
}

absl::StatusOr<HbmReservation> HbmSpace::Reserve(int64_t bytes,
                                                 absl::string_view what) {
  if (bytes < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": negative size ", bytes));
  }
  // Rounded without overflow: sizes beyond the capacity fail below anyway.
  const int64_t rounded =
      bytes > capacity_ ? bytes
                        : (bytes + kHbmGranule - 1) / kHbmGranule * kHbmGranule;
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t free = capacity_ - stats_.bytes_in_use;
  if (rounded > free) {
    return absl::ResourceExhaustedError(
        absl::StrCat("out of HBM on ", name_, ": ", what, " needs ", bytes,
                     " bytes but only ", free, " of ", capacity_,
                     " bytes are free (", stats_.bytes_in_use, " in use)"));
  }
  stats_.bytes_in_use += rounded;
  stats_.peak_bytes_in_use =
      std::max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
  ++stats_.num_allocs;
  stats_.largest_alloc_size = std::max(stats_.largest_alloc_size, rounded);
  return HbmReservation(this, rounded);
}

void HbmSpace::Release(int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  stats_.bytes_in_use -= bytes;
}

HbmStats HbmSpace::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  HbmStats s = stats_;
  s.bytes_limit = capacity_;
  return s;
}

}  // namespace backplane::sim
