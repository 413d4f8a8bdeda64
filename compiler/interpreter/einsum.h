// stablehlo.einsum and stablehlo.unary_einsum on host literals.
//
//   absl::StatusOr<ir::Literal> c = Einsum("ij,jk->ik", {&a, &b}, result);
//   absl::StatusOr<ir::Literal> t = Einsum("ij->ji", {&a}, result);
//
// The config names each operand dimension with a letter and lists the
// result's letters after "->". A letter repeated within one operand takes
// the diagonal; a letter shared by operands is matched (batch) or, when it
// is not in the result, summed over (contraction); a letter of one operand
// that is missing from the result is summed over too. The result letters
// must be distinct and appear in some operand. Ellipsis ("...") and the
// implicit form without "->" are rejected (the rules are in
// compiler/ir/legacy_op_rules.h, shared with the verifier). Floats accumulate
// in double, integers in wrapping int64 and complex numbers in complex<double>,
// each rounded once to the result element type.
#ifndef BACKPLANE_COMPILER_INTERPRETER_EINSUM_H_
#define BACKPLANE_COMPILER_INTERPRETER_EINSUM_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter {

absl::StatusOr<ir::Literal> Einsum(
    absl::string_view config, absl::Span<const ir::Literal* const> operands,
    const ir::TensorType& result_type);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_EINSUM_H_
