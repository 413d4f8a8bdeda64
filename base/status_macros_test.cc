#include "base/status_macros.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::base {
namespace {

absl::Status Fail(absl::StatusCode code) {
  return absl::Status(code, "it broke");
}

absl::StatusOr<int> Value(int v) {
  if (v < 0) return absl::InvalidArgumentError("negative");
  return v;
}

int evaluations = 0;
absl::Status Counted(absl::Status s) {
  ++evaluations;
  return s;
}

absl::Status Forward(absl::Status s) {
  RETURN_IF_ERROR(Counted(s));
  return absl::OkStatus();
}

absl::Status ForwardWithContext(absl::Status s, int index) {
  RETURN_IF_ERROR(s, "argument %d of %s", index, "f");
  return absl::OkStatus();
}

absl::StatusOr<int> Twice(int v) {
  ASSIGN_OR_RETURN(int x, Value(v));
  return 2 * x;
}

absl::StatusOr<int> TwiceWithContext(int v) {
  ASSIGN_OR_RETURN(auto x, Value(v), "value %d", v);
  return 2 * x;
}

absl::StatusOr<std::unique_ptr<int>> MakeInt(int v) {
  if (v < 0) return absl::NotFoundError("none");
  return std::make_unique<int>(v);
}

absl::StatusOr<int> MoveOnly(int v) {
  std::unique_ptr<int> p;
  ASSIGN_OR_RETURN(p, MakeInt(v));  // an existing lvalue
  ASSIGN_OR_RETURN(std::unique_ptr<int> q, MakeInt(v + 1));
  return *p + *q;
}

TEST(StatusMacros, ReturnIfErrorForwardsAndEvaluatesOnce) {
  evaluations = 0;
  EXPECT_TRUE(Forward(absl::OkStatus()).ok());
  EXPECT_EQ(evaluations, 1);
  absl::Status s = Forward(Fail(absl::StatusCode::kDataLoss));
  EXPECT_EQ(evaluations, 2);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(s.message(), "it broke");
}

TEST(StatusMacros, ReturnIfErrorAcceptsStatusOr) {
  auto f = [](int v) -> absl::Status {
    RETURN_IF_ERROR(Value(v));
    return absl::OkStatus();
  };
  EXPECT_TRUE(f(1).ok());
  EXPECT_EQ(f(-1).code(), absl::StatusCode::kInvalidArgument);
}

TEST(StatusMacros, ContextPrefixesTheMessageAndKeepsTheCode) {
  absl::Status s = ForwardWithContext(Fail(absl::StatusCode::kOutOfRange), 3);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(s.message(), "argument 3 of f: it broke");
  EXPECT_TRUE(ForwardWithContext(absl::OkStatus(), 3).ok());
}

TEST(StatusMacros, AssignOrReturn) {
  EXPECT_EQ(*Twice(4), 8);
  EXPECT_EQ(Twice(-1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*TwiceWithContext(5), 10);
  absl::StatusOr<int> bad = TwiceWithContext(-2);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "value -2: negative");
  EXPECT_EQ(*MoveOnly(2), 5);
  EXPECT_EQ(MoveOnly(-5).status().code(), absl::StatusCode::kNotFound);
}

TEST(StatusMacros, AnnotateKeepsPayloads) {
  absl::Status s = absl::InternalError("x");
  s.SetPayload("type.example/p", absl::Cord("payload"));
  absl::Status a = Annotate(s, "ctx");
  EXPECT_EQ(a.message(), "ctx: x");
  ASSERT_TRUE(a.GetPayload("type.example/p").has_value());
  EXPECT_EQ(std::string(*a.GetPayload("type.example/p")), "payload");
  EXPECT_TRUE(Annotate(absl::OkStatus(), "ctx").ok());
}

}  // namespace
}  // namespace backplane::base
