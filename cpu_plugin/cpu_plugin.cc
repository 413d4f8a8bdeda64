// The Backplane CPU plugin ("cpu"): host devices whose programs are
// compiled by cpu_plugin/program.h (oneDNN for dense linear algebra, the
// compiler kit's kernels for the rest).
//
// Client option `num_devices` (default 1) creates that many virtual host
// devices; an executable compiled for N devices runs one program instance
// per device (replica_id = position in the device list). Compile options:
// the standard `matmul_precision` ("highest" or "bf16"),
// `optimization_level`, `entry_function`, and the plugin's own
// `cpu.convolution_algorithm` ("auto": Winograd for the 3x3 convolutions
// where it is faster; "direct": direct convolution only) and
// `cpu.math_accuracy` ("fast": f32 exp within 1 ulp; "correctly_rounded":
// the interpreter's results).
//
// Execution is asynchronous per the kit contract but runs inline on the
// calling thread when the inputs are ready, because waking a worker thread
// costs far more than a small program.

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/cancellation.h"
#include "base/out_of_memory.h"
#include "base/status_macros.h"
#include "compiler/abi/abi_types.h"
#include "cpu_plugin/program.h"
#include "plugins/kit/event.h"
#include "plugins/kit/fingerprint.h"
#include "plugins/kit/host_buffer.h"
#include "plugins/kit/host_client.h"
#include "plugins/kit/inputs_ready.h"
#include "plugins/kit/plugin.h"
#include "plugins/kit/serialized_executable.h"
#include "plugins/kit/single_memory_device.h"

namespace backplane::cpu {
namespace {

namespace kit = backplane::kit;

constexpr char kPluginVersion[] = "0.1.0";
constexpr char kSerializedMagic[] = "backplane-cpu-executable-v4\n";
constexpr int64_t kMaxDevices = 1024;

class CpuDevice : public kit::SingleMemoryDevice {
 public:
  explicit CpuDevice(int64_t id) : SingleMemoryDevice(id, "host") {}
  absl::string_view kind() const override { return "cpu"; }
  std::string debug_string() const override {
    return absl::StrCat("cpu:", id(), " (host memory, oneDNN)");
  }
  std::vector<backplane::NamedValue> attributes() const override {
    return {{"backend", std::string("oneDNN + compiler kit kernels")}};
  }
};

struct CompileSettings {
  std::vector<int64_t> donated_parameters;
  std::string entry = "main";
  int64_t optimization_level = 2;
  std::string matmul_precision = "highest";
  std::string convolution_algorithm = "auto";
  std::string math_accuracy = "fast";
};

absl::StatusOr<ProgramOptions> ToProgramOptions(const CompileSettings& s) {
  ProgramOptions options;
  options.entry = s.entry;
  options.donated_parameters = s.donated_parameters;
  options.optimization_level = s.optimization_level;
  if (s.matmul_precision == "highest") {
    options.matmul_precision = MatmulPrecision::kHighest;
  } else if (s.matmul_precision == "bf16") {
    options.matmul_precision = MatmulPrecision::kBf16;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "compile option matmul_precision: \"", s.matmul_precision,
        "\" is not supported by the cpu plugin (use \"highest\" or \"bf16\")"));
  }
  if (s.convolution_algorithm == "auto") {
    options.convolution_algorithm = ConvolutionAlgorithm::kAuto;
  } else if (s.convolution_algorithm == "direct") {
    options.convolution_algorithm = ConvolutionAlgorithm::kDirect;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "compile option cpu.convolution_algorithm: \"", s.convolution_algorithm,
        "\" is not supported (use \"auto\" or \"direct\")"));
  }
  if (s.math_accuracy == "fast") {
    options.math_accuracy = kernels::elementwise::MathAccuracy::kFast;
  } else if (s.math_accuracy == "correctly_rounded") {
    options.math_accuracy =
        kernels::elementwise::MathAccuracy::kCorrectlyRounded;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "compile option cpu.math_accuracy: \"", s.math_accuracy,
        "\" is not supported (use \"fast\" or \"correctly_rounded\")"));
  }
  return options;
}

class CpuExecutable : public kit::Executable {
 public:
  static absl::StatusOr<std::unique_ptr<CpuExecutable>> Create(
      std::string code, CompileSettings settings,
      std::vector<CpuDevice*> devices) {
    ASSIGN_OR_RETURN(ProgramOptions options, ToProgramOptions(settings));
    ASSIGN_OR_RETURN(std::unique_ptr<Program> program,
                     Program::Compile(code, options));
    auto exe = std::unique_ptr<CpuExecutable>(new CpuExecutable());
    for (const ir::TensorType& t : program->parameter_types()) {
      ASSIGN_OR_RETURN(auto shape, abi::ToAbiShape(ir::Type::Tensor(t)));
      exe->parameter_shapes_.push_back(std::move(shape));
    }
    for (const ir::TensorType& t : program->result_types()) {
      ASSIGN_OR_RETURN(auto shape, abi::ToAbiShape(ir::Type::Tensor(t)));
      exe->output_shapes_.push_back(std::move(shape));
    }
    exe->program_ = std::move(program);
    exe->code_ = std::move(code);
    exe->settings_ = std::move(settings);
    exe->devices_ = std::move(devices);
    exe->fingerprint_ = exe->ComputeFingerprint();
    return exe;
  }

