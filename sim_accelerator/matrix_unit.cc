#include "sim_accelerator/matrix_unit.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/float16.h"
#include "compiler/ir/op_accessors.h"

namespace backplane::sim {
namespace {

using ir::ElementType;
using ir::OpCode;

bool IsMatrixType(ElementType t) {
  return t == ElementType::kF32 || t == ElementType::kBF16;
}

ElementType OperandElementType(const ir::Op& op, int i) {
  return op.operand(i)->type().tensor().element_type();
}

// Rounds to the nearest bf16 value (ties to even); values that would round
// to infinity are truncated instead, so that the parts of a finite value
// stay finite.
float RoundToBf16(float x) {
  float r = ir::BF16ToFloat(ir::FloatToBF16(x));
  if (std::isinf(r) && std::isfinite(x)) {
    r = ir::BitsToFloat(ir::FloatBits(x) & 0xffff0000u);
  }
  return r;
}

int64_t Product(const std::vector<int64_t>& dims,
                const std::vector<int64_t>& which) {
  int64_t p = 1;
  for (int64_t d : which) p *= dims[d];
  return p;
}

bool AllZero(const ir::Literal& l) {
  for (float v : l.data<float>()) {
    if (v != 0.0f) return false;
  }
  return true;
}

}  // namespace

bool RunsOnMatrixUnit(const ir::Op& op) {
  if (op.code() != OpCode::kDotGeneral && op.code() != OpCode::kDot &&
      op.code() != OpCode::kConvolution) {
    return false;
  }
  if (op.num_operands() != 2 || op.num_results() != 1) return false;
  for (int i = 0; i < 2; ++i) {
    if (!op.operand(i)->type().is_tensor() ||
        !IsMatrixType(OperandElementType(op, i))) {
      return false;
    }
  }
  return op.result(0)->type().is_tensor() &&
         IsMatrixType(op.result(0)->type().tensor().element_type());
}

int MatmulPasses(const ir::Op& op, MatmulPrecision default_precision) {
  if (OperandElementType(op, 0) == ElementType::kBF16 &&
      OperandElementType(op, 1) == ElementType::kBF16) {
    return 1;
  }
  MatmulPrecision effective = MatmulPrecision::kDefault;
  bool explicit_default = true;
  absl::StatusOr<std::vector<ir::Precision>> config =
      ir::GetPrecisionConfig(op);
  if (config.ok()) {
    for (ir::Precision p : *config) {
      if (p == ir::Precision::kHighest) {
        effective = MatmulPrecision::kHighest;
        explicit_default = false;
      } else if (p == ir::Precision::kHigh &&
                 effective != MatmulPrecision::kHighest) {
        effective = MatmulPrecision::kHigh;
        explicit_default = false;
      }
    }
  }
  if (explicit_default) effective = default_precision;
  switch (effective) {
    case MatmulPrecision::kDefault:
      return 1;
    case MatmulPrecision::kHigh:
      return 3;
    case MatmulPrecision::kHighest:
      return 6;
  }
  return 6;
}

absl::StatusOr<GemmShape> MatrixOpGemmShape(const ir::Op& op) {
  const std::vector<int64_t>& lhs = op.operand(0)->type().tensor().dims();
  const std::vector<int64_t>& rhs = op.operand(1)->type().tensor().dims();
  GemmShape g;
  if (op.code() == OpCode::kDot) {
    g.m = lhs.size() == 2 ? lhs[0] : 1;
    g.k = lhs.empty() ? 1 : lhs.back();
    g.n = rhs.size() == 2 ? rhs[1] : 1;
    return g;
  }
  if (op.code() == OpCode::kDotGeneral) {
    absl::StatusOr<ir::DotDimensionNumbers> dn = ir::GetDotDimensionNumbers(op);
    if (!dn.ok()) return dn.status();
    g.count = Product(lhs, dn->lhs_batching_dimensions);
    g.k = Product(lhs, dn->lhs_contracting_dimensions);
    int64_t lhs_all = 1, rhs_all = 1;
    for (int64_t d : lhs) lhs_all *= d;
    for (int64_t d : rhs) rhs_all *= d;
    const int64_t batch_k = std::max<int64_t>(g.count * g.k, 1);
    g.m = lhs_all / batch_k;
    g.n = rhs_all / batch_k;
    if (g.count * g.k == 0) g.m = g.n = 0;
    return g;
  }
  absl::StatusOr<ir::ConvDimensionNumbers> dn = ir::GetConvDimensionNumbers(op);
  if (!dn.ok()) return dn.status();
  const std::vector<int64_t>& out = op.result(0)->type().tensor().dims();
  absl::StatusOr<int64_t> groups = ir::GetI64Or(op, "feature_group_count", 1);
  absl::StatusOr<int64_t> batch_groups =
      ir::GetI64Or(op, "batch_group_count", 1);
  if (!groups.ok()) return groups.status();
  if (!batch_groups.ok()) return batch_groups.status();
  g.count = std::max<int64_t>(*groups * *batch_groups, 1);
  g.m = out[dn->output_batch_dimension] *
        Product(out, dn->output_spatial_dimensions);
  g.k = rhs[dn->kernel_input_feature_dimension] *
        Product(rhs, dn->kernel_spatial_dimensions);
  g.n = rhs[dn->kernel_output_feature_dimension] / g.count;
  return g;
}

std::vector<ir::Literal> SplitIntoBf16Parts(const ir::Literal& value,
                                            int parts) {
  std::vector<ir::Literal> out;
  for (int p = 0; p < parts; ++p) out.emplace_back(value.type());
  absl::Span<const float> x = value.data<float>();
  for (size_t i = 0; i < x.size(); ++i) {
    float rest = x[i];
    for (int p = 0; p < parts; ++p) {
      const float part = RoundToBf16(rest);
      out[p].data<float>()[i] = part;
      // Infinities and NaNs live entirely in the first part.
      if (!std::isfinite(part)) break;
      rest -= part;  // Exact: part is rest rounded to fewer bits.
    }
  }
  return out;
}

absl::StatusOr<ir::Literal> EvaluateOnMatrixUnit(const ir::Op& op,
                                                 const ir::Literal& lhs,
                                                 const ir::Literal& rhs,
                                                 int passes) {
  const bool lhs_f32 = lhs.element_type() == ElementType::kF32;
  const bool rhs_f32 = rhs.element_type() == ElementType::kF32;
  const bool result_f32 =
      op.result(0)->type().tensor().element_type() == ElementType::kF32;
  if (!result_f32 || (!lhs_f32 && !rhs_f32)) {
    // bf16 operands: one pass; products of bf16 values are exact in f32,
    // which is how the kernel accumulates.
    absl::StatusOr<std::vector<ir::Literal>> out =
        interpreter::EvaluateOp(op, {lhs, rhs});
    if (!out.ok()) return out.status();
    return std::move((*out)[0]);
  }
  const int parts = passes >= 6 ? 3 : passes >= 3 ? 2 : 1;
  std::vector<ir::Literal> lhs_parts =
      lhs_f32 ? SplitIntoBf16Parts(lhs, parts) : std::vector<ir::Literal>{};
  std::vector<ir::Literal> rhs_parts =
      rhs_f32 ? SplitIntoBf16Parts(rhs, parts) : std::vector<ir::Literal>{};
  if (!lhs_f32) lhs_parts.push_back(lhs);
  if (!rhs_f32) rhs_parts.push_back(rhs);
  // Smallest contributions first, so the sum loses the least.
  static constexpr std::pair<int, int> kPairs[] = {{0, 2}, {2, 0}, {1, 1},
                                                   {0, 1}, {1, 0}, {0, 0}};
  const int first_pair = passes >= 6 ? 0 : passes >= 3 ? 3 : 5;
  ir::Literal sum(op.result(0)->type().tensor());
  bool have_sum = false;
  for (int p = first_pair; p < 6; ++p) {
    const auto [a, b] = kPairs[p];
    if (a >= static_cast<int>(lhs_parts.size()) ||
        b >= static_cast<int>(rhs_parts.size())) {
      continue;
    }
    // An all-zero part contributes nothing; skipping it also keeps
    // 0 * inf from turning exact results into NaN.
    if ((a > 0 && AllZero(lhs_parts[a])) || (b > 0 && AllZero(rhs_parts[b]))) {
      continue;
    }
    absl::StatusOr<std::vector<ir::Literal>> out =
        interpreter::EvaluateOp(op, {lhs_parts[a], rhs_parts[b]});
    if (!out.ok()) return out.status();
    if (!have_sum) {
      sum = std::move((*out)[0]);
      have_sum = true;
      continue;
    }
    absl::Span<float> acc = sum.data<float>();
    absl::Span<const float> add = (*out)[0].data<float>();
    for (size_t i = 0; i < acc.size(); ++i) acc[i] += add[i];
  }
  return sum;
}

}  // namespace backplane::sim
