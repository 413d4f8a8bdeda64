// Buffer assignment: the buffer table of a program being lowered. Every
// value gets a slot (a parameter, a result, a constant, a temporary, or an
// alias of another slot's bytes); the lowering reports where each
// temporary is written and read (op indices, in execution order), and
// Finish places the temporaries in one arena by liveness. It also records
// what donation needs: the op that writes each result, whether it works in
// place, and each parameter's last reader.
//
//   BufferAssignment buffers;
//   buffers.AddParameter(block.argument(0), 0);
//   buffers.Read(op.operand(0), /*index=*/1);
//   buffers.Bind(op.result(0), buffers.AddTemp(bytes, /*index=*/1));
//   for (auto& [from, to] : buffers.AssignResults(block, terminator)) Copy();
//   BufferLayout layout = std::move(buffers).Finish();
//
// The assignment owns nothing but its tables; constants stay owned by the
// module or the lowering, and slots point at their bytes.
#ifndef BACKPLANE_CPU_PLUGIN_BUFFER_ASSIGNMENT_H_
#define BACKPLANE_CPU_PLUGIN_BUFFER_ASSIGNMENT_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "cpu_plugin/basic_thunks.h"

namespace backplane::cpu {

// Alignment of every buffer in the arena (and of the arena itself).
constexpr int64_t kAlignment = 64;
inline int64_t AlignUp(int64_t n) {
  return (n + kAlignment - 1) / kAlignment * kAlignment;
}

enum class SlotKind { kParameter, kResult, kConstant, kTemp, kAlias };

struct Slot {
  SlotKind kind = SlotKind::kTemp;
  int64_t index = 0;   // Parameter/result index, or aliased slot.
  int64_t offset = 0;  // Arena offset of temps.
  const uint8_t* constant = nullptr;
};

// What a Program keeps of the assignment (aliased slots come after the
// slots they alias).
struct BufferLayout {
  std::vector<Slot> slots;
  int64_t arena_bytes = 0;  // Peak bytes of temporaries.
  // Sum of the temporaries' sizes without reuse, to show what liveness saves.
  int64_t unshared_temp_bytes = 0;
  int64_t constant_bytes = 0;
  // Op index of the thunk that writes each result (-1: a copy at the end,
  // or the interpreter), whether that thunk works in place, and each
  // parameter's last reading op index (-1: unread).
  std::vector<int> result_def;
  std::vector<bool> result_in_place;
  std::vector<int> parameter_last_use;
};

class BufferAssignment {
 public:
  // A slot bound to no value (the interpreter's parameters and results).
  int AddSlot(SlotKind kind, int64_t index);
  // Parameter `index`, bound to `v`.
  int AddParameter(const ir::Value* v, int64_t index);
  // A constant slot over `literal`'s bytes (which must outlive the program).
  int AddConstant(const ir::Literal& literal);
  // A temporary of `bytes`, written by the op at `index`.
  int AddTemp(int64_t bytes, int index);
  // `v` uses the bytes of `of` (a reshape, a folded transpose, a result
  // placed over its residual).
  void AddAlias(const ir::Value* v, const ir::Value* of);
  // `v` is (from now on) held by `slot`.
  void Bind(const ir::Value* v, int slot);

  // The slot of `v`, -1 when it has none (a dead value).
  int SlotOf(const ir::Value* v) const;
  BufferRef Ref(const ir::Value* v) const;
  // The op at `index` reads `v` (nothing when v has no slot).
  void Read(const ir::Value* v, int index);
  // The op at `index` runs a thunk that may write over its operands.
  void MarkInPlace(int index) { in_place_ops_.insert(index); }

  // Records the parameters' last uses, and makes the temporaries the
  // terminator returns the result buffers themselves; returns the copies
  // (from, to) the other results need (parameters, constants, aliases and
  // repeated values), each to a new result slot.
  std::vector<std::pair<BufferRef, BufferRef>> AssignResults(
      const ir::Block& block, const ir::Op& terminator);

  // Places temporaries in one arena: buffers whose live ranges [def, last
  // use] overlap get disjoint bytes; others may share.
  BufferLayout Finish() &&;

 private:
  absl::flat_hash_map<const ir::Value*, int> slot_of_;
  BufferLayout layout_;
  std::vector<int> root_;                  // Slot whose memory a slot uses.
  std::vector<int> def_;                   // Op index that writes a temp.
  std::vector<int> last_use_;              // Last op index reading a root slot.
  std::vector<int64_t> bytes_;             // Sizes of temps.
  absl::flat_hash_set<int> in_place_ops_;  // Op indices of in-place thunks.
};

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_BUFFER_ASSIGNMENT_H_
