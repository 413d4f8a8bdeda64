// Fingerprint: a stable executable fingerprint for kit::Executable.
//
//   std::string f = kit::Fingerprint("cpu-", {kPluginVersion, options, code});
//   // "cpu-" followed by 16 hex digits
//
// FNV-1a (64 bits) over the parts, with 0xff XOR-ed in after each part: the
// value is the same in every process and run (unlike std::hash), and moving
// text from one part to the next changes it.
#ifndef BACKPLANE_PLUGINS_KIT_FINGERPRINT_H_
#define BACKPLANE_PLUGINS_KIT_FINGERPRINT_H_

#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"

namespace backplane::kit {

std::string Fingerprint(absl::string_view prefix,
                        std::initializer_list<absl::string_view> parts);

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_FINGERPRINT_H_
