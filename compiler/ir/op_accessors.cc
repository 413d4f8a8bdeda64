#include "compiler/ir/op_accessors.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace backplane::ir {
namespace {

absl::Status Missing(const Op& op, absl::string_view name) {
  return absl::InvalidArgumentError(
      absl::StrCat(op.name(), ": missing attribute '", name, "'"));
}
absl::Status Mistyped(const Op& op, absl::string_view name,
                      absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(op.name(), ": attribute '", name, "' must be ", expected,
                   ", got ", op.attr(name)->ToString().substr(0, 80)));
}

}  // namespace

absl::StatusOr<std::vector<int64_t>> GetI64Array(const Op& op,
                                                 absl::string_view name) {
  const Attribute* a = op.attr(name);
  if (!a) return Missing(op, name);
  switch (a->kind()) {
    case Attribute::Kind::kDenseArray:
      if (a->int_type() != ElementType::kPred) return a->dense_array();
      break;
    case Attribute::Kind::kDenseElements: {
      const Literal& lit = a->literal();
      if (lit.dims().size() == 1 && IsInteger(lit.element_type())) {
        std::vector<int64_t> out(lit.element_count());
        for (int64_t i = 0; i < lit.element_count(); ++i) {
          out[i] = lit.GetAsInt64(i);
        }
        return out;
      }
      break;
    }
    case Attribute::Kind::kArray: {
      std::vector<int64_t> out;
      for (const Attribute& e : a->array()) {
        if (e.kind() != Attribute::Kind::kInteger) {
          return Mistyped(op, name, "a list of integers");
        }
        out.push_back(e.int_value());
      }
      return out;
    }
    default:
      break;
  }
  return Mistyped(op, name, "a list of integers");
}

absl::StatusOr<std::vector<int64_t>> GetI64ArrayOr(
    const Op& op, absl::string_view name, std::vector<int64_t> fallback) {
  if (!op.attr(name)) return fallback;
  return GetI64Array(op, name);
}

absl::StatusOr<std::vector<bool>> GetBoolArrayOr(const Op& op,
                                                 absl::string_view name,
                                                 std::vector<bool> fallback) {
  const Attribute* a = op.attr(name);
  if (!a) return fallback;
  std::vector<bool> out;
  if (a->kind() == Attribute::Kind::kDenseArray &&
      a->int_type() == ElementType::kPred) {
    for (int64_t v : a->dense_array()) out.push_back(v != 0);
    return out;
  }
  if (a->kind() == Attribute::Kind::kDenseElements &&
      a->literal().element_type() == ElementType::kPred &&
      a->literal().dims().size() == 1) {
    for (int64_t i = 0; i < a->literal().element_count(); ++i) {
      out.push_back(a->literal().GetAsInt64(i) != 0);
    }
    return out;
  }
  return Mistyped(op, name, "a list of booleans");
}

absl::StatusOr<int64_t> GetI64(const Op& op, absl::string_view name) {
  const Attribute* a = op.attr(name);
  if (!a) return Missing(op, name);
  if (a->kind() != Attribute::Kind::kInteger) {
    return Mistyped(op, name, "an integer");
  }
  return a->int_value();
}

absl::StatusOr<int64_t> GetI64Or(const Op& op, absl::string_view name,
                                 int64_t fallback) {
  if (!op.attr(name)) return fallback;
  return GetI64(op, name);
}

bool GetBoolOr(const Op& op, absl::string_view name, bool fallback) {
  const Attribute* a = op.attr(name);
  if (!a) return fallback;
  if (a->kind() == Attribute::Kind::kUnit) return true;
  if (a->kind() == Attribute::Kind::kBool) return a->bool_value();
  return fallback;
}

absl::StatusOr<std::string> GetString(const Op& op, absl::string_view name) {
  const Attribute* a = op.attr(name);
  if (!a) return Missing(op, name);
  if (a->kind() != Attribute::Kind::kString) {
    return Mistyped(op, name, "a string");
  }
  return a->string_value();
}

absl::StatusOr<std::string> GetSymbol(const Op& op, absl::string_view name) {
  const Attribute* a = op.attr(name);
  if (!a) return Missing(op, name);
  if (a->kind() != Attribute::Kind::kSymbolRef) {
    return Mistyped(op, name, "a symbol reference");
  }
  return a->string_value();
}

