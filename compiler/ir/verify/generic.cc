// The checks the op table (compiler/ir/op_table.h) makes for every op:
// operand and result counts, the data operand's element category and the
// result element type of element-wise ops.
#include <optional>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_traits.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"

namespace backplane::ir::verify {
namespace {

absl::Status CheckCount(const Op& op, absl::string_view what,
                        const Arity& arity, int actual) {
  if (arity.Accepts(actual)) return absl::OkStatus();
  return OpError(op, absl::StrCat("expected ", arity.exact() ? "" : "at least ",
                                  arity.min, " ", what, "(s), got ", actual));
}

// The element type the table requires of result #0, if it fixes one.
std::optional<ElementType> RequiredResultElement(ElementwiseClass c,
                                                 ElementType data) {
  switch (c) {
    case ElementwiseClass::kUnary:
    case ElementwiseClass::kBinary:
    case ElementwiseClass::kSelect:
    case ElementwiseClass::kClamp:
      return data;
    case ElementwiseClass::kToReal:
      return IsComplex(data) ? ComplexComponentType(data) : data;
    case ElementwiseClass::kToPred:
    case ElementwiseClass::kCompare:
      return ElementType::kPred;
    case ElementwiseClass::kToComplex:
      if (data == ElementType::kF32) return ElementType::kC64;
      if (data == ElementType::kF64) return ElementType::kC128;
      return std::nullopt;  // The family check names the allowed types.
    case ElementwiseClass::kNone:
    case ElementwiseClass::kConvert:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

absl::Status VerifyTableTraits(const Op& op) {
  const OpTraits& t = Traits(op.code());
  RETURN_IF_ERROR(CheckCount(op, "operand", t.operands, op.num_operands()));
  if (t.results.same_as_operands) {
    if (op.num_results() != op.num_operands()) {
      return OpError(
          op, absl::StrCat("expected one result per operand (",
                           op.num_operands(), "), got ", op.num_results()));
    }
  } else {
    RETURN_IF_ERROR(CheckCount(op, "result", t.results, op.num_results()));
  }
  if (t.elementwise == ElementwiseClass::kNone &&
      t.categories == category::kAny) {
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(AllTensors(op));
  // The select predicate is operand #0; its branches carry the data.
  const int data = t.elementwise == ElementwiseClass::kSelect ? 1 : 0;
  const TensorType& in = In(op, data);
  if ((CategoryOf(in.element_type()) & t.categories) == 0) {
    return OpError(
        op, absl::StrCat("element type ", ElementTypeToMlir(in.element_type()),
                         " is not supported"));
  }
  std::optional<ElementType> required =
      RequiredResultElement(t.elementwise, in.element_type());
  if (required && Out(op, 0).element_type() != *required) {
    // Broadcasting ops take their shape from the result; the others from the
    // data operand.
    const TensorType inferred(*required, IsImplicitlyBroadcasting(op.code())
                                             ? Out(op, 0).dims()
                                             : in.dims());
    return ExpectResult(op, 0, inferred);
  }
  return absl::OkStatus();
}

}  // namespace backplane::ir::verify
