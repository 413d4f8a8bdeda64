// Runs a test body in a forked child, optionally under an address-space
// limit (RLIMIT_AS), and returns the text it produced, so that tests can
// exhaust host memory without disturbing the test runner.
//
//   std::optional<std::string> text = tests::RunInChild(
//       [] { return std::string(AllocateHuge().status().message()); },
//       /*address_space_bytes=*/size_t{2} << 30);
//   ASSERT_TRUE(text.has_value()) << "the child crashed or hung";
//
// nullopt when the child crashed, threw, exited non-zero or ran past
// `timeout_seconds` (then it is killed). The child never returns into the
// caller: it _exits after writing the text to a pipe.
#ifndef BACKPLANE_TESTS_UTIL_CHILD_PROCESS_H_
#define BACKPLANE_TESTS_UTIL_CHILD_PROCESS_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace backplane::tests {

std::optional<std::string> RunInChild(
    const std::function<std::string()>& body,
    std::optional<size_t> address_space_bytes = std::nullopt,
    int timeout_seconds = 60);

// False under AddressSanitizer and friends, whose shadow memory cannot live
// under an address-space limit: skip RLIMIT_AS tests there.
bool AddressSpaceLimitsWork();

}  // namespace backplane::tests

#endif  // BACKPLANE_TESTS_UTIL_CHILD_PROCESS_H_
