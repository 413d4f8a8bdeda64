#include "compiler/passes/canonicalize.h"

#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "base/status_macros.h"
#include "compiler/passes/dce.h"
#include "compiler/passes/ir_util.h"
#include "compiler/passes/op_properties.h"

namespace backplane::passes {
namespace {

using ir::ElementType;
using ir::Op;
using ir::OpCode;
using ir::Value;

// The literal behind `v` when `v` is a constant, or a broadcast_in_dim or
// reshape of a splat constant (which repeat one value).
const ir::Literal* SplatSource(const Value* v) {
  const Op* def = v->defining_op();
  for (int hops = 0; def != nullptr && hops < 8; ++hops) {
    if (def->code() == OpCode::kConstant) {
      const ir::Literal* lit = ConstantValue(v);
      if (lit == nullptr) return nullptr;
      return hops == 0 || IsSplat(*lit) ? lit : nullptr;
    }
    if (def->code() != OpCode::kBroadcastInDim &&
        def->code() != OpCode::kReshape) {
      return nullptr;
    }
    v = def->operand(0);
    def = v->defining_op();
  }
  return nullptr;
}

bool IsSplatValue(const Value* v, double value) {
  const ir::Literal* lit = SplatSource(v);
  return lit != nullptr && IsSplatOf(*lit, value);
}

bool IsIntegral(ElementType t) { return ir::IsInteger(t) || ir::IsPred(t); }

bool IsIota(const std::vector<int64_t>& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != static_cast<int64_t>(i)) return false;
  }
  return true;
}

std::optional<ir::ComparisonDirection> Direction(const Op& op) {
  const ir::Attribute* a = op.attr("comparison_direction");
  if (a == nullptr || a->kind() != ir::Attribute::Kind::kEnum ||
      a->enum_kind() != ir::EnumKind::kComparisonDirection) {
    return std::nullopt;
  }
  return static_cast<ir::ComparisonDirection>(a->enum_value());
}

bool IsTotalOrder(const Op& op) {
  const ir::Attribute* a = op.attr("compare_type");
  return a != nullptr && a->kind() == ir::Attribute::Kind::kEnum &&
         a->enum_kind() == ir::EnumKind::kComparisonType &&
         a->enum_value() == static_cast<int>(ir::ComparisonType::kTotalOrder);
}

template <typename T>
bool CompareValues(ir::ComparisonDirection d, T a, T b) {
  switch (d) {
    case ir::ComparisonDirection::kEq:
      return a == b;
    case ir::ComparisonDirection::kNe:
      return a != b;
    case ir::ComparisonDirection::kGe:
      return a >= b;
    case ir::ComparisonDirection::kGt:
      return a > b;
    case ir::ComparisonDirection::kLe:
      return a <= b;
    case ir::ComparisonDirection::kLt:
      return a < b;
  }
  return false;
}

// The fewest operands the rewrites for `code` read.
int ExpectedOperands(OpCode code) {
  switch (code) {
    case OpCode::kAdd:
    case OpCode::kSubtract:
    case OpCode::kMultiply:
    case OpCode::kAnd:
    case OpCode::kOr:
    case OpCode::kXor:
    case OpCode::kMaximum:
    case OpCode::kMinimum:
    case OpCode::kCompare:
      return 2;
    case OpCode::kSelect:
      return 3;
    default:
      return 1;
  }
}

class Canonicalizer {
 public:
  explicit Canonicalizer(const CanonicalizeOptions& options)
      : options_(options) {}

  // One sweep over a region; true when anything changed.
  absl::StatusOr<bool> Sweep(ir::Region& region) {
    bool changed = false;
    for (int b = 0; b < region.num_blocks(); ++b) {
      std::vector<Op*> ops;
      for (const auto& op : region.block(b)->ops()) ops.push_back(op.get());
      // Rewrites only erase the op they are given and only insert before
      // it, so the pointers still to be visited stay valid.
      for (Op* op : ops) {
        for (int r = 0; r < op->num_regions(); ++r) {
          ASSIGN_OR_RETURN(bool c, Sweep(*op->region(r)));
          changed |= c;
        }
        ASSIGN_OR_RETURN(bool c, Simplify(op));
        changed |= c;
      }
    }
    return changed;
  }

 private:
  // Replaces `op`'s single result by `v` when the types agree.
  absl::StatusOr<bool> ReplaceWith(Op* op, Value* v) {
    if (v->type() != op->result(0)->type()) return false;
    absl::Status s = ReplaceOp(op, {v});
    if (!s.ok()) return s;
    return true;
  }

