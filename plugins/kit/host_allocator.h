// HostAllocator: the memory behind HostMemoryBuffer, with a cache of large
// blocks.
//
//   void* p = HostAllocator::Default().Allocate(bytes);  // 64-byte aligned
//   ...
//   HostAllocator::Default().Free(p, bytes);
//
// Why a cache: the C library returns large blocks to the kernel on free, so
// the next large transfer faults every page in again, and faulting costs
// more than the copy (a 256 MiB host-to-device transfer ran at a third of
// memcpy speed). Frameworks transfer the same sizes over and over (weights,
// batches), so released blocks of 1 MiB or more are kept, up to a byte
// limit, and handed out again for a request of the same rounded size. Large
// blocks are also advised onto transparent huge pages. PyTorch's caching
// host allocator makes the same trade.
#ifndef BACKPLANE_PLUGINS_KIT_HOST_ALLOCATOR_H_
#define BACKPLANE_PLUGINS_KIT_HOST_ALLOCATOR_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>

namespace backplane::kit {

class HostAllocator {
 public:
  // Blocks at least this large are cached; smaller ones go straight back.
  static constexpr size_t kMinCachedBytes = size_t{1} << 20;

  explicit HostAllocator(size_t cache_limit_bytes);
  ~HostAllocator();
  HostAllocator(const HostAllocator&) = delete;
  HostAllocator& operator=(const HostAllocator&) = delete;

  // The process-wide allocator (cache limit 1 GiB). Never destroyed, so
  // buffers released during exit stay safe.
  static HostAllocator& Default();

  // 64-byte aligned, uninitialised; NULL when memory is exhausted.
  void* Allocate(size_t bytes);
  // `bytes` must be the size given to Allocate.
  void Free(void* data, size_t bytes);
  // Returns every cached block to the system.
  void Trim();

  size_t cached_bytes() const;

 private:
  static size_t RoundedSize(size_t bytes);

  const size_t cache_limit_bytes_;
  mutable std::mutex mu_;
  std::multimap<size_t, void*> cache_;  // Rounded size -> block.
  size_t cached_bytes_ = 0;
};

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_HOST_ALLOCATOR_H_
