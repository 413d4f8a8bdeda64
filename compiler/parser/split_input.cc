#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "compiler/parser/parser.h"

namespace backplane::parser {

std::vector<InputChunk> SplitInputFile(absl::string_view text) {
  std::vector<InputChunk> chunks;
  InputChunk current;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(trimmed, "// -----")) {
      chunks.push_back(std::move(current));
      current = InputChunk();
      // Keep the separator's line as an empty line so numbering continues.
      current.text.assign(line_number, '\n');
      current.first_line = line_number + 1;
      continue;
    }
    current.text.append(line.data(), line.size());
    current.text.push_back('\n');
  }
  chunks.push_back(std::move(current));
  return chunks;
}

}  // namespace backplane::parser
