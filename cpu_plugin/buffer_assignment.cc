#include "cpu_plugin/buffer_assignment.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace backplane::cpu {

int BufferAssignment::AddSlot(SlotKind kind, int64_t index) {
  Slot s;
  s.kind = kind;
  s.index = index;
  layout_.slots.push_back(s);
  const int slot = static_cast<int>(layout_.slots.size()) - 1;
  root_.push_back(slot);
  def_.push_back(-1);
  last_use_.push_back(-1);
  bytes_.push_back(0);
  return slot;
}

int BufferAssignment::AddParameter(const ir::Value* v, int64_t index) {
  const int slot = AddSlot(SlotKind::kParameter, index);
  slot_of_[v] = slot;
  return slot;
}

int BufferAssignment::AddConstant(const ir::Literal& literal) {
  const int slot = AddSlot(SlotKind::kConstant, 0);
  layout_.slots[slot].constant =
      static_cast<const uint8_t*>(literal.untyped_data());
  layout_.constant_bytes += literal.byte_size();
  return slot;
}

int BufferAssignment::AddTemp(int64_t bytes, int index) {
  const int slot = AddSlot(SlotKind::kTemp, 0);
  def_[slot] = index;
  last_use_[slot] = index;
  bytes_[slot] = bytes;
  return slot;
}

void BufferAssignment::AddAlias(const ir::Value* v, const ir::Value* of) {
  const int from = slot_of_.at(of);
  const int slot = AddSlot(SlotKind::kAlias, from);
  root_[slot] = root_[from];
  slot_of_[v] = slot;
}

void BufferAssignment::Bind(const ir::Value* v, int slot) {
  slot_of_[v] = slot;
}

int BufferAssignment::SlotOf(const ir::Value* v) const {
  auto it = slot_of_.find(v);
  return it == slot_of_.end() ? -1 : it->second;
}

BufferRef BufferAssignment::Ref(const ir::Value* v) const {
  return BufferRef{slot_of_.at(v), v->type().tensor()};
}

void BufferAssignment::Read(const ir::Value* v, int index) {
  auto it = slot_of_.find(v);
  if (it == slot_of_.end()) return;
  const int root = root_[it->second];
  last_use_[root] = std::max(last_use_[root], index);
}

std::vector<std::pair<BufferRef, BufferRef>> BufferAssignment::AssignResults(
    const ir::Block& block, const ir::Op& terminator) {
  layout_.result_def.assign(terminator.num_operands(), -1);
  layout_.result_in_place.assign(terminator.num_operands(), false);
  for (int i = 0; i < block.num_arguments(); ++i) {
    layout_.parameter_last_use.push_back(
        last_use_[root_[slot_of_.at(block.argument(i))]]);
  }
  std::vector<bool> claimed(layout_.slots.size(), false);
  std::vector<bool> aliased(layout_.slots.size(), false);
  for (size_t s = 0; s < layout_.slots.size(); ++s) {
    if (layout_.slots[s].kind == SlotKind::kAlias) aliased[root_[s]] = true;
  }
  std::vector<std::pair<BufferRef, BufferRef>> copies;
  for (int j = 0; j < terminator.num_operands(); ++j) {
    const ir::Value* v = terminator.operand(j);
    const int slot = slot_of_.at(v);
    Slot& s = layout_.slots[slot];
    if (s.kind == SlotKind::kTemp && !claimed[slot] && !aliased[slot]) {
      s.kind = SlotKind::kResult;
      s.index = j;
      claimed[slot] = true;
      layout_.result_def[j] = def_[slot];
      layout_.result_in_place[j] = in_place_ops_.contains(def_[slot]);
      continue;
    }
    const int out = AddSlot(SlotKind::kResult, j);
    copies.push_back({Ref(v), BufferRef{out, v->type().tensor()}});
  }
  return copies;
}

// Largest first, each at the lowest offset that fits (first fit by offset).
BufferLayout BufferAssignment::Finish() && {
  struct Item {
    int slot;
    int64_t bytes;
    int begin, end;
    int64_t offset;
  };
  std::vector<Item> items;
  for (size_t s = 0; s < layout_.slots.size(); ++s) {
    if (layout_.slots[s].kind != SlotKind::kTemp) continue;
    const int64_t bytes = bytes_[s];
    items.push_back({static_cast<int>(s), AlignUp(std::max<int64_t>(bytes, 1)),
                     def_[s], std::max(def_[s], last_use_[s]), 0});
    layout_.unshared_temp_bytes += AlignUp(bytes);
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.slot < b.slot;
  });
  std::vector<const Item*> placed;
  int64_t peak = 0;
  for (Item& item : items) {
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (const Item* other : placed) {
      if (other->begin <= item.end && item.begin <= other->end) {
        busy.push_back({other->offset, other->offset + other->bytes});
      }
    }
    std::sort(busy.begin(), busy.end());
    int64_t offset = 0;
    for (const auto& [lo, hi] : busy) {
      if (offset + item.bytes <= lo) break;
      offset = std::max(offset, hi);
    }
    item.offset = offset;
    placed.push_back(&item);
    peak = std::max(peak, offset + item.bytes);
    layout_.slots[item.slot].offset = offset;
  }
  layout_.arena_bytes = peak;
  return std::move(layout_);
}

}  // namespace backplane::cpu
