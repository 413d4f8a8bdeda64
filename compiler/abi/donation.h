// Which parameters of an entry function an executable may donate (reuse for
// outputs): those named by the `donated_parameters` compile option, and
// those whose argument attributes mark them as donors the way JAX
// (`jax.buffer_donor = true`) and TensorFlow/XLA (`tf.aliasing_output = N`)
// exporters do.
#ifndef BACKPLANE_COMPILER_ABI_DONATION_H_
#define BACKPLANE_COMPILER_ABI_DONATION_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/ir.h"

namespace backplane::abi {

// INVALID_ARGUMENT for an option index outside [0, num_arguments).
absl::StatusOr<std::vector<bool>> DonatableParameters(
    const ir::Function& entry, absl::Span<const int64_t> donated_option);

}  // namespace backplane::abi

#endif  // BACKPLANE_COMPILER_ABI_DONATION_H_
