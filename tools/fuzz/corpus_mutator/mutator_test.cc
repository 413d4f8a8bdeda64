// Tests of the corpus mutator's mutations: deterministic for a seed, every
// kind fires on a typical program, replaced numbers lex back as numbers.
#include "tools/fuzz/corpus_mutator/mutator.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "compiler/parser/lexer.h"
#include "gtest/gtest.h"

namespace backplane::fuzz {
namespace {

constexpr char kProgram[] = R"(
func.func @add_op_test() {
  %0 = stablehlo.constant dense<[1, 2]> : tensor<2xi64>
  %1 = stablehlo.constant dense<[[1.5, -2.0, 3.0]]> : tensor<1x3xf32>
  %2 = stablehlo.add %0, %0 : tensor<2xi64>
  %3 = stablehlo.transpose %1, dims = [1, 0] : (tensor<1x3xf32>) -> tensor<3x1xf32>
  %4 = "stablehlo.compare"(%0, %2) {comparison_direction = #stablehlo<comparison_direction LT>} : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi1>
  %5 = stablehlo.iota dim = 0 : tensor<4xi32>
  check.expect_eq_const %2, dense<[2, 4]> : tensor<2xi64>
  func.return
}
)";

TEST(MutatorTest, SameSeedSameMutant) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::mt19937_64 a(seed), b(seed);
    const Mutant ma = Mutate(kProgram, a);
    const Mutant mb = Mutate(kProgram, b);
    EXPECT_EQ(ma.text, mb.text) << seed;
    EXPECT_EQ(ma.description, mb.description) << seed;
    EXPECT_NE(ma.text, kProgram) << seed << ": " << ma.description;
    EXPECT_FALSE(ma.description.empty());
  }
}

TEST(MutatorTest, DifferentSeedsDiffer) {
  std::set<std::string> texts;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::mt19937_64 rng(seed);
    texts.insert(Mutate(kProgram, rng).text);
  }
  EXPECT_GT(texts.size(), 40u);
}

TEST(MutatorTest, EveryKindFires) {
  for (int k = 0; k < kNumMutationKinds; ++k) {
    const auto kind = static_cast<MutationKind>(k);
    std::mt19937_64 rng(k);
    int fired = 0;
    for (int i = 0; i < 20; ++i) {
      std::string text = kProgram;
      std::optional<std::string> d = ApplyMutation(kind, text, rng);
      if (!d.has_value()) continue;
      ++fired;
      EXPECT_TRUE(absl::StartsWith(*d, MutationKindName(kind))) << *d;
      if (kind != MutationKind::kNumber && kind != MutationKind::kAttribute &&
          kind != MutationKind::kChangeType &&
          kind != MutationKind::kOpRename) {
        EXPECT_NE(text, kProgram) << *d;
      }
    }
    EXPECT_GE(fired, 15) << MutationKindName(kind);
  }
}

TEST(MutatorTest, OpRenameUsesTheOpTable) {
  std::mt19937_64 rng(3);
  std::string text = "%0 = stablehlo.constant dense<1> : tensor<i32>\n";
  std::optional<std::string> d =
      ApplyMutation(MutationKind::kOpRename, text, rng);
  ASSERT_TRUE(d.has_value());
  bool found = false;
  for (const std::string& name : OpNames()) {
    if (absl::StrContains(text, " " + name + " ")) found = true;
  }
  EXPECT_TRUE(found) << text;
  EXPECT_GT(OpNames().size(), 100u);
}

// The number tokens (with a leading minus) of `text`, as text.
std::vector<std::string> Numbers(absl::string_view text) {
  std::vector<std::string> out;
  const std::vector<TextToken> tokens = Tokenize(text);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind != parser::TokenKind::kInteger &&
        tokens[i].kind != parser::TokenKind::kFloat) {
      continue;
    }
    size_t start = tokens[i].offset;
    if (i > 0 && tokens[i - 1].kind == parser::TokenKind::kMinus &&
        tokens[i - 1].offset + 1 == start) {
      --start;
    }
    out.emplace_back(
        text.substr(start, tokens[i].offset + tokens[i].size - start));
  }
  return out;
}

TEST(MutatorTest, BoundaryValuesLexAsOneNumber) {
  for (const auto* list : {&IntegerBoundaryValues(), &FloatBoundaryValues()}) {
    for (const std::string& v : *list) {
      EXPECT_EQ(Numbers(v), std::vector<std::string>{v}) << v;
    }
  }
}

TEST(MutatorTest, ReplacedNumbersParseBack) {
  for (MutationKind kind : {MutationKind::kNumber, MutationKind::kOffByOne}) {
    for (uint64_t seed = 0; seed < 100; ++seed) {
      std::mt19937_64 rng(seed);
      std::string text = "%0 = stablehlo.constant dense<[-7, 2.5]>\n";
      std::optional<std::string> d = ApplyMutation(kind, text, rng);
      ASSERT_TRUE(d.has_value());
      const std::vector<std::string> numbers = Numbers(text);
      ASSERT_EQ(numbers.size(), 2u) << text;
      // The new value is one of the numbers and appears in the description.
      EXPECT_TRUE(absl::StrContains(*d, "->'" + numbers[0] + "'") ||
                  absl::StrContains(*d, "->'" + numbers[1] + "'"))
          << *d << " / " << text;
    }
  }
}

TEST(MutatorTest, OffByOneMovesIntegersByOne) {
  std::mt19937_64 rng(0);
  std::string text = "dim = 9223372036854775807";
  ASSERT_TRUE(ApplyMutation(MutationKind::kOffByOne, text, rng).has_value());
  EXPECT_EQ(text, "dim = 9223372036854775806");
}

TEST(MutatorTest, ChangeTypeKeepsTensorSyntax) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::mt19937_64 rng(seed);
    std::string text = "x : tensor<2x3xf32>\n";
    std::optional<std::string> d =
        ApplyMutation(MutationKind::kChangeType, text, rng);
    if (!d.has_value()) continue;
    EXPECT_TRUE(absl::StartsWith(text, "x : tensor<")) << text;
    EXPECT_TRUE(absl::EndsWith(text, ">\n")) << text;
  }
}

}  // namespace
}  // namespace backplane::fuzz
