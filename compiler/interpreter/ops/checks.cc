// Host-evaluated test ops: interpreter.probe records a value,
// interpreter.print writes one to stdout,
// check.expect_serialized_eq compares against a recorded one, and the
// check.expect_* ops (also spelled custom_call @check.expect_*) compare a
// value with an expected operand or 'value' attribute. A failing check is
// FAILED_PRECONDITION naming its location.
#include "compiler/interpreter/checks.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/interpreter/op_errors.h"
#include "compiler/interpreter/ops/families.h"
#include "compiler/interpreter/print_value.h"
#include "compiler/ir/op_error.h"

namespace backplane::interpreter::ops {
namespace {

using ir::OpCode;

absl::StatusOr<std::vector<ValueRef>> ExecuteProbe(OpContext& ctx) {
  ctx.probes().Record(StringAttrOr(ctx.op(), "probe_id"), ctx.tensor(0));
  return std::vector<ValueRef>{ctx.operands()[0]};
}

absl::StatusOr<std::vector<ValueRef>> ExecutePrint(OpContext& ctx) {
  WritePrintedValue(ctx.tensor(0));
  return std::vector<ValueRef>{ctx.operands()[0]};
}

absl::StatusOr<std::vector<ValueRef>> ExecuteExpectSerializedEq(
    OpContext& ctx) {
  const ir::Op& op = ctx.op();
  const std::string id = StringAttrOr(op, "probe_id");
  // The pretty syntax spells the attribute `iter`.
  const int64_t iteration =
      IntAttrOr(op, "iteration", IntAttrOr(op, "iter", 0));
  std::optional<ir::Literal> expected = ctx.probes().Find(id, iteration);
  if (!expected.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        ir::FormatLocation(op), ": check.expect_serialized_eq: no probe '", id,
        "' iteration ", iteration));
  }
  absl::Status s = ExpectEq(ctx.tensor(0), *expected);
  if (!s.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        ir::FormatLocation(op), ": check.expect_serialized_eq: ", s.message()));
  }
  return std::vector<ValueRef>();
}

// The expected value of a check: its 'value' attribute for the *_const
// checks, its second operand otherwise.
absl::StatusOr<ir::Literal> ExpectedValue(OpContext& ctx,
                                          absl::string_view check) {
  if (absl::EndsWith(check, "_const")) {
    const ir::Attribute* value = ctx.op().attr("value");
    if (value == nullptr ||
        value->kind() != ir::Attribute::Kind::kDenseElements) {
      return absl::InvalidArgumentError("missing dense 'value' attribute");
    }
    return value->literal();
  }
  if (ctx.operands().size() >= 2) return ctx.tensor(1);
  return absl::InvalidArgumentError("needs an expected operand");
}

// check.expect_* and custom_call @check.expect_*; other custom calls are
// UNIMPLEMENTED.
absl::StatusOr<std::vector<ValueRef>> ExecuteCheck(OpContext& ctx) {
  const ir::Op& op = ctx.op();
  absl::string_view check;
  std::string target;
  if (op.code() == OpCode::kCustomCall) {
    target = StringAttrOr(op, "call_target_name");
    if (!absl::StartsWith(target, "check.")) {
      return Unimplemented(op, absl::StrCat("call target @", target));
    }
    check = target;
  } else {
    check = op.name();
  }
  const ir::Literal& actual = ctx.tensor(0);
  ASSIGN_OR_RETURN(ir::Literal expected, ExpectedValue(ctx, check));
  absl::Status s;
  if (check == "check.expect_eq" || check == "check.expect_eq_const") {
    s = ExpectEq(actual, expected);
  } else if (check == "check.expect_almost_eq" ||
             check == "check.expect_almost_eq_const") {
    s = ExpectAlmostEq(actual, expected,
                       FloatAttrOr(op, "tolerance", kAlmostEqTolerance));
  } else if (check == "check.expect_close") {
    s = ExpectClose(
        actual, expected, IntAttrOr(op, "min_ulp_difference", 0),
        IntAttrOr(op, "max_ulp_difference", kDefaultMaxUlpDifference));
  } else {
    return Unimplemented(op, absl::StrCat("check @", check));
  }
  if (!s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(ir::FormatLocation(op), ": ", s.message()));
  }
  return std::vector<ValueRef>();
}

}  // namespace

absl::Status RegisterCheckOps(OpRegistry& registry) {
  RETURN_IF_ERROR(registry.Register(OpCode::kInterpreterProbe, ExecuteProbe));
  RETURN_IF_ERROR(registry.Register(OpCode::kInterpreterPrint, ExecutePrint));
  RETURN_IF_ERROR(registry.Register(OpCode::kCheckExpectSerializedEq,
                                    ExecuteExpectSerializedEq));
  return registry.Register(
      {OpCode::kCheckExpectEq, OpCode::kCheckExpectEqConst,
       OpCode::kCheckExpectAlmostEq, OpCode::kCheckExpectAlmostEqConst,
       OpCode::kCheckExpectClose, OpCode::kCustomCall},
      ExecuteCheck);
}

}  // namespace backplane::interpreter::ops
