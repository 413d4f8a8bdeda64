#include "tools/bpl_run/host_checks.h"

#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_error.h"
#include "compiler/interpreter/checks.h"
#include "compiler/interpreter/op_attributes.h"
#include "compiler/passes/ir_util.h"

namespace backplane::bpl_run {
namespace {

// The check spelled by `op`, or empty when it is not a check.
std::string CheckName(const ir::Op& op) {
  if (op.code() == ir::OpCode::kCustomCall) {
    std::string target = interpreter::StringAttrOr(op, "call_target_name");
    return absl::StartsWith(target, "check.") ? target : "";
  }
  if (absl::StartsWith(op.name(), "check.")) return std::string(op.name());
  return "";
}

bool ContainsCheck(const ir::Op& op) {
  bool found = false;
  for (int r = 0; r < op.num_regions() && !found; ++r) {
    ir::Walk(*op.region(r), [&](ir::Op& inner) {
      if (!CheckName(inner).empty()) found = true;
    });
  }
  return found;
}

// The probe iteration a check reads; the pretty syntax spells it `iter`.
int64_t ProbeIteration(const ir::Op& op) {
  return interpreter::IntAttrOr(op, "iteration",
                                interpreter::IntAttrOr(op, "iter", 0));
}

ir::Literal ScalarS64(int64_t value) {
  ir::Literal l(ir::TensorType(ir::ElementType::kS64, {}));
  l.data<int64_t>()[0] = value;
  return l;
}

ir::Value* InsertBefore(ir::Op* before, ir::OpCode code,
                        const std::vector<ir::Value*>& operands,
                        const ir::Type& type, ir::NamedAttrList attrs = {}) {
  std::unique_ptr<ir::Op> op =
      ir::Op::Create(code, operands, {type}, std::move(attrs));
  op->location() = before->location();
  return before->parent_block()->InsertBefore(before, std::move(op))->result(0);
}

ir::Value* CompareS64(ir::Op* before, ir::ComparisonDirection direction,
                      ir::Value* lhs, ir::Value* rhs) {
  ir::NamedAttrList attrs;
  attrs.Set("comparison_direction",
            ir::Attribute::Enum(ir::EnumKind::kComparisonDirection,
                                static_cast<int>(direction)));
  return InsertBefore(
      before, ir::OpCode::kCompare, {lhs, rhs},
      ir::Type::Tensor(ir::TensorType(ir::ElementType::kPred, {})),
      std::move(attrs));
}

// The value an interpreter.probe records: its operand. A probe without one
// (possible in generic op syntax) records nothing a check could compare.
absl::StatusOr<ir::Value*> ProbedValue(ir::Op& probe) {
  if (probe.num_operands() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        ir::FormatLocation(probe), ": ", probe.name(), " '",
        interpreter::StringAttrOr(probe, "probe_id"),
        "' has no operand, so check.expect_serialized_eq has no recorded "
        "value to compare with"));
  }
  return probe.operand(0);
}

// What a probe inside a loop recorded at one iteration, made observable:
// the value, and whether the loop ran that many times.
struct LoopCapture {
  ir::Value* value = nullptr;
  ir::Value* reached = nullptr;  // i1: the loop ran more than `iteration`.
};

