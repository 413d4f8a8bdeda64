#include "plugins/kit/plugin.h"

#include <mutex>

#include "absl/strings/str_cat.h"

namespace backplane::kit {

void ExecutionStatistics::Complete(std::vector<NamedValue> values) {
  auto array = std::make_unique<NamedValueArray>(std::move(values));
  std::lock_guard<std::mutex> lock(mu_);
  if (values_ == nullptr) values_ = std::move(array);
}

bool ExecutionStatistics::is_complete() const {
  std::lock_guard<std::mutex> lock(mu_);
  return values_ != nullptr;
}

const NamedValueArray* ExecutionStatistics::values() const {
  std::lock_guard<std::mutex> lock(mu_);
  return values_.get();
}

const std::vector<OptionSpec>& StandardCompileOptionSpecs() {
  // A static object rather than a leaked pointer: plugins can be unloaded,
  // and their static storage must be released with them.
  static const std::vector<OptionSpec> specs = {
      {"num_replicas", BPL_VALUE_INT64,
       "replicas of the program (SPMD data parallelism); default 1"},
      {"num_partitions", BPL_VALUE_INT64,
       "partitions of the program (model parallelism); default 1"},
      {"matmul_precision", BPL_VALUE_STRING,
       "precision of f32 dot/convolution: \"highest\" (default), \"high\", "
       "\"default\" or \"bf16\""},
      {"donated_parameters", BPL_VALUE_INT64_LIST,
       "parameter indices whose buffers the executable may reuse"},
      {"optimization_level", BPL_VALUE_INT64,
       "0 to 3; 0 disables optional optimisations; default 2"},
      {"entry_function", BPL_VALUE_STRING,
       "name of the function to run; default \"main\""},
  };
  return specs;
}

absl::Status CheckStandardCompileOptions(const Options& options) {
  if (options.Has("optimization_level")) {
    const int64_t level = options.GetInt64("optimization_level", 2);
    if (level < 0 || level > 3) {
      return absl::InvalidArgumentError(absl::StrCat(
          "compile option 'optimization_level' is ", level,
          "; it must be in [0, 3] (0 disables optional optimisations)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace backplane::kit
