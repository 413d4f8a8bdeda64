#include "compiler/passes/test_util.h"

#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "compiler/parser/printer.h"
#include "gtest/gtest.h"

namespace backplane::passes::testing {

std::unique_ptr<ir::Module> ParseOrFail(absl::string_view text) {
  absl::StatusOr<std::unique_ptr<ir::Module>> m = parser::ParseModule(text);
  if (!m.ok()) {
    ADD_FAILURE() << "parse error: " << m.status() << "\n" << text;
    return nullptr;
  }
  return *std::move(m);
}

std::string Normalize(absl::string_view text) {
  std::unique_ptr<ir::Module> m = ParseOrFail(text);
  return m ? parser::PrintModule(*m) : "";
}

void ExpectRewrite(Pass& pass, absl::string_view before,
                   absl::string_view after, bool expect_changed) {
  std::unique_ptr<ir::Module> m = ParseOrFail(before);
  if (!m) return;
  absl::Status verified = ir::VerifyModule(*m);
  ASSERT_TRUE(verified.ok()) << "input does not verify: " << verified;
  absl::StatusOr<bool> changed = pass.Run(*m);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, expect_changed);
  std::string printed = parser::PrintModule(*m);
  verified = ir::VerifyModule(*m);
  EXPECT_TRUE(verified.ok()) << "output does not verify: " << verified << "\n"
                             << printed;
  EXPECT_EQ(printed, Normalize(after));
}

absl::Status RunOnText(Pass& pass, absl::string_view text) {
  std::unique_ptr<ir::Module> m = ParseOrFail(text);
  if (!m) return absl::InternalError("parse failed");
  return pass.Run(*m).status();
}

}  // namespace backplane::passes::testing
