// Conversions between absl::Status and BPL_Error, shared by the plugin kit
// (which creates BPL_Error objects) and nobody else: frameworks only ever see
// BPL_Error through the C ABI.
//
//   BPL_Error* error = ToBplError(status);  // NULL for OK.
//   DestroyBplError(error).IgnoreError();
//
// A BPL_Error is a handle of the kit's HandleTable (handle_table.h), owned
// by whoever received it until DestroyBplError; a destroyed or foreign error
// is INVALID_ARGUMENT, never a crash.
#ifndef BACKPLANE_PLUGINS_KIT_STATUS_H_
#define BACKPLANE_PLUGINS_KIT_STATUS_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/backplane_c_api.h"

namespace backplane::kit {

// The object behind a BPL_Error handle.
struct ErrorObject {
  absl::Status status;
  std::string message;  // Cached message text handed out by the ABI.
};

// NULL for OK, otherwise a new BPL_Error the caller must destroy.
BPL_Error* ToBplError(const absl::Status& status);

// The live error object `error` names, or INVALID_ARGUMENT.
absl::StatusOr<std::shared_ptr<ErrorObject>> LookupBplError(
    const BPL_Error* error);


// Releases `error`; INVALID_ARGUMENT if it is not a live error.
absl::Status DestroyBplError(BPL_Error* error);

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_STATUS_H_
