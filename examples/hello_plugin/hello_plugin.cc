// The smallest complete Backplane plugin: one host device whose programs run
// on the compiler kit's reference interpreter. Copy this folder to start a
// plugin of your own: replace HelloExecutable::Run with your compiler's
// output, and, if your device has memory of its own, derive the client from
// kit::Client instead of kit::HostClient and write a Buffer for it.
//
// Everything the ABI asks for that is not specific to a device (argument
// validation, struct sizes, error objects, events, options) is done by the
// kit (plugins/kit/plugin.h), and so is the host-memory client scaffolding
// (devices and memories, buffers from host data: plugins/kit/host_client.h);
// this file only says what the device does.
#include "examples/hello_plugin/hello_plugin.h"

#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/cancellation.h"
#include "base/out_of_memory.h"
#include "base/status_macros.h"
#include "compiler/abi/abi_types.h"
#include "compiler/abi/custom_calls.h"
#include "compiler/abi/donation.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/literal.h"
#include "compiler/ir/verifier.h"
#include "compiler/parser/parser.h"
#include "plugins/kit/event.h"
#include "plugins/kit/fingerprint.h"
#include "plugins/kit/host_buffer.h"
#include "plugins/kit/host_client.h"
#include "plugins/kit/inputs_ready.h"
#include "plugins/kit/plugin.h"
#include "plugins/kit/serialized_executable.h"
#include "plugins/kit/single_memory_device.h"

namespace hello {

using backplane::Shape;
namespace kit = backplane::kit;
namespace ir = backplane::ir;
namespace base = backplane::base;

constexpr char kPluginVersion[] = "0.1.0";
constexpr char kSerializedMagic[] = "hello-executable-v1\n";

class HelloDevice : public kit::SingleMemoryDevice {
 public:
  HelloDevice() : SingleMemoryDevice(0, "host") {}
  absl::string_view kind() const override { return "hello-host"; }
  std::string debug_string() const override {
    return "hello:0 (host memory, reference interpreter)";
  }
  std::vector<backplane::NamedValue> attributes() const override {
    return {{"backend", std::string("reference interpreter")}};
  }
};

// Reads a buffer's bytes into a Literal (identical storage conventions).
ir::Literal ToLiteral(const kit::HostMemoryBuffer& buffer,
                      const ir::TensorType& type) {
  ir::Literal literal(type);
  std::memcpy(literal.untyped_data(), buffer.data(),
              static_cast<size_t>(literal.byte_size()));
  return literal;
}

class HelloExecutable : public kit::Executable {
 public:
  static absl::StatusOr<std::unique_ptr<HelloExecutable>> Create(
      std::string code, std::string entry, std::vector<int64_t> donated,
      HelloDevice* device) {
    backplane::parser::ParseOptions parse_options;
    parse_options.filename = "program";
    ASSIGN_OR_RETURN(auto module,
                     backplane::parser::ParseModule(code, parse_options));
    RETURN_IF_ERROR(ir::VerifyModule(*module));
    RETURN_IF_ERROR(backplane::abi::CheckCustomCallTargets(*module, "hello"));
    const ir::Function* main = module->LookupFunction(entry);
    if (main == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("the program has no function @", entry));
    }
    auto exe = std::unique_ptr<HelloExecutable>(new HelloExecutable());
    for (const ir::Type& type : main->argument_types()) {
      auto shape = backplane::abi::ToAbiShape(type);
      if (!shape.ok()) {
        return absl::UnimplementedError(
            absl::StrCat("@", entry, " parameter: ", shape.status().message()));
      }
      exe->parameter_types_.push_back(type.tensor());
      exe->parameter_shapes_.push_back(*std::move(shape));
    }
    for (const ir::Type& type : main->result_types()) {
      auto shape = backplane::abi::ToAbiShape(type);
      if (!shape.ok()) {
        return absl::UnimplementedError(
            absl::StrCat("@", entry, " result: ", shape.status().message()));
      }
      exe->output_shapes_.push_back(*std::move(shape));
    }
    ASSIGN_OR_RETURN(auto donatable,
                     backplane::abi::DonatableParameters(*main, donated));
    exe->donatable_ = std::move(donatable);
    exe->donated_option_ = std::move(donated);
    ASSIGN_OR_RETURN(auto interpreter,
                     backplane::interpreter::Interpreter::Create(*module));
    exe->module_ = std::move(module);
    exe->interpreter_ = std::move(interpreter);
    exe->code_ = std::move(code);
    exe->entry_ = std::move(entry);
    exe->device_ = device;
    exe->fingerprint_ =
        kit::Fingerprint("hello-", {kPluginVersion, exe->entry_, exe->code_});
    return exe;
  }

