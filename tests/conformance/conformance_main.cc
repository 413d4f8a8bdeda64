// Entry point of the conformance suite.
//
//   conformance --plugin=NAME_OR_PATH [--expectations=FILE]
//               [--run_known_failures] [--report=BASE] [gtest flags]
//
// $BACKPLANE_PLUGIN is used when --plugin is absent. The expectations file
// lists known failures, one per line: `Family.Test: reason`. They are not
// run (and are reported as known failures) unless --run_known_failures is
// given, in which case a known failure that passes is reported as an
// UNEXPECTED PASS and fails the run, so stale entries get removed.
// The report (BASE.md and BASE.json; default: the test's undeclared outputs
// folder) has one section per test family with pass, fail and skip counts
// and the reason of every skip and failure.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "api/cpp/plugin.h"
#include "base/json.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"

namespace backplane::conformance {
void SetPluginForTesting(Plugin plugin);
namespace {

std::map<std::string, std::string> ReadExpectations(const std::string& path) {
  std::map<std::string, std::string> known;
  if (path.empty()) return known;
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "conformance: cannot read expectations file %s\n",
                 path.c_str());
    std::exit(2);
  }
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    std::pair<std::string, std::string> kv =
        absl::StrSplit(text, absl::MaxSplits(':', 1));
    known[std::string(absl::StripAsciiWhitespace(kv.first))] =
        std::string(absl::StripAsciiWhitespace(kv.second));
  }
  return known;
}

struct Outcome {
  std::string test;
  std::string status;  // pass, fail, skip, known_failure, unexpected_pass
  std::string reason;
};

class ReportListener : public ::testing::EmptyTestEventListener {
 public:
  ReportListener(std::map<std::string, std::string> known, bool run_known)
      : known_(std::move(known)), run_known_(run_known) {}

  void OnTestPartResult(const ::testing::TestPartResult& part) override {
    if (part.failed() || part.skipped()) {
      std::string message = part.message() ? part.message() : "";
      if (!current_reason_.empty()) current_reason_ += " | ";
      current_reason_ += message.substr(0, 500);
    }
  }

  void OnTestStart(const ::testing::TestInfo&) override {
    current_reason_.clear();
  }

  void OnTestEnd(const ::testing::TestInfo& info) override {
    std::string name = absl::StrCat(info.test_suite_name(), ".", info.name());
    Outcome outcome{info.name(), "pass", current_reason_};
    const ::testing::TestResult* result = info.result();
    if (result->Skipped()) {
      outcome.status = "skip";
    } else if (result->Failed()) {
      outcome.status = "fail";
    }
    auto it = known_.find(name);
    if (it != known_.end() && run_known_) {
      if (outcome.status == "pass") {
        outcome.status = "unexpected_pass";
        outcome.reason = absl::StrCat("listed as a known failure (", it->second,
                                      ") but passed");
        ++unexpected_passes_;
      } else if (outcome.status == "fail") {
        outcome.status = "known_failure";
        outcome.reason = absl::StrCat(it->second, " | ", outcome.reason);
      }
    }
    families_[info.test_suite_name()].push_back(outcome);
  }

  void AddNotRunKnownFailures() {
    for (const auto& [name, reason] : known_) {
      std::pair<std::string, std::string> parts =
          absl::StrSplit(name, absl::MaxSplits('.', 1));
      families_[parts.first].push_back(
          Outcome{parts.second, "known_failure", reason});
    }
  }

  int unexpected_passes() const { return unexpected_passes_; }

