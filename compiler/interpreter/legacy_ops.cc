#include "compiler/interpreter/legacy_ops.h"

#include <cmath>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "compiler/interpreter/batch_norm.h"
#include "compiler/interpreter/einsum.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/ir/legacy_op_rules.h"
#include "compiler/ir/op_error.h"
#include "compiler/kernels/elementwise/convert.h"

namespace backplane::interpreter {
namespace {

using ir::OpCode;

int64_t Product(const std::vector<int64_t>& dims, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) p *= dims[i];
  return p;
}

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and well mixed; enough
// for an op whose numbers the spec leaves implementation-defined.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double NextUnit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

absl::Status CheckScalarOfType(const ir::Literal& x, ir::ElementType type,
                               absl::string_view name) {
  if (x.type() != ir::TensorType(type, {})) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rng operand ", name, " must be tensor<", ir::ElementTypeToMlir(type),
        "> like the result, got ", x.type().ToString()));
  }
  return absl::OkStatus();
}

// Fills a float result element by element: each draw is rounded to the
// element type, and a draw that rounds outside [low, high) is drawn again
// (possible when b - a is a few ulps of a narrow type).
absl::Status FillFloats(ir::Literal& out, double low, double high, bool bounded,
                        const std::function<double()>& draw) {
  const ir::ElementType type = out.element_type();
  const int size = ir::ElementByteSize(type);
  for (int64_t i = 0; i < out.element_count(); ++i) {
    uint8_t* p = out.untyped_data() + i * size;
    for (int attempt = 0;; ++attempt) {
      const double v = attempt < 64 ? draw() : low;
      if (absl::Status s = kernels::elementwise::ConvertInto(
              ir::ElementType::kF64, type, 1, &v, p);
          !s.ok()) {
        return s;
      }
      const double rounded = out.GetAsDouble(i);
      if (!bounded || (rounded >= low && rounded < high)) break;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckResultTypes(const ir::Op& op,
                              const std::vector<ir::Literal>& results) {
  if (static_cast<int>(results.size()) != op.num_results()) {
    return absl::InvalidArgumentError(absl::StrCat("computes ", results.size(),
                                                   " results, the op declares ",
                                                   op.num_results()));
  }
  for (size_t i = 0; i < results.size(); ++i) {
    const ir::Type& declared = op.result(static_cast<int>(i))->type();
    if (!declared.is_tensor() || declared.tensor() != results[i].type()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "result ", i, " is ", results[i].type().ToString(),
          " by the op's semantics, but declared ", declared.ToString()));
    }
  }
  return absl::OkStatus();
}

absl::Status ExpectOperands(absl::Span<const ir::Literal* const> operands,
                            size_t count) {
  if (operands.size() != count) {
    return absl::InvalidArgumentError(
        absl::StrCat("takes ", count, " operands, got ", operands.size()));
  }
  return absl::OkStatus();
}

// The op's f32 epsilon attribute, rounded to f32 as the spec types it.
double Epsilon(const ir::Op& op) {
  return static_cast<double>(static_cast<float>(FloatAttrOr(op, "epsilon", 0)));
}

absl::StatusOr<std::vector<ir::Literal>> Dispatch(
    const ir::Op& op, absl::Span<const ir::Literal* const> operands) {
  auto one = [](absl::StatusOr<ir::Literal> r)
      -> absl::StatusOr<std::vector<ir::Literal>> {
    ASSIGN_OR_RETURN(ir::Literal literal, std::move(r));
    std::vector<ir::Literal> out;
    out.push_back(std::move(literal));
    return out;
  };
  switch (op.code()) {
    case OpCode::kBatchNormInference: {
      RETURN_IF_ERROR(ExpectOperands(operands, 5));
      ASSIGN_OR_RETURN(int64_t feature, IntAttr(op, "feature_index"));
      return one(BatchNormInference(*operands[0], *operands[1], *operands[2],
                                    *operands[3], *operands[4], Epsilon(op),
                                    feature));
    }
    case OpCode::kBatchNormTraining: {
      RETURN_IF_ERROR(ExpectOperands(operands, 3));
      ASSIGN_OR_RETURN(int64_t feature, IntAttr(op, "feature_index"));
      ASSIGN_OR_RETURN(BatchNormTrainingResult r,
                       BatchNormTraining(*operands[0], *operands[1],
                                         *operands[2], Epsilon(op), feature));
      std::vector<ir::Literal> out;
      out.push_back(std::move(r.output));
      out.push_back(std::move(r.batch_mean));
      out.push_back(std::move(r.batch_var));
      return out;
    }
    case OpCode::kBatchNormGrad: {
      RETURN_IF_ERROR(ExpectOperands(operands, 5));
      ASSIGN_OR_RETURN(int64_t feature, IntAttr(op, "feature_index"));
      ASSIGN_OR_RETURN(
          BatchNormGradResult r,
          BatchNormGrad(*operands[0], *operands[1], *operands[2], *operands[3],
                        *operands[4], Epsilon(op), feature));
      std::vector<ir::Literal> out;
      out.push_back(std::move(r.grad_operand));
      out.push_back(std::move(r.grad_scale));
      out.push_back(std::move(r.grad_offset));
      return out;
    }
    case OpCode::kEinsum:
    case OpCode::kUnaryEinsum: {
      const size_t count = op.code() == OpCode::kEinsum ? 2 : 1;
      RETURN_IF_ERROR(ExpectOperands(operands, count));
      if (op.num_results() != 1 || !op.result(0)->type().is_tensor()) {
        return absl::InvalidArgumentError("needs one tensor result");
      }
      const ir::Attribute* config = op.attr("einsum_config");
      if (config == nullptr) {
        return absl::InvalidArgumentError("missing einsum_config");
      }
      return one(Einsum(StringAttrOr(op, "einsum_config"), operands,
                        op.result(0)->type().tensor()));
    }
    case OpCode::kTorchIndexSelect: {
      RETURN_IF_ERROR(ExpectOperands(operands, 2));
      ASSIGN_OR_RETURN(int64_t dim, IntAttr(op, "dim"));
      return one(TorchIndexSelect(*operands[0], *operands[1], dim,
                                  IntAttrOr(op, "batch_dims", 0)));
    }
    case OpCode::kSetDimensionSize: {
      RETURN_IF_ERROR(ExpectOperands(operands, 2));
      ASSIGN_OR_RETURN(int64_t dimension, IntAttr(op, "dimension"));
      return one(SetDimensionSize(*operands[0], *operands[1], dimension));
    }
    case OpCode::kRng: {
      RETURN_IF_ERROR(ExpectOperands(operands, 3));
      if (op.num_results() != 1 || !op.result(0)->type().is_tensor()) {
        return absl::InvalidArgumentError("needs one tensor result");
      }
      const int distribution = EnumAttrOr(op, "rng_distribution", -1);
      if (distribution != static_cast<int>(ir::RngDistribution::kUniform) &&
          distribution != static_cast<int>(ir::RngDistribution::kNormal)) {
        return absl::InvalidArgumentError(
            "missing rng_distribution (UNIFORM or NORMAL)");
      }
      return one(Rng(*operands[0], *operands[1], *operands[2],
                     static_cast<ir::RngDistribution>(distribution),
                     op.result(0)->type().tensor(), RngSeedFor(op)));
    }
    default:
      return absl::UnimplementedError("not a legacy op");
  }
}

}  // namespace

