#include "tools/fuzz/abi_sequence/abi_sequence.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/fuzz/abi_sequence/runner.h"

namespace backplane::fuzz {

void ActionLog::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  lines_.clear();
}

void ActionLog::Add(std::string line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (echo_) std::fprintf(stderr, "%s\n", line.c_str());
  lines_.push_back(std::move(line));
}

std::string ActionLog::Dump() const {
  std::lock_guard<std::mutex> lock(mu_);
  return absl::StrJoin(lines_, "\n");
}

absl::Status RunSequence(const uint8_t* data, size_t size,
                         const std::vector<const BPL_Api*>& plugins,
                         SequenceStats* stats, const SequenceOptions& options) {
  SequenceStats local(plugins.size());
  if (stats == nullptr) stats = &local;
  if (stats->calls_per_plugin.size() < plugins.size()) {
    stats->calls_per_plugin.resize(plugins.size());
  }
  if (options.log != nullptr) options.log->Clear();
  Runner runner(plugins, options, stats, data, size);
  return runner.Run();
}

void RunSequenceOrDie(const uint8_t* data, size_t size,
                      const std::vector<const BPL_Api*>& plugins,
                      SequenceStats* stats, const SequenceOptions& options) {
  ActionLog log;
  SequenceOptions with_log = options;
  if (with_log.log == nullptr) with_log.log = &log;
  absl::Status finding = RunSequence(data, size, plugins, stats, with_log);
  if (finding.ok()) return;
  std::fprintf(stderr, "abi_sequence_fuzz: FINDING: %s\naction log:\n%s\n",
               std::string(finding.message()).c_str(),
               with_log.log->Dump().c_str());
  std::fflush(stderr);
  std::abort();
}

// ---------------------------------------------------------------- Watchdog

Watchdog::Watchdog(int seconds, const ActionLog* log)
    : seconds_(seconds), log_(log), thread_([this] { Loop(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Watchdog::Arm() {
  std::lock_guard<std::mutex> lock(mu_);
  armed_ = true;
  ++armed_generation_;
  cv_.notify_all();
}

void Watchdog::Disarm() {
  std::lock_guard<std::mutex> lock(mu_);
  armed_ = false;
  cv_.notify_all();
}

void Watchdog::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (!armed_) {
      cv_.wait(lock);
      continue;
    }
    const uint64_t generation = armed_generation_;
    const bool done = cv_.wait_for(lock, std::chrono::seconds(seconds_), [&] {
      return stop_ || !armed_ || armed_generation_ != generation;
    });
    if (done) continue;
    std::fprintf(stderr,
                 "abi_sequence_fuzz: FINDING: a sequence ran longer than %d s "
                 "(hang)\naction log:\n%s\n",
                 seconds_, log_ == nullptr ? "" : log_->Dump().c_str());
    std::fflush(stderr);
    std::abort();
  }
}

// ---------------------------------------------------------- InputGenerator

InputGenerator::InputGenerator(uint64_t seed, size_t max_len)
    : state_(seed * 0x9E3779B97F4A7C15ull + 1), max_len_(max_len) {}

uint64_t InputGenerator::Rand() {
  // splitmix64.
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::vector<uint8_t> InputGenerator::Fresh() {
  std::vector<uint8_t> input(1 + Rand() % max_len_);
  for (uint8_t& b : input) b = static_cast<uint8_t>(Rand());
  return input;
}

std::vector<uint8_t> InputGenerator::Mutate(std::vector<uint8_t> input) {
  const int steps = 1 + static_cast<int>(Rand() % 4);
  for (int s = 0; s < steps; ++s) {
    const size_t n = input.size();
    switch (Rand() % 5) {
      case 0:  // Flip bits of one byte.
        if (n > 0) input[Rand() % n] ^= static_cast<uint8_t>(1 + Rand() % 255);
        break;
      case 1:  // Insert bytes.
        input.insert(input.begin() + (n == 0 ? 0 : Rand() % (n + 1)),
                     1 + Rand() % 8, static_cast<uint8_t>(Rand()));
        break;
      case 2:  // Erase bytes.
        if (n > 1) {
          size_t at = Rand() % n;
          input.erase(input.begin() + at,
                      input.begin() + std::min(n, at + 1 + Rand() % 8));
        }
        break;
      case 3:  // Overwrite one byte.
        if (n > 0) input[Rand() % n] = static_cast<uint8_t>(Rand());
        break;
      default: {  // Splice in part of another parent.
        if (parents_.empty()) break;
        const std::vector<uint8_t>& other = parents_[Rand() % parents_.size()];
        if (other.empty()) break;
        size_t from = Rand() % other.size();
        size_t len = 1 + Rand() % (other.size() - from);
        input.insert(input.begin() + (n == 0 ? 0 : Rand() % (n + 1)),
                     other.begin() + from, other.begin() + from + len);
        break;
      }
    }
  }
  if (input.size() > max_len_) input.resize(max_len_);
  if (input.empty()) input.push_back(static_cast<uint8_t>(Rand()));
  return input;
}

std::vector<uint8_t> InputGenerator::Next() {
  if (parents_.empty() || Rand() % 10 < 3) return Fresh();
  return Mutate(parents_[Rand() % parents_.size()]);
}

void InputGenerator::Remember(std::vector<uint8_t> input) {
  constexpr size_t kMaxParents = 64;
  if (parents_.size() < kMaxParents) {
    parents_.push_back(std::move(input));
    return;
  }
  parents_[next_slot_] = std::move(input);
  next_slot_ = (next_slot_ + 1) % kMaxParents;
}

}  // namespace backplane::fuzz
