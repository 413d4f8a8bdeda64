// Row gathers: the embedding-lookup form of stablehlo.gather (each index
// selects one whole row of the operand) as one memcpy per index, instead
// of the generic gather of the interpreter.
//
//   std::optional<std::unique_ptr<Thunk>> t =
//       MakeRowGatherThunk(op, operand, indices, result);
#ifndef BACKPLANE_CPU_PLUGIN_GATHER_THUNK_H_
#define BACKPLANE_CPU_PLUGIN_GATHER_THUNK_H_

#include <memory>
#include <optional>

#include "compiler/ir/ir.h"
#include "cpu_plugin/basic_thunks.h"
#include "cpu_plugin/thunk.h"

namespace backplane::cpu {

// For a gather whose slices are whole rows of dimension 0 (collapsed,
// start_index_map [0], one index per row, offset dimensions trailing) with
// s32/s64 indices; std::nullopt for any other gather. Indices are clamped
// to the operand as the spec says.
std::optional<std::unique_ptr<Thunk>> MakeRowGatherThunk(
    const ir::Op& op, const BufferRef& operand, const BufferRef& indices,
    const BufferRef& result);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_GATHER_THUNK_H_
