// Plugin manifests: small JSON files that name a plugin and say where its
// library is and which ABI it speaks, so the loader can find plugins by name
// and reject incompatible ones before loading any code.
//
//   {
//     "file_format_version": 1,
//     "name": "cpu",
//     "description": "Backplane CPU plugin (oneDNN)",
//     "library_path": "libbackplane_cpu.so",
//     "abi": {"major": 1, "minor_min": 0, "minor_max": 1},
//     "sanitizer": "none"
//   }
//
// `library_path` is absolute or relative to the manifest's folder. The
// plugin implements ABI `major`.`minor_max` and accepts frameworks whose
// minor is at least `minor_min`. The optional `sanitizer` ("none",
// "address", "thread", "undefined"; default "none") says how the library was
// built: an "address" or "thread" plugin only loads into a framework built
// with the same sanitizer.
#ifndef BACKPLANE_PLUGINS_LOADER_MANIFEST_H_
#define BACKPLANE_PLUGINS_LOADER_MANIFEST_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backplane::loader {

struct Manifest {
  std::string manifest_path;
  std::string name;
  std::string description;
  std::string library_path;  // Resolved: absolute or as given.
  int64_t abi_major = 0;
  int64_t abi_minor_min = 0;
  int64_t abi_minor_max = 0;
  std::string sanitizer = "none";
};

// Parses a manifest's text; `manifest_path` resolves relative library paths
// and names the file in errors.
absl::StatusOr<Manifest> ParseManifest(absl::string_view text,
                                       absl::string_view manifest_path);

// OK when a framework of ABI `major`.`minor`, built with
// `framework_sanitizer` (see build_sanitizer.h), may use the plugin,
// otherwise FAILED_PRECONDITION saying why and what to do.
absl::Status CheckManifestCompatible(const Manifest& manifest, int64_t major,
                                     int64_t minor,
                                     absl::string_view framework_sanitizer);

}  // namespace backplane::loader

#endif  // BACKPLANE_PLUGINS_LOADER_MANIFEST_H_
