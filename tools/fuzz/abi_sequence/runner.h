// Internal to the fuzzer (abi_sequence.h is the interface): the state of one
// sequence, its handle pool and the checked call helper the actions use.
//
//   Runner runner(plugins, options, &stats, data, size);
//   absl::Status finding = runner.Run();  // actions, then teardown
#ifndef BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_RUNNER_H_
#define BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_RUNNER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "api/backplane_c_api.h"
#include "tools/fuzz/abi_sequence/abi_sequence.h"
#include "tools/fuzz/abi_sequence/programs.h"

namespace backplane::fuzz {

// Reads the fuzz input; past its end every read is 0.
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool Done() const { return pos_ >= size_; }
  uint8_t U8() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint32_t U32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | U8();
    return v;
  }
  // In [0, n); 0 when n is 0.
  size_t Pick(size_t n) { return n == 0 ? 0 : U8() % n; }
  bool OneIn(int n) { return U8() % n == 0; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

enum class Kind : uint8_t {
  kClient,
  kDevice,
  kMemory,
  kDescription,
  kBuffer,
  kExecutable,
  kEvent,
  kError,
};
constexpr int kNumKinds = 8;
const char* KindName(Kind kind);

// One handle the sequence has seen, live or not.
struct Obj {
  Kind kind;
  int plugin;
  void* ptr;
  bool live = true;
  int client = -1;       // Pool index of the client it belongs to.
  bool deleted = false;  // Buffer_Delete / Executable_Delete.
  // Buffers.
  int element_type = 0;
  std::vector<int64_t> dims;
  bool known = false;  // `values` is the buffer's certain f32 content.
  std::vector<float> values;
  int producer = -1;  // The executable whose run made it.
  // Buffers and events: may depend on a framework event not set yet.
  bool may_block = false;
  // Executables.
  int program = kUnknownProgram;
  // Events.
  bool framework = false;
  bool set = false;
  bool doomed = false;  // A callback destroys it.
  // Clients: their first addressable device (pool index).
  int device = -1;
};

// Registered Event_OnReady callbacks; teardown waits for all to run.
struct CallbackTracker {
  std::mutex mu;
  std::condition_variable cv;
  int registered = 0;
  int fired = 0;
  std::string violation;  // Set by a callback that saw a broken contract.
};

struct CallbackSlot {
  CallbackTracker* tracker;
  const BPL_Api* api = nullptr;
  BPL_Event* destroy = nullptr;  // Destroyed by the callback when set.
  std::atomic<int> runs{0};
  bool done = false;  // Under tracker->mu.
  int64_t code = 0;   // The event's code, under tracker->mu.
};

// What a call must answer.
enum class Expect {
  kOk,
  kInvalidArgument,
  kError,        // Any error.
  kOkOrInvalid,  // OK or INVALID_ARGUMENT.
  kAny,          // Anything (a valid error if one).
};
const char* ExpectName(Expect expect);

// A handle chosen for a call and whether it is certainly invalid there.
struct Pick {
  int index = -1;  // Pool index; -1 for NULL or a bogus pointer.
  void* ptr = nullptr;
  bool bad = false;
  const char* how = "null";
};

class Runner {
 public:
  Runner(const std::vector<const BPL_Api*>& plugins,
         const SequenceOptions& options, SequenceStats* stats,
         const uint8_t* data, size_t size);
  ~Runner();

  // The actions, then the teardown. OK or the first finding.
  absl::Status Run();

  // ------------------------------------------------------------ checked call
  // Calls `fn(&args)` of plugin `plugin`, maybe with a mutated struct_size
  // (from the input, when `fuzz_size`), checks the answer against `expect`
  // and that nothing was written past struct_size. Sets *result to the
  // call's own status. Returns a finding or OK.
  template <typename Args>
  absl::Status Call(const char* name, int plugin, BPL_Error* (*fn)(Args*),
                    Args& args, Expect expect, absl::Status* result,
                    bool fuzz_size = true);

  // A finding at the current action.
  absl::Status Finding(const std::string& what) const;

  const BPL_Api* api(int plugin) const { return plugins_[plugin]; }
  int num_plugins() const { return static_cast<int>(plugins_.size()); }
  Bytes& in() { return in_; }
  std::vector<Obj>& pool() { return pool_; }
  Obj& obj(int i) { return pool_[i]; }

  int Add(Obj obj);
  // Index of the entry for `ptr` of `plugin` and `kind`, adding one.
  int Intern(Kind kind, int plugin, void* ptr, int client);

  // A live, usable object of `kind` (of `plugin` unless -1), or -1.
  int PickLive(Kind kind, int plugin = -1);
  // A handle certainly invalid for `kind` on `plugin`: destroyed, of another
  // plugin, of another type, or a pointer no plugin handed out.
  Pick PickBad(Kind kind, int plugin);
  // Mostly a live handle of `kind`; sometimes a bad one or NULL.
  Pick PickFor(Kind kind, int plugin);

  // Usable: live, not deleted, not doomed, and its client live.
  bool Healthy(int index) const;
  bool ClientLive(int index) const;

  // Takes the error `plugin` returned: checks its code and message, then
  // destroys it or keeps it in the pool. Returns a finding or OK; *status
  // receives the error's status.
  absl::Status TakeError(int plugin, BPL_Error* error, absl::Status* status);
  // Destroys an error of `plugin` the fuzzer does not keep.
  void DropError(int plugin, BPL_Error* error);

  // Registers a callback on `event`, counted by teardown. With `destroy`
  // the callback destroys the event. Returns the call's finding.
  absl::Status Track(int plugin, BPL_Event* event, bool destroy, bool fuzz_size,
                     CallbackSlot** slot_out = nullptr,
                     Expect expect = Expect::kOk);
  // Waits (with the timeout) for `slot`'s event; a finding on timeout.
  absl::Status WaitSlot(CallbackSlot* slot, int64_t* code);
  // Waits for a plugin event through Track; *code is its completion code.
  absl::Status Wait(int plugin, BPL_Event* event, int64_t* code);

  // Host memory that must outlive every pending transfer and run.
  template <typename T>
  T* Keep(size_t count) {
    // Exactly the bytes asked for (at least one), so ASan sees overruns.
    auto block = std::make_unique<std::vector<unsigned char>>(
        count * sizeof(T) == 0 ? 1 : count * sizeof(T), 0);
    T* p = reinterpret_cast<T*>(block->data());
    keep_.push_back(std::move(block));
    return p;
  }

  // Marks every output of executable `exe` uncertain (after a Cancel).
  void Unsettle(int exe);

  // Serialised executables, for Client_DeserializeExecutable.
  struct Blob {
    int plugin;
    int program;
    std::string bytes;
  };
  std::vector<Blob>& blobs() { return blobs_; }

  uint64_t& action() { return action_; }
  void Log(const std::string& line);

 private:
  absl::Status RunAction(int op);
  absl::Status Teardown();
  absl::Status SetFrameworkEvents();
  absl::Status WaitCallbacks();
  absl::Status DestroyAll();
  absl::Status CheckErrorOf(int plugin, BPL_Error* error, absl::Status* status);

  std::vector<const BPL_Api*> plugins_;
  SequenceOptions options_;
  SequenceStats* stats_;
  Bytes in_;
  std::vector<Obj> pool_;
  uint64_t action_ = 0;
  std::string current_ = "setup";
  CallbackTracker tracker_;
  std::vector<std::unique_ptr<CallbackSlot>> slots_;
  std::vector<std::unique_ptr<std::vector<unsigned char>>> keep_;
  std::vector<Blob> blobs_;
  std::vector<Obj> kept_errors_;
  bool teardown_ = false;
  bool leak_slots_ = false;  // A callback may still run: never free them.
};

// The actions (actions.cc and queries.cc), one per op code.
constexpr int kNumActions = 24;
absl::Status RunActionOp(Runner& r, int op);

// -------------------------------------------------------------- Call

template <typename Args>
absl::Status Runner::Call(const char* name, int plugin, BPL_Error* (*fn)(Args*),
                          Args& args, Expect expect, absl::Status* result,
                          bool fuzz_size) {
  struct alignas(16) Padded {
    Args args;
    unsigned char pad[64];
  };
  auto padded = std::make_unique<Padded>();
  std::memset(padded.get(), 0xAB, sizeof(Padded));
  std::memcpy(&padded->args, &args, sizeof(Args));
  size_t size = sizeof(Args);
  if (fuzz_size) {
    uint8_t m = in_.U8();
    if (m >= 244) {
      size = m % 16;  // Too small for any struct.
      expect = Expect::kInvalidArgument;
    } else if (m >= 232) {
      size = sizeof(Args) + 8 * (m % 8 + 1);  // A newer framework's.
    }
  }
  padded->args.struct_size = size;
  auto before = std::make_unique<Padded>();
  std::memcpy(before.get(), padded.get(), sizeof(Padded));
  current_ = absl::StrCat(name, " on plugin ", plugin, " (struct_size ", size,
                          ", expected ", ExpectName(expect), ")");
  Log(absl::StrCat("  call ", current_));
  ++stats_->calls;
  ++stats_->calls_per_plugin[plugin];
  BPL_Error* error = fn(&padded->args);
  const unsigned char* a = reinterpret_cast<const unsigned char*>(padded.get());
  const unsigned char* b = reinterpret_cast<const unsigned char*>(before.get());
  for (size_t i = size; i < sizeof(Padded); ++i) {
    if (a[i] != b[i]) {
      if (error != nullptr) DropError(plugin, error);
      return Finding(
          absl::StrCat("wrote byte ", i, " past struct_size ", size));
    }
  }
  std::memcpy(&args, &padded->args, sizeof(Args));
  args.struct_size = sizeof(Args);
  absl::Status status;
  absl::Status finding = TakeError(plugin, error, &status);
  if (!finding.ok()) return finding;
  *result = status;
  const bool ok = status.ok();
  const bool invalid = status.code() == absl::StatusCode::kInvalidArgument;
  switch (expect) {
    case Expect::kOk:
      if (!ok)
        return Finding(absl::StrCat("expected OK, got ", status.ToString()));
      break;
    case Expect::kInvalidArgument:
      if (!invalid) {
        return Finding(
            absl::StrCat("expected INVALID_ARGUMENT, got ", status.ToString()));
      }
      break;
    case Expect::kError:
      if (ok) return Finding("expected an error, got OK");
      break;
    case Expect::kOkOrInvalid:
      if (!ok && !invalid) {
        return Finding(absl::StrCat("expected OK or INVALID_ARGUMENT, got ",
                                    status.ToString()));
      }
      break;
    case Expect::kAny:
      break;
  }
  return absl::OkStatus();
}

}  // namespace backplane::fuzz

#endif  // BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_RUNNER_H_
