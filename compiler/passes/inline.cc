#include "compiler/passes/inline.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"

namespace backplane::passes {
namespace {

using ir::Function;
using ir::Op;

// The callee name of a func.call, or empty when it has none.
std::string CalleeOf(const Op& call) {
  const ir::Attribute* a = call.attr("callee");
  if (a == nullptr || a->kind() != ir::Attribute::Kind::kSymbolRef) return "";
  return a->string_value();
}

void CollectSymbolRefs(const ir::Attribute& a,
                       absl::flat_hash_set<std::string>* out) {
  switch (a.kind()) {
    case ir::Attribute::Kind::kSymbolRef:
      out->insert(a.string_value());
      break;
    case ir::Attribute::Kind::kArray:
      for (const ir::Attribute& e : a.array()) CollectSymbolRefs(e, out);
      break;
    case ir::Attribute::Kind::kDictionary:
      for (const auto& [name, e] : a.dictionary().entries()) {
        CollectSymbolRefs(e, out);
      }
      break;
    default:
      break;
  }
}

// Every function symbol the ops of `f` mention.
absl::flat_hash_set<std::string> ReferencedSymbols(const Function& f) {
  absl::flat_hash_set<std::string> refs;
  ir::Walk(f, [&](Op& op) {
    for (const auto& [name, value] : op.attributes().entries()) {
      CollectSymbolRefs(value, &refs);
    }
  });
  return refs;
}

int64_t CountOps(const ir::Region& region) {
  int64_t n = 0;
  ir::Walk(region, [&](Op&) { ++n; });
  return n;
}

class InlinePass : public Pass {
 public:
  explicit InlinePass(InlineOptions options) : options_(options) {}
  absl::string_view name() const override { return "inline"; }

  absl::StatusOr<bool> Run(ir::Module& module) override {
    RETURN_IF_ERROR(CheckCalls(module));
    ASSIGN_OR_RETURN(std::vector<Function*> order, CalleesFirst(module));
    bool changed = false;
    int64_t total_ops = 0;
    for (const auto& f : module.functions()) total_ops += CountOps(f->body());
    // Callees come first, so the body we copy is already call-free.
    for (Function* f : order) {
      ASSIGN_OR_RETURN(bool c, InlineCallsIn(module, *f, &total_ops));
      changed |= c;
    }
    return RemoveUnreferencedPrivate(module) || changed;
  }

 private:
  // Validates every call against its callee before anything changes.
  static absl::Status CheckCalls(const ir::Module& module) {
    absl::Status status = absl::OkStatus();
    for (const auto& f : module.functions()) {
      ir::Walk(*f, [&](Op& op) {
        if (!status.ok() || op.code() != ir::OpCode::kFuncCall) return;
        std::string callee_name = CalleeOf(op);
        std::string where =
            absl::StrCat("@", f->name(), ": func.call @", callee_name);
        Function* callee = module.LookupFunction(callee_name);
        if (callee_name.empty() || callee == nullptr) {
          status = absl::InvalidArgumentError(
              absl::StrCat(where, ": no such function"));
        } else if (op.operand_types() != callee->argument_types() ||
                   op.result_types() != callee->result_types()) {
          status = absl::InvalidArgumentError(absl::StrCat(
              where, ": call types (", ir::TypeListToString(op.operand_types()),
              ") -> (", ir::TypeListToString(op.result_types()),
              ") do not match the callee's (",
              ir::TypeListToString(callee->argument_types()), ") -> (",
              ir::TypeListToString(callee->result_types()), ")"));
        } else if (callee->body().num_blocks() != 1) {
          status = absl::UnimplementedError(
              absl::StrCat(where, ": cannot inline a function with ",
                           callee->body().num_blocks(), " blocks"));
        } else if (callee->entry()->terminator() == nullptr ||
                   callee->entry()->terminator()->code() !=
                       ir::OpCode::kFuncReturn) {
          status = absl::InvalidArgumentError(
              absl::StrCat(where, ": callee does not end in func.return"));
        }
      });
      if (!status.ok()) return status;
    }
    return status;
  }