  absl::string_view name() const override { return entry_; }
  std::vector<kit::Device*> devices() const override { return {device_}; }
  const std::vector<Shape>& parameter_shapes() const override {
    return parameter_shapes_;
  }
  const std::vector<Shape>& output_shapes() const override {
    return output_shapes_;
  }
  std::string fingerprint() const override { return fingerprint_; }
  bool supports_statistics() const override { return true; }
  // The interpreter polls the cancellation before every op.
  bool supports_cancellation() const override { return true; }
  // The interpreter never writes into arguments, so donation only lets the
  // kit release donated buffers early; a real plugin would reuse them.
  std::vector<bool> donatable_parameters() const override { return donatable_; }

  absl::StatusOr<std::string> Serialize() const override {
    return absl::StrCat(kSerializedMagic, entry_, "\n",
                        absl::StrJoin(donated_option_, ","), "\n", code_);
  }

  absl::StatusOr<kit::ExecuteResult> Execute(
      kit::ExecuteRequest request) override {
    // Outputs exist at once; they become ready when the run finishes.
    auto done = std::make_shared<kit::Event>();
    std::vector<std::shared_ptr<kit::HostMemoryBuffer>> outputs;
    for (const Shape& shape : output_shapes_) {
      ASSIGN_OR_RETURN(auto buffer,
                       kit::HostMemoryBuffer::Allocate(
                           shape, device_, device_->default_memory(), done));
      outputs.push_back(std::move(buffer));
    }
    // Run once every input is ready: inline when they already are (the
    // common case, and the cheapest), otherwise on the completing thread.
    auto arguments = std::move(request.arguments[0]);
    auto statistics =
        request.statistics.empty() ? nullptr : request.statistics[0];
    auto cancellation = std::move(request.cancellation);
    auto run = [this, arguments, outputs, done, statistics,
                cancellation](const absl::Status& ready) {
      absl::Status status = ready;
      auto start = std::chrono::steady_clock::now();
      if (status.ok()) {
        status = base::CatchOutOfMemory(
            [&] { return Run(arguments, outputs, cancellation.get()); },
            [&] { return "@" + entry_; });
      }
      int64_t wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
      if (statistics != nullptr) {
        statistics->Complete({{"wall_ns", wall_ns}});
      }
      done->Set(status).IgnoreError();
    };
    kit::WhenInputsReady(request.wait, arguments, std::move(run));
    kit::ExecuteResult result;
    result.outputs.emplace_back(outputs.begin(), outputs.end());
    result.device_done.push_back(done);
    return result;
  }

 private:
  HelloExecutable() = default;

  absl::Status Run(
      const std::vector<std::shared_ptr<kit::Buffer>>& arguments,
      const std::vector<std::shared_ptr<kit::HostMemoryBuffer>>& outputs,
      const base::Cancellation* cancellation) {
    std::vector<ir::Literal> inputs;
    for (size_t i = 0; i < arguments.size(); ++i) {
      auto* host = static_cast<kit::HostMemoryBuffer*>(arguments[i].get());
      inputs.push_back(ToLiteral(*host, parameter_types_[i]));
    }
    absl::StatusOr<std::vector<ir::Literal>> run;
    {
      // The interpreter keeps per-run state; one run at a time keeps the
      // example simple. A real plugin runs executions concurrently.
      std::lock_guard<std::mutex> lock(mu_);
      RETURN_IF_ERROR(base::CheckCancellation(cancellation));
      run = interpreter_->Run(entry_, inputs, cancellation);
    }
    ASSIGN_OR_RETURN(std::vector<ir::Literal> results, std::move(run));
    if (results.size() != outputs.size()) {
      return absl::InternalError("the program returned the wrong arity");
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      std::memcpy(outputs[i]->mutable_data(), results[i].untyped_data(),
                  static_cast<size_t>(results[i].byte_size()));
    }
    return absl::OkStatus();
  }

