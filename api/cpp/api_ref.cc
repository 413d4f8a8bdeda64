#include "api/cpp/api_ref.h"

#include "absl/strings/str_cat.h"

namespace backplane::internal {

absl::Status PeekStatus(const BPL_Api* api, const BPL_Error* error) {
  if (error == nullptr) return absl::OkStatus();
  absl::StatusCode code = absl::StatusCode::kUnknown;
  std::string message = "(the plugin gave no message)";
  if (BPL_API_HAS(api, Error_GetCode)) {
    BPL_Error_GetCode_Args args{};
    args.struct_size = BPL_Error_GetCode_Args_STRUCT_SIZE;
    args.error = error;
    if (api->Error_GetCode(&args) == nullptr && args.out_code > 0 &&
        args.out_code <= 16) {
      code = static_cast<absl::StatusCode>(args.out_code);
    }
  }
  if (BPL_API_HAS(api, Error_Message)) {
    BPL_Error_Message_Args args{};
    args.struct_size = BPL_Error_Message_Args_STRUCT_SIZE;
    args.error = error;
    if (api->Error_Message(&args) == nullptr && args.out_message != nullptr) {
      message.assign(args.out_message, args.out_message_size);
    }
  }
  return absl::Status(code, message);
}

absl::Status ToStatus(const BPL_Api* api, BPL_Error* error) {
  if (error == nullptr) return absl::OkStatus();
  absl::Status status = PeekStatus(api, error);
  if (BPL_API_HAS(api, Error_Destroy)) {
    BPL_Error_Destroy_Args args{};
    args.struct_size = BPL_Error_Destroy_Args_STRUCT_SIZE;
    args.error = error;
    api->Error_Destroy(&args);
  }
  return status;
}

absl::Status MissingFunction(const char* name) {
  return absl::UnimplementedError(
      absl::StrCat(name,
                   " is not provided by this plugin (its API table is "
                   "older than this framework's)"));
}

const BPL_ProfilingExtension* FindProfilingExtension(const BPL_Api* api) {
  // Bounded walk: a cyclic chain from a buggy plugin must not hang us.
  const BPL_ExtensionBase* ext = api->extension_start;
  for (int i = 0; ext != nullptr && i < 64; ++i, ext = ext->next) {
    if (ext->type == BPL_EXTENSION_PROFILING &&
        ext->struct_size >= sizeof(BPL_ProfilingExtension)) {
      return reinterpret_cast<const BPL_ProfilingExtension*>(ext);
    }
  }
  return nullptr;
}

}  // namespace backplane::internal
