#include "compiler/ir/verifier.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/legacy_op_rules.h"
#include "compiler/ir/op_accessors.h"
#include "compiler/ir/shape_inference.h"

namespace backplane::ir {
namespace {

std::string Where(const Location& loc) {
  if (loc.line == 0) return loc.file.empty() ? "<unknown>" : loc.file;
  return absl::StrCat(loc.file, ":", loc.line, ":", loc.column);
}

absl::Status OpError(const Op& op, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(Where(op.location()), ": ", op.name(), ": ", message));
}

// Prefixes a bare message (from shape inference or accessors) with the op.
absl::Status Wrap(const Op& op, const absl::Status& status) {
  if (status.ok()) return status;
  return OpError(op, status.message());
}
template <typename T>
absl::StatusOr<T> Wrap(const Op& op, absl::StatusOr<T> value) {
  if (!value.ok()) return Wrap(op, value.status());
  return value;
}

enum Category : unsigned {
  kPredOk = 1,
  kIntOk = 2,
  kFloatOk = 4,
  kComplexOk = 8,
  kAny = 15,
};

unsigned CategoryOf(ElementType t) {
  if (IsPred(t)) return kPredOk;
  if (IsInteger(t)) return kIntOk;
  if (IsFloat(t)) return kFloatOk;
  if (IsComplex(t)) return kComplexOk;
  return 0;
}

unsigned AllowedCategories(OpCode code) {
  switch (code) {
    case OpCode::kAnd:
    case OpCode::kOr:
    case OpCode::kXor:
    case OpCode::kNot:
      return kPredOk | kIntOk;
    case OpCode::kShiftLeft:
    case OpCode::kShiftRightArithmetic:
    case OpCode::kShiftRightLogical:
    case OpCode::kPopcnt:
    case OpCode::kCountLeadingZeros:
      return kIntOk;
    case OpCode::kDivide:
    case OpCode::kRemainder:
    case OpCode::kPower:
    case OpCode::kNegate:
    case OpCode::kSign:
      return kIntOk | kFloatOk | kComplexOk;
    case OpCode::kCbrt:
    case OpCode::kCeil:
    case OpCode::kFloor:
    case OpCode::kRoundNearestAfz:
    case OpCode::kRoundNearestEven:
    case OpCode::kReducePrecision:
      return kFloatOk;
    case OpCode::kCosine:
    case OpCode::kSine:
    case OpCode::kTan:
    case OpCode::kTanh:
    case OpCode::kExponential:
    case OpCode::kExponentialMinusOne:
    case OpCode::kLog:
    case OpCode::kLogPlusOne:
    case OpCode::kLogistic:
    case OpCode::kRsqrt:
    case OpCode::kSqrt:
    case OpCode::kAtan2:
      return kFloatOk | kComplexOk;
    default:
      return kAny;
  }
}

bool IsChloUnarySameType(OpCode code) {
  switch (code) {
    case OpCode::kChloAcos:
    case OpCode::kChloAcosh:
    case OpCode::kChloAsin:
    case OpCode::kChloAsinh:
    case OpCode::kChloAtan:
    case OpCode::kChloAtanh:
    case OpCode::kChloBesselI1e:
    case OpCode::kChloConj:
    case OpCode::kChloCosh:
    case OpCode::kChloDigamma:
    case OpCode::kChloErf:
    case OpCode::kChloErfInv:
    case OpCode::kChloErfc:
    case OpCode::kChloLgamma:
    case OpCode::kChloSinh:
    case OpCode::kChloSquare:
    case OpCode::kChloTan:
      return true;
    default:
      return false;
  }
}

class Verifier {
 public:
  Verifier(const Module* module, const VerifyOptions& options)
      : module_(module), options_(options) {}

