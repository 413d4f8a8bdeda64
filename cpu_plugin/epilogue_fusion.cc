#include "cpu_plugin/epilogue_fusion.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "base/status_macros.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/op_accessors.h"
#include "cpu_plugin/basic_thunks.h"

namespace backplane::cpu {
namespace {

using ir::OpCode;

// Element stride of dimension `d` in a row-major tensor of `dims`.
int64_t StrideOf(const std::vector<int64_t>& dims, int64_t d) {
  int64_t s = 1;
  for (size_t k = static_cast<size_t>(d) + 1; k < dims.size(); ++k) {
    s *= dims[k];
  }
  return s;
}

const ir::Value* SoleUser(const ir::Value* v, const ir::Op** user) {
  if (v->uses().size() != 1) return nullptr;
  *user = v->uses()[0].user;
  return v;
}

bool IsZeroSplat(const ir::Value* v) {
  const ir::Op* def = v->defining_op();
  while (def != nullptr && def->code() == OpCode::kBroadcastInDim) {
    def = def->operand(0)->defining_op();
  }
  if (def == nullptr || def->code() != OpCode::kConstant) return false;
  const ir::Attribute* value = def->attr("value");
  if (value == nullptr ||
      value->kind() != ir::Attribute::Kind::kDenseElements ||
      value->literal().element_type() != ir::ElementType::kF32) {
    return false;
  }
  for (float f : value->literal().data<float>()) {
    if (f != 0.0f) return false;
  }
  return true;
}

// Small values computed from constants only (e.g. rsqrt(var + eps) * gamma
// of a batch norm whose parameters the shared folder left alone), evaluated
// with the reference kernels.
std::optional<ir::Literal> EvaluateSmall(const ir::Value* v, int depth) {
  constexpr int64_t kMaxElements = int64_t{1} << 16;
  const ir::Op* def = v->defining_op();
  if (def == nullptr || depth > 16 || !v->type().is_tensor() ||
      v->type().tensor().element_count() > kMaxElements ||
      def->num_regions() > 0 || def->num_results() != 1) {
    return std::nullopt;
  }
  if (def->code() == OpCode::kConstant) {
    const ir::Attribute* value = def->attr("value");
    if (value == nullptr ||
        value->kind() != ir::Attribute::Kind::kDenseElements) {
      return std::nullopt;
    }
    return value->literal();
  }
  if (!IsGenericOpSupported(*def)) return std::nullopt;
  std::vector<ir::Literal> operands;
  for (const ir::Value* operand : def->operands()) {
    std::optional<ir::Literal> l = EvaluateSmall(operand, depth + 1);
    if (!l.has_value()) return std::nullopt;
    operands.push_back(*std::move(l));
  }
  auto out = interpreter::EvaluateOp(*def, operands);
  if (!out.ok() || out->size() != 1) return std::nullopt;
  return std::move((*out)[0]);
}

// The operand dimension that broadcast_in_dim `op` maps to result
// dimension `dim`: -1 when none does (the operand repeats along it),
// std::nullopt when the attribute is malformed.
std::optional<int64_t> BroadcastSourceDim(const ir::Op& op, int64_t dim) {
  auto map = ir::GetI64Array(op, "broadcast_dimensions");
  if (!map.ok()) return std::nullopt;
  for (size_t i = 0; i < map->size(); ++i) {
    if ((*map)[i] == dim) return static_cast<int64_t>(i);
  }
  return -1;
}

}  // namespace

std::optional<std::vector<float>> PerChannelConstant(const ir::Value* v,
                                                     int64_t feature_dim) {
  if (!v->type().is_tensor() ||
      v->type().tensor().element_type() != ir::ElementType::kF32) {
    return std::nullopt;
  }
  const ir::TensorType& type = v->type().tensor();
  const int64_t channels = feature_dim >= 0 ? type.dim(feature_dim) : 1;
  const ir::Op* def = v->defining_op();
  if (def == nullptr) return std::nullopt;
  if (def->code() == OpCode::kBroadcastInDim) {
    std::optional<int64_t> source_dim = BroadcastSourceDim(*def, feature_dim);
    if (!source_dim.has_value()) return std::nullopt;
    std::optional<std::vector<float>> inner =
        PerChannelConstant(def->operand(0), *source_dim);
    if (!inner.has_value()) return std::nullopt;
    if (static_cast<int64_t>(inner->size()) == channels) return inner;
    if (inner->size() == 1) return std::vector<float>(channels, (*inner)[0]);
    return std::nullopt;
  }
  std::optional<ir::Literal> evaluated;
  const ir::Literal* literal_ptr = nullptr;
  if (def->code() == OpCode::kConstant) {
    const ir::Attribute* value = def->attr("value");
    if (value == nullptr ||
        value->kind() != ir::Attribute::Kind::kDenseElements) {
      return std::nullopt;
    }
    literal_ptr = &value->literal();
  } else {
    evaluated = EvaluateSmall(v, 0);
    if (!evaluated.has_value()) return std::nullopt;
    literal_ptr = &*evaluated;
  }
  const ir::Literal& literal = *literal_ptr;
  absl::Span<const float> data = literal.data<float>();
  if (data.empty()) return std::nullopt;
  const int64_t stride =
      feature_dim >= 0 ? StrideOf(type.dims(), feature_dim) : 1;
  std::vector<float> out(channels);
  std::vector<bool> seen(channels, false);
  for (size_t i = 0; i < data.size(); ++i) {
    const int64_t c =
        feature_dim >= 0 ? (static_cast<int64_t>(i) / stride) % channels : 0;
    if (!seen[c]) {
      out[c] = data[i];
      seen[c] = true;
    } else if (std::memcmp(&out[c], &data[i], sizeof(float)) != 0) {
      return std::nullopt;  // Bitwise, so NaN parameters still match.
    }
  }
  return out;
}

const ir::Value* PerChannelSource(const ir::Value* v, int64_t feature_dim,
                                  int64_t channels) {
  int64_t dim = feature_dim;
  for (int hops = 0; hops < 8 && v->type().is_tensor(); ++hops) {
    const ir::TensorType& type = v->type().tensor();
    if (type.element_type() != ir::ElementType::kF32) return nullptr;
    if (type.rank() == 1 && dim == 0 && type.dim(0) == channels) return v;
    const ir::Op* def = v->defining_op();
    if (def == nullptr || def->code() != OpCode::kBroadcastInDim) {
      return nullptr;
    }
    std::optional<int64_t> source_dim = BroadcastSourceDim(*def, dim);
    if (!source_dim.has_value() || *source_dim < 0) return nullptr;
    v = def->operand(0);
    dim = *source_dim;
  }
  return nullptr;
}

EpilogueMatch MatchEpilogue(
    const ir::Value* result, int64_t feature_dim, bool can_scale,
    const std::function<bool(const ir::Value*)>& is_available) {
  EpilogueMatch m;
  const ir::TensorType type = result->type().tensor();
  if (type.element_type() != ir::ElementType::kF32) return m;
  const int64_t channels = type.dim(feature_dim);
  std::vector<float> scale(channels, 1.0f), shift(channels, 0.0f);
  bool affine = false;
  const ir::Value* y = result;
  // Reshapes that keep the channels innermost (PyTorch's [S, H] <->
  // [1, S, H] around linear layers) change no byte, so the chain may pass
  // through them; they are absorbed only when an op after them is.
  std::vector<const ir::Op*> pending_reshapes;
  const ir::Value* before_reshapes = y;
  enum class Stage { kAffine, kResidual, kRelu, kDone } stage = Stage::kAffine;
  while (stage != Stage::kDone) {
    const ir::Op* user = nullptr;
    if (SoleUser(y, &user) == nullptr) break;
    if (user->code() == OpCode::kReshape && user->num_results() == 1 &&
        feature_dim == y->type().tensor().rank() - 1) {
      const ir::TensorType& reshaped = user->result(0)->type().tensor();
      if (reshaped.rank() == 0 ||
          reshaped.dim(reshaped.rank() - 1) != channels) {
        break;
      }
      pending_reshapes.push_back(user);
      y = user->result(0);
      feature_dim = reshaped.rank() - 1;
      continue;
    }
    if (user->num_results() != 1 || user->result(0)->type() != y->type() ||
        user->num_operands() != 2) {
      break;
    }
    const bool y_first = user->operand(0) == y;
    const ir::Value* other = user->operand(y_first ? 1 : 0);
    if (other == y) break;
    const OpCode code = user->code();
    bool accepted = false;
    if (stage == Stage::kAffine &&
        (code == OpCode::kAdd || code == OpCode::kSubtract ||
         code == OpCode::kMultiply || code == OpCode::kDivide)) {
      std::optional<std::vector<float>> k =
          PerChannelConstant(other, feature_dim);
      const bool multiplicative =
          code == OpCode::kMultiply || code == OpCode::kDivide;
      if (k.has_value() &&
          (y_first || code == OpCode::kAdd || code == OpCode::kMultiply) &&
          (!multiplicative || can_scale)) {
        for (int64_t c = 0; c < channels; ++c) {
          switch (code) {
            case OpCode::kAdd:
              shift[c] += (*k)[c];
              break;
            case OpCode::kSubtract:
              shift[c] -= (*k)[c];
              break;
            case OpCode::kMultiply:
              scale[c] *= (*k)[c];
              shift[c] *= (*k)[c];
              break;
            default:
              scale[c] /= (*k)[c];
              shift[c] /= (*k)[c];
              break;
          }
        }
        affine = true;
        accepted = true;
      }
    }
    if (!accepted && stage == Stage::kAffine && !affine &&
        code == OpCode::kAdd) {
      // A computed bias: oneDNN's bias argument reads the vector itself.
      const ir::Value* source = PerChannelSource(other, feature_dim, channels);
      if (source != nullptr && is_available(source)) {
        m.bias = source;
        stage = Stage::kResidual;
        accepted = true;
      }
    }
    if (!accepted && stage <= Stage::kResidual && code == OpCode::kMultiply &&
        !m.output_scale.has_value()) {
      // A splat factor the weights cannot absorb: scaled after the bias
      // (one only: two would round differently as one product).
      std::optional<std::vector<float>> k =
          PerChannelConstant(other, feature_dim);
      if (k.has_value() && !k->empty() &&
          std::all_of(k->begin(), k->end(),
                      [&](float f) { return f == k->front(); })) {
        m.output_scale = k->front();
        stage = Stage::kResidual;
        accepted = true;
      }
    }
    if (!accepted && stage <= Stage::kResidual && code == OpCode::kAdd &&
        !PerChannelConstant(other, feature_dim).has_value() &&
        is_available(other)) {
      m.residual = other;
      stage = Stage::kRelu;
      accepted = true;
    }
    if (!accepted && code == OpCode::kMaximum && IsZeroSplat(other)) {
      m.relu = true;
      stage = Stage::kDone;
      accepted = true;
    }
    if (!accepted) break;
    m.absorbed.insert(m.absorbed.end(), pending_reshapes.begin(),
                      pending_reshapes.end());
    pending_reshapes.clear();
    m.absorbed.push_back(user);
    y = user->result(0);
    before_reshapes = y;
  }
  m.final_value = before_reshapes;
  if (affine) {
    m.scale = std::move(scale);
    m.shift = std::move(shift);
  }
  return m;
}

ir::Literal ScaleOutputChannels(const ir::Literal& weights, int64_t out_dim,
                                const std::vector<float>& scale) {
  ir::Literal scaled = weights;
  absl::Span<float> data = scaled.data<float>();
  const int64_t stride = StrideOf(weights.dims(), out_dim);
  const int64_t channels = weights.dims()[out_dim];
  for (size_t i = 0; i < data.size(); ++i) {
    data[i] *= scale[(static_cast<int64_t>(i) / stride) % channels];
  }
  return scaled;
}

absl::Status EpilogueDims(const ir::Op& op, int64_t* feature_dim,
                          int64_t* weights_out_dim) {
  *feature_dim = -1;
  *weights_out_dim = -1;
  if (op.code() == ir::OpCode::kConvolution) {
    ASSIGN_OR_RETURN(auto cdn, ir::GetConvDimensionNumbers(op));
    *feature_dim = cdn.output_feature_dimension;
    *weights_out_dim = cdn.kernel_output_feature_dimension;
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(auto ddn, ir::GetDotDimensionNumbers(op));
  const int64_t rrank = op.operand(1)->type().tensor().rank();
  const int64_t free_dims =
      rrank - static_cast<int64_t>(ddn.rhs_batching_dimensions.size() +
                                   ddn.rhs_contracting_dimensions.size());
  const int64_t out_rank = op.result(0)->type().tensor().rank();
  if (free_dims == 1 && out_rank > 0) {
    *feature_dim = out_rank - 1;
    for (int64_t d = 0; d < rrank; ++d) {
      bool used = false;
      for (int64_t b : ddn.rhs_batching_dimensions) used |= b == d;
      for (int64_t c : ddn.rhs_contracting_dimensions) used |= c == d;
      if (!used) *weights_out_dim = d;
    }
  }
  return absl::OkStatus();
}

}  // namespace backplane::cpu
