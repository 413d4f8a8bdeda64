// The ABI call-sequence fuzzer (issue 13): decodes bytes into a sequence of
// C ABI calls over a pool of handles (live, destroyed, of other plugins, of
// the wrong type) and checks every answer against the contract of
// docs/abi.md.
//
//   std::vector<const BPL_Api*> plugins = {hello_api, cpu_api, sim_api};
//   backplane::fuzz::SequenceStats stats(plugins.size());
//   absl::Status finding = backplane::fuzz::RunSequence(
//       data, size, plugins, &stats);
//   if (!finding.ok()) std::cerr << finding;  // names the action and call
//
//   // Or, as a fuzz target does: abort with the action log on a finding.
//   backplane::fuzz::RunSequenceOrDie(data, size, plugins, &stats);
//
// A sequence creates and destroys clients, uploads buffers with random
// shapes, element types and byte strides, downloads them into undersized
// and oversized destinations, compiles valid and invalid programs,
// serialises and deserialises (corrupted) executables, executes with valid
// and hostile arguments, creates, sets and destroys framework events,
// registers callbacks that destroy their event, cancels long loops and
// passes wrong struct_size values. The oracle (README.md): a stale,
// destroyed, foreign or mistyped handle is INVALID_ARGUMENT; every error has
// a code in 1..16 and a non-empty message; the add program computes the
// right numbers; every event completes within the timeout; no call writes
// past its args struct_size. Every sequence ends with a teardown that
// destroys what is still live and waits for pending work, so sequences are
// independent and nothing leaks.
#ifndef BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_ABI_SEQUENCE_H_
#define BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_ABI_SEQUENCE_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "api/backplane_c_api.h"

namespace backplane::fuzz {

// Call counts, accumulated over sequences.
struct SequenceStats {
  explicit SequenceStats(size_t num_plugins) : calls_per_plugin(num_plugins) {}
  uint64_t calls = 0;
  uint64_t actions = 0;
  std::vector<uint64_t> calls_per_plugin;
};

// The actions of the sequence that runs now, for the watchdog and for
// findings. Thread-safe.
class ActionLog {
 public:
  // With `echo`, every line is also written to stderr at once (--replay).
  explicit ActionLog(bool echo = false) : echo_(echo) {}
  void Clear();
  void Add(std::string line);
  std::string Dump() const;

 private:
  const bool echo_;
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

struct SequenceOptions {
  // An event that does not complete within this many seconds is a finding.
  int event_timeout_seconds = 10;
  // Receives one line per action; may be null.
  ActionLog* log = nullptr;
};

// Runs the sequence `data` decodes to against `plugins` (initialised ABI
// tables; two or more make foreign handles possible). Returns OK, or the
// first finding as an INTERNAL status naming the action index and the call.
absl::Status RunSequence(const uint8_t* data, size_t size,
                         const std::vector<const BPL_Api*>& plugins,
                         SequenceStats* stats = nullptr,
                         const SequenceOptions& options = {});

// RunSequence, but a finding prints itself and the action log to stderr and
// aborts.
void RunSequenceOrDie(const uint8_t* data, size_t size,
                      const std::vector<const BPL_Api*>& plugins,
                      SequenceStats* stats = nullptr,
                      const SequenceOptions& options = {});

// Aborts, printing `log`, when a sequence runs longer than `seconds`
// between Arm() and Disarm() (a hang).
class Watchdog {
 public:
  Watchdog(int seconds, const ActionLog* log);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  void Arm();
  void Disarm();

 private:
  void Loop();

  const int seconds_;
  const ActionLog* log_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  uint64_t armed_generation_ = 0;
  bool armed_ = false;
  std::thread thread_;
};

// Seeded inputs for the driver and the tests: fresh random byte strings and
// mutations (byte flips, insertions, erasures, splices) of earlier ones.
class InputGenerator {
 public:
  InputGenerator(uint64_t seed, size_t max_len);
  std::vector<uint8_t> Next();
  // Keeps `input` as a parent for later mutations.
  void Remember(std::vector<uint8_t> input);

 private:
  uint64_t Rand();
  std::vector<uint8_t> Fresh();
  std::vector<uint8_t> Mutate(std::vector<uint8_t> input);

  uint64_t state_;
  size_t max_len_;
  std::vector<std::vector<uint8_t>> parents_;
  size_t next_slot_ = 0;
};

}  // namespace backplane::fuzz

#endif  // BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_ABI_SEQUENCE_H_
