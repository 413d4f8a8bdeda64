// Thunk: one step of a compiled CPU program. A program is a list of thunks
// that read and write buffers of a per-execution buffer table; each thunk
// knows its buffers by slot number.
//
//   RunContext ctx{buffers.data(), /*replica_id=*/0, scratch};
//   for (const auto& t : thunks) if (auto s = t->Run(ctx); !s.ok()) ...
//
// Thunks are immutable after compilation and run concurrently for
// different executions, so Run must not modify the thunk.
#ifndef BACKPLANE_CPU_PLUGIN_THUNK_H_
#define BACKPLANE_CPU_PLUGIN_THUNK_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace backplane::cpu {

struct RunContext {
  uint8_t* const* buffers = nullptr;  // Indexed by slot.
  int64_t replica_id = 0;
  // Scratch memory for oneDNN primitives of this execution; at least the
  // program's scratch_bytes().
  uint8_t* scratch = nullptr;
};

class Thunk {
 public:
  virtual ~Thunk() = default;
  virtual absl::Status Run(const RunContext& ctx) const = 0;
  // Short description for debugging and tests, e.g. "onednn.matmul".
  virtual std::string kind() const = 0;
  // Scratch bytes this thunk needs in RunContext::scratch.
  virtual int64_t scratch_bytes() const { return 0; }
  // Whether the result may be written over an operand buffer of the same
  // type: each element of the result depends only on the elements at the
  // same position of its operands, read before that position is written.
  // Lets an output reuse a donated parameter the op reads last.
  virtual bool in_place_safe() const { return false; }
};

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_THUNK_H_
