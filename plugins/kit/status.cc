#include "plugins/kit/status.h"

namespace backplane::kit {

BPL_Error* ToBplError(const absl::Status& status) {
  if (status.ok()) return nullptr;
  auto* error = new BPL_Error;
  error->status = status;
  error->message = std::string(status.message());
  return error;
}

absl::Status FromBplError(const BPL_Error* error) {
  return error == nullptr ? absl::OkStatus() : error->status;
}

}  // namespace backplane::kit
