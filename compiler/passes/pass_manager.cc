#include "compiler/passes/pass_manager.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"

namespace backplane::passes {

void PassManager::Add(std::unique_ptr<Pass> pass) {
  Stage stage;
  stage.passes.push_back(std::move(pass));
  stages_.push_back(std::move(stage));
}

void PassManager::AddFixedPoint(std::vector<std::unique_ptr<Pass>> passes,
                                int max_iterations) {
  Stage stage;
  stage.passes = std::move(passes);
  stage.max_iterations = max_iterations < 1 ? 1 : max_iterations;
  stage.fixed_point = true;
  stages_.push_back(std::move(stage));
}

absl::StatusOr<bool> PassManager::RunPass(Pass& pass, ir::Module& module) {
  absl::Time start = absl::Now();
  absl::StatusOr<bool> changed = pass.Run(module);
  timings_.push_back({std::string(pass.name()), absl::Now() - start,
                      changed.ok() && *changed});
  if (!changed.ok()) {
    return absl::Status(
        changed.status().code(),
        absl::StrCat("pass ", pass.name(), ": ", changed.status().message()));
  }
  if (*changed && verifier_) {
    absl::Status verified = verifier_(module);
    if (!verified.ok()) {
      return absl::Status(verified.code(),
                          absl::StrCat("module does not verify after pass ",
                                       pass.name(), ": ", verified.message()));
    }
  }
  return *changed;
}

absl::StatusOr<bool> PassManager::Run(ir::Module& module) {
  bool any_change = false;
  for (Stage& stage : stages_) {
    for (int round = 0; round < stage.max_iterations; ++round) {
      bool round_changed = false;
      for (auto& pass : stage.passes) {
        ASSIGN_OR_RETURN(bool changed, RunPass(*pass, module));
        round_changed |= changed;
      }
      any_change |= round_changed;
      if (!stage.fixed_point || !round_changed) break;
    }
  }
  return any_change;
}

std::string PassManager::TimingReport() const {
  std::string out;
  std::map<std::string, absl::Duration> totals;
  absl::Duration all;
  for (const PassTiming& t : timings_) {
    absl::StrAppend(&out, t.name, ": ", absl::FormatDuration(t.duration),
                    t.changed ? " (changed)" : "", "\n");
    totals[t.name] += t.duration;
    all += t.duration;
  }
  for (const auto& [name, total] : totals) {
    absl::StrAppend(&out, "total ", name, ": ", absl::FormatDuration(total),
                    "\n");
  }
  absl::StrAppend(&out, "total: ", absl::FormatDuration(all), "\n");
  return out;
}

std::string PassManager::Describe() const {
  std::vector<std::string> parts;
  for (const Stage& stage : stages_) {
    std::vector<std::string> names;
    for (const auto& p : stage.passes) names.emplace_back(p->name());
    if (stage.fixed_point) {
      parts.push_back(absl::StrCat("(", absl::StrJoin(names, ","), ")*",
                                   stage.max_iterations));
    } else {
      parts.push_back(absl::StrJoin(names, ","));
    }
  }
  return absl::StrJoin(parts, ",");
}

}  // namespace backplane::passes