  // A splat of `value` shaped like `op`'s result, inserted before `op`.
  Value* MakeSplat(Op* op, double value) {
    const ir::TensorType& type = op->result(0)->type().tensor();
    if (type.byte_size() <= options_.max_constant_bytes) {
      return InsertConstant(op, SplatLiteral(type, value));
    }
    Value* scalar = InsertConstant(
        op, SplatLiteral(ir::TensorType(type.element_type(), {}), value));
    ir::NamedAttrList attrs;
    attrs.Set("broadcast_dimensions",
              ir::Attribute::DenseArray(ElementType::kS64, {}));
    std::unique_ptr<Op> b =
        Op::Create(OpCode::kBroadcastInDim, {scalar}, {op->result(0)->type()},
                   std::move(attrs));
    b->location() = op->location();
    return op->parent_block()->InsertBefore(op, std::move(b))->result(0);
  }

  absl::StatusOr<bool> ReplaceWithSplat(Op* op, double value) {
    return ReplaceWith(op, MakeSplat(op, value));
  }

  absl::StatusOr<bool> Simplify(Op* op) {
    if (op->code() == OpCode::kGetTupleElement) return SimplifyGte(op);
    if (op->num_results() != 1 || !op->result(0)->type().is_tensor()) {
      return false;
    }
    // The rewrites assume verified IR; a malformed op (say, a binary op
    // with one operand) is simply left alone.
    if (op->num_operands() < ExpectedOperands(op->code())) return false;
    const ElementType et = op->result(0)->type().element_type();
    const bool integral = IsIntegral(et);
    const bool real_float = ir::IsFloat(et);
    Value* x = op->num_operands() > 0 ? op->operand(0) : nullptr;
    Value* y = op->num_operands() > 1 ? op->operand(1) : nullptr;

    switch (op->code()) {
      case OpCode::kAdd:
        if (integral) {
          if (IsSplatValue(y, 0)) return ReplaceWith(op, x);
          if (IsSplatValue(x, 0)) return ReplaceWith(op, y);
        } else if (real_float) {
          if (IsSplatValue(y, -0.0)) return ReplaceWith(op, x);
          if (IsSplatValue(x, -0.0)) return ReplaceWith(op, y);
        }
        return false;
      case OpCode::kSubtract:
        if (integral) {
          if (IsSplatValue(y, 0)) return ReplaceWith(op, x);
          if (x == y) return ReplaceWithSplat(op, 0);
        } else if (real_float) {
          if (IsSplatValue(y, 0.0)) return ReplaceWith(op, x);
        }
        return false;
      case OpCode::kMultiply:
        if (integral || real_float) {
          if (IsSplatValue(y, 1)) return ReplaceWith(op, x);
          if (IsSplatValue(x, 1)) return ReplaceWith(op, y);
        }
        if (integral) {
          if (IsSplatValue(y, 0)) return ReplaceWith(op, y);
          if (IsSplatValue(x, 0)) return ReplaceWith(op, x);
        }
        return false;
      case OpCode::kAnd:
      case OpCode::kOr:
        return SimplifyAndOr(op, op->code() == OpCode::kAnd);
      case OpCode::kXor:
        if (!integral) return false;
        if (x == y) return ReplaceWithSplat(op, 0);
        if (IsSplatValue(y, 0)) return ReplaceWith(op, x);
        if (IsSplatValue(x, 0)) return ReplaceWith(op, y);
        return false;
      case OpCode::kMaximum:
      case OpCode::kMinimum:
        if (integral && x == y) return ReplaceWith(op, x);
        return false;
      case OpCode::kNegate:
      case OpCode::kNot: {
        const Op* inner = x->defining_op();
        if (inner != nullptr && inner->code() == op->code()) {
          return ReplaceWith(op, inner->operand(0));
        }
        return false;
      }
      case OpCode::kSelect:
        return SimplifySelect(op);
      case OpCode::kConvert:
      case OpCode::kSlice:
        // A slice whose result type equals its operand's must take every
        // element in order (a stride > 1 cannot keep a dimension > 1).
        return ReplaceWith(op, x);
      case OpCode::kReshape:
        return SimplifyReshape(op);
      case OpCode::kTranspose:
        return SimplifyTranspose(op);
      case OpCode::kBroadcastInDim:
        return SimplifyBroadcastInDim(op);
      case OpCode::kPad: {
        for (const char* name :
             {"edge_padding_low", "edge_padding_high", "interior_padding"}) {
          const std::vector<int64_t>* v = DenseArrayAttr(*op, name);
          if (v == nullptr) return false;
          for (int64_t p : *v) {
            if (p != 0) return false;
          }
        }
        return ReplaceWith(op, x);
      }
      case OpCode::kReverse: {
        const std::vector<int64_t>* dims = DenseArrayAttr(*op, "dimensions");
        if (dims == nullptr || !x->type().is_tensor()) return false;
        for (int64_t d : *dims) {
          if (d < 0 || d >= x->type().rank() || x->type().dims()[d] > 1) {
            return false;
          }
        }
        return ReplaceWith(op, x);
      }
      case OpCode::kConcatenate:
        if (op->num_operands() == 1) return ReplaceWith(op, x);
        return false;
      case OpCode::kCompare:
        return SimplifyCompare(op);
      default:
        return false;
    }
  }

