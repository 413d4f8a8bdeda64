#include "compiler/sharding/hlo_sharding.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "compiler/sharding/text_reader.h"

namespace backplane::sharding {
namespace {

using internal::Reader;

// 0..N-1 laid out as `reshape`, transposed by `perm`, flattened.
std::vector<int64_t> ExpandIota(const std::vector<int64_t>& reshape,
                                const std::vector<int64_t>& perm,
                                int64_t count) {
  const size_t rank = reshape.size();
  std::vector<int64_t> src_strides(rank, 1);
  for (size_t i = rank; i-- > 1;) {
    src_strides[i - 1] = src_strides[i] * reshape[i];
  }
  std::vector<int64_t> out_dims(rank), index(rank, 0), devices;
  for (size_t i = 0; i < rank; ++i) out_dims[i] = reshape[perm[i]];
  devices.reserve(count);
  for (int64_t n = 0; n < count; ++n) {
    int64_t src = 0;
    for (size_t i = 0; i < rank; ++i) src += index[i] * src_strides[perm[i]];
    devices.push_back(src);
    for (size_t i = rank; i-- > 0;) {
      if (++index[i] < out_dims[i]) break;
      index[i] = 0;
    }
  }
  return devices;
}

absl::Status ParseTiled(Reader& r, HloSharding& s) {
  s.kind = HloSharding::Kind::kTiled;
  ASSIGN_OR_RETURN(s.tile_dims, r.IntList('[', ']'));
  ASSIGN_OR_RETURN(const int64_t count,
                   r.DeviceCount(s.tile_dims, "tile dims"));
  if (r.Consume("<=")) {
    ASSIGN_OR_RETURN(s.iota_reshape, r.IntList('[', ']'));
    ASSIGN_OR_RETURN(const int64_t n,
                     r.DeviceCount(s.iota_reshape, "iota dims"));
    if (n != count) {
      return r.Error(absl::StrCat("an iota list of ", count,
                                  " devices (the tile count), not ", n));
    }
    std::vector<int64_t> perm(s.iota_reshape.size());
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<int64_t>(i);
    if (r.Consume("T")) {
      ASSIGN_OR_RETURN(s.iota_transpose, r.IntList('(', ')'));
      std::vector<int64_t> sorted = s.iota_transpose;
      std::sort(sorted.begin(), sorted.end());
      if (sorted != perm) {
        return r.Error(absl::StrCat("T(...) to permute the ", perm.size(),
                                    " iota dimensions"));
      }
      perm = s.iota_transpose;
    }
    s.devices = ExpandIota(s.iota_reshape, perm, count);
  } else {
    for (int64_t i = 0; i < count; ++i) {
      if (i > 0) RETURN_IF_ERROR(r.Expect(","));
      ASSIGN_OR_RETURN(int64_t d, r.Int());
      s.devices.push_back(d);
    }
  }
  while (true) {
    if (r.Consume("last_tile_dim_replicate")) {
      s.last_tile_dim_replicate = true;
    } else if (r.Consume("last_tile_dims=")) {
      RETURN_IF_ERROR(r.Expect("{"));
      do {
        if (r.Consume("manual")) {
          s.last_tile_dims.push_back(SubgroupKind::kManual);
        } else if (r.Consume("replicated")) {
          s.last_tile_dims.push_back(SubgroupKind::kReplicated);
        } else {
          return r.Error("'manual' or 'replicated' in last_tile_dims");
        }
      } while (r.Consume(","));
      RETURN_IF_ERROR(r.Expect("}"));
    } else {
      break;
    }
  }
  if (s.tiled_rank() < 0) {
    return r.Error("tile dims for the replicated and subgroup dimensions");
  }
  return absl::OkStatus();
}

absl::StatusOr<HloSharding> ParseOne(Reader& r, int depth) {
  if (depth > 64) return r.Error("tuples nested at most 64 deep");
  RETURN_IF_ERROR(r.Expect("{"));
  HloSharding s;
  if (r.Peek('{')) {
    s.kind = HloSharding::Kind::kTuple;
    do {
      ASSIGN_OR_RETURN(HloSharding element, ParseOne(r, depth + 1));
      s.tuple.push_back(std::move(element));
    } while (r.Consume(","));
    RETURN_IF_ERROR(r.Expect("}"));
    return s;
  }
  if (r.Consume("replicated")) {
    s.kind = HloSharding::Kind::kReplicated;
  } else if (r.Consume("manual")) {
    s.kind = HloSharding::Kind::kManual;
  } else if (r.Consume("unknown")) {
    s.kind = HloSharding::Kind::kUnknown;
  } else if (r.Consume("maximal")) {
    s.kind = HloSharding::Kind::kMaximal;
    RETURN_IF_ERROR(r.Expect("device="));
    ASSIGN_OR_RETURN(s.device, r.Int());
  } else if (r.Consume("devices=")) {
    RETURN_IF_ERROR(ParseTiled(r, s));
  } else if (!r.Peek('}')) {
    return r.Error(
        "replicated, manual, unknown, maximal device=N or devices=[...]");
  } else {
    s.kind = HloSharding::Kind::kTuple;  // "{}": the empty tuple.
  }
  if (r.Consume("metadata=")) RETURN_IF_ERROR(r.SkipBraces());
  RETURN_IF_ERROR(r.Expect("}"));
  return s;
}

const char* SubgroupName(SubgroupKind k) {
  return k == SubgroupKind::kManual ? "manual" : "replicated";
}

}  // namespace

int64_t HloSharding::tiled_rank() const {
  return static_cast<int64_t>(tile_dims.size()) -
         (last_tile_dim_replicate ? 1 : 0) -
         static_cast<int64_t>(last_tile_dims.size());
}

absl::StatusOr<HloSharding> ParseHloSharding(absl::string_view text) {
  Reader r(text);
  ASSIGN_OR_RETURN(HloSharding s, ParseOne(r, 0));
  if (!r.AtEnd()) return r.Error("the end after the sharding");
  return s;
}

std::string ToString(const HloSharding& s) {
  switch (s.kind) {
    case HloSharding::Kind::kReplicated:
      return "{replicated}";
    case HloSharding::Kind::kManual:
      return "{manual}";
    case HloSharding::Kind::kUnknown:
      return "{unknown}";
    case HloSharding::Kind::kMaximal:
      return absl::StrCat("{maximal device=", s.device, "}");
    case HloSharding::Kind::kTuple: {
      std::vector<std::string> parts;
      for (const HloSharding& e : s.tuple) parts.push_back(ToString(e));
      return absl::StrCat("{", absl::StrJoin(parts, ", "), "}");
    }
    case HloSharding::Kind::kTiled:
      break;
  }
  std::string out =
      absl::StrCat("{devices=[", absl::StrJoin(s.tile_dims, ","), "]");
  if (!s.iota_reshape.empty()) {
    absl::StrAppend(&out, "<=[", absl::StrJoin(s.iota_reshape, ","), "]");
    if (!s.iota_transpose.empty()) {
      absl::StrAppend(&out, "T(", absl::StrJoin(s.iota_transpose, ","), ")");
    }
  } else {
    absl::StrAppend(&out, absl::StrJoin(s.devices, ","));
  }
  if (s.last_tile_dim_replicate)
    absl::StrAppend(&out, " last_tile_dim_replicate");
  if (!s.last_tile_dims.empty()) {
    std::vector<std::string> names;
    for (SubgroupKind k : s.last_tile_dims) names.push_back(SubgroupName(k));
    absl::StrAppend(&out, " last_tile_dims={", absl::StrJoin(names, ", "), "}");
  }
  return out + "}";
}

absl::Status ValidateHloSharding(const HloSharding& s, int64_t rank,
                                 int64_t num_devices) {
  auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("sharding ", ToString(s), ": ", why));
  };
  switch (s.kind) {
    case HloSharding::Kind::kTuple:
      return error("a tuple sharding does not describe one tensor");
    case HloSharding::Kind::kMaximal:
      if (s.device < 0 || s.device >= num_devices) {
        return error(absl::StrCat("device ", s.device, " is not one of the ",
                                  num_devices, " devices"));
      }
      return absl::OkStatus();
    case HloSharding::Kind::kTiled:
      break;
    default:
      return absl::OkStatus();
  }
  if (s.tiled_rank() != rank) {
    return error(absl::StrCat("tiles ", s.tiled_rank(),
                              " dimensions but the tensor has ", rank));
  }
  std::vector<bool> seen(
      static_cast<size_t>(std::max<int64_t>(num_devices, 0)));
  for (int64_t d : s.devices) {
    if (d < 0 || d >= num_devices) {
      return error(absl::StrCat("device ", d, " is not one of the ",
                                num_devices, " devices"));
    }
    if (seen[d]) return error(absl::StrCat("device ", d, " is listed twice"));
    seen[d] = true;
  }
  return absl::OkStatus();
}

}  // namespace backplane::sharding
