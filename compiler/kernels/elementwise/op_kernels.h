// The kernel that runs each element-wise op, from the op table's kernel
// column (compiler/ir/op_table.h), so that backends need no switch of their
// own.
//
//   if (std::optional<UnaryOp> u = UnaryKernelFor(op.code())) {
//     return Unary(*u, input);
//   }
//   if (std::optional<BinaryOp> b = BinaryKernelFor(op.code())) { ... }
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_OP_KERNELS_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_OP_KERNELS_H_

#include <cstddef>
#include <optional>

#include "compiler/ir/op_table.h"
#include "compiler/ir/opcode.h"
#include "compiler/kernels/elementwise/ops.h"

namespace backplane::kernels::elementwise {
namespace op_kernels_internal {

#define BACKPLANE_UNARY_FROM_UnaryKernel(op) \
  std::optional<UnaryOp>(UnaryOp::k##op)
#define BACKPLANE_UNARY_FROM_BinaryKernel(k) std::optional<UnaryOp>()
#define BACKPLANE_UNARY_FROM_NoKernel std::optional<UnaryOp>()
#define BACKPLANE_BINARY_FROM_UnaryKernel(k) std::optional<BinaryOp>()
#define BACKPLANE_BINARY_FROM_BinaryKernel(op) \
  std::optional<BinaryOp>(BinaryOp::k##op)
#define BACKPLANE_BINARY_FROM_NoKernel std::optional<BinaryOp>()
#define BACKPLANE_UNARY_ROW(e, name, operands, results, elementwise, kernel, \
                            categories, effect, family)                      \
  BACKPLANE_UNARY_FROM_##kernel,
#define BACKPLANE_BINARY_ROW(e, name, operands, results, elementwise, kernel, \
                             categories, effect, family)                      \
  BACKPLANE_BINARY_FROM_##kernel,

// Indexed by OpCode; entry 0 is kUnknown.
inline constexpr std::optional<UnaryOp> kUnary[] = {
    std::nullopt, BACKPLANE_OP_TABLE(BACKPLANE_UNARY_ROW)};
inline constexpr std::optional<BinaryOp> kBinary[] = {
    std::nullopt, BACKPLANE_OP_TABLE(BACKPLANE_BINARY_ROW)};

#undef BACKPLANE_UNARY_ROW
#undef BACKPLANE_BINARY_ROW
#undef BACKPLANE_UNARY_FROM_UnaryKernel
#undef BACKPLANE_UNARY_FROM_BinaryKernel
#undef BACKPLANE_UNARY_FROM_NoKernel
#undef BACKPLANE_BINARY_FROM_UnaryKernel
#undef BACKPLANE_BINARY_FROM_BinaryKernel
#undef BACKPLANE_BINARY_FROM_NoKernel

static_assert(sizeof(kUnary) / sizeof(kUnary[0]) ==
              static_cast<size_t>(ir::OpCode::kNumOpCodes));

}  // namespace op_kernels_internal

// The unary kernel of `code` (chlo.tan and stablehlo.tan share kTan), or
// nullopt when it has none.
constexpr std::optional<UnaryOp> UnaryKernelFor(ir::OpCode code) {
  const auto i = static_cast<size_t>(code);
  return i < static_cast<size_t>(ir::OpCode::kNumOpCodes)
             ? op_kernels_internal::kUnary[i]
             : std::nullopt;
}

// The binary kernel of `code` (chlo.broadcast_add shares kAdd), or nullopt.
constexpr std::optional<BinaryOp> BinaryKernelFor(ir::OpCode code) {
  const auto i = static_cast<size_t>(code);
  return i < static_cast<size_t>(ir::OpCode::kNumOpCodes)
             ? op_kernels_internal::kBinary[i]
             : std::nullopt;
}

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_OP_KERNELS_H_
