#include "tools/bpl_run/file_directives.h"

#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/interpreter/print_value.h"
#include "compiler/parser/parser.h"

namespace backplane::bpl_run {
namespace {

// Runs of blanks become one space; leading and trailing ones go.
std::string CollapseBlanks(absl::string_view text) {
  std::string out;
  bool blank = false;
  for (char c : absl::StripAsciiWhitespace(text)) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

// The RUN commands of the file, continuation lines (ending in `\`) joined.
std::vector<std::string> RunCommands(
    const std::vector<absl::string_view>& comments) {
  std::vector<std::string> commands;
  bool continued = false;
  for (absl::string_view comment : comments) {
    if (!absl::ConsumePrefix(&comment, "RUN:")) {
      continued = false;
      continue;
    }
    std::string part(absl::StripAsciiWhitespace(comment));
    const bool continues = absl::EndsWith(part, "\\");
    if (continues) part.pop_back();
    if (continued) {
      absl::StrAppend(&commands.back(), " ", part);
    } else {
      commands.push_back(part);
    }
    continued = continues;
  }
  return commands;
}

// The value of `--args=` in `command`: a quoted list, or `@file`.
std::optional<std::string> ArgsFlag(absl::string_view command) {
  const size_t at = command.find("--args=");
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view value = command.substr(at + 7);
  if (absl::ConsumePrefix(&value, "\"")) {
    const size_t end = value.find('"');
    if (end == absl::string_view::npos) return std::nullopt;
    return std::string(value.substr(0, end));
  }
  return std::string(value.substr(0, value.find_first_of(" \t|")));
}

std::optional<std::string> FindArguments(
    const std::vector<std::string>& commands) {
  absl::flat_hash_map<std::string, std::string> echoed;  // path -> text
  for (const std::string& command : commands) {
    absl::string_view c = command;
    if (absl::StartsWith(c, "not ")) continue;
    if (absl::ConsumePrefix(&c, "echo \"")) {
      const size_t end = c.find('"');
      const size_t to = c.find('>', end);
      if (end != absl::string_view::npos && to != absl::string_view::npos) {
        echoed[std::string(absl::StripAsciiWhitespace(c.substr(to + 1)))] =
            std::string(c.substr(0, end));
      }
      continue;
    }
    std::optional<std::string> flag = ArgsFlag(c);
    if (!flag.has_value()) continue;
    if (!absl::StartsWith(*flag, "@")) return flag;
    auto it = echoed.find(flag->substr(1));
    if (it != echoed.end()) return it->second;
  }
  return std::nullopt;
}

// Splits "[a, b<c, d>, e]" at its top-level commas; nullopt if it is not a
// bracketed list.
std::optional<std::vector<std::string>> SplitList(absl::string_view list) {
  list = absl::StripAsciiWhitespace(list);
  if (!absl::ConsumePrefix(&list, "[") || !absl::ConsumeSuffix(&list, "]")) {
    return std::nullopt;
  }
  std::vector<std::string> items;
  if (absl::StripAsciiWhitespace(list).empty()) return items;
  int depth = 0;
  bool quoted = false;
  std::string item;
  for (char c : list) {
    if (c == '"') quoted = !quoted;
    if (!quoted) {
      if (c == '<' || c == '[' || c == '(') ++depth;
      if (c == '>' || c == ']' || c == ')') --depth;
      if (c == ',' && depth == 0) {
        items.emplace_back(absl::StripAsciiWhitespace(item));
        item.clear();
        continue;
      }
    }
    item.push_back(c);
  }
  items.emplace_back(absl::StripAsciiWhitespace(item));
  return items;
}

}  // namespace

FileDirectives ReadFileDirectives(absl::string_view text) {
  FileDirectives d;
  std::vector<absl::string_view> comments;
  std::vector<int> comment_lines;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripLeadingAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&line, "//")) continue;
    comments.push_back(absl::StripLeadingAsciiWhitespace(line));
    comment_lines.push_back(number);
  }
  d.args = FindArguments(RunCommands(comments));
  for (size_t i = 0; i < comments.size(); ++i) {
    absl::string_view c = comments[i];
    if (!absl::ConsumePrefix(&c, "CHECK")) continue;
    const size_t colon = c.find(':');
    if (colon == absl::string_view::npos) continue;
    absl::string_view directive = c.substr(0, colon);
    CheckLine check;
    check.line = comment_lines[i];
    if (directive == "-NEXT") {
      check.next = true;
    } else if (directive == "-SAME" || directive == "-NOT" ||
               directive == "-DAG" || directive == "-LABEL" ||
               directive == "-EMPTY" || absl::StartsWith(directive, "-COUNT")) {
      d.checks_unsupported =
          absl::StrCat("line ", check.line, " uses CHECK", directive);
    } else if (!directive.empty()) {
      continue;  // Another prefix (--check-prefixes of another RUN line).
    }
    check.pattern = CollapseBlanks(c.substr(colon + 1));
    if (absl::StrContains(check.pattern, "{{") ||
        absl::StrContains(check.pattern, "[[")) {
      d.checks_unsupported = absl::StrCat(
          "line ", check.line, " uses a FileCheck regex or variable");
    }
    d.checks.push_back(std::move(check));
  }
  if (!d.checks.empty() && absl::StrContains(text, "// -----")) {
    d.checks_unsupported = "the file is split into chunks";
  }
  return d;
}

