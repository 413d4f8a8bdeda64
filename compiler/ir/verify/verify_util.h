// Helpers shared by the verifier's family files (compiler/ir/verify/*.cc):
// op-prefixed errors, count/tensor/region checks and typed operand access.
//
//   RETURN_IF_ERROR(ExpectCounts(op, 2, 1));
//   ASSIGN_OR_RETURN(auto t, Wrap(op, InferPadType(In(op, 0), ...)));
//   return ExpectResult(op, 0, t);  // "f.mlir:3:5: stablehlo.pad: ..."
#ifndef BACKPLANE_COMPILER_IR_VERIFY_VERIFY_UTIL_H_
#define BACKPLANE_COMPILER_IR_VERIFY_VERIFY_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/op_error.h"

namespace backplane::ir::verify {

// INVALID_ARGUMENT "<where>: <op name>: <message>".
absl::Status OpError(const Op& op, absl::string_view message);

// Prefixes a bare message (from shape inference or accessors) with the op.
absl::Status Wrap(const Op& op, const absl::Status& status);
template <typename T>
absl::StatusOr<T> Wrap(const Op& op, absl::StatusOr<T> value) {
  if (!value.ok()) return Wrap(op, value.status());
  return value;
}

// Exact counts; a negative count is not checked.
absl::Status ExpectCounts(const Op& op, int operands, int results);
absl::Status ExpectRegions(const Op& op, int n);
// Every operand and result is a tensor.
absl::Status AllTensors(const Op& op);

inline const TensorType& In(const Op& op, int i) {
  return op.operand(i)->type().tensor();
}
inline const TensorType& Out(const Op& op, int i) {
  return op.result(i)->type().tensor();
}

// "result #i has type X but Y was inferred" unless they are equal.
absl::Status ExpectResult(const Op& op, int i, const TensorType& inferred);

// The tensor types of operands [begin, end).
std::vector<TensorType> Inputs(const Op& op, int begin, int end);
// Rank-0 tensors of the same element types.
std::vector<Type> ScalarTypes(const std::vector<TensorType>& tensors);

// Checks a single-block region's argument types and returned types.
absl::Status CheckRegion(const Op& op, int index, const std::vector<Type>& args,
                         const std::vector<Type>& returns);

}  // namespace backplane::ir::verify

#endif  // BACKPLANE_COMPILER_IR_VERIFY_VERIFY_UTIL_H_
