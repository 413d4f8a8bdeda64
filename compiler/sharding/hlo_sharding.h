// XLA's sharding strings, as exports carry them in `mhlo.sharding`
// attributes: parsed, validated against a tensor and a device count, and
// printed back in XLA's canonical spelling.
//
//   ASSIGN_OR_RETURN(HloSharding s,
//                    ParseHloSharding("{devices=[2,1,2]<=[4] "
//                                     "last_tile_dim_replicate}"));
//   RETURN_IF_ERROR(ValidateHloSharding(s, /*rank=*/2, /*num_devices=*/4));
//   s.devices;             // {0, 1, 2, 3}, the iota list expanded
//   ToString(s);           // the same text back
//
// Forms (XLA's HloSharding::ToString):
//   {replicated}  {manual}  {unknown}  {maximal device=N}
//   {devices=[d0,d1,...]i0,i1,...}      explicit device list
//   {devices=[d0,d1,...]<=[n0,n1,...]}  iota list: 0..N-1 reshaped to
//   {devices=[...]<=[n0,n1]T(1,0)}      [n0,n1,...], transposed, flattened
//   ... last_tile_dim_replicate          the last tile dimension replicates
//   ... last_tile_dims={manual, replicated}  the last tile dimensions are
//                                        manual / replicated subgroups
//   {{...}, {...}}                       tuple: one sharding per element
// `metadata={...}` after a sharding is accepted and dropped.
#ifndef BACKPLANE_COMPILER_SHARDING_HLO_SHARDING_H_
#define BACKPLANE_COMPILER_SHARDING_HLO_SHARDING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backplane::sharding {

enum class SubgroupKind { kReplicated, kManual };

struct HloSharding {
  enum class Kind { kReplicated, kManual, kUnknown, kMaximal, kTiled, kTuple };
  Kind kind = Kind::kReplicated;
  int64_t device = -1;  // kMaximal.

  // kTiled: the tile grid, one entry per tensor dimension, then one for
  // last_tile_dim_replicate, then one per last_tile_dims entry.
  std::vector<int64_t> tile_dims;
  // Which device holds each tile, row-major over tile_dims (an iota list is
  // expanded here too).
  std::vector<int64_t> devices;
  // The iota form it was written in (empty `iota_reshape`: explicit list).
  std::vector<int64_t> iota_reshape;
  std::vector<int64_t> iota_transpose;  // Empty: no transpose.
  bool last_tile_dim_replicate = false;
  std::vector<SubgroupKind> last_tile_dims;

  std::vector<HloSharding> tuple;  // kTuple.

  // Tensor dimensions a kTiled sharding tiles (tile_dims without the
  // trailing replicate and subgroup dimensions).
  int64_t tiled_rank() const;
};

// INVALID_ARGUMENT naming the offset and what was expected.
absl::StatusOr<HloSharding> ParseHloSharding(absl::string_view text);

// XLA's spelling: iota lists stay iota, explicit lists explicit.
std::string ToString(const HloSharding& sharding);

// Checks a (non-tuple) sharding against a tensor of `rank` dimensions on
// `num_devices` devices: the tile grid has one dimension per tensor
// dimension (plus the replicate/subgroup ones), its size is the number of
// listed devices, every device is in [0, num_devices) and listed once, and
// a maximal device exists. INVALID_ARGUMENT naming the sharding and the
// rule otherwise.
absl::Status ValidateHloSharding(const HloSharding& sharding, int64_t rank,
                                 int64_t num_devices);

}  // namespace backplane::sharding

#endif  // BACKPLANE_COMPILER_SHARDING_HLO_SHARDING_H_
