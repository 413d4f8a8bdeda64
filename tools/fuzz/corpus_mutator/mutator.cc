#include "tools/fuzz/corpus_mutator/mutator.h"

#include <cmath>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "compiler/ir/op_table.h"

namespace backplane::fuzz {
namespace {

using parser::TokenKind;

size_t Pick(std::mt19937_64& rng, size_t n) {
  return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}

template <typename T>
const T& PickFrom(std::mt19937_64& rng, const std::vector<T>& items) {
  return items[Pick(rng, items.size())];
}

std::string Clip(absl::string_view s) {
  std::string out(s.substr(0, 40));
  if (s.size() > 40) out += "...";
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

std::string Where(absl::string_view text, size_t offset) {
  parser::Lexer lexer(text);
  const auto [line, column] = lexer.LineColumn(offset);
  return absl::StrCat(line, ":", column);
}

// Replaces [offset, offset + size) of `text` and describes the change.
std::string Replace(MutationKind kind, std::string& text, size_t offset,
                    size_t size, absl::string_view replacement) {
  std::string description =
      absl::StrCat(MutationKindName(kind), " ", Where(text, offset), " '",
                   Clip(absl::string_view(text).substr(offset, size)), "'->'",
                   Clip(replacement), "'");
  text.replace(offset, size, replacement.data(), replacement.size());
  return description;
}

absl::string_view TokenText(absl::string_view text, const TextToken& t) {
  return text.substr(t.offset, t.size);
}

std::vector<size_t> TokensOf(const std::vector<TextToken>& tokens,
                             std::initializer_list<TokenKind> kinds) {
  std::vector<size_t> out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    for (TokenKind k : kinds) {
      if (tokens[i].kind == k) out.push_back(i);
    }
  }
  return out;
}

bool IsOpName(absl::string_view name) {
  for (const std::string& op : OpNames()) {
    if (op == name) return true;
  }
  return false;
}

std::optional<std::string> RenameOp(std::string& text, std::mt19937_64& rng) {
  const std::vector<TextToken> tokens = Tokenize(text);
  std::vector<size_t> ops;
  for (size_t i :
       TokensOf(tokens, {TokenKind::kBareIdentifier, TokenKind::kString})) {
    absl::string_view name = TokenText(text, tokens[i]);
    if (tokens[i].kind == TokenKind::kString && name.size() >= 2) {
      name = name.substr(1, name.size() - 2);
    }
    if (IsOpName(name)) ops.push_back(i);
  }
  if (ops.empty()) return std::nullopt;
  const TextToken& t = tokens[PickFrom(rng, ops)];
  std::string name = PickFrom(rng, OpNames());
  if (t.kind == TokenKind::kString) name = absl::StrCat("\"", name, "\"");
  return Replace(MutationKind::kOpRename, text, t.offset, t.size, name);
}

std::optional<std::string> DeleteOrDuplicateToken(MutationKind kind,
                                                  std::string& text,
                                                  std::mt19937_64& rng) {
  const std::vector<TextToken> tokens = Tokenize(text);
  if (tokens.empty()) return std::nullopt;
  const TextToken& t = PickFrom(rng, tokens);
  const std::string old(TokenText(text, t));
  if (kind == MutationKind::kDeleteToken) {
    return Replace(kind, text, t.offset, t.size, "");
  }
  return Replace(kind, text, t.offset, t.size, absl::StrCat(old, " ", old));
}

std::optional<std::string> DuplicateLine(std::string& text,
                                         std::mt19937_64& rng) {
  std::vector<std::pair<size_t, size_t>> lines;  // [start, end) with '\n'.
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    absl::string_view line = absl::StripAsciiWhitespace(
        absl::string_view(text).substr(start, end - start));
    if (!line.empty() && line != "// -----") lines.emplace_back(start, end);
    start = end;
  }
  if (lines.empty()) return std::nullopt;
  const auto [begin, end] = PickFrom(rng, lines);
  std::string line = text.substr(begin, end - begin);
  if (line.back() != '\n') line += '\n';
  return Replace(MutationKind::kDuplicateLine, text, begin, end - begin,
                 absl::StrCat(line, line));
}

std::optional<std::string> SwapValues(std::string& text, std::mt19937_64& rng) {
  const std::vector<TextToken> tokens = Tokenize(text);
  const std::vector<size_t> values = TokensOf(tokens, {TokenKind::kValueId});
  if (values.size() < 2) return std::nullopt;
  for (int attempt = 0; attempt < 20; ++attempt) {
    size_t a = PickFrom(rng, values);
    size_t b = PickFrom(rng, values);
    if (a > b) std::swap(a, b);
    const std::string ta(TokenText(text, tokens[a]));
    const std::string tb(TokenText(text, tokens[b]));
    if (ta == tb) continue;
    // The later one first, so that the earlier offset stays valid.
    text.replace(tokens[b].offset, tokens[b].size, ta);
    text.replace(tokens[a].offset, tokens[a].size, tb);
    return absl::StrCat(MutationKindName(MutationKind::kSwapValues), " ",
                        Where(text, tokens[a].offset), " '", ta, "'<->'", tb,
                        "'");
  }
  return std::nullopt;
}

// The end (one past '>') of the type whose '<' is at `open`, or npos.
size_t MatchingAngle(absl::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '<') ++depth;
    if (text[i] == '>' && (i == 0 || text[i - 1] != '-') && --depth == 0) {
      return i + 1;
    }
    if (text[i] == '\n') return absl::string_view::npos;
  }
  return absl::string_view::npos;
}

