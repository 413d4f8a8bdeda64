#include "plugins/kit/host_allocator.h"

#include <sys/mman.h>

#include <cstdlib>

namespace backplane::kit {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

// Advice only: without transparent huge page support the block keeps
// ordinary pages.
void AdviseHugePages(void* data, size_t bytes) {
  if (bytes >= kHugePage) madvise(data, bytes, MADV_HUGEPAGE);
}

}  // namespace

HostAllocator::HostAllocator(size_t cache_limit_bytes)
    : cache_limit_bytes_(cache_limit_bytes) {}

HostAllocator::~HostAllocator() { Trim(); }

HostAllocator& HostAllocator::Default() {
  static HostAllocator* const allocator = new HostAllocator(size_t{1} << 30);
  return *allocator;
}

size_t HostAllocator::RoundedSize(size_t bytes) {
  if (bytes < kMinCachedBytes) return bytes == 0 ? 64 : (bytes + 63) / 64 * 64;
  // Large blocks in whole huge pages, so that near sizes share blocks and
  // the advice covers all of them.
  return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

void* HostAllocator::Allocate(size_t bytes) {
  const size_t rounded = RoundedSize(bytes);
  if (rounded >= kMinCachedBytes) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(rounded);
    if (it != cache_.end()) {
      void* data = it->second;
      cache_.erase(it);
      cached_bytes_ -= rounded;
      return data;
    }
  }
  const size_t alignment = rounded >= kMinCachedBytes ? kHugePage : 64;
  void* data = std::aligned_alloc(alignment, rounded);
  if (data != nullptr && rounded >= kMinCachedBytes) {
    AdviseHugePages(data, rounded);
  }
  return data;
}

void HostAllocator::Free(void* data, size_t bytes) {
  if (data == nullptr) return;
  const size_t rounded = RoundedSize(bytes);
  if (rounded >= kMinCachedBytes) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cached_bytes_ + rounded <= cache_limit_bytes_) {
      cache_.emplace(rounded, data);
      cached_bytes_ += rounded;
      return;
    }
  }
  std::free(data);
}

void HostAllocator::Trim() {
  std::multimap<size_t, void*> blocks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    blocks.swap(cache_);
    cached_bytes_ = 0;
  }
  for (const auto& [size, data] : blocks) std::free(data);
}

size_t HostAllocator::cached_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cached_bytes_;
}

}  // namespace backplane::kit
