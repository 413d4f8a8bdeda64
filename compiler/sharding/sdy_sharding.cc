#include "compiler/sharding/sdy_sharding.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/sharding/text_reader.h"

namespace backplane::sharding {
namespace {

using internal::Reader;

// `<[...], device_ids=[...]>` after the reader stands at '<'.
absl::StatusOr<Mesh> ReadMesh(Reader& r) {
  Mesh mesh;
  RETURN_IF_ERROR(r.Expect("<"));
  RETURN_IF_ERROR(r.Expect("["));
  if (!r.Consume("]")) {
    do {
      MeshAxis axis;
      ASSIGN_OR_RETURN(axis.name, r.String());
      RETURN_IF_ERROR(r.Expect("="));
      ASSIGN_OR_RETURN(axis.size, r.Int());
      mesh.axes.push_back(std::move(axis));
    } while (r.Consume(","));
    RETURN_IF_ERROR(r.Expect("]"));
  }
  if (r.Consume(",")) {
    RETURN_IF_ERROR(r.Expect("device_ids="));
    ASSIGN_OR_RETURN(mesh.device_ids, r.IntList('[', ']'));
  }
  RETURN_IF_ERROR(r.Expect(">"));
  absl::flat_hash_set<std::string> names;
  std::vector<int64_t> sizes;
  for (const MeshAxis& a : mesh.axes) {
    sizes.push_back(a.size);
    if (!names.insert(a.name).second) {
      return r.Error(absl::StrCat("axis \"", a.name, "\" named once"));
    }
  }
  ASSIGN_OR_RETURN(const int64_t devices, r.DeviceCount(sizes, "mesh axes"));
  if (!mesh.device_ids.empty()) {
    std::vector<int64_t> sorted = mesh.device_ids;
    std::sort(sorted.begin(), sorted.end());
    const bool maximal =
        mesh.axes.empty() && sorted.size() == 1 && sorted[0] >= 0;
    bool permutation = static_cast<int64_t>(sorted.size()) == devices;
    for (size_t i = 0; permutation && i < sorted.size(); ++i) {
      permutation = sorted[i] == static_cast<int64_t>(i);
    }
    if (!maximal && !permutation) {
      return r.Error(absl::StrCat("device_ids to be a permutation of the ",
                                  devices, " devices"));
    }
  }
  return mesh;
}

// "name" or "name":(pre)size.
absl::StatusOr<AxisRef> ReadAxisRef(Reader& r) {
  AxisRef ref;
  ASSIGN_OR_RETURN(ref.name, r.String());
  if (r.Consume(":")) {
    RETURN_IF_ERROR(r.Expect("("));
    ASSIGN_OR_RETURN(ref.pre_size, r.Int());
    RETURN_IF_ERROR(r.Expect(")"));
    ASSIGN_OR_RETURN(ref.size, r.Int());
  }
  return ref;
}

// {"a", "b":(1)2, ?}p3 or {} or {?}.
absl::StatusOr<DimSharding> ReadDim(Reader& r) {
  DimSharding dim;
  RETURN_IF_ERROR(r.Expect("{"));
  if (!r.Consume("}")) {
    do {
      if (r.Consume("?")) {
        dim.open = true;
        break;
      }
      ASSIGN_OR_RETURN(AxisRef ref, ReadAxisRef(r));
      dim.axes.push_back(std::move(ref));
    } while (r.Consume(","));
    RETURN_IF_ERROR(r.Expect("}"));
  }
  if (r.Consume("p")) {
    ASSIGN_OR_RETURN(dim.priority, r.Int());
  }
  return dim;
}

absl::StatusOr<std::vector<AxisRef>> ReadAxisSet(Reader& r) {
  std::vector<AxisRef> axes;
  RETURN_IF_ERROR(r.Expect("{"));
  if (r.Consume("}")) return axes;
  do {
    ASSIGN_OR_RETURN(AxisRef ref, ReadAxisRef(r));
    axes.push_back(std::move(ref));
  } while (r.Consume(","));
  RETURN_IF_ERROR(r.Expect("}"));
  return axes;
}

std::string RefName(const AxisRef& a) {
  return a.size < 0
             ? absl::StrCat("\"", a.name, "\"")
             : absl::StrCat("\"", a.name, "\":(", a.pre_size, ")", a.size);
}

}  // namespace

int64_t Mesh::num_devices() const {
  int64_t n = 1;
  for (const MeshAxis& a : axes) n *= a.size;
  return n;
}

const MeshAxis* Mesh::Find(absl::string_view name) const {
  for (const MeshAxis& a : axes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

absl::StatusOr<Mesh> ParseSdyMesh(absl::string_view text) {
  Reader r(text);
  ASSIGN_OR_RETURN(Mesh mesh, ReadMesh(r));
  if (!r.AtEnd()) return r.Error("the end after the mesh");
  return mesh;
}

absl::StatusOr<SdySharding> ParseSdySharding(absl::string_view text) {
  Reader r(text);
  SdySharding s;
  RETURN_IF_ERROR(r.Expect("#sdy.sharding"));
  RETURN_IF_ERROR(r.Expect("<"));
  if (r.Consume("@")) {
    s.mesh_name = r.Identifier();
    if (s.mesh_name.empty()) return r.Error("a mesh name after '@'");
  } else if (r.Consume("mesh")) {
    ASSIGN_OR_RETURN(Mesh mesh, ReadMesh(r));
    s.inline_mesh = std::move(mesh);
  } else {
    return r.Error("@mesh_name or mesh<...>");
  }
  RETURN_IF_ERROR(r.Expect(","));
  RETURN_IF_ERROR(r.Expect("["));
  if (!r.Consume("]")) {
    do {
      ASSIGN_OR_RETURN(DimSharding dim, ReadDim(r));
      s.dims.push_back(std::move(dim));
    } while (r.Consume(","));
    RETURN_IF_ERROR(r.Expect("]"));
  }
  while (r.Consume(",")) {
    if (r.Consume("replicated=")) {
      ASSIGN_OR_RETURN(s.replicated, ReadAxisSet(r));
    } else if (r.Consume("unreduced=")) {
      ASSIGN_OR_RETURN(s.unreduced, ReadAxisSet(r));
    } else {
      return r.Error("replicated={...} or unreduced={...}");
    }
  }
  RETURN_IF_ERROR(r.Expect(">"));
  if (!r.AtEnd()) return r.Error("the end after the sharding");
  return s;
}

absl::Status ValidateSdySharding(const SdySharding& s, const Mesh& mesh,
                                 int64_t rank) {
  auto error = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("sdy.sharding: ", why));
  };
  if (static_cast<int64_t>(s.dims.size()) != rank) {
    return error(absl::StrCat("shards ", s.dims.size(),
                              " dimensions but the tensor has ", rank));
  }
  absl::flat_hash_set<std::string> whole, parts;
  auto use = [&](const AxisRef& a) -> absl::Status {
    const MeshAxis* axis = mesh.Find(a.name);
    if (axis == nullptr) {
      return error(absl::StrCat("axis \"", a.name, "\" is not in the mesh"));
    }
    if (a.size >= 0) {
      if (a.pre_size < 1 || a.size < 2 ||
          axis->size % (a.pre_size * a.size) != 0) {
        return error(absl::StrCat("sub-axis ", RefName(a),
                                  " does not divide axis \"", a.name,
                                  "\" of size ", axis->size));
      }
      if (whole.contains(a.name) || !parts.insert(RefName(a)).second) {
        return error(absl::StrCat(RefName(a), " is used twice"));
      }
      return absl::OkStatus();
    }
    if (!whole.insert(a.name).second ||
        std::any_of(parts.begin(), parts.end(), [&](const std::string& p) {
          return absl::StartsWith(p, absl::StrCat("\"", a.name, "\":"));
        })) {
      return error(absl::StrCat("axis \"", a.name, "\" is used twice"));
    }
    return absl::OkStatus();
  };
  for (const DimSharding& d : s.dims) {
    for (const AxisRef& a : d.axes) RETURN_IF_ERROR(use(a));
  }
  for (const AxisRef& a : s.replicated) RETURN_IF_ERROR(use(a));
  for (const AxisRef& a : s.unreduced) RETURN_IF_ERROR(use(a));
  return absl::OkStatus();
}

}  // namespace backplane::sharding
