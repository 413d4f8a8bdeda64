#include "tests/conformance/harness.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "api/cpp/api_ref.h"

namespace backplane::conformance {

const char kAddProgram[] = R"(
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %c = stablehlo.add %a, %b : tensor<4xf32>
  return %c : tensor<4xf32>
})";

Config& GetConfig() {
  static Config* config = new Config();
  return *config;
}

namespace {
Plugin* g_plugin = nullptr;
std::vector<std::string>* g_capabilities = nullptr;
}  // namespace

void SetPluginForTesting(Plugin plugin);

const Plugin& GetPlugin() { return *g_plugin; }
const BPL_Api* Api() { return g_plugin->api().api; }

bool HasCapability(const std::string& capability) {
  if (g_capabilities == nullptr) {
    g_capabilities = new std::vector<std::string>();
    absl::StatusOr<std::vector<NamedValue>> attributes = g_plugin->attributes();
    if (attributes.ok()) {
      for (const NamedValue& v : *attributes) {
        if (v.name == "capabilities" &&
            std::holds_alternative<std::vector<std::string>>(v.value)) {
          *g_capabilities = std::get<std::vector<std::string>>(v.value);
        }
      }
    }
  }
  for (const std::string& c : *g_capabilities) {
    if (c == capability) return true;
  }
  return false;
}

void SetPluginForTesting(Plugin plugin) {
  g_plugin = new Plugin(std::move(plugin));
}

int64_t TakeErrorCode(BPL_Error* error) {
  return static_cast<int64_t>(TakeStatus(error).code());
}

absl::Status TakeStatus(BPL_Error* error) {
  return internal::ToStatus(Api(), error);
}

std::string IsolatedResult::Describe() const {
  if (exited) return absl::StrCat("exited with code ", exit_code);
  if (signal == SIGKILL) return "hung and was killed";
  return absl::StrCat("crashed with signal ", signal, " (", strsignal(signal),
                      ")");
}

IsolatedResult RunIsolated(const std::function<void()>& body,
                           int timeout_seconds) {
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    alarm(static_cast<unsigned>(timeout_seconds));
    body();
    bool failed = ::testing::Test::HasFailure();
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(failed ? 1 : 0);
  }
  IsolatedResult result;
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    if (result.signal == SIGALRM) result.signal = SIGKILL;
  }
  return result;
}

absl::Status AwaitWithTimeout(const Event& event) {
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    absl::Status status;
  };
  auto state = std::make_shared<State>();
  absl::Status registered = event.OnReady([state](absl::Status status) {
    std::lock_guard<std::mutex> lock(state->mu);
    state->done = true;
    state->status = std::move(status);
    state->cv.notify_all();
  });
  if (!registered.ok()) return registered;
  std::unique_lock<std::mutex> lock(state->mu);
  if (!state->cv.wait_for(
          lock, std::chrono::seconds(GetConfig().event_timeout_seconds),
          [&] { return state->done; })) {
    return absl::DeadlineExceededError(
        absl::StrCat("event did not complete within ",
                     GetConfig().event_timeout_seconds, " s"));
  }
  return state->status;
}

void ConformanceTest::SetUp() {
  absl::StatusOr<Client> client = GetPlugin().CreateClient();
  ASSERT_TRUE(client.ok()) << client.status();
  client_ = *std::move(client);
  absl::StatusOr<std::vector<Device>> devices = client_.addressable_devices();
  ASSERT_TRUE(devices.ok()) << devices.status();
  ASSERT_FALSE(devices->empty()) << "the plugin has no addressable device";
  device_ = (*devices)[0];
}

Executable ConformanceTest::CompileOrDie(
    const std::string& program, const std::vector<NamedValue>& options) {
  absl::StatusOr<Executable> exe = client_.Compile(program, options);
  EXPECT_TRUE(exe.ok()) << exe.status();
  return exe.ok() ? *std::move(exe) : Executable();
}

}  // namespace backplane::conformance
