#include "compiler/passes/channel_check.h"

#include <memory>
#include <string>

#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::passes {
namespace {

using ::testing::HasSubstr;

absl::Status Check(const std::string& text) {
  auto m = parser::ParseModule(text);
  EXPECT_TRUE(m.ok()) << m.status();
  if (!m.ok()) return m.status();
  return CheckRecvsHaveSends(**m);
}

constexpr char kSend[] = R"(
  func.func @send(%x : tensor<2xi64>, %t : !stablehlo.token) -> !stablehlo.token {
    %r = "stablehlo.send"(%x, %t) {
      channel_handle = #stablehlo.channel_handle<handle = 1, type = 2>,
      is_host_transfer = true
    } : (tensor<2xi64>, !stablehlo.token) -> !stablehlo.token
    return %r : !stablehlo.token
  })";

std::string Recv(int handle) {
  return std::string(R"(
  func.func @recv(%t : !stablehlo.token) -> (tensor<2xi64>, !stablehlo.token) {
    %a, %b = "stablehlo.recv"(%t) {
      channel_handle = #stablehlo.channel_handle<handle = )") +
         std::to_string(handle) + R"(, type = 3>,
      is_host_transfer = true
    } : (!stablehlo.token) -> (tensor<2xi64>, !stablehlo.token)
    return %a, %b : tensor<2xi64>, !stablehlo.token
  })";
}

TEST(ChannelCheckTest, RecvWithASendOnItsChannelIsFine) {
  EXPECT_TRUE(Check(std::string("module {") + kSend + Recv(1) + "\n}").ok());
}

TEST(ChannelCheckTest, RecvWithoutASendIsAnErrorNamingOpAndChannel) {
  absl::Status s = Check(std::string("module {") + kSend + Recv(7) + "\n}");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("stablehlo.recv on channel 7"));
  EXPECT_THAT(s.message(), HasSubstr("no stablehlo.send"));
  EXPECT_THAT(s.message(), HasSubstr("<input>:"));
}

TEST(ChannelCheckTest, ProgramWithoutRecvIsFine) {
  EXPECT_TRUE(Check(std::string("module {") + kSend + "\n}").ok());
}

}  // namespace
}  // namespace backplane::passes