  absl::StatusOr<bool> SimplifyAndOr(Op* op, bool is_and) {
    Value* x = op->operand(0);
    Value* y = op->operand(1);
    if (!IsIntegral(op->result(0)->type().element_type())) return false;
    if (x == y) return ReplaceWith(op, x);
    // All ones is -1 for signed types, the maximum for unsigned ones and
    // true for i1; SplatLiteral's wrapping of -1 produces each of them.
    const ElementType et = op->result(0)->type().element_type();
    const double ones = ir::IsPred(et) ? 1 : -1;
    const double identity = is_and ? ones : 0;
    const double absorbing = is_and ? 0 : ones;
    if (IsSplatValue(y, identity)) return ReplaceWith(op, x);
    if (IsSplatValue(x, identity)) return ReplaceWith(op, y);
    if (IsSplatValue(y, absorbing)) return ReplaceWith(op, y);
    if (IsSplatValue(x, absorbing)) return ReplaceWith(op, x);
    return false;
  }

  absl::StatusOr<bool> SimplifySelect(Op* op) {
    if (op->num_operands() != 3) return false;
    Value* on_true = op->operand(1);
    Value* on_false = op->operand(2);
    if (on_true == on_false) return ReplaceWith(op, on_true);
    const ir::Literal* pred = SplatSource(op->operand(0));
    if (pred == nullptr || !IsSplat(*pred)) return false;
    return ReplaceWith(op, pred->GetAsInt64(0) != 0 ? on_true : on_false);
  }

  absl::StatusOr<bool> SimplifyReshape(Op* op) {
    Value* x = op->operand(0);
    if (x->type() == op->result(0)->type()) return ReplaceWith(op, x);
    const Op* inner = x->defining_op();
    if (inner != nullptr && inner->code() == OpCode::kReshape) {
      op->SetOperand(0, inner->operand(0));
      return true;
    }
    // A reshape of a constant is the same bytes with another type.
    const ir::Literal* lit = ConstantValue(x);
    if (lit != nullptr && lit->byte_size() <= options_.max_constant_bytes) {
      ir::Literal copy(op->result(0)->type().tensor());
      if (copy.byte_size() != lit->byte_size()) return false;
      if (copy.byte_size() > 0) {
        std::memcpy(copy.untyped_data(), lit->untyped_data(), copy.byte_size());
      }
      return ReplaceWith(op, InsertConstant(op, std::move(copy)));
    }
    return false;
  }

  absl::StatusOr<bool> SimplifyTranspose(Op* op) {
    const std::vector<int64_t>* perm = DenseArrayAttr(*op, "permutation");
    if (perm == nullptr) return false;
    Value* x = op->operand(0);
    if (IsIota(*perm)) return ReplaceWith(op, x);
    const Op* inner = x->defining_op();
    if (inner == nullptr || inner->code() != OpCode::kTranspose) return false;
    const std::vector<int64_t>* inner_perm =
        DenseArrayAttr(*inner, "permutation");
    if (inner_perm == nullptr || inner_perm->size() != perm->size()) {
      return false;
    }
    // result[i] = x'[perm[i]] and x'[j] = x[inner_perm[j]].
    std::vector<int64_t> composed(perm->size());
    for (size_t i = 0; i < perm->size(); ++i) {
      int64_t p = (*perm)[i];
      if (p < 0 || p >= static_cast<int64_t>(perm->size())) return false;
      composed[i] = (*inner_perm)[p];
    }
    op->SetOperand(0, inner->operand(0));
    op->SetAttr("permutation",
                ir::Attribute::DenseArray(ElementType::kS64, composed));
    if (IsIota(composed)) return ReplaceWith(op, op->operand(0));
    return true;
  }

