#include "compiler/parser/parser.h"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/float16.h"
#include "compiler/parser/dense_literal.h"
#include "compiler/parser/lexer.h"

namespace backplane::parser {
namespace {

using ir::Attribute;
using ir::Block;
using ir::ElementType;
using ir::NamedAttrList;
using ir::Op;
using ir::OpCode;
using ir::Region;
using ir::TensorType;
using ir::Type;
using ir::Value;

struct ResultBinding {
  std::string name;
  int count = 1;
};

// Everything gathered about one op before it is created.
struct OpState {
  OpCode code = OpCode::kUnknown;
  std::string name;
  size_t offset = 0;
  std::vector<Value*> operands;
  NamedAttrList attrs;
  std::vector<std::unique_ptr<Region>> regions;
  std::vector<Type> result_types;
  bool has_result_types = false;
  std::optional<ir::DotDimensionNumbers> dot_dims;  // pretty dot_general
  int num_bound_results = 0;
};

// An argument a region's entry block must get: its name and type.
struct EntryArg {
  std::string name;
  Type type;
};

// Values visible in one region, by name (without '%'); a multi-result name
// maps to all its results.
using Scope = absl::flat_hash_map<std::string, std::vector<Value*>>;

class Parser {
 public:
  Parser(absl::string_view text, const ParseOptions& options)
      : lex_(text), options_(options) {
    Advance();
  }

  absl::StatusOr<std::unique_ptr<ir::Module>> Run();

 private:
  // ---- Tokens and errors ----
  void Advance() { tok_ = lex_.Next(); }
  bool Is(TokenKind k) const { return tok_.kind == k; }
  bool IsKeyword(absl::string_view kw) const {
    return tok_.kind == TokenKind::kBareIdentifier && tok_.text == kw;
  }
  bool Consume(TokenKind k) {
    if (!Is(k)) return false;
    Advance();
    return true;
  }
  bool ConsumeKeyword(absl::string_view kw) {
    if (!IsKeyword(kw)) return false;
    Advance();
    return true;
  }
  // Kind of the token after the current one, without consuming anything.
  TokenKind PeekKind() {
    size_t saved = lex_.position();
    TokenKind k = lex_.Next().kind;
    lex_.set_position(saved);
    return k;
  }
  std::string Describe(const Token& t) const {
    if (t.kind == TokenKind::kEof) return "end of input";
    if (t.kind == TokenKind::kError)
      return absl::StrCat("error (", t.text, ")");
    absl::string_view text = t.text.substr(0, 40);
    return absl::StrCat("'", text, "'");
  }
  absl::Status ErrorAt(size_t offset, absl::string_view message) const {
    auto [line, column] = lex_.LineColumn(offset);
    return absl::InvalidArgumentError(absl::StrCat(options_.filename, ":", line,
                                                   ":", column, ": ", context_,
                                                   ": ", message));
  }
  absl::Status Error(absl::string_view message) const {
    if (tok_.kind == TokenKind::kError) {
      return ErrorAt(tok_.offset, absl::StrCat(message, "; ", tok_.text));
    }
    return ErrorAt(tok_.offset, message);
  }
  absl::Status Expect(TokenKind k, absl::string_view what) {
    if (Consume(k)) return absl::OkStatus();
    return Error(absl::StrCat("expected ", what, ", got ", Describe(tok_)));
  }
  absl::Status ExpectKeyword(absl::string_view kw) {
    if (ConsumeKeyword(kw)) return absl::OkStatus();
    return Error(absl::StrCat("expected '", kw, "', got ", Describe(tok_)));
  }
  // Guards recursion: every recursive construct enters one of these.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser* p) : p_(p) { ++p_->depth_; }
    ~DepthGuard() { --p_->depth_; }
    absl::Status Check() const {
      if (p_->depth_ > p_->options_.max_nesting_depth) {
        return p_->Error(absl::StrCat("nesting deeper than the limit of ",
                                      p_->options_.max_nesting_depth));
      }
      return absl::OkStatus();
    }

   private:
    Parser* p_;
  };

  // ---- Numbers ----
  absl::Status ParseInt64(int64_t* out);
  absl::Status ParseIntList(std::vector<int64_t>* out);

  // ---- Types ----
  absl::Status ParseType(Type* out);
  absl::Status ParseElementType(ElementType* out);
  absl::Status ParseTypeList(std::vector<Type>* out);
  absl::Status ParseResultTypes(std::vector<Type>* out);
  absl::Status ParseTensorTypeOnly(TensorType* out);

  // ---- Attributes ----
  absl::Status ParseAttribute(Attribute* out);
  absl::Status ParseAttrDict(NamedAttrList* out);
  absl::Status ParseNumberAttribute(Attribute* out);
  absl::Status ParseDense(Attribute* out);
  absl::Status ParseDenseValue(DenseElements* dense, int depth);
  absl::Status ParseDenseScalar(DenseScalar* out);
  absl::Status ParseDenseResource(Attribute* out);
  absl::Status ParseDenseArray(Attribute* out);
  absl::Status ParseHashAttribute(Attribute* out);
  absl::Status ParseConvDims(ir::ConvDimensionNumbers* out);
  absl::Status ParseConvLabels(std::vector<std::string>* labels);
  absl::Status CaptureAngles(size_t start, std::string* out);
  // `key = value` pairs up to the closing '>' of a structured attribute.
  struct KeyedValue {
    std::vector<int64_t> ints;
    bool is_list = false;
    double number = 0;
    Attribute attr;
  };
  absl::Status ParseKeyedParams(
      std::vector<std::pair<std::string, KeyedValue>>* out);
  using KeyedParams = std::vector<std::pair<std::string, KeyedValue>>;
  absl::Status UnknownParameter(size_t start, const std::string& name,
                                const std::string& key) const;
  absl::Status ParseDialectEnum(size_t start, const std::string& name,
                                Attribute* out);
  absl::Status BuildDotDims(size_t start, const std::string& name,
                            KeyedParams& params, Attribute* out);
  absl::Status BuildGatherDims(size_t start, const std::string& name,
                               KeyedParams& params, Attribute* out);
  absl::Status BuildScatterDims(size_t start, const std::string& name,
                                KeyedParams& params, Attribute* out);
  absl::Status BuildChannelHandle(size_t start, const std::string& name,
                                  KeyedParams& params, Attribute* out);
  absl::Status BuildOperandAlias(size_t start, const std::string& name,
                                 KeyedParams& params, Attribute* out);
  absl::Status BuildResultAccuracy(size_t start, const std::string& name,
                                   KeyedParams& params, Attribute* out);
  absl::Status ParseConvAttribute(size_t start, const std::string& name,
                                  Attribute* out);

  // ---- Structure ----
  absl::Status ParseTopLevel(ir::Module* module);
  absl::Status ParseFunction(ir::Module* module);
  absl::Status ParseRegion(Region* region, const std::vector<EntryArg>* args);
  absl::Status ParseOperation(Block* block);
  absl::Status ParseGenericOp(OpState& st);
  absl::Status ParsePrettyOp(OpState& st);
  absl::Status ParsePrettyItem(OpState& st, bool* consumed);
  absl::Status ParseKeywordAttribute(OpState& st);
  absl::Status ParsePrettyReduce(OpState& st);
  absl::Status ParsePrettyWhile(OpState& st);
  absl::Status ParsePrettyScan(OpState& st);
  absl::Status ParseMesh(ir::Module* module);
  absl::Status ParsePrettyShardingConstraint(OpState& st);
  absl::Status ParseSignature(OpState& st);
  absl::Status ParseOptionalLocation(std::string* text);
  absl::Status ParseFileMetadata();
  absl::Status ResolveValue(const Token& t, Value** out);
  absl::Status Define(const std::string& name, std::vector<Value*> values,
                      size_t offset);
  absl::Status CheckOperandTypes(const OpState& st,
                                 const std::vector<Type>& declared,
                                 size_t offset);