#define BACKPLANE_STRUCT_GETTER(Fn, T, accessor, attr_name) \
  absl::StatusOr<T> Fn(const Op& op) {                      \
    const Attribute* a = op.attr(attr_name);                \
    if (!a) return Missing(op, attr_name);                  \
    if (const T* v = a->accessor()) return *v;              \
    return Mistyped(op, attr_name, #T);                     \
  }
BACKPLANE_STRUCT_GETTER(GetDotDimensionNumbers, DotDimensionNumbers,
                        dot_dimension_numbers, "dot_dimension_numbers")
BACKPLANE_STRUCT_GETTER(GetConvDimensionNumbers, ConvDimensionNumbers,
                        conv_dimension_numbers, "dimension_numbers")
BACKPLANE_STRUCT_GETTER(GetGatherDimensionNumbers, GatherDimensionNumbers,
                        gather_dimension_numbers, "dimension_numbers")
BACKPLANE_STRUCT_GETTER(GetScatterDimensionNumbers, ScatterDimensionNumbers,
                        scatter_dimension_numbers, "scatter_dimension_numbers")
#undef BACKPLANE_STRUCT_GETTER

namespace {
absl::StatusOr<int> GetEnum(const Op& op, absl::string_view name,
                            EnumKind kind) {
  const Attribute* a = op.attr(name);
  if (!a) return Missing(op, name);
  if (a->kind() != Attribute::Kind::kEnum || a->enum_kind() != kind) {
    return Mistyped(op, name, EnumKindName(kind));
  }
  return a->enum_value();
}
}  // namespace

absl::StatusOr<ComparisonDirection> GetComparisonDirection(const Op& op) {
  ASSIGN_OR_RETURN(auto v, GetEnum(op, "comparison_direction",
                                   EnumKind::kComparisonDirection));
  return static_cast<ComparisonDirection>(v);
}

absl::StatusOr<ComparisonType> GetComparisonType(const Op& op) {
  if (!op.attr("compare_type")) return ComparisonType::kNoType;
  ASSIGN_OR_RETURN(auto v,
                   GetEnum(op, "compare_type", EnumKind::kComparisonType));
  return static_cast<ComparisonType>(v);
}

absl::StatusOr<FftType> GetFftType(const Op& op) {
  ASSIGN_OR_RETURN(auto v, GetEnum(op, "fft_type", EnumKind::kFftType));
  return static_cast<FftType>(v);
}

absl::StatusOr<std::vector<Precision>> GetPrecisionConfig(const Op& op) {
  const Attribute* a = op.attr("precision_config");
  std::vector<Precision> out;
  if (!a) return out;
  if (a->kind() != Attribute::Kind::kArray) {
    return Mistyped(op, "precision_config", "an array of precisions");
  }
  for (const Attribute& e : a->array()) {
    if (e.kind() != Attribute::Kind::kEnum ||
        e.enum_kind() != EnumKind::kPrecision) {
      return Mistyped(op, "precision_config", "an array of precisions");
    }
    out.push_back(static_cast<Precision>(e.enum_value()));
  }
  return out;
}

std::optional<ChannelHandle> GetChannelHandle(const Op& op) {
  const Attribute* a = op.attr("channel_handle");
  if (!a || !a->channel_handle()) return std::nullopt;
  return *a->channel_handle();
}

absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> GetPaddingPairs(
    const Op& op, absl::string_view name, int64_t rank) {
  std::vector<std::pair<int64_t, int64_t>> out(rank, {0, 0});
  const Attribute* a = op.attr(name);
  if (!a) return out;
  if (a->kind() != Attribute::Kind::kDenseElements ||
      !IsInteger(a->literal().element_type())) {
    return Mistyped(op, name, "an Nx2 integer tensor");
  }
  const Literal& lit = a->literal();
  bool empty_ok = lit.element_count() == 0 && rank == 0;
  if (!empty_ok &&
      (lit.dims().size() != 2 || lit.dims()[1] != 2 || lit.dims()[0] != rank)) {
    return absl::InvalidArgumentError(
        absl::StrCat(op.name(), ": attribute '", name, "' must have shape [",
                     rank, ", 2], got ", lit.type().ToString()));
  }
  for (int64_t i = 0; i < rank; ++i) {
    out[i] = {lit.GetAsInt64(2 * i), lit.GetAsInt64(2 * i + 1)};
  }
  return out;
}

absl::StatusOr<ConvWindow> GetConvWindow(const Op& op, int64_t spatial_rank) {
  ConvWindow w;
  std::vector<int64_t> ones(spatial_rank, 1);
  auto strides = GetI64ArrayOr(op, "window_strides", ones);
  if (!strides.ok()) return strides.status();
  ASSIGN_OR_RETURN(auto lhs, GetI64ArrayOr(op, "lhs_dilation", ones));
  ASSIGN_OR_RETURN(auto rhs, GetI64ArrayOr(op, "rhs_dilation", ones));
  ASSIGN_OR_RETURN(auto rev,
                   GetBoolArrayOr(op, "window_reversal",
                                  std::vector<bool>(spatial_rank, false)));
  ASSIGN_OR_RETURN(auto pad, GetPaddingPairs(op, "padding", spatial_rank));
  w.strides = std::move(*strides);
  w.lhs_dilation = std::move(lhs);
  w.rhs_dilation = std::move(rhs);
  w.reversal = std::move(rev);
  w.padding = std::move(pad);
  auto check = [&](size_t size, absl::string_view what) -> absl::Status {
    if (static_cast<int64_t>(size) != spatial_rank) {
      return absl::InvalidArgumentError(
          absl::StrCat(op.name(), ": ", what, " has ", size,
                       " entries, expected ", spatial_rank));
    }
    return absl::OkStatus();
  };
  for (auto s : {check(w.strides.size(), "window_strides"),
                 check(w.lhs_dilation.size(), "lhs_dilation"),
                 check(w.rhs_dilation.size(), "rhs_dilation"),
                 check(w.reversal.size(), "window_reversal")}) {
    if (!s.ok()) return s;
  }
  return w;
}

absl::StatusOr<ScanAttrs> GetScanAttrs(const Op& op) {
  ScanAttrs s;
  ASSIGN_OR_RETURN(std::vector<int64_t> segments,
                   GetI64Array(op, "operandSegmentSizes"));
  if (segments.size() != 2 || segments[0] < 1 || segments[1] < 0 ||
      segments[0] + segments[1] != op.num_operands()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'operandSegmentSizes' must be [inputs, inits] with at least one "
        "input, adding up to the ",
        op.num_operands(), " operands"));
  }
  s.num_inputs = static_cast<int>(segments[0]);
  s.num_inits = static_cast<int>(segments[1]);
  s.num_outputs = op.num_results() - s.num_inits;
  if (s.num_outputs < 0) {
    return absl::InvalidArgumentError(absl::StrCat(op.num_results(),
                                                   " results cannot hold the ",
                                                   s.num_inits, " carries"));
  }
  ASSIGN_OR_RETURN(
      std::vector<int64_t> results,
      GetI64ArrayOr(op, "resultSegmentSizes", {s.num_outputs, s.num_inits}));
  if (results != std::vector<int64_t>{s.num_outputs, s.num_inits}) {
    return absl::InvalidArgumentError(
        "'resultSegmentSizes' must be [outputs, carries] with one carry per "
        "init");
  }
  ASSIGN_OR_RETURN(s.dimension, GetI64(op, "dimension"));
  s.reverse = GetBoolOr(op, "is_reverse", false);
  return s;
}