  absl::Status VerifyFunction(const Function& f) {
    if (f.body().num_blocks() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(Where(f.location()), ": func.func @", f.name(),
                       ": function body must have exactly one block"));
    }
    if (f.arg_attrs().size() != static_cast<size_t>(f.num_arguments()) ||
        f.result_attrs().size() != f.result_types().size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          Where(f.location()), ": func.func @", f.name(),
          ": argument/result attribute lists do not match the signature"));
    }
    Block* entry = f.entry();
    Op* term = entry->back();
    if (!term || term->code() != OpCode::kFuncReturn) {
      return absl::InvalidArgumentError(absl::StrCat(
          Where(term ? term->location() : f.location()), ": func.func @",
          f.name(), ": function body must end with func.return"));
    }
    if (term->operand_types() != f.result_types()) {
      return OpError(
          *term,
          absl::StrCat("returns (", TypeListToString(term->operand_types()),
                       ") but @", f.name(), " declares (",
                       TypeListToString(f.result_types()), ")"));
    }
    return VerifyBlock(*entry, /*in_function_body=*/true);
  }

 private:
  absl::Status VerifyBlock(const Block& block, bool in_function_body) {
    size_t mark = log_.size();
    for (int i = 0; i < block.num_arguments(); ++i) Add(block.argument(i));
    for (const auto& op_ptr : block.ops()) {
      const Op& op = *op_ptr;
      for (int i = 0; i < op.num_operands(); ++i) {
        if (!visible_.contains(op.operand(i))) {
          return OpError(
              op, absl::StrCat("operand #", i, " does not dominate this use"));
        }
      }
      bool is_last = &op == block.back();
      if (IsTerminator(op.code()) && !is_last) {
        return OpError(op, "terminator must be the last op of its block");
      }
      if (op.code() == OpCode::kFuncReturn && !in_function_body) {
        return OpError(op,
                       "func.return inside a nested region (use "
                       "stablehlo.return)");
      }
      if (op.code() == OpCode::kReturn && in_function_body) {
        return OpError(op,
                       "stablehlo.return at function level (use "
                       "func.return)");
      }
      if (op.code() == OpCode::kUnknown && !options_.allow_unknown_ops) {
        return absl::UnimplementedError(absl::StrCat(
            Where(op.location()), ": ", op.name(), ": unsupported operation"));
      }
      for (int r = 0; r < op.num_regions(); ++r) {
        const Region& region = *op.region(r);
        for (int b = 0; b < region.num_blocks(); ++b) {
          const Block& inner = *region.block(b);
          Op* t = inner.back();
          if (!t || t->code() != OpCode::kReturn) {
            return OpError(op, absl::StrCat("region #", r,
                                            " must end with stablehlo.return"));
          }
          RETURN_IF_ERROR(VerifyBlock(inner, false));
        }
      }
      RETURN_IF_ERROR(VerifyOp(op, module_));
      for (int i = 0; i < op.num_results(); ++i) Add(op.result(i));
    }
    while (log_.size() > mark) {
      visible_.erase(log_.back());
      log_.pop_back();
    }
    return absl::OkStatus();
  }

  void Add(const Value* v) {
    visible_.insert(v);
    log_.push_back(v);
  }

  const Module* module_;
  VerifyOptions options_;
  absl::flat_hash_set<const Value*> visible_;
  std::vector<const Value*> log_;
};

// ---- Per-op rules ----------------------------------------------------------

absl::Status ExpectCounts(const Op& op, int operands, int results) {
  if (operands >= 0 && op.num_operands() != operands) {
    return OpError(op, absl::StrCat("expected ", operands, " operand(s), got ",
                                    op.num_operands()));
  }
  if (results >= 0 && op.num_results() != results) {
    return OpError(op, absl::StrCat("expected ", results, " result(s), got ",
                                    op.num_results()));
  }
  return absl::OkStatus();
}

absl::Status AllTensors(const Op& op) {
  for (int i = 0; i < op.num_operands(); ++i) {
    if (!op.operand(i)->type().is_tensor()) {
      return OpError(op, absl::StrCat("operand #", i, " must be a tensor, got ",
                                      op.operand(i)->type().ToString()));
    }
  }
  for (int i = 0; i < op.num_results(); ++i) {
    if (!op.result(i)->type().is_tensor()) {
      return OpError(op, absl::StrCat("result #", i, " must be a tensor, got ",
                                      op.result(i)->type().ToString()));
    }
  }
  return absl::OkStatus();
}

const TensorType& In(const Op& op, int i) {
  return op.operand(i)->type().tensor();
}
const TensorType& Out(const Op& op, int i) {
  return op.result(i)->type().tensor();
}

absl::Status ExpectResult(const Op& op, int i, const TensorType& inferred) {
  if (Out(op, i) != inferred) {
    return OpError(
        op, absl::StrCat("result #", i, " has type ", Out(op, i).ToString(),
                         " but ", inferred.ToString(), " was inferred"));
  }
  return absl::OkStatus();
}

std::vector<TensorType> Inputs(const Op& op, int begin, int end) {
  std::vector<TensorType> out;
  for (int i = begin; i < end; ++i) out.push_back(In(op, i));
  return out;
}

std::vector<Type> ScalarTypes(const std::vector<TensorType>& tensors) {
  std::vector<Type> out;
  for (const TensorType& t : tensors) {
    out.push_back(Type::Tensor(t.element_type(), {}));
  }
  return out;
}

// Checks a single-block region's argument types and returned types.
absl::Status CheckRegion(const Op& op, int index, const std::vector<Type>& args,
                         const std::vector<Type>& returns) {
  if (index >= op.num_regions()) {
    return OpError(op, absl::StrCat("missing region #", index));
  }
  const Region& region = *op.region(index);
  if (region.num_blocks() != 1) {
    return OpError(
        op, absl::StrCat("region #", index, " must have exactly one block"));
  }
  const Block& block = *region.front();
  if (block.argument_types() != args) {
    return OpError(
        op, absl::StrCat("region #", index, " takes (",
                         TypeListToString(block.argument_types()), ") but (",
                         TypeListToString(args), ") is required"));
  }
  const Op* term = block.back();
  if (term && term->operand_types() != returns) {
    return OpError(
        op, absl::StrCat("region #", index, " returns (",
                         TypeListToString(term->operand_types()), ") but (",
                         TypeListToString(returns), ") is required"));
  }
  return absl::OkStatus();
}

absl::Status ExpectRegions(const Op& op, int n) {
  if (op.num_regions() != n) {
    return OpError(
        op, absl::StrCat("expected ", n, " region(s), got ", op.num_regions()));
  }
  return absl::OkStatus();
}

