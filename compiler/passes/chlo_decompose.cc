#include "compiler/passes/chlo_decompose.h"

#include <limits>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "compiler/passes/ir_util.h"

namespace backplane::passes {
namespace {

using ir::ElementType;
using ir::Op;
using ir::OpCode;
using ir::Type;
using ir::Value;

// The StableHLO op a chlo.broadcast_* op becomes, if any.
std::optional<OpCode> PlainOpOf(OpCode code) {
  switch (code) {
    case OpCode::kChloBroadcastAdd:
      return OpCode::kAdd;
    case OpCode::kChloBroadcastAnd:
      return OpCode::kAnd;
    case OpCode::kChloBroadcastAtan2:
      return OpCode::kAtan2;
    case OpCode::kChloBroadcastCompare:
      return OpCode::kCompare;
    case OpCode::kChloBroadcastComplex:
      return OpCode::kComplex;
    case OpCode::kChloBroadcastDivide:
      return OpCode::kDivide;
    case OpCode::kChloBroadcastMaximum:
      return OpCode::kMaximum;
    case OpCode::kChloBroadcastMinimum:
      return OpCode::kMinimum;
    case OpCode::kChloBroadcastMultiply:
      return OpCode::kMultiply;
    case OpCode::kChloBroadcastOr:
      return OpCode::kOr;
    case OpCode::kChloBroadcastPower:
      return OpCode::kPower;
    case OpCode::kChloBroadcastRemainder:
      return OpCode::kRemainder;
    case OpCode::kChloBroadcastSelect:
      return OpCode::kSelect;
    case OpCode::kChloBroadcastShiftLeft:
      return OpCode::kShiftLeft;
    case OpCode::kChloBroadcastShiftRightArithmetic:
      return OpCode::kShiftRightArithmetic;
    case OpCode::kChloBroadcastShiftRightLogical:
      return OpCode::kShiftRightLogical;
    case OpCode::kChloBroadcastSubtract:
      return OpCode::kSubtract;
    case OpCode::kChloBroadcastXor:
      return OpCode::kXor;
    default:
      return std::nullopt;
  }
}

class Rewriter {
 public:
  explicit Rewriter(Op* at) : at_(at) {}

  Value* Create(OpCode code, const std::vector<Value*>& operands, Type type,
                ir::NamedAttrList attrs = {}) {
    std::unique_ptr<Op> op =
        Op::Create(code, operands, {std::move(type)}, std::move(attrs));
    op->location() = at_->location();
    return at_->parent_block()->InsertBefore(at_, std::move(op))->result(0);
  }

  // A splat of `value` with the given type (via a scalar and a broadcast,
  // so large shapes cost nothing).
  Value* Splat(const ir::TensorType& type, double value) {
    Value* scalar = InsertConstant(
        at_, SplatLiteral(ir::TensorType(type.element_type(), {}), value));
    if (type.rank() == 0) return scalar;
    ir::NamedAttrList attrs;
    attrs.Set("broadcast_dimensions",
              ir::Attribute::DenseArray(ElementType::kS64, {}));
    return Create(OpCode::kBroadcastInDim, {scalar}, Type::Tensor(type),
                  std::move(attrs));
  }

  // `v` broadcast to `dims` (keeping its element type) as CHLO defines it.
  absl::StatusOr<Value*> BroadcastTo(
      Value* v, const std::vector<int64_t>& dims,
      const std::vector<int64_t>* explicit_dims) {
    if (!v->type().is_tensor()) {
      return absl::InvalidArgumentError("operand is not a tensor");
    }
    const std::vector<int64_t>& from = v->type().dims();
    if (from == dims) return v;
    const int64_t rank = static_cast<int64_t>(dims.size());
    const int64_t from_rank = static_cast<int64_t>(from.size());
    std::vector<int64_t> mapping;
    if (explicit_dims != nullptr && from_rank < rank) {
      mapping = *explicit_dims;
    } else {
      for (int64_t i = 0; i < from_rank; ++i) {
        mapping.push_back(rank - from_rank + i);
      }
    }
    if (static_cast<int64_t>(mapping.size()) != from_rank) {
      return absl::InvalidArgumentError(
          absl::StrCat("broadcast_dimensions has ", mapping.size(),
                       " entries for an operand of rank ", from_rank));
    }
    for (int64_t i = 0; i < from_rank; ++i) {
      int64_t d = mapping[i];
      if (d < 0 || d >= rank || (from[i] != 1 && from[i] != dims[d])) {
        return absl::InvalidArgumentError(absl::StrCat(
            "operand ", v->type().ToString(), " cannot broadcast to shape [",
            absl::StrJoin(dims, "x"), "]"));
      }
    }
    ir::NamedAttrList attrs;
    attrs.Set("broadcast_dimensions",
              ir::Attribute::DenseArray(ElementType::kS64, mapping));
    return Create(OpCode::kBroadcastInDim, {v},
                  Type::Tensor(v->type().element_type(), dims),
                  std::move(attrs));
  }

