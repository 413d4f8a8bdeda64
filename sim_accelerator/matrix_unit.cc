#include "sim_accelerator/matrix_unit.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
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

// bf16 values widened to f32 (exact).
ir::Literal ToF32(const ir::Literal& bf16) {
  ir::Literal out(ir::TensorType(ElementType::kF32, bf16.dims()));
  absl::Span<const uint16_t> in = bf16.data<uint16_t>();
  for (size_t i = 0; i < in.size(); ++i) {
    out.data<float>()[i] = ir::BF16ToFloat(in[i]);
  }
  return out;
}

bool AllZero(const ir::Literal& l) {
  for (float v : l.data<float>()) {
    if (v != 0.0f) return false;
  }
  return true;
}

// Offsets (in elements) of every index over `which` dims of an array with
// `dims`, enumerated row-major in the order `which` lists them.
std::vector<int64_t> Offsets(const std::vector<int64_t>& dims,
                             const std::vector<int64_t>& which) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (int64_t i = static_cast<int64_t>(dims.size()) - 2; i >= 0; --i) {
    strides[i] = strides[i + 1] * dims[i + 1];
  }
  std::vector<int64_t> out = {0};
  for (int64_t d : which) {
    std::vector<int64_t> next;
    next.reserve(out.size() * dims[d]);
    for (int64_t base : out) {
      for (int64_t i = 0; i < dims[d]; ++i)
        next.push_back(base + i * strides[d]);
    }
    out = std::move(next);
  }
  return out;
}

std::vector<int64_t> FreeDims(int64_t rank, const std::vector<int64_t>& a,
                              const std::vector<int64_t>& b) {
  std::vector<int64_t> out;
  for (int64_t d = 0; d < rank; ++d) {
    if (std::find(a.begin(), a.end(), d) == a.end() &&
        std::find(b.begin(), b.end(), d) == b.end()) {
      out.push_back(d);
    }
  }
  return out;
}