absl::Status VerifyElementwise(const Op& op) {
  RETURN_IF_ERROR(AllTensors(op));
  if (op.num_results() != 1 || op.num_operands() == 0) {
    return OpError(op, "expected operands and one result");
  }
  int expected_operands = 2;
  switch (op.code()) {
    case OpCode::kAbs:
    case OpCode::kCbrt:
    case OpCode::kCeil:
    case OpCode::kCosine:
    case OpCode::kCountLeadingZeros:
    case OpCode::kExponential:
    case OpCode::kExponentialMinusOne:
    case OpCode::kFloor:
    case OpCode::kLog:
    case OpCode::kLogPlusOne:
    case OpCode::kLogistic:
    case OpCode::kNegate:
    case OpCode::kNot:
    case OpCode::kPopcnt:
    case OpCode::kRoundNearestAfz:
    case OpCode::kRoundNearestEven:
    case OpCode::kRsqrt:
    case OpCode::kSign:
    case OpCode::kSine:
    case OpCode::kSqrt:
    case OpCode::kTan:
    case OpCode::kTanh:
    case OpCode::kReducePrecision:
      expected_operands = 1;
      break;
    case OpCode::kClamp:
      expected_operands = 3;
      break;
    default:
      break;
  }
  RETURN_IF_ERROR(ExpectCounts(op, expected_operands, 1));
  if (op.code() == OpCode::kClamp) {
    ASSIGN_OR_RETURN(auto t,
                     Wrap(op, InferClampType(In(op, 0), In(op, 1), In(op, 2))));
    return ExpectResult(op, 0, t);
  }
  ElementType et = In(op, 0).element_type();
  if (op.code() == OpCode::kAbs) {
    ElementType result = IsComplex(et) ? ComplexComponentType(et) : et;
    if (IsPred(et)) return OpError(op, "abs does not accept i1");
    return ExpectResult(op, 0, TensorType(result, In(op, 0).dims()));
  }
  if ((CategoryOf(et) & AllowedCategories(op.code())) == 0) {
    return OpError(op, absl::StrCat("element type ", ElementTypeToMlir(et),
                                    " is not supported"));
  }
  std::vector<TensorType> ins = Inputs(op, 0, op.num_operands());
  for (const TensorType& t : ins) {
    if (t != ins[0]) {
      return OpError(op, absl::StrCat("operand types differ: ",
                                      ins[0].ToString(), " vs ", t.ToString()));
    }
  }
  if (op.code() == OpCode::kReducePrecision) {
    auto e = GetI64(op, "exponent_bits");
    auto m = GetI64(op, "mantissa_bits");
    if (!e.ok()) return Wrap(op, e.status());
    if (!m.ok()) return Wrap(op, m.status());
    if (*e < 1 || *m < 0) {
      return OpError(op, "exponent_bits must be >= 1 and mantissa_bits >= 0");
    }
  }
  return ExpectResult(op, 0, ins[0]);
}

absl::Status VerifyCheckOp(const Op& op) {
  switch (op.code()) {
    case OpCode::kCheckExpectEq:
    case OpCode::kCheckExpectAlmostEq:
    case OpCode::kCheckExpectClose:
      RETURN_IF_ERROR(ExpectCounts(op, 2, 0));
      if (op.operand(0)->type() != op.operand(1)->type()) {
        return OpError(op, "compared operands must have the same type");
      }
      return absl::OkStatus();
    case OpCode::kCheckExpectEqConst:
    case OpCode::kCheckExpectAlmostEqConst: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 0));
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
      return ExpectCounts(op, 1, 0);
  }
}

}  // namespace

