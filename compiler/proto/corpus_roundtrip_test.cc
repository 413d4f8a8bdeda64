// Whole-corpus round trip: text -> IR -> proto -> bytes -> proto -> IR ->
// text must equal text -> IR -> text for every program the parser reads.
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compiler/parser/parser.h"
#include "compiler/parser/printer.h"
#include "compiler/proto/convert.h"
#include "compiler/proto/corpus_programs.h"
#include "gtest/gtest.h"
#include "tests/util/corpus.h"

namespace backplane::proto {
namespace {

namespace pb = ::backplane::ir::proto;

using ir::Module;

TEST(CorpusRoundTripTest, EveryProgramSurvivesTheProtoForm) {
  std::optional<std::string> dir = backplane::testing::FindCorpusDir();
  if (!dir) GTEST_SKIP() << "corpus not found";
  std::vector<backplane::testing::CorpusProgram> programs =
      backplane::testing::ListCorpusPrograms(*dir);
  ASSERT_GT(programs.size(), 1000u);
  int parsed = 0, mismatches = 0;
  int64_t proto_bytes = 0, text_bytes = 0;
  FromProtoOptions options;
  options.allow_unknown_ops = true;
  for (const auto& program : programs) {
    parser::ParseOptions parse_options;
    parse_options.filename = program.name;
    absl::StatusOr<std::unique_ptr<Module>> m =
        parser::ParseModule(program.text, parse_options);
    // Parse failures are the parser's business (and some interpret chunks
    // are negative tests); this test is about what parses.
    if (!m.ok()) continue;
    ++parsed;
    std::string printed = parser::PrintModule(**m);
    absl::Time start = absl::Now();
    absl::StatusOr<pb::Module> p = ToProto(**m);
    ASSERT_TRUE(p.ok()) << program.name << ": " << p.status();
    std::string bytes = p->SerializeAsString();
    pb::Module q;
    ASSERT_TRUE(q.ParseFromString(bytes)) << program.name;
    absl::StatusOr<std::unique_ptr<Module>> back = FromProto(q, options);
    ASSERT_TRUE(back.ok()) << program.name << ": " << back.status();
    if (program.kind == backplane::testing::CorpusProgram::Kind::kModel) {
      std::printf(
          "%s: %zu text bytes, %zu proto bytes, ToProto + serialize "
          "+ parse + FromProto %s\n",
          program.name.c_str(), program.text.size(), bytes.size(),
          absl::FormatDuration(absl::Now() - start).c_str());
    } else {
      proto_bytes += bytes.size();
      text_bytes += program.text.size();
    }
    std::string reprinted = parser::PrintModule(**back);
    if (reprinted != printed) {
      ++mismatches;
      if (mismatches <= 3) {
        ADD_FAILURE() << program.name << " prints differently after the "
                      << "proto round trip";
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
  std::printf(
      "round-tripped %d of %zu programs; %lld text bytes -> %lld "
      "proto bytes\n",
      parsed, programs.size(), static_cast<long long>(text_bytes),
      static_cast<long long>(proto_bytes));
  EXPECT_GT(parsed, 1000);
}

}  // namespace
}  // namespace backplane::proto