  absl::StatusOr<bool> SimplifyBroadcastInDim(Op* op) {
    const std::vector<int64_t>* dims =
        DenseArrayAttr(*op, "broadcast_dimensions");
    if (dims == nullptr) return false;
    Value* x = op->operand(0);
    if (x->type() == op->result(0)->type() && IsIota(*dims)) {
      return ReplaceWith(op, x);
    }
    const Op* inner = x->defining_op();
    if (inner == nullptr || inner->code() != OpCode::kBroadcastInDim) {
      return false;
    }
    const std::vector<int64_t>* inner_dims =
        DenseArrayAttr(*inner, "broadcast_dimensions");
    if (inner_dims == nullptr) return false;
    // Operand dim i lands in the middle at inner_dims[i], then in the
    // result at dims[inner_dims[i]].
    std::vector<int64_t> composed;
    for (int64_t d : *inner_dims) {
      if (d < 0 || d >= static_cast<int64_t>(dims->size())) return false;
      composed.push_back((*dims)[d]);
    }
    op->SetOperand(0, inner->operand(0));
    op->SetAttr("broadcast_dimensions",
                ir::Attribute::DenseArray(ElementType::kS64, composed));
    return true;
  }

  absl::StatusOr<bool> SimplifyCompare(Op* op) {
    std::optional<ir::ComparisonDirection> dir = Direction(*op);
    if (!dir.has_value() || op->num_operands() != 2) return false;
    Value* x = op->operand(0);
    Value* y = op->operand(1);
    if (!x->type().is_tensor()) return false;
    const ElementType et = x->type().element_type();
    if (x == y && IsIntegral(et)) {
      bool reflexive = *dir == ir::ComparisonDirection::kEq ||
                       *dir == ir::ComparisonDirection::kGe ||
                       *dir == ir::ComparisonDirection::kLe;
      return ReplaceWithSplat(op, reflexive ? 1 : 0);
    }
    const ir::Literal* a = ConstantValue(x);
    const ir::Literal* b = ConstantValue(y);
    if (a == nullptr || b == nullptr || IsTotalOrder(*op) ||
        ir::IsComplex(et) || a->element_count() != b->element_count()) {
      return false;
    }
    const ir::TensorType& result_type = op->result(0)->type().tensor();
    if (result_type.byte_size() > options_.max_constant_bytes ||
        result_type.element_count() != a->element_count()) {
      return false;
    }
    ir::Literal out(result_type);
    uint8_t* bits = out.untyped_data();
    for (int64_t i = 0; i < a->element_count(); ++i) {
      bool r;
      if (ir::IsFloat(et)) {
        // Every narrow float widens exactly to double; NaNs compare
        // unordered as IEEE requires.
        r = CompareValues(*dir, a->GetAsDouble(i), b->GetAsDouble(i));
      } else if (ir::IsUnsignedInteger(et) || ir::IsPred(et)) {
        r = CompareValues(*dir, static_cast<uint64_t>(a->GetAsInt64(i)),
                          static_cast<uint64_t>(b->GetAsInt64(i)));
      } else {
        r = CompareValues(*dir, a->GetAsInt64(i), b->GetAsInt64(i));
      }
      bits[i] = r ? 1 : 0;
    }
    return ReplaceWith(op, InsertConstant(op, std::move(out)));
  }

  absl::StatusOr<bool> SimplifyGte(Op* op) {
    if (op->num_operands() != 1 || op->num_results() != 1) return false;
    const Op* tuple = op->operand(0)->defining_op();
    const ir::Attribute* index = op->attr("index");
    if (tuple == nullptr || tuple->code() != OpCode::kTuple ||
        index == nullptr || index->kind() != ir::Attribute::Kind::kInteger) {
      return false;
    }
    int64_t i = index->int_value();
    if (i < 0 || i >= tuple->num_operands()) return false;
    return ReplaceWith(op, tuple->operand(static_cast<int>(i)));
  }

  const CanonicalizeOptions& options_;
};

class CanonicalizePass : public Pass {
 public:
  explicit CanonicalizePass(CanonicalizeOptions options) : options_(options) {}
  absl::string_view name() const override { return "canonicalize"; }

  absl::StatusOr<bool> Run(ir::Module& module) override {
    Canonicalizer canonicalizer(options_);
    bool changed = false;
    for (const auto& f : module.functions()) {
      for (int sweep = 0; sweep < options_.max_sweeps; ++sweep) {
        ASSIGN_OR_RETURN(bool c, canonicalizer.Sweep(f->body()));
        if (!c) break;
        changed = true;
      }
      ASSIGN_OR_RETURN(bool dce, EliminateDeadCode(f->body()));
      changed |= dce;
    }
    return changed;
  }

 private:
  CanonicalizeOptions options_;
};

}  // namespace

std::unique_ptr<Pass> CreateCanonicalizePass(CanonicalizeOptions options) {
  return std::make_unique<CanonicalizePass>(options);
}

}  // namespace backplane::passes