  Lexer lex_;
  Token tok_;
  ParseOptions options_;
  std::vector<Scope> scopes_;
  int depth_ = 0;
  std::string context_ = "module";
  int64_t elided_ordinal_ = 0;
  bool filled_elided_ = false;
  absl::flat_hash_map<std::string, std::string> resources_;
};

// ---- Numbers ---------------------------------------------------------------

absl::Status Parser::ParseInt64(int64_t* out) {
  bool negative = Consume(TokenKind::kMinus);
  if (!Is(TokenKind::kInteger)) {
    return Error(absl::StrCat("expected an integer, got ", Describe(tok_)));
  }
  uint64_t magnitude = 0;
  bool ok;
  if (absl::StartsWith(tok_.text, "0x") || absl::StartsWith(tok_.text, "0X")) {
    ok = tok_.text.size() <= 18 &&
         absl::SimpleHexAtoi(tok_.text.substr(2), &magnitude);
  } else {
    ok = absl::SimpleAtoi(tok_.text, &magnitude);
  }
  if (!ok || magnitude > (negative ? uint64_t{1} << 63
                                   : static_cast<uint64_t>(INT64_MAX))) {
    return Error(
        absl::StrCat("integer ", tok_.text, " does not fit in 64 bits"));
  }
  *out = negative ? static_cast<int64_t>(~magnitude + 1)
                  : static_cast<int64_t>(magnitude);
  Advance();
  return absl::OkStatus();
}

absl::Status Parser::ParseIntList(std::vector<int64_t>* out) {
  RETURN_IF_ERROR(Expect(TokenKind::kLSquare, "'['"));
  out->clear();
  if (Consume(TokenKind::kRSquare)) return absl::OkStatus();
  do {
    int64_t v;
    RETURN_IF_ERROR(ParseInt64(&v));
    out->push_back(v);
  } while (Consume(TokenKind::kComma));
  return Expect(TokenKind::kRSquare, "',' or ']'");
}

// ---- Types -----------------------------------------------------------------

absl::Status Parser::ParseElementType(ElementType* out) {
  if (IsKeyword("complex")) {
    Advance();
    RETURN_IF_ERROR(Expect(TokenKind::kLess, "'<' after complex"));
    ElementType part;
    RETURN_IF_ERROR(ParseElementType(&part));
    if (part == ElementType::kF32) {
      *out = ElementType::kC64;
    } else if (part == ElementType::kF64) {
      *out = ElementType::kC128;
    } else {
      return Error("complex element type must be complex<f32> or complex<f64>");
    }
    return Expect(TokenKind::kGreater, "'>' after complex element type");
  }
  if (Is(TokenKind::kBareIdentifier)) {
    std::optional<ElementType> t = ir::ElementTypeFromMlir(tok_.text);
    if (t) {
      *out = *t;
      Advance();
      return absl::OkStatus();
    }
  }
  return Error(absl::StrCat("unsupported element type ", Describe(tok_)));
}

absl::Status Parser::ParseTensorTypeOnly(TensorType* out) {
  // `tensor` has been consumed and tok_ is '<'; the lexer stands right after
  // it. Dimensions such as `2x3x` are not token-shaped, so read characters.
  if (!Is(TokenKind::kLess)) {
    return Error(
        absl::StrCat("expected '<' after tensor, got ", Describe(tok_)));
  }
  size_t start_offset = tok_.offset;
  std::vector<int64_t> dims;
  while (true) {
    lex_.SkipWhitespaceAndComments();
    char c = lex_.PeekChar();
    if (c == '?') {
      return ErrorAt(lex_.position(),
                     "dynamic dimensions ('?') are not supported");
    }
    if (c == '-') {
      // A negative size: name the dimension rather than failing later on
      // '-' as an element type.
      size_t start = lex_.position();
      size_t n = 1;
      while (std::isdigit(static_cast<unsigned char>(lex_.PeekChar(n)))) ++n;
      return ErrorAt(
          start, absl::StrCat("dimension #", dims.size(), " has negative size ",
                              lex_.text().substr(start, n)));
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    size_t start = lex_.position();
    int64_t d = 0;
    while (std::isdigit(static_cast<unsigned char>(lex_.PeekChar()))) {
      if (d > (int64_t{1} << 50)) {
        return ErrorAt(start, "dimension size is too large");
      }
      d = d * 10 + (lex_.PeekChar() - '0');
      lex_.set_position(lex_.position() + 1);
    }
    if (lex_.PeekChar() != 'x') {
      return ErrorAt(lex_.position(), "expected 'x' after a dimension size");
    }
    lex_.set_position(lex_.position() + 1);
    dims.push_back(d);
    if (dims.size() > 64) return ErrorAt(start, "tensor rank exceeds 64");
  }
  Advance();
  ElementType et;
  RETURN_IF_ERROR(ParseElementType(&et));
  if (Is(TokenKind::kComma)) {
    return Error("tensor encodings (bounds, sparsity) are not supported");
  }
  RETURN_IF_ERROR(Expect(TokenKind::kGreater, "'>' to close tensor type"));
  auto count = TensorType::CheckedElementCount(dims);
  if (!count.ok()) {
    absl::Status located = ErrorAt(start_offset, count.status().message());
    if (absl::IsResourceExhausted(count.status())) {
      return absl::ResourceExhaustedError(located.message());
    }
    return located;
  }
  *out = TensorType(et, std::move(dims));
  return absl::OkStatus();
}

absl::Status Parser::ParseType(Type* out) {
  DepthGuard guard(this);
  RETURN_IF_ERROR(guard.Check());
  if (IsKeyword("tensor")) {
    Advance();
    TensorType t;
    RETURN_IF_ERROR(ParseTensorTypeOnly(&t));
    *out = Type::Tensor(std::move(t));
    return absl::OkStatus();
  }
  if (Is(TokenKind::kBangIdentifier)) {
    if (tok_.text == "!stablehlo.token") {
      Advance();
      *out = Type::Token();
      return absl::OkStatus();
    }
    return Error(absl::StrCat("unsupported type ", Describe(tok_)));
  }
  if (IsKeyword("tuple")) {
    Advance();
    RETURN_IF_ERROR(Expect(TokenKind::kLess, "'<' after tuple"));
    std::vector<Type> elements;
    if (!Is(TokenKind::kGreater)) RETURN_IF_ERROR(ParseTypeList(&elements));
    RETURN_IF_ERROR(Expect(TokenKind::kGreater, "'>' to close tuple type"));
    *out = Type::Tuple(std::move(elements));
    return absl::OkStatus();
  }
  return Error(absl::StrCat("expected a type, got ", Describe(tok_)));
}

absl::Status Parser::ParseTypeList(std::vector<Type>* out) {
  do {
    Type t;
    RETURN_IF_ERROR(ParseType(&t));
    out->push_back(std::move(t));
  } while (Consume(TokenKind::kComma));
  return absl::OkStatus();
}

absl::Status Parser::ParseResultTypes(std::vector<Type>* out) {
  if (Consume(TokenKind::kLParen)) {
    if (Consume(TokenKind::kRParen)) return absl::OkStatus();
    RETURN_IF_ERROR(ParseTypeList(out));
    return Expect(TokenKind::kRParen, "')' after result types");
  }
  Type t;
  RETURN_IF_ERROR(ParseType(&t));
  out->push_back(std::move(t));
  return absl::OkStatus();
}

// ---- Attributes ------------------------------------------------------------

absl::Status Parser::ParseAttrDict(NamedAttrList* out) {
  DepthGuard guard(this);
  RETURN_IF_ERROR(guard.Check());
  RETURN_IF_ERROR(Expect(TokenKind::kLBrace, "'{'"));
  if (Consume(TokenKind::kRBrace)) return absl::OkStatus();
  do {
    std::string name;
    if (Is(TokenKind::kBareIdentifier)) {
      name = std::string(tok_.text);
    } else if (Is(TokenKind::kString)) {
      name = UnescapeString(tok_.text);
    } else {
      return Error(
          absl::StrCat("expected an attribute name, got ", Describe(tok_)));
    }
    Advance();
    if (Consume(TokenKind::kEqual)) {
      Attribute value;
      RETURN_IF_ERROR(ParseAttribute(&value));
      out->Set(name, std::move(value));
    } else {
      out->Set(name, Attribute::Unit());
    }
  } while (Consume(TokenKind::kComma));
  return Expect(TokenKind::kRBrace, "',' or '}' in attribute dictionary");
}

absl::Status Parser::ParseNumberAttribute(Attribute* out) {
  bool negative = Consume(TokenKind::kMinus);
  Token number = tok_;
  if (!Is(TokenKind::kInteger) && !Is(TokenKind::kFloat)) {
    return Error(absl::StrCat("expected a number, got ", Describe(tok_)));
  }
  Advance();
  ElementType type =
      number.kind == TokenKind::kFloat ? ElementType::kF64 : ElementType::kS64;
  bool index_type = false;
  // `: i32` types the number; `: tensor<...>` after a pretty op's keyword
  // attribute is the op's signature instead, so only take element types.
  bool typed = false;
  if (Is(TokenKind::kColon)) {
    size_t saved = lex_.position();
    Token next = lex_.Next();
    lex_.set_position(saved);
    typed = next.kind == TokenKind::kBareIdentifier &&
            (next.text == "index" || next.text == "complex" ||
             ir::ElementTypeFromMlir(next.text).has_value());
  }
  if (typed) {
    Advance();
    if (IsKeyword("index")) {
      Advance();
      index_type = true;
      type = ElementType::kS64;
    } else {
      RETURN_IF_ERROR(ParseElementType(&type));
    }
  }
  DenseScalar scalar;
  scalar.kind = number.kind == TokenKind::kFloat ? DenseScalar::Kind::kFloat
                                                 : DenseScalar::Kind::kInteger;
  scalar.negative = negative;
  scalar.text = number.text;
  DenseElements parsed;
  parsed.elements.push_back({scalar, {}, false});
  if (ir::IsFloat(type)) {
    auto lit = BuildDenseLiteral(parsed, TensorType(type, {}), 64);
    if (!lit.ok()) return ErrorAt(number.offset, lit.status().message());
    *out = Attribute::Float(lit->GetAsDouble(0), type);
    return absl::OkStatus();
  }
  if (ir::IsInteger(type) || ir::IsPred(type)) {
    auto lit = BuildDenseLiteral(parsed, TensorType(type, {}), 64);
    if (!lit.ok()) return ErrorAt(number.offset, lit.status().message());
    int64_t v = type == ElementType::kU64
                    ? static_cast<int64_t>(lit->data<uint64_t>()[0])
                    : lit->GetAsInt64(0);
    *out = Attribute::Integer(v, type, index_type);
    return absl::OkStatus();
  }
  return ErrorAt(number.offset, "number attributes must be integer or float");
}

absl::Status Parser::ParseAttribute(Attribute* out) {
  DepthGuard guard(this);
  RETURN_IF_ERROR(guard.Check());
  switch (tok_.kind) {
    case TokenKind::kInteger:
    case TokenKind::kFloat:
    case TokenKind::kMinus:
      return ParseNumberAttribute(out);
    case TokenKind::kString: {
      *out = Attribute::String(UnescapeString(tok_.text));
      Advance();
      return absl::OkStatus();
    }
    case TokenKind::kLSquare: {
      Advance();
      std::vector<Attribute> elements;
      if (!Is(TokenKind::kRSquare)) {
        do {
          Attribute e;
          RETURN_IF_ERROR(ParseAttribute(&e));
          elements.push_back(std::move(e));
        } while (Consume(TokenKind::kComma));
      }
      RETURN_IF_ERROR(Expect(TokenKind::kRSquare, "',' or ']' in array"));
      *out = Attribute::Array(std::move(elements));
      return absl::OkStatus();
    }
    case TokenKind::kLBrace: {
      NamedAttrList dict;
      RETURN_IF_ERROR(ParseAttrDict(&dict));
      *out = Attribute::Dictionary(std::move(dict));
      return absl::OkStatus();
    }
    case TokenKind::kSymbol: {
      std::string name = SymbolTokenName(tok_.text);
      Advance();
      while (Consume(TokenKind::kDoubleColon)) {
        if (!Is(TokenKind::kSymbol)) return Error("expected a nested symbol");
        absl::StrAppend(&name, "::", tok_.text);
        Advance();
      }
      *out = Attribute::SymbolRef(std::move(name));
      return absl::OkStatus();
    }
    case TokenKind::kHashIdentifier:
      return ParseHashAttribute(out);
    case TokenKind::kBangIdentifier: {
      Type t;
      RETURN_IF_ERROR(ParseType(&t));
      *out = Attribute::TypeAttr(std::move(t));
      return absl::OkStatus();
    }
    case TokenKind::kBareIdentifier: {
      absl::string_view w = tok_.text;
      if (w == "true" || w == "false") {
        *out = Attribute::Bool(w == "true");
        Advance();
        return absl::OkStatus();
      }
      if (w == "unit") {
        *out = Attribute::Unit();
        Advance();
        return absl::OkStatus();
      }
      if (w == "dense") return ParseDense(out);
      if (w == "dense_resource") return ParseDenseResource(out);
      if (w == "array") return ParseDenseArray(out);
      if (w == "tensor" || w == "tuple") {
        Type t;
        RETURN_IF_ERROR(ParseType(&t));
        *out = Attribute::TypeAttr(std::move(t));
        return absl::OkStatus();
      }
      if (ir::ElementTypeFromMlir(w) || w == "index" || w == "complex") {
        // A scalar type attribute (e.g. in custom_call configs); kept verbatim.
        size_t start = tok_.offset;
        if (w == "complex") {
          ElementType et;
          RETURN_IF_ERROR(ParseElementType(&et));
        } else {
          Advance();
        }
        *out = Attribute::Opaque(
            std::string(lex_.text().substr(start, tok_.offset - start)));
        while (!out->string_value().empty() &&
               std::isspace(
                   static_cast<unsigned char>(out->string_value().back()))) {
          *out = Attribute::Opaque(
              out->string_value().substr(0, out->string_value().size() - 1));
        }
        return absl::OkStatus();
      }
      return Error(absl::StrCat("unsupported attribute ", Describe(tok_)));
    }
    default:
      return Error(absl::StrCat("expected an attribute, got ", Describe(tok_)));
  }
}

absl::Status Parser::ParseDenseScalar(DenseScalar* out) {
  out->negative = Consume(TokenKind::kMinus);
  if (Is(TokenKind::kInteger)) {
    out->kind = DenseScalar::Kind::kInteger;
  } else if (Is(TokenKind::kFloat)) {
    out->kind = DenseScalar::Kind::kFloat;
  } else if (!out->negative && (IsKeyword("true") || IsKeyword("false"))) {
    out->kind = DenseScalar::Kind::kBool;
  } else {
    return Error(
        absl::StrCat("expected a dense element, got ", Describe(tok_)));
  }
  out->text = tok_.text;
  Advance();
  return absl::OkStatus();
}

absl::Status Parser::ParseDenseValue(DenseElements* dense, int depth) {
  DepthGuard guard(this);
  RETURN_IF_ERROR(guard.Check());
  if (Is(TokenKind::kLSquare)) {
    size_t open = tok_.offset;
    if (dense->leaf_depth >= 0 && depth >= dense->leaf_depth) {
      return Error("dense literal mixes nested lists and elements");
    }
    Advance();
    int64_t count = 0;
    if (!Is(TokenKind::kRSquare)) {
      do {
        RETURN_IF_ERROR(ParseDenseValue(dense, depth + 1));
        ++count;
      } while (Consume(TokenKind::kComma));
    }
    RETURN_IF_ERROR(Expect(TokenKind::kRSquare, "',' or ']' in dense literal"));
    if (static_cast<int>(dense->shape.size()) <= depth) {
      dense->shape.resize(depth + 1, -1);
    }
    if (dense->shape[depth] == -1) {
      dense->shape[depth] = count;
    } else if (dense->shape[depth] != count) {
      return ErrorAt(open, absl::StrCat("dense literal is not rectangular: a "
                                        "list at depth ",
                                        depth, " has ", count,
                                        " elements, an earlier one ",
                                        dense->shape[depth]));
    }
    return absl::OkStatus();
  }
  // A leaf: all leaves must sit at the same depth.
  if ((dense->leaf_depth >= 0 && dense->leaf_depth != depth) ||
      (static_cast<int>(dense->shape.size()) > depth &&
       dense->shape[depth] != -1)) {
    return Error("dense literal mixes nested lists and elements");
  }
  dense->leaf_depth = depth;
  if (static_cast<int>(dense->shape.size()) < depth) {
    dense->shape.resize(depth, -1);
  }
  DenseElement e;
  if (Consume(TokenKind::kLParen)) {
    e.is_complex = true;
    RETURN_IF_ERROR(ParseDenseScalar(&e.real));
    RETURN_IF_ERROR(Expect(TokenKind::kComma, "',' in complex element"));
    RETURN_IF_ERROR(ParseDenseScalar(&e.imag));
    RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' after complex element"));
  } else {
    RETURN_IF_ERROR(ParseDenseScalar(&e.real));
  }
  dense->elements.push_back(e);
  return absl::OkStatus();
}

absl::Status Parser::ParseDense(Attribute* out) {
  size_t start = tok_.offset;
  std::string saved_context = context_;
  Advance();  // dense
  RETURN_IF_ERROR(Expect(TokenKind::kLess, "'<' after dense"));
  DenseElements dense;
  if (Is(TokenKind::kString)) {
    absl::string_view body = tok_.text.substr(1, tok_.text.size() - 2);
    auto bytes = DecodeHexBytes(body);
    if (!bytes.ok()) return Error(bytes.status().message());
    dense.is_hex = true;
    dense.hex_bytes = std::move(*bytes);
    Advance();
  } else if (!Is(TokenKind::kGreater)) {
    RETURN_IF_ERROR(ParseDenseValue(&dense, 0));
    dense.bracketed = !dense.shape.empty();
    // The shape recorded while parsing has one entry per bracket level.
    for (int64_t& d : dense.shape) {
      if (d < 0) d = 0;
    }
  } else {
    dense.bracketed = true;
    dense.shape = {0};
  }
  RETURN_IF_ERROR(Expect(TokenKind::kGreater, "'>' to close dense literal"));
  RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' and a type after dense<...>"));
  size_t type_offset = tok_.offset;
  Type type;
  RETURN_IF_ERROR(ParseType(&type));
  if (!type.is_tensor()) {
    return ErrorAt(type_offset, "dense literal type must be a tensor type");
  }
  auto lit =
      BuildDenseLiteral(dense, type.tensor(), options_.max_constant_bytes);
  if (!lit.ok()) {
    absl::Status located =
        ErrorAt(start, absl::StrCat("dense literal: ", lit.status().message()));
    if (absl::IsResourceExhausted(lit.status())) {
      return absl::ResourceExhaustedError(located.message());
    }
    return located;
  }
  *out = Attribute::DenseElements(std::move(*lit));
  return absl::OkStatus();
}

absl::Status Parser::ParseDenseResource(Attribute* out) {
  size_t start = tok_.offset;
  Advance();  // dense_resource
  RETURN_IF_ERROR(Expect(TokenKind::kLess, "'<' after dense_resource"));
  if (!Is(TokenKind::kBareIdentifier)) {
    return Error(
        absl::StrCat("expected a resource name, got ", Describe(tok_)));
  }
  std::string name(tok_.text);
  Advance();
  RETURN_IF_ERROR(Expect(TokenKind::kGreater, "'>' after resource name"));
  RETURN_IF_ERROR(
      Expect(TokenKind::kColon, "':' and a type after dense_resource"));
  Type type;
  RETURN_IF_ERROR(ParseType(&type));
  if (!type.is_tensor()) return Error("dense_resource type must be a tensor");
  absl::Status size_ok =
      CheckLiteralSize(type.tensor(), options_.max_constant_bytes);
  if (!size_ok.ok()) {
    return absl::ResourceExhaustedError(
        ErrorAt(start, size_ok.message()).message());
  }
  ir::Literal lit(type.tensor());
  if (name == "__elided__") {
    absl::Status st = options_.fill_elided_resource
                          ? options_.fill_elided_resource(elided_ordinal_, &lit)
                          : DefaultElidedFiller(elided_ordinal_, &lit);
    ++elided_ordinal_;
    if (!st.ok()) {
      return ErrorAt(start,
                     absl::StrCat("filling elided resource: ", st.message()));
    }
    filled_elided_ = true;
    *out = Attribute::DenseElements(std::move(lit), /*elided=*/true);
    return absl::OkStatus();
  }
  auto it = resources_.find(name);
  if (it == resources_.end()) {
    return ErrorAt(start, absl::StrCat("unknown resource '", name,
                                       "' (no dialect_resources entry)"));
  }
  // Blobs start with a 4-byte alignment word.
  const std::string& blob = it->second;
  if (blob.size() < 4 ||
      static_cast<int64_t>(blob.size() - 4) != lit.byte_size()) {
    return ErrorAt(start, absl::StrCat("resource '", name, "' holds ",
                                       blob.size() < 4 ? 0 : blob.size() - 4,
                                       " bytes but ", type.ToString(),
                                       " needs ", lit.byte_size()));
  }
  std::memcpy(lit.untyped_data(), blob.data() + 4, lit.byte_size());
  *out = Attribute::DenseElements(std::move(lit));
  return absl::OkStatus();
}

absl::Status Parser::ParseDenseArray(Attribute* out) {
  Advance();  // array
  RETURN_IF_ERROR(Expect(TokenKind::kLess, "'<' after array"));
  ElementType et;
  RETURN_IF_ERROR(ParseElementType(&et));
  if (!ir::IsInteger(et) && !ir::IsPred(et)) {
    return Error("only integer and i1 dense arrays are supported");
  }
  std::vector<int64_t> values;
  if (Consume(TokenKind::kColon)) {
    do {
      if (et == ElementType::kPred &&
          (IsKeyword("true") || IsKeyword("false"))) {
        values.push_back(IsKeyword("true") ? 1 : 0);
        Advance();
      } else {
        int64_t v;
        RETURN_IF_ERROR(ParseInt64(&v));
        values.push_back(v);
      }
    } while (Consume(TokenKind::kComma));
  }
  RETURN_IF_ERROR(Expect(TokenKind::kGreater, "'>' to close array<...>"));
  *out = Attribute::DenseArray(et, std::move(values));
  return absl::OkStatus();
}

absl::Status Parser::CaptureAngles(size_t start, std::string* out) {
  // tok_ is the token just before a '<' that the lexer stands at (possibly
  // after whitespace). Scan characters to the matching '>'.
  lex_.SkipWhitespaceAndComments();
  if (lex_.PeekChar() != '<') return Error("expected '<'");
  int depth = 0;
  size_t pos = lex_.position();
  absl::string_view text = lex_.text();
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '"') {
      ++pos;
      while (pos < text.size() && text[pos] != '"') {
        if (text[pos] == '\\') ++pos;
        ++pos;
      }
    } else if (c == '-' && pos + 1 < text.size() && text[pos + 1] == '>') {
      ++pos;
    } else if (c == '<' || c == '(' || c == '[' || c == '{') {
      if (++depth > options_.max_nesting_depth) {
        return ErrorAt(pos, "attribute nesting is too deep");
      }
    } else if (c == '>' || c == ')' || c == ']' || c == '}') {
      if (--depth == 0) {
        if (c != '>') return ErrorAt(pos, "unbalanced brackets in attribute");
        ++pos;
        *out = std::string(text.substr(start, pos - start));
        lex_.set_position(pos);
        Advance();
        return absl::OkStatus();
      }
    }
    ++pos;
  }
  return ErrorAt(start, "unterminated '<' in attribute");
}

