// Attribute: a typed, immutable compile-time value attached to an op, a
// function, an argument or a module.
//
//   Attribute dims = Attribute::DenseArray(ElementType::kS64, {0, 1});
//   Attribute cmp = Attribute::Enum(EnumKind::kComparisonDirection,
//                                   static_cast<int>(ComparisonDirection::kLt));
//   if (const DotDimensionNumbers* d = attr.dot_dimension_numbers()) ...
//   attr.ToString();  // MLIR spelling, which the parser reads back
//
// Attributes share their storage, so copying one is a pointer copy. The
// structured StableHLO attributes (dot / convolution / gather / scatter
// dimension numbers, channel handles, ...) are plain C++ structs.
#ifndef BACKPLANE_COMPILER_IR_ATTRIBUTE_H_
#define BACKPLANE_COMPILER_IR_ATTRIBUTE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "compiler/ir/literal.h"
#include "compiler/ir/type.h"

namespace backplane::ir {

// Dialect enums. The numeric values index the spelling tables used by
// EnumValueName / EnumValueFromName.
enum class EnumKind : uint8_t {
  kComparisonDirection,  // EQ NE GE GT LE LT
  kComparisonType,       // NOTYPE FLOAT TOTALORDER SIGNED UNSIGNED
  kPrecision,            // DEFAULT HIGH HIGHEST
  kFftType,              // FFT IFFT RFFT IRFFT
  kRngAlgorithm,         // DEFAULT THREE_FRY PHILOX
  kRngDistribution,      // UNIFORM NORMAL
  kTranspose,            // TRANSPOSE_INVALID NO_TRANSPOSE TRANSPOSE ADJOINT
  kResultAccuracyMode,   // DEFAULT HIGHEST TOLERANCE
};
enum class ComparisonDirection { kEq, kNe, kGe, kGt, kLe, kLt };
enum class ComparisonType { kNoType, kFloat, kTotalOrder, kSigned, kUnsigned };
enum class Precision { kDefault, kHigh, kHighest };
enum class FftType { kFft, kIfft, kRfft, kIrfft };
enum class RngAlgorithm { kDefault, kThreeFry, kPhilox };
enum class RngDistribution { kUniform, kNormal };
enum class Transpose { kInvalid, kNoTranspose, kTranspose, kAdjoint };
enum class ResultAccuracyMode { kDefault, kHighest, kTolerance };

// "comparison_direction", "precision", ... as in `#stablehlo<precision X>`.
absl::string_view EnumKindName(EnumKind kind);
std::optional<EnumKind> EnumKindFromName(absl::string_view name);
// "LT" for (kComparisonDirection, kLt); empty when out of range.
absl::string_view EnumValueName(EnumKind kind, int value);
std::optional<int> EnumValueFromName(EnumKind kind, absl::string_view name);

struct DotDimensionNumbers {
  std::vector<int64_t> lhs_batching_dimensions;
  std::vector<int64_t> rhs_batching_dimensions;
  std::vector<int64_t> lhs_contracting_dimensions;
  std::vector<int64_t> rhs_contracting_dimensions;
  bool operator==(const DotDimensionNumbers& o) const;
};

struct ConvDimensionNumbers {
  int64_t input_batch_dimension = 0;
  int64_t input_feature_dimension = 0;
  std::vector<int64_t> input_spatial_dimensions;
  int64_t kernel_input_feature_dimension = 0;
  int64_t kernel_output_feature_dimension = 0;
  std::vector<int64_t> kernel_spatial_dimensions;
  int64_t output_batch_dimension = 0;
  int64_t output_feature_dimension = 0;
  std::vector<int64_t> output_spatial_dimensions;
  bool operator==(const ConvDimensionNumbers& o) const;
};

struct GatherDimensionNumbers {
  std::vector<int64_t> offset_dims;
  std::vector<int64_t> collapsed_slice_dims;
  std::vector<int64_t> operand_batching_dims;
  std::vector<int64_t> start_indices_batching_dims;
  std::vector<int64_t> start_index_map;
  int64_t index_vector_dim = 0;
  bool operator==(const GatherDimensionNumbers& o) const;
};

struct ScatterDimensionNumbers {
  std::vector<int64_t> update_window_dims;
  std::vector<int64_t> inserted_window_dims;
  std::vector<int64_t> input_batching_dims;
  std::vector<int64_t> scatter_indices_batching_dims;
  std::vector<int64_t> scatter_dims_to_operand_dims;
  int64_t index_vector_dim = 0;
  bool operator==(const ScatterDimensionNumbers& o) const;
};

struct ChannelHandle {
  int64_t handle = 0;
  int64_t type = 0;
  bool operator==(const ChannelHandle& o) const {
    return handle == o.handle && type == o.type;
  }
};

struct ResultAccuracy {
  double atol = 0;
  double rtol = 0;
  int64_t ulps = 0;
  ResultAccuracyMode mode = ResultAccuracyMode::kDefault;
  bool operator==(const ResultAccuracy& o) const {
    return atol == o.atol && rtol == o.rtol && ulps == o.ulps && mode == o.mode;
  }
};

struct OutputOperandAlias {
  std::vector<int64_t> output_tuple_indices;
  int64_t operand_index = 0;
  std::vector<int64_t> operand_tuple_indices;
  bool operator==(const OutputOperandAlias& o) const {
    return output_tuple_indices == o.output_tuple_indices &&
           operand_index == o.operand_index &&
           operand_tuple_indices == o.operand_tuple_indices;
  }
};

class NamedAttrList;
struct AttributeStorage;

class Attribute {
 public:
  enum class Kind : uint8_t {
    kNone,  // Default-constructed; never stored on an op.
    kUnit,
    kBool,
    kInteger,
    kFloat,
    kString,
    kArray,
    kDenseArray,     // array<i64: 1, 2>, array<i1: true>
    kDenseElements,  // dense<...> : tensor<...>, dense_resource<...>
    kSymbolRef,      // @name
    kType,
    kDictionary,
    kEnum,
    kDotDimensionNumbers,
    kConvDimensionNumbers,
    kGatherDimensionNumbers,
    kScatterDimensionNumbers,
    kChannelHandle,
    kResultAccuracy,
    kOutputOperandAlias,
    kOpaque,  // Any other dialect attribute, kept as its exact text.
  };