absl::StatusOr<ReduceWindowAttrs> GetReduceWindowAttrs(const Op& op,
                                                       int64_t rank) {
  ReduceWindowAttrs w;
  std::vector<int64_t> ones(rank, 1);
  ASSIGN_OR_RETURN(auto window, GetI64Array(op, "window_dimensions"));
  ASSIGN_OR_RETURN(auto strides, GetI64ArrayOr(op, "window_strides", ones));
  ASSIGN_OR_RETURN(auto base, GetI64ArrayOr(op, "base_dilations", ones));
  ASSIGN_OR_RETURN(auto dil, GetI64ArrayOr(op, "window_dilations", ones));
  ASSIGN_OR_RETURN(auto pad, GetPaddingPairs(op, "padding", rank));
  w.window_dimensions = std::move(window);
  w.window_strides = std::move(strides);
  w.base_dilations = std::move(base);
  w.window_dilations = std::move(dil);
  w.padding = std::move(pad);
  for (const auto& [values, what] :
       {std::make_pair(&w.window_dimensions, "window_dimensions"),
        std::make_pair(&w.window_strides, "window_strides"),
        std::make_pair(&w.base_dilations, "base_dilations"),
        std::make_pair(&w.window_dilations, "window_dilations")}) {
    if (static_cast<int64_t>(values->size()) != rank) {
      return absl::InvalidArgumentError(
          absl::StrCat(op.name(), ": ", what, " has ", values->size(),
                       " entries, expected ", rank));
    }
  }
  if (static_cast<int64_t>(w.padding.size()) != rank) {
    return absl::InvalidArgumentError(absl::StrCat(op.name(), ": padding has ",
                                                   w.padding.size(),
                                                   " rows, expected ", rank));
  }
  return w;
}

}  // namespace backplane::ir
