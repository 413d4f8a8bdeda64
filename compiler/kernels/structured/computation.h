// How ops with a body region (reduce, reduce_window, scatter,
// select_and_scatter, sort, map) receive that body.
//
// Every body is a generic callback on rank-0 Literals, so the interpreter can
// run any region. When the interpreter recognises the body as one of a few
// common forms it also sets `kind`; kernels then select a typed loop once
// per call and never invoke the callback per element.
//
//   ScalarComputation add;
//   add.kind = BodyKind::kAdd;
//   add.fn = [](absl::Span<const ir::Literal> args) { ... };
//
// For an N-operand op, a recognised kind applies independently to each
// operand pair (accumulator i with element i); callers must only set it
// when the region really does that.
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_COMPUTATION_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_COMPUTATION_H_

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::structured {

enum class BodyKind {
  kGeneric,  // Only `fn` is meaningful.
  kAdd,
  kMultiply,
  kMax,  // NaN-propagating, like stablehlo.maximum.
  kMin,
  kAnd,  // Logical for pred, bitwise for integers.
  kOr,
  kReplace,  // Returns the second argument (scatter's "overwrite").
};

// Arguments: for N operands, the N current values (accumulators) followed by
// the N new values, all rank 0. Returns N rank-0 results.
using ScalarFn = std::function<absl::StatusOr<std::vector<ir::Literal>>(
    absl::Span<const ir::Literal>)>;

struct ScalarComputation {
  BodyKind kind = BodyKind::kGeneric;
  ScalarFn fn;
};

// Comparator of sort and select_and_scatter. `fn` receives 2N rank-0
// Literals (lhs_0, rhs_0, lhs_1, rhs_1, ...) and returns a rank-0 pred.
enum class CompareKind {
  kGeneric,
  kLess,  // Compares operand 0 only.
  kLessEqual,
  kGreater,
  kGreaterEqual,
};

using CompareFn =
    std::function<absl::StatusOr<bool>(absl::Span<const ir::Literal>)>;

struct Comparator {
  CompareKind kind = CompareKind::kGeneric;
  // For floating-point kinds: compare with the TOTALORDER of the spec
  // (-NaN < -Inf < ... < -0 < +0 < ... < +Inf < +NaN) instead of IEEE.
  bool total_order = false;
  CompareFn fn;
};

// Runs a generic ScalarFn over raw element bytes: callers copy values into
// accumulator(i) / value(i), call Call(), and read the new accumulators
// back from accumulator(i). The rank-0 Literals are allocated once.
class ScalarCaller {
 public:
  ScalarCaller(const ScalarFn& fn, absl::Span<const ir::ElementType> types);

  uint8_t* accumulator(size_t i) { return args_[i].untyped_data(); }
  uint8_t* value(size_t i) { return args_[types_.size() + i].untyped_data(); }
  // Invokes the callback on (accumulators..., values...) and stores its
  // results in the accumulators, checking their count and types.
  absl::Status Call();

 private:
  const ScalarFn& fn_;
  std::vector<ir::ElementType> types_;
  std::vector<ir::Literal> args_;
};

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_COMPUTATION_H_