// The verifier's legacy-op rules and this evaluator cover the same ops.
bool IsLegacyOp(ir::OpCode code) { return ir::HasLegacyOpRules(code); }

absl::StatusOr<std::vector<ir::Literal>> EvaluateLegacyOp(
    const ir::Op& op, absl::Span<const ir::Literal* const> operands) {
  ASSIGN_OR_RETURN(std::vector<ir::Literal> out, Dispatch(op, operands));
  RETURN_IF_ERROR(CheckResultTypes(op, out));
  return out;
}

absl::StatusOr<ir::Literal> TorchIndexSelect(const ir::Literal& operand,
                                             const ir::Literal& index,
                                             int64_t dim, int64_t batch_dims) {
  const std::vector<int64_t>& od = operand.dims();
  const std::vector<int64_t>& id = index.dims();
  const int64_t rank = static_cast<int64_t>(od.size());
  const int64_t index_rank = static_cast<int64_t>(id.size());
  if (!ir::IsInteger(index.element_type())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "index must have an integer type, got ", index.type().ToString()));
  }
  if (dim < 0 || dim >= rank) {
    return absl::InvalidArgumentError(
        absl::StrCat("dim ", dim, " is out of range for operand ",
                     operand.type().ToString()));
  }
  if (batch_dims < 0 || batch_dims > dim || batch_dims > index_rank) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch_dims ", batch_dims, " must be in [0, min(dim ", dim,
                     ", index rank ", index_rank, ")]"));
  }
  for (int64_t d = 0; d < batch_dims; ++d) {
    if (od[d] != id[d]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "batch dimension ", d, " differs: operand ",
          operand.type().ToString(), ", index ", index.type().ToString()));
    }
  }
  std::vector<int64_t> dims(od.begin(), od.begin() + dim);
  dims.insert(dims.end(), id.begin() + batch_dims, id.end());
  dims.insert(dims.end(), od.begin() + dim + 1, od.end());
  ir::Literal out(ir::TensorType(operand.element_type(), dims));
  const int64_t outer = Product(od, 0, dim);
  const int64_t per_batch = Product(od, batch_dims, dim);
  const int64_t picks = Product(id, batch_dims, id.size());
  const int64_t inner = Product(od, dim + 1, od.size());
  const int64_t size = ir::ElementByteSize(operand.element_type());
  const int64_t chunk = inner * size;
  for (int64_t o = 0; o < outer; ++o) {
    const int64_t batch = o / per_batch;
    for (int64_t j = 0; j < picks; ++j) {
      const int64_t k = index.GetAsInt64(batch * picks + j);
      if (k < 0 || k >= od[dim]) {
        return absl::InvalidArgumentError(
            absl::StrCat("index ", k, " (entry ", batch * picks + j,
                         ") is out of range [0, ", od[dim], ") of dimension ",
                         dim, " of ", operand.type().ToString()));
      }
      if (chunk == 0) continue;
      std::memcpy(out.untyped_data() + (o * picks + j) * chunk,
                  operand.untyped_data() + (o * od[dim] + k) * chunk, chunk);
    }
  }
  return out;
}

