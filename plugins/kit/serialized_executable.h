// The envelope of a kit plugin's serialized executables: a magic line that
// names the plugin and the format version, then the plugin's own fields.
//
//   constexpr char kMagic[] = "backplane-cpu-executable-v4\n";
//   // Serialize:
//   std::string bytes = absl::StrCat(kMagic, entry, "\n", code);
//   // Deserialize:
//   ASSIGN_OR_RETURN(absl::string_view body,
//                    kit::StripSerializedMagic(bytes, kMagic, "cpu"));
#ifndef BACKPLANE_PLUGINS_KIT_SERIALIZED_EXECUTABLE_H_
#define BACKPLANE_PLUGINS_KIT_SERIALIZED_EXECUTABLE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backplane::kit {

// `bytes` after `magic`; INVALID_ARGUMENT "not a serialized <platform>
// executable (wrong magic)" when they do not start with it.
absl::StatusOr<absl::string_view> StripSerializedMagic(
    absl::string_view bytes, absl::string_view magic,
    absl::string_view platform);

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_SERIALIZED_EXECUTABLE_H_
