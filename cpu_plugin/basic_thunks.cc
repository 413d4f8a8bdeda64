#include "cpu_plugin/basic_thunks.h"

#include <cstring>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/interpreter/checks.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/ir/op_error.h"
#include "compiler/kernels/elementwise/binary.h"
#include "compiler/kernels/elementwise/op_kernels.h"
#include "compiler/kernels/elementwise/ops.h"
#include "compiler/kernels/elementwise/unary.h"

namespace backplane::cpu {
namespace {

using ir::OpCode;

void WriteLiteral(const RunContext& ctx, const BufferRef& ref,
                  const ir::Literal& value) {
  std::memcpy(ctx.buffers[ref.slot], value.untyped_data(),
              static_cast<size_t>(value.byte_size()));
}

class GenericOpThunk : public Thunk {
 public:
  GenericOpThunk(const ir::Op* op, std::vector<BufferRef> operands,
                 std::vector<BufferRef> results)
      : op_(op), operands_(std::move(operands)), results_(std::move(results)) {}

  absl::Status Run(const RunContext& ctx) const override {
    std::vector<ir::Literal> inputs;
    inputs.reserve(operands_.size());
    for (const BufferRef& ref : operands_) {
      inputs.push_back(ReadLiteral(ctx, ref));
    }
    ASSIGN_OR_RETURN(std::vector<ir::Literal> out,
                     interpreter::EvaluateOp(*op_, inputs));
    if (out.size() != results_.size()) {
      return absl::InternalError(absl::StrCat(op_->name(), " produced ",
                                              out.size(), " results, expected ",
                                              results_.size()));
    }
    for (size_t i = 0; i < results_.size(); ++i) {
      if (out[i].type() != results_[i].type) {
        return absl::InternalError(
            absl::StrCat(op_->name(), " produced ", out[i].type().ToString(),
                         ", expected ", results_[i].type.ToString()));
      }
      WriteLiteral(ctx, results_[i], out[i]);
    }
    return absl::OkStatus();
  }
  std::string kind() const override {
    return absl::StrCat("generic(", op_->name(), ")");
  }