absl::StatusOr<std::vector<ir::Literal>> ParseArgumentList(
    absl::string_view list, const ir::Function& function) {
  std::optional<std::vector<std::string>> items = SplitList(list);
  if (!items.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--args is not a bracketed list of dense<...> values: ", list));
  }
  const std::vector<ir::Type> types = function.argument_types();
  if (items->size() != types.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--args has ", items->size(), " values but @",
                     function.name(), " takes ", types.size(), " arguments"));
  }
  // The values are the constants of a small program, run once.
  std::vector<std::string> names, type_names, body;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string& item = (*items)[i];
    const size_t colon = item.rfind(" : ");
    if (!absl::StartsWith(item, "dense<") || colon == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--args value #", i, " is not `dense<...> : tensor<...>`: ", item));
    }
    names.push_back(absl::StrCat("%a", i));
    type_names.push_back(item.substr(colon + 3));
    body.push_back(
        absl::StrCat("  ", names.back(), " = stablehlo.constant ", item));
  }
  const std::string text = absl::StrCat(
      "func.func @main() -> (", absl::StrJoin(type_names, ", "), ") {\n",
      absl::StrJoin(body, "\n"), "\n  func.return ", absl::StrJoin(names, ", "),
      " : ", absl::StrJoin(type_names, ", "), "\n}\n");
  ASSIGN_OR_RETURN(std::unique_ptr<ir::Module> module,
                   parser::ParseModule(text), "--args");
  ASSIGN_OR_RETURN(std::unique_ptr<interpreter::Interpreter> interp,
                   interpreter::Interpreter::Create(*module), "--args");
  ASSIGN_OR_RETURN(std::vector<interpreter::ValueRef> values,
                   interp->Call("main", {}), "--args");
  std::vector<ir::Literal> literals;
  for (size_t i = 0; i < values.size(); ++i) {
    const ir::Literal& value = values[i]->tensor();
    if (!types[i].is_tensor() || types[i].tensor() != value.type()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--args value #", i, " is a ", value.type().ToString(),
                       " but argument ", i, " of @", function.name(), " is a ",
                       types[i].ToString()));
    }
    literals.push_back(value);
  }
  return literals;
}

std::string PrintResults(absl::Span<const ir::Literal> results) {
  std::string out;
  for (const ir::Literal& r : results) {
    absl::StrAppend(&out, interpreter::FormatPrintedValue(r));
  }
  return out;
}

absl::Status MatchCheckLines(const FileDirectives& directives,
                             absl::string_view printed) {
  if (!directives.checks_unsupported.empty()) return absl::OkStatus();
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(printed, '\n')) {
    lines.push_back(CollapseBlanks(line));
  }
  size_t line = 0, column = 0;
  bool matched_any = false;
  for (const CheckLine& check : directives.checks) {
    bool found = false;
    size_t from = check.next ? line + 1 : line;
    size_t to = check.next ? std::min(from + 1, lines.size()) : lines.size();
    if (check.next && !matched_any) to = from;  // Nothing to follow.
    for (size_t l = from; l < to && !found; ++l) {
      const size_t start = (!check.next && l == line) ? column : 0;
      const size_t at = lines[l].find(check.pattern, start);
      if (at != std::string::npos) {
        found = true;
        line = l;
        column = at + check.pattern.size();
      }
    }
    if (!found) {
      return absl::FailedPreconditionError(absl::StrCat(
          "CHECK", check.next ? "-NEXT" : "", " on line ", check.line, " (",
          check.pattern, ") does not match the printed results: ",
          absl::StrJoin(lines, " | ")));
    }
    matched_any = true;
  }
  return absl::OkStatus();
}

}  // namespace backplane::bpl_run