  Attribute() = default;
  static Attribute Unit();
  static Attribute Bool(bool value);
  // Integer of the given type; `index_type` prints the type as `index`.
  static Attribute Integer(int64_t value, ElementType type = ElementType::kS64,
                           bool index_type = false);
  static Attribute Float(double value, ElementType type = ElementType::kF32);
  static Attribute String(std::string value);
  static Attribute Array(std::vector<Attribute> elements);
  static Attribute DenseArray(ElementType type, std::vector<int64_t> values);
  // `elided` marks data synthesised for `dense_resource<__elided__>`.
  static Attribute DenseElements(Literal literal, bool elided = false);
  static Attribute SymbolRef(std::string name);
  static Attribute TypeAttr(Type type);
  static Attribute Dictionary(NamedAttrList entries);
  static Attribute Enum(EnumKind kind, int value,
                        std::string dialect = "stablehlo");
  static Attribute DotDims(DotDimensionNumbers value);
  static Attribute ConvDims(ConvDimensionNumbers value);
  static Attribute GatherDims(GatherDimensionNumbers value);
  static Attribute ScatterDims(ScatterDimensionNumbers value);
  static Attribute Channel(ChannelHandle value);
  static Attribute Accuracy(ResultAccuracy value);
  static Attribute OperandAlias(OutputOperandAlias value);
  static Attribute Opaque(std::string text);

  Kind kind() const;
  bool is_none() const { return kind() == Kind::kNone; }

  // Each accessor is valid only for its kind (checked by assertion in debug
  // builds); the pointer-returning ones return nullptr for other kinds.
  bool bool_value() const;
  int64_t int_value() const;     // kInteger (bit pattern for ui64).
  ElementType int_type() const;  // kInteger, kFloat, kDenseArray.
  bool is_index_type() const;
  double float_value() const;
  const std::string& string_value() const;  // kString, kSymbolRef, kOpaque.
  const std::vector<Attribute>& array() const;
  const std::vector<int64_t>& dense_array() const;
  const Literal& literal() const;  // kDenseElements
  bool is_elided() const;
  const Type& type_value() const;
  const NamedAttrList& dictionary() const;
  EnumKind enum_kind() const;
  int enum_value() const;
  const std::string& enum_dialect() const;
  const DotDimensionNumbers* dot_dimension_numbers() const;
  const ConvDimensionNumbers* conv_dimension_numbers() const;
  const GatherDimensionNumbers* gather_dimension_numbers() const;
  const ScatterDimensionNumbers* scatter_dimension_numbers() const;
  const ChannelHandle* channel_handle() const;
  const ResultAccuracy* result_accuracy() const;
  const OutputOperandAlias* output_operand_alias() const;

  // Integer view of kInteger, kBool, kDenseArray (first element) etc. is not
  // offered on purpose: callers must know what they read.

  // MLIR text. Dense elements are spelled so that they read back bit-exact.
  std::string ToString() const;

  friend bool operator==(const Attribute& a, const Attribute& b);
  friend bool operator!=(const Attribute& a, const Attribute& b) {
    return !(a == b);
  }

 private:
  explicit Attribute(std::shared_ptr<const AttributeStorage> s)
      : storage_(std::move(s)) {}
  std::shared_ptr<const AttributeStorage> storage_;
};

// An ordered list of named attributes with unique names (an attribute
// dictionary). Small, so lookups are linear.
class NamedAttrList {
 public:
  using Entry = std::pair<std::string, Attribute>;

  const Attribute* Get(absl::string_view name) const;
  bool Has(absl::string_view name) const { return Get(name) != nullptr; }
  // Inserts or replaces.
  void Set(absl::string_view name, Attribute value);
  bool Erase(absl::string_view name);

  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

  // "{a = 1 : i64, b}" (unit attributes print as the bare name).
  std::string ToString() const;

  friend bool operator==(const NamedAttrList& a, const NamedAttrList& b);

 private:
  std::vector<Entry> entries_;
};

// Spelling of one dense-elements literal as MLIR text, without the trailing
// type: `dense<...>`. Exposed for the printer and for tests.
std::string DenseLiteralToString(const Literal& literal);
// Float as MLIR writes it so that it reads back bit-exactly: decimal with
// enough digits, or the hex bit pattern for NaN and infinities.
std::string FloatToMlir(double value, ElementType type);
// `s` as an MLIR string literal: quoted, with `"` and `\` escaped and
// control and non-ASCII bytes as `\XX`, so the parser reads back `s`.
std::string QuoteString(absl::string_view s);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_ATTRIBUTE_H_