  std::unique_ptr<ir::Module> module_;
  std::unique_ptr<backplane::interpreter::Interpreter> interpreter_;
  std::mutex mu_;
  std::string code_;
  std::string entry_;
  std::string fingerprint_;
  std::vector<int64_t> donated_option_;
  std::vector<bool> donatable_;
  HelloDevice* device_ = nullptr;
  std::vector<ir::TensorType> parameter_types_;
  std::vector<Shape> parameter_shapes_;
  std::vector<Shape> output_shapes_;
};

std::vector<std::unique_ptr<kit::Device>> HelloDevices() {
  std::vector<std::unique_ptr<kit::Device>> devices;
  devices.push_back(std::make_unique<HelloDevice>());
  return devices;
}

// Devices, memories and buffers from host data come from kit::HostClient.
class HelloClient : public kit::HostClient {
 public:
  HelloClient() : HostClient(HelloDevices()) {}
  absl::string_view platform_name() const override { return "hello"; }
  absl::string_view platform_version() const override { return kPluginVersion; }

  absl::StatusOr<std::unique_ptr<kit::Executable>> Compile(
      absl::string_view format, absl::string_view code,
      const kit::Options& options,
      absl::Span<kit::Device* const> devices) override {
    if (devices.size() != 1) {
      return absl::InvalidArgumentError("the hello plugin has one device");
    }
    if (options.GetInt64("num_replicas", 1) != 1 ||
        options.GetInt64("num_partitions", 1) != 1) {
      return absl::UnimplementedError(
          "the hello plugin runs single-device programs only");
    }
    ASSIGN_OR_RETURN(
        auto exe,
        HelloExecutable::Create(
            std::string(code), options.GetString("entry_function", "main"),
            options.GetInt64List("donated_parameters"), hello_device()));
    return std::unique_ptr<kit::Executable>(std::move(exe));
  }

  absl::StatusOr<std::unique_ptr<kit::Executable>> DeserializeExecutable(
      absl::string_view bytes) override {
    ASSIGN_OR_RETURN(
        bytes, kit::StripSerializedMagic(bytes, kSerializedMagic, "hello"));
    // Layout: entry "\n" donated indices "\n" program text.
    std::vector<absl::string_view> header =
        absl::StrSplit(bytes, absl::MaxSplits('\n', 2));
    if (header.size() != 3) {
      return absl::InvalidArgumentError("truncated serialized executable");
    }
    std::vector<int64_t> donated;
    for (absl::string_view index :
         absl::StrSplit(header[1], ',', absl::SkipEmpty())) {
      int64_t value;
      if (!absl::SimpleAtoi(index, &value)) {
        return absl::InvalidArgumentError(
            "corrupt serialized executable (donated parameters)");
      }
      donated.push_back(value);
    }
    ASSIGN_OR_RETURN(
        auto exe,
        HelloExecutable::Create(std::string(header[2]), std::string(header[0]),
                                std::move(donated), hello_device()));
    return std::unique_ptr<kit::Executable>(std::move(exe));
  }

 private:
  HelloDevice* hello_device() const {
    return static_cast<HelloDevice*>(device(0));
  }
};

class HelloPlugin : public kit::Plugin {
 public:
  kit::PluginInfo info() const override {
    kit::PluginInfo info;
    info.name = "hello";
    info.vendor = "Backplane examples";
    info.plugin_version = kPluginVersion;
    info.capabilities = {"execute", "serialize", "host_zero_copy",
                         "framework_events", "statistics"};
    return info;
  }
  absl::StatusOr<std::unique_ptr<kit::Client>> CreateClient(
      const kit::Options& options) override {
    return std::unique_ptr<kit::Client>(new HelloClient());
  }
};

std::unique_ptr<kit::Plugin> MakeHelloPlugin() {
  return std::make_unique<HelloPlugin>();
}

}  // namespace hello