 private:
  const ir::Op* op_;
  std::vector<BufferRef> operands_;
  std::vector<BufferRef> results_;
};

}  // namespace

namespace {

// The kernels the CPU runs as its own thunks and inside fused loops; which
// op maps to which kernel is the op table's (op_kernels.h).
bool CpuRunsUnary(kernels::elementwise::UnaryOp op) {
  using U = kernels::elementwise::UnaryOp;
  switch (op) {
    case U::kAbs:
    case U::kCeil:
    case U::kCosine:
    case U::kExponential:
    case U::kExponentialMinusOne:
    case U::kFloor:
    case U::kLog:
    case U::kLogPlusOne:
    case U::kLogistic:
    case U::kNegate:
    case U::kNot:
    case U::kRsqrt:
    case U::kSign:
    case U::kSine:
    case U::kSqrt:
    case U::kTanh:
      return true;
    default:
      return false;
  }
}

bool CpuRunsBinary(kernels::elementwise::BinaryOp op) {
  using B = kernels::elementwise::BinaryOp;
  switch (op) {
    case B::kAdd:
    case B::kAnd:
    case B::kDivide:
    case B::kMaximum:
    case B::kMinimum:
    case B::kMultiply:
    case B::kOr:
    case B::kPower:
    case B::kRemainder:
    case B::kSubtract:
    case B::kXor:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<kernels::elementwise::UnaryOp> UnaryFor(OpCode code) {
  std::optional<kernels::elementwise::UnaryOp> u =
      kernels::elementwise::UnaryKernelFor(code);
  if (u.has_value() && CpuRunsUnary(*u)) return u;
  return std::nullopt;
}

std::optional<kernels::elementwise::BinaryOp> BinaryFor(OpCode code) {
  std::optional<kernels::elementwise::BinaryOp> b =
      kernels::elementwise::BinaryKernelFor(code);
  if (b.has_value() && CpuRunsBinary(*b)) return b;
  return std::nullopt;
}

namespace {

class UnaryThunk : public Thunk {
 public:
  UnaryThunk(kernels::elementwise::UnaryOp op,
             kernels::elementwise::UnaryLoopFn loop, BufferRef x, BufferRef out)
      : op_(op), loop_(loop), x_(std::move(x)), out_(std::move(out)) {}
  absl::Status Run(const RunContext& ctx) const override {
    loop_(ctx.buffers[x_.slot], ctx.buffers[out_.slot],
          x_.type.element_count());
    return absl::OkStatus();
  }
  std::string kind() const override {
    return absl::StrCat("unary(", kernels::elementwise::UnaryOpName(op_), ")");
  }
  bool in_place_safe() const override { return true; }

 private:
  kernels::elementwise::UnaryOp op_;
  kernels::elementwise::UnaryLoopFn loop_;
  BufferRef x_, out_;
};

class BinaryThunk : public Thunk {
 public:
  BinaryThunk(kernels::elementwise::BinaryOp op, BufferRef lhs, BufferRef rhs,
              BufferRef out)
      : op_(op),
        lhs_(std::move(lhs)),
        rhs_(std::move(rhs)),
        out_(std::move(out)) {}
  absl::Status Run(const RunContext& ctx) const override {
    return kernels::elementwise::BinaryInto(
        op_, lhs_.type.element_type(), lhs_.type.element_count(),
        ctx.buffers[lhs_.slot], ctx.buffers[rhs_.slot], ctx.buffers[out_.slot]);
  }
  std::string kind() const override {
    return absl::StrCat("binary(", kernels::elementwise::BinaryOpName(op_),
                        ")");
  }
  bool in_place_safe() const override { return true; }

 private:
  kernels::elementwise::BinaryOp op_;
  BufferRef lhs_, rhs_, out_;
};

class CopyThunk : public Thunk {
 public:
  CopyThunk(BufferRef from, BufferRef to)
      : from_(std::move(from)), to_(std::move(to)) {}
  absl::Status Run(const RunContext& ctx) const override {
    if (ctx.buffers[from_.slot] != ctx.buffers[to_.slot]) {
      std::memcpy(ctx.buffers[to_.slot], ctx.buffers[from_.slot],
                  static_cast<size_t>(to_.type.byte_size()));
    }
    return absl::OkStatus();
  }
  std::string kind() const override { return "copy"; }

 private:
  BufferRef from_, to_;
};

class CheckThunk : public Thunk {
 public:
  CheckThunk(const ir::Op* op, std::string check,
             std::vector<BufferRef> operands)
      : op_(op), check_(std::move(check)), operands_(std::move(operands)) {}

  absl::Status Run(const RunContext& ctx) const override {
    ir::Literal actual = ReadLiteral(ctx, operands_[0]);
    ir::Literal expected;
    if (absl::EndsWith(check_, "_const")) {
      expected = op_->attr("value")->literal();
    } else {
      expected = ReadLiteral(ctx, operands_[1]);
    }
    absl::Status s;
    if (check_ == "check.expect_eq" || check_ == "check.expect_eq_const") {
      s = interpreter::ExpectEq(actual, expected);
    } else if (check_ == "check.expect_almost_eq" ||
               check_ == "check.expect_almost_eq_const") {
      s = interpreter::ExpectAlmostEq(actual, expected);
    } else {
      s = interpreter::ExpectClose(
          actual, expected,
          interpreter::IntAttrOr(*op_, "min_ulp_difference", 0),
          interpreter::IntAttrOr(*op_, "max_ulp_difference",
                                 interpreter::kDefaultMaxUlpDifference));
    }
    if (!s.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          ir::FormatLocation(*op_), ": ", check_, ": ", s.message()));
    }
    return absl::OkStatus();
  }
  std::string kind() const override { return check_; }

 private:
  const ir::Op* op_;
  std::string check_;
  std::vector<BufferRef> operands_;
};

class ReplicaIdThunk : public Thunk {
 public:
  ReplicaIdThunk(BufferRef result, bool partition)
      : result_(std::move(result)), partition_(partition) {}
  absl::Status Run(const RunContext& ctx) const override {
    const uint32_t id = partition_ ? 0u : static_cast<uint32_t>(ctx.replica_id);
    std::memcpy(ctx.buffers[result_.slot], &id, sizeof(id));
    return absl::OkStatus();
  }
  std::string kind() const override {
    return partition_ ? "partition_id" : "replica_id";
  }

 private:
  BufferRef result_;
  bool partition_;
};

class InterpretFunctionThunk : public Thunk {
 public:
  InterpretFunctionThunk(std::unique_ptr<interpreter::Interpreter> interp,
                         std::string function,
                         std::vector<BufferRef> parameters,
                         std::vector<BufferRef> results)
      : interp_(std::move(interp)),
        function_(std::move(function)),
        parameters_(std::move(parameters)),
        results_(std::move(results)) {}

  absl::Status Run(const RunContext& ctx) const override {
    std::vector<ir::Literal> args;
    args.reserve(parameters_.size());
    for (const BufferRef& ref : parameters_) {
      args.push_back(ReadLiteral(ctx, ref));
    }
    ASSIGN_OR_RETURN(std::vector<ir::Literal> out,
                     interp_->Run(function_, args));
    if (out.size() != results_.size()) {
      return absl::InternalError("the interpreter returned the wrong arity");
    }
    for (size_t i = 0; i < results_.size(); ++i) {
      // The buffer is sized for the declared type: never write past it.
      if (out[i].type() != results_[i].type) {
        return absl::InternalError(absl::StrCat(
            "@", function_, " returned ", out[i].type().ToString(),
            " for result ", i, ", expected ", results_[i].type.ToString()));
      }
      WriteLiteral(ctx, results_[i], out[i]);
    }
    return absl::OkStatus();
  }
  std::string kind() const override { return "interpret(@" + function_ + ")"; }

 private:
  std::unique_ptr<interpreter::Interpreter> interp_;
  std::string function_;
  std::vector<BufferRef> parameters_;
  std::vector<BufferRef> results_;
};

// Whether every value used inside `op`'s regions is defined inside them.
bool RegionsAreClosed(const ir::Op& op) {
  bool closed = true;
  std::function<void(const ir::Region&)> visit = [&](const ir::Region& r) {
    for (int b = 0; b < r.num_blocks() && closed; ++b) {
      for (const auto& inner : r.block(b)->ops()) {
        for (const ir::Value* v : inner->operands()) {
          // A value is local when its defining block lies inside `op`.
          const ir::Block* owner = v->is_block_argument()
                                       ? v->owner_block()
                                       : v->defining_op()->parent_block();
          const ir::Op* parent = owner == nullptr || owner->parent() == nullptr
                                     ? nullptr
                                     : owner->parent()->parent_op();
          while (parent != nullptr && parent != &op) {
            parent = parent->parent_op();
          }
          if (parent != &op) {
            closed = false;
            return;
          }
        }
        for (int i = 0; i < inner->num_regions(); ++i) visit(*inner->region(i));
      }
    }
  };
  for (int i = 0; i < op.num_regions(); ++i) visit(*op.region(i));
  return closed;
}

}  // namespace

ir::Literal ReadLiteral(const RunContext& ctx, const BufferRef& ref) {
  ir::Literal literal(ref.type);
  std::memcpy(literal.untyped_data(), ctx.buffers[ref.slot],
              static_cast<size_t>(literal.byte_size()));
  return literal;
}

bool IsGenericOpSupported(const ir::Op& op) {
  switch (op.code()) {
    case OpCode::kFuncCall:
    case OpCode::kComposite:
    case OpCode::kInterpreterRunParallel:
    case OpCode::kInterpreterPrint:
    case OpCode::kInterpreterProbe:
    case OpCode::kCheckExpectSerializedEq:
    case OpCode::kCustomCall:
    case OpCode::kInfeed:
    case OpCode::kOutfeed:
    case OpCode::kSend:
    case OpCode::kRecv:
    case OpCode::kAllReduce:
    case OpCode::kAllGather:
    case OpCode::kAllToAll:
    case OpCode::kReduceScatter:
    case OpCode::kCollectivePermute:
    case OpCode::kCollectiveBroadcast:
    case OpCode::kCrossReplicaSum:
    case OpCode::kReplicaId:
    case OpCode::kPartitionId:
    case OpCode::kRng:
    case OpCode::kRngBitGenerator:
    case OpCode::kAfterAll:
    case OpCode::kCreateToken:
    case OpCode::kTuple:
    case OpCode::kGetTupleElement:
    case OpCode::kUnknown:
      return false;
    default:
      break;
  }
  for (const ir::Value* v : op.operands()) {
    if (!v->type().is_tensor()) return false;
  }
  for (int i = 0; i < op.num_results(); ++i) {
    if (!op.result(i)->type().is_tensor()) return false;
  }
  return RegionsAreClosed(op);
}

std::unique_ptr<Thunk> MakeGenericOpThunk(const ir::Op* op,
                                          std::vector<BufferRef> operands,
                                          std::vector<BufferRef> results) {
  return std::make_unique<GenericOpThunk>(op, std::move(operands),
                                          std::move(results));
}

std::optional<std::unique_ptr<Thunk>> MakeElementwiseThunk(
    const ir::Op& op, std::vector<BufferRef> operands, BufferRef result,
    kernels::elementwise::MathAccuracy accuracy) {
  const ir::ElementType type = result.type.element_type();
  if (std::optional<kernels::elementwise::UnaryOp> u = UnaryFor(op.code());
      u.has_value() && operands.size() == 1 &&
      operands[0].type == result.type) {
    absl::StatusOr<kernels::elementwise::UnaryLoopFn> loop =
        kernels::elementwise::ResolveUnaryLoop(*u, type, accuracy);
    if (!loop.ok()) return std::nullopt;  // Not supported for the type.
    return std::unique_ptr<Thunk>(
        new UnaryThunk(*u, *loop, std::move(operands[0]), std::move(result)));
  }
  if (std::optional<kernels::elementwise::BinaryOp> b = BinaryFor(op.code());
      b.has_value() && operands.size() == 2 &&
      operands[0].type == result.type && operands[1].type == result.type &&
      kernels::elementwise::BinaryOpSupports(*b, type)) {
    return std::unique_ptr<Thunk>(new BinaryThunk(
        *b, std::move(operands[0]), std::move(operands[1]), std::move(result)));
  }
  return std::nullopt;
}

std::unique_ptr<Thunk> MakeCopyThunk(BufferRef from, BufferRef to) {
  return std::make_unique<CopyThunk>(std::move(from), std::move(to));
}

std::optional<std::unique_ptr<Thunk>> MakeCheckThunk(
    const ir::Op& op, std::vector<BufferRef> operands) {
  std::string check;
  switch (op.code()) {
    case OpCode::kCheckExpectEq:
    case OpCode::kCheckExpectEqConst:
    case OpCode::kCheckExpectAlmostEq:
    case OpCode::kCheckExpectAlmostEqConst:
    case OpCode::kCheckExpectClose:
      check = std::string(op.name());
      break;
    case OpCode::kCustomCall:
      check = interpreter::StringAttrOr(op, "call_target_name");
      break;
    default:
      return std::nullopt;
  }
  const bool known =
      check == "check.expect_eq" || check == "check.expect_eq_const" ||
      check == "check.expect_almost_eq" ||
      check == "check.expect_almost_eq_const" || check == "check.expect_close";
  if (!known || operands.empty() || op.num_results() != 0) return std::nullopt;
  if (absl::EndsWith(check, "_const")) {
    const ir::Attribute* value = op.attr("value");
    if (value == nullptr ||
        value->kind() != ir::Attribute::Kind::kDenseElements) {
      return std::nullopt;
    }
  } else if (operands.size() < 2) {
    return std::nullopt;
  }
  return std::unique_ptr<Thunk>(
      new CheckThunk(&op, std::move(check), std::move(operands)));
}

std::unique_ptr<Thunk> MakeReplicaIdThunk(BufferRef result, bool partition) {
  return std::make_unique<ReplicaIdThunk>(std::move(result), partition);
}

absl::StatusOr<std::unique_ptr<Thunk>> MakeInterpretFunctionThunk(
    const ir::Module& module, const std::string& function,
    std::vector<BufferRef> parameters, std::vector<BufferRef> results) {
  ASSIGN_OR_RETURN(std::unique_ptr<interpreter::Interpreter> interp,
                   interpreter::Interpreter::Create(module));
  return std::unique_ptr<Thunk>(new InterpretFunctionThunk(
      std::move(interp), function, std::move(parameters), std::move(results)));
}

}  // namespace backplane::cpu
