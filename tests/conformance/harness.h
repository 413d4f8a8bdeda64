// The conformance suite's harness: loads the plugin under test once (by
// name or path, from --plugin=... or $BACKPLANE_PLUGIN), exposes it to test
// families, applies the plugin's expectations file, and writes a
// publishable report. Tests drive the plugin only through the C ABI (raw or
// through the framework-side C++ API); they never link plugin internals.
#ifndef BACKPLANE_TESTS_CONFORMANCE_HARNESS_H_
#define BACKPLANE_TESTS_CONFORMANCE_HARNESS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/backplane_c_api.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "gtest/gtest.h"

namespace backplane::conformance {

struct Config {
  std::string plugin;        // Name or path.
  std::string expectations;  // Path of the expectations file, or empty.
  bool run_known_failures = false;
  std::string report;  // Base path for <report>.md and <report>.json.
  // Seconds to wait for an event before declaring it never completes.
  int event_timeout_seconds = 20;
};

Config& GetConfig();

// The plugin under test (loaded before any test runs).
const Plugin& GetPlugin();
const BPL_Api* Api();
bool HasCapability(const std::string& capability);

// Skips the test, with the reason in the report, when the plugin does not
// declare `capability`.
#define REQUIRE_CAPABILITY(capability)                                     \
  do {                                                                     \
    if (!::backplane::conformance::HasCapability(capability)) {            \
      GTEST_SKIP() << "plugin does not declare capability '" << capability \
                   << "'";                                                 \
    }                                                                      \
  } while (false)

// The code of `error` (destroying it); BPL_CODE_OK for NULL.
int64_t TakeErrorCode(BPL_Error* error);
// The status of `error` (destroying it).
absl::Status TakeStatus(BPL_Error* error);

// Runs `body` in a forked child and reports how it ended, so a plugin that
// crashes fails one test instead of taking the suite down. The child's
// gtest failures count: it exits 1 if any assertion failed.
struct IsolatedResult {
  bool exited = false;
  int exit_code = -1;
  int signal = 0;
  std::string Describe() const;
};
IsolatedResult RunIsolated(const std::function<void()>& body,
                           int timeout_seconds = 60);

// Waits for `event` with the configured timeout; a plugin whose event never
// completes fails instead of hanging the suite.
absl::Status AwaitWithTimeout(const Event& event);

// Base fixture: a fresh client per test and its first addressable device.
class ConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override;

  template <typename T>
  Buffer Upload(const std::vector<T>& values, const std::vector<int64_t>& dims,
                const Device* device = nullptr) {
    absl::StatusOr<Buffer> buffer = client_.BufferFromVector<T>(
        values, dims, device == nullptr ? device_ : *device);
    EXPECT_TRUE(buffer.ok()) << buffer.status();
    return buffer.ok() ? *std::move(buffer) : Buffer();
  }
  template <typename T>
  std::vector<T> Download(const Buffer& buffer) {
    absl::StatusOr<std::vector<T>> values = buffer.ToVector<T>();
    EXPECT_TRUE(values.ok()) << values.status();
    return values.ok() ? *std::move(values) : std::vector<T>();
  }
  Executable CompileOrDie(const std::string& program,
                          const std::vector<NamedValue>& options = {});

  Client client_;
  Device device_;
};

// A one-op program adding its two f32[4] parameters.
extern const char kAddProgram[];

}  // namespace backplane::conformance

#endif  // BACKPLANE_TESTS_CONFORMANCE_HARNESS_H_
