#include "compiler/kernels/structured/rng_bit_generator.h"

#include <cstring>
#include <vector>

#include "base/status_macros.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {
namespace {

constexpr absl::string_view kOp = "rng_bit_generator";

uint32_t RotateLeft(uint32_t v, int distance) {
  return (v << distance) | (v >> (32 - distance));
}

uint32_t Lo(uint64_t v) { return static_cast<uint32_t>(v); }
uint32_t Hi(uint64_t v) { return static_cast<uint32_t>(v >> 32); }
uint64_t Join(uint32_t lo, uint32_t hi) {
  return static_cast<uint64_t>(lo) | (static_cast<uint64_t>(hi) << 32);
}

// Writes the low `bits` of each raw draw into the output storage.
void StoreBits(const std::vector<uint64_t>& raw, ir::Literal& out) {
  const ir::ElementType t = out.element_type();
  const int width = ir::ElementBitWidth(t);
  const int bytes = ir::ElementByteSize(t);
  uint8_t* dst = out.untyped_data();
  for (size_t i = 0; i < raw.size(); ++i) {
    uint64_t v = raw[i];
    if (width < 8) {
      v &= (uint64_t{1} << width) - 1;
      // Signed sub-byte values are stored sign-extended.
      if (ir::IsSignedInteger(t) && (v >> (width - 1)) & 1) {
        v |= ~((uint64_t{1} << width) - 1);
      }
    }
    std::memcpy(dst + i * bytes, &v, bytes);  // Little-endian low bytes.
  }
}

}  // namespace

std::array<uint32_t, 2> ThreeFry2x32(std::array<uint32_t, 2> counter,
                                     std::array<uint32_t, 2> key) {
  static constexpr int kRotations[8] = {13, 15, 26, 6, 17, 29, 16, 24};
  const uint32_t ks[3] = {key[0], key[1], 0x1BD11BDAu ^ key[0] ^ key[1]};
  uint32_t x0 = counter[0] + ks[0];
  uint32_t x1 = counter[1] + ks[1];
  // Five groups of four rounds, each followed by a key injection.
  for (int group = 0; group < 5; ++group) {
    const int* rot = kRotations + (group % 2) * 4;
    for (int r = 0; r < 4; ++r) {
      x0 += x1;
      x1 = RotateLeft(x1, rot[r]);
      x1 ^= x0;
    }
    x0 += ks[(group + 1) % 3];
    x1 += ks[(group + 2) % 3] + static_cast<uint32_t>(group + 1);
  }
  return {x0, x1};
}

std::array<uint32_t, 4> Philox4x32(std::array<uint32_t, 4> x,
                                   std::array<uint32_t, 2> key) {
  constexpr uint32_t kW32A = 0x9E3779B9u, kW32B = 0xBB67AE85u;
  constexpr uint64_t kM4x32A = 0xD2511F53u, kM4x32B = 0xCD9E8D57u;
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = kM4x32A * x[0];
    const uint64_t p1 = kM4x32B * x[2];
    x = {Hi(p1) ^ x[1] ^ key[0], Lo(p1), Hi(p0) ^ x[3] ^ key[1], Lo(p0)};
    key[0] += kW32A;
    key[1] += kW32B;
  }
  return x;
}

