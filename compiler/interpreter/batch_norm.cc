#include "compiler/interpreter/batch_norm.h"

#include <cmath>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/kernels/elementwise/convert.h"

namespace backplane::interpreter {
namespace {

bool IsBatchNormType(ir::ElementType t) {
  return t == ir::ElementType::kF16 || t == ir::ElementType::kBF16 ||
         t == ir::ElementType::kF32 || t == ir::ElementType::kF64;
}

// The operand viewed as [outer, features, inner] around feature_index.
struct FeatureLayout {
  int64_t outer = 1;
  int64_t features = 0;
  int64_t inner = 1;
  // Elements per feature (the reduction size).
  int64_t per_feature() const { return outer * inner; }
  int64_t FeatureOf(int64_t linear) const {
    return (linear / inner) % features;
  }
};

absl::StatusOr<FeatureLayout> CheckOperands(
    const ir::Literal& operand, int64_t feature_index,
    std::initializer_list<const ir::Literal*> per_feature,
    std::initializer_list<const ir::Literal*> same_as_operand) {
  const ir::TensorType& t = operand.type();
  if (!IsBatchNormType(t.element_type())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "batch norm needs an f16/bf16/f32/f64 operand, got ", t.ToString()));
  }
  if (feature_index < 0 || feature_index >= t.rank()) {
    return absl::InvalidArgumentError(
        absl::StrCat("feature_index ", feature_index,
                     " is out of range for operand ", t.ToString()));
  }
  FeatureLayout layout;
  layout.features = t.dim(feature_index);
  for (int64_t d = 0; d < feature_index; ++d) layout.outer *= t.dim(d);
  for (int64_t d = feature_index + 1; d < t.rank(); ++d) {
    layout.inner *= t.dim(d);
  }
  const ir::TensorType feature_type(t.element_type(), {layout.features});
  for (const ir::Literal* l : per_feature) {
    if (l->type() != feature_type) {
      return absl::InvalidArgumentError(
          absl::StrCat("scale, offset, mean and variance must be ",
                       feature_type.ToString(), " (operand dimension ",
                       feature_index, "), got ", l->type().ToString()));
    }
  }
  for (const ir::Literal* l : same_as_operand) {
    if (l->type() != t) {
      return absl::InvalidArgumentError(absl::StrCat("grad_output must be ",
                                                     t.ToString(), ", got ",
                                                     l->type().ToString()));
    }
  }
  return layout;
}

std::vector<double> ToDoubles(const ir::Literal& x) {
  std::vector<double> out(static_cast<size_t>(x.element_count()));
  for (int64_t i = 0; i < x.element_count(); ++i) out[i] = x.GetAsDouble(i);
  return out;
}

// Rounds `values` once to `type` (round to nearest even).
absl::StatusOr<ir::Literal> FromDoubles(const std::vector<double>& values,
                                        const ir::TensorType& type) {
  ir::Literal out(type);
  RETURN_IF_ERROR(kernels::elementwise::ConvertInto(
      ir::ElementType::kF64, type.element_type(), values.size(), values.data(),
      out.untyped_data()));
  return out;
}

// Per-feature sums of f(element index, value).
template <typename F>
std::vector<double> FeatureSums(const FeatureLayout& layout,
                                const std::vector<double>& x, F f) {
  std::vector<double> sums(static_cast<size_t>(layout.features), 0.0);
  for (size_t i = 0; i < x.size(); ++i) {
    sums[layout.FeatureOf(static_cast<int64_t>(i))] += f(i, x[i]);
  }
  return sums;
}

std::vector<double> Normalize(const FeatureLayout& layout,
                              const std::vector<double>& x,
                              const std::vector<double>& scale,
                              const std::vector<double>& offset,
                              const std::vector<double>& mean,
                              const std::vector<double>& variance,
                              double epsilon) {
  std::vector<double> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const int64_t f = layout.FeatureOf(static_cast<int64_t>(i));
    y[i] = (x[i] - mean[f]) / std::sqrt(variance[f] + epsilon) * scale[f] +
           offset[f];
  }
  return y;
}

}  // namespace

absl::StatusOr<ir::Literal> BatchNormInference(
    const ir::Literal& operand, const ir::Literal& scale,
    const ir::Literal& offset, const ir::Literal& mean,
    const ir::Literal& variance, double epsilon, int64_t feature_index) {
  ASSIGN_OR_RETURN(const FeatureLayout layout,
                   CheckOperands(operand, feature_index,
                                 {&scale, &offset, &mean, &variance}, {}));
  return FromDoubles(
      Normalize(layout, ToDoubles(operand), ToDoubles(scale), ToDoubles(offset),
                ToDoubles(mean), ToDoubles(variance), epsilon),
      operand.type());
}