 private:
  Op* at_;
};

// Copies a CHLO enum attribute into the StableHLO dialect.
ir::Attribute AsStablehloEnum(const ir::Attribute& a) {
  if (a.kind() != ir::Attribute::Kind::kEnum) return a;
  return ir::Attribute::Enum(a.enum_kind(), a.enum_value(), "stablehlo");
}

absl::StatusOr<bool> Decompose(Op* op) {
  if (op->num_results() != 1 || !op->result(0)->type().is_tensor()) {
    return false;
  }
  const Type result_type = op->result(0)->type();
  const ElementType et = result_type.element_type();
  Rewriter rw(op);
  Value* replacement = nullptr;

  if (std::optional<OpCode> plain = PlainOpOf(op->code())) {
    // Malformed ops (unverified input) are left for the verifier to report.
    if (op->num_operands() != (*plain == OpCode::kSelect ? 3 : 2)) {
      return false;
    }
    const std::vector<int64_t>* explicit_dims =
        DenseArrayAttr(*op, "broadcast_dimensions");
    std::vector<Value*> operands;
    for (Value* v : op->operands()) {
      absl::StatusOr<Value*> b =
          rw.BroadcastTo(v, result_type.dims(), explicit_dims);
      if (!b.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(op->name(), ": ", b.status().message()));
      }
      operands.push_back(*b);
    }
    ir::NamedAttrList attrs;
    if (*plain == OpCode::kCompare) {
      for (const char* name : {"comparison_direction", "compare_type"}) {
        if (const ir::Attribute* a = op->attr(name)) {
          attrs.Set(name, AsStablehloEnum(*a));
        }
      }
    }
    replacement = rw.Create(*plain, operands, result_type, std::move(attrs));
  } else {
    if (op->code() != OpCode::kChloConstant && op->num_operands() != 1) {
      return false;
    }
    Value* x = op->num_operands() > 0 ? op->operand(0) : nullptr;
    switch (op->code()) {
      case OpCode::kChloSquare:
        if (ir::IsComplex(et)) return false;
        replacement = rw.Create(OpCode::kMultiply, {x, x}, result_type);
        break;
      case OpCode::kChloConj: {
        if (!ir::IsComplex(et)) {
          replacement = x;
          break;
        }
        Type part =
            Type::Tensor(ir::ComplexComponentType(et), result_type.dims());
        Value* re = rw.Create(OpCode::kReal, {x}, part);
        Value* im = rw.Create(OpCode::kImag, {x}, part);
        Value* neg = rw.Create(OpCode::kNegate, {im}, part);
        replacement = rw.Create(OpCode::kComplex, {re, neg}, result_type);
        break;
      }
      case OpCode::kChloIsInf:
      case OpCode::kChloIsPosInf:
      case OpCode::kChloIsNegInf: {
        if (!x->type().is_tensor() || !ir::IsFloat(x->type().element_type())) {
          return false;
        }
        const double inf = std::numeric_limits<double>::infinity();
        Value* subject = x;
        double target = inf;
        if (op->code() == OpCode::kChloIsInf) {
          subject = rw.Create(OpCode::kAbs, {x}, x->type());
        } else if (op->code() == OpCode::kChloIsNegInf) {
          target = -inf;
        }
        Value* bound = rw.Splat(x->type().tensor(), target);
        ir::NamedAttrList attrs;
        attrs.Set("comparison_direction",
                  ir::Attribute::Enum(
                      ir::EnumKind::kComparisonDirection,
                      static_cast<int>(ir::ComparisonDirection::kEq)));
        attrs.Set(
            "compare_type",
            ir::Attribute::Enum(ir::EnumKind::kComparisonType,
                                static_cast<int>(ir::ComparisonType::kFloat)));
        replacement = rw.Create(OpCode::kCompare, {subject, bound}, result_type,
                                std::move(attrs));
        break;
      }
      case OpCode::kChloTan:
        replacement = rw.Create(OpCode::kTan, {x}, result_type);
        break;
      case OpCode::kChloConstant: {
        const ir::Attribute* value = op->attr("value");
        if (value == nullptr) return false;
        ir::NamedAttrList attrs;
        attrs.Set("value", *value);
        replacement =
            rw.Create(OpCode::kConstant, {}, result_type, std::move(attrs));
        break;
      }
      case OpCode::kChloConstantLike: {
        const ir::Attribute* value = op->attr("value");
        if (value == nullptr) return false;
        double v;
        if (value->kind() == ir::Attribute::Kind::kFloat) {
          v = value->float_value();
        } else if (value->kind() == ir::Attribute::Kind::kInteger) {
          v = static_cast<double>(value->int_value());
        } else if (value->kind() == ir::Attribute::Kind::kBool) {
          v = value->bool_value() ? 1 : 0;
        } else {
          return false;  // E.g. a complex value: leave it to the kernels.
        }
        replacement = rw.Splat(result_type.tensor(), v);
        break;
      }
      default:
        return false;
    }
  }
  if (replacement->type() != result_type) {
    return absl::InternalError(absl::StrCat(
        op->name(), ": decomposition produced ", replacement->type().ToString(),
        " instead of ", result_type.ToString()));
  }
  absl::Status s = ReplaceOp(op, {replacement});
  if (!s.ok()) return s;
  return true;
}

class ChloDecomposePass : public Pass {
 public:
  absl::string_view name() const override { return "chlo-decompose"; }
  absl::StatusOr<bool> Run(ir::Module& module) override {
    std::vector<Op*> ops;
    ir::Walk(module, [&](Op& op) {
      if (op.name().substr(0, 5) == "chlo.") ops.push_back(&op);
    });
    bool changed = false;
    for (Op* op : ops) {
      ASSIGN_OR_RETURN(bool c, Decompose(op));
      changed |= c;
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> CreateChloDecomposePass() {
  return std::make_unique<ChloDecomposePass>();
}

}  // namespace backplane::passes
