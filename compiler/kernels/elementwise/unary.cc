#include "compiler/kernels/elementwise/unary.h"

#include <complex>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/elementwise/kernel_util.h"
#include "compiler/kernels/elementwise/scalar_ops.h"
#include "compiler/kernels/vector_clones.h"

namespace backplane::kernels::elementwise {
namespace {

template <UnaryOp kOp, ElementType E>
BACKPLANE_VECTOR_CLONES void UnaryLoop(const void* in, void* out, int64_t n) {
  using Traits = ElementTraits<E>;
  using Storage = typename Traits::Storage;
  using Compute = typename Traits::Compute;
  const Storage* x = static_cast<const Storage*>(in);
  if constexpr (kOp == UnaryOp::kAbs && ClassOf(E) == TypeClass::kComplex) {
    using Real = typename Compute::value_type;
    Real* y = static_cast<Real*>(out);
    for (int64_t i = 0; i < n; ++i) y[i] = std::abs(x[i]);
  } else {
    Storage* y = static_cast<Storage*>(out);
    for (int64_t i = 0; i < n; ++i) {
      y[i] = Traits::Store(
          ApplyUnary<kOp, Compute, Traits::kBits>(Traits::Load(x[i])));
    }
  }
}

BACKPLANE_VECTOR_CLONES void FastExpF32Loop(const void* in, void* out,
                                            int64_t n) {
  const float* x = static_cast<const float*>(in);
  float* y = static_cast<float*>(out);
  for (int64_t i = 0; i < n; ++i) y[i] = scalar_internal::FastExpF32(x[i]);
}

template <ElementType E>
UnaryLoopFn UnaryLoopFor(UnaryOp op) {
  switch (op) {
#define BACKPLANE_UNARY_CASE(OP)                     \
  case UnaryOp::OP:                                  \
    if constexpr (UnaryOpSupports(UnaryOp::OP, E)) { \
      return &UnaryLoop<UnaryOp::OP, E>;             \
    }                                                \
    break;
    BACKPLANE_UNARY_CASE(kAbs)
    BACKPLANE_UNARY_CASE(kCbrt)
    BACKPLANE_UNARY_CASE(kCeil)
    BACKPLANE_UNARY_CASE(kCosine)
    BACKPLANE_UNARY_CASE(kCountLeadingZeros)
    BACKPLANE_UNARY_CASE(kExponential)
    BACKPLANE_UNARY_CASE(kExponentialMinusOne)
    BACKPLANE_UNARY_CASE(kFloor)
    BACKPLANE_UNARY_CASE(kLog)
    BACKPLANE_UNARY_CASE(kLogPlusOne)
    BACKPLANE_UNARY_CASE(kLogistic)
    BACKPLANE_UNARY_CASE(kNegate)
    BACKPLANE_UNARY_CASE(kNot)
    BACKPLANE_UNARY_CASE(kPopcnt)
    BACKPLANE_UNARY_CASE(kRoundNearestAfz)
    BACKPLANE_UNARY_CASE(kRoundNearestEven)
    BACKPLANE_UNARY_CASE(kRsqrt)
    BACKPLANE_UNARY_CASE(kSign)
    BACKPLANE_UNARY_CASE(kSine)
    BACKPLANE_UNARY_CASE(kSqrt)
    BACKPLANE_UNARY_CASE(kTan)
    BACKPLANE_UNARY_CASE(kTanh)
    BACKPLANE_UNARY_CASE(kAcos)
    BACKPLANE_UNARY_CASE(kAcosh)
    BACKPLANE_UNARY_CASE(kAsin)
    BACKPLANE_UNARY_CASE(kAsinh)
    BACKPLANE_UNARY_CASE(kAtan)
    BACKPLANE_UNARY_CASE(kAtanh)
    BACKPLANE_UNARY_CASE(kBesselI1e)
    BACKPLANE_UNARY_CASE(kConj)
    BACKPLANE_UNARY_CASE(kCosh)
    BACKPLANE_UNARY_CASE(kDigamma)
    BACKPLANE_UNARY_CASE(kErf)
    BACKPLANE_UNARY_CASE(kErfc)
    BACKPLANE_UNARY_CASE(kErfInv)
    BACKPLANE_UNARY_CASE(kLgamma)
    BACKPLANE_UNARY_CASE(kSinh)
    BACKPLANE_UNARY_CASE(kSquare)
#undef BACKPLANE_UNARY_CASE
  }
  return nullptr;
}

absl::string_view AllowedTypes(UnaryOp op) {
  switch (op) {
    case UnaryOp::kAbs:
    case UnaryOp::kSign:
      return "signed integer, floating-point or complex";
    case UnaryOp::kNegate:
    case UnaryOp::kSquare:
      return "integer, floating-point or complex";
    case UnaryOp::kNot:
      return "boolean or integer";
    case UnaryOp::kPopcnt:
    case UnaryOp::kCountLeadingZeros:
      return "integer";
    case UnaryOp::kCeil:
    case UnaryOp::kFloor:
    case UnaryOp::kRoundNearestAfz:
    case UnaryOp::kRoundNearestEven:
    case UnaryOp::kBesselI1e:
    case UnaryOp::kDigamma:
    case UnaryOp::kErf:
    case UnaryOp::kErfc:
    case UnaryOp::kErfInv:
    case UnaryOp::kLgamma:
      return "floating-point";
    default:
      return "floating-point or complex";
  }
}

}  // namespace

ir::ElementType UnaryResultType(UnaryOp op, ir::ElementType type) {
  if (op == UnaryOp::kAbs && ClassOf(type) == TypeClass::kComplex) {
    return ir::ComplexComponentType(type);
  }
  return type;
}

absl::Status UnaryInto(UnaryOp op, ir::ElementType type, int64_t count,
                       const void* x, void* out) {
  if (!UnaryOpSupports(op, type)) {
    return UnsupportedTypeError(UnaryOpName(op), type, AllowedTypes(op));
  }
  RETURN_IF_ERROR(CheckBuffers(UnaryOpName(op), count, x, x, out));
  ASSIGN_OR_RETURN(UnaryLoopFn loop, ResolveUnaryLoop(op, type));
  (loop)(x, out, count);
  return absl::OkStatus();
}

absl::StatusOr<UnaryLoopFn> ResolveUnaryLoop(UnaryOp op, ir::ElementType type,
                                             MathAccuracy accuracy) {
  if (!UnaryOpSupports(op, type)) {
    return UnsupportedTypeError(UnaryOpName(op), type, AllowedTypes(op));
  }
  if (accuracy == MathAccuracy::kFast && op == UnaryOp::kExponential &&
      type == ElementType::kF32) {
    return &FastExpF32Loop;
  }
  UnaryLoopFn loop = nullptr;
  absl::Status s = DispatchElementType(type, [&](auto tag) {
    loop = UnaryLoopFor<decltype(tag)::kType>(op);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (loop == nullptr) {
    return absl::InternalError("unreachable: unary op/type check passed");
  }
  return loop;
}

absl::StatusOr<ir::Literal> Unary(UnaryOp op, const ir::Literal& x) {
  if (!UnaryOpSupports(op, x.element_type())) {
    return UnsupportedTypeError(UnaryOpName(op), x.element_type(),
                                AllowedTypes(op));
  }
  ir::Literal result(
      ir::TensorType(UnaryResultType(op, x.element_type()), x.dims()));
  RETURN_IF_ERROR(UnaryInto(op, x.element_type(), x.element_count(),
                            x.untyped_data(), result.untyped_data()));
  return result;
}

}  // namespace backplane::kernels::elementwise
