// The plugin backend of bpl_run: runs tests through a Backplane plugin.
#include <chrono>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "base/status_macros.h"
#include "compiler/abi/abi_types.h"
#include "compiler/parser/parser.h"
#include "compiler/parser/printer.h"
#include "tools/bpl_run/backend.h"
#include "tools/bpl_run/host_checks.h"
#include "tools/bpl_run/statistics_json.h"

namespace backplane::bpl_run {
namespace {

NamedValue ParseOption(const std::string& text) {
  const size_t eq = text.find('=');
  NamedValue v;
  v.name = text.substr(0, eq);
  const std::string value = eq == std::string::npos ? "" : text.substr(eq + 1);
  int64_t i;
  double d;
  if (absl::SimpleAtoi(value, &i)) {
    v.value = i;
  } else if (value == "true" || value == "false") {
    v.value = value == "true";
  } else if (absl::SimpleAtod(value, &d)) {
    v.value = d;
  } else {
    v.value = value;
  }
  return v;
}

int64_t NanosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now() - start)
      .count();
}

class PluginBackend : public Backend {
 public:
  PluginBackend(Plugin plugin, Client client, Device device,
                bool collect_statistics)
      : plugin_(std::move(plugin)),
        client_(std::move(client)),
        device_(device),
        collect_statistics_(collect_statistics) {}

  std::string name() const override {
    return absl::StrCat("plugin:", plugin_.name());
  }

  ExecutionResult Run(const TestChunk& chunk, const TestCase& test,
                      std::vector<ir::Literal> arguments) override {
    ExecutionResult result;
    const auto start = std::chrono::steady_clock::now();
    RunStatistics stats;
    result.status =
        RunImpl(chunk, test, std::move(arguments), &stats, &result.outputs);
    result.wall_ns = NanosSince(start);
    if (collect_statistics_) {
      result.extra_stats_json = absl::StrCat(
          StatisticsJsonMembers(stats.plugin_values, stats.execute_ns),
          ",\"compile_ns\":", stats.compile_ns);
      result.extra_stats_has_wall_ns = true;
    } else {
      result.extra_stats_json =
          absl::StrCat("\"compile_ns\":", stats.compile_ns);
    }
    return result;
  }

 private:
  struct RunStatistics {
    int64_t compile_ns = 0;
    // Measured by bpl_run from Execute until the device finished.
    int64_t execute_ns = 0;
    // What the plugin reported (empty without the profiling extension).
    std::vector<NamedValue> plugin_values;
  };

  absl::Status RunImpl(const TestChunk& chunk, const TestCase& test,
                       std::vector<ir::Literal> arguments, RunStatistics* stats,
                       std::vector<ir::Literal>* results) {
    // A private copy of the module: the checks are moved out of it.
    parser::ParseOptions options;
    options.filename = chunk.path;
    ASSIGN_OR_RETURN(std::unique_ptr<ir::Module> module,
                     parser::ParseModule(chunk.text, options));
    const ir::Function* function = module->LookupFunction(test.function);
    const size_t num_results =
        function == nullptr ? 0 : function->result_types().size();
    ASSIGN_OR_RETURN(std::vector<HostCheck> checks,
                     ExtractChecks(*module, test.function));
    if (test.function != "main") {
      if (module->LookupFunction("main") != nullptr) {
        return absl::UnimplementedError(absl::StrCat(
            "@", test.function, " cannot be run as @main: @main exists"));
      }
      // Plugins run @main; the printed text carries the new name.
      module->LookupFunction(test.function)->set_name("main");
    }
    const std::string text = parser::PrintModule(*module);
    const auto compile_start = std::chrono::steady_clock::now();
    absl::StatusOr<Executable> compiled = client_.Compile(text);
    stats->compile_ns = NanosSince(compile_start);
    ASSIGN_OR_RETURN(Executable exe, std::move(compiled));

    std::vector<Buffer> buffers;
    for (const ir::Literal& a : arguments) {
      ASSIGN_OR_RETURN(BPL_ElementType type,
                       abi::ToAbiElementType(a.element_type()));
      ASSIGN_OR_RETURN(BufferFromHostResult b,
                       client_.BufferFromHost(a.untyped_data(),
                                              Shape{type, a.dims()}, device_));
      buffers.push_back(std::move(b.buffer));
    }
    std::vector<Buffer*> args;
    for (Buffer& b : buffers) args.push_back(&b);
    ExecuteOptions execute_options;
    execute_options.collect_statistics = collect_statistics_;
    const auto execute_start = std::chrono::steady_clock::now();
    std::vector<std::vector<Buffer*>> argument_lists = {args};
    ASSIGN_OR_RETURN(ExecuteResult run,
                     exe.Execute(argument_lists, execute_options));
    RETURN_IF_ERROR(run.device_done[0].Await());
    stats->execute_ns = NanosSince(execute_start);
    if (!run.statistics.empty()) {
      ASSIGN_OR_RETURN(std::vector<NamedValue> values, run.statistics[0].Get());
      stats->plugin_values = std::move(values);
    }
    std::vector<Buffer>* outputs = &run.outputs[0];

    std::vector<ir::Literal> host;
    for (const Buffer& out : *outputs) {
      ASSIGN_OR_RETURN(Shape shape, out.shape());
      ASSIGN_OR_RETURN(ir::ElementType type,
                       abi::FromAbiElementType(shape.element_type));
      RETURN_IF_ERROR(ir::TensorType::CheckedElementCount(shape.dims));
      ir::Literal literal(ir::TensorType(type, shape.dims));
      ASSIGN_OR_RETURN(Event done,
                       out.ToHost(literal.untyped_data(), literal.byte_size()));
      RETURN_IF_ERROR(done.Await());
      host.push_back(std::move(literal));
    }
    RETURN_IF_ERROR(EvaluateHostChecks(checks, host));
    for (size_t i = 0; i < num_results && i < host.size(); ++i) {
      results->push_back(std::move(host[i]));
    }
    return absl::OkStatus();
  }

  Plugin plugin_;
  Client client_;
  Device device_;
  bool collect_statistics_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Backend>> MakePluginBackend(
    const std::string& name_or_path,
    const std::vector<std::string>& client_options, bool collect_statistics) {
  ASSIGN_OR_RETURN(Plugin plugin, Plugin::Load(name_or_path));
  std::vector<NamedValue> options;
  for (const std::string& o : client_options) options.push_back(ParseOption(o));
  ASSIGN_OR_RETURN(Client client, plugin.CreateClient(options));
  ASSIGN_OR_RETURN(std::vector<Device> devices, client.addressable_devices());
  if (devices.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin ", name_or_path, " has no addressable device"));
  }
  Device device = devices[0];
  return std::unique_ptr<Backend>(new PluginBackend(
      std::move(plugin), std::move(client), device, collect_statistics));
}

}  // namespace backplane::bpl_run
