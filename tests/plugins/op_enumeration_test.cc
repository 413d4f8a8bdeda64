// Every opcode with 0-3 operands of f32 or i32 tensors, with and without a
// result, on every backend: the verifier rejects the variant
// (compiler/ir/verify/op_enumeration_test holds it to INVALID_ARGUMENT naming
// the op), or each plugin (hello, cpu, sim) either refuses it with a clear
// error, not INTERNAL, or computes what the reference interpreter computes.
// A crash ends the binary with the variant named on stderr.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "compiler/interpreter/interpreter.h"
#include "compiler/ir/literal.h"
#include "compiler/ir/opcode.h"
#include "compiler/ir/verifier.h"
#include "compiler/ir/verify/op_variants.h"
#include "compiler/parser/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::tests {
namespace {

using ir::ElementType;

using ir::verify::DescribeOpVariant;
using ir::verify::OpVariant;

// Distinct, non-zero inputs (no division by zero, both signs).
const float kFloats[3][2] = {{0.5f, -1.25f}, {2.0f, 0.75f}, {-3.0f, 1.5f}};
const int32_t kInts[3][2] = {{3, -2}, {1, 5}, {-4, 2}};

std::vector<ir::Literal> Inputs(ElementType element) {
  std::vector<ir::Literal> inputs;
  for (int i = 0; i < 3; ++i) {
    ir::Literal literal(ir::TensorType(element, {2}));
    if (element == ElementType::kF32) {
      std::memcpy(literal.untyped_data(), kFloats[i], sizeof(kFloats[i]));
    } else {
      std::memcpy(literal.untyped_data(), kInts[i], sizeof(kInts[i]));
    }
    inputs.push_back(std::move(literal));
  }
  return inputs;
}

// f32 results agree to 4 ulp (transcendental functions may differ in the
// last bits between backends), NaN with NaN; i32 results exactly.
bool Agree(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  if (std::isinf(a) || std::isinf(b)) return false;
  int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  if ((ia < 0) != (ib < 0)) return std::fabs(a - b) < 1e-30f;
  return std::abs(int64_t{ia} - int64_t{ib}) <= 4;
}

struct Backend {
  std::string name;
  Plugin plugin;
  Client client;
  Device device;
};

// Loads the plugin library at `path` (relative to the runfiles).
std::unique_ptr<Backend> LoadBackend(const std::string& name,
                                     const std::string& path) {
  absl::StatusOr<Plugin> plugin = Plugin::Load(
      absl::StrCat(std::getenv("TEST_SRCDIR"), "/backplane/", path));
  EXPECT_TRUE(plugin.ok()) << name << ": " << plugin.status();
  if (!plugin.ok()) return nullptr;
  absl::StatusOr<Client> client = plugin->CreateClient();
  EXPECT_TRUE(client.ok()) << name << ": " << client.status();
  if (!client.ok()) return nullptr;
  absl::StatusOr<std::vector<Device>> devices = client->addressable_devices();
  EXPECT_TRUE(devices.ok() && !devices->empty()) << name;
  if (!devices.ok() || devices->empty()) return nullptr;
  Device device = (*devices)[0];
  return std::make_unique<Backend>(
      Backend{name, *std::move(plugin), *std::move(client), device});
}

// The interpreter's result (nullopt when it fails at run time).
std::optional<ir::Literal> Reference(const ir::Module& module,
                                     ElementType element) {
  interpreter::InterpreterOptions options;
  options.verify = false;  // Verified by the caller.
  auto interp = interpreter::Interpreter::Create(module, options);
  if (!interp.ok()) return std::nullopt;
  auto results = (*interp)->Run("main", Inputs(element));
  if (!results.ok() || results->size() != 1) return std::nullopt;
  return std::move((*results)[0]);
}

template <typename T>
std::string CompareResult(const Buffer& out, const ir::Literal& reference) {
  absl::StatusOr<std::vector<T>> got = out.ToVector<T>();
  if (!got.ok() || got->size() != 2) return "unreadable result";
  absl::Span<const T> want = reference.data<T>();
  for (int i = 0; i < 2; ++i) {
    const bool same = [&] {
      if constexpr (std::is_same_v<T, float>) {
        return Agree((*got)[i], want[i]);
      } else {
        return (*got)[i] == want[i];
      }
    }();
    if (!same) {
      return absl::StrCat("element ", i, " is ", (*got)[i],
                          ", the interpreter gives ", want[i]);
    }
  }
  return "";
}

// One plugin on one verified variant: a description of what went wrong, or
// empty.
// `*compared` tells whether a result was compared with the interpreter's.
std::string RunOn(Backend& backend, const OpVariant& v, const std::string& text,
                  const std::optional<ir::Literal>& reference, bool* compared) {
  *compared = false;
  absl::StatusOr<Executable> exe = backend.client.Compile(text);
  if (!exe.ok()) {
    if (exe.status().code() == absl::StatusCode::kInternal) {
      return absl::StrCat("compile: ", exe.status().ToString());
    }
    return "";  // A clear refusal.
  }
  std::vector<Buffer> buffers;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<Buffer> buffer =
        v.element == ElementType::kF32
            ? backend.client.BufferFromVector<float>(
                  {kFloats[i][0], kFloats[i][1]}, {2}, backend.device)
            : backend.client.BufferFromVector<int32_t>(
                  {kInts[i][0], kInts[i][1]}, {2}, backend.device);
    if (!buffer.ok())
      return absl::StrCat("upload: ", buffer.status().ToString());
    buffers.push_back(*std::move(buffer));
  }
  std::vector<Buffer*> args;
  for (Buffer& b : buffers) args.push_back(&b);
  absl::StatusOr<std::vector<Buffer>> out = exe->ExecuteOnOneDevice(args);
  if (!out.ok()) {
    if (out.status().code() == absl::StatusCode::kInternal) {
      return absl::StrCat("execute: ", out.status().ToString());
    }
    return "";  // Refused at run time with a clear error.
  }
  if (!v.with_result) return out->empty() ? "" : "unexpected outputs";
  if (out->size() != 1) return absl::StrCat(out->size(), " outputs, not 1");
  if (!reference.has_value()) {
    return "ran where the reference interpreter failed";
  }
  *compared = true;
  return v.element == ElementType::kF32
             ? CompareResult<float>((*out)[0], *reference)
             : CompareResult<int32_t>((*out)[0], *reference);
}