// Rebuilds the top-level `loop` (a stablehlo.while whose body holds
// `probe` directly) to carry an iteration counter and, for each requested
// iteration, the probed value of that iteration: in the body,
// slot_k = select(counter == k, probed, slot_k); counter += 1.
absl::StatusOr<std::map<int64_t, LoopCapture>> CaptureLoopProbe(
    ir::Op* loop, ir::Op* probe, const std::set<int64_t>& iterations,
    ir::Op* function_return) {
  const ir::Type counter_type =
      ir::Type::Tensor(ir::TensorType(ir::ElementType::kS64, {}));
  ASSIGN_OR_RETURN(ir::Value * probed, ProbedValue(*probe));
  const ir::Type probed_type = probed->type();
  if (!probed_type.is_tensor()) {
    return absl::UnimplementedError("probe of a non-tensor value");
  }
  std::vector<ir::Value*> operands = loop->operands();
  std::vector<ir::Type> types = loop->result_types();
  const int first_extra = static_cast<int>(types.size());
  operands.push_back(passes::InsertConstant(loop, ScalarS64(0)));
  types.push_back(counter_type);
  for (size_t k = 0; k < iterations.size(); ++k) {
    operands.push_back(
        passes::InsertConstant(loop, ir::Literal(probed_type.tensor())));
    types.push_back(probed_type);
  }
  std::unique_ptr<ir::Op> rebuilt =
      ir::Op::Create(ir::OpCode::kWhile, operands, types, loop->attributes());
  rebuilt->location() = loop->location();
  for (int r = 0; r < 2; ++r) {
    ir::Block* from = loop->region(r)->front();
    ir::Block* to = rebuilt->AddRegion()->AddBlock();
    for (int i = 0; i < from->num_arguments(); ++i) {
      from->argument(i)->ReplaceAllUsesWith(
          to->AddArgument(from->argument(i)->type()));
    }
    ir::Value* counter = to->AddArgument(counter_type);
    std::vector<ir::Value*> slots;
    for (size_t k = 0; k < iterations.size(); ++k) {
      slots.push_back(to->AddArgument(probed_type));
    }
    while (!from->empty()) to->Append(from->Detach(from->front()));
    if (r == 0) continue;
    ir::Op* yield = to->terminator();
    if (yield == nullptr) return absl::InvalidArgumentError("loop body");
    std::vector<ir::Value*> next = yield->operands();
    next.push_back(InsertBefore(
        yield, ir::OpCode::kAdd,
        {counter, passes::InsertConstant(yield, ScalarS64(1))}, counter_type));
    size_t k = 0;
    for (int64_t iteration : iterations) {
      ir::Value* now =
          CompareS64(yield, ir::ComparisonDirection::kEq, counter,
                     passes::InsertConstant(yield, ScalarS64(iteration)));
      next.push_back(InsertBefore(yield, ir::OpCode::kSelect,
                                  {now, probed, slots[k++]}, probed_type));
    }
    yield->SetOperands(next);
  }
  ir::Op* inserted =
      loop->parent_block()->InsertBefore(loop, std::move(rebuilt));
  for (int i = 0; i < loop->num_results(); ++i) {
    loop->result(i)->ReplaceAllUsesWith(inserted->result(i));
  }
  RETURN_IF_ERROR(loop->Erase());
  std::map<int64_t, LoopCapture> captured;
  int slot = first_extra + 1;
  for (int64_t iteration : iterations) {
    LoopCapture& c = captured[iteration];
    c.value = inserted->result(slot++);
    c.reached = CompareS64(
        function_return, ir::ComparisonDirection::kGt,
        inserted->result(first_extra),
        passes::InsertConstant(function_return, ScalarS64(iteration)));
  }
  return captured;
}

}  // namespace