absl::Status Parser::ParseKeyedParams(
    std::vector<std::pair<std::string, KeyedValue>>* out) {
  if (Consume(TokenKind::kGreater)) return absl::OkStatus();
  do {
    if (!Is(TokenKind::kBareIdentifier)) {
      return Error(
          absl::StrCat("expected a parameter name, got ", Describe(tok_)));
    }
    std::string key(tok_.text);
    Advance();
    RETURN_IF_ERROR(Expect(TokenKind::kEqual, "'=' after parameter name"));
    KeyedValue v;
    if (Is(TokenKind::kLSquare)) {
      v.is_list = true;
      RETURN_IF_ERROR(ParseIntList(&v.ints));
    } else if (Is(TokenKind::kHashIdentifier)) {
      RETURN_IF_ERROR(ParseAttribute(&v.attr));
    } else {
      bool negative = Consume(TokenKind::kMinus);
      if (Is(TokenKind::kFloat)) {
        v.number = std::strtod(std::string(tok_.text).c_str(), nullptr);
        if (negative) v.number = -v.number;
        Advance();
      } else {
        if (negative)
          return Error("negative parameter values are not valid here");
        int64_t i;
        RETURN_IF_ERROR(ParseInt64(&i));
        v.ints = {i};
        v.number = static_cast<double>(i);
      }
    }
    out->emplace_back(std::move(key), std::move(v));
  } while (Consume(TokenKind::kComma));
  return Expect(TokenKind::kGreater, "',' or '>' in attribute parameters");
}

absl::Status Parser::ParseConvLabels(std::vector<std::string>* labels) {
  RETURN_IF_ERROR(Expect(TokenKind::kLSquare, "'[' in convolution dimensions"));
  do {
    if (!Is(TokenKind::kBareIdentifier) && !Is(TokenKind::kInteger)) {
      return Error(
          absl::StrCat("expected a dimension label, got ", Describe(tok_)));
    }
    labels->push_back(std::string(tok_.text));
    Advance();
  } while (Consume(TokenKind::kComma));
  return Expect(TokenKind::kRSquare, "']' in convolution dimensions");
}

