// The plugin backend of bpl_run: runs tests through a Backplane plugin.
#include <chrono>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "compiler/interpreter/harness/backend.h"
#include "compiler/interpreter/harness/host_checks.h"
#include "compiler/parser/parser.h"
#include "compiler/parser/printer.h"

namespace backplane::harness {
namespace {

absl::StatusOr<BPL_ElementType> ToAbiType(ir::ElementType type) {
  switch (type) {
    case ir::ElementType::kPred:
      return BPL_ELEMENT_TYPE_PRED;
    case ir::ElementType::kS2:
      return BPL_ELEMENT_TYPE_S2;
    case ir::ElementType::kS4:
      return BPL_ELEMENT_TYPE_S4;
    case ir::ElementType::kS8:
      return BPL_ELEMENT_TYPE_S8;
    case ir::ElementType::kS16:
      return BPL_ELEMENT_TYPE_S16;
    case ir::ElementType::kS32:
      return BPL_ELEMENT_TYPE_S32;
    case ir::ElementType::kS64:
      return BPL_ELEMENT_TYPE_S64;
    case ir::ElementType::kU2:
      return BPL_ELEMENT_TYPE_U2;
    case ir::ElementType::kU4:
      return BPL_ELEMENT_TYPE_U4;
    case ir::ElementType::kU8:
      return BPL_ELEMENT_TYPE_U8;
    case ir::ElementType::kU16:
      return BPL_ELEMENT_TYPE_U16;
    case ir::ElementType::kU32:
      return BPL_ELEMENT_TYPE_U32;
    case ir::ElementType::kU64:
      return BPL_ELEMENT_TYPE_U64;
    case ir::ElementType::kF16:
      return BPL_ELEMENT_TYPE_F16;
    case ir::ElementType::kBF16:
      return BPL_ELEMENT_TYPE_BF16;
    case ir::ElementType::kF32:
      return BPL_ELEMENT_TYPE_F32;
    case ir::ElementType::kF64:
      return BPL_ELEMENT_TYPE_F64;
    case ir::ElementType::kC64:
      return BPL_ELEMENT_TYPE_C64;
    case ir::ElementType::kC128:
      return BPL_ELEMENT_TYPE_C128;
    default:
      return absl::UnimplementedError(
          absl::StrCat("element type ", ir::ElementTypeToMlir(type),
                       " cannot cross the plugin ABI"));
  }
}

absl::StatusOr<ir::ElementType> FromAbiType(BPL_ElementType type) {
  for (int t = 1; t <= static_cast<int>(ir::ElementType::kC128); ++t) {
    const auto e = static_cast<ir::ElementType>(t);
    absl::StatusOr<BPL_ElementType> abi = ToAbiType(e);
    if (abi.ok() && *abi == type) return e;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("plugin returned unknown element type ", type));
}

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
  PluginBackend(Plugin plugin, Client client, Device device)
      : plugin_(std::move(plugin)),
        client_(std::move(client)),
        device_(device) {}

  std::string name() const override {
    return absl::StrCat("plugin:", plugin_.name());
  }

  ExecutionResult Run(const TestChunk& chunk, const TestCase& test,
                      std::vector<ir::Literal> arguments) override {
    ExecutionResult result;
    const auto start = std::chrono::steady_clock::now();
    int64_t compile_ns = 0;
    result.status = RunImpl(chunk, test, std::move(arguments), &compile_ns);
    result.wall_ns = NanosSince(start);
    result.extra_stats_json = absl::StrCat("\"compile_ns\":", compile_ns);
    return result;
  }

 private:
  absl::Status RunImpl(const TestChunk& chunk, const TestCase& test,
                       std::vector<ir::Literal> arguments,
                       int64_t* compile_ns) {
    // A private copy of the module: the checks are moved out of it.
    parser::ParseOptions options;
    options.filename = chunk.path;
    absl::StatusOr<std::unique_ptr<ir::Module>> module =
        parser::ParseModule(chunk.text, options);
    if (!module.ok()) return module.status();
    absl::StatusOr<std::vector<HostCheck>> checks =
        ExtractChecks(**module, test.function);
    if (!checks.ok()) return checks.status();
    if (test.function != "main") {
      if ((*module)->LookupFunction("main") != nullptr) {
        return absl::UnimplementedError(absl::StrCat(
            "@", test.function, " cannot be run as @main: @main exists"));
      }
      // Plugins run @main; the printed text carries the new name.
      (*module)->LookupFunction(test.function)->set_name("main");
    }
    const std::string text = parser::PrintModule(**module);
    const auto compile_start = std::chrono::steady_clock::now();
    absl::StatusOr<Executable> exe = client_.Compile(text);
    *compile_ns = NanosSince(compile_start);
    if (!exe.ok()) return exe.status();

    std::vector<Buffer> buffers;
    for (const ir::Literal& a : arguments) {
      absl::StatusOr<BPL_ElementType> type = ToAbiType(a.element_type());
      if (!type.ok()) return type.status();
      absl::StatusOr<BufferFromHostResult> b = client_.BufferFromHost(
          a.untyped_data(), Shape{*type, a.dims()}, device_);
      if (!b.ok()) return b.status();
      buffers.push_back(std::move(b->buffer));
    }
    std::vector<Buffer*> args;
    for (Buffer& b : buffers) args.push_back(&b);
    absl::StatusOr<std::vector<Buffer>> outputs = exe->ExecuteOnOneDevice(args);
    if (!outputs.ok()) return outputs.status();

    std::vector<ir::Literal> host;
    for (const Buffer& out : *outputs) {
      absl::StatusOr<Shape> shape = out.shape();
      if (!shape.ok()) return shape.status();
      absl::StatusOr<ir::ElementType> type = FromAbiType(shape->element_type);
      if (!type.ok()) return type.status();
      absl::StatusOr<int64_t> count =
          ir::TensorType::CheckedElementCount(shape->dims);
      if (!count.ok()) return count.status();
      ir::Literal literal(ir::TensorType(*type, shape->dims));
      absl::StatusOr<Event> done =
          out.ToHost(literal.untyped_data(), literal.byte_size());
      if (!done.ok()) return done.status();
      if (absl::Status s = done->Await(); !s.ok()) return s;
      host.push_back(std::move(literal));
    }
    return EvaluateHostChecks(*checks, host);
  }

  Plugin plugin_;
  Client client_;
  Device device_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Backend>> MakePluginBackend(
    const std::string& name_or_path,
    const std::vector<std::string>& client_options) {
  absl::StatusOr<Plugin> plugin = Plugin::Load(name_or_path);
  if (!plugin.ok()) return plugin.status();
  std::vector<NamedValue> options;
  for (const std::string& o : client_options) options.push_back(ParseOption(o));
  absl::StatusOr<Client> client = plugin->CreateClient(options);
  if (!client.ok()) return client.status();
  absl::StatusOr<std::vector<Device>> devices = client->addressable_devices();
  if (!devices.ok()) return devices.status();
  if (devices->empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin ", name_or_path, " has no addressable device"));
  }
  Device device = (*devices)[0];
  return std::unique_ptr<Backend>(
      new PluginBackend(*std::move(plugin), *std::move(client), device));
}

}  // namespace backplane::harness