absl::StatusOr<std::vector<HostCheck>> ExtractChecks(
    ir::Module& module, absl::string_view function) {
  ir::Function* fn = module.LookupFunction(function);
  if (fn == nullptr) {
    return absl::NotFoundError(absl::StrCat("no function @", function));
  }
  ir::Block* entry = fn->entry();
  ir::Op* ret = entry->terminator();
  if (ret == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("@", function, " has no return"));
  }
  std::vector<HostCheck> checks;
  std::vector<ir::Value*> extra;
  std::vector<ir::Op*> to_erase;
  const int base = ret->num_operands();
  // interpreter.probe ops run once each when they sit in the entry block;
  // the n-th one of an id records iteration n. Probes inside regions
  // record a run-time number of iterations, which host outputs cannot
  // carry.
  absl::flat_hash_map<std::string, std::vector<ir::Op*>> top_level_probes;
  // Ids probed inside regions: the probe ops, and the top-level op whose
  // regions hold them.
  absl::flat_hash_map<std::string, std::vector<std::pair<ir::Op*, ir::Op*>>>
      nested_probes;
  for (const auto& op_ptr : entry->ops()) {
    if (op_ptr->code() == ir::OpCode::kInterpreterProbe) {
      top_level_probes[interpreter::StringAttrOr(*op_ptr, "probe_id")]
          .push_back(op_ptr.get());
    }
    for (int r = 0; r < op_ptr->num_regions(); ++r) {
      ir::Walk(*op_ptr->region(r), [&](ir::Op& inner) {
        if (inner.code() == ir::OpCode::kInterpreterProbe) {
          nested_probes[interpreter::StringAttrOr(inner, "probe_id")].push_back(
              {&inner, op_ptr.get()});
        }
      });
    }
  }
  // A probe that is the only one of its id and sits directly in the body
  // of a top-level while loop records one value per iteration: the loop is
  // rebuilt to carry the iterations the checks ask for.
  absl::flat_hash_map<std::string, std::set<int64_t>> loop_iterations;
  for (const auto& op_ptr : entry->ops()) {
    if (CheckName(*op_ptr) != "check.expect_serialized_eq") continue;
    const std::string id = interpreter::StringAttrOr(*op_ptr, "probe_id");
    const int64_t iteration = ProbeIteration(*op_ptr);
    if (iteration >= 0) loop_iterations[id].insert(iteration);
  }
  absl::flat_hash_map<std::string, std::map<int64_t, LoopCapture>>
      loop_captures;
  for (const auto& [id, places] : nested_probes) {
    auto wanted = loop_iterations.find(id);
    if (wanted == loop_iterations.end() || places.size() != 1 ||
        top_level_probes.contains(id)) {
      continue;
    }
    ir::Op* probe = places[0].first;
    ir::Op* loop = places[0].second;
    if (loop->code() != ir::OpCode::kWhile || loop->num_regions() != 2 ||
        probe->parent_block() != loop->region(1)->front()) {
      continue;
    }
    ASSIGN_OR_RETURN(loop_captures[id],
                     CaptureLoopProbe(loop, probe, wanted->second, ret));
  }
  for (const auto& op_ptr : entry->ops()) {
    ir::Op& op = *op_ptr;
    const std::string name = CheckName(op);
    if (name.empty()) {
      if (ContainsCheck(op)) {
        return absl::UnimplementedError(absl::StrCat(
            ir::FormatLocation(op), ": ", op.name(),
            ": check ops inside regions cannot be moved to the host"));
      }
      continue;
    }
    HostCheck check;
    check.name = name;
    check.location = ir::FormatLocation(op);
    // expect_serialized_eq: the probed value it compares with, and for a
    // probe in a loop whether the loop reached the iteration.
    ir::Value* recorded = nullptr;
    ir::Value* reached = nullptr;
    if (name == "check.expect_eq" || name == "check.expect_eq_const") {
      check.kind = HostCheck::Kind::kEq;
    } else if (name == "check.expect_almost_eq" ||
               name == "check.expect_almost_eq_const") {
      check.kind = HostCheck::Kind::kAlmostEq;
      check.tolerance = interpreter::FloatAttrOr(
          op, "tolerance", interpreter::kAlmostEqTolerance);
    } else if (name == "check.expect_close") {
      check.kind = HostCheck::Kind::kClose;
      check.min_ulp_difference =
          interpreter::IntAttrOr(op, "min_ulp_difference", 0);
      check.max_ulp_difference = interpreter::IntAttrOr(
          op, "max_ulp_difference", interpreter::kDefaultMaxUlpDifference);
    } else if (name == "check.expect_serialized_eq") {
      // The value the probe recorded (its operand, as the backend computed
      // it) against the checked value, exactly.
      check.kind = HostCheck::Kind::kEq;
      const std::string id = interpreter::StringAttrOr(op, "probe_id");
      const int64_t iteration = ProbeIteration(op);
      auto in_loop = loop_captures.find(id);
      auto probes = top_level_probes.find(id);
      if (in_loop != loop_captures.end() &&
          in_loop->second.count(iteration) > 0) {
        recorded = in_loop->second.at(iteration).value;
        reached = in_loop->second.at(iteration).reached;
      } else if (!nested_probes.contains(id) &&
                 probes != top_level_probes.end() && iteration >= 0 &&
                 iteration < static_cast<int64_t>(probes->second.size())) {
        ASSIGN_OR_RETURN(recorded, ProbedValue(*probes->second[iteration]));
      } else {
        return absl::UnimplementedError(absl::StrCat(
            check.location, ": ", name, ": probe '", id, "' iteration ",
            iteration,
            " is not recorded in the function body (probes inside loops "
            "record a run-time number of iterations), so it cannot be "
            "evaluated outside the interpreter"));
      }
    } else {
      return absl::UnimplementedError(
          absl::StrCat(check.location, ": ", name,
                       " cannot be evaluated outside the interpreter"));
    }
    if (op.num_operands() < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(check.location, ": ", name, " has no operand"));
    }
    check.actual_output = base + static_cast<int>(extra.size());
    extra.push_back(op.operand(0));
    if (recorded != nullptr) {
      check.expected_output = base + static_cast<int>(extra.size());
      extra.push_back(recorded);
    } else if (absl::EndsWith(name, "_const")) {
      const ir::Attribute* value = op.attr("value");
      if (value == nullptr ||
          value->kind() != ir::Attribute::Kind::kDenseElements) {
        return absl::InvalidArgumentError(absl::StrCat(
            check.location, ": ", name, " has no dense 'value' attribute"));
      }
      check.expected_constant = value->literal();
    } else {
      if (op.num_operands() < 2) {
        return absl::InvalidArgumentError(absl::StrCat(
            check.location, ": ", name, " needs an expected operand"));
      }
      check.expected_output = base + static_cast<int>(extra.size());
      extra.push_back(op.operand(1));
    }
    if (reached != nullptr) {
      // A probe in a loop: also, the loop ran that iteration at all.
      HostCheck ran = check;
      ran.actual_output = base + static_cast<int>(extra.size());
      extra.push_back(reached);
      ran.expected_output = -1;
      ran.expected_constant =
          ir::Literal(ir::TensorType(ir::ElementType::kPred, {}));
      ran.expected_constant.untyped_data()[0] = 1;
      checks.push_back(std::move(check));
      checks.push_back(std::move(ran));
    } else {
      checks.push_back(std::move(check));
    }
    to_erase.push_back(&op);
  }
  for (ir::Op* op : to_erase) {
    RETURN_IF_ERROR(op->Erase());
  }
  std::vector<ir::Value*> results = ret->operands();
  std::vector<ir::Type> types = fn->result_types();
  for (ir::Value* v : extra) {
    results.push_back(v);
    types.push_back(v->type());
  }
  ret->SetOperands(results);
  fn->set_result_types(types);
  if (!fn->result_attrs().empty()) fn->result_attrs().resize(types.size());
  return checks;
}

