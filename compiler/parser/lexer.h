// Lexer for MLIR textual IR as the StableHLO tool chain writes it.
//
//   Lexer lexer(text);
//   for (Token t = lexer.Next(); t.kind != TokenKind::kEof; t = lexer.Next())
//     ...;
//   lexer.LineColumn(t.offset);  // 1-based (line, column) for messages
//
// The lexer never fails: malformed input yields a kError token whose text
// says what is wrong, and the parser reports it with its location. It also
// exposes character-level access (Peek/Advance/SkipWhitespace) for the few
// places where MLIR's grammar is not token-based (`2x3xf32` in shapes).
#ifndef BACKPLANE_COMPILER_PARSER_LEXER_H_
#define BACKPLANE_COMPILER_PARSER_LEXER_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace backplane::parser {

enum class TokenKind {
  kEof,
  kError,
  kBareIdentifier,  // func.func, tensor, stablehlo.add, x, NE, true
  kValueId,         // %name, %0, %0#1 (text includes '%')
  kSymbol,          // @name or @"quoted" (text includes '@')
  kBlockId,         // ^bb0
  kHashIdentifier,  // #loc3, #stablehlo.gather (text includes '#')
  kBangIdentifier,  // !stablehlo.token
  kInteger,         // 42, 0x7FC00000
  kFloat,           // 1.5, 2e10, 1.0E-5
  kString,          // "..." (text includes the quotes, escapes unprocessed)
  kLParen,
  kRParen,
  kLSquare,
  kRSquare,
  kLBrace,
  kRBrace,
  kLess,
  kGreater,
  kComma,
  kColon,
  kDoubleColon,  // ::
  kEqual,
  kArrow,  // ->
  kMinus,
  kPlus,
  kQuestion,
  kStar,
  kFileMetadataBegin,  // {-#
  kFileMetadataEnd,    // #-}
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  absl::string_view text;
  size_t offset = 0;  // Byte offset of the first character.
};

class Lexer {
 public:
  explicit Lexer(absl::string_view text);

  Token Next();

  // Character-level access for shape parsing.
  void SkipWhitespaceAndComments();
  size_t position() const { return pos_; }
  void set_position(size_t pos) { pos_ = pos; }
  char PeekChar(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  absl::string_view text() const { return text_; }

  // 1-based line and column of a byte offset.
  std::pair<int, int> LineColumn(size_t offset) const;

 private:
  Token Make(TokenKind kind, size_t start) const {
    return Token{kind, text_.substr(start, pos_ - start), start};
  }
  Token Error(size_t start, absl::string_view message) const {
    return Token{TokenKind::kError, message, start};
  }
  Token LexNumber(size_t start);
  Token LexString(size_t start);
  Token LexPrefixed(size_t start, TokenKind kind);

  absl::string_view text_;
  size_t pos_ = 0;
  std::vector<size_t> line_starts_;
};

// Decodes the body of a string token (with quotes) per MLIR escapes: \n, \t,
// \", \\ and two-digit hex \XX.
std::string UnescapeString(absl::string_view token_text);
// The name a kSymbol token spells: `@main` -> main, `@"odd name"` -> odd name.
std::string SymbolTokenName(absl::string_view token_text);

}  // namespace backplane::parser

#endif  // BACKPLANE_COMPILER_PARSER_LEXER_H_
