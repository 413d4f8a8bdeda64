#include "plugins/kit/serialized_executable.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace backplane::kit {

absl::StatusOr<absl::string_view> StripSerializedMagic(
    absl::string_view bytes, absl::string_view magic,
    absl::string_view platform) {
  if (!absl::ConsumePrefix(&bytes, magic)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a serialized ", platform, " executable (wrong magic)"));
  }
  return bytes;
}

}  // namespace backplane::kit