absl::Status EvaluateHostChecks(const std::vector<HostCheck>& checks,
                                absl::Span<const ir::Literal> outputs) {
  for (const HostCheck& check : checks) {
    auto output = [&](int i) -> absl::StatusOr<const ir::Literal*> {
      if (i < 0 || i >= static_cast<int>(outputs.size())) {
        return absl::InternalError(absl::StrCat(
            check.location, ": ", check.name, ": output ", i, " is missing"));
      }
      return &outputs[i];
    };
    ASSIGN_OR_RETURN(const ir::Literal* actual, output(check.actual_output));
    const ir::Literal* expected = &check.expected_constant;
    if (check.expected_output >= 0) {
      ASSIGN_OR_RETURN(const ir::Literal* e, output(check.expected_output));
      expected = e;
    }
    absl::Status s;
    switch (check.kind) {
      case HostCheck::Kind::kEq:
        s = interpreter::ExpectEq(*actual, *expected);
        break;
      case HostCheck::Kind::kAlmostEq:
        s = interpreter::ExpectAlmostEq(*actual, *expected, check.tolerance);
        break;
      case HostCheck::Kind::kClose:
        s = interpreter::ExpectClose(*actual, *expected,
                                     check.min_ulp_difference,
                                     check.max_ulp_difference);
        break;
    }
    if (!s.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat(check.location, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace backplane::bpl_run
