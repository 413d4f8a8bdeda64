// Parses StableHLO programs in MLIR text form (func, stablehlo, chlo, check
// and interpreter dialects; pretty and generic op syntax) into ir::Module.
//
//   ParseOptions options;
//   options.filename = "model.mlir";
//   absl::StatusOr<std::unique_ptr<ir::Module>> m = ParseModule(text, options);
//
// Errors are InvalidArgumentError (ResourceExhaustedError for oversized
// constants) with the message "file:line:column: <op or construct>: what".
// Parsing is iterative where inputs can be large and depth-limited where it
// recurses, so malformed input cannot crash, hang or allocate without bound.
#ifndef BACKPLANE_COMPILER_PARSER_PARSER_H_
#define BACKPLANE_COMPILER_PARSER_PARSER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"

namespace backplane::parser {

// Fills `literal` (already allocated and zeroed, of the declared type) for
// the `ordinal`-th `dense_resource<__elided__>` constant of the file.
using ElidedResourceFiller =
    std::function<absl::Status(int64_t ordinal, ir::Literal* literal)>;

struct ParseOptions {
  // Used in error messages and op locations.
  std::string filename = "<input>";
  // Called for every elided resource; when unset, DefaultElidedFiller.
  ElidedResourceFiller fill_elided_resource;
  // Deepest nesting of regions, attributes, types and dense brackets.
  int max_nesting_depth = 128;
  // Largest single constant the parser will materialise.
  int64_t max_constant_bytes = int64_t{1} << 30;
};

// Deterministic pseudo-random data, seeded by `ordinal`: floats uniform in
// [-1, 1), integers uniform in [0, 4), booleans 0/1, complex parts like
// floats.
absl::Status DefaultElidedFiller(int64_t ordinal, ir::Literal* literal);

absl::StatusOr<std::unique_ptr<ir::Module>> ParseModule(
    absl::string_view text, const ParseOptions& options = {});

// One `// -----`-separated chunk of a split-input file. `text` is padded
// with the newlines that precede it in the file so that line numbers in
// messages match the original file.
struct InputChunk {
  std::string text;
  int first_line = 1;  // Line of the chunk's first real character.
};
std::vector<InputChunk> SplitInputFile(absl::string_view text);

}  // namespace backplane::parser

#endif  // BACKPLANE_COMPILER_PARSER_PARSER_H_