// dot_general as the array computes it: for each output, the column adds
// one product per k, in k order, to an f32 partial sum. With several passes
// the PE forms the k-th product from its pass products (bf16 x bf16, exact)
// before adding it, so passes refine each product rather than each sum.
absl::StatusOr<ir::Literal> SystolicDotGeneral(
    const ir::Op& op, const std::vector<ir::Literal>& lhs_parts,
    const std::vector<ir::Literal>& rhs_parts,
    const std::vector<std::pair<int, int>>& pairs) {
  ASSIGN_OR_RETURN(ir::DotDimensionNumbers dn, ir::GetDotDimensionNumbers(op));
  const std::vector<int64_t>& ld = lhs_parts[0].dims();
  const std::vector<int64_t>& rd = rhs_parts[0].dims();
  const std::vector<int64_t> lb = Offsets(ld, dn.lhs_batching_dimensions);
  const std::vector<int64_t> rb = Offsets(rd, dn.rhs_batching_dimensions);
  const std::vector<int64_t> lk = Offsets(ld, dn.lhs_contracting_dimensions);
  const std::vector<int64_t> rk = Offsets(rd, dn.rhs_contracting_dimensions);
  const std::vector<int64_t> lm = Offsets(
      ld, FreeDims(static_cast<int64_t>(ld.size()), dn.lhs_batching_dimensions,
                   dn.lhs_contracting_dimensions));
  const std::vector<int64_t> rn = Offsets(
      rd, FreeDims(static_cast<int64_t>(rd.size()), dn.rhs_batching_dimensions,
                   dn.rhs_contracting_dimensions));
  ir::Literal out(op.result(0)->type().tensor());
  absl::Span<float> c = out.data<float>();
  if (static_cast<int64_t>(c.size()) !=
      static_cast<int64_t>(lb.size() * lm.size() * rn.size())) {
    return absl::InternalError("dot_general result size mismatch");
  }
  std::vector<const float*> a, b;
  for (const ir::Literal& l : lhs_parts) a.push_back(l.data<float>().data());
  for (const ir::Literal& r : rhs_parts) b.push_back(r.data<float>().data());
  size_t index = 0;
  for (size_t bi = 0; bi < lb.size(); ++bi) {
    for (int64_t m : lm) {
      for (int64_t n : rn) {
        float acc = 0.0f;
        for (size_t k = 0; k < lk.size(); ++k) {
          const int64_t x = lb[bi] + m + lk[k];
          const int64_t y = rb[bi] + n + rk[k];
          // pairs[0] is (0, 0). A zero refinement part contributes
          // nothing; skipping it keeps 0 * inf from turning into NaN.
          double product = static_cast<double>(a[0][x]) * b[0][y];
          for (size_t p = 1; p < pairs.size(); ++p) {
            const float u = a[pairs[p].first][x];
            const float v = b[pairs[p].second][y];
            if (u != 0.0f && v != 0.0f) product += static_cast<double>(u) * v;
          }
          acc += static_cast<float>(product);
        }
        c[index++] = acc;
      }
    }
  }
  return out;
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
    ASSIGN_OR_RETURN(ir::DotDimensionNumbers dn,
                     ir::GetDotDimensionNumbers(op));
    g.count = Product(lhs, dn.lhs_batching_dimensions);
    g.k = Product(lhs, dn.lhs_contracting_dimensions);
    int64_t lhs_all = 1, rhs_all = 1;
    for (int64_t d : lhs) lhs_all *= d;
    for (int64_t d : rhs) rhs_all *= d;
    const int64_t batch_k = std::max<int64_t>(g.count * g.k, 1);
    g.m = lhs_all / batch_k;
    g.n = rhs_all / batch_k;
    if (g.count * g.k == 0) g.m = g.n = 0;
    return g;
  }
  ASSIGN_OR_RETURN(ir::ConvDimensionNumbers dn,
                   ir::GetConvDimensionNumbers(op));
  const std::vector<int64_t>& out = op.result(0)->type().tensor().dims();
  absl::StatusOr<int64_t> groups = ir::GetI64Or(op, "feature_group_count", 1);
  absl::StatusOr<int64_t> batch_groups =
      ir::GetI64Or(op, "batch_group_count", 1);
  if (!groups.ok()) return groups.status();
  if (!batch_groups.ok()) return batch_groups.status();
  g.count = std::max<int64_t>(*groups * *batch_groups, 1);
  g.m = out[dn.output_batch_dimension] *
        Product(out, dn.output_spatial_dimensions);
  g.k = rhs[dn.kernel_input_feature_dimension] *
        Product(rhs, dn.kernel_spatial_dimensions);
  g.n = rhs[dn.kernel_output_feature_dimension] / g.count;
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
  if (passes >= 6 && op.code() != OpCode::kDotGeneral) {
    // Six passes form each product to within 2^-29 of the exact f32 x f32
    // product, below the f32 rounding of one product; the convolution
    // kernel's f32 products with f32 accumulation model that column sum
    // (an approximation: the omitted x1y2 + x2y1 + x2y2 terms are dropped
    // and the kernel's accumulation order stands in for the array's).
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
  if (!lhs_f32) lhs_parts[0] = ToF32(lhs);
  if (!rhs_f32) rhs_parts[0] = ToF32(rhs);
  if (op.code() == OpCode::kDotGeneral) {
    std::vector<std::pair<int, int>> pairs;
    static constexpr std::pair<int, int> kAll[] = {{0, 0}, {1, 0}, {0, 1},
                                                   {1, 1}, {2, 0}, {0, 2}};
    const int count = passes >= 6 ? 6 : passes >= 3 ? 3 : 1;
    for (int p = 0; p < count; ++p) {
      const auto [a, b] = kAll[p];
      if (a < static_cast<int>(lhs_parts.size()) &&
          b < static_cast<int>(rhs_parts.size())) {
        pairs.push_back(kAll[p]);
      }
    }
    return SystolicDotGeneral(op, lhs_parts, rhs_parts, pairs);
  }
  if (!lhs_f32) lhs_parts[0] = lhs;
  if (!rhs_f32) rhs_parts[0] = rhs;
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
