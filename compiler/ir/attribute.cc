#include "compiler/ir/attribute.h"

#include <cassert>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compiler/ir/float16.h"

namespace backplane::ir {

struct AttributeStorage {
  Attribute::Kind kind = Attribute::Kind::kNone;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  ElementType element_type = ElementType::kInvalid;
  bool index_type = false;
  std::string str;  // string, symbol, opaque text, enum dialect
  std::vector<Attribute> array;
  std::vector<int64_t> ints;
  std::shared_ptr<const Literal> literal;
  Type type;
  NamedAttrList dict;
  EnumKind enum_kind = EnumKind::kComparisonDirection;
  std::variant<std::monostate, DotDimensionNumbers, ConvDimensionNumbers,
               GatherDimensionNumbers, ScatterDimensionNumbers, ChannelHandle,
               ResultAccuracy, OutputOperandAlias>
      structured;
};

namespace {

struct EnumTable {
  absl::string_view kind_name;
  std::vector<absl::string_view> values;
};

const std::vector<EnumTable>& EnumTables() {
  static const auto* tables = new std::vector<EnumTable>{
      {"comparison_direction", {"EQ", "NE", "GE", "GT", "LE", "LT"}},
      {"comparison_type",
       {"NOTYPE", "FLOAT", "TOTALORDER", "SIGNED", "UNSIGNED"}},
      {"precision", {"DEFAULT", "HIGH", "HIGHEST"}},
      {"fft_type", {"FFT", "IFFT", "RFFT", "IRFFT"}},
      {"rng_algorithm", {"DEFAULT", "THREE_FRY", "PHILOX"}},
      {"rng_distribution", {"UNIFORM", "NORMAL"}},
      {"transpose",
       {"TRANSPOSE_INVALID", "NO_TRANSPOSE", "TRANSPOSE", "ADJOINT"}},
      {"result_accuracy_mode", {"DEFAULT", "HIGHEST", "TOLERANCE"}},
  };
  return *tables;
}

std::shared_ptr<AttributeStorage> Make(Attribute::Kind kind) {
  auto s = std::make_shared<AttributeStorage>();
  s->kind = kind;
  return s;
}

const AttributeStorage& EmptyStorage() {
  static const auto* s = new AttributeStorage();
  return *s;
}

std::string IntList(const std::vector<int64_t>& v) {
  return absl::StrCat("[", absl::StrJoin(v, ", "), "]");
}

bool IsBareIdentifier(const std::string& s) {
  if (s.empty()) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) {
    return false;
  }
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

// Ensures a decimal float spelling contains a '.', as MLIR's lexer requires.
std::string WithDecimalPoint(std::string s) {
  if (s.find('.') != std::string::npos) return s;
  size_t e = s.find_first_of("eE");
  if (e == std::string::npos) return s + ".0";
  return s.substr(0, e) + ".0" + s.substr(e);
}

std::string ShortestFloat(float v) {
  char buf[64];
  for (int precision = 6; precision <= 9; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return WithDecimalPoint(buf);
}

std::string ShortestDouble(double v) {
  char buf[64];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return WithDecimalPoint(buf);
}

std::string HexBits(uint64_t bits, int hex_digits) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "0x%0*llX", hex_digits,
                static_cast<unsigned long long>(bits));
  return buf;
}

// Formats element `i` of a real floating-point literal from its raw bits.
std::string FormatFloatElement(const Literal& lit, int64_t i, ElementType t) {
  const uint8_t* p = lit.untyped_data();
  switch (t) {
    case ElementType::kF32: {
      float v;
      std::memcpy(&v, p + 4 * i, 4);
      if (!std::isfinite(v)) return HexBits(FloatBits(v), 8);
      return ShortestFloat(v);
    }
    case ElementType::kF64: {
      double v;
      std::memcpy(&v, p + 8 * i, 8);
      if (!std::isfinite(v)) {
        uint64_t bits;
        std::memcpy(&bits, &v, 8);
        return HexBits(bits, 16);
      }
      return ShortestDouble(v);
    }
    case ElementType::kF16:
    case ElementType::kBF16: {
      uint16_t bits;
      std::memcpy(&bits, p + 2 * i, 2);
      float v = t == ElementType::kF16 ? HalfToFloat(bits) : BF16ToFloat(bits);
      if (!std::isfinite(v)) return HexBits(bits, 4);
      return ShortestFloat(v);
    }
    default: {  // f8 formats: always exact as hex.
      return HexBits(p[i], 2);
    }
  }
}

std::string FormatElement(const Literal& lit, int64_t i) {
  ElementType t = lit.element_type();
  if (t == ElementType::kPred) return lit.GetAsInt64(i) ? "true" : "false";
  if (t == ElementType::kU64) return absl::StrCat(lit.data<uint64_t>()[i]);
  if (IsInteger(t)) return absl::StrCat(lit.GetAsInt64(i));
  if (IsComplex(t)) {
    // Format each component through a temporary one-element literal view.
    ElementType c = ComplexComponentType(t);
    Literal parts(TensorType(c, {2}));
    std::memcpy(parts.untyped_data(),
                lit.untyped_data() + i * ElementByteSize(t),
                ElementByteSize(t));
    return absl::StrCat("(", FormatFloatElement(parts, 0, c), ", ",
                        FormatFloatElement(parts, 1, c), ")");
  }
  return FormatFloatElement(lit, i, t);
}

void FormatNested(const Literal& lit, size_t dim, int64_t* index,
                  std::string* out) {
  if (dim == lit.dims().size()) {
    out->append(FormatElement(lit, (*index)++));
    return;
  }
  out->push_back('[');
  for (int64_t k = 0; k < lit.dims()[dim]; ++k) {
    if (k) out->append(", ");
    FormatNested(lit, dim + 1, index, out);
  }
  out->push_back(']');
}

bool IsSplat(const Literal& lit) {
  int64_t n = lit.element_count();
  if (n <= 1) return n == 1;
  int size = ElementByteSize(lit.element_type());
  const uint8_t* p = lit.untyped_data();
  for (int64_t i = 1; i < n; ++i) {
    if (std::memcmp(p, p + i * size, size) != 0) return false;
  }
  return true;
}

std::string ConvLabels(int64_t batch_dim, int64_t feature_dim,
                       const std::vector<int64_t>& spatial, char batch,
                       char feature, bool* ok) {
  int64_t rank = 2 + static_cast<int64_t>(spatial.size());
  std::vector<std::string> labels(rank);
  auto place = [&](int64_t pos, std::string label) {
    if (pos < 0 || pos >= rank || !labels[pos].empty()) {
      *ok = false;
      return;
    }
    labels[pos] = std::move(label);
  };
  place(batch_dim, std::string(1, batch));
  place(feature_dim, std::string(1, feature));
  for (size_t i = 0; i < spatial.size(); ++i)
    place(spatial[i], absl::StrCat(i));
  return absl::StrCat("[", absl::StrJoin(labels, ", "), "]");
}

std::string ConvDimsToString(const ConvDimensionNumbers& d) {
  bool ok =
      d.input_spatial_dimensions.size() == d.kernel_spatial_dimensions.size() &&
      d.input_spatial_dimensions.size() == d.output_spatial_dimensions.size();
  std::string in =
      ConvLabels(d.input_batch_dimension, d.input_feature_dimension,
                 d.input_spatial_dimensions, 'b', 'f', &ok);
  std::string kernel = ConvLabels(d.kernel_input_feature_dimension,
                                  d.kernel_output_feature_dimension,
                                  d.kernel_spatial_dimensions, 'i', 'o', &ok);
  std::string out =
      ConvLabels(d.output_batch_dimension, d.output_feature_dimension,
                 d.output_spatial_dimensions, 'b', 'f', &ok);
  if (ok)
    return absl::StrCat("#stablehlo.conv<", in, "x", kernel, "->", out, ">");
  return absl::StrCat(
      "#stablehlo.conv<raw input_batch_dimension = ", d.input_batch_dimension,
      ", input_feature_dimension = ", d.input_feature_dimension,
      ", input_spatial_dimensions = ", IntList(d.input_spatial_dimensions),
      ", kernel_input_feature_dimension = ", d.kernel_input_feature_dimension,
      ", kernel_output_feature_dimension = ", d.kernel_output_feature_dimension,
      ", kernel_spatial_dimensions = ", IntList(d.kernel_spatial_dimensions),
      ", output_batch_dimension = ", d.output_batch_dimension,
      ", output_feature_dimension = ", d.output_feature_dimension,
      ", output_spatial_dimensions = ", IntList(d.output_spatial_dimensions),
      ">");
}

// Appends `name = [..]` to `parts` unless the list is empty.
void AddList(std::vector<std::string>* parts, absl::string_view name,
             const std::vector<int64_t>& v) {
  if (!v.empty()) parts->push_back(absl::StrCat(name, " = ", IntList(v)));
}

std::string IntegerTypeName(const AttributeStorage& s) {
  if (s.index_type) return "index";
  return ElementTypeToMlir(s.element_type);
}

}  // namespace

