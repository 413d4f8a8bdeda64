#include "compiler/parser/lexer.h"

#include <algorithm>
#include <cctype>

namespace backplane::parser {
namespace {

bool IsIdStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         c == '.';
}
// Characters allowed after '%', '@', '^', '#', '!' (MLIR suffix-id plus
// dots, which dialect names use).
bool IsSuffixChar(char c) { return IsIdChar(c) || c == '-'; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Lexer::Lexer(absl::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::pair<int, int> Lexer::LineColumn(size_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t line = static_cast<size_t>(it - line_starts_.begin());  // 1-based
  size_t start = line_starts_[line - 1];
  return {static_cast<int>(line), static_cast<int>(offset - start + 1)};
}

void Lexer::SkipWhitespaceAndComments() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
    } else if (c == '/' && PeekChar(1) == '/') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else {
      break;
    }
  }
}

Token Lexer::Next() {
  SkipWhitespaceAndComments();
  size_t start = pos_;
  if (pos_ >= text_.size()) return Token{TokenKind::kEof, "", pos_};
  char c = text_[pos_++];
  switch (c) {
    case '(':
      return Make(TokenKind::kLParen, start);
    case ')':
      return Make(TokenKind::kRParen, start);
    case '[':
      return Make(TokenKind::kLSquare, start);
    case ']':
      return Make(TokenKind::kRSquare, start);
    case '{':
      if (PeekChar() == '-' && PeekChar(1) == '#') {
        pos_ += 2;
        return Make(TokenKind::kFileMetadataBegin, start);
      }
      return Make(TokenKind::kLBrace, start);
    case '}':
      return Make(TokenKind::kRBrace, start);
    case '<':
      return Make(TokenKind::kLess, start);
    case '>':
      return Make(TokenKind::kGreater, start);
    case ',':
      return Make(TokenKind::kComma, start);
    case ':':
      if (PeekChar() == ':') {
        ++pos_;
        return Make(TokenKind::kDoubleColon, start);
      }
      return Make(TokenKind::kColon, start);
    case '=':
      return Make(TokenKind::kEqual, start);
    case '?':
      return Make(TokenKind::kQuestion, start);
    case '*':
      return Make(TokenKind::kStar, start);
    case '+':
      return Make(TokenKind::kPlus, start);
    case '-':
      if (PeekChar() == '>') {
        ++pos_;
        return Make(TokenKind::kArrow, start);
      }
      return Make(TokenKind::kMinus, start);
    case '"':
      return LexString(start);
    case '%':
      return LexPrefixed(start, TokenKind::kValueId);
    case '@':
      if (PeekChar() == '"') {
        ++pos_;
        Token s = LexString(pos_ - 1);
        if (s.kind == TokenKind::kError) return s;
        return Make(TokenKind::kSymbol, start);
      }
      return LexPrefixed(start, TokenKind::kSymbol);
    case '^':
      return LexPrefixed(start, TokenKind::kBlockId);
    case '!':
      return LexPrefixed(start, TokenKind::kBangIdentifier);
    case '#':
      if (PeekChar() == '-' && PeekChar(1) == '}') {
        pos_ += 2;
        return Make(TokenKind::kFileMetadataEnd, start);
      }
      return LexPrefixed(start, TokenKind::kHashIdentifier);
    default:
      break;
  }
  if (std::isdigit(static_cast<unsigned char>(c))) return LexNumber(start);
  if (IsIdStart(c)) {
    while (pos_ < text_.size() && IsIdChar(text_[pos_])) ++pos_;
    return Make(TokenKind::kBareIdentifier, start);
  }
  return Error(start, "unexpected character");
}

Token Lexer::LexPrefixed(size_t start, TokenKind kind) {
  size_t body = pos_;
  while (pos_ < text_.size() && IsSuffixChar(text_[pos_])) ++pos_;
  if (pos_ == body) return Error(start, "expected a name after the sigil");
  // A result-number suffix: %0#1.
  if (kind == TokenKind::kValueId && PeekChar() == '#' &&
      std::isdigit(static_cast<unsigned char>(PeekChar(1)))) {
    ++pos_;
    while (pos_ < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }
  return Make(kind, start);
}

Token Lexer::LexNumber(size_t start) {
  if (text_[start] == '0' && (PeekChar() == 'x' || PeekChar() == 'X') &&
      HexValue(PeekChar(1)) >= 0) {
    ++pos_;
    while (pos_ < text_.size() && HexValue(text_[pos_]) >= 0) ++pos_;
    return Make(TokenKind::kInteger, start);
  }
  while (pos_ < text_.size() &&
         std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
    ++pos_;
  }
  bool is_float = false;
  if (PeekChar() == '.') {
    is_float = true;
    ++pos_;
    while (pos_ < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }
  if (PeekChar() == 'e' || PeekChar() == 'E') {
    size_t ahead = 1;
    if (PeekChar(1) == '+' || PeekChar(1) == '-') ahead = 2;
    if (std::isdigit(static_cast<unsigned char>(PeekChar(ahead)))) {
      is_float = true;
      pos_ += ahead;
      while (pos_ < text_.size() &&
             std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        ++pos_;
      }
    }
  }
  return Make(is_float ? TokenKind::kFloat : TokenKind::kInteger, start);
}

Token Lexer::LexString(size_t start) {
  while (pos_ < text_.size()) {
    char c = text_[pos_++];
    if (c == '"') return Make(TokenKind::kString, start);
    if (c == '\\') {
      if (pos_ >= text_.size()) break;
      ++pos_;
    } else if (c == '\n') {
      return Error(start, "unterminated string (newline in string)");
    }
  }
  return Error(start, "unterminated string");
}

std::string SymbolTokenName(absl::string_view token_text) {
  absl::string_view name = token_text.substr(1);
  return !name.empty() && name[0] == '"' ? UnescapeString(name)
                                         : std::string(name);
}

std::string UnescapeString(absl::string_view t) {
  if (t.size() >= 2 && t.front() == '"') t = t.substr(1, t.size() - 2);
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '\\' || i + 1 >= t.size()) {
      out += t[i];
      continue;
    }
    char n = t[++i];
    if (n == 'n') {
      out += '\n';
    } else if (n == 't') {
      out += '\t';
    } else if (n == '"' || n == '\\') {
      out += n;
    } else if (i + 1 < t.size() && HexValue(n) >= 0 &&
               HexValue(t[i + 1]) >= 0) {
      out += static_cast<char>(HexValue(n) * 16 + HexValue(t[i + 1]));
      ++i;
    } else {
      out += n;
    }
  }
  return out;
}

}  // namespace backplane::parser
