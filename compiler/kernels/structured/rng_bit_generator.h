// stablehlo.rng_bit_generator, bit-exact with XLA's expansion
// (xla/service/rng_bit_generator_expander.cc and the ThreeFry / Philox bit
// generators of xla/hlo/builder/lib/prng.cc).
//
//   auto r = RngBitGenerator(RngAlgorithm::kThreeFry, state,
//                            ir::ElementType::kU32, {4, 4});
//   // r->output_state feeds the next call; r->output holds the bits.
//
// State layouts (ui64): THREE_FRY [key, counter]; PHILOX [key, counter_lo,
// counter_hi] or [key, counter] (then XLA uses the key as the counter's
// high word). DEFAULT is PHILOX, as on XLA:CPU. Types narrower than 32 bits
// take the low bits of 32-bit draws; 64-bit types use two words per value.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_RNG_BIT_GENERATOR_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_RNG_BIT_GENERATOR_H_

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

enum class RngAlgorithm { kDefault, kThreeFry, kPhilox };

struct RngBitGeneratorResult {
  ir::Literal output_state;
  ir::Literal output;
};

absl::StatusOr<RngBitGeneratorResult> RngBitGenerator(
    RngAlgorithm algorithm, const ir::Literal& initial_state,
    ir::ElementType output_type, absl::Span<const int64_t> output_dims);

// The block ciphers themselves (Random123's threefry2x32-20 and
// philox4x32-10), exposed for known-answer tests.
std::array<uint32_t, 2> ThreeFry2x32(std::array<uint32_t, 2> counter,
                                     std::array<uint32_t, 2> key);
std::array<uint32_t, 4> Philox4x32(std::array<uint32_t, 4> counter,
                                   std::array<uint32_t, 2> key);

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_RNG_BIT_GENERATOR_H_