std::string QuoteString(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "\\%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

bool DotDimensionNumbers::operator==(const DotDimensionNumbers& o) const {
  return lhs_batching_dimensions == o.lhs_batching_dimensions &&
         rhs_batching_dimensions == o.rhs_batching_dimensions &&
         lhs_contracting_dimensions == o.lhs_contracting_dimensions &&
         rhs_contracting_dimensions == o.rhs_contracting_dimensions;
}
bool ConvDimensionNumbers::operator==(const ConvDimensionNumbers& o) const {
  return input_batch_dimension == o.input_batch_dimension &&
         input_feature_dimension == o.input_feature_dimension &&
         input_spatial_dimensions == o.input_spatial_dimensions &&
         kernel_input_feature_dimension == o.kernel_input_feature_dimension &&
         kernel_output_feature_dimension == o.kernel_output_feature_dimension &&
         kernel_spatial_dimensions == o.kernel_spatial_dimensions &&
         output_batch_dimension == o.output_batch_dimension &&
         output_feature_dimension == o.output_feature_dimension &&
         output_spatial_dimensions == o.output_spatial_dimensions;
}
bool GatherDimensionNumbers::operator==(const GatherDimensionNumbers& o) const {
  return offset_dims == o.offset_dims &&
         collapsed_slice_dims == o.collapsed_slice_dims &&
         operand_batching_dims == o.operand_batching_dims &&
         start_indices_batching_dims == o.start_indices_batching_dims &&
         start_index_map == o.start_index_map &&
         index_vector_dim == o.index_vector_dim;
}
bool ScatterDimensionNumbers::operator==(
    const ScatterDimensionNumbers& o) const {
  return update_window_dims == o.update_window_dims &&
         inserted_window_dims == o.inserted_window_dims &&
         input_batching_dims == o.input_batching_dims &&
         scatter_indices_batching_dims == o.scatter_indices_batching_dims &&
         scatter_dims_to_operand_dims == o.scatter_dims_to_operand_dims &&
         index_vector_dim == o.index_vector_dim;
}

absl::string_view EnumKindName(EnumKind kind) {
  return EnumTables()[static_cast<int>(kind)].kind_name;
}

std::optional<EnumKind> EnumKindFromName(absl::string_view name) {
  const auto& tables = EnumTables();
  for (size_t i = 0; i < tables.size(); ++i) {
    if (tables[i].kind_name == name) return static_cast<EnumKind>(i);
  }
  return std::nullopt;
}

absl::string_view EnumValueName(EnumKind kind, int value) {
  const auto& values = EnumTables()[static_cast<int>(kind)].values;
  if (value < 0 || value >= static_cast<int>(values.size())) return "";
  return values[value];
}

std::optional<int> EnumValueFromName(EnumKind kind, absl::string_view name) {
  const auto& values = EnumTables()[static_cast<int>(kind)].values;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

// ---- Construction ----------------------------------------------------------

Attribute Attribute::Unit() { return Attribute(Make(Kind::kUnit)); }
Attribute Attribute::Bool(bool value) {
  auto s = Make(Kind::kBool);
  s->b = value;
  return Attribute(std::move(s));
}
Attribute Attribute::Integer(int64_t value, ElementType type, bool index_type) {
  auto s = Make(Kind::kInteger);
  s->i = value;
  s->element_type = type;
  s->index_type = index_type;
  return Attribute(std::move(s));
}
Attribute Attribute::Float(double value, ElementType type) {
  auto s = Make(Kind::kFloat);
  s->f = value;
  s->element_type = type;
  return Attribute(std::move(s));
}
Attribute Attribute::String(std::string value) {
  auto s = Make(Kind::kString);
  s->str = std::move(value);
  return Attribute(std::move(s));
}
Attribute Attribute::Array(std::vector<Attribute> elements) {
  auto s = Make(Kind::kArray);
  s->array = std::move(elements);
  return Attribute(std::move(s));
}
Attribute Attribute::DenseArray(ElementType type, std::vector<int64_t> values) {
  auto s = Make(Kind::kDenseArray);
  s->element_type = type;
  s->ints = std::move(values);
  return Attribute(std::move(s));
}
Attribute Attribute::DenseElements(Literal literal, bool elided) {
  auto s = Make(Kind::kDenseElements);
  s->literal = std::make_shared<const Literal>(std::move(literal));
  s->b = elided;
  return Attribute(std::move(s));
}
Attribute Attribute::SymbolRef(std::string name) {
  auto s = Make(Kind::kSymbolRef);
  s->str = std::move(name);
  return Attribute(std::move(s));
}
Attribute Attribute::TypeAttr(Type type) {
  auto s = Make(Kind::kType);
  s->type = std::move(type);
  return Attribute(std::move(s));
}
Attribute Attribute::Dictionary(NamedAttrList entries) {
  auto s = Make(Kind::kDictionary);
  s->dict = std::move(entries);
  return Attribute(std::move(s));
}
Attribute Attribute::Enum(EnumKind kind, int value, std::string dialect) {
  auto s = Make(Kind::kEnum);
  s->enum_kind = kind;
  s->i = value;
  s->str = std::move(dialect);
  return Attribute(std::move(s));
}
#define BACKPLANE_STRUCTURED_CTOR(Fn, StructT, KindE) \
  Attribute Attribute::Fn(StructT value) {            \
    auto s = Make(Kind::KindE);                       \
    s->structured = std::move(value);                 \
    return Attribute(std::move(s));                   \
  }
BACKPLANE_STRUCTURED_CTOR(DotDims, DotDimensionNumbers, kDotDimensionNumbers)
BACKPLANE_STRUCTURED_CTOR(ConvDims, ConvDimensionNumbers, kConvDimensionNumbers)
BACKPLANE_STRUCTURED_CTOR(GatherDims, GatherDimensionNumbers,
                          kGatherDimensionNumbers)
BACKPLANE_STRUCTURED_CTOR(ScatterDims, ScatterDimensionNumbers,
                          kScatterDimensionNumbers)
BACKPLANE_STRUCTURED_CTOR(Channel, ChannelHandle, kChannelHandle)
BACKPLANE_STRUCTURED_CTOR(Accuracy, ResultAccuracy, kResultAccuracy)
BACKPLANE_STRUCTURED_CTOR(OperandAlias, OutputOperandAlias, kOutputOperandAlias)
#undef BACKPLANE_STRUCTURED_CTOR
Attribute Attribute::Opaque(std::string text) {
  auto s = Make(Kind::kOpaque);
  s->str = std::move(text);
  return Attribute(std::move(s));
}

// ---- Access ----------------------------------------------------------------

#define S (storage_ ? *storage_ : EmptyStorage())
Attribute::Kind Attribute::kind() const { return S.kind; }
bool Attribute::bool_value() const { return S.b; }
int64_t Attribute::int_value() const { return S.i; }
ElementType Attribute::int_type() const { return S.element_type; }
bool Attribute::is_index_type() const { return S.index_type; }
double Attribute::float_value() const { return S.f; }
const std::string& Attribute::string_value() const { return S.str; }
const std::vector<Attribute>& Attribute::array() const { return S.array; }
const std::vector<int64_t>& Attribute::dense_array() const { return S.ints; }
const Literal& Attribute::literal() const {
  static const auto* empty = new Literal();
  return S.literal ? *S.literal : *empty;
}
bool Attribute::is_elided() const {
  return S.kind == Kind::kDenseElements && S.b;
}
const Type& Attribute::type_value() const { return S.type; }
const NamedAttrList& Attribute::dictionary() const { return S.dict; }
EnumKind Attribute::enum_kind() const { return S.enum_kind; }
int Attribute::enum_value() const { return static_cast<int>(S.i); }
const std::string& Attribute::enum_dialect() const { return S.str; }
const DotDimensionNumbers* Attribute::dot_dimension_numbers() const {
  return std::get_if<DotDimensionNumbers>(&S.structured);
}
const ConvDimensionNumbers* Attribute::conv_dimension_numbers() const {
  return std::get_if<ConvDimensionNumbers>(&S.structured);
}
const GatherDimensionNumbers* Attribute::gather_dimension_numbers() const {
  return std::get_if<GatherDimensionNumbers>(&S.structured);
}
const ScatterDimensionNumbers* Attribute::scatter_dimension_numbers() const {
  return std::get_if<ScatterDimensionNumbers>(&S.structured);
}
const ChannelHandle* Attribute::channel_handle() const {
  return std::get_if<ChannelHandle>(&S.structured);
}
const ResultAccuracy* Attribute::result_accuracy() const {
  return std::get_if<ResultAccuracy>(&S.structured);
}
const OutputOperandAlias* Attribute::output_operand_alias() const {
  return std::get_if<OutputOperandAlias>(&S.structured);
}
#undef S

// ---- Printing --------------------------------------------------------------

std::string FloatToMlir(double value, ElementType type) {
  switch (type) {
    case ElementType::kF64: {
      if (!std::isfinite(value)) {
        uint64_t bits;
        std::memcpy(&bits, &value, 8);
        return HexBits(bits, 16);
      }
      return ShortestDouble(value);
    }
    case ElementType::kF16: {
      uint16_t bits = DoubleToHalf(value);
      if (!std::isfinite(value)) return HexBits(bits, 4);
      return ShortestFloat(HalfToFloat(bits));
    }
    case ElementType::kBF16: {
      uint16_t bits = DoubleToBF16(value);
      if (!std::isfinite(value)) return HexBits(bits, 4);
      return ShortestFloat(BF16ToFloat(bits));
    }
    default: {
      float f = static_cast<float>(value);
      if (!std::isfinite(f)) return HexBits(FloatBits(f), 8);
      return ShortestFloat(f);
    }
  }
}

std::string DenseLiteralToString(const Literal& lit) {
  ElementType t = lit.element_type();
  if (lit.element_count() == 0) {
    std::string out;
    int64_t index = 0;
    FormatNested(lit, 0, &index, &out);
    return absl::StrCat("dense<", out, ">");
  }
  if (IsSplat(lit)) return absl::StrCat("dense<", FormatElement(lit, 0), ">");
  bool byte_aligned = t != ElementType::kPred && ElementBitWidth(t) % 8 == 0;
  if (byte_aligned && lit.element_count() > 16) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string out = "dense<\"0x";
    out.reserve(out.size() + 2 * lit.byte_size() + 3);
    const uint8_t* p = lit.untyped_data();
    for (int64_t i = 0; i < lit.byte_size(); ++i) {
      out.push_back(kHex[p[i] >> 4]);
      out.push_back(kHex[p[i] & 15]);
    }
    out += "\">";
    return out;
  }
  std::string out = "dense<";
  int64_t index = 0;
  FormatNested(lit, 0, &index, &out);
  out += ">";
  return out;
}

std::string Attribute::ToString() const {
  if (!storage_) return "<<none>>";
  const AttributeStorage& s = *storage_;
  switch (s.kind) {
    case Kind::kNone:
      return "<<none>>";
    case Kind::kUnit:
      return "unit";
    case Kind::kBool:
      return s.b ? "true" : "false";
    case Kind::kInteger: {
      if (!s.index_type && s.element_type == ElementType::kPred) {
        return s.i ? "true" : "false";
      }
      std::string v = s.element_type == ElementType::kU64
                          ? absl::StrCat(static_cast<uint64_t>(s.i))
                          : absl::StrCat(s.i);
      return absl::StrCat(v, " : ", IntegerTypeName(s));
    }
    case Kind::kFloat:
      return absl::StrCat(FloatToMlir(s.f, s.element_type), " : ",
                          ElementTypeToMlir(s.element_type));
    case Kind::kString:
      return QuoteString(s.str);
    case Kind::kArray: {
      std::string out = "[";
      for (size_t i = 0; i < s.array.size(); ++i) {
        if (i) out += ", ";
        out += s.array[i].ToString();
      }
      return out + "]";
    }
    case Kind::kDenseArray: {
      std::string out =
          absl::StrCat("array<", ElementTypeToMlir(s.element_type));
      for (size_t i = 0; i < s.ints.size(); ++i) {
        out += i ? ", " : ": ";
        if (s.element_type == ElementType::kPred) {
          out += s.ints[i] ? "true" : "false";
        } else {
          absl::StrAppend(&out, s.ints[i]);
        }
      }
      return out + ">";
    }
    case Kind::kDenseElements: {
      std::string body =
          s.b ? "dense_resource<__elided__>" : DenseLiteralToString(*s.literal);
      return absl::StrCat(body, " : ", s.literal->type().ToString());
    }
    case Kind::kSymbolRef:
      return IsBareIdentifier(s.str) ? absl::StrCat("@", s.str)
                                     : absl::StrCat("@", QuoteString(s.str));
    case Kind::kType:
      return s.type.ToString();
    case Kind::kDictionary:
      return s.dict.ToString();
    case Kind::kEnum:
      return absl::StrCat("#", s.str, "<", EnumKindName(s.enum_kind), " ",
                          EnumValueName(s.enum_kind, static_cast<int>(s.i)),
                          ">");
    case Kind::kDotDimensionNumbers: {
      const auto& d = std::get<DotDimensionNumbers>(s.structured);
      std::vector<std::string> parts;
      AddList(&parts, "lhs_batching_dimensions", d.lhs_batching_dimensions);
      AddList(&parts, "rhs_batching_dimensions", d.rhs_batching_dimensions);
      AddList(&parts, "lhs_contracting_dimensions",
              d.lhs_contracting_dimensions);
      AddList(&parts, "rhs_contracting_dimensions",
              d.rhs_contracting_dimensions);
      return absl::StrCat("#stablehlo.dot<", absl::StrJoin(parts, ", "), ">");
    }
    case Kind::kConvDimensionNumbers:
      return ConvDimsToString(std::get<ConvDimensionNumbers>(s.structured));
    case Kind::kGatherDimensionNumbers: {
      const auto& d = std::get<GatherDimensionNumbers>(s.structured);
      std::vector<std::string> parts;
      AddList(&parts, "offset_dims", d.offset_dims);
      AddList(&parts, "collapsed_slice_dims", d.collapsed_slice_dims);
      AddList(&parts, "operand_batching_dims", d.operand_batching_dims);
      AddList(&parts, "start_indices_batching_dims",
              d.start_indices_batching_dims);
      AddList(&parts, "start_index_map", d.start_index_map);
      parts.push_back(absl::StrCat("index_vector_dim = ", d.index_vector_dim));
      return absl::StrCat("#stablehlo.gather<", absl::StrJoin(parts, ", "),
                          ">");
    }
    case Kind::kScatterDimensionNumbers: {
      const auto& d = std::get<ScatterDimensionNumbers>(s.structured);
      std::vector<std::string> parts;
      AddList(&parts, "update_window_dims", d.update_window_dims);
      AddList(&parts, "inserted_window_dims", d.inserted_window_dims);
      AddList(&parts, "input_batching_dims", d.input_batching_dims);
      AddList(&parts, "scatter_indices_batching_dims",
              d.scatter_indices_batching_dims);
      AddList(&parts, "scatter_dims_to_operand_dims",
              d.scatter_dims_to_operand_dims);
      parts.push_back(absl::StrCat("index_vector_dim = ", d.index_vector_dim));
      return absl::StrCat("#stablehlo.scatter<", absl::StrJoin(parts, ", "),
                          ">");
    }
    case Kind::kChannelHandle: {
      const auto& c = std::get<ChannelHandle>(s.structured);
      return absl::StrCat("#stablehlo.channel_handle<handle = ", c.handle,
                          ", type = ", c.type, ">");
    }
    case Kind::kResultAccuracy: {
      const auto& r = std::get<ResultAccuracy>(s.structured);
      return absl::StrCat(
          "#stablehlo.result_accuracy<atol = ", ShortestDouble(r.atol),
          ", rtol = ", ShortestDouble(r.rtol), ", ulps = ", r.ulps,
          ", mode = #stablehlo.result_accuracy_mode<",
          EnumValueName(EnumKind::kResultAccuracyMode,
                        static_cast<int>(r.mode)),
          ">>");
    }
    case Kind::kOutputOperandAlias: {
      const auto& a = std::get<OutputOperandAlias>(s.structured);
      return absl::StrCat(
          "#stablehlo.output_operand_alias<output_tuple_indices = ",
          IntList(a.output_tuple_indices),
          ", operand_index = ", a.operand_index,
          ", operand_tuple_indices = ", IntList(a.operand_tuple_indices), ">");
    }
    case Kind::kOpaque:
      return s.str;
  }
  return "";
}

bool operator==(const Attribute& a, const Attribute& b) {
  if (a.storage_ == b.storage_) return true;
  if (a.kind() != b.kind()) return false;
  const AttributeStorage& x = a.storage_ ? *a.storage_ : EmptyStorage();
  const AttributeStorage& y = b.storage_ ? *b.storage_ : EmptyStorage();
  using Kind = Attribute::Kind;
  switch (x.kind) {
    case Kind::kNone:
    case Kind::kUnit:
      return true;
    case Kind::kBool:
      return x.b == y.b;
    case Kind::kInteger:
      return x.i == y.i && x.element_type == y.element_type &&
             x.index_type == y.index_type;
    case Kind::kFloat: {
      // Bitwise, so that NaN attributes compare equal to themselves.
      return std::memcmp(&x.f, &y.f, sizeof(double)) == 0 &&
             x.element_type == y.element_type;
    }
    case Kind::kString:
    case Kind::kSymbolRef:
    case Kind::kOpaque:
      return x.str == y.str;
    case Kind::kArray:
      return x.array == y.array;
    case Kind::kDenseArray:
      return x.element_type == y.element_type && x.ints == y.ints;
    case Kind::kDenseElements:
      return x.b == y.b && x.literal->BitwiseEquals(*y.literal);
    case Kind::kType:
      return x.type == y.type;
    case Kind::kDictionary:
      return x.dict == y.dict;
    case Kind::kEnum:
      return x.enum_kind == y.enum_kind && x.i == y.i && x.str == y.str;
    default:
      return x.structured == y.structured;
  }
}

// ---- NamedAttrList ---------------------------------------------------------

const Attribute* NamedAttrList::Get(absl::string_view name) const {
  for (const Entry& e : entries_) {
    if (e.first == name) return &e.second;
  }
  return nullptr;
}

void NamedAttrList::Set(absl::string_view name, Attribute value) {
  for (Entry& e : entries_) {
    if (e.first == name) {
      e.second = std::move(value);
      return;
    }
  }
  entries_.emplace_back(std::string(name), std::move(value));
}

bool NamedAttrList::Erase(absl::string_view name) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first == name) {
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

std::string NamedAttrList::ToString() const {
  std::string out = "{";
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (i) out += ", ";
    const std::string& name = entries_[i].first;
    out += IsBareIdentifier(name) ? name : QuoteString(name);
    if (entries_[i].second.kind() != Attribute::Kind::kUnit) {
      absl::StrAppend(&out, " = ", entries_[i].second.ToString());
    }
  }
  return out + "}";
}

bool operator==(const NamedAttrList& a, const NamedAttrList& b) {
  return a.entries_ == b.entries_;
}

}  // namespace backplane::ir
