#include "tests/util/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "base/build_sanitizer.h"

namespace backplane::tests {

std::optional<std::string> RunInChild(const std::function<std::string()>& body,
                                      std::optional<size_t> address_space_bytes,
                                      int timeout_seconds) {
  int out[2];
  if (pipe(out) != 0) return std::nullopt;
  const pid_t pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    return std::nullopt;
  }
  if (pid == 0) {
    close(out[0]);
    if (address_space_bytes) {
      struct rlimit limit = {*address_space_bytes, *address_space_bytes};
      if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(3);
    }
    std::string text;
    try {
      text = body();
    } catch (...) {
      _exit(2);
    }
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = write(out[1], text.data() + done, text.size() - done);
      if (n <= 0) _exit(1);
      done += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(out[1]);
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  std::string text;
  int status = 0;
  bool exited = false;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  char buf[4096];
  while (!exited && std::chrono::steady_clock::now() < deadline) {
    ssize_t n;
    while ((n = read(out[0], buf, sizeof(buf))) > 0) text.append(buf, n);
    exited = waitpid(pid, &status, WNOHANG) == pid;
    if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  ssize_t n;
  while ((n = read(out[0], buf, sizeof(buf))) > 0) text.append(buf, n);
  close(out[0]);
  if (!exited || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return std::nullopt;
  }
  return text;
}

bool AddressSpaceLimitsWork() {
  return std::string(base::ThisBuildSanitizer()) == "none";
}

}  // namespace backplane::tests
