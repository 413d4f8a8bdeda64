// libFuzzer target for the StableHLO text parser. For every input that
// parses, the verifier must not crash and printing must round-trip (the
// printed text parses and prints identically); any violation aborts.
// Build and run: see README.md in this folder.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "compiler/parser/printer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  backplane::parser::ParseOptions options;
  options.filename = "fuzz";
  options.max_constant_bytes = 1
                               << 24;  // Stay far below the fuzzer's RSS limit.
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto module = backplane::parser::ParseModule(text, options);
  if (!module.ok()) return 0;
  backplane::ir::VerifyModule(**module).IgnoreError();
  std::string printed = backplane::parser::PrintModule(**module);
  auto again = backplane::parser::ParseModule(printed, options);
  if (!again.ok()) {
    std::fprintf(stderr, "printed module does not parse: %s\n%s\n",
                 std::string(again.status().message()).c_str(),
                 printed.c_str());
    std::abort();
  }
  if (backplane::parser::PrintModule(**again) != printed) {
    std::fprintf(stderr, "print/parse/print is not a fixed point:\n%s\n",
                 printed.c_str());
    std::abort();
  }
  return 0;
}
