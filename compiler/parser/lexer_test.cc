#include "compiler/parser/lexer.h"

#include <vector>

#include "gtest/gtest.h"

namespace backplane::parser {
namespace {

std::vector<Token> LexAll(absl::string_view text) {
  Lexer lexer(text);
  std::vector<Token> out;
  for (Token t = lexer.Next(); t.kind != TokenKind::kEof; t = lexer.Next()) {
    out.push_back(t);
    if (t.kind == TokenKind::kError) break;
  }
  return out;
}

TEST(LexerTest, TokenKinds) {
  auto tokens = LexAll(
      "%0:2 = \"stablehlo.op\"(%arg0, %1#1) <{a = -1.5e-3}> ^bb0 @f @\"q r\" "
      "#stablehlo.gather !stablehlo.token 0x7FC00000 42 -> :: ? * + {-# #-} // "
      "c\n"
      "stablehlo.add");
  std::vector<TokenKind> kinds;
  for (const Token& t : tokens) kinds.push_back(t.kind);
  std::vector<TokenKind> expected = {TokenKind::kValueId,
                                     TokenKind::kColon,
                                     TokenKind::kInteger,
                                     TokenKind::kEqual,
                                     TokenKind::kString,
                                     TokenKind::kLParen,
                                     TokenKind::kValueId,
                                     TokenKind::kComma,
                                     TokenKind::kValueId,
                                     TokenKind::kRParen,
                                     TokenKind::kLess,
                                     TokenKind::kLBrace,
                                     TokenKind::kBareIdentifier,
                                     TokenKind::kEqual,
                                     TokenKind::kMinus,
                                     TokenKind::kFloat,
                                     TokenKind::kRBrace,
                                     TokenKind::kGreater,
                                     TokenKind::kBlockId,
                                     TokenKind::kSymbol,
                                     TokenKind::kSymbol,
                                     TokenKind::kHashIdentifier,
                                     TokenKind::kBangIdentifier,
                                     TokenKind::kInteger,
                                     TokenKind::kInteger,
                                     TokenKind::kArrow,
                                     TokenKind::kDoubleColon,
                                     TokenKind::kQuestion,
                                     TokenKind::kStar,
                                     TokenKind::kPlus,
                                     TokenKind::kFileMetadataBegin,
                                     TokenKind::kFileMetadataEnd,
                                     TokenKind::kBareIdentifier};
  EXPECT_EQ(kinds, expected);
  EXPECT_EQ(tokens[8].text, "%1#1");
  EXPECT_EQ(tokens[15].text, "1.5e-3");
  EXPECT_EQ(tokens[20].text, "@\"q r\"");
  EXPECT_EQ(tokens.back().text, "stablehlo.add");
}

TEST(LexerTest, LineColumnAndErrors) {
  Lexer lexer("a\n  bc\n");
  Token a = lexer.Next();
  Token bc = lexer.Next();
  EXPECT_EQ(lexer.LineColumn(a.offset), (std::pair<int, int>{1, 1}));
  EXPECT_EQ(lexer.LineColumn(bc.offset), (std::pair<int, int>{2, 3}));
  auto bad = LexAll("\"unterminated");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].kind, TokenKind::kError);
  EXPECT_EQ(bad[0].text, "unterminated string");
  EXPECT_EQ(LexAll("`")[0].kind, TokenKind::kError);
  EXPECT_EQ(LexAll("% x")[0].text, "expected a name after the sigil");
}

TEST(LexerTest, UnescapeString) {
  EXPECT_EQ(UnescapeString("\"a\\\"b\\\\c\\n\\t\\0A\\41\""), "a\"b\\c\n\t\nA");
}

}  // namespace
}  // namespace backplane::parser
