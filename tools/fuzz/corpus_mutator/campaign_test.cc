// Tests that the campaign's classification can fail: a backend with a wrong
// value, an INTERNAL error, a child killed by SIGSEGV and a child that
// sleeps past the timeout are findings; agreeing rejections and capability
// refusals are not.
#include "tools/fuzz/corpus_mutator/campaign.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace backplane::fuzz {
namespace {

TestOutcome Outcomes(const absl::Status& interpreter, const absl::Status& cpu,
                     const absl::Status& sim) {
  return TestOutcome{"t",
                     {OutcomeOf("interpreter", interpreter),
                      OutcomeOf("cpu", cpu), OutcomeOf("sim", sim)}};
}

MutantKind KindOf(const TestOutcome& t) {
  // Through the child's wire format, as the campaign sees it.
  return ClassifyOutcomes(DecodeOutcomes(EncodeOutcomes({t}))).kind;
}

const absl::Status kOk = absl::OkStatus();

TEST(ClassifyTest, WrongValueOnOneBackendIsADisagreement) {
  const absl::Status wrong =
      absl::FailedPreconditionError("x.mlir:3:3: expected 2 but got 3");
  EXPECT_EQ(KindOf(Outcomes(kOk, wrong, kOk)), MutantKind::kDisagreement);
  EXPECT_EQ(KindOf(Outcomes(wrong, kOk, kOk)), MutantKind::kDisagreement);
}

TEST(ClassifyTest, RejectingWhatAnotherRunsIsADisagreement) {
  EXPECT_EQ(KindOf(Outcomes(kOk, kOk, absl::InvalidArgumentError("bad"))),
            MutantKind::kDisagreement);
  EXPECT_EQ(KindOf(Outcomes(kOk, absl::OutOfRangeError("index"), kOk)),
            MutantKind::kDisagreement);
}

TEST(ClassifyTest, InternalIsAlwaysAFinding) {
  const absl::Status internal = absl::InternalError("invariant broken");
  EXPECT_EQ(KindOf(Outcomes(absl::InvalidArgumentError("bad"), internal,
                            absl::InvalidArgumentError("bad"))),
            MutantKind::kInternal);
  EXPECT_TRUE(IsFinding(MutantKind::kInternal));
}

TEST(ClassifyTest, AgreementAndCapabilityGapsAreNotFindings) {
  const absl::Status invalid = absl::InvalidArgumentError("bad");
  EXPECT_EQ(KindOf(Outcomes(invalid, invalid, invalid)),
            MutantKind::kRejectedByAll);
  EXPECT_EQ(KindOf(Outcomes(kOk, kOk, kOk)), MutantKind::kRan);
  const absl::Status wrong = absl::FailedPreconditionError("mismatch");
  EXPECT_EQ(KindOf(Outcomes(wrong, wrong, wrong)), MutantKind::kRan);
  EXPECT_EQ(KindOf(Outcomes(kOk, absl::UnimplementedError("no fft"), kOk)),
            MutantKind::kUnsupported);
  EXPECT_EQ(KindOf(Outcomes(kOk, kOk, absl::ResourceExhaustedError("hbm"))),
            MutantKind::kUnsupported);
  EXPECT_FALSE(IsFinding(MutantKind::kUnsupported));
  EXPECT_FALSE(IsFinding(MutantKind::kRejectedByAll));
}

TEST(ClassifyTest, WorstTestDecides) {
  const absl::Status invalid = absl::InvalidArgumentError("bad");
  std::vector<TestOutcome> tests = {
      Outcomes(invalid, invalid, invalid), Outcomes(kOk, kOk, kOk),
      Outcomes(kOk, absl::FailedPreconditionError("mismatch"), kOk)};
  EXPECT_EQ(ClassifyOutcomes(tests).kind, MutantKind::kDisagreement);
}

TEST(ClassifyTest, ChildKilledBySignalIsASignal) {
  // SIGKILL, not SIGSEGV: sanitizers catch SIGSEGV and turn it into exit
  // code 1 (ChildExitingAbnormallyIsASignal below covers that path).
  const ChildResult child = RunForked(
      [] {
        raise(SIGKILL);
        return std::string();
      },
      10, std::nullopt);
  EXPECT_EQ(child.end, ChildResult::End::kSignaled);
  const Classification c = Classify(child);
  EXPECT_EQ(c.kind, MutantKind::kSignal);
  EXPECT_NE(c.reason.find("signal 9"), std::string::npos) << c.reason;
}

TEST(ClassifyTest, ChildExitingAbnormallyIsASignal) {
  // What AddressSanitizer does after a report: exit(1).
  const ChildResult child =
      RunForked([]() -> std::string { std::_Exit(1); }, 10, std::nullopt);
  EXPECT_EQ(Classify(child).kind, MutantKind::kSignal);
}

TEST(ClassifyTest, ChildSleepingPastTheTimeoutIsAHang) {
  const ChildResult child = RunForked(
      [] {
        sleep(30);
        return std::string();
      },
      1, std::nullopt);
  EXPECT_EQ(Classify(child).kind, MutantKind::kHang);
}

TEST(ClassifyTest, ChildReportReachesTheParent) {
  const ChildResult child = RunForked(
      [] {
        return EncodeOutcomes({Outcomes(
            kOk, absl::FailedPreconditionError("expected 1 got 2"), kOk)});
      },
      10, std::nullopt);
  ASSERT_EQ(child.end, ChildResult::End::kExited);
  const Classification c = Classify(child);
  EXPECT_EQ(c.kind, MutantKind::kDisagreement);
  EXPECT_NE(c.reason.find("cpu CHECK_FAILED (expected 1 got 2)"),
            std::string::npos)
      << c.reason;
}

}  // namespace
}  // namespace backplane::fuzz
