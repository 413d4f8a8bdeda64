#include "plugins/kit/status.h"

#include <utility>

#include "base/status_macros.h"
#include "plugins/kit/handle_table.h"

namespace backplane::kit {

BPL_Error* ToBplError(const absl::Status& status) {
  if (status.ok()) return nullptr;
  auto error = std::make_shared<ErrorObject>();
  error->status = status;
  error->message = std::string(status.message());
  return ToHandle<BPL_Error>(
      HandleTable::Get().Insert(HandleType::kError, std::move(error)));
}

absl::StatusOr<std::shared_ptr<ErrorObject>> LookupBplError(
    const BPL_Error* error) {
  return HandleTable::Get().Lookup<ErrorObject>(FromHandle(error),
                                                HandleType::kError, "error");
}

absl::Status DestroyBplError(BPL_Error* error) {
  return HandleTable::Get()
      .Remove(FromHandle(error), HandleType::kError, "error")
      .status();
}

}  // namespace backplane::kit
