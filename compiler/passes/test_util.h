// Helpers for pass tests: parse MLIR text, run a pass, and compare the
// printed result with the expected text (also parsed and printed, so the
// expectation may use the pretty syntax).
//
//   ExpectRewrite(*CreateDcePass(), R"(func.func @main() ...)",
//                 R"(func.func @main() ...)");
#ifndef BACKPLANE_COMPILER_PASSES_TEST_UTIL_H_
#define BACKPLANE_COMPILER_PASSES_TEST_UTIL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"
#include "compiler/passes/pass.h"

namespace backplane::passes::testing {

// Parses `text`; fails the current test (and returns null) on error.
std::unique_ptr<ir::Module> ParseOrFail(absl::string_view text);

// Parse-then-print of `text`: the canonical spelling tests compare.
std::string Normalize(absl::string_view text);

// Runs `pass` on `before`, checks it reports `expect_changed`, that the
// result verifies, and that it prints like `after`.
void ExpectRewrite(Pass& pass, absl::string_view before,
                   absl::string_view after, bool expect_changed = true);

// Runs `pass` on `text` and returns its error (or OK).
absl::Status RunOnText(Pass& pass, absl::string_view text);

}  // namespace backplane::passes::testing

#endif  // BACKPLANE_COMPILER_PASSES_TEST_UTIL_H_