absl::StatusOr<ir::Literal> SetDimensionSize(const ir::Literal& operand,
                                             const ir::Literal& size,
                                             int64_t dimension) {
  if (size.type().rank() != 0 || !ir::IsInteger(size.element_type())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "size must be an integer scalar, got ", size.type().ToString()));
  }
  if (dimension < 0 || dimension >= operand.type().rank()) {
    return absl::InvalidArgumentError(absl::StrCat("dimension ", dimension,
                                                   " is out of range for ",
                                                   operand.type().ToString()));
  }
  const int64_t bound = operand.dims()[dimension];
  const int64_t n = size.GetAsInt64(0);
  if (n < 0 || n > bound) {
    return absl::InvalidArgumentError(
        absl::StrCat("size ", n, " is outside [0, ", bound, "] of dimension ",
                     dimension, " of ", operand.type().ToString()));
  }
  if (n != bound) {
    return absl::UnimplementedError(
        absl::StrCat("set_dimension_size: size ", n, " below the static size ",
                     bound, " of dimension ", dimension,
                     " would make the shape dynamic, which is not supported"));
  }
  return operand;
}

absl::StatusOr<ir::Literal> Rng(const ir::Literal& a, const ir::Literal& b,
                                const ir::Literal& shape,
                                ir::RngDistribution distribution,
                                const ir::TensorType& result_type,
                                uint64_t seed) {
  const ir::ElementType type = result_type.element_type();
  RETURN_IF_ERROR(CheckScalarOfType(a, type, "a"));
  RETURN_IF_ERROR(CheckScalarOfType(b, type, "b"));
  if (shape.type().rank() != 1 || !ir::IsInteger(shape.element_type())) {
    return absl::InvalidArgumentError(
        absl::StrCat("rng shape must be a 1-D integer tensor, got ",
                     shape.type().ToString()));
  }
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < shape.element_count(); ++i) {
    dims.push_back(shape.GetAsInt64(i));
  }
  if (dims != result_type.dims()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rng shape [", absl::StrJoin(dims, ","),
        "] differs from the result type ", result_type.ToString()));
  }
  SplitMix64 gen(seed);
  ir::Literal out(result_type);
  if (distribution == ir::RngDistribution::kNormal) {
    if (!ir::IsFloat(type)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rng NORMAL needs a float type, got ", ir::ElementTypeToMlir(type)));
    }
    const double mu = a.GetAsDouble(0);
    const double sigma = b.GetAsDouble(0);
    constexpr double kTwoPi = 6.283185307179586;
    if (absl::Status s =
            FillFloats(out, 0, 0, /*bounded=*/false,
                       [&] {
                         // 1 - u is in (0, 1]: log is finite.
                         const double u1 = 1.0 - gen.NextUnit();
                         const double u2 = gen.NextUnit();
                         return mu + sigma * std::sqrt(-2 * std::log(u1)) *
                                         std::cos(kTwoPi * u2);
                       });
        !s.ok()) {
      return s;
    }
    return out;
  }
  if (ir::IsFloat(type)) {
    const double low = a.GetAsDouble(0);
    const double high = b.GetAsDouble(0);
    if (!(low < high) || !std::isfinite(high - low)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rng UNIFORM needs finite a < b, got a = ", low, ", b = ", high));
    }
    if (absl::Status s =
            FillFloats(out, low, high, /*bounded=*/true,
                       [&] { return low + (high - low) * gen.NextUnit(); });
        !s.ok()) {
      return s;
    }
    return out;
  }
  if (ir::IsInteger(type)) {
    const int64_t low = a.GetAsInt64(0);
    const int64_t high = b.GetAsInt64(0);
    if (ir::IsSignedInteger(type)
            ? !(low < high)
            : !(static_cast<uint64_t>(low) < static_cast<uint64_t>(high))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rng UNIFORM needs a < b, got a = ", low, ", b = ", high));
    }
    // Unsigned arithmetic covers the whole signed range without overflow;
    // the modulo bias is below 2^-32 for ranges under 2^32.
    const uint64_t range =
        static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
    std::vector<uint64_t> values(static_cast<size_t>(out.element_count()));
    for (uint64_t& v : values) {
      v = static_cast<uint64_t>(low) + gen.Next() % range;
    }
    RETURN_IF_ERROR(kernels::elementwise::ConvertInto(
        ir::IsSignedInteger(type) ? ir::ElementType::kS64
                                  : ir::ElementType::kU64,
        type, out.element_count(), values.data(), out.untyped_data()));
    return out;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "rng does not support element type ", ir::ElementTypeToMlir(type)));
}

uint64_t RngSeedFor(const ir::Op& op) {
  // FNV-1a over the op's location and result type.
  uint64_t h = 0xcbf29ce484222325ULL;
  const std::string key = absl::StrCat(ir::FormatLocation(op), "|",
                                       op.result(0)->type().ToString());
  for (unsigned char c : key) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace backplane::interpreter