absl::StatusOr<BatchNormTrainingResult> BatchNormTraining(
    const ir::Literal& operand, const ir::Literal& scale,
    const ir::Literal& offset, double epsilon, int64_t feature_index) {
  ASSIGN_OR_RETURN(
      const FeatureLayout layout,
      CheckOperands(operand, feature_index, {&scale, &offset}, {}));
  const std::vector<double> x = ToDoubles(operand);
  const double n = static_cast<double>(layout.per_feature());
  std::vector<double> mean =
      FeatureSums(layout, x, [](size_t, double v) { return v; });
  for (double& m : mean) m /= n;
  std::vector<double> var = FeatureSums(layout, x, [&](size_t i, double v) {
    const double c = v - mean[layout.FeatureOf(static_cast<int64_t>(i))];
    return c * c;
  });
  for (double& v : var) v /= n;
  const ir::TensorType feature_type = scale.type();
  BatchNormTrainingResult r;
  ASSIGN_OR_RETURN(r.output,
                   FromDoubles(Normalize(layout, x, ToDoubles(scale),
                                         ToDoubles(offset), mean, var, epsilon),
                               operand.type()));
  ASSIGN_OR_RETURN(ir::Literal m, FromDoubles(mean, feature_type));
  r.batch_mean = std::move(m);
  ASSIGN_OR_RETURN(ir::Literal v, FromDoubles(var, feature_type));
  r.batch_var = std::move(v);
  return r;
}

absl::StatusOr<BatchNormGradResult> BatchNormGrad(
    const ir::Literal& operand, const ir::Literal& scale,
    const ir::Literal& mean, const ir::Literal& variance,
    const ir::Literal& grad_output, double epsilon, int64_t feature_index) {
  ASSIGN_OR_RETURN(const FeatureLayout layout,
                   CheckOperands(operand, feature_index,
                                 {&scale, &mean, &variance}, {&grad_output}));
  const std::vector<double> x = ToDoubles(operand);
  const std::vector<double> g = ToDoubles(grad_output);
  const std::vector<double> s = ToDoubles(scale);
  const std::vector<double> m = ToDoubles(mean);
  const std::vector<double> v = ToDoubles(variance);
  auto feature = [&](size_t i) {
    return layout.FeatureOf(static_cast<int64_t>(i));
  };
  auto centered = [&](size_t i) { return x[i] - m[feature(i)]; };
  // The spec's decomposition (XLA's batchnorm expander): with c = x - mean,
  // sd = sqrt(var + eps) and n elements per feature,
  //   grad_offset = sum(g)
  //   grad_scale  = sum(g * c) / sd
  //   grad_x      = scale / sd / n * (n * g - sum(g) - c * sum(g * c) /
  //                 (var + eps))
  const std::vector<double> sum_g =
      FeatureSums(layout, g, [](size_t, double gi) { return gi; });
  const std::vector<double> sum_gc = FeatureSums(
      layout, g, [&](size_t i, double gi) { return gi * centered(i); });
  const double n = static_cast<double>(layout.per_feature());
  std::vector<double> grad_x(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const int64_t f = feature(i);
    const double var_eps = v[f] + epsilon;
    const double sd = std::sqrt(var_eps);
    grad_x[i] = s[f] / sd / n *
                (n * g[i] - sum_g[f] - centered(i) * sum_gc[f] / var_eps);
  }
  std::vector<double> grad_scale(sum_gc.size());
  for (size_t f = 0; f < grad_scale.size(); ++f) {
    grad_scale[f] = sum_gc[f] / std::sqrt(v[f] + epsilon);
  }
  BatchNormGradResult r;
  ASSIGN_OR_RETURN(ir::Literal gx, FromDoubles(grad_x, operand.type()));
  r.grad_operand = std::move(gx);
  ASSIGN_OR_RETURN(ir::Literal gs, FromDoubles(grad_scale, scale.type()));
  r.grad_scale = std::move(gs);
  ASSIGN_OR_RETURN(ir::Literal go, FromDoubles(sum_g, scale.type()));
  r.grad_offset = std::move(go);
  return r;
}

}  // namespace backplane::interpreter
