#include "compiler/kernels/elementwise/iota_complex.h"

#include <cmath>
#include <complex>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/elementwise/kernel_util.h"
#include "compiler/kernels/elementwise/scalar_convert.h"

namespace backplane::kernels::elementwise {

absl::StatusOr<ir::Literal> Iota(const ir::TensorType& type,
                                 int64_t iota_dimension) {
  constexpr absl::string_view kOp = "stablehlo.iota";
  absl::StatusOr<int64_t> count =
      ir::TensorType::CheckedElementCount(type.dims());
  if (!count.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kOp, ": ", count.status().message()));
  }
  if (iota_dimension < 0 || iota_dimension >= type.rank()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kOp, ": iota_dimension ", iota_dimension,
                     " is out of range for rank ", type.rank()));
  }
  if (ClassOf(type.element_type()) == TypeClass::kInvalid) {
    return absl::InvalidArgumentError(
        absl::StrCat(kOp, ": invalid element type"));
  }
  ir::Literal result(type);
  // Row-major: the index along d repeats `inner` times and cycles every
  // `dim * inner` elements.
  int64_t inner = 1;
  for (int64_t d = type.rank() - 1; d > iota_dimension; --d) {
    inner *= type.dim(d);
  }
  const int64_t size = type.dim(iota_dimension);
  absl::Status status = DispatchElementType(type.element_type(), [&](auto tag) {
    constexpr ElementType E = decltype(tag)::kType;
    using Storage = typename ElementTraits<E>::Storage;
    Storage* out = result.data<Storage>().data();
    for (int64_t i = 0; i < *count; ++i) {
      out[i] = ConvertScalar<E>(static_cast<int64_t>((i / inner) % size));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<ir::Literal> Complex(const ir::Literal& real,
                                    const ir::Literal& imag) {
  constexpr absl::string_view kOp = "stablehlo.complex";
  RETURN_IF_ERROR(CheckSameType(kOp, "lhs", real, "rhs", imag));
  const int64_t n = real.element_count();
  if (real.element_type() == ir::ElementType::kF32) {
    ir::Literal result(ir::TensorType(ir::ElementType::kC64, real.dims()));
    auto re = real.data<float>();
    auto im = imag.data<float>();
    auto out = result.data<std::complex<float>>();
    for (int64_t i = 0; i < n; ++i) out[i] = {re[i], im[i]};
    return result;
  }
  if (real.element_type() == ir::ElementType::kF64) {
    ir::Literal result(ir::TensorType(ir::ElementType::kC128, real.dims()));
    auto re = real.data<double>();
    auto im = imag.data<double>();
    auto out = result.data<std::complex<double>>();
    for (int64_t i = 0; i < n; ++i) out[i] = {re[i], im[i]};
    return result;
  }
  return UnsupportedTypeError(kOp, real.element_type(), "f32 or f64");
}

namespace {

template <typename R>
ir::Literal ComplexPart(const ir::Literal& x, ir::ElementType part_type,
                        bool imaginary) {
  ir::Literal result(ir::TensorType(part_type, x.dims()));
  auto in = x.data<std::complex<R>>();
  auto out = result.data<R>();
  for (int64_t i = 0; i < x.element_count(); ++i) {
    out[i] = imaginary ? in[i].imag() : in[i].real();
  }
  return result;
}

absl::StatusOr<ir::Literal> Part(const ir::Literal& x, bool imaginary) {
  const absl::string_view op = imaginary ? "stablehlo.imag" : "stablehlo.real";
  switch (ClassOf(x.element_type())) {
    case TypeClass::kFloat:
      // A real number's real part is itself and its imaginary part is 0
      // (the zero-initialised literal).
      return imaginary ? ir::Literal(x.type()) : x;
    case TypeClass::kComplex:
      if (x.element_type() == ir::ElementType::kC64) {
        return ComplexPart<float>(x, ir::ElementType::kF32, imaginary);
      }
      return ComplexPart<double>(x, ir::ElementType::kF64, imaginary);
    default:
      return UnsupportedTypeError(op, x.element_type(),
                                  "floating-point or complex");
  }
}

absl::string_view ClassifyOpName(FloatClass what) {
  switch (what) {
    case FloatClass::kFinite:
      return "stablehlo.is_finite";
    case FloatClass::kInf:
      return "chlo.is_inf";
    case FloatClass::kNegInf:
      return "chlo.is_neg_inf";
    case FloatClass::kPosInf:
      return "chlo.is_pos_inf";
  }
  return "?";
}

}  // namespace

absl::StatusOr<ir::Literal> Real(const ir::Literal& x) {
  return Part(x, false);
}
absl::StatusOr<ir::Literal> Imag(const ir::Literal& x) { return Part(x, true); }

absl::StatusOr<ir::Literal> Classify(FloatClass what, const ir::Literal& x) {
  if (ClassOf(x.element_type()) != TypeClass::kFloat) {
    return UnsupportedTypeError(ClassifyOpName(what), x.element_type(),
                                "floating-point");
  }
  ir::Literal result(ir::TensorType(ir::ElementType::kPred, x.dims()));
  uint8_t* out = result.untyped_data();
  absl::Status status = DispatchElementType(x.element_type(), [&](auto tag) {
    using Traits = typename decltype(tag)::Traits;
    using Storage = typename Traits::Storage;
    if constexpr (ClassOf(decltype(tag)::kType) == TypeClass::kFloat) {
      const Storage* in = x.data<Storage>().data();
      for (int64_t i = 0; i < x.element_count(); ++i) {
        const auto v = Traits::Load(in[i]);
        switch (what) {
          case FloatClass::kFinite:
            out[i] = std::isfinite(v);
            break;
          case FloatClass::kInf:
            out[i] = std::isinf(v);
            break;
          case FloatClass::kNegInf:
            out[i] = std::isinf(v) && v < 0;
            break;
          case FloatClass::kPosInf:
            out[i] = std::isinf(v) && v > 0;
            break;
        }
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace backplane::kernels::elementwise
