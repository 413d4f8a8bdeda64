// Shardy's sharding syntax: `sdy.mesh @m = <["x"=2, "y"=4]>` meshes and
// `#sdy.sharding<@m, [{"x"}, {}]>` tensor shardings, parsed and validated.
//
//   ASSIGN_OR_RETURN(Mesh mesh, ParseSdyMesh("<[\"x\"=2, \"y\"=4]>"));
//   ASSIGN_OR_RETURN(SdySharding s, ParseSdySharding(
//       "#sdy.sharding<@m, [{\"x\"}, {\"y\":(1)2, ?}], replicated={\"z\"}>"));
//   RETURN_IF_ERROR(ValidateSdySharding(s, mesh, /*rank=*/2));
//
// A mesh is a list of named axes (row-major over the devices) and
// optionally `device_ids=[...]`, a permutation of its devices. A tensor
// sharding names its mesh (or writes one inline, `mesh<[...]>`) and gives
// one dimension sharding per tensor dimension: the axes that split it,
// major first (`"y":(k)m` is the sub-axis of size m after k), `?` when the
// dimension is open to further sharding, `p<N>` a priority; then
// `replicated={...}` and `unreduced={...}` axes.
#ifndef BACKPLANE_COMPILER_SHARDING_SDY_SHARDING_H_
#define BACKPLANE_COMPILER_SHARDING_SDY_SHARDING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backplane::sharding {

struct MeshAxis {
  std::string name;
  int64_t size = 1;
};

struct Mesh {
  std::vector<MeshAxis> axes;
  std::vector<int64_t> device_ids;  // Empty: 0..N-1 in order.
  // Product of the axis sizes (1 for an empty mesh).
  int64_t num_devices() const;
  const MeshAxis* Find(absl::string_view name) const;
};

struct AxisRef {
  std::string name;
  int64_t pre_size = 1;  // Sub-axis "name":(pre_size)size; whole axis when
  int64_t size = -1;     // size is -1.
};

struct DimSharding {
  std::vector<AxisRef> axes;
  bool open = false;
  int64_t priority = -1;  // -1: none.
};

struct SdySharding {
  std::string mesh_name;  // Empty with an inline mesh.
  std::optional<Mesh> inline_mesh;
  std::vector<DimSharding> dims;
  std::vector<AxisRef> replicated;
  std::vector<AxisRef> unreduced;
};

// The mesh text from `<` to `>` as `sdy.mesh` writes it.
absl::StatusOr<Mesh> ParseSdyMesh(absl::string_view text);
// The whole attribute, `#sdy.sharding<...>`.
absl::StatusOr<SdySharding> ParseSdySharding(absl::string_view text);

// One dimension sharding per dimension of a rank-`rank` tensor; every axis
// exists in `mesh` (a sub-axis divides its axis); no axis is used twice.
absl::Status ValidateSdySharding(const SdySharding& sharding, const Mesh& mesh,
                                 int64_t rank);

}  // namespace backplane::sharding

#endif  // BACKPLANE_COMPILER_SHARDING_SDY_SHARDING_H_
