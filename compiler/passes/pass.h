// Pass: one transformation of a whole module, run by a PassManager.
//
//   class MyPass : public Pass {
//    public:
//     absl::string_view name() const override { return "my-pass"; }
//     absl::StatusOr<bool> Run(ir::Module& module) override;
//   };
//
// Run returns whether it changed the module, which is how fixed-point
// groups know when to stop. An error leaves the module in a state that is
// safe to destroy but not necessarily valid.
#ifndef BACKPLANE_COMPILER_PASSES_PASS_H_
#define BACKPLANE_COMPILER_PASSES_PASS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"

namespace backplane::passes {

class Pass {
 public:
  virtual ~Pass() = default;
  // Stable, kebab-case name used in pipelines and timing reports.
  virtual absl::string_view name() const = 0;
  virtual absl::StatusOr<bool> Run(ir::Module& module) = 0;
};

}  // namespace backplane::passes

#endif  // BACKPLANE_COMPILER_PASSES_PASS_H_