  absl::string_view name() const override { return settings_.entry; }
  std::vector<kit::Device*> devices() const override {
    return {devices_.begin(), devices_.end()};
  }
  const std::vector<Shape>& parameter_shapes() const override {
    return parameter_shapes_;
  }
  const std::vector<Shape>& output_shapes() const override {
    return output_shapes_;
  }
  std::string fingerprint() const override { return fingerprint_; }
  bool supports_statistics() const override { return true; }
  // Checked before the run; during it, the interpreter (fallback and
  // while/if/case thunks) polls it as this thread's current cancellation.
  bool supports_cancellation() const override { return true; }
  std::vector<bool> donatable_parameters() const override {
    return program_->donatable_parameters();
  }

  kit::ExecutableMemoryStats memory_stats() const override {
    kit::ExecutableMemoryStats stats;
    stats.code_size = program_->constant_bytes();
    int64_t args = 0, outs = 0;
    for (const Shape& s : parameter_shapes_) args += s.byte_size();
    for (const Shape& s : output_shapes_) outs += s.byte_size();
    stats.argument_size = args;
    stats.output_size = outs;
    stats.alias_size = 0;
    stats.temp_size = program_->temp_bytes();
    return stats;
  }

  absl::StatusOr<std::string> Serialize() const override {
    return absl::StrCat(
        kSerializedMagic, settings_.entry, "\n", settings_.optimization_level,
        "\n", settings_.matmul_precision, "\n", settings_.convolution_algorithm,
        "\n", settings_.math_accuracy, "\n", devices_.size(), "\n",
        absl::StrJoin(settings_.donated_parameters, ","), "\n", code_);
  }

  absl::StatusOr<kit::ExecuteResult> Execute(
      kit::ExecuteRequest request) override {
    kit::ExecuteResult result;
    for (size_t d = 0; d < devices_.size(); ++d) {
      auto done = std::make_shared<kit::Event>();
      std::vector<std::shared_ptr<kit::Buffer>>& arguments =
          request.arguments[d];
      std::vector<std::shared_ptr<kit::HostMemoryBuffer>> outputs;
      outputs.reserve(output_shapes_.size());
      std::vector<bool> reused(arguments.size(), false);
      for (size_t o = 0; o < output_shapes_.size(); ++o) {
        std::shared_ptr<kit::HostMemoryBuffer> donated = ReuseDonatedArgument(
            o, request.donated, arguments, &reused, devices_[d], done);
        if (donated != nullptr) {
          outputs.push_back(std::move(donated));
          continue;
        }
        ASSIGN_OR_RETURN(auto buffer, kit::HostMemoryBuffer::Allocate(
                                          output_shapes_[o], devices_[d],
                                          devices_[d]->default_memory(), done));
        outputs.push_back(std::move(buffer));
      }
      auto statistics =
          request.statistics.empty() ? nullptr : request.statistics[d];
      // Inline when everything is ready (the common case): no closure, no
      // extra events.
      absl::Status ready;
      const std::shared_ptr<base::Cancellation>& cancellation =
          request.cancellation;
      if (kit::InputsComplete(request.wait, arguments, &ready)) {
        RunOnDevice(ready, static_cast<int64_t>(d), arguments, outputs,
                    statistics, cancellation.get(), done);
      } else {
        kit::InputsReady(request.wait, arguments)
            ->OnReady([this, d, arguments, outputs, statistics, cancellation,
                       done](const absl::Status& status) {
              RunOnDevice(status, static_cast<int64_t>(d), arguments, outputs,
                          statistics, cancellation.get(), done);
            });
      }
      result.outputs.emplace_back(outputs.begin(), outputs.end());
      result.device_done.push_back(std::move(done));
    }
    return result;
  }

 private:
  CpuExecutable() = default;