absl::Status Parser::ParseConvDims(ir::ConvDimensionNumbers* out) {
  size_t start = tok_.offset;
  std::vector<std::string> in, kernel, res;
  RETURN_IF_ERROR(ParseConvLabels(&in));
  RETURN_IF_ERROR(ExpectKeyword("x"));
  RETURN_IF_ERROR(ParseConvLabels(&kernel));
  RETURN_IF_ERROR(Expect(TokenKind::kArrow, "'->' in convolution dimensions"));
  RETURN_IF_ERROR(ParseConvLabels(&res));
  // Decodes one label list: `a` and `b` name the two non-spatial dims.
  auto decode = [&](const std::vector<std::string>& labels, char a, char b,
                    int64_t* a_dim, int64_t* b_dim,
                    std::vector<int64_t>* spatial) -> absl::Status {
    int64_t n = static_cast<int64_t>(labels.size());
    *a_dim = *b_dim = -1;
    spatial->assign(std::max<int64_t>(n - 2, 0), -1);
    for (int64_t i = 0; i < n; ++i) {
      const std::string& l = labels[i];
      int64_t s;
      if (l.size() == 1 && l[0] == a && *a_dim < 0) {
        *a_dim = i;
      } else if (l.size() == 1 && l[0] == b && *b_dim < 0) {
        *b_dim = i;
      } else if (absl::SimpleAtoi(l, &s) && s >= 0 &&
                 s < static_cast<int64_t>(spatial->size()) &&
                 (*spatial)[s] < 0) {
        (*spatial)[s] = i;
      } else {
        return ErrorAt(start, absl::StrCat("invalid or repeated convolution "
                                           "dimension label '",
                                           l, "'"));
      }
    }
    if (*a_dim < 0 || *b_dim < 0) {
      return ErrorAt(start, absl::StrCat("convolution dimensions need '",
                                         std::string(1, a), "' and '",
                                         std::string(1, b), "'"));
    }
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(decode(in, 'b', 'f', &out->input_batch_dimension,
                         &out->input_feature_dimension,
                         &out->input_spatial_dimensions));
  RETURN_IF_ERROR(decode(kernel, 'i', 'o', &out->kernel_input_feature_dimension,
                         &out->kernel_output_feature_dimension,
                         &out->kernel_spatial_dimensions));
  RETURN_IF_ERROR(decode(res, 'b', 'f', &out->output_batch_dimension,
                         &out->output_feature_dimension,
                         &out->output_spatial_dimensions));
  return absl::OkStatus();
}

absl::Status Parser::ParseHashAttribute(Attribute* out) {
  size_t start = tok_.offset;
  std::string name(tok_.text);
  lex_.SkipWhitespaceAndComments();
  bool has_params = lex_.PeekChar() == '<';
  if (!has_params) {  // An alias reference such as #loc3; kept verbatim.
    Advance();
    *out = Attribute::Opaque(name);
    return absl::OkStatus();
  }
  if (name == "#stablehlo" || name == "#chlo") {
    return ParseDialectEnum(start, name, out);
  }
  if (name == "#stablehlo.conv") return ParseConvAttribute(start, name, out);
  using KeyedParser = absl::Status (Parser::*)(size_t, const std::string&,
                                               KeyedParams&, Attribute*);
  static constexpr std::pair<absl::string_view, KeyedParser> kKeyed[] = {
      {"#stablehlo.dot", &Parser::BuildDotDims},
      {"#stablehlo.gather", &Parser::BuildGatherDims},
      {"#stablehlo.scatter", &Parser::BuildScatterDims},
      {"#stablehlo.channel_handle", &Parser::BuildChannelHandle},
      {"#stablehlo.output_operand_alias", &Parser::BuildOperandAlias},
      {"#stablehlo.result_accuracy", &Parser::BuildResultAccuracy},
  };
  for (const auto& [attr_name, build] : kKeyed) {
    if (name != attr_name) continue;
    Advance();  // name
    RETURN_IF_ERROR(Expect(TokenKind::kLess, "'<'"));
    KeyedParams params;
    RETURN_IF_ERROR(ParseKeyedParams(&params));
    return (this->*build)(start, name, params, out);
  }
  // Any other dialect attribute (#chlo.ragged_dot<...>,
  // #stablehlo.dot_algorithm<...>): keep the exact text so it prints back and
  // consumers can parse it.
  std::string text;
  RETURN_IF_ERROR(CaptureAngles(start, &text));
  *out = Attribute::Opaque(std::move(text));
  return absl::OkStatus();
}

// Unknown keys in a structured attribute are errors rather than silently
// dropped: they would change meaning.
absl::Status Parser::UnknownParameter(size_t start, const std::string& name,
                                      const std::string& key) const {
  return ErrorAt(start,
                 absl::StrCat("unknown parameter '", key, "' in ", name));
}

// #stablehlo<comparison_direction LT> and the like; anything else in
// #stablehlo<...> / #chlo<...> is kept verbatim.
absl::Status Parser::ParseDialectEnum(size_t start, const std::string& name,
                                      Attribute* out) {
  size_t saved = lex_.position();
  Advance();  // now at '<'
  Advance();
  if (Is(TokenKind::kBareIdentifier)) {
    std::optional<ir::EnumKind> kind = ir::EnumKindFromName(tok_.text);
    if (kind) {
      Advance();
      if (!Is(TokenKind::kBareIdentifier)) {
        return Error(
            absl::StrCat("expected an enum value, got ", Describe(tok_)));
      }
      std::optional<int> value = ir::EnumValueFromName(*kind, tok_.text);
      if (!value) {
        return Error(absl::StrCat("invalid ", ir::EnumKindName(*kind),
                                  " value ", Describe(tok_)));
      }
      Advance();
      RETURN_IF_ERROR(Expect(TokenKind::kGreater, "'>' after enum value"));
      *out = Attribute::Enum(*kind, *value, name.substr(1));
      return absl::OkStatus();
    }
  }
  lex_.set_position(saved);
  std::string text;
  RETURN_IF_ERROR(CaptureAngles(start, &text));
  *out = Attribute::Opaque(std::move(text));
  return absl::OkStatus();
}

absl::Status Parser::BuildDotDims(size_t start, const std::string& name,
                                  KeyedParams& params, Attribute* out) {
  ir::DotDimensionNumbers d;
  for (auto& [k, v] : params) {
    if (k == "lhs_batching_dimensions")
      d.lhs_batching_dimensions = v.ints;
    else if (k == "rhs_batching_dimensions")
      d.rhs_batching_dimensions = v.ints;
    else if (k == "lhs_contracting_dimensions")
      d.lhs_contracting_dimensions = v.ints;
    else if (k == "rhs_contracting_dimensions")
      d.rhs_contracting_dimensions = v.ints;
    else
      return UnknownParameter(start, name, k);
  }
  *out = Attribute::DotDims(std::move(d));
  return absl::OkStatus();
}

absl::Status Parser::BuildGatherDims(size_t start, const std::string& name,
                                     KeyedParams& params, Attribute* out) {
  ir::GatherDimensionNumbers d;
  for (auto& [k, v] : params) {
    if (k == "offset_dims")
      d.offset_dims = v.ints;
    else if (k == "collapsed_slice_dims")
      d.collapsed_slice_dims = v.ints;
    else if (k == "operand_batching_dims")
      d.operand_batching_dims = v.ints;
    else if (k == "start_indices_batching_dims")
      d.start_indices_batching_dims = v.ints;
    else if (k == "start_index_map")
      d.start_index_map = v.ints;
    else if (k == "index_vector_dim" && v.ints.size() == 1 && !v.is_list)
      d.index_vector_dim = v.ints[0];
    else
      return UnknownParameter(start, name, k);
  }
  *out = Attribute::GatherDims(std::move(d));
  return absl::OkStatus();
}

absl::Status Parser::BuildScatterDims(size_t start, const std::string& name,
                                      KeyedParams& params, Attribute* out) {
  ir::ScatterDimensionNumbers d;
  for (auto& [k, v] : params) {
    if (k == "update_window_dims")
      d.update_window_dims = v.ints;
    else if (k == "inserted_window_dims")
      d.inserted_window_dims = v.ints;
    else if (k == "input_batching_dims")
      d.input_batching_dims = v.ints;
    else if (k == "scatter_indices_batching_dims")
      d.scatter_indices_batching_dims = v.ints;
    else if (k == "scatter_dims_to_operand_dims")
      d.scatter_dims_to_operand_dims = v.ints;
    else if (k == "index_vector_dim" && v.ints.size() == 1 && !v.is_list)
      d.index_vector_dim = v.ints[0];
    else
      return UnknownParameter(start, name, k);
  }
  *out = Attribute::ScatterDims(std::move(d));
  return absl::OkStatus();
}

absl::Status Parser::BuildChannelHandle(size_t start, const std::string& name,
                                        KeyedParams& params, Attribute* out) {
  ir::ChannelHandle c;
  for (auto& [k, v] : params) {
    if (k == "handle" && v.ints.size() == 1)
      c.handle = v.ints[0];
    else if (k == "type" && v.ints.size() == 1)
      c.type = v.ints[0];
    else
      return UnknownParameter(start, name, k);
  }
  *out = Attribute::Channel(c);
  return absl::OkStatus();
}

absl::Status Parser::BuildOperandAlias(size_t start, const std::string& name,
                                       KeyedParams& params, Attribute* out) {
  ir::OutputOperandAlias a;
  for (auto& [k, v] : params) {
    if (k == "output_tuple_indices")
      a.output_tuple_indices = v.ints;
    else if (k == "operand_index" && v.ints.size() == 1)
      a.operand_index = v.ints[0];
    else if (k == "operand_tuple_indices")
      a.operand_tuple_indices = v.ints;
    else
      return UnknownParameter(start, name, k);
  }
  *out = Attribute::OperandAlias(std::move(a));
  return absl::OkStatus();
}

absl::Status Parser::BuildResultAccuracy(size_t start, const std::string& name,
                                         KeyedParams& params, Attribute* out) {
  ir::ResultAccuracy r;
  for (auto& [k, v] : params) {
    if (k == "atol")
      r.atol = v.number;
    else if (k == "rtol")
      r.rtol = v.number;
    else if (k == "ulps" && v.ints.size() == 1)
      r.ulps = v.ints[0];
    else if (k == "mode" && v.attr.kind() == Attribute::Kind::kOpaque) {
      absl::string_view t = v.attr.string_value();
      std::optional<int> m;
      if (absl::ConsumePrefix(&t, "#stablehlo.result_accuracy_mode<") &&
          absl::ConsumeSuffix(&t, ">")) {
        m = ir::EnumValueFromName(ir::EnumKind::kResultAccuracyMode, t);
      }
      if (!m) return ErrorAt(start, "invalid result accuracy mode");
      r.mode = static_cast<ir::ResultAccuracyMode>(*m);
    } else {
      return UnknownParameter(start, name, k);
    }
  }
  *out = Attribute::Accuracy(r);
  return absl::OkStatus();
}

// #stablehlo.conv<[b, 0, f]x[0, i, o]->[b, 0, f]> or #stablehlo.conv<raw ...>.
absl::Status Parser::ParseConvAttribute(size_t start, const std::string& name,
                                        Attribute* out) {
  Advance();
  RETURN_IF_ERROR(Expect(TokenKind::kLess, "'<'"));
  KeyedParams params;
  ir::ConvDimensionNumbers d;
  if (ConsumeKeyword("raw")) {
    RETURN_IF_ERROR(ParseKeyedParams(&params));
    for (auto& [k, v] : params) {
      int64_t one = v.ints.size() == 1 ? v.ints[0] : 0;
      if (k == "input_batch_dimension")
        d.input_batch_dimension = one;
      else if (k == "input_feature_dimension")
        d.input_feature_dimension = one;
      else if (k == "input_spatial_dimensions")
        d.input_spatial_dimensions = v.ints;
      else if (k == "kernel_input_feature_dimension")
        d.kernel_input_feature_dimension = one;
      else if (k == "kernel_output_feature_dimension")
        d.kernel_output_feature_dimension = one;
      else if (k == "kernel_spatial_dimensions")
        d.kernel_spatial_dimensions = v.ints;
      else if (k == "output_batch_dimension")
        d.output_batch_dimension = one;
      else if (k == "output_feature_dimension")
        d.output_feature_dimension = one;
      else if (k == "output_spatial_dimensions")
        d.output_spatial_dimensions = v.ints;
      else
        return UnknownParameter(start, name, k);
    }
  } else {
    RETURN_IF_ERROR(ParseConvDims(&d));
    RETURN_IF_ERROR(
        Expect(TokenKind::kGreater, "'>' after convolution dimensions"));
  }
  *out = Attribute::ConvDims(std::move(d));
  return absl::OkStatus();
}

// ---- Values ----------------------------------------------------------------

absl::Status Parser::ResolveValue(const Token& t, Value** out) {
  absl::string_view text = t.text.substr(1);
  size_t hash = text.find('#');
  absl::string_view name = text.substr(0, hash);
  int64_t index = 0;
  if (hash != absl::string_view::npos &&
      !absl::SimpleAtoi(text.substr(hash + 1), &index)) {
    return ErrorAt(t.offset, absl::StrCat("bad result number in ", t.text));
  }
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->find(name);
    if (found == it->end()) continue;
    const std::vector<Value*>& values = found->second;
    if (index < 0 || index >= static_cast<int64_t>(values.size())) {
      return ErrorAt(t.offset,
                     absl::StrCat("%", name, " has ", values.size(),
                                  " result(s); #", index, " does not exist"));
    }
    *out = values[index];
    return absl::OkStatus();
  }
  return ErrorAt(t.offset, absl::StrCat("use of undefined value ", t.text));
}

absl::Status Parser::Define(const std::string& name, std::vector<Value*> values,
                            size_t offset) {
  Scope& scope = scopes_.back();
  if (scope.contains(name)) {
    return ErrorAt(offset, absl::StrCat("redefinition of value %", name));
  }
  scope.emplace(name, std::move(values));
  return absl::OkStatus();
}