std::vector<std::string> SplitShape(absl::string_view body) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : body) {
    if (c == '<') ++depth;
    if (c == '>') --depth;
    if (c == 'x' && depth == 0 && !current.empty() &&
        (std::isdigit(static_cast<unsigned char>(current.back())) ||
         current == "?")) {
      parts.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  parts.push_back(current);
  return parts;
}

std::optional<std::string> ChangeType(std::string& text, std::mt19937_64& rng) {
  std::vector<size_t> opens;
  for (size_t p = text.find("tensor<"); p != std::string::npos;
       p = text.find("tensor<", p + 1)) {
    opens.push_back(p + 6);
  }
  if (opens.empty()) return std::nullopt;
  const size_t open = PickFrom(rng, opens);
  const size_t end = MatchingAngle(text, open);
  if (end == std::string::npos) return std::nullopt;
  std::vector<std::string> parts =
      SplitShape(absl::string_view(text).substr(open + 1, end - open - 2));
  static const std::vector<std::string> kElements = {
      "f32",  "f64", "i64", "i32",          "i1", "f16",
      "bf16", "ui8", "i4",  "complex<f32>", "i8", "f8E4M3FN"};
  static const std::vector<std::string> kDims = {
      "0", "1", "2", "3", "7", "65536", "2147483647", "4611686018427387904"};
  const size_t rank = parts.size() - 1;
  switch (Pick(rng, 5)) {
    case 0:
      parts.back() = PickFrom(rng, kElements);
      break;
    case 1:
      if (rank < 2) return std::nullopt;
      std::reverse(parts.begin(), parts.end() - 1);
      break;
    case 2:
      if (rank == 0) return std::nullopt;
      parts.erase(parts.begin() + Pick(rng, rank));
      break;
    case 3:
      parts.insert(parts.begin() + Pick(rng, rank + 1), PickFrom(rng, kDims));
      break;
    default:
      if (rank == 0) return std::nullopt;
      parts[Pick(rng, rank)] = PickFrom(rng, kDims);
      break;
  }
  return Replace(MutationKind::kChangeType, text, open, end - open,
                 absl::StrCat("<", absl::StrJoin(parts, "x"), ">"));
}

// The index of the token closing the bracket opened at tokens[i], or npos.
size_t MatchingToken(const std::vector<TextToken>& tokens, size_t i,
                     TokenKind open, TokenKind close) {
  int depth = 0;
  for (size_t j = i; j < tokens.size(); ++j) {
    if (tokens[j].kind == open) ++depth;
    if (tokens[j].kind == close && --depth == 0) return j;
  }
  return std::string::npos;
}

std::optional<std::string> NumberAt(MutationKind kind, std::string& text,
                                    const std::vector<TextToken>& tokens,
                                    size_t i, std::mt19937_64& rng);

std::optional<std::string> ChangeAttribute(std::string& text,
                                           std::mt19937_64& rng) {
  const std::vector<TextToken> tokens = Tokenize(text);
  const std::vector<size_t> equals = TokensOf(tokens, {TokenKind::kEqual});
  static const std::vector<std::string> kLists = {
      "[]", "[0]", "[1, 0]", "[0, 0]", "[-1]", "[2147483647]", "[0, 1, 2, 3]"};
  static const std::vector<std::string> kKeywords = {
      "EQ",      "NE",       "LT",    "LE",         "GT",   "GE",
      "SIGNED",  "UNSIGNED", "FLOAT", "TOTALORDER", "true", "false",
      "DEFAULT", "HIGHEST",  "FFT",   "IFFT"};
  static const std::vector<std::string> kArrays = {
      "-1", "0, 0", "9223372036854775807", "1, 0, 2", "0"};
  for (int attempt = 0; attempt < 8 && !equals.empty(); ++attempt) {
    const size_t i = PickFrom(rng, equals) + 1;
    if (i >= tokens.size()) continue;
    const TextToken& t = tokens[i];
    const absl::string_view value = TokenText(text, t);
    if (t.kind == TokenKind::kLSquare) {
      const size_t close =
          MatchingToken(tokens, i, TokenKind::kLSquare, TokenKind::kRSquare);
      if (close == std::string::npos) continue;
      return Replace(MutationKind::kAttribute, text, t.offset,
                     tokens[close].offset + 1 - t.offset,
                     PickFrom(rng, kLists));
    }
    if (t.kind == TokenKind::kInteger || t.kind == TokenKind::kFloat ||
        t.kind == TokenKind::kMinus) {
      return NumberAt(MutationKind::kAttribute, text, tokens, i, rng);
    }
    if (t.kind == TokenKind::kBareIdentifier && value == "array") {
      size_t colon = i;
      while (colon < tokens.size() && tokens[colon].kind != TokenKind::kColon &&
             tokens[colon].kind != TokenKind::kGreater) {
        ++colon;
      }
      size_t close = colon;
      while (close < tokens.size() && tokens[close].kind != TokenKind::kGreater)
        ++close;
      if (close >= tokens.size() || tokens[colon].kind != TokenKind::kColon)
        continue;
      const size_t from = tokens[colon].offset + 1;
      return Replace(MutationKind::kAttribute, text, from,
                     tokens[close].offset - from,
                     absl::StrCat(" ", PickFrom(rng, kArrays)));
    }
    if (t.kind == TokenKind::kBareIdentifier && value != "dense") {
      return Replace(MutationKind::kAttribute, text, t.offset, t.size,
                     PickFrom(rng, kKeywords));
    }
    if (t.kind == TokenKind::kHashIdentifier && i + 1 < tokens.size() &&
        tokens[i + 1].kind == TokenKind::kLess) {
      const size_t close =
          MatchingToken(tokens, i + 1, TokenKind::kLess, TokenKind::kGreater);
      if (close == std::string::npos ||
          tokens[close - 1].kind != TokenKind::kBareIdentifier) {
        continue;
      }
      const TextToken& keyword = tokens[close - 1];
      return Replace(MutationKind::kAttribute, text, keyword.offset,
                     keyword.size, PickFrom(rng, kKeywords));
    }
  }
  return std::nullopt;
}

// A float's text that lexes as a float token.
std::string FloatText(double v) {
  std::string s = absl::StrFormat("%.17g", v);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::optional<std::string> NumberAt(MutationKind kind, std::string& text,
                                    const std::vector<TextToken>& tokens,
                                    size_t i, std::mt19937_64& rng) {
  size_t offset = tokens[i].offset;
  if (tokens[i].kind == TokenKind::kMinus) {
    if (i + 1 >= tokens.size() ||
        tokens[i + 1].offset != tokens[i].offset + 1 ||
        (tokens[i + 1].kind != TokenKind::kInteger &&
         tokens[i + 1].kind != TokenKind::kFloat)) {
      return std::nullopt;
    }
    ++i;
  } else if (i > 0 && tokens[i - 1].kind == TokenKind::kMinus &&
             tokens[i - 1].offset + 1 == offset) {
    offset = tokens[i - 1].offset;
  }
  const TextToken& t = tokens[i];
  const size_t size = t.offset + t.size - offset;
  const std::string old = text.substr(offset, size);
  const bool is_float = t.kind == TokenKind::kFloat;
  std::string replacement;
  if (kind == MutationKind::kOffByOne) {
    const int delta = Pick(rng, 2) == 0 ? 1 : -1;
    int64_t iv;
    double dv;
    if (!is_float && absl::SimpleAtoi(old, &iv)) {
      if ((delta > 0 && iv == std::numeric_limits<int64_t>::max()) ||
          (delta < 0 && iv == std::numeric_limits<int64_t>::min())) {
        iv -= delta;
      } else {
        iv += delta;
      }
      replacement = absl::StrCat(iv);
    } else if (is_float && absl::SimpleAtod(old, &dv) && std::isfinite(dv)) {
      replacement = FloatText(dv + delta);
    } else {
      return std::nullopt;
    }
  } else {
    // Mostly values of the literal's own kind, sometimes the other kind.
    const bool use_float = Pick(rng, 8) == 0 ? !is_float : is_float;
    replacement = PickFrom(
        rng, use_float ? FloatBoundaryValues() : IntegerBoundaryValues());
  }
  return Replace(kind, text, offset, size, replacement);
}

std::optional<std::string> ChangeNumber(MutationKind kind, std::string& text,
                                        std::mt19937_64& rng) {
  const std::vector<TextToken> tokens = Tokenize(text);
  const std::vector<size_t> numbers =
      TokensOf(tokens, {TokenKind::kInteger, TokenKind::kFloat});
  if (numbers.empty()) return std::nullopt;
  for (int attempt = 0; attempt < 4; ++attempt) {
    std::optional<std::string> d =
        NumberAt(kind, text, tokens, PickFrom(rng, numbers), rng);
    if (d.has_value()) return d;
  }
  return std::nullopt;
}

}  // namespace

const char* MutationKindName(MutationKind kind) {
  switch (kind) {
    case MutationKind::kOpRename:
      return "op_rename";
    case MutationKind::kDeleteToken:
      return "delete_token";
    case MutationKind::kDuplicateToken:
      return "duplicate_token";
    case MutationKind::kDuplicateLine:
      return "duplicate_line";
    case MutationKind::kSwapValues:
      return "swap_values";
    case MutationKind::kChangeType:
      return "change_type";
    case MutationKind::kAttribute:
      return "attribute";
    case MutationKind::kNumber:
      return "number";
    case MutationKind::kOffByOne:
      return "off_by_one";
  }
  return "unknown";
}

std::vector<TextToken> Tokenize(absl::string_view text) {
  std::vector<TextToken> tokens;
  parser::Lexer lexer(text);
  for (;;) {
    const parser::Token t = lexer.Next();
    if (t.kind == TokenKind::kEof || t.kind == TokenKind::kError) break;
    tokens.push_back(TextToken{t.kind, t.offset, t.text.size()});
  }
  return tokens;
}

const std::vector<std::string>& OpNames() {
#define BACKPLANE_FUZZ_OP_NAME(e, name, operands, results, elementwise, \
                               kernel, categories, effect, family)      \
  name,
  static const std::vector<std::string>* names = new std::vector<std::string>{
      BACKPLANE_STABLEHLO_OP_TABLE(BACKPLANE_FUZZ_OP_NAME)
          BACKPLANE_CHLO_OP_TABLE(BACKPLANE_FUZZ_OP_NAME)};
#undef BACKPLANE_FUZZ_OP_NAME
  return *names;
}