  // An output buffer that lives in a donated argument's memory (which the
  // kit deletes from the caller's view after Execute), or nullptr. Only
  // memory the plugin owns is reused: a zero-copy argument belongs to the
  // caller, who may free it once the argument is gone.
  std::shared_ptr<kit::HostMemoryBuffer> ReuseDonatedArgument(
      size_t output, const std::vector<bool>& donated,
      const std::vector<std::shared_ptr<kit::Buffer>>& arguments,
      std::vector<bool>* reused, CpuDevice* device,
      const std::shared_ptr<kit::Event>& done) const {
    for (size_t p = 0; p < arguments.size() && p < donated.size(); ++p) {
      if (!donated[p] || (*reused)[p] ||
          !program_->CanWriteResultOver(static_cast<int64_t>(output),
                                        static_cast<int64_t>(p))) {
        continue;
      }
      auto* host = static_cast<kit::HostMemoryBuffer*>(arguments[p].get());
      const bool plugin_memory =
          host->owns_memory() ||
          std::get_deleter<DonatedMemoryDeleter>(arguments[p]) != nullptr;
      if (!plugin_memory || host->mutable_data() == nullptr) continue;
      (*reused)[p] = true;
      // The alias keeps the donor (and so its memory) alive: both live in
      // one holder whose control block the returned pointer shares.
      auto* holder = new DonatedMemory{
          arguments[p], kit::HostMemoryBuffer::Alias(
                            host->mutable_data(), output_shapes_[output],
                            device, device->default_memory(),
                            /*mutable_alias=*/true, done)};
      std::shared_ptr<DonatedMemory> owner(holder, DonatedMemoryDeleter());
      return std::shared_ptr<kit::HostMemoryBuffer>(owner, holder->alias.get());
    }
    return nullptr;
  }

  struct DonatedMemory {
    std::shared_ptr<kit::Buffer> donor;
    std::shared_ptr<kit::HostMemoryBuffer> alias;
  };
  // Marks outputs made by ReuseDonatedArgument, so that they can be
  // donated again (a training step's parameters, step after step).
  struct DonatedMemoryDeleter {
    void operator()(DonatedMemory* m) const { delete m; }
  };

  void RunOnDevice(
      absl::Status status, int64_t replica,
      const std::vector<std::shared_ptr<kit::Buffer>>& arguments,
      const std::vector<std::shared_ptr<kit::HostMemoryBuffer>>& outputs,
      const std::shared_ptr<kit::ExecutionStatistics>& statistics,
      const base::Cancellation* cancellation,
      const std::shared_ptr<kit::Event>& done) {
    const auto start = std::chrono::steady_clock::now();
    if (status.ok()) status = base::CheckCancellation(cancellation);
    if (status.ok()) {
      absl::InlinedVector<const void*, 16> args(arguments.size());
      for (size_t i = 0; i < arguments.size(); ++i) {
        args[i] =
            static_cast<kit::HostMemoryBuffer*>(arguments[i].get())->data();
      }
      absl::InlinedVector<void*, 8> outs(outputs.size());
      for (size_t i = 0; i < outputs.size(); ++i) {
        outs[i] = outputs[i]->mutable_data();
      }
      base::ScopedCancellation scope(cancellation);
      status = base::CatchOutOfMemory(
          [&] { return program_->Run(args, outs, replica); },
          [&] { return "@" + settings_.entry; });
    }
    if (statistics != nullptr) {
      const int64_t wall_ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(
              std::chrono::steady_clock::now() - start)
              .count();
      statistics->Complete(
          {{"wall_ns", wall_ns}, {"temp_bytes", program_->temp_bytes()}});
    }
    done->Set(status).IgnoreError();
  }

  // Over everything that determines the compiled code.
  std::string ComputeFingerprint() const {
    const std::string settings = absl::StrCat(
        settings_.entry, "|", settings_.optimization_level, "|",
        settings_.matmul_precision, "|", settings_.convolution_algorithm, "|",
        settings_.math_accuracy, "|", devices_.size());
    return kit::Fingerprint("cpu-", {kPluginVersion, settings, code_});
  }

  std::unique_ptr<Program> program_;
  std::string code_;
  CompileSettings settings_;
  std::string fingerprint_;
  std::vector<CpuDevice*> devices_;
  std::vector<Shape> parameter_shapes_;
  std::vector<Shape> output_shapes_;
};

std::vector<std::unique_ptr<kit::Device>> CpuDevices(int64_t num_devices) {
  std::vector<std::unique_ptr<kit::Device>> devices;
  for (int64_t i = 0; i < num_devices; ++i) {
    devices.push_back(std::make_unique<CpuDevice>(i));
  }
  return devices;
}

// Devices, memories and buffers from host data come from kit::HostClient.
class CpuClient : public kit::HostClient {
 public:
  explicit CpuClient(int64_t num_devices)
      : HostClient(CpuDevices(num_devices)) {}
  absl::string_view platform_name() const override { return "cpu"; }
  absl::string_view platform_version() const override { return kPluginVersion; }

