// Umbrella header of the portable element-wise kernel library: everything
// the reference interpreter, the CPU plugin and the simulated accelerator
// call for element-wise, math and conversion ops.
//
//   #include "compiler/kernels/elementwise/elementwise.h"
//   namespace k = backplane::kernels;
//   absl::StatusOr<ir::Literal> y = k::Binary(k::BinaryOp::kAdd, a, b);
//   absl::StatusOr<ir::Literal> p =
//       k::Compare(k::ComparisonDirection::kLt, k::CompareType::kFloat, a, b);
//
// Literal-level entry points validate their operands and return
// INVALID_ARGUMENT naming the op; the *Into forms write to caller buffers;
// scalar_ops.h and scalar_convert.h expose the per-element semantics as
// inline templates for engines that fuse their own loops.
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_ELEMENTWISE_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_ELEMENTWISE_H_

#include "compiler/kernels/elementwise/binary.h"        // IWYU pragma: export
#include "compiler/kernels/elementwise/compare.h"       // IWYU pragma: export
#include "compiler/kernels/elementwise/convert.h"       // IWYU pragma: export
#include "compiler/kernels/elementwise/iota_complex.h"  // IWYU pragma: export
#include "compiler/kernels/elementwise/ops.h"           // IWYU pragma: export
#include "compiler/kernels/elementwise/reduce_precision.h"  // IWYU pragma: export
#include "compiler/kernels/elementwise/select_clamp.h"  // IWYU pragma: export
#include "compiler/kernels/elementwise/unary.h"         // IWYU pragma: export

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_ELEMENTWISE_H_
