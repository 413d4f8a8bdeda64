// Data-movement thunks written directly over the buffer table: transpose
// and broadcast_in_dim as one strided copy (a source stride per output
// dimension, 0 for broadcast dimensions), with no intermediate Literal.
//
//   std::optional<std::unique_ptr<Thunk>> t = MakeLayoutThunk(op, in, out);
#ifndef BACKPLANE_CPU_PLUGIN_LAYOUT_THUNKS_H_
#define BACKPLANE_CPU_PLUGIN_LAYOUT_THUNKS_H_

#include <memory>
#include <optional>

#include "compiler/ir/ir.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/thunk.h"

namespace backplane::cpu {

// For stablehlo.transpose and stablehlo.broadcast_in_dim of element types
// stored in 1, 2, 4, 8 or 16 bytes; std::nullopt for anything else.
std::optional<std::unique_ptr<Thunk>> MakeLayoutThunk(const ir::Op& op,
                                                      const BufferRef& input,
                                                      const BufferRef& output);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_LAYOUT_THUNKS_H_