  absl::StatusOr<std::unique_ptr<kit::Executable>> Compile(
      absl::string_view format, absl::string_view code,
      const kit::Options& options,
      absl::Span<kit::Device* const> devices) override {
    const int64_t replicas = options.GetInt64("num_replicas", 1);
    const int64_t partitions = options.GetInt64("num_partitions", 1);
    if (partitions != 1) {
      return absl::UnimplementedError(
          "the cpu plugin does not partition programs (num_partitions must "
          "be 1)");
    }
    if (options.Has("num_replicas") &&
        replicas != static_cast<int64_t>(devices.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "num_replicas is ", replicas, " but ", devices.size(),
          " devices were given; the cpu plugin runs one replica per device"));
    }
    CompileSettings settings;
    settings.donated_parameters = options.GetInt64List("donated_parameters");
    settings.entry = options.GetString("entry_function", "main");
    settings.optimization_level = options.GetInt64("optimization_level", 2);
    settings.matmul_precision =
        options.GetString("matmul_precision", "highest");
    settings.convolution_algorithm =
        options.GetString("cpu.convolution_algorithm", "auto");
    settings.math_accuracy = options.GetString("cpu.math_accuracy", "fast");
    std::vector<CpuDevice*> cpu_devices;
    for (kit::Device* d : devices) {
      cpu_devices.push_back(static_cast<CpuDevice*>(d));
    }
    ASSIGN_OR_RETURN(
        auto exe, CpuExecutable::Create(std::string(code), std::move(settings),
                                        std::move(cpu_devices)));
    return std::unique_ptr<kit::Executable>(std::move(exe));
  }

  absl::StatusOr<std::unique_ptr<kit::Executable>> DeserializeExecutable(
      absl::string_view bytes) override {
    ASSIGN_OR_RETURN(bytes,
                     kit::StripSerializedMagic(bytes, kSerializedMagic, "cpu"));
    std::vector<absl::string_view> header =
        absl::StrSplit(bytes, absl::MaxSplits('\n', 7));
    CompileSettings settings;
    int64_t num_devices = 0;
    bool donated_ok = header.size() == 8;
    if (donated_ok && !header[6].empty()) {
      for (absl::string_view index : absl::StrSplit(header[6], ',')) {
        int64_t value = 0;
        donated_ok = donated_ok && absl::SimpleAtoi(index, &value);
        settings.donated_parameters.push_back(value);
      }
    }
    if (!donated_ok ||
        !absl::SimpleAtoi(header[1], &settings.optimization_level) ||
        !absl::SimpleAtoi(header[5], &num_devices)) {
      return absl::InvalidArgumentError(
          "truncated or malformed serialized cpu executable");
    }
    if (num_devices < 1 ||
        num_devices > static_cast<int64_t>(this->num_devices())) {
      return absl::InvalidArgumentError(
          absl::StrCat("the serialized executable needs ", num_devices,
                       " devices; this client has ", this->num_devices()));
    }
    settings.entry = std::string(header[0]);
    settings.matmul_precision = std::string(header[2]);
    settings.convolution_algorithm = std::string(header[3]);
    settings.math_accuracy = std::string(header[4]);
    std::vector<CpuDevice*> devices;
    for (int64_t i = 0; i < num_devices; ++i) {
      devices.push_back(static_cast<CpuDevice*>(device(i)));
    }
    ASSIGN_OR_RETURN(auto exe, CpuExecutable::Create(std::string(header[7]),
                                                     std::move(settings),
                                                     std::move(devices)));
    return std::unique_ptr<kit::Executable>(std::move(exe));
  }
};

class CpuPlugin : public kit::Plugin {
 public:
  kit::PluginInfo info() const override {
    kit::PluginInfo info;
    info.name = "cpu";
    info.vendor = "Backplane";
    info.plugin_version = kPluginVersion;
    info.capabilities = {"execute",          "serialize",  "host_zero_copy",
                         "framework_events", "statistics", "multi_device"};
    info.client_options = {{"num_devices", BPL_VALUE_INT64,
                            "number of virtual host devices (default 1)"}};
    info.compile_options = {
        {"convolution_algorithm", BPL_VALUE_STRING,
         "\"auto\" (default: Winograd for 3x3 convolutions where faster) or "
         "\"direct\""},
        {"math_accuracy", BPL_VALUE_STRING,
         "\"fast\" (default: f32 exp within 1 ulp) or \"correctly_rounded\" "
         "(the reference interpreter's results)"}};
    return info;
  }
  absl::StatusOr<std::unique_ptr<kit::Client>> CreateClient(
      const kit::Options& options) override {
    const int64_t n = options.GetInt64("num_devices", 1);
    if (n < 1 || n > kMaxDevices) {
      return absl::InvalidArgumentError(
          absl::StrCat("client option num_devices must be in [1, ", kMaxDevices,
                       "], got ", n));
    }
    return std::unique_ptr<kit::Client>(new CpuClient(n));
  }
};

}  // namespace
}  // namespace backplane::cpu

BPL_KIT_DEFINE_PLUGIN(backplane::cpu::CpuPlugin)