absl::StatusOr<RngBitGeneratorResult> RngBitGenerator(
    RngAlgorithm algorithm, const ir::Literal& initial_state,
    ir::ElementType output_type, absl::Span<const int64_t> output_dims) {
  if (algorithm == RngAlgorithm::kDefault) algorithm = RngAlgorithm::kPhilox;
  if (initial_state.element_type() != ir::ElementType::kU64 ||
      initial_state.type().rank() != 1) {
    return OpError(kOp, "initial_state must be a 1-D ui64 tensor, got ",
                   initial_state.type().ToString());
  }
  const int64_t state_size = initial_state.dims()[0];
  if (algorithm == RngAlgorithm::kThreeFry && state_size != 2) {
    return OpError(kOp, "THREE_FRY needs a state of 2 ui64, got ", state_size);
  }
  if (algorithm == RngAlgorithm::kPhilox && state_size != 2 &&
      state_size != 3) {
    return OpError(kOp, "PHILOX needs a state of 2 or 3 ui64, got ",
                   state_size);
  }
  if (output_type == ir::ElementType::kPred || ir::IsComplex(output_type) ||
      output_type == ir::ElementType::kInvalid) {
    return OpError(kOp, "unsupported output element type ",
                   ir::ElementTypeToMlir(output_type));
  }
  ASSIGN_OR_RETURN(ir::Literal output,
                   AllocateResult(kOp, output_type,
                                  std::vector<int64_t>(output_dims.begin(),
                                                       output_dims.end())));
  const int64_t n = output.element_count();
  const bool wide = ir::ElementBitWidth(output_type) == 64;
  absl::Span<const uint64_t> state = initial_state.data<uint64_t>();
  const std::array<uint32_t, 2> key = {Lo(state[0]), Hi(state[0])};
  std::vector<uint64_t> raw(static_cast<size_t>(n));
  ir::Literal new_state = initial_state;
  absl::Span<uint64_t> next = new_state.data<uint64_t>();

  if (algorithm == RngAlgorithm::kThreeFry) {
    const uint64_t counter = state[1];
    if (wide) {
      for (int64_t i = 0; i < n; ++i) {
        const uint64_t c = counter + static_cast<uint64_t>(i);
        auto x = ThreeFry2x32({Lo(c), Hi(c)}, key);
        raw[i] = Join(x[0], x[1]);
      }
      next[1] = counter + static_cast<uint64_t>(n);
    } else if (output_dims.empty()) {
      auto x = ThreeFry2x32({Lo(counter), Hi(counter)}, key);
      raw[0] = x[0];
      next[1] = counter + 1;
    } else {
      // XLA halves one dimension (the first even one, else the first
      // largest): each cipher call yields two neighbours along it.
      const int64_t rank = static_cast<int64_t>(output_dims.size());
      int64_t split = -1;
      for (int64_t i = 0; i < rank && split < 0; ++i) {
        if (output_dims[i] % 2 == 0) split = i;
      }
      if (split < 0) {
        split = 0;
        for (int64_t i = 1; i < rank; ++i) {
          if (output_dims[i] > output_dims[split]) split = i;
        }
      }
      int64_t outer = 1, inner = 1;
      for (int64_t i = 0; i < split; ++i) outer *= output_dims[i];
      for (int64_t i = split + 1; i < rank; ++i) inner *= output_dims[i];
      const int64_t d = output_dims[split];
      const int64_t half = (d + 1) / 2;
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t h = 0; h < half; ++h) {
          for (int64_t k = 0; k < inner; ++k) {
            const uint64_t c =
                counter + static_cast<uint64_t>((o * half + h) * inner + k);
            auto x = ThreeFry2x32({Lo(c), Hi(c)}, key);
            raw[(o * d + 2 * h) * inner + k] = x[0];
            if (2 * h + 1 < d) raw[(o * d + 2 * h + 1) * inner + k] = x[1];
          }
        }
      }
      next[1] = counter + static_cast<uint64_t>(outer * half * inner);
    }
  } else {
    uint64_t lo = state[1];
    uint64_t hi = state_size >= 3 ? state[2] : state[0];
    const int64_t words = wide ? 2 * n : n;
    const int64_t blocks = (words + 3) / 4;
    for (int64_t b = 0; b < blocks; ++b) {
      const uint64_t c_lo = lo + static_cast<uint64_t>(b);
      const uint64_t c_hi = c_lo < lo ? hi + 1 : hi;
      auto x = Philox4x32({Lo(c_lo), Hi(c_lo), Lo(c_hi), Hi(c_hi)}, key);
      if (wide) {
        if (2 * b < n) raw[2 * b] = Join(x[0], x[1]);
        if (2 * b + 1 < n) raw[2 * b + 1] = Join(x[2], x[3]);
      } else {
        for (int j = 0; j < 4 && 4 * b + j < n; ++j) raw[4 * b + j] = x[j];
      }
    }
    const uint64_t new_lo = lo + static_cast<uint64_t>(blocks);
    const uint64_t new_hi = new_lo < lo ? hi + 1 : hi;
    next[1] = new_lo;
    if (state_size >= 3) next[2] = new_hi;
  }
  StoreBits(raw, output);
  return RngBitGeneratorResult{std::move(new_state), std::move(output)};
}

}  // namespace backplane::kernels::structured
