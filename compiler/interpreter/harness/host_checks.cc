#include "compiler/interpreter/harness/host_checks.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "compiler/interpreter/checks.h"
#include "compiler/interpreter/op_attributes.h"

namespace backplane::harness {
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
  absl::flat_hash_set<std::string> nested_probes;
  for (const auto& op_ptr : entry->ops()) {
    if (op_ptr->code() == ir::OpCode::kInterpreterProbe) {
      top_level_probes[interpreter::StringAttrOr(*op_ptr, "probe_id")]
          .push_back(op_ptr.get());
    }
    for (int r = 0; r < op_ptr->num_regions(); ++r) {
      ir::Walk(*op_ptr->region(r), [&](ir::Op& inner) {
        if (inner.code() == ir::OpCode::kInterpreterProbe) {
          nested_probes.insert(interpreter::StringAttrOr(inner, "probe_id"));
        }
      });
    }
  }
  for (const auto& op_ptr : entry->ops()) {
    ir::Op& op = *op_ptr;
    const std::string name = CheckName(op);
    if (name.empty()) {
      if (ContainsCheck(op)) {
        return absl::UnimplementedError(absl::StrCat(
            interpreter::LocationString(op), ": ", op.name(),
            ": check ops inside regions cannot be moved to the host"));
      }
      continue;
    }
    HostCheck check;
    check.name = name;
    check.location = interpreter::LocationString(op);
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
      const std::string id = interpreter::StringAttrOr(op, "probe_id");
      const int64_t iteration = interpreter::IntAttrOr(
          op, "iteration", interpreter::IntAttrOr(op, "iter", 0));
      auto probes = top_level_probes.find(id);
      if (nested_probes.contains(id) || probes == top_level_probes.end() ||
          iteration < 0 ||
          iteration >= static_cast<int64_t>(probes->second.size()) ||
          op.num_operands() < 1) {
        return absl::UnimplementedError(absl::StrCat(
            check.location, ": ", name, ": probe '", id, "' iteration ",
            iteration,
            " is not recorded in the function body (probes inside loops "
            "record a run-time number of iterations), so it cannot be "
            "evaluated outside the interpreter"));
      }
      check.kind = HostCheck::Kind::kEq;
      check.actual_output = base + static_cast<int>(extra.size());
      extra.push_back(op.operand(0));
      check.expected_output = base + static_cast<int>(extra.size());
      extra.push_back(probes->second[iteration]->operand(0));
      checks.push_back(std::move(check));
      to_erase.push_back(&op);
      continue;
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
    if (absl::EndsWith(name, "_const")) {
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
    checks.push_back(std::move(check));
    to_erase.push_back(&op);
  }
  for (ir::Op* op : to_erase) {
    if (absl::Status s = op->Erase(); !s.ok()) return s;
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
    absl::StatusOr<const ir::Literal*> actual = output(check.actual_output);
    if (!actual.ok()) return actual.status();
    const ir::Literal* expected = &check.expected_constant;
    if (check.expected_output >= 0) {
      absl::StatusOr<const ir::Literal*> e = output(check.expected_output);
      if (!e.ok()) return e.status();
      expected = *e;
    }
    absl::Status s;
    switch (check.kind) {
      case HostCheck::Kind::kEq:
        s = interpreter::ExpectEq(**actual, *expected);
        break;
      case HostCheck::Kind::kAlmostEq:
        s = interpreter::ExpectAlmostEq(**actual, *expected, check.tolerance);
        break;
      case HostCheck::Kind::kClose:
        s = interpreter::ExpectClose(**actual, *expected,
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

}  // namespace backplane::harness
