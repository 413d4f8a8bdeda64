// Token- and number-level mutations of StableHLO text for the corpus
// mutator campaign (README.md): the text is tokenized with the parser's
// lexer and 1-3 mutations are applied to tokens, lines, tensor types,
// attribute values or numeric literals, chosen by a seeded PRNG.
//
//   std::mt19937_64 rng(seed);
//   Mutant m = Mutate(program_text, rng);
//   // m.text is the mutated program, m.description says what changed:
//   // "number 3:17 '2.0'->'0x7FC00000'; op_rename 5:8 ..."
#ifndef BACKPLANE_TOOLS_FUZZ_CORPUS_MUTATOR_MUTATOR_H_
#define BACKPLANE_TOOLS_FUZZ_CORPUS_MUTATOR_MUTATOR_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "compiler/parser/lexer.h"

namespace backplane::fuzz {

enum class MutationKind {
  kOpRename,        // An op name replaced by another name of the op table.
  kDeleteToken,     // One token removed.
  kDuplicateToken,  // One token written twice.
  kDuplicateLine,   // One line written twice.
  kSwapValues,      // Two uses of different SSA values exchanged.
  kChangeType,      // A tensor type's element type, dims or rank changed.
  kAttribute,       // The value after `name =` replaced.
  kNumber,          // An integer or float literal set to a boundary value.
  kOffByOne,        // An integer or float literal moved by one.
};
inline constexpr int kNumMutationKinds = 9;

const char* MutationKindName(MutationKind kind);

// One lexer token, with the text it covers.
struct TextToken {
  parser::TokenKind kind;
  size_t offset;
  size_t size;
};

// Every token of `text` (stops at the end or at a lexer error).
std::vector<TextToken> Tokenize(absl::string_view text);

// The names of the op table's stablehlo.* and chlo.* rows.
const std::vector<std::string>& OpNames();

// The boundary values a numeric literal can become; each lexes as one
// number token, optionally after a minus.
const std::vector<std::string>& IntegerBoundaryValues();
const std::vector<std::string>& FloatBoundaryValues();

// Applies one mutation of `kind` to `text` in place; the description of the
// change, or nullopt when the text has nothing it applies to.
std::optional<std::string> ApplyMutation(MutationKind kind, std::string& text,
                                         std::mt19937_64& rng);

struct Mutant {
  std::string text;
  std::string description;  // "kind line:column 'old'->'new'; ..."
};

// Applies 1-3 mutations of random kinds (kinds that do not apply are
// redrawn, a bounded number of times).
Mutant Mutate(absl::string_view text, std::mt19937_64& rng);

}  // namespace backplane::fuzz

#endif  // BACKPLANE_TOOLS_FUZZ_CORPUS_MUTATOR_MUTATOR_H_