  // Post-order over the call graph (iterative DFS); reports cycles.
  static absl::StatusOr<std::vector<Function*>> CalleesFirst(
      const ir::Module& module) {
    absl::flat_hash_map<Function*, std::vector<Function*>> callees;
    for (const auto& f : module.functions()) {
      std::vector<Function*>& out = callees[f.get()];
      ir::Walk(*f, [&](Op& op) {
        if (op.code() == ir::OpCode::kFuncCall) {
          out.push_back(module.LookupFunction(CalleeOf(op)));
        }
      });
    }
    enum class State { kNew, kActive, kDone };
    absl::flat_hash_map<Function*, State> state;
    std::vector<Function*> order;
    for (const auto& root : module.functions()) {
      if (state[root.get()] != State::kNew) continue;
      // Stack of (function, next callee index); the stack is the call path.
      std::vector<std::pair<Function*, size_t>> stack = {{root.get(), 0}};
      state[root.get()] = State::kActive;
      while (!stack.empty()) {
        auto& [f, next] = stack.back();
        const std::vector<Function*>& out = callees[f];
        if (next == out.size()) {
          state[f] = State::kDone;
          order.push_back(f);
          stack.pop_back();
          continue;
        }
        Function* callee = out[next++];
        State& s = state[callee];
        if (s == State::kActive) {
          std::vector<std::string> chain;
          bool in_cycle = false;
          for (const auto& [g, unused] : stack) {
            in_cycle |= g == callee;
            if (in_cycle) chain.push_back(absl::StrCat("@", g->name()));
          }
          chain.push_back(absl::StrCat("@", callee->name()));
          return absl::InvalidArgumentError(absl::StrCat(
              "recursive call chain ", absl::StrJoin(chain, " -> "),
              ": recursion cannot be inlined"));
        }
        if (s == State::kNew) {
          s = State::kActive;
          stack.push_back({callee, 0});
        }
      }
    }
    return order;
  }

  absl::StatusOr<bool> InlineCallsIn(const ir::Module& module, Function& f,
                                     int64_t* total_ops) {
    std::vector<Op*> calls;
    ir::Walk(f, [&](Op& op) {
      if (op.code() == ir::OpCode::kFuncCall) calls.push_back(&op);
    });
    for (Op* call : calls) {
      const Function& callee = *module.LookupFunction(CalleeOf(*call));
      int64_t added = CountOps(callee.body());
      if (*total_ops + added > options_.max_ops) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "@", f.name(), ": inlining @", callee.name(),
            " would grow the module past ", options_.max_ops, " ops"));
      }
      *total_ops += added;
      ir::IRMapping mapping;
      const ir::Block& body = *callee.entry();
      for (int i = 0; i < body.num_arguments(); ++i) {
        mapping[body.argument(i)] = call->operand(i);
      }
      ir::Block* block = call->parent_block();
      for (const auto& op : body.ops()) {
        if (op.get() == body.terminator()) break;
        block->InsertBefore(call, op->Clone(mapping));
      }
      const Op& ret = *body.terminator();
      for (int i = 0; i < call->num_results(); ++i) {
        ir::Value* v = ret.operand(i);
        auto it = mapping.find(v);
        call->result(i)->ReplaceAllUsesWith(it == mapping.end() ? v
                                                                : it->second);
      }
      RETURN_IF_ERROR(call->Erase());
    }
    return !calls.empty();
  }

  static bool RemoveUnreferencedPrivate(ir::Module& module) {
    absl::flat_hash_set<std::string> live;
    std::vector<const Function*> work;
    for (const auto& f : module.functions()) {
      if (f->is_public()) {
        live.insert(f->name());
        work.push_back(f.get());
      }
    }
    while (!work.empty()) {
      const Function* f = work.back();
      work.pop_back();
      for (const std::string& ref : ReferencedSymbols(*f)) {
        const Function* g = module.LookupFunction(ref);
        if (g != nullptr && live.insert(ref).second) work.push_back(g);
      }
    }
    std::vector<std::string> dead;
    for (const auto& f : module.functions()) {
      if (!live.contains(f->name())) dead.push_back(f->name());
    }
    for (const std::string& name : dead) module.EraseFunction(name);
    return !dead.empty();
  }

  InlineOptions options_;
};

}  // namespace

std::unique_ptr<Pass> CreateInlinePass(InlineOptions options) {
  return std::make_unique<InlinePass>(options);
}

}  // namespace backplane::passes
