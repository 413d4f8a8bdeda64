#include "compiler/kernels/elementwise/reduce_precision.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "compiler/ir/float16.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/elementwise/kernel_util.h"

namespace backplane::kernels::elementwise {
namespace {

struct FloatLayout {
  int exponent_bits;
  int mantissa_bits;
};

template <typename Storage>
void ReduceLoop(ir::Literal& result, FloatLayout layout, int exponent_bits,
                int mantissa_bits) {
  const uint64_t exponent_mask = ((uint64_t{1} << layout.exponent_bits) - 1)
                                 << layout.mantissa_bits;
  const uint64_t mantissa_mask = (uint64_t{1} << layout.mantissa_bits) - 1;
  for (Storage& element : result.data<Storage>()) {
    uint64_t bits = 0;
    std::memcpy(&bits, &element, sizeof(Storage));
    const bool is_nan =
        (bits & exponent_mask) == exponent_mask && (bits & mantissa_mask) != 0;
    if (is_nan) {
      // A format without mantissa bits has no NaN: it becomes +infinity
      // (as in XLA and the upstream reference interpreter).
      if (mantissa_bits == 0) {
        bits = exponent_mask;
        std::memcpy(&element, &bits, sizeof(Storage));
      }
      continue;
    }
    bits = ReducePrecisionBits(bits, layout.exponent_bits, layout.mantissa_bits,
                               exponent_bits, mantissa_bits);
    std::memcpy(&element, &bits, sizeof(Storage));
  }
}

}  // namespace

uint64_t ReducePrecisionBits(uint64_t bits, int src_exponent_bits,
                             int src_mantissa_bits, int exponent_bits,
                             int mantissa_bits) {
  const int total_bits = 1 + src_exponent_bits + src_mantissa_bits;
  if (mantissa_bits < src_mantissa_bits) {
    // Round to nearest even at the new last mantissa bit; a carry may ripple
    // into the exponent, which is the correct rounding up to the next binade
    // (or to infinity).
    const int dropped = src_mantissa_bits - mantissa_bits;
    const uint64_t last_kept = uint64_t{1} << dropped;
    const uint64_t half_minus_one = (last_kept >> 1) - 1;
    const uint64_t kept_is_odd = (bits >> dropped) & 1;
    bits += half_minus_one + kept_is_odd;
    bits &= ~(last_kept - 1);
  }
  if (exponent_bits < src_exponent_bits) {
    const uint64_t sign_bit = uint64_t{1} << (total_bits - 1);
    const uint64_t exponent_mask = ((uint64_t{1} << src_exponent_bits) - 1)
                                   << src_mantissa_bits;
    const int64_t bias = (int64_t{1} << (src_exponent_bits - 1)) - 1;
    const int64_t reduced_bias = (int64_t{1} << (exponent_bits - 1)) - 1;
    const uint64_t max_exponent = static_cast<uint64_t>(bias + reduced_bias);
    const uint64_t min_exponent = static_cast<uint64_t>(bias - reduced_bias);
    const uint64_t exponent = bits & exponent_mask;
    if (exponent > (max_exponent << src_mantissa_bits)) {
      bits = (bits & sign_bit) | exponent_mask;  // Signed infinity.
    } else if (exponent <= (min_exponent << src_mantissa_bits)) {
      bits &= sign_bit;  // Signed zero; the reduced format's subnormals
                         // are flushed, as in XLA.
    }
  }
  return bits;
}

absl::StatusOr<ir::Literal> ReducePrecision(const ir::Literal& x,
                                            int32_t exponent_bits,
                                            int32_t mantissa_bits) {
  constexpr absl::string_view kOp = "stablehlo.reduce_precision";
  if (exponent_bits < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        kOp, ": exponent_bits is ", exponent_bits, " but must be >= 1"));
  }
  if (mantissa_bits < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        kOp, ": mantissa_bits is ", mantissa_bits, " but must be >= 0"));
  }
  ir::Literal result = x;
  switch (x.element_type()) {
    case ir::ElementType::kF64:
      ReduceLoop<uint64_t>(result, {11, 52}, exponent_bits, mantissa_bits);
      return result;
    case ir::ElementType::kF32:
      ReduceLoop<uint32_t>(result, {8, 23}, exponent_bits, mantissa_bits);
      return result;
    case ir::ElementType::kF16:
      ReduceLoop<uint16_t>(result, {5, 10}, exponent_bits, mantissa_bits);
      return result;
    case ir::ElementType::kBF16:
      ReduceLoop<uint16_t>(result, {8, 7}, exponent_bits, mantissa_bits);
      return result;
    case ir::ElementType::kF8E5M2:
      ReduceLoop<uint8_t>(result, {5, 2}, exponent_bits, mantissa_bits);
      return result;
    default:
      break;
  }
  // The other one-byte formats are not IEEE-shaped (no infinity, NaN at
  // 0x80, no sign, ...): reduce their exact f32 value and round it back.
  const ir::ByteFloatFormat* format = ir::ByteFloatFormatOf(x.element_type());
  if (format == nullptr) {
    return UnsupportedTypeError(kOp, x.element_type(), "floating-point");
  }
  for (uint8_t& element : result.data<uint8_t>()) {
    const float value =
        static_cast<float>(ir::ByteFloatToDouble(*format, element));
    if (std::isnan(value)) {
      if (mantissa_bits == 0) {
        element = ir::DoubleToByteFloat(
            *format, std::numeric_limits<double>::infinity());
      }
      continue;
    }
    const uint32_t reduced = static_cast<uint32_t>(ReducePrecisionBits(
        ir::FloatBits(value), 8, 23, exponent_bits, mantissa_bits));
    element = ir::DoubleToByteFloat(*format, ir::BitsToFloat(reduced));
  }
  return result;
}

}  // namespace backplane::kernels::elementwise
