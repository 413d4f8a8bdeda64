// PassManager: runs passes in order, optionally verifying the module after
// each one, and records how long each pass took.
//
//   PassManager pm;
//   pm.Add(CreateInlinePass());
//   pm.AddFixedPoint(MakePasses(CreateCanonicalizePass(), CreateDcePass()),
//                    /*max_iterations=*/8);
//   pm.set_verifier([](const ir::Module& m) { return verifier::Verify(m); });
//   absl::StatusOr<bool> changed = pm.Run(*module);
//   for (const PassTiming& t : pm.timings()) ...
//
// A fixed-point group repeats its passes until a whole round changes
// nothing, at most `max_iterations` rounds (then it simply stops: every
// round leaves a valid module, so hitting the bound is not an error).
#ifndef BACKPLANE_COMPILER_PASSES_PASS_MANAGER_H_
#define BACKPLANE_COMPILER_PASSES_PASS_MANAGER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "compiler/ir/ir.h"
#include "compiler/passes/pass.h"

namespace backplane::passes {

// One execution of one pass.
struct PassTiming {
  std::string name;
  absl::Duration duration;
  bool changed = false;
};

using Verifier = std::function<absl::Status(const ir::Module&)>;

class PassManager {
 public:
  void Add(std::unique_ptr<Pass> pass);
  // Repeats `passes` (in order) until a round changes nothing.
  void AddFixedPoint(std::vector<std::unique_ptr<Pass>> passes,
                     int max_iterations);

  // Called on the module after every pass that changed it; its error, with
  // the pass name prepended, stops the pipeline.
  void set_verifier(Verifier verifier) { verifier_ = std::move(verifier); }

  // Runs every pass; true when any pass changed the module. Timings are
  // appended (not reset) so a manager run twice reports both runs.
  absl::StatusOr<bool> Run(ir::Module& module);

  const std::vector<PassTiming>& timings() const { return timings_; }
  // "name: 1.2ms (changed)" lines, then totals per pass name.
  std::string TimingReport() const;

  // Pass names in execution order, fixed-point groups as "(a,b)*8".
  std::string Describe() const;

 private:
  struct Stage {
    std::vector<std::unique_ptr<Pass>> passes;
    int max_iterations = 1;
    bool fixed_point = false;
  };
  absl::StatusOr<bool> RunPass(Pass& pass, ir::Module& module);

  std::vector<Stage> stages_;
  Verifier verifier_;
  std::vector<PassTiming> timings_;
};

// Builds a vector from move-only passes: MakePasses(CreateA(), CreateB()).
template <typename... P>
std::vector<std::unique_ptr<Pass>> MakePasses(P... passes) {
  std::vector<std::unique_ptr<Pass>> out;
  (out.push_back(std::move(passes)), ...);
  return out;
}

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_PASS_MANAGER_H_