struct Outcome {
  int verified = 0;
  int compared = 0;  // Runs whose result matched the interpreter's.
  std::vector<std::string> problems;
};

// Every variant the verifier accepts, on `backend`.
Outcome Enumerate(Backend& backend) {
  Outcome outcome;
  ir::verify::ForEachOpVariant([&](const OpVariant& v) {
    const std::string text =
        ir::verify::OpVariantModule(v, /*return_result=*/true);
    auto module = parser::ParseModule(text);
    EXPECT_TRUE(module.ok()) << DescribeOpVariant(v) << ": " << module.status();
    if (!module.ok() || !ir::VerifyModule(**module).ok()) return;
    ++outcome.verified;
    const std::optional<ir::Literal> reference =
        v.with_result ? Reference(**module, v.element) : std::nullopt;
    // Names the variant in the log should the run crash.
    std::cerr << backend.name << ": " << DescribeOpVariant(v) << "\n";
    bool compared = false;
    const std::string problem = RunOn(backend, v, text, reference, &compared);
    if (compared && problem.empty()) ++outcome.compared;
    if (!problem.empty()) {
      outcome.problems.push_back(absl::StrCat(
          backend.name, ", ", DescribeOpVariant(v), ": ", problem, "\n", text));
    }
  });
  return outcome;
}

TEST(OpEnumerationTest, EveryBackendRefusesCleanlyOrAgrees) {
  for (const auto& [name, path] :
       std::vector<std::pair<std::string, std::string>>{
           {"hello", "examples/hello_plugin/libbackplane_hello.so"},
           {"cpu", "cpu_plugin/libbackplane_cpu.so"},
           {"sim", "sim_accelerator/libbackplane_sim.so"}}) {
    std::unique_ptr<Backend> backend = LoadBackend(name, path);
    ASSERT_NE(backend, nullptr);
    const Outcome outcome = Enumerate(*backend);
    // 146 variants verify and 116 of them return a result today: a real
    // share of the op table.
    EXPECT_GT(outcome.verified, 120) << name;
    std::cout << name << ": " << outcome.verified << " variants verify, "
              << outcome.compared << " ran and matched the interpreter\n";
    EXPECT_GT(outcome.compared, 100) << name;
    EXPECT_THAT(outcome.problems, ::testing::IsEmpty()) << name;
  }
}

// The same enumeration catches a plugin whose results are wrong
// (tests/fixtures: ToHost adds 1 to the first f32 it copies).
TEST(OpEnumerationTest, CatchesWrongResults) {
  std::unique_ptr<Backend> backend =
      LoadBackend("broken_wrong_results",
                  "tests/fixtures/libbackplane_broken_wrong_results.so");
  ASSERT_NE(backend, nullptr);
  const Outcome outcome = Enumerate(*backend);
  ASSERT_FALSE(outcome.problems.empty());
  EXPECT_THAT(outcome.problems[0], ::testing::HasSubstr("element 0 is"));
}

}  // namespace
}  // namespace backplane::tests