  void Write(const std::string& base, const std::string& plugin) {
    std::map<std::string, int> totals;
    std::ostringstream md;
    md << "# Backplane conformance report\n\nPlugin: `" << plugin << "`\n\n";
    md << "| Family | pass | fail | skipped | known failures |\n";
    md << "|---|---|---|---|---|\n";
    std::ostringstream details;
    base::JsonWriter json(2);
    json.BeginObject();
    json.Key("plugin").String(plugin);
    json.Key("families").BeginObject();
    for (const auto& [family, outcomes] : families_) {
      std::map<std::string, int> counts;
      for (const Outcome& o : outcomes) {
        ++counts[o.status];
        ++totals[o.status];
      }
      md << "| " << family << " | " << counts["pass"] << " | "
         << counts["fail"] + counts["unexpected_pass"] << " | "
         << counts["skip"] << " | " << counts["known_failure"] << " |\n";
      json.Key(family).BeginArray();
      for (const Outcome& o : outcomes) {
        json.BeginObject();
        json.Key("test").String(o.test);
        json.Key("status").String(o.status);
        json.Key("reason").String(o.reason);
        json.EndObject();
        if (o.status != "pass") {
          details << "- `" << family << "." << o.test << "`: **" << o.status
                  << "**" << (o.reason.empty() ? "" : ": ") << o.reason << "\n";
        }
      }
      json.EndArray();
    }
    json.EndObject();
    json.Key("totals").BeginObject();
    json.Key("pass").Int(totals["pass"]);
    json.Key("fail").Int(totals["fail"] + totals["unexpected_pass"]);
    json.Key("skip").Int(totals["skip"]);
    json.Key("known_failure").Int(totals["known_failure"]);
    json.EndObject();
    json.EndObject();
    md << "| **total** | " << totals["pass"] << " | "
       << totals["fail"] + totals["unexpected_pass"] << " | " << totals["skip"]
       << " | " << totals["known_failure"] << " |\n";
    if (!details.str().empty()) {
      md << "\n## Not passed\n\n" << details.str();
    }
    std::ofstream(base + ".md") << md.str();
    std::ofstream(base + ".json") << json.text() << "\n";
    std::printf("\n%s\nreport written to %s.md and %s.json\n", md.str().c_str(),
                base.c_str(), base.c_str());
  }

 private:
  std::map<std::string, std::string> known_;
  bool run_known_;
  std::string current_reason_;
  std::map<std::string, std::vector<Outcome>> families_;
  int unexpected_passes_ = 0;
};

}  // namespace
}  // namespace backplane::conformance

int main(int argc, char** argv) {
  using namespace backplane::conformance;  // NOLINT: a main's brevity.
  ::testing::InitGoogleTest(&argc, argv);
  Config& config = GetConfig();
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--plugin=")) {
      config.plugin = std::string(arg);
    } else if (absl::ConsumePrefix(&arg, "--expectations=")) {
      config.expectations = std::string(arg);
    } else if (arg == "--run_known_failures") {
      config.run_known_failures = true;
    } else if (absl::ConsumePrefix(&arg, "--report=")) {
      config.report = std::string(arg);
    } else if (absl::ConsumePrefix(&arg, "--event_timeout=")) {
      config.event_timeout_seconds = std::atoi(std::string(arg).c_str());
    } else {
      std::fprintf(stderr, "conformance: unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  if (config.plugin.empty()) {
    if (const char* env = std::getenv("BACKPLANE_PLUGIN")) config.plugin = env;
  }
  if (config.plugin.empty()) {
    std::fprintf(stderr,
                 "conformance: say which plugin to test: --plugin=NAME_OR_PATH "
                 "or BACKPLANE_PLUGIN=NAME_OR_PATH (with bazel test: "
                 "--test_env=BACKPLANE_PLUGIN=/abs/path/libvendor.so)\n");
    return 2;
  }
  if (config.report.empty()) {
    const char* outputs = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
    config.report =
        absl::StrCat(outputs ? outputs : ".", "/conformance_report");
  }
  absl::StatusOr<backplane::Plugin> plugin =
      backplane::Plugin::Load(config.plugin);
  if (!plugin.ok()) {
    std::fprintf(stderr, "conformance: cannot load plugin %s: %s\n",
                 config.plugin.c_str(), plugin.status().ToString().c_str());
    return 1;
  }
  std::printf("conformance: testing plugin '%s' (%s), ABI %lld.%lld\n",
              plugin->name().c_str(), config.plugin.c_str(),
              static_cast<long long>(plugin->abi_major()),
              static_cast<long long>(plugin->abi_minor()));
  SetPluginForTesting(*std::move(plugin));

  std::map<std::string, std::string> known =
      ReadExpectations(config.expectations);
  if (!known.empty() && !config.run_known_failures) {
    std::string filter = GTEST_FLAG_GET(filter);
    std::vector<std::string> names;
    for (const auto& [name, reason] : known) names.push_back(name);
    std::string negative = absl::StrJoin(names, ":");
    if (filter.find('-') == std::string::npos) {
      filter = absl::StrCat(filter, "-", negative);
    } else {
      filter = absl::StrCat(filter, ":", negative);
    }
    GTEST_FLAG_SET(filter, filter);
  }
  auto* listener = new ReportListener(known, config.run_known_failures);
  ::testing::UnitTest::GetInstance()->listeners().Append(listener);
  int result = RUN_ALL_TESTS();
  if (!config.run_known_failures) listener->AddNotRunKnownFailures();
  listener->Write(config.report, config.plugin);
  if (listener->unexpected_passes() > 0) {
    std::printf("conformance: %d known failure(s) passed: update %s\n",
                listener->unexpected_passes(), config.expectations.c_str());
    return 1;
  }
  return result;
}
