// The state of one process of a run: one per replica x partition under
// interpreter.run_parallel, a single default process (replica 0,
// partition 0, no parallel run) otherwise.
//
//   ProcessContext process;  // Outside run_parallel.
//   CollectiveContext ctx{process.run, process.replica_id,
//                         process.partition_id};
#ifndef BACKPLANE_COMPILER_INTERPRETER_PROCESS_CONTEXT_H_
#define BACKPLANE_COMPILER_INTERPRETER_PROCESS_CONTEXT_H_

#include <cstdint>

namespace backplane::base {
class Cancellation;
}  // namespace backplane::base

namespace backplane::interpreter {

class ParallelRun;

struct ProcessContext {
  int64_t replica_id = 0;
  int64_t partition_id = 0;
  ParallelRun* run = nullptr;  // Null outside run_parallel.
  // Polled at every op; null when the run cannot be cancelled. Borrowed
  // from the caller of Interpreter::Run / Call.
  const base::Cancellation* cancellation = nullptr;
  // Regions (function bodies included) currently open in this process.
  int depth = 0;
};

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_PROCESS_CONTEXT_H_
