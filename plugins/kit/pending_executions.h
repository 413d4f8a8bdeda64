// The executions of one executable that may still be running, so that
// BPL_Executable_Cancel can reach them.
//
//   auto cancellation = std::make_shared<base::Cancellation>(deadline);
//   executable.pending_executions().Add(cancellation);  // At Execute.
//   request.cancellation = cancellation;                 // The plugin polls.
//   ...
//   executable.pending_executions().CancelAll();         // At Cancel.
//
// Holds the cancellations weakly: the execution (the plugin's code running
// it) owns its cancellation and drops it when done, which also removes it
// from here. Thread-safe.
#ifndef BACKPLANE_PLUGINS_KIT_PENDING_EXECUTIONS_H_
#define BACKPLANE_PLUGINS_KIT_PENDING_EXECUTIONS_H_

#include <memory>
#include <mutex>
#include <vector>

#include "base/cancellation.h"

namespace backplane::kit {

class PendingExecutions {
 public:
  void Add(const std::shared_ptr<base::Cancellation>& cancellation);
  // Cancels every execution added so far that is still alive.
  void CancelAll();

 private:
  void PruneLocked();
  std::mutex mu_;
  std::vector<std::weak_ptr<base::Cancellation>> pending_;
};

}  // namespace backplane::kit

#endif  // BACKPLANE_PLUGINS_KIT_PENDING_EXECUTIONS_H_
