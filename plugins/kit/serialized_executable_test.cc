#include "plugins/kit/serialized_executable.h"

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace backplane::kit {
namespace {

TEST(StripSerializedMagicTest, ReturnsWhatFollowsTheMagic) {
  absl::StatusOr<absl::string_view> body =
      StripSerializedMagic("mine-v1\nmain\ncode", "mine-v1\n", "mine");
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(*body, "main\ncode");
  body = StripSerializedMagic("mine-v1\n", "mine-v1\n", "mine");
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(*body, "");
}

TEST(StripSerializedMagicTest, RejectsOtherBytesNamingThePlatform) {
  for (absl::string_view bytes : {"", "mine-v1", "mine-v2\nmain", "x"}) {
    absl::StatusOr<absl::string_view> body =
        StripSerializedMagic(bytes, "mine-v1\n", "mine");
    EXPECT_EQ(body.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(body.status().message(),
              "not a serialized mine executable (wrong magic)");
  }
}

}  // namespace
}  // namespace backplane::kit
