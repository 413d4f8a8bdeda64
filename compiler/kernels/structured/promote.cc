#include "compiler/kernels/structured/promote.h"

#include <complex>
#include <type_traits>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {
namespace {

// Converts one f64 to a narrow or native float storage value.
template <typename To>
typename To::Storage FromDouble(double v) {
  if constexpr (To::kElementType == ir::ElementType::kF16) {
    return ir::DoubleToHalf(v);
  } else if constexpr (To::kElementType == ir::ElementType::kBF16) {
    return ir::DoubleToBF16(v);
  } else if constexpr (std::is_same_v<typename To::Acc, float>) {
    return To::Store(static_cast<float>(v));
  } else {
    return To::Store(static_cast<typename To::Acc>(v));
  }
}

}  // namespace

absl::StatusOr<ir::Literal> PromoteElements(const ir::Literal& x,
                                            ir::ElementType to) {
  if (x.element_type() == to) return x;
  const bool from_float =
      ir::IsFloat(x.element_type()) || ir::IsComplex(x.element_type());
  const bool to_float = ir::IsFloat(to) || ir::IsComplex(to);
  if ((ir::IsComplex(x.element_type()) && !ir::IsComplex(to)) ||
      (from_float && !to_float)) {
    return OpError("promote", "cannot promote ", x.type().ToString(), " to ",
                   ir::ElementTypeToMlir(to));
  }
  ir::Literal out(ir::TensorType(to, x.dims()));
  const int64_t n = x.element_count();
  return DispatchArithmetic(
      x.element_type(), [&](auto from) -> absl::StatusOr<ir::Literal> {
        using F = decltype(from);
        const typename F::Storage* src = x.data<typename F::Storage>().data();
        RETURN_IF_ERROR(
            DispatchArithmetic(to, [&](auto dst_traits) -> absl::Status {
              using T = decltype(dst_traits);
              using Storage = typename T::Storage;
              Storage* dst = out.data<Storage>().data();
              for (int64_t i = 0; i < n; ++i) {
                const auto v = F::Load(src[i]);
                if constexpr (F::kIsComplex) {
                  if constexpr (T::kIsComplex) {
                    dst[i] = static_cast<Storage>(v);
                  }
                } else if constexpr (T::kIsComplex) {
                  dst[i] =
                      Storage(static_cast<typename Storage::value_type>(v));
                } else if constexpr (T::kIsFloat) {
                  dst[i] = FromDouble<T>(static_cast<double>(v));
                } else if constexpr (F::kIsFloat) {
                  // Rejected above: float to integer is never a promotion.
                } else if constexpr (T::kElementType ==
                                     ir::ElementType::kPred) {
                  dst[i] = v != 0;
                } else {
                  // Integer/pred to integer/pred: extend, then wrap.
                  dst[i] = T::Store(static_cast<typename T::Acc>(v));
                }
              }
              return absl::OkStatus();
            }));
        return std::move(out);
      });
}

}  // namespace backplane::kernels::structured
