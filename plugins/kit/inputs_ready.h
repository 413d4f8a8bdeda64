// Waiting for an execution's inputs: the framework's wait event and the
// ready events of the argument buffers.
//
//   kit::WhenInputsReady(request.wait, arguments,
//                        [=](const absl::Status& ready) {
//                          done->Set(ready.ok() ? Run(arguments) : ready)
//                              .IgnoreError();
//                        });
//
// `wait` may be NULL (nothing to wait for). The status passed on is OK or
// the first error among `wait` and the buffers' ready events. A plugin whose
// inline path must not even copy its closure tests InputsComplete first and
// only then builds one for InputsReady (cpu_plugin does).
#ifndef BACKPLANE_PLUGINS_KIT_INPUTS_READY_H_
#define BACKPLANE_PLUGINS_KIT_INPUTS_READY_H_

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "plugins/kit/event.h"
#include "plugins/kit/plugin.h"

namespace backplane::kit {

// Whether `wait` and every buffer's ready event have completed; if so,
// `*status` is their combined status. Allocates nothing.
bool InputsComplete(const std::shared_ptr<Event>& wait,
                    absl::Span<const std::shared_ptr<Buffer>> buffers,
                    absl::Status* status);

// Completes when `wait` and every buffer's ready event have.
std::shared_ptr<Event> InputsReady(
    const std::shared_ptr<Event>& wait,
    absl::Span<const std::shared_ptr<Buffer>> buffers);

// Calls `run(status)` exactly once: at once on this thread when the inputs
// are complete already (the common case), otherwise on the thread that
// completes the last of them, so `run` must own what it uses.
template <typename Run>
void WhenInputsReady(const std::shared_ptr<Event>& wait,
                     absl::Span<const std::shared_ptr<Buffer>> buffers,
                     Run&& run) {
  absl::Status status;
  if (InputsComplete(wait, buffers, &status)) {
    run(status);
  } else {
    InputsReady(wait, buffers)->OnReady(std::forward<Run>(run));
  }
}

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_INPUTS_READY_H_