// ---- Structure -------------------------------------------------------------

absl::Status Parser::ParseOptionalLocation(std::string* text) {
  if (!IsKeyword("loc")) return absl::OkStatus();
  size_t start = tok_.offset;
  Advance();
  if (!Is(TokenKind::kLParen)) return Error("expected '(' after loc");
  // The lexer stands right after '('; find the matching ')'.
  absl::string_view src = lex_.text();
  size_t pos = lex_.position();
  size_t body = pos;
  int depth = 1;
  while (pos < src.size()) {
    char c = src[pos];
    if (c == '"') {
      ++pos;
      while (pos < src.size() && src[pos] != '"' && src[pos] != '\n') {
        if (src[pos] == '\\') ++pos;
        ++pos;
      }
    } else if (c == '(' || c == '[') {
      if (++depth > options_.max_nesting_depth) {
        return ErrorAt(pos, "location nesting is too deep");
      }
    } else if (c == ')' || c == ']') {
      if (--depth == 0) break;
    }
    ++pos;
  }
  if (depth != 0) return ErrorAt(start, "unterminated loc(...)");
  if (text) *text = std::string(src.substr(body, pos - body));
  lex_.set_position(pos + 1);
  Advance();
  return absl::OkStatus();
}

absl::Status Parser::ParseFileMetadata() {
  // {-# dialect_resources: { builtin: { name: "0x..." } } #-}
  Advance();  // {-#
  auto parse_entries = [&](auto& self, int level) -> absl::Status {
    if (level > 3) return Error("file metadata nests too deeply");
    while (!Is(TokenKind::kFileMetadataEnd) && !Is(TokenKind::kRBrace)) {
      if (!Is(TokenKind::kBareIdentifier) && !Is(TokenKind::kString)) {
        return Error(
            absl::StrCat("expected a metadata key, got ", Describe(tok_)));
      }
      std::string key = Is(TokenKind::kString) ? UnescapeString(tok_.text)
                                               : std::string(tok_.text);
      Advance();
      RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' after metadata key"));
      if (Consume(TokenKind::kLBrace)) {
        RETURN_IF_ERROR(self(self, level + 1));
        RETURN_IF_ERROR(Expect(TokenKind::kRBrace, "'}' in file metadata"));
      } else if (Is(TokenKind::kString)) {
        if (level == 2) {
          auto bytes = DecodeHexBytes(UnescapeString(tok_.text));
          if (!bytes.ok()) return Error(bytes.status().message());
          resources_[key] = std::move(*bytes);
        }
        Advance();
      } else {
        Advance();  // true/false/number values are irrelevant to us.
      }
      if (!Consume(TokenKind::kComma)) break;
    }
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(parse_entries(parse_entries, 0));
  return Expect(TokenKind::kFileMetadataEnd, "'#-}' to close file metadata");
}

absl::Status Parser::ParseFunction(ir::Module* module) {
  size_t start = tok_.offset;
  context_ = "func.func";
  Advance();  // func.func
  bool is_public = true;
  if (ConsumeKeyword("private")) {
    is_public = false;
  } else if (!ConsumeKeyword("public")) {
    ConsumeKeyword("nested");
  }
  if (!Is(TokenKind::kSymbol)) {
    return Error(
        absl::StrCat("expected a function name, got ", Describe(tok_)));
  }
  std::string name = SymbolTokenName(tok_.text);
  context_ = absl::StrCat("func.func @", name);
  Advance();
  RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'(' after function name"));
  std::vector<EntryArg> args;
  std::vector<NamedAttrList> arg_attrs;
  std::vector<size_t> arg_offsets;
  if (!Is(TokenKind::kRParen)) {
    do {
      if (!Is(TokenKind::kValueId)) {
        return Error(
            absl::StrCat("expected an argument name, got ", Describe(tok_)));
      }
      EntryArg arg;
      arg.name = std::string(tok_.text.substr(1));
      arg_offsets.push_back(tok_.offset);
      Advance();
      RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' after argument name"));
      RETURN_IF_ERROR(ParseType(&arg.type));
      NamedAttrList attrs;
      if (Is(TokenKind::kLBrace)) RETURN_IF_ERROR(ParseAttrDict(&attrs));
      RETURN_IF_ERROR(ParseOptionalLocation(nullptr));
      args.push_back(std::move(arg));
      arg_attrs.push_back(std::move(attrs));
    } while (Consume(TokenKind::kComma));
  }
  RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' after arguments"));
  std::vector<Type> result_types;
  std::vector<NamedAttrList> result_attrs;
  if (Consume(TokenKind::kArrow)) {
    if (Consume(TokenKind::kLParen)) {
      if (!Is(TokenKind::kRParen)) {
        do {
          Type t;
          RETURN_IF_ERROR(ParseType(&t));
          NamedAttrList attrs;
          if (Is(TokenKind::kLBrace)) RETURN_IF_ERROR(ParseAttrDict(&attrs));
          result_types.push_back(std::move(t));
          result_attrs.push_back(std::move(attrs));
        } while (Consume(TokenKind::kComma));
      }
      RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' after result types"));
    } else {
      Type t;
      RETURN_IF_ERROR(ParseType(&t));
      result_types.push_back(std::move(t));
      result_attrs.emplace_back();
    }
  }
  NamedAttrList func_attrs;
  if (ConsumeKeyword("attributes")) {
    RETURN_IF_ERROR(ParseAttrDict(&func_attrs));
  }
  if (!Is(TokenKind::kLBrace)) {
    return Error("function declarations without a body are not supported");
  }
  std::vector<Type> arg_types;
  for (const EntryArg& a : args) arg_types.push_back(a.type);
  auto function =
      std::make_unique<ir::Function>(name, std::move(arg_types), result_types);
  function->set_public(is_public);
  function->arg_attrs() = std::move(arg_attrs);
  function->result_attrs() = std::move(result_attrs);
  function->attributes() = std::move(func_attrs);
  auto [line, column] = lex_.LineColumn(start);
  function->location() = {options_.filename, line, column, ""};

  // The body: a fresh scope (functions are isolated from above) whose entry
  // block is the function's own entry block.
  std::vector<Scope> saved_scopes = std::move(scopes_);
  scopes_.clear();
  scopes_.emplace_back();
  Block* entry = function->entry();
  for (size_t i = 0; i < args.size(); ++i) {
    RETURN_IF_ERROR(Define(args[i].name, {entry->argument(i)}, arg_offsets[i]));
  }
  RETURN_IF_ERROR(Expect(TokenKind::kLBrace, "'{' to open function body"));
  {
    DepthGuard guard(this);
    RETURN_IF_ERROR(guard.Check());
    while (!Is(TokenKind::kRBrace)) {
      if (Is(TokenKind::kEof)) return Error("unterminated function body");
      if (Is(TokenKind::kBlockId)) {
        return Error("functions with several blocks are not supported");
      }
      RETURN_IF_ERROR(ParseOperation(entry));
    }
    Advance();
  }
  scopes_ = std::move(saved_scopes);
  RETURN_IF_ERROR(ParseOptionalLocation(nullptr));
  context_ = "module";
  absl::Status added = module->AddFunction(std::move(function));
  if (!added.ok()) return ErrorAt(start, added.message());
  return absl::OkStatus();
}

absl::Status Parser::ParseRegion(Region* region,
                                 const std::vector<EntryArg>* entry_args) {
  DepthGuard guard(this);
  RETURN_IF_ERROR(guard.Check());
  RETURN_IF_ERROR(Expect(TokenKind::kLBrace, "'{' to open a region"));
  scopes_.emplace_back();
  Block* block = nullptr;
  if (entry_args) {
    block = region->AddBlock();
    for (const EntryArg& a : *entry_args) {
      RETURN_IF_ERROR(
          Define(a.name, {block->AddArgument(a.type)}, tok_.offset));
    }
  }
  bool labeled = false;
  while (!Is(TokenKind::kRBrace)) {
    if (Is(TokenKind::kEof)) return Error("unterminated region");
    if (Is(TokenKind::kBlockId)) {
      if (block == nullptr || !block->empty() || labeled || entry_args) {
        block = region->AddBlock();
      }
      labeled = true;
      Advance();
      if (Consume(TokenKind::kLParen)) {
        if (!Is(TokenKind::kRParen)) {
          do {
            if (!Is(TokenKind::kValueId)) {
              return Error(absl::StrCat("expected a block argument, got ",
                                        Describe(tok_)));
            }
            Token name = tok_;
            Advance();
            RETURN_IF_ERROR(
                Expect(TokenKind::kColon, "':' after block argument"));
            Type t;
            RETURN_IF_ERROR(ParseType(&t));
            RETURN_IF_ERROR(ParseOptionalLocation(nullptr));
            RETURN_IF_ERROR(Define(std::string(name.text.substr(1)),
                                   {block->AddArgument(std::move(t))},
                                   name.offset));
          } while (Consume(TokenKind::kComma));
        }
        RETURN_IF_ERROR(
            Expect(TokenKind::kRParen, "')' after block arguments"));
      }
      RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' after block label"));
      continue;
    }
    if (block == nullptr) block = region->AddBlock();
    RETURN_IF_ERROR(ParseOperation(block));
  }
  Advance();
  scopes_.pop_back();
  return absl::OkStatus();
}

absl::Status Parser::ParseOperation(Block* block) {
  size_t start = tok_.offset;
  std::vector<ResultBinding> bindings;
  int total = 0;
  if (Is(TokenKind::kValueId)) {
    do {
      if (!Is(TokenKind::kValueId)) {
        return Error(
            absl::StrCat("expected a result name, got ", Describe(tok_)));
      }
      ResultBinding b;
      b.name = std::string(tok_.text.substr(1));
      if (b.name.find('#') != std::string::npos) {
        return Error("result names cannot carry a '#' result number");
      }
      Advance();
      if (Consume(TokenKind::kColon)) {
        int64_t count;
        RETURN_IF_ERROR(ParseInt64(&count));
        if (count < 1 || count > 100000) return Error("invalid result count");
        b.count = static_cast<int>(count);
      }
      total += b.count;
      bindings.push_back(std::move(b));
    } while (Consume(TokenKind::kComma));
    RETURN_IF_ERROR(Expect(TokenKind::kEqual, "'=' after result names"));
  }
  OpState st;
  st.offset = tok_.offset;
  st.num_bound_results = total;
  std::string saved_context = context_;
  if (Is(TokenKind::kString)) {
    st.name = UnescapeString(tok_.text);
    st.code = ir::OpCodeFromName(st.name);
    context_ = st.name;
    Advance();
    RETURN_IF_ERROR(ParseGenericOp(st));
  } else if (Is(TokenKind::kBareIdentifier)) {
    st.name = std::string(tok_.text);
    st.code = ir::OpCodeFromName(st.name);
    if (st.code == OpCode::kUnknown) {
      return Error(absl::StrCat("unknown operation '", st.name,
                                "' (custom syntax is only understood for "
                                "known ops; use the generic form)"));
    }
    context_ = std::string(ir::OpCodeName(st.code));
    Advance();
    RETURN_IF_ERROR(ParsePrettyOp(st));
  } else {
    return Error(absl::StrCat("expected an operation, got ", Describe(tok_)));
  }
  if (static_cast<int>(st.result_types.size()) != total) {
    return ErrorAt(
        start, absl::StrCat("op has ", st.result_types.size(),
                            " result(s) but ", total, " name(s) are bound"));
  }
  std::unique_ptr<Op> op = Op::Create(st.code, st.operands, st.result_types,
                                      std::move(st.attrs), st.name);
  for (auto& r : st.regions) op->AdoptRegion(std::move(r));
  // Like MLIR, an op's location is the start of its statement.
  auto [line, column] = lex_.LineColumn(start);
  op->location() = {options_.filename, line, column, ""};
  RETURN_IF_ERROR(ParseOptionalLocation(&op->location().loc_text));
  Op* raw = block->Append(std::move(op));
  int next = 0;
  for (const ResultBinding& b : bindings) {
    std::vector<Value*> values;
    for (int i = 0; i < b.count; ++i) values.push_back(raw->result(next++));
    RETURN_IF_ERROR(Define(b.name, std::move(values), start));
  }
  context_ = saved_context;
  return absl::OkStatus();
}

absl::Status Parser::ParseGenericOp(OpState& st) {
  RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'(' for the operand list"));
  if (!Is(TokenKind::kRParen)) {
    do {
      if (!Is(TokenKind::kValueId)) {
        return Error(absl::StrCat("expected an operand, got ", Describe(tok_)));
      }
      Value* v;
      RETURN_IF_ERROR(ResolveValue(tok_, &v));
      st.operands.push_back(v);
      Advance();
    } while (Consume(TokenKind::kComma));
  }
  RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' after operands"));
  if (Is(TokenKind::kLSquare)) {
    return Error("successor blocks are not supported");
  }
  if (Consume(TokenKind::kLess)) {  // <{properties}>
    RETURN_IF_ERROR(ParseAttrDict(&st.attrs));
    RETURN_IF_ERROR(Expect(TokenKind::kGreater, "'>' after properties"));
  }
  if (Consume(TokenKind::kLParen)) {
    do {
      auto region = std::make_unique<Region>();
      RETURN_IF_ERROR(ParseRegion(region.get(), nullptr));
      st.regions.push_back(std::move(region));
    } while (Consume(TokenKind::kComma));
    RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' after regions"));
  }
  if (Is(TokenKind::kLBrace)) RETURN_IF_ERROR(ParseAttrDict(&st.attrs));
  size_t sig_offset = tok_.offset;
  RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' and the op's function type"));
  std::vector<Type> inputs;
  RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'(' to open the function type"));
  if (!Is(TokenKind::kRParen)) RETURN_IF_ERROR(ParseTypeList(&inputs));
  RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' in the function type"));
  RETURN_IF_ERROR(Expect(TokenKind::kArrow, "'->' in the function type"));
  RETURN_IF_ERROR(ParseResultTypes(&st.result_types));
  st.has_result_types = true;
  return CheckOperandTypes(st, inputs, sig_offset);
}

absl::Status Parser::CheckOperandTypes(const OpState& st,
                                       const std::vector<Type>& declared,
                                       size_t offset) {
  if (declared.size() != st.operands.size()) {
    return ErrorAt(offset, absl::StrCat("signature lists ", declared.size(),
                                        " operand type(s) but the op has ",
                                        st.operands.size(), " operand(s)"));
  }
  for (size_t i = 0; i < declared.size(); ++i) {
    if (declared[i] != st.operands[i]->type()) {
      return ErrorAt(offset, absl::StrCat("operand #", i, " has type ",
                                          st.operands[i]->type().ToString(),
                                          " but the signature says ",
                                          declared[i].ToString()));
    }
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseSignature(OpState& st) {
  size_t offset = tok_.offset;
  Advance();  // ':'
  std::vector<Type> first;
  if (Consume(TokenKind::kLParen)) {
    if (!Is(TokenKind::kRParen)) RETURN_IF_ERROR(ParseTypeList(&first));
    RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' in the function type"));
    RETURN_IF_ERROR(Expect(TokenKind::kArrow, "'->' in the function type"));
    RETURN_IF_ERROR(ParseResultTypes(&st.result_types));
    st.has_result_types = true;
    return CheckOperandTypes(st, first, offset);
  }
  RETURN_IF_ERROR(ParseTypeList(&first));
  if (Consume(TokenKind::kArrow)) {  // chlo style: `T, T -> R`
    RETURN_IF_ERROR(ParseResultTypes(&st.result_types));
    st.has_result_types = true;
    return CheckOperandTypes(st, first, offset);
  }
  // A plain type list: the trailing types are the results (one shared type
  // for elementwise ops, `pred, T` for select, all types for ops whose
  // results mirror their operands).
  int n = st.num_bound_results;
  if (static_cast<int>(first.size()) < n) {
    return ErrorAt(
        offset, absl::StrCat("expected at least ", n,
                             " type(s) for the results, got ", first.size()));
  }
  st.result_types.assign(first.end() - n, first.end());
  st.has_result_types = true;
  // When the list names every operand, check it like a function type.
  if (ir::IsElementwiseSameType(st.code) && first.size() == 1) {
    for (size_t i = 0; i < st.operands.size(); ++i) {
      if (st.operands[i]->type() != first[0]) {
        return ErrorAt(offset, absl::StrCat("operand #", i, " has type ",
                                            st.operands[i]->type().ToString(),
                                            " but the op's type is ",
                                            first[0].ToString()));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Parser::ParsePrettyReduce(OpState& st) {
  // (%x init: %y), (%x2 init: %y2) applies OP across dimensions = [..] : sig
  // or ... across dimensions = [..] : sig reducer(%a: T, %b: T) ... { body }
  std::vector<Value*> inputs, inits;
  do {
    RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'(' in reduce operands"));
    Value* v;
    if (!Is(TokenKind::kValueId)) return Error("expected a reduce input");
    RETURN_IF_ERROR(ResolveValue(tok_, &v));
    inputs.push_back(v);
    Advance();
    RETURN_IF_ERROR(ExpectKeyword("init"));
    RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' after init"));
    if (!Is(TokenKind::kValueId)) return Error("expected a reduce init value");
    RETURN_IF_ERROR(ResolveValue(tok_, &v));
    inits.push_back(v);
    Advance();
    RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' in reduce operands"));
  } while (Consume(TokenKind::kComma));
  st.operands = inputs;
  st.operands.insert(st.operands.end(), inits.begin(), inits.end());
  std::string body_op;
  size_t body_offset = tok_.offset;
  if (ConsumeKeyword("applies")) {
    if (!Is(TokenKind::kBareIdentifier))
      return Error("expected an op after 'applies'");
    body_op = std::string(tok_.text);
    Advance();
  }
  RETURN_IF_ERROR(ExpectKeyword("across"));
  RETURN_IF_ERROR(ExpectKeyword("dimensions"));
  RETURN_IF_ERROR(Expect(TokenKind::kEqual, "'=' after dimensions"));
  std::vector<int64_t> dims;
  RETURN_IF_ERROR(ParseIntList(&dims));
  st.attrs.Set("dimensions", Attribute::DenseArray(ElementType::kS64, dims));
  if (Is(TokenKind::kLBrace)) RETURN_IF_ERROR(ParseAttrDict(&st.attrs));
  if (!Is(TokenKind::kColon)) return Error("expected ':' and the reduce type");
  RETURN_IF_ERROR(ParseSignature(st));
  auto region = std::make_unique<Region>();
  if (!body_op.empty()) {
    OpCode code = ir::OpCodeFromName(body_op);
    if (code == OpCode::kUnknown || inits.size() != 1) {
      return ErrorAt(body_offset, absl::StrCat("cannot apply '", body_op,
                                               "' as a reduction body"));
    }
    Block* b = region->AddBlock();
    Type scalar = inits[0]->type();
    Value* lhs = b->AddArgument(scalar);
    Value* rhs = b->AddArgument(scalar);
    Op* body = b->Append(Op::Create(code, {lhs, rhs}, {scalar}));
    b->Append(Op::Create(OpCode::kReturn, {body->result(0)}, {}));
    auto [line, column] = lex_.LineColumn(body_offset);
    body->location() = {options_.filename, line, column, ""};
    b->back()->location() = body->location();
  } else {
    RETURN_IF_ERROR(ExpectKeyword("reducer"));
    std::vector<EntryArg> firsts, seconds;
    for (size_t i = 0; i < inputs.size(); ++i) {
      RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'(' in reducer arguments"));
      for (int k = 0; k < 2; ++k) {
        if (k) RETURN_IF_ERROR(Expect(TokenKind::kComma, "','"));
        if (!Is(TokenKind::kValueId))
          return Error("expected a reducer argument");
        EntryArg a;
        a.name = std::string(tok_.text.substr(1));
        Advance();
        RETURN_IF_ERROR(
            Expect(TokenKind::kColon, "':' after reducer argument"));
        RETURN_IF_ERROR(ParseType(&a.type));
        (k ? seconds : firsts).push_back(std::move(a));
      }
      RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' in reducer arguments"));
    }
    firsts.insert(firsts.end(), seconds.begin(), seconds.end());
    RETURN_IF_ERROR(ParseRegion(region.get(), &firsts));
  }
  st.regions.push_back(std::move(region));
  return absl::OkStatus();
}

absl::Status Parser::ParsePrettyWhile(OpState& st) {
  // (%iterArg = %init, ...) [attrs] : T1, T2 cond { ... } do { ... }
  RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'(' after stablehlo.while"));
  std::vector<EntryArg> args;
  if (!Is(TokenKind::kRParen)) {
    do {
      if (!Is(TokenKind::kValueId))
        return Error("expected a loop variable name");
      EntryArg a;
      a.name = std::string(tok_.text.substr(1));
      Advance();
      RETURN_IF_ERROR(Expect(TokenKind::kEqual, "'=' after loop variable"));
      if (!Is(TokenKind::kValueId)) return Error("expected an initial value");
      Value* v;
      RETURN_IF_ERROR(ResolveValue(tok_, &v));
      Advance();
      st.operands.push_back(v);
      args.push_back(std::move(a));
    } while (Consume(TokenKind::kComma));
  }
  RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' after loop variables"));
  if (Is(TokenKind::kLBrace)) RETURN_IF_ERROR(ParseAttrDict(&st.attrs));
  size_t sig_offset = tok_.offset;
  std::vector<Type> types;
  if (Consume(TokenKind::kColon)) RETURN_IF_ERROR(ParseTypeList(&types));
  RETURN_IF_ERROR(CheckOperandTypes(st, types, sig_offset));
  for (size_t i = 0; i < args.size(); ++i) args[i].type = types[i];
  st.result_types = types;
  st.has_result_types = true;
  if (Is(TokenKind::kLBrace)) RETURN_IF_ERROR(ParseAttrDict(&st.attrs));
  RETURN_IF_ERROR(ExpectKeyword("cond"));
  auto cond = std::make_unique<Region>();
  RETURN_IF_ERROR(ParseRegion(cond.get(), &args));
  RETURN_IF_ERROR(ExpectKeyword("do"));
  auto body = std::make_unique<Region>();
  RETURN_IF_ERROR(ParseRegion(body.get(), &args));
  st.regions.push_back(std::move(cond));
  st.regions.push_back(std::move(body));
  return absl::OkStatus();
}

absl::Status Parser::ParsePrettyScan(OpState& st) {
  // (%in, ...) inits(%init, ...) dimension=D [attributes {...}] { body }
  //   : (types) -> (types)
  int counts[2] = {0, 0};
  for (int group = 0; group < 2; ++group) {
    if (group == 1) RETURN_IF_ERROR(ExpectKeyword("inits"));
    RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'(' before scan operands"));
    if (!Is(TokenKind::kRParen)) {
      do {
        if (!Is(TokenKind::kValueId)) return Error("expected a scan operand");
        Value* v;
        RETURN_IF_ERROR(ResolveValue(tok_, &v));
        Advance();
        st.operands.push_back(v);
        ++counts[group];
      } while (Consume(TokenKind::kComma));
    }
    RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' after scan operands"));
  }
  RETURN_IF_ERROR(ExpectKeyword("dimension"));
  RETURN_IF_ERROR(Expect(TokenKind::kEqual, "'=' after dimension"));
  int64_t dimension;
  RETURN_IF_ERROR(ParseInt64(&dimension));
  st.attrs.Set("dimension", Attribute::Integer(dimension, ElementType::kS64));
  st.attrs.Set("operandSegmentSizes",
               Attribute::DenseArray(ElementType::kS32,
                                     {int64_t{counts[0]}, int64_t{counts[1]}}));
  if (ConsumeKeyword("attributes")) RETURN_IF_ERROR(ParseAttrDict(&st.attrs));
  auto body = std::make_unique<Region>();
  RETURN_IF_ERROR(ParseRegion(body.get(), nullptr));
  st.regions.push_back(std::move(body));
  if (!Is(TokenKind::kColon)) return Error("expected ':' and the scan type");
  RETURN_IF_ERROR(ParseSignature(st));
  const int64_t outputs =
      static_cast<int64_t>(st.result_types.size()) - counts[1];
  st.attrs.Set(
      "resultSegmentSizes",
      Attribute::DenseArray(ElementType::kS32, {outputs, int64_t{counts[1]}}));
  return absl::OkStatus();
}

// Maps a pretty keyword (`dims`, `dim`, `sizes`) to the op's attribute.
std::string PrettyKeyToAttr(OpCode code, absl::string_view key) {
  if (key == "dims") {
    switch (code) {
      case OpCode::kBroadcastInDim:
      case OpCode::kDynamicBroadcastInDim:
        return "broadcast_dimensions";
      case OpCode::kTranspose:
        return "permutation";
      default:
        return "dimensions";
    }
  }
  if (key == "dim") {
    switch (code) {
      case OpCode::kIota:
      case OpCode::kDynamicIota:
        return "iota_dimension";
      case OpCode::kTorchIndexSelect:
        return "dim";
      default:
        return "dimension";
    }
  }
  if (key == "sizes") {
    return code == OpCode::kBroadcast ? "broadcast_sizes" : "slice_sizes";
  }
  if (key == "low") return "edge_padding_low";
  if (key == "high") return "edge_padding_high";
  if (key == "interior") return "interior_padding";
  if (key == "length") return "fft_length";
  if (key == "config") return "einsum_config";
  return std::string(key);
}

absl::Status Parser::ParseKeywordAttribute(OpState& st) {
  std::string key(tok_.text);
  size_t key_offset = tok_.offset;
  Advance();
  RETURN_IF_ERROR(Expect(TokenKind::kEqual, "'='"));
  std::string attr = PrettyKeyToAttr(st.code, key);
  if (key == "dims" || key == "sizes" || key == "low" || key == "high" ||
      key == "interior" || key == "length") {
    std::vector<int64_t> v;
    RETURN_IF_ERROR(ParseIntList(&v));
    st.attrs.Set(attr, Attribute::DenseArray(ElementType::kS64, std::move(v)));
    return absl::OkStatus();
  }
  if (key == "dim") {
    int64_t v;
    RETURN_IF_ERROR(ParseInt64(&v));
    st.attrs.Set(attr, Attribute::Integer(v));
    return absl::OkStatus();
  }
  if (key == "contracting_dims" || key == "batching_dims") {
    std::vector<int64_t> lhs, rhs;
    RETURN_IF_ERROR(ParseIntList(&lhs));
    RETURN_IF_ERROR(ExpectKeyword("x"));
    RETURN_IF_ERROR(ParseIntList(&rhs));
    if (!st.dot_dims) st.dot_dims.emplace();
    if (key == "contracting_dims") {
      st.dot_dims->lhs_contracting_dimensions = std::move(lhs);
      st.dot_dims->rhs_contracting_dimensions = std::move(rhs);
    } else {
      st.dot_dims->lhs_batching_dimensions = std::move(lhs);
      st.dot_dims->rhs_batching_dimensions = std::move(rhs);
    }
    return absl::OkStatus();
  }
  if (key == "precision") {
    RETURN_IF_ERROR(Expect(TokenKind::kLSquare, "'[' after precision ="));
    std::vector<Attribute> values;
    if (!Is(TokenKind::kRSquare)) {
      do {
        std::optional<int> p;
        if (Is(TokenKind::kBareIdentifier)) {
          p = ir::EnumValueFromName(ir::EnumKind::kPrecision, tok_.text);
        }
        if (!p)
          return Error(absl::StrCat("invalid precision ", Describe(tok_)));
        values.push_back(Attribute::Enum(ir::EnumKind::kPrecision, *p));
        Advance();
      } while (Consume(TokenKind::kComma));
    }
    RETURN_IF_ERROR(Expect(TokenKind::kRSquare, "']' after precisions"));
    st.attrs.Set("precision_config", Attribute::Array(std::move(values)));
    return absl::OkStatus();
  }
  auto parse_enum = [&](ir::EnumKind kind, const std::string& name) {
    std::optional<int> v;
    if (Is(TokenKind::kBareIdentifier))
      v = ir::EnumValueFromName(kind, tok_.text);
    if (!v) {
      return Error(absl::StrCat("invalid ", ir::EnumKindName(kind), " ",
                                Describe(tok_)));
    }
    Advance();
    st.attrs.Set(name, Attribute::Enum(kind, *v));
    return absl::OkStatus();
  };
  if (key == "algorithm") {
    if (st.code == OpCode::kRngBitGenerator) {
      return parse_enum(ir::EnumKind::kRngAlgorithm, "rng_algorithm");
    }
    std::string text;
    lex_.set_position(tok_.offset);  // re-scan from the '<'
    RETURN_IF_ERROR(CaptureAngles(tok_.offset, &text));
    st.attrs.Set("algorithm", Attribute::Opaque(absl::StrCat(
                                  "#stablehlo.dot_algorithm", text)));
    return absl::OkStatus();
  }
  if (key == "type" && st.code == OpCode::kFft) {
    return parse_enum(ir::EnumKind::kFftType, "fft_type");
  }
  if (key == "distribution") {
    return parse_enum(ir::EnumKind::kRngDistribution, "rng_distribution");
  }
  if (key == "format") {
    int64_t e = 0, m = 0;
    absl::string_view f = Is(TokenKind::kBareIdentifier) ? tok_.text : "";
    size_t mpos = f.find('m');
    if (f.size() < 4 || f[0] != 'e' || mpos == absl::string_view::npos ||
        !absl::SimpleAtoi(f.substr(1, mpos - 1), &e) ||
        !absl::SimpleAtoi(f.substr(mpos + 1), &m)) {
      return Error(
          absl::StrCat("expected a format like e5m10, got ", Describe(tok_)));
    }
    Advance();
    st.attrs.Set("exponent_bits", Attribute::Integer(e, ElementType::kS32));
    st.attrs.Set("mantissa_bits", Attribute::Integer(m, ElementType::kS32));
    return absl::OkStatus();
  }
  if (key == "dim_numbers") {
    ir::ConvDimensionNumbers d;
    RETURN_IF_ERROR(ParseConvDims(&d));
    st.attrs.Set("dimension_numbers", Attribute::ConvDims(std::move(d)));
    return absl::OkStatus();
  }
  if (key == "window") {
    RETURN_IF_ERROR(Expect(TokenKind::kLBrace, "'{' after window ="));
    if (!Is(TokenKind::kRBrace)) {
      do {
        if (!Is(TokenKind::kBareIdentifier))
          return Error("expected a window field");
        std::string field(tok_.text);
        Advance();
        RETURN_IF_ERROR(Expect(TokenKind::kEqual, "'=' after window field"));
        if (field == "pad") {
          RETURN_IF_ERROR(Expect(TokenKind::kLSquare, "'[' after pad ="));
          std::vector<int64_t> flat;
          int64_t rows = 0;
          if (!Is(TokenKind::kRSquare)) {
            do {
              std::vector<int64_t> pair;
              RETURN_IF_ERROR(ParseIntList(&pair));
              if (pair.size() != 2)
                return Error("padding entries must be [low, high]");
              flat.insert(flat.end(), pair.begin(), pair.end());
              ++rows;
            } while (Consume(TokenKind::kComma));
          }
          RETURN_IF_ERROR(Expect(TokenKind::kRSquare, "']' after padding"));
          ir::Literal lit(TensorType(ElementType::kS64, {rows, 2}));
          std::copy(flat.begin(), flat.end(), lit.data<int64_t>().begin());
          st.attrs.Set("padding", Attribute::DenseElements(std::move(lit)));
        } else if (field == "reverse") {
          RETURN_IF_ERROR(Expect(TokenKind::kLSquare, "'[' after reverse ="));
          std::vector<int64_t> flags;
          if (!Is(TokenKind::kRSquare)) {
            do {
              if (IsKeyword("true") || IsKeyword("false")) {
                flags.push_back(IsKeyword("true"));
                Advance();
              } else {
                int64_t v;
                RETURN_IF_ERROR(ParseInt64(&v));
                flags.push_back(v != 0);
              }
            } while (Consume(TokenKind::kComma));
          }
          RETURN_IF_ERROR(Expect(TokenKind::kRSquare, "']'"));
          st.attrs.Set("window_reversal",
                       Attribute::DenseArray(ElementType::kPred, flags));
        } else {
          std::string name;
          if (field == "stride")
            name = "window_strides";
          else if (field == "lhs_dilate")
            name = "lhs_dilation";
          else if (field == "rhs_dilate")
            name = "rhs_dilation";
          else
            return Error(absl::StrCat("unknown window field '", field, "'"));
          std::vector<int64_t> v;
          RETURN_IF_ERROR(ParseIntList(&v));
          st.attrs.Set(name, Attribute::DenseArray(ElementType::kS64, v));
        }
      } while (Consume(TokenKind::kComma));
    }
    return Expect(TokenKind::kRBrace, "'}' after window");
  }
  (void)key_offset;
  Attribute value;
  RETURN_IF_ERROR(ParseAttribute(&value));
  st.attrs.Set(attr, std::move(value));
  return absl::OkStatus();
}

// One item of a pretty op between its name and its ':' signature.
absl::Status Parser::ParsePrettyItem(OpState& st, bool* consumed) {
  *consumed = true;
  switch (tok_.kind) {
    case TokenKind::kValueId: {
      Value* v;
      RETURN_IF_ERROR(ResolveValue(tok_, &v));
      st.operands.push_back(v);
      Advance();
      if (st.code == OpCode::kGetTupleElement && Consume(TokenKind::kLSquare)) {
        int64_t index;
        RETURN_IF_ERROR(ParseInt64(&index));
        RETURN_IF_ERROR(Expect(TokenKind::kRSquare, "']'"));
        st.attrs.Set("index", Attribute::Integer(index, ElementType::kS32));
      }
      return absl::OkStatus();
    }
    case TokenKind::kSymbol: {
      Attribute sym;
      RETURN_IF_ERROR(ParseAttribute(&sym));
      if (st.code == OpCode::kCustomCall) {
        st.attrs.Set("call_target_name", Attribute::String(sym.string_value()));
      } else if (st.code == OpCode::kFuncCall) {
        st.attrs.Set("callee", sym);
      } else {
        return Error("unexpected symbol reference");
      }
      return absl::OkStatus();
    }
    case TokenKind::kString:
      if (st.code == OpCode::kComposite || st.code == OpCode::kCustomCall) {
        st.attrs.Set(
            st.code == OpCode::kComposite ? "name" : "call_target_name",
            Attribute::String(UnescapeString(tok_.text)));
        Advance();
        return absl::OkStatus();
      }
      break;
    case TokenKind::kBareIdentifier: {
      if (PeekKind() == TokenKind::kEqual) return ParseKeywordAttribute(st);
      if (st.code == OpCode::kCompare) {
        bool first = !st.attrs.Has("comparison_direction");
        ir::EnumKind kind = first ? ir::EnumKind::kComparisonDirection
                                  : ir::EnumKind::kComparisonType;
        std::optional<int> v = ir::EnumValueFromName(kind, tok_.text);
        if (!v) {
          return Error(absl::StrCat("invalid ", ir::EnumKindName(kind), " ",
                                    Describe(tok_)));
        }
        st.attrs.Set(first ? "comparison_direction" : "compare_type",
                     Attribute::Enum(kind, *v));
        Advance();
        return absl::OkStatus();
      }
      if (IsKeyword("dense") || IsKeyword("dense_resource") ||
          IsKeyword("true") || IsKeyword("false")) {
        Attribute value;
        RETURN_IF_ERROR(ParseAttribute(&value));
        st.attrs.Set("value", std::move(value));
        return absl::OkStatus();
      }
      break;
    }
    case TokenKind::kInteger:
    case TokenKind::kFloat:
    case TokenKind::kMinus: {
      Attribute value;
      RETURN_IF_ERROR(ParseAttribute(&value));
      st.attrs.Set("value", std::move(value));
      return absl::OkStatus();
    }
    default:
      break;
  }
  *consumed = false;
  return absl::OkStatus();
}

absl::Status Parser::ParsePrettyOp(OpState& st) {
  if (st.code == OpCode::kReduce && Is(TokenKind::kLParen)) {
    return ParsePrettyReduce(st);
  }
  if (st.code == OpCode::kWhile && Is(TokenKind::kLParen)) {
    return ParsePrettyWhile(st);
  }
  if (st.code == OpCode::kChloScan && Is(TokenKind::kLParen)) {
    return ParsePrettyScan(st);
  }
  if (st.code == OpCode::kSdyShardingConstraint && Is(TokenKind::kValueId)) {
    return ParsePrettyShardingConstraint(st);
  }
  // Items are comma separated; a parenthesised group, an attribute
  // dictionary or (for composite) the name may be followed directly by the
  // next item.
  bool need_comma = false;
  int paren_depth = 0;
  while (true) {
    if (Is(TokenKind::kColon) && paren_depth == 0) {
      RETURN_IF_ERROR(ParseSignature(st));
      break;
    }
    if (Consume(TokenKind::kComma)) {
      need_comma = false;
      continue;
    }
    if (Is(TokenKind::kLBrace) && paren_depth == 0) {
      RETURN_IF_ERROR(ParseAttrDict(&st.attrs));
      need_comma = false;
      continue;
    }
    if (Is(TokenKind::kLSquare) && st.code == OpCode::kSlice) {
      Advance();
      std::vector<int64_t> starts, limits, strides;
      if (!Is(TokenKind::kRSquare)) {
        do {
          int64_t s, l, k = 1;
          RETURN_IF_ERROR(ParseInt64(&s));
          RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' in slice range"));
          RETURN_IF_ERROR(ParseInt64(&l));
          if (Consume(TokenKind::kColon)) RETURN_IF_ERROR(ParseInt64(&k));
          starts.push_back(s);
          limits.push_back(l);
          strides.push_back(k);
        } while (Consume(TokenKind::kComma));
      }
      RETURN_IF_ERROR(Expect(TokenKind::kRSquare, "']' after slice ranges"));
      st.attrs.Set("start_indices",
                   Attribute::DenseArray(ElementType::kS64, starts));
      st.attrs.Set("limit_indices",
                   Attribute::DenseArray(ElementType::kS64, limits));
      st.attrs.Set("strides",
                   Attribute::DenseArray(ElementType::kS64, strides));
      need_comma = true;
      continue;
    }
    if (Is(TokenKind::kLParen) && paren_depth == 0) {
      Advance();
      paren_depth = 1;
      need_comma = false;
      continue;
    }
    if (Is(TokenKind::kRParen) && paren_depth == 1) {
      Advance();
      paren_depth = 0;
      need_comma = false;
      continue;
    }
    if (need_comma) break;
    bool consumed;
    RETURN_IF_ERROR(ParsePrettyItem(st, &consumed));
    if (!consumed) break;
    need_comma = !(st.code == OpCode::kComposite && Is(TokenKind::kValueId) &&
                   st.operands.empty());
  }
  if (paren_depth != 0) return Error("expected ')'");
  if (st.dot_dims) {
    st.attrs.Set("dot_dimension_numbers", Attribute::DotDims(*st.dot_dims));
  }
  if (!st.has_result_types) {
    const Attribute* value = st.attrs.Get("value");
    if (st.num_bound_results == 1 && value &&
        value->kind() == Attribute::Kind::kDenseElements) {
      st.result_types = {Type::Tensor(value->literal().type())};
    } else if (st.num_bound_results != 0) {
      return Error(
          absl::StrCat("expected ':' and the op's type, got ", Describe(tok_)));
    }
  }
  return absl::OkStatus();
}

// %x <@mesh, [{"a"}, {?}]> [attrs] : type — the sharding is kept as the
// text of its #sdy.sharding<...> attribute.
absl::Status Parser::ParsePrettyShardingConstraint(OpState& st) {
  Value* v;
  RETURN_IF_ERROR(ResolveValue(tok_, &v));
  st.operands.push_back(v);
  // tok_ is the operand; the lexer stands before '<'.
  lex_.SkipWhitespaceAndComments();
  const size_t start = lex_.position();
  std::string text;
  RETURN_IF_ERROR(CaptureAngles(start, &text));
  st.attrs.Set("sharding",
               Attribute::Opaque(absl::StrCat("#sdy.sharding", text)));
  if (Is(TokenKind::kLBrace)) RETURN_IF_ERROR(ParseAttrDict(&st.attrs));
  if (!Is(TokenKind::kColon)) {
    return Error("expected ':' and the sharding constraint's type");
  }
  Advance();
  Type type;
  RETURN_IF_ERROR(ParseType(&type));
  if (type != v->type()) {
    return Error(absl::StrCat("sharding_constraint of a ", v->type().ToString(),
                              " typed ", type.ToString()));
  }
  st.result_types = {type};
  st.has_result_types = true;
  return absl::OkStatus();
}

// sdy.mesh @name = <...>: kept as text for compiler/sharding to read.
absl::Status Parser::ParseMesh(ir::Module* module) {
  Advance();  // sdy.mesh
  if (!Is(TokenKind::kSymbol)) return Error("expected the mesh's @name");
  std::string name = SymbolTokenName(tok_.text);
  Advance();
  if (!Is(TokenKind::kEqual)) return Error("expected '=' after the mesh name");
  lex_.SkipWhitespaceAndComments();
  const size_t start = lex_.position();
  std::string text;
  RETURN_IF_ERROR(CaptureAngles(start, &text));
  for (const auto& [existing, unused] : module->meshes()) {
    if (existing == name) {
      return ErrorAt(start, absl::StrCat("mesh @", name, " is defined twice"));
    }
  }
  module->meshes().emplace_back(std::move(name), std::move(text));
  return absl::OkStatus();
}

absl::Status Parser::ParseTopLevel(ir::Module* module) {
  bool seen_module = false;
  bool seen_function = false;
  while (!Is(TokenKind::kEof)) {
    if (Is(TokenKind::kError)) return Error("invalid token");
    if (Is(TokenKind::kHashIdentifier)) {  // #loc3 = loc(...)
      std::string name(tok_.text);
      Advance();
      RETURN_IF_ERROR(Expect(TokenKind::kEqual, "'=' after alias name"));
      if (!IsKeyword("loc"))
        return Error("only location aliases are supported");
      std::string text;
      RETURN_IF_ERROR(ParseOptionalLocation(&text));
      module->location_aliases().emplace_back(name, text);
      continue;
    }
    if (Is(TokenKind::kFileMetadataBegin)) {
      return Error("file metadata must be the last item in the file");
    }
    if (IsKeyword("module")) {
      if (seen_module || seen_function) {
        return Error(
            "only one module per input is supported; split the file "
            "at '// -----' lines");
      }
      seen_module = true;
      context_ = "module";
      Advance();
      if (Is(TokenKind::kSymbol)) {
        std::string name = SymbolTokenName(tok_.text);
        module->set_name(std::move(name));
        Advance();
      }
      if (ConsumeKeyword("attributes")) {
        RETURN_IF_ERROR(ParseAttrDict(&module->attributes()));
      }
      RETURN_IF_ERROR(Expect(TokenKind::kLBrace, "'{' to open the module"));
      while (!Is(TokenKind::kRBrace)) {
        if (IsKeyword("func.func")) {
          RETURN_IF_ERROR(ParseFunction(module));
        } else if (IsKeyword("sdy.mesh")) {
          RETURN_IF_ERROR(ParseMesh(module));
        } else {
          return Error(
              absl::StrCat("expected func.func or '}', got ", Describe(tok_)));
        }
      }
      Advance();
      RETURN_IF_ERROR(ParseOptionalLocation(nullptr));
      continue;
    }
    if (IsKeyword("func.func")) {
      if (seen_module) return Error("func.func outside the module");
      seen_function = true;
      RETURN_IF_ERROR(ParseFunction(module));
      continue;
    }
    return Error(
        absl::StrCat("expected module or func.func, got ", Describe(tok_)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ir::Module>> Parser::Run() {
  // File metadata (dense resource blobs) comes last but is needed first.
  absl::string_view text = lex_.text();
  size_t meta = text.rfind("{-#");
  size_t main_end = text.size();
  if (meta != absl::string_view::npos) {
    size_t saved = lex_.position();
    lex_.set_position(meta);
    Advance();
    RETURN_IF_ERROR(ParseFileMetadata());
    if (!Is(TokenKind::kEof))
      return Error("unexpected text after file metadata");
    main_end = meta;
    lex_ = Lexer(text.substr(0, main_end));
    (void)saved;
    Advance();
  }
  auto module = std::make_unique<ir::Module>();
  RETURN_IF_ERROR(ParseTopLevel(module.get()));
  module->set_elided_resources_filled(filled_elided_);
  return module;
}

}  // namespace

absl::Status DefaultElidedFiller(int64_t ordinal, ir::Literal* literal) {
  // SplitMix64: cheap, deterministic and good enough for synthetic weights.
  uint64_t state = 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(ordinal + 1);
  auto next = [&state]() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  auto uniform = [&]() {  // [-1, 1)
    return static_cast<double>(next() >> 11) * (2.0 / 9007199254740992.0) - 1.0;
  };
  ElementType t = literal->element_type();
  int64_t n = literal->element_count();
  uint8_t* data = literal->untyped_data();
  int size = ir::ElementByteSize(t);
  if (t == ElementType::kF32) {  // The common case (model weights): fast path.
    float* out = literal->data<float>().data();
    for (int64_t i = 0; i < n; ++i) {
      // 24 random mantissa bits scaled to [-1, 1).
      out[i] =
          static_cast<float>(static_cast<int32_t>(next() >> 40) - (1 << 23)) *
          (1.0f / (1 << 23));
    }
    return absl::OkStatus();
  }
  DenseElements one;
  one.elements.resize(1);
  for (int64_t i = 0; i < n; ++i) {
    if (ir::IsFloat(t) || ir::IsComplex(t)) {
      int parts = ir::IsComplex(t) ? 2 : 1;
      ElementType part = ir::IsComplex(t) ? ir::ComplexComponentType(t) : t;
      int part_size = ir::ElementByteSize(part);
      for (int p = 0; p < parts; ++p) {
        double v = uniform();
        uint8_t* dst = data + i * size + p * part_size;
        switch (part) {
          case ElementType::kF64:
            std::memcpy(dst, &v, 8);
            break;
          case ElementType::kF32: {
            float f = static_cast<float>(v);
            std::memcpy(dst, &f, 4);
            break;
          }
          case ElementType::kF16: {
            uint16_t h = ir::DoubleToHalf(v);
            std::memcpy(dst, &h, 2);
            break;
          }
          case ElementType::kBF16: {
            uint16_t h = ir::DoubleToBF16(v);
            std::memcpy(dst, &h, 2);
            break;
          }
          default:
            if (const ir::ByteFloatFormat* f = ir::ByteFloatFormatOf(t)) {
              *dst = ir::DoubleToByteFloat(*f, v);
            }
            break;
        }
      }
    } else {
      uint64_t v = next() % (ir::IsPred(t) ? 2 : 4);
      std::memcpy(data + i * size, &v, size);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ir::Module>> ParseModule(
    absl::string_view text, const ParseOptions& options) {
  Parser parser(text, options);
  return parser.Run();
}

}  // namespace backplane::parser
