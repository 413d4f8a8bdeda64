// Rules of the remaining ops: tuples, tokens, custom_call, rng, check.* and
// interpreter.probe.
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/legacy_op_rules.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/op_traits.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"

namespace backplane::ir::verify {
namespace {

absl::Status VerifyCheck(const Op& op) {
  switch (op.code()) {
    case OpCode::kCheckExpectEq:
    case OpCode::kCheckExpectAlmostEq:
    case OpCode::kCheckExpectClose:
      if (op.operand(0)->type() != op.operand(1)->type()) {
        return OpError(op, "compared operands must have the same type");
      }
      return absl::OkStatus();
    case OpCode::kCheckExpectEqConst:
    case OpCode::kCheckExpectAlmostEqConst: {
      const Attribute* v = op.attr("value");
      if (!v || v->kind() != Attribute::Kind::kDenseElements) {
        return OpError(op, "needs a dense 'value' attribute");
      }
      if (op.operand(0)->type() != Type::Tensor(v->literal().type())) {
        return OpError(
            op, absl::StrCat("operand type ", op.operand(0)->type().ToString(),
                             " differs from the expected value's ",
                             v->literal().type().ToString()));
      }
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status VerifyTupleOrToken(const Op& op) {
  switch (op.code()) {
    case OpCode::kTuple:
      if (op.result(0)->type() != Type::Tuple(op.operand_types())) {
        return OpError(op, "result must be the tuple of the operand types");
      }
      return absl::OkStatus();
    case OpCode::kGetTupleElement: {
      const Type& t = op.operand(0)->type();
      ASSIGN_OR_RETURN(auto index, Wrap(op, GetI64(op, "index")));
      if (!t.is_tuple() || index < 0 ||
          index >= static_cast<int64_t>(t.tuple_elements().size()) ||
          t.tuple_elements()[index] != op.result(0)->type()) {
        return OpError(op, "index or result type does not match the tuple");
      }
      return absl::OkStatus();
    }
    default:  // after_all, create_token.
      if (!op.result(0)->type().is_token()) {
        return OpError(op, "result must be !stablehlo.token");
      }
      for (int i = 0; i < op.num_operands(); ++i) {
        if (!op.operand(i)->type().is_token()) {
          return OpError(op, "operands must be tokens");
        }
      }
      return absl::OkStatus();
  }
}

}  // namespace

absl::Status VerifyMiscOp(const Op& op) {
  switch (op.code()) {
    case OpCode::kTuple:
    case OpCode::kGetTupleElement:
    case OpCode::kAfterAll:
    case OpCode::kCreateToken:
      return VerifyTupleOrToken(op);
    case OpCode::kCustomCall:
      return Wrap(op, GetString(op, "call_target_name").status());
    case OpCode::kRng:
      return Wrap(op, VerifyLegacyOp(op));
    case OpCode::kRngBitGenerator:
      RETURN_IF_ERROR(AllTensors(op));
      return ExpectResult(op, 0, In(op, 0));
    case OpCode::kInterpreterProbe:
      if (op.operand(0)->type() != op.result(0)->type()) {
        return OpError(op, "result must have the operand's type");
      }
      return Wrap(op, GetString(op, "probe_id").status());
    case OpCode::kSdyShardingConstraint: {
      // The sharding itself is checked against the module's meshes with
      // the function's other shardings (verify/sharding.cc).
      RETURN_IF_ERROR(AllTensors(op));
      const Attribute* s = op.attr("sharding");
      if (s == nullptr || s->kind() != Attribute::Kind::kOpaque) {
        return OpError(op, "needs a 'sharding' attribute (#sdy.sharding<...>)");
      }
      return ExpectResult(op, 0, In(op, 0));
    }
    case OpCode::kInterpreterPrint:
      RETURN_IF_ERROR(AllTensors(op));
      return ExpectResult(op, 0, In(op, 0));
    default:
      if (Traits(op.code()).effect == SideEffect::kHost) return VerifyCheck(op);
      // uniform_quantize / uniform_dequantize: the table's counts only.
      return absl::OkStatus();
  }
}

}  // namespace backplane::ir::verify
