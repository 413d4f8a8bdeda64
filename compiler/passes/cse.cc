#include "compiler/passes/cse.h"

#include <unordered_map>
#include <vector>

#include "absl/hash/hash.h"
#include "base/status_macros.h"
#include "compiler/passes/op_properties.h"

namespace backplane::passes {
namespace {

// Cheap hash over the op's shape; Equivalent() decides.
size_t HashOp(const ir::Op& op) {
  size_t h = absl::HashOf(static_cast<int>(op.code()), op.name(),
                          op.num_results(), op.attributes().size());
  for (ir::Value* v : op.operands()) h = absl::HashOf(h, v);
  for (const auto& [name, value] : op.attributes().entries()) {
    h = absl::HashOf(h, name, static_cast<int>(value.kind()));
  }
  return h;
}

bool Equivalent(const ir::Op& a, const ir::Op& b) {
  return a.code() == b.code() && a.name() == b.name() &&
         a.operands() == b.operands() && a.result_types() == b.result_types() &&
         a.attributes() == b.attributes();
}

class CsePass : public Pass {
 public:
  absl::string_view name() const override { return "cse"; }

  absl::StatusOr<bool> Run(ir::Module& module) override {
    changed_ = false;
    for (const auto& f : module.functions()) {
      RETURN_IF_ERROR(VisitRegion(f->body()));
    }
    return changed_;
  }

 private:
  absl::Status VisitRegion(ir::Region& region) {
    // Each region starts from an empty table: reusing an op from outside
    // would be correct (it dominates the region) but would make region
    // bodies capture outer values, which reduction bodies, the constant
    // folder and backends' body matchers all prefer not to see.
    Table outer_table;
    std::vector<std::pair<size_t, ir::Op*>> outer_undo;
    std::swap(table_, outer_table);
    std::swap(undo_, outer_undo);
    absl::Status status = VisitBlocks(region);
    std::swap(table_, outer_table);
    std::swap(undo_, outer_undo);
    return status;
  }

  absl::Status VisitBlocks(ir::Region& region) {
    for (int b = 0; b < region.num_blocks(); ++b) {
      // Everything a block adds to the table is removed when the block is
      // done, so later blocks and enclosing scopes never see it.
      size_t mark = undo_.size();
      absl::Status s = VisitBlock(*region.block(b));
      while (undo_.size() > mark) {
        auto [h, op] = undo_.back();
        undo_.pop_back();
        auto range = table_.equal_range(h);
        for (auto it = range.first; it != range.second; ++it) {
          if (it->second == op) {
            table_.erase(it);
            break;
          }
        }
      }
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status VisitBlock(ir::Block& block) {
    std::vector<ir::Op*> ops;
    for (const auto& op : block.ops()) ops.push_back(op.get());
    for (ir::Op* op : ops) {
      for (int r = 0; r < op->num_regions(); ++r) {
        RETURN_IF_ERROR(VisitRegion(*op->region(r)));
      }
      if (!IsCseCandidate(*op)) continue;
      size_t h = HashOp(*op);
      ir::Op* existing = nullptr;
      auto range = table_.equal_range(h);
      for (auto it = range.first; it != range.second; ++it) {
        if (Equivalent(*it->second, *op)) {
          existing = it->second;
          break;
        }
      }
      if (existing == nullptr) {
        table_.emplace(h, op);
        undo_.emplace_back(h, op);
        continue;
      }
      for (int i = 0; i < op->num_results(); ++i) {
        op->result(i)->ReplaceAllUsesWith(existing->result(i));
      }
      RETURN_IF_ERROR(op->Erase());
      changed_ = true;
    }
    return absl::OkStatus();
  }

  using Table = std::unordered_multimap<size_t, ir::Op*>;
  Table table_;
  // Insertions in order, to take back at the end of each block (iterators
  // would not survive rehashing).
  std::vector<std::pair<size_t, ir::Op*>> undo_;
  bool changed_ = false;
};

}  // namespace

std::unique_ptr<Pass> CreateCsePass() { return std::make_unique<CsePass>(); }

}  // namespace backplane::passes
