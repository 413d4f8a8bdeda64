#include "compiler/kernels/elementwise/convert.h"

#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/elementwise/kernel_util.h"
#include "compiler/kernels/elementwise/scalar_convert.h"
#include "compiler/kernels/vector_clones.h"

namespace backplane::kernels::elementwise {
namespace {

template <ElementType From, ElementType To>
BACKPLANE_VECTOR_CLONES void ConvertLoop(const void* in, void* out, int64_t n) {
  using FromTraits = ElementTraits<From>;
  const auto* x = static_cast<const typename FromTraits::Storage*>(in);
  auto* y = static_cast<typename ElementTraits<To>::Storage*>(out);
  for (int64_t i = 0; i < n; ++i) {
    y[i] = ConvertScalar<To>(FromTraits::Load(x[i]));
  }
}

// Raw bits of element `i` of a Literal-format buffer whose elements are at
// most 64 bits wide, masked to the type's bit width.
uint64_t ReadBits(const uint8_t* data, int byte_size, int bit_width,
                  int64_t i) {
  uint64_t bits = 0;
  std::memcpy(&bits, data + i * byte_size, byte_size);
  if (bit_width < 64) bits &= (uint64_t{1} << bit_width) - 1;
  return bits;
}

void WriteBits(uint8_t* data, ir::ElementType type, int64_t i, uint64_t bits) {
  const int byte_size = ir::ElementByteSize(type);
  const int width = ir::ElementBitWidth(type);
  if (width < 8 && ClassOf(type) == TypeClass::kSigned &&
      (bits >> (width - 1)) & 1) {
    bits |= ~uint64_t{0} << width;  // Sub-byte signed storage: sign-extend.
  }
  std::memcpy(data + i * byte_size, &bits, byte_size);
}

}  // namespace

absl::Status ConvertInto(ir::ElementType from, ir::ElementType to,
                         int64_t count, const void* in, void* out) {
  RETURN_IF_ERROR(CheckBuffers("stablehlo.convert", count, in, in, out));
  return DispatchElementType(from, [&](auto from_tag) {
    return DispatchElementType(to, [&](auto to_tag) {
      ConvertLoop<decltype(from_tag)::kType, decltype(to_tag)::kType>(in, out,
                                                                      count);
      return absl::OkStatus();
    });
  });
}

absl::StatusOr<ir::Literal> Convert(const ir::Literal& x,
                                    ir::ElementType to_type) {
  if (ClassOf(to_type) == TypeClass::kInvalid) {
    return absl::InvalidArgumentError(
        "stablehlo.convert: invalid result element type");
  }
  ir::Literal result(ir::TensorType(to_type, x.dims()));
  RETURN_IF_ERROR(ConvertInto(x.element_type(), to_type, x.element_count(),
                              x.untyped_data(), result.untyped_data()));
  return result;
}

absl::StatusOr<ir::Literal> BitcastConvert(const ir::Literal& x,
                                           ir::ElementType to_type) {
  constexpr absl::string_view kOp = "stablehlo.bitcast_convert";
  const ir::ElementType from_type = x.element_type();
  if (ClassOf(to_type) == TypeClass::kInvalid ||
      ClassOf(from_type) == TypeClass::kInvalid) {
    return absl::InvalidArgumentError(
        absl::StrCat(kOp, ": invalid element type"));
  }
  const int from_width = ir::ElementBitWidth(from_type);
  const int to_width = ir::ElementBitWidth(to_type);
  std::vector<int64_t> dims = x.dims();
  if (from_width > to_width) {
    if (from_width % to_width != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          kOp, ": cannot split ", ir::ElementTypeToMlir(from_type), " (",
          from_width, " bits) into ", ir::ElementTypeToMlir(to_type), " (",
          to_width, " bits): widths are not multiples"));
    }
    dims.push_back(from_width / to_width);
  } else if (from_width < to_width) {
    if (to_width % from_width != 0 || dims.empty() ||
        dims.back() != to_width / from_width) {
      return absl::InvalidArgumentError(absl::StrCat(
          kOp, ": packing ", x.type().ToString(), " into ",
          ir::ElementTypeToMlir(to_type), " needs a last dimension of ",
          to_width % from_width == 0 ? to_width / from_width : 0,
          " (the bit width ratio)"));
    }
    dims.pop_back();
  }
  ir::Literal result(ir::TensorType(to_type, dims));
  const bool byte_aligned = from_width % 8 == 0 && to_width % 8 == 0 &&
                            from_width == 8 * ir::ElementByteSize(from_type) &&
                            to_width == 8 * ir::ElementByteSize(to_type);
  if (byte_aligned) {
    // Storage is the little-endian bit pattern of each element, so the whole
    // buffer reinterprets in place.
    std::memcpy(result.untyped_data(), x.untyped_data(),
                static_cast<size_t>(x.byte_size()));
    return result;
  }
  // Sub-byte or pred on one side: walk the bit stream. Neither side can be
  // wider than 64 bits here except complex<f64>, which never divides evenly
  // with widths 1/2/4 in a way worth supporting.
  if (from_width > 64 || to_width > 64) {
    return absl::UnimplementedError(
        absl::StrCat(kOp, ": ", ir::ElementTypeToMlir(from_type), " <-> ",
                     ir::ElementTypeToMlir(to_type), " is not supported"));
  }
  const uint8_t* in = x.untyped_data();
  uint8_t* out = result.untyped_data();
  const int from_bytes = ir::ElementByteSize(from_type);
  if (from_width >= to_width) {
    const int ratio = from_width / to_width;
    const uint64_t mask =
        to_width >= 64 ? ~uint64_t{0} : (uint64_t{1} << to_width) - 1;
    for (int64_t i = 0; i < x.element_count(); ++i) {
      const uint64_t bits = ReadBits(in, from_bytes, from_width, i);
      for (int k = 0; k < ratio; ++k) {
        WriteBits(out, to_type, i * ratio + k, (bits >> (k * to_width)) & mask);
      }
    }
  } else {
    const int ratio = to_width / from_width;
    for (int64_t j = 0; j < result.element_count(); ++j) {
      uint64_t bits = 0;
      for (int k = 0; k < ratio; ++k) {
        bits |= ReadBits(in, from_bytes, from_width, j * ratio + k)
                << (k * from_width);
      }
      WriteBits(out, to_type, j, bits);
    }
  }
  return result;
}

}  // namespace backplane::kernels::elementwise