const std::vector<std::string>& IntegerBoundaryValues() {
  static const std::vector<std::string>* values =
      new std::vector<std::string>{"0",
                                   "1",
                                   "-1",
                                   "2",
                                   "127",
                                   "255",
                                   "2147483647",
                                   "-2147483648",
                                   "4294967295",
                                   "4611686018427387904",
                                   "9223372036854775807",
                                   "-9223372036854775808",
                                   "1000000000000"};
  return *values;
}

const std::vector<std::string>& FloatBoundaryValues() {
  static const std::vector<std::string>* values =
      new std::vector<std::string>{"0.0",
                                   "-0.0",
                                   "1.0",
                                   "-1.0",
                                   "1.0e+38",
                                   "3.4028235e+38",
                                   "-3.4028235e+38",
                                   "1.0e+308",
                                   "1.0e-45",
                                   "1.17549435e-38",
                                   "4.9e-324",
                                   "65504.0",
                                   "0x7FC00000",           // f32 nan
                                   "0x7F800000",           // f32 inf
                                   "0xFF800000",           // f32 -inf
                                   "0x7FF8000000000000",   // f64 nan
                                   "0xFFF0000000000000"};  // f64 -inf
  return *values;
}

std::optional<std::string> ApplyMutation(MutationKind kind, std::string& text,
                                         std::mt19937_64& rng) {
  switch (kind) {
    case MutationKind::kOpRename:
      return RenameOp(text, rng);
    case MutationKind::kDeleteToken:
    case MutationKind::kDuplicateToken:
      return DeleteOrDuplicateToken(kind, text, rng);
    case MutationKind::kDuplicateLine:
      return DuplicateLine(text, rng);
    case MutationKind::kSwapValues:
      return SwapValues(text, rng);
    case MutationKind::kChangeType:
      return ChangeType(text, rng);
    case MutationKind::kAttribute:
      return ChangeAttribute(text, rng);
    case MutationKind::kNumber:
    case MutationKind::kOffByOne:
      return ChangeNumber(kind, text, rng);
  }
  return std::nullopt;
}

Mutant Mutate(absl::string_view text, std::mt19937_64& rng) {
  Mutant mutant{std::string(text), ""};
  std::vector<std::string> descriptions;
  const size_t count = 1 + Pick(rng, 3);
  for (size_t m = 0; m < count; ++m) {
    for (int attempt = 0; attempt < 10; ++attempt) {
      const auto kind = static_cast<MutationKind>(Pick(rng, kNumMutationKinds));
      std::optional<std::string> d = ApplyMutation(kind, mutant.text, rng);
      if (d.has_value()) {
        descriptions.push_back(*std::move(d));
        break;
      }
    }
  }
  mutant.description = absl::StrJoin(descriptions, "; ");
  return mutant;
}

}  // namespace backplane::fuzz
