// Internal to the fuzzer: the actions a sequence is made of, grouped by the
// objects they work on (buffers.cc, executables.cc, events.cc, queries.cc).
//
//   RETURN_IF_ERROR(CreateClient(runner));   // one action; OK or a finding
#ifndef BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_ACTIONS_H_
#define BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_ACTIONS_H_

#include <vector>

#include "absl/status/status.h"
#include "tools/fuzz/abi_sequence/runner.h"

namespace backplane::fuzz {

// What a call on `pick` must answer when the call is otherwise `valid`
// (what a call on a live, healthy handle must answer).
Expect ExpectFor(const Runner& r, const Pick& pick, Expect valid);

// Clients and devices (actions.cc).
absl::Status CreateClient(Runner& r);
absl::Status DestroyClient(Runner& r);
absl::Status ListDevices(Runner& r);
absl::Status NullArgs(Runner& r);
absl::Status ErrorOps(Runner& r);

// Buffers (buffers.cc).
absl::Status Upload(Runner& r);
// Uploads known f32 or s32 data of `dims` to client `client`'s device;
// *index is the new buffer or -1.
absl::Status UploadKnown(Runner& r, int client, int element_type,
                         const std::vector<int64_t>& dims, int* index);
absl::Status ToHost(Runner& r);
// Downloads healthy buffer `index`, checking its known values.
absl::Status Download(Runner& r, int index);
absl::Status DestroyBuffer(Runner& r);
absl::Status DeleteBuffer(Runner& r);
absl::Status CopyBuffer(Runner& r);
absl::Status BufferReadyEvent(Runner& r);

// Executables (executables.cc).
absl::Status Compile(Runner& r);
absl::Status SerializeOrDeserialize(Runner& r);
absl::Status Execute(Runner& r);
absl::Status ExecuteAdd(Runner& r);
absl::Status Cancel(Runner& r);
absl::Status DestroyExecutable(Runner& r);
absl::Status DeleteExecutable(Runner& r);

// Events (events.cc).
absl::Status CreateEvent(Runner& r);
absl::Status SetEvent(Runner& r);
absl::Status DestroyEvent(Runner& r);
absl::Status OnReady(Runner& r);
absl::Status Await(Runner& r);

// Queries of every object type (queries.cc).
absl::Status Query(Runner& r);

}  // namespace backplane::fuzz

#endif  // BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_ACTIONS_H_
