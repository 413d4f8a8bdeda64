// What an upstream interpret test says outside its IR, in `// RUN:` and
// `// CHECK:` comment lines: the arguments to run @main with, and the
// printed results FileCheck expects.
//
//   FileDirectives d = ReadFileDirectives(text);
//   if (d.args.has_value()) {
//     ASSIGN_OR_RETURN(std::vector<ir::Literal> args,
//                      ParseArgumentList(*d.args, function));
//   }
//   ... run, then ...
//   RETURN_IF_ERROR(MatchCheckLines(d, PrintResults(outputs)));
//
// Arguments come from the first RUN line that is not `not ...` and passes
// `--args="[dense<...> : tensor<...>, ...]"`, or `--args=@%t.args` when an
// earlier RUN line writes that file with `echo "[...]" > %t.args`.
// `.npy` argument files and other RUN commands are not interpreted.
//
// CHECK lines follow FileCheck for the default prefix: `CHECK:` matches
// a line at or after the current one, `CHECK-NEXT:` the line right after
// the last match, both as substrings with runs of blanks equal to one
// space. Files whose checks use more (other directives such as CHECK-SAME
// or CHECK-LABEL, `{{regex}}` or `[[VAR]]` patterns) or that are split
// into chunks are not matched, and `checks_unsupported` says why.
#ifndef BACKPLANE_TOOLS_BPL_RUN_FILE_DIRECTIVES_H_
#define BACKPLANE_TOOLS_BPL_RUN_FILE_DIRECTIVES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"

namespace backplane::bpl_run {

struct CheckLine {
  bool next = false;    // CHECK-NEXT.
  std::string pattern;  // Blank runs collapsed, trimmed.
  int line = 0;         // 1-based line in the file.
};

struct FileDirectives {
  // The text of the argument list ("[dense<1> : tensor<2xi32>, ...]").
  std::optional<std::string> args;
  std::vector<CheckLine> checks;
  std::string checks_unsupported;  // Non-empty: `checks` are not matched.
};

FileDirectives ReadFileDirectives(absl::string_view text);

// The literals of an argument list, checked against `function`'s argument
// types; INVALID_ARGUMENT naming the element that is malformed or of the
// wrong type.
absl::StatusOr<std::vector<ir::Literal>> ParseArgumentList(
    absl::string_view list, const ir::Function& function);

// The text the upstream interpreter prints for results: each one as
// interpreter.print writes it.
std::string PrintResults(absl::Span<const ir::Literal> results);

// OK when every check line matches `printed` in order (or the file's checks
// are unsupported or absent); FAILED_PRECONDITION naming the first check
// line that does not match otherwise.
absl::Status MatchCheckLines(const FileDirectives& directives,
                             absl::string_view printed);

}  // namespace backplane::bpl_run

#endif  // BACKPLANE_TOOLS_BPL_RUN_FILE_DIRECTIVES_H_
