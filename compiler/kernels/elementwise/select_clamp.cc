#include "compiler/kernels/elementwise/select_clamp.h"

#include <complex>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/elementwise/kernel_util.h"
#include "compiler/kernels/elementwise/scalar_ops.h"

namespace backplane::kernels::elementwise {
namespace {

// Select only moves bytes, so it is typed on the element size alone.
template <int kSize>
struct Bytes {
  uint8_t b[kSize];
};

template <typename Unit>
void SelectLoop(const uint8_t* pred, int64_t pred_stride, const void* t,
                const void* f, void* out, int64_t n) {
  const Unit* on_true = static_cast<const Unit*>(t);
  const Unit* on_false = static_cast<const Unit*>(f);
  Unit* result = static_cast<Unit*>(out);
  for (int64_t i = 0; i < n; ++i) {
    result[i] = pred[i * pred_stride] ? on_true[i] : on_false[i];
  }
}

// Accepts a bound/predicate that is 0-dimensional or shaped like `like`.
absl::Status CheckScalarOrSameShape(absl::string_view op,
                                    absl::string_view name,
                                    const ir::Literal& value,
                                    const ir::Literal& like) {
  if (value.dims().empty() || value.dims() == like.dims()) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(op, ": ", name, " has type ", value.type().ToString(),
                   " but must be 0-dimensional or have the shape of ",
                   like.type().ToString()));
}

}  // namespace

absl::StatusOr<ir::Literal> Select(const ir::Literal& pred,
                                   const ir::Literal& on_true,
                                   const ir::Literal& on_false) {
  constexpr absl::string_view kOp = "stablehlo.select";
  if (pred.element_type() != ir::ElementType::kPred) {
    return absl::InvalidArgumentError(
        absl::StrCat(kOp, ": pred has type ", pred.type().ToString(),
                     " but its element type must be i1"));
  }
  if (absl::Status s =
          CheckSameType(kOp, "on_true", on_true, "on_false", on_false);
      !s.ok()) {
    return s;
  }
  RETURN_IF_ERROR(CheckScalarOrSameShape(kOp, "pred", pred, on_true));
  ir::Literal result(on_true.type());
  const int64_t n = on_true.element_count();
  const int64_t stride = pred.dims().empty() ? 0 : 1;
  const uint8_t* p = pred.untyped_data();
  const void* t = on_true.untyped_data();
  const void* f = on_false.untyped_data();
  void* out = result.untyped_data();
  switch (ir::ElementByteSize(on_true.element_type())) {
    case 1:
      SelectLoop<uint8_t>(p, stride, t, f, out, n);
      break;
    case 2:
      SelectLoop<uint16_t>(p, stride, t, f, out, n);
      break;
    case 4:
      SelectLoop<uint32_t>(p, stride, t, f, out, n);
      break;
    case 8:
      SelectLoop<uint64_t>(p, stride, t, f, out, n);
      break;
    case 16:
      SelectLoop<Bytes<16>>(p, stride, t, f, out, n);
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(kOp, ": invalid element type"));
  }
  return result;
}

absl::StatusOr<ir::Literal> Clamp(const ir::Literal& min,
                                  const ir::Literal& operand,
                                  const ir::Literal& max) {
  constexpr absl::string_view kOp = "stablehlo.clamp";
  for (const auto& [name, bound] :
       {std::pair<absl::string_view, const ir::Literal*>{"min", &min},
        {"max", &max}}) {
    if (bound->element_type() != operand.element_type()) {
      return absl::InvalidArgumentError(
          absl::StrCat(kOp, ": ", name, " has type ", bound->type().ToString(),
                       " but operand has type ", operand.type().ToString(),
                       "; element types must be equal"));
    }
    RETURN_IF_ERROR(CheckScalarOrSameShape(kOp, name, *bound, operand));
  }
  ir::Literal result(operand.type());
  const int64_t n = operand.element_count();
  const int64_t min_stride = min.dims().empty() ? 0 : 1;
  const int64_t max_stride = max.dims().empty() ? 0 : 1;
  absl::Status status =
      DispatchElementType(operand.element_type(), [&](auto tag) {
        using Traits = typename decltype(tag)::Traits;
        using Storage = typename Traits::Storage;
        using Compute = typename Traits::Compute;
        constexpr int kBits = Traits::kBits;
        const Storage* lo = min.data<Storage>().data();
        const Storage* hi = max.data<Storage>().data();
        const Storage* x = operand.data<Storage>().data();
        Storage* y = result.data<Storage>().data();
        for (int64_t i = 0; i < n; ++i) {
          const Compute raised =
              ApplyBinary<BinaryOp::kMaximum, Compute, kBits>(
                  Traits::Load(x[i]), Traits::Load(lo[i * min_stride]));
          y[i] = Traits::Store(ApplyBinary<BinaryOp::kMinimum, Compute, kBits>(
              raised, Traits::Load(hi[i * max_stride])));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

}  // namespace backplane::kernels::elementwise
