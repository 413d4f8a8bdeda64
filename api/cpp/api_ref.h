// A reference to a loaded plugin's function table that keeps the library
// loaded, and the helpers that call through it. Every framework-side object
// holds one, so a plugin can never be unloaded under a live object.
#ifndef BACKPLANE_API_CPP_API_REF_H_
#define BACKPLANE_API_CPP_API_REF_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "api/backplane_c_api.h"

namespace backplane {

// Opaque holder of whatever keeps the library loaded (the loader's handle).
using PluginKeepAlive = std::shared_ptr<const void>;

struct ApiRef {
  const BPL_Api* api = nullptr;
  PluginKeepAlive keep_alive;
};

namespace internal {

// Converts (and destroys) an error returned by `api`. OK for NULL.
absl::Status ToStatus(const BPL_Api* api, BPL_Error* error);
// The message and code of an error without taking ownership.
absl::Status PeekStatus(const BPL_Api* api, const BPL_Error* error);
absl::Status MissingFunction(const char* name);
// The plugin's profiling extension from its table's chain, or nullptr.
const BPL_ProfilingExtension* FindProfilingExtension(const BPL_Api* api);

}  // namespace internal
}  // namespace backplane

// Calls api->fn(args) when the plugin's table has `fn`; otherwise returns
// UNIMPLEMENTED naming it. Evaluates to absl::Status.
#define BPL_CALL(api, fn, args)                                  \
  (BPL_API_HAS(api, fn)                                          \
       ? ::backplane::internal::ToStatus((api), (api)->fn(args)) \
       : ::backplane::internal::MissingFunction(#fn))

#endif  // BACKPLANE_API_CPP_API_REF_H_
