// Thunks that need no special hardware support: element-wise kernels of the
// compiler kit on raw buffers, copies, checks, replica ids, and the
// portable fallbacks (one op through interpreter::EvaluateOp, or a whole
// function through the reference interpreter).
//
//   std::unique_ptr<Thunk> t = MakeGenericOpThunk(op, operands, results);
#ifndef BACKPLANE_CPU_PLUGIN_BASIC_THUNKS_H_
#define BACKPLANE_CPU_PLUGIN_BASIC_THUNKS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "compiler/kernels/elementwise/ops.h"
#include "compiler/kernels/elementwise/unary.h"
#include "cpu_plugin/thunk.h"

namespace backplane::cpu {

// A buffer of the table and the tensor type stored there.
struct BufferRef {
  int slot = -1;
  ir::TensorType type;
};

// Runs `op` with interpreter::EvaluateOp, copying operands in and results
// out. For ops without a specialised kernel; `op` must outlive the thunk.
std::unique_ptr<Thunk> MakeGenericOpThunk(const ir::Op* op,
                                          std::vector<BufferRef> operands,
                                          std::vector<BufferRef> results);

// Whether MakeGenericOpThunk can run `op`: tensor operands and results, no
// side effects or cross-device semantics, and regions that use only their
// own values.
bool IsGenericOpSupported(const ir::Op& op);

// A unary or binary element-wise op of the kernel library on same-shape
// buffers, when the kernels support it for the op's element type;
// std::nullopt otherwise. `accuracy` selects the transcendental kernels.
std::optional<std::unique_ptr<Thunk>> MakeElementwiseThunk(
    const ir::Op& op, std::vector<BufferRef> operands, BufferRef result,
    kernels::elementwise::MathAccuracy accuracy);

// The kernel-library operation of a unary / binary element-wise op code.
std::optional<kernels::elementwise::UnaryOp> UnaryFor(ir::OpCode code);
std::optional<kernels::elementwise::BinaryOp> BinaryFor(ir::OpCode code);

std::unique_ptr<Thunk> MakeCopyThunk(BufferRef from, BufferRef to);

// check.expect_* ops and `custom_call @check.expect_*`: evaluated on the
// host; failure is FAILED_PRECONDITION naming the check and its location.
// Returns std::nullopt for ops that are not checks.
std::optional<std::unique_ptr<Thunk>> MakeCheckThunk(
    const ir::Op& op, std::vector<BufferRef> operands);

// stablehlo.replica_id / partition_id (the device index / 0).
std::unique_ptr<Thunk> MakeReplicaIdThunk(BufferRef result, bool partition);

// Runs `function` of `module` on the reference interpreter: the fallback
// for programs whose ops cannot be lowered one by one (collectives, regions
// that capture values, tokens). Thread-safe: each run has its own frame.
absl::StatusOr<std::unique_ptr<Thunk>> MakeInterpretFunctionThunk(
    const ir::Module& module, const std::string& function,
    std::vector<BufferRef> parameters, std::vector<BufferRef> results);

// Copies a buffer into a Literal of its type.
ir::Literal ReadLiteral(const RunContext& ctx, const BufferRef& ref);

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_BASIC_THUNKS_H_
