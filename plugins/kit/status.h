// Conversions between absl::Status and BPL_Error, shared by the plugin kit
// (which creates BPL_Error objects) and nobody else: frameworks only ever see
// BPL_Error through the C ABI.
#ifndef BACKPLANE_PLUGINS_KIT_STATUS_H_
#define BACKPLANE_PLUGINS_KIT_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "api/backplane_c_api.h"

// The concrete error object behind the opaque C type. Lives in the kit, so
// each plugin library has its own copy and frameworks never look inside.
struct BPL_Error {
  absl::Status status;
  std::string message;  // Cached "CODE: message" text handed out by the ABI.
};

namespace backplane::kit {

// NULL for OK, otherwise a new BPL_Error the caller must destroy.
BPL_Error* ToBplError(const absl::Status& status);

// The status an error object carries (OK for NULL).
absl::Status FromBplError(const BPL_Error* error);

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_STATUS_H_
