// The interpreter backend of bpl_run.
#include <chrono>

#include "absl/strings/str_cat.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/interpreter/runtime_value.h"
#include "tools/bpl_run/backend.h"

namespace backplane::bpl_run {
namespace {

class InterpreterBackend : public Backend {
 public:
  std::string name() const override { return "interpreter"; }

  ExecutionResult Run(const TestChunk& chunk, const TestCase& test,
                      std::vector<ir::Literal> arguments) override {
    const ir::Module& module = *chunk.module;
    ExecutionResult result;
    interpreter::RuntimeValue::ResetPeakLiveBytes();
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::unique_ptr<interpreter::Interpreter>> interp =
        interpreter::Interpreter::Create(module);
    if (!interp.ok()) {
      result.status = interp.status();
      return result;
    }
    std::vector<interpreter::ValueRef> args;
    for (ir::Literal& a : arguments) {
      args.push_back(interpreter::RuntimeValue::Tensor(std::move(a)));
    }
    arguments.clear();
    absl::StatusOr<std::vector<interpreter::ValueRef>> out =
        (*interp)->Call(test.function, std::move(args));
    result.wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    result.status = out.status();
    if (out.ok()) {
      for (const interpreter::ValueRef& v : *out) {
        if (v->is_tensor()) result.outputs.push_back(v->tensor());
      }
    }
    const interpreter::ExecutionStats stats = (*interp)->stats();
    result.extra_stats_json = absl::StrCat(
        "\"ops_executed\":", stats.ops_executed,
        ",\"peak_live_bytes\":", stats.peak_live_bytes, ",\"op_time_ns\":{");
    // The most expensive op kinds, enough to see where the time goes.
    constexpr size_t kTopOps = 8;
    for (size_t i = 0; i < stats.op_time_ns.size() && i < kTopOps; ++i) {
      absl::StrAppend(&result.extra_stats_json, i ? "," : "", "\"",
                      stats.op_time_ns[i].first,
                      "\":", stats.op_time_ns[i].second);
    }
    absl::StrAppend(&result.extra_stats_json, "}");
    return result;
  }
};

}  // namespace

std::unique_ptr<Backend> MakeInterpreterBackend() {
  return std::make_unique<InterpreterBackend>();
}

}  // namespace backplane::bpl_run
