// Turns the element list of an MLIR `dense<...>` attribute into a Literal.
//
//   DenseElements parsed;             // filled by the parser, tokens only
//   absl::StatusOr<ir::Literal> lit =
//       BuildDenseLiteral(parsed, ir::TensorType(ir::ElementType::kF16, {2}),
//                         /*max_bytes=*/1 << 30);
//
// Accepted element spellings follow MLIR: decimal integers, `true`/`false`,
// decimal floats, hex integers as raw bit patterns of float elements (the
// way MLIR spells NaN and infinities), `(re, im)` complex pairs, a single
// element meaning a splat, and the `"0x..."` raw little-endian byte form.
// Errors are plain messages; the parser adds the location.
#ifndef BACKPLANE_COMPILER_PARSER_DENSE_LITERAL_H_
#define BACKPLANE_COMPILER_PARSER_DENSE_LITERAL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/literal.h"

namespace backplane::parser {

struct DenseScalar {
  enum class Kind { kInteger, kFloat, kBool };
  Kind kind = Kind::kInteger;
  bool negative = false;
  // Digits as written, without the sign ("12", "0x7FC00000", "1.5e3",
  // "true").
  absl::string_view text;
};

struct DenseElement {
  DenseScalar real;
  DenseScalar imag;  // Only for complex pairs.
  bool is_complex = false;
};

struct DenseElements {
  std::vector<DenseElement> elements;
  // Shape of the nested brackets; empty for a bare splat element.
  std::vector<int64_t> shape;
  bool bracketed = false;  // False for `dense<1.0>` (a splat).
  // Bracket depth of the elements; all must sit at the same depth.
  int leaf_depth = -1;
  bool is_hex = false;    // `dense<"0x...">`
  std::string hex_bytes;  // Decoded bytes when is_hex.
};

absl::StatusOr<ir::Literal> BuildDenseLiteral(const DenseElements& parsed,
                                              const ir::TensorType& type,
                                              int64_t max_bytes);

// Decodes "0x0A1B..." (with quotes stripped) into bytes.
absl::StatusOr<std::string> DecodeHexBytes(absl::string_view hex);

// Rejects types whose storage would exceed `max_bytes` (or the element
// limit) before anything is allocated.
absl::Status CheckLiteralSize(const ir::TensorType& type, int64_t max_bytes);

}  // namespace backplane::parser

#endif  // BACKPLANE_COMPILER_PARSER_DENSE_LITERAL_H_
