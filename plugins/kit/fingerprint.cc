#include "plugins/kit/fingerprint.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace backplane::kit {

std::string Fingerprint(absl::string_view prefix,
                        std::initializer_list<absl::string_view> parts) {
  uint64_t h = 1469598103934665603ull;
  for (absl::string_view part : parts) {
    for (char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    h ^= 0xff;
  }
  return absl::StrCat(prefix, absl::Hex(h, absl::kZeroPad16));
}

}  // namespace backplane::kit