absl::Status VerifyOp(const Op& op, const Module* module) {
  const OpCode code = op.code();
  if (IsElementwiseSameType(code)) return VerifyElementwise(op);
  if (IsChloUnarySameType(code)) {
    RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
    RETURN_IF_ERROR(AllTensors(op));
    if (In(op, 0).dims() != Out(op, 0).dims()) {
      return OpError(op, "result shape must match the operand");
    }
    return absl::OkStatus();
  }
  switch (code) {
    case OpCode::kConstant: {
      RETURN_IF_ERROR(ExpectCounts(op, 0, 1));
      const Attribute* v = op.attr("value");
      if (!v || v->kind() != Attribute::Kind::kDenseElements) {
        return OpError(op, "needs a dense 'value' attribute");
      }
      if (op.result(0)->type() != Type::Tensor(v->literal().type())) {
        return OpError(
            op, absl::StrCat("value type ", v->literal().type().ToString(),
                             " differs from result type ",
                             op.result(0)->type().ToString()));
      }
      return absl::OkStatus();
    }
    case OpCode::kCompare: {
      RETURN_IF_ERROR(ExpectCounts(op, 2, 1));
      RETURN_IF_ERROR(AllTensors(op));
      auto dir = GetComparisonDirection(op);
      if (!dir.ok()) return Wrap(op, dir.status());
      auto type = GetComparisonType(op);
      if (!type.ok()) return Wrap(op, type.status());
      ASSIGN_OR_RETURN(auto t,
                       Wrap(op, InferCompareType(In(op, 0), In(op, 1))));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kSelect: {
      RETURN_IF_ERROR(ExpectCounts(op, 3, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(
          auto t, Wrap(op, InferSelectType(In(op, 0), In(op, 1), In(op, 2))));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kConvert: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      if (In(op, 0).dims() != Out(op, 0).dims()) {
        return OpError(op, "convert must keep the shape");
      }
      return absl::OkStatus();
    }
    case OpCode::kBitcastConvert: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      return Wrap(op, InferBitcastConvertType(In(op, 0), Out(op, 0)).status());
    }
    case OpCode::kReal:
    case OpCode::kImag: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ElementType et = In(op, 0).element_type();
      if (!IsFloat(et) && !IsComplex(et)) {
        return OpError(op, "operand must be floating-point or complex");
      }
      ElementType r = IsComplex(et) ? ComplexComponentType(et) : et;
      return ExpectResult(op, 0, TensorType(r, In(op, 0).dims()));
    }
    case OpCode::kComplex: {
      RETURN_IF_ERROR(ExpectCounts(op, 2, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ElementType et = In(op, 0).element_type();
      if (In(op, 0) != In(op, 1) ||
          (et != ElementType::kF32 && et != ElementType::kF64)) {
        return OpError(op, "operands must be equal f32 or f64 tensors");
      }
      return ExpectResult(
          op, 0,
          TensorType(
              et == ElementType::kF32 ? ElementType::kC64 : ElementType::kC128,
              In(op, 0).dims()));
    }
    case OpCode::kIsFinite: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      if (!IsFloat(In(op, 0).element_type())) {
        return OpError(op, "operand must be floating-point");
      }
      return ExpectResult(op, 0,
                          TensorType(ElementType::kPred, In(op, 0).dims()));
    }
    case OpCode::kBroadcastInDim: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dims,
                       Wrap(op, GetI64Array(op, "broadcast_dimensions")));
      return Wrap(op, CheckBroadcastInDim(In(op, 0), dims, Out(op, 0)));
    }
    case OpCode::kBroadcast: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto sizes,
                       Wrap(op, GetI64Array(op, "broadcast_sizes")));
      ASSIGN_OR_RETURN(auto t, Wrap(op, InferBroadcastType(In(op, 0), sizes)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kReshape: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      return Wrap(op, CheckReshape(In(op, 0), Out(op, 0)));
    }
    case OpCode::kTranspose: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto perm, Wrap(op, GetI64Array(op, "permutation")));
      ASSIGN_OR_RETURN(auto t, Wrap(op, InferTransposeType(In(op, 0), perm)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kReverse: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dims, Wrap(op, GetI64Array(op, "dimensions")));
      ASSIGN_OR_RETURN(auto t, Wrap(op, InferReverseType(In(op, 0), dims)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kSlice: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto start, Wrap(op, GetI64Array(op, "start_indices")));
      ASSIGN_OR_RETURN(auto limit, Wrap(op, GetI64Array(op, "limit_indices")));
      ASSIGN_OR_RETURN(
          auto strides,
          Wrap(op, GetI64ArrayOr(op, "strides",
                                 std::vector<int64_t>(start.size(), 1))));
      ASSIGN_OR_RETURN(
          auto t, Wrap(op, InferSliceType(In(op, 0), start, limit, strides)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kDynamicSlice: {
      RETURN_IF_ERROR(AllTensors(op));
      RETURN_IF_ERROR(ExpectCounts(op, -1, 1));
      if (op.num_operands() < 1) return OpError(op, "missing operand");
      ASSIGN_OR_RETURN(auto sizes, Wrap(op, GetI64Array(op, "slice_sizes")));
      ASSIGN_OR_RETURN(
          auto t,
          Wrap(op, InferDynamicSliceType(
                       In(op, 0), Inputs(op, 1, op.num_operands()), sizes)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kDynamicUpdateSlice: {
      RETURN_IF_ERROR(AllTensors(op));
      RETURN_IF_ERROR(ExpectCounts(op, -1, 1));
      if (op.num_operands() < 2) return OpError(op, "missing operands");
      RETURN_IF_ERROR(
          Wrap(op, CheckDynamicUpdateSlice(In(op, 0), In(op, 1),
                                           Inputs(op, 2, op.num_operands()))));
      return ExpectResult(op, 0, In(op, 0));
    }
    case OpCode::kConcatenate: {
      RETURN_IF_ERROR(ExpectCounts(op, -1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dim, Wrap(op, GetI64(op, "dimension")));
      ASSIGN_OR_RETURN(auto t,
                       Wrap(op, InferConcatenateType(
                                    Inputs(op, 0, op.num_operands()), dim)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kPad: {
      RETURN_IF_ERROR(ExpectCounts(op, 2, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto lo, Wrap(op, GetI64Array(op, "edge_padding_low")));
      ASSIGN_OR_RETURN(auto hi, Wrap(op, GetI64Array(op, "edge_padding_high")));
      ASSIGN_OR_RETURN(auto in, Wrap(op, GetI64Array(op, "interior_padding")));
      ASSIGN_OR_RETURN(
          auto t, Wrap(op, InferPadType(In(op, 0), In(op, 1), lo, hi, in)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kIota: {
      RETURN_IF_ERROR(ExpectCounts(op, 0, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dim, Wrap(op, GetI64(op, "iota_dimension")));
      return Wrap(op, CheckIota(Out(op, 0), dim));
    }
    case OpCode::kDotGeneral: {
      RETURN_IF_ERROR(ExpectCounts(op, 2, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dims, Wrap(op, GetDotDimensionNumbers(op)));
      ASSIGN_OR_RETURN(
          auto t, Wrap(op, InferDotGeneralType(In(op, 0), In(op, 1), dims,
                                               Out(op, 0).element_type())));
      ASSIGN_OR_RETURN(auto precision, Wrap(op, GetPrecisionConfig(op)));
      if (!precision.empty() && precision.size() != 2) {
        return OpError(op, "precision_config must have 0 or 2 entries");
      }
      return ExpectResult(op, 0, t);
    }
    case OpCode::kDot: {
      RETURN_IF_ERROR(ExpectCounts(op, 2, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto t,
                       Wrap(op, InferDotType(In(op, 0), In(op, 1),
                                             Out(op, 0).element_type())));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kConvolution: {
      RETURN_IF_ERROR(ExpectCounts(op, 2, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dims, Wrap(op, GetConvDimensionNumbers(op)));
      ASSIGN_OR_RETURN(
          auto window,
          Wrap(op,
               GetConvWindow(op, static_cast<int64_t>(
                                     dims.input_spatial_dimensions.size()))));
      ASSIGN_OR_RETURN(auto fgc,
                       Wrap(op, GetI64Or(op, "feature_group_count", 1)));
      ASSIGN_OR_RETURN(auto bgc,
                       Wrap(op, GetI64Or(op, "batch_group_count", 1)));
      ASSIGN_OR_RETURN(
          auto t,
          Wrap(op, InferConvolutionType(In(op, 0), In(op, 1), dims, window, fgc,
                                        bgc, Out(op, 0).element_type())));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kReduce: {
      RETURN_IF_ERROR(AllTensors(op));
      RETURN_IF_ERROR(ExpectRegions(op, 1));
      int n = op.num_operands() / 2;
      if (n == 0 || op.num_operands() != 2 * n || op.num_results() != n) {
        return OpError(op, "expected N inputs, N init values and N results");
      }
      ASSIGN_OR_RETURN(auto dims, Wrap(op, GetI64Array(op, "dimensions")));
      std::vector<TensorType> inits = Inputs(op, n, 2 * n);
      ASSIGN_OR_RETURN(auto types, Wrap(op, InferReduceTypes(Inputs(op, 0, n),
                                                             inits, dims)));
      for (int i = 0; i < n; ++i)
        RETURN_IF_ERROR(ExpectResult(op, i, types[i]));
      std::vector<Type> scalars = ScalarTypes(inits);
      std::vector<Type> args = scalars;
      args.insert(args.end(), scalars.begin(), scalars.end());
      return CheckRegion(op, 0, args, scalars);
    }
    case OpCode::kReduceWindow: {
      RETURN_IF_ERROR(AllTensors(op));
      RETURN_IF_ERROR(ExpectRegions(op, 1));
      int n = op.num_operands() / 2;
      if (n == 0 || op.num_operands() != 2 * n || op.num_results() != n) {
        return OpError(op, "expected N inputs, N init values and N results");
      }
      int64_t rank = In(op, 0).rank();
      std::vector<int64_t> ones(rank, 1);
      ASSIGN_OR_RETURN(auto wd, Wrap(op, GetI64Array(op, "window_dimensions")));
      ASSIGN_OR_RETURN(auto ws,
                       Wrap(op, GetI64ArrayOr(op, "window_strides", ones)));
      ASSIGN_OR_RETURN(auto bd,
                       Wrap(op, GetI64ArrayOr(op, "base_dilations", ones)));
      ASSIGN_OR_RETURN(auto wdl,
                       Wrap(op, GetI64ArrayOr(op, "window_dilations", ones)));
      ASSIGN_OR_RETURN(auto pad,
                       Wrap(op, GetPaddingPairs(op, "padding", rank)));
      std::vector<TensorType> inits = Inputs(op, n, 2 * n);
      ASSIGN_OR_RETURN(auto types,
                       Wrap(op, InferReduceWindowTypes(Inputs(op, 0, n), inits,
                                                       wd, ws, bd, wdl, pad)));
      for (int i = 0; i < n; ++i)
        RETURN_IF_ERROR(ExpectResult(op, i, types[i]));
      std::vector<Type> scalars = ScalarTypes(inits);
      std::vector<Type> args = scalars;
      args.insert(args.end(), scalars.begin(), scalars.end());
      return CheckRegion(op, 0, args, scalars);
    }
    case OpCode::kSelectAndScatter: {
      RETURN_IF_ERROR(ExpectCounts(op, 3, 1));
      RETURN_IF_ERROR(AllTensors(op));
      RETURN_IF_ERROR(ExpectRegions(op, 2));
      RETURN_IF_ERROR(ExpectResult(op, 0, In(op, 0)));
      Type elem = Type::Tensor(In(op, 0).element_type(), {});
      Type src = Type::Tensor(In(op, 1).element_type(), {});
      RETURN_IF_ERROR(CheckRegion(op, 0, {elem, elem},
                                  {Type::Tensor(ElementType::kPred, {})}));
      return CheckRegion(op, 1, {src, src}, {src});
    }
    case OpCode::kGather: {
      RETURN_IF_ERROR(ExpectCounts(op, 2, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dims, Wrap(op, GetGatherDimensionNumbers(op)));
      ASSIGN_OR_RETURN(auto sizes, Wrap(op, GetI64Array(op, "slice_sizes")));
      ASSIGN_OR_RETURN(
          auto t, Wrap(op, InferGatherType(In(op, 0), In(op, 1), dims, sizes)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kScatter: {
      RETURN_IF_ERROR(AllTensors(op));
      RETURN_IF_ERROR(ExpectRegions(op, 1));
      int n = (op.num_operands() - 1) / 2;
      if (n == 0 || op.num_operands() != 2 * n + 1 || op.num_results() != n) {
        return OpError(op, "expected N inputs, indices, N updates, N results");
      }
      ASSIGN_OR_RETURN(auto dims, Wrap(op, GetScatterDimensionNumbers(op)));
      std::vector<TensorType> inputs = Inputs(op, 0, n);
      RETURN_IF_ERROR(Wrap(
          op,
          CheckScatter(inputs, In(op, n), Inputs(op, n + 1, 2 * n + 1), dims)));
      for (int i = 0; i < n; ++i)
        RETURN_IF_ERROR(ExpectResult(op, i, inputs[i]));
      std::vector<Type> scalars = ScalarTypes(inputs);
      std::vector<Type> args = scalars;
      args.insert(args.end(), scalars.begin(), scalars.end());
      return CheckRegion(op, 0, args, scalars);
    }
    case OpCode::kSort: {
      RETURN_IF_ERROR(AllTensors(op));
      RETURN_IF_ERROR(ExpectRegions(op, 1));
      int n = op.num_operands();
      if (n == 0 || op.num_results() != n) {
        return OpError(op, "expected N >= 1 inputs and N results");
      }
      std::vector<TensorType> inputs = Inputs(op, 0, n);
      for (int i = 0; i < n; ++i) {
        if (inputs[i].dims() != inputs[0].dims()) {
          return OpError(op, "sort inputs must share a shape");
        }
        RETURN_IF_ERROR(ExpectResult(op, i, inputs[i]));
      }
      ASSIGN_OR_RETURN(auto dim, Wrap(op, GetI64Or(op, "dimension", -1)));
      int64_t rank = inputs[0].rank();
      if (dim < -rank || dim >= rank) {
        return OpError(op, absl::StrCat("dimension ", dim,
                                        " is out of range for rank ", rank));
      }
      std::vector<Type> args;
      for (const TensorType& t : inputs) {
        Type s = Type::Tensor(t.element_type(), {});
        args.push_back(s);
        args.push_back(s);
      }
      return CheckRegion(op, 0, args, {Type::Tensor(ElementType::kPred, {})});
    }
    case OpCode::kWhile: {
      RETURN_IF_ERROR(ExpectRegions(op, 2));
      std::vector<Type> types = op.operand_types();
      if (op.result_types() != types) {
        return OpError(op, "results must have the operands' types");
      }
      RETURN_IF_ERROR(
          CheckRegion(op, 0, types, {Type::Tensor(ElementType::kPred, {})}));
      return CheckRegion(op, 1, types, types);
    }
    case OpCode::kIf: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, -1));
      RETURN_IF_ERROR(ExpectRegions(op, 2));
      if (op.operand(0)->type() != Type::Tensor(ElementType::kPred, {})) {
        return OpError(op, "predicate must be tensor<i1>");
      }
      for (int r = 0; r < 2; ++r) {
        RETURN_IF_ERROR(CheckRegion(op, r, {}, op.result_types()));
      }
      return absl::OkStatus();
    }
    case OpCode::kCase: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, -1));
      if (op.num_regions() < 1) return OpError(op, "needs at least one branch");
      if (op.operand(0)->type() != Type::Tensor(ElementType::kS32, {})) {
        return OpError(op, "index must be tensor<i32>");
      }
      for (int r = 0; r < op.num_regions(); ++r) {
        RETURN_IF_ERROR(CheckRegion(op, r, {}, op.result_types()));
      }
      return absl::OkStatus();
    }
    case OpCode::kMap: {
      RETURN_IF_ERROR(AllTensors(op));
      RETURN_IF_ERROR(ExpectCounts(op, -1, 1));
      RETURN_IF_ERROR(ExpectRegions(op, 1));
      std::vector<TensorType> inputs = Inputs(op, 0, op.num_operands());
      for (const TensorType& t : inputs) {
        if (t.dims() != Out(op, 0).dims()) {
          return OpError(op, "map inputs and result must share a shape");
        }
      }
      return CheckRegion(op, 0, ScalarTypes(inputs),
                         {Type::Tensor(Out(op, 0).element_type(), {})});
    }
    case OpCode::kFft: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto type, Wrap(op, GetFftType(op)));
      ASSIGN_OR_RETURN(auto length, Wrap(op, GetI64Array(op, "fft_length")));
      ASSIGN_OR_RETURN(auto t, Wrap(op, InferFftType(In(op, 0), type, length)));
      return ExpectResult(op, 0, t);
    }
    case OpCode::kOptimizationBarrier: {
      if (op.operand_types() != op.result_types()) {
        return OpError(op, "results must have the operands' types");
      }
      return absl::OkStatus();
    }
    case OpCode::kTuple: {
      RETURN_IF_ERROR(ExpectCounts(op, -1, 1));
      if (op.result(0)->type() != Type::Tuple(op.operand_types())) {
        return OpError(op, "result must be the tuple of the operand types");
      }
      return absl::OkStatus();
    }
    case OpCode::kGetTupleElement: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      const Type& t = op.operand(0)->type();
      ASSIGN_OR_RETURN(auto index, Wrap(op, GetI64(op, "index")));
      if (!t.is_tuple() || index < 0 ||
          index >= static_cast<int64_t>(t.tuple_elements().size()) ||
          t.tuple_elements()[index] != op.result(0)->type()) {
        return OpError(op, "index or result type does not match the tuple");
      }
      return absl::OkStatus();
    }
    case OpCode::kAfterAll:
    case OpCode::kCreateToken: {
      RETURN_IF_ERROR(ExpectCounts(op, -1, 1));
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
    case OpCode::kReplicaId:
    case OpCode::kPartitionId: {
      RETURN_IF_ERROR(ExpectCounts(op, 0, 1));
      if (op.result(0)->type() != Type::Tensor(ElementType::kU32, {})) {
        return OpError(op, "result must be tensor<ui32>");
      }
      return absl::OkStatus();
    }
    case OpCode::kChloTopK: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 2));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto k, Wrap(op, GetI64(op, "k")));
      const TensorType& in = In(op, 0);
      if (in.rank() < 1 || k < 0 || k > in.dims().back()) {
        return OpError(op, "k must be in [0, size of the last dimension]");
      }
      std::vector<int64_t> dims = in.dims();
      dims.back() = k;
      RETURN_IF_ERROR(ExpectResult(op, 0, TensorType(in.element_type(), dims)));
      return ExpectResult(op, 1, TensorType(ElementType::kS32, dims));
    }
    case OpCode::kFuncCall: {
      ASSIGN_OR_RETURN(auto callee, Wrap(op, GetSymbol(op, "callee")));
      if (!module) return absl::OkStatus();
      const Function* f = module->LookupFunction(callee);
      if (!f)
        return OpError(op, absl::StrCat("calls unknown function @", callee));
      if (op.operand_types() != f->argument_types() ||
          op.result_types() != f->result_types()) {
        return OpError(
            op,
            absl::StrCat("call types (", TypeListToString(op.operand_types()),
                         ") -> (", TypeListToString(op.result_types()),
                         ") do not match @", callee));
      }
      return absl::OkStatus();
    }
    case OpCode::kComposite: {
      ASSIGN_OR_RETURN(auto name, Wrap(op, GetString(op, "name")));
      ASSIGN_OR_RETURN(auto callee, Wrap(op, GetSymbol(op, "decomposition")));
      if (module && !module->LookupFunction(callee)) {
        return OpError(
            op, absl::StrCat("decomposition @", callee, " does not exist"));
      }
      return absl::OkStatus();
    }
    case OpCode::kInterpreterRunParallel: {
      const Attribute* programs = op.attr("programs");
      if (!programs || programs->kind() != Attribute::Kind::kArray) {
        return OpError(op, "needs a 'programs' array");
      }
      for (const Attribute& row : programs->array()) {
        if (row.kind() != Attribute::Kind::kArray) {
          return OpError(op, "'programs' must be an array of arrays");
        }
        for (const Attribute& p : row.array()) {
          if (p.kind() != Attribute::Kind::kSymbolRef) {
            return OpError(op, "'programs' entries must be symbols");
          }
          if (module && !module->LookupFunction(p.string_value())) {
            return OpError(op, absl::StrCat("program @", p.string_value(),
                                            " does not exist"));
          }
        }
      }
      return absl::OkStatus();
    }
    case OpCode::kCustomCall: {
      ASSIGN_OR_RETURN(auto target,
                       Wrap(op, GetString(op, "call_target_name")));
      (void)target;
      return absl::OkStatus();
    }
    case OpCode::kCheckExpectEq:
    case OpCode::kCheckExpectAlmostEq:
    case OpCode::kCheckExpectClose:
    case OpCode::kCheckExpectEqConst:
    case OpCode::kCheckExpectAlmostEqConst:
    case OpCode::kCheckExpectSerializedEq:
      return VerifyCheckOp(op);
    case OpCode::kInterpreterProbe: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      if (op.operand(0)->type() != op.result(0)->type()) {
        return OpError(op, "result must have the operand's type");
      }
      return Wrap(op, GetString(op, "probe_id").status());
    }
    case OpCode::kAllReduce:
    case OpCode::kReduceScatter:
    case OpCode::kAllGather:
    case OpCode::kAllToAll: {
      RETURN_IF_ERROR(AllTensors(op));
      if (op.num_operands() == 0 || op.num_results() != op.num_operands()) {
        return OpError(op, "expected one result per operand");
      }
      // The group size is the second dimension of `replica_groups`.
      int64_t group_size = 1;
      const Attribute* groups = op.attr("replica_groups");
      if (groups && groups->kind() == Attribute::Kind::kDenseElements &&
          groups->literal().dims().size() == 2) {
        group_size = groups->literal().dims()[1];
      }
      for (int i = 0; i < op.num_operands(); ++i) {
        std::vector<int64_t> dims = In(op, i).dims();
        int64_t d = -1;
        if (code == OpCode::kAllGather || code == OpCode::kReduceScatter) {
          ASSIGN_OR_RETURN(auto dim,
                           Wrap(op, GetI64(op, code == OpCode::kAllGather
                                                   ? "all_gather_dim"
                                                   : "scatter_dimension")));
          d = dim;
          if (d < 0 || d >= static_cast<int64_t>(dims.size())) {
            return OpError(op,
                           absl::StrCat("dimension ", d, " is out of range"));
          }
          // With a channel handle, groups may span partitions too, so the
          // group size is not known from replica_groups alone.
          bool exact =
              !op.attr("channel_handle") && !op.attr("use_global_device_ids");
          const std::vector<int64_t>& out = Out(op, i).dims();
          if (!exact && out.size() == dims.size()) {
            int64_t big = code == OpCode::kAllGather ? out[d] : dims[d];
            int64_t small = code == OpCode::kAllGather ? dims[d] : out[d];
            if (small <= 0 || big % small != 0) {
              return OpError(op,
                             "result and operand sizes along the "
                             "dimension must be multiples");
            }
            dims[d] = out[d];
          } else if (code == OpCode::kAllGather) {
            dims[d] *= group_size;
          } else {
            if (group_size <= 0 || dims[d] % group_size != 0) {
              return OpError(op,
                             "scatter dimension is not divisible by the "
                             "group size");
            }
            dims[d] /= group_size;
          }
        } else if (code == OpCode::kAllToAll) {
          ASSIGN_OR_RETURN(auto split, Wrap(op, GetI64(op, "split_dimension")));
          ASSIGN_OR_RETURN(auto concat,
                           Wrap(op, GetI64(op, "concat_dimension")));
          ASSIGN_OR_RETURN(auto count, Wrap(op, GetI64(op, "split_count")));
          int64_t rank = static_cast<int64_t>(dims.size());
          if (split < 0 || split >= rank || concat < 0 || concat >= rank ||
              count <= 0 || dims[split] % count != 0) {
            return OpError(op,
                           "invalid split/concat dimensions or split_count");
          }
          dims[split] /= count;
          dims[concat] *= count;
        }
        RETURN_IF_ERROR(
            ExpectResult(op, i, TensorType(In(op, i).element_type(), dims)));
      }
      if (code == OpCode::kAllReduce || code == OpCode::kReduceScatter) {
        Type scalar = Type::Tensor(In(op, 0).element_type(), {});
        RETURN_IF_ERROR(ExpectRegions(op, 1));
        return CheckRegion(op, 0, {scalar, scalar}, {scalar});
      }
      return absl::OkStatus();
    }
    case OpCode::kCollectivePermute:
    case OpCode::kCollectiveBroadcast:
    case OpCode::kCholesky: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      if (code == OpCode::kCholesky) {
        const TensorType& a = In(op, 0);
        if (a.rank() < 2 || a.dim(a.rank() - 1) != a.dim(a.rank() - 2)) {
          return OpError(op, "operand must be a batch of square matrices");
        }
      }
      return ExpectResult(op, 0, In(op, 0));
    }
    case OpCode::kTriangularSolve: {
      RETURN_IF_ERROR(ExpectCounts(op, 2, 1));
      RETURN_IF_ERROR(AllTensors(op));
      const TensorType& a = In(op, 0);
      const TensorType& b = In(op, 1);
      if (a.rank() < 2 || a.rank() != b.rank() ||
          a.dim(a.rank() - 1) != a.dim(a.rank() - 2) ||
          a.element_type() != b.element_type()) {
        return OpError(op,
                       "a must be square matrices matching b's rank and "
                       "element type");
      }
      return ExpectResult(op, 0, b);
    }
    case OpCode::kGetDimensionSize: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 1));
      RETURN_IF_ERROR(AllTensors(op));
      ASSIGN_OR_RETURN(auto dim, Wrap(op, GetI64(op, "dimension")));
      if (dim < 0 || dim >= In(op, 0).rank()) {
        return OpError(op, absl::StrCat("dimension ", dim, " is out of range"));
      }
      return ExpectResult(op, 0, TensorType(ElementType::kS32, {}));
    }
    case OpCode::kBatchNormInference:
    case OpCode::kBatchNormTraining:
    case OpCode::kBatchNormGrad:
    case OpCode::kEinsum:
    case OpCode::kUnaryEinsum:
    case OpCode::kTorchIndexSelect:
    case OpCode::kSetDimensionSize:
    case OpCode::kRng:
      return Wrap(op, VerifyLegacyOp(op));
    case OpCode::kRngBitGenerator: {
      RETURN_IF_ERROR(ExpectCounts(op, 1, 2));
      RETURN_IF_ERROR(AllTensors(op));
      return ExpectResult(op, 0, In(op, 0));
    }
    case OpCode::kReturn:
    case OpCode::kFuncReturn:
      return ExpectCounts(op, -1, 0);
    default:
      // Collectives, communication, quantization, chlo broadcasting ops and
      // unknown ops: structural checks only.
      return absl::OkStatus();
  }
}

absl::Status VerifyModule(const Module& module, const VerifyOptions& options) {
  for (const auto& f : module.functions()) {
    Verifier verifier(&module, options);
    RETURN_IF_ERROR(verifier.VerifyFunction(*f));
  }
  return absl::OkStatus();
}

}  // namespace backplane::ir
