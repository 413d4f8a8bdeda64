// //bench:models: ResNet-50 (batch 1) and a BERT-base encoder (sequence 7
// as exported, and a sequence-128 variant derived from it) on the cpu
// plugin, side by side with PyTorch (bench/torch_models.py) in the same
// run, 2 threads each, medians:
//
//   bazel run -c opt //bench:models [-- --iters=20 --rounds=3 --bf16
//                                       --skip_pytorch]
//
// The machine's speed drifts by several percent over a minute, so the two
// sides alternate: each of `rounds` rounds runs PyTorch, then Backplane,
// `iters` times per model; each side's figure is the median of its round
// medians. Prints `<model> backplane_ms=<median> pytorch_ms=<median>
// ratio=<b/p>` per model (and the per-round ratios), then compile times, the
// deviation of the default f32 convolutions (Winograd where faster) from direct
// ones on ResNet-50, and (with --bf16) ResNet-50 with matmul_precision=bf16 and
// its deviation.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "api/cpp/client.h"
#include "api/cpp/plugin.h"
#include "base/status_macros.h"
#include "tests/util/corpus.h"

namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The exported encoder with sequence length 7 rewritten to `seq`: every
// tensor dimension of size 7 is the sequence (hidden 768, heads 12, head
// 64, vocabulary and position tables have no 7), plus the position-id
// slice.
std::string ResizeBertSequence(const std::string& text, int seq) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t pos = 0;
  while (true) {
    size_t t = text.find("tensor<", pos);
    if (t == std::string::npos) break;
    size_t end = text.find('>', t);
    out.append(text, pos, t + 7 - pos);
    std::vector<std::string> parts =
        absl::StrSplit(text.substr(t + 7, end - t - 7), 'x');
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) out += 'x';
      out += parts[i] == "7" ? std::to_string(seq) : parts[i];
    }
    pos = end;
  }
  out.append(text, pos, std::string::npos);
  const std::string from = "[0:1, 0:7]";
  size_t s = out.find(from);
  if (s != std::string::npos) {
    out.replace(s, from.size(), absl::StrCat("[0:1, 0:", seq, "]"));
  }
  return out;
}

// ResNet-50 with parameters whose activations stay finite through 50
// layers, for measuring the bf16 deviation: the parser fills elided
// constants with uniform [-1, 1) values, which overflow to inf after a few
// blocks. Each convolution's elided HWIO kernel is followed in the file by
// its batch norm's mean, variance, scale (gamma) and offset (rank 1). Here
// mean, variance and offset become 1, and gamma becomes sqrt(6 / fan_in)
// (fan_in = H*W*I of the kernel before it), which scales the convolution
// as He initialisation would (weight variance 2 / fan_in); the kernels stay
// plain constants, so every convolution takes its optimised (bf16) path.
std::string ScaleResnetWeights(const std::string& text) {
  const std::string marker = "stablehlo.constant dense_resource<__elided__> : ";
  std::string out;
  double gamma = 1.0;
  int rank1_since_kernel = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    const size_t at = line.find(marker);
    const size_t eq = line.find(" = ");
    if (at == absl::string_view::npos || eq == absl::string_view::npos) {
      absl::StrAppend(&out, line, "\n");
      continue;
    }
    const std::string type(line.substr(at + marker.size()));
    std::vector<std::string> dims =
        absl::StrSplit(type.substr(7, type.find('>') - 7), 'x');
    dims.pop_back();  // The element type.
    if (dims.size() == 4) {
      int64_t fan_in = 1;
      for (int k = 0; k < 3; ++k) {
        int64_t d = 1;
        if (absl::SimpleAtoi(dims[k], &d)) fan_in *= d;
      }
      gamma = std::sqrt(6.0 / static_cast<double>(fan_in));
      rank1_since_kernel = 0;
      absl::StrAppend(&out, line, "\n");
    } else if (dims.size() == 1) {
      const double value = rank1_since_kernel++ == 2 ? gamma : 1.0;
      absl::StrAppend(&out, line.substr(0, eq), " = stablehlo.constant dense<",
                      absl::StrFormat("%.9e", value), "> : ", type, "\n");
    } else {
      absl::StrAppend(&out, line, "\n");
    }
  }
  return out;
}

struct Measured {
  double median_ms = 0;
  double compile_ms = 0;
  std::vector<float> first_output;
};

// Deterministic arguments: small floats for weights, 1 for integer inputs
// (token ids, token types and attention mask of the encoder).
std::vector<std::vector<uint8_t>> MakeArguments(
    const std::vector<backplane::Shape>& shapes) {
  std::vector<std::vector<uint8_t>> args;
  uint32_t state = 12345;
  for (const backplane::Shape& s : shapes) {
    std::vector<uint8_t> bytes(s.byte_size());
    if (s.element_type == BPL_ELEMENT_TYPE_F32) {
      float* f = reinterpret_cast<float*>(bytes.data());
      for (int64_t i = 0; i < s.element_count(); ++i) {
        state = state * 1664525u + 1013904223u;
        f[i] = (static_cast<float>(state >> 8) / 16777216.0f - 0.5f) * 0.1f;
      }
    } else if (s.element_type == BPL_ELEMENT_TYPE_S32) {
      int32_t* v = reinterpret_cast<int32_t*>(bytes.data());
      for (int64_t i = 0; i < s.element_count(); ++i) v[i] = 1;
    } else if (s.element_type == BPL_ELEMENT_TYPE_PRED) {
      for (auto& b : bytes) b = 1;
    }
    args.push_back(std::move(bytes));
  }
  return args;
}

absl::StatusOr<Measured> RunModel(
    const backplane::Client& client, const std::string& text, int iters,
    const std::string& precision,
    const std::string& convolution_algorithm = "auto") {
  Measured m;
  auto start = Clock::now();
  auto exe = client.Compile(
      text, {{"matmul_precision", precision},
             {"cpu.convolution_algorithm", convolution_algorithm}});
  if (!exe.ok()) return exe.status();
  m.compile_ms = MsSince(start);
  ASSIGN_OR_RETURN(auto shapes, exe->parameter_shapes());
  ASSIGN_OR_RETURN(auto devices, client.addressable_devices());
  std::vector<std::vector<uint8_t>> host = MakeArguments(shapes);
  std::vector<backplane::Buffer> buffers;
  for (size_t i = 0; i < shapes.size(); ++i) {
    ASSIGN_OR_RETURN(
        auto b, client.BufferFromHost(host[i].data(), shapes[i], devices[0]));
    buffers.push_back(std::move(b.buffer));
  }
  std::vector<backplane::Buffer*> args;
  for (auto& b : buffers) args.push_back(&b);
  std::vector<double> times;
  for (int i = 0; i < iters + 3; ++i) {
    auto t0 = Clock::now();
    ASSIGN_OR_RETURN(auto out, exe->ExecuteOnOneDevice(args));
    const double ms = MsSince(t0);
    if (i >= 3) times.push_back(ms);
    if (i == 0) {
      auto v = out[0].ToVector<float>();
      if (v.ok()) m.first_output = *std::move(v);
    }
  }
  m.median_ms = Median(times);
  return m;
}

struct Deviation {
  double max_abs = 0, max_ref = 0, rel_rms = 0;
};

Deviation Compare(const std::vector<float>& ref,
                  const std::vector<float>& other) {
  Deviation d;
  double sum_sq_dev = 0, sum_sq_ref = 0;
  for (size_t i = 0; i < std::min(ref.size(), other.size()); ++i) {
    const double diff = static_cast<double>(ref[i]) - other[i];
    d.max_abs = std::max(d.max_abs, std::fabs(diff));
    d.max_ref = std::max(d.max_ref, std::fabs(static_cast<double>(ref[i])));
    sum_sq_dev += diff * diff;
    sum_sq_ref += static_cast<double>(ref[i]) * ref[i];
  }
  d.rel_rms = sum_sq_ref > 0 ? std::sqrt(sum_sq_dev / sum_sq_ref) : 0.0;
  return d;
}

// Runs the PyTorch peers once per OpenMP wait policy and keeps each
// model's faster median: PyTorch's OpenMP threads and OpenBLAS's own
// threads share the two cores, and which policy wins depends on the model
// (measured here: the seq-128 encoder 380 ms with spinning OpenMP threads
// vs 113 ms passive; ResNet-50 31 vs 35 ms). Returns model -> median ms.
std::map<std::string, double> RunPytorch(const std::vector<std::string>& models,
                                         int iters) {
  std::map<std::string, double> result;
  const char* srcdir = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  std::string script = srcdir != nullptr
                           ? absl::StrCat(srcdir, "/bench/torch_models.py")
                           : "bench/torch_models.py";
  for (const char* env : {"", "OMP_WAIT_POLICY=PASSIVE "}) {
    std::string cmd = absl::StrCat(env, "/usr/bin/python3 ", script,
                                   " --threads 2 --iters ", iters);
    for (const auto& m : models) cmd += " " + m;
    cmd += " 2>/dev/null";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) continue;
    char line[512];
    while (fgets(line, sizeof(line), pipe) != nullptr) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ');
      if (parts.size() != 2 || !absl::StartsWith(parts[1], "pytorch_ms="))
        continue;
      double ms = 0;
      if (absl::SimpleAtod(absl::StripAsciiWhitespace(parts[1].substr(11)),
                           &ms) &&
          ms > 0 && (!result.count(parts[0]) || ms < result[parts[0]])) {
        result[parts[0]] = ms;
      }
    }
    pclose(pipe);
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  int iters = 20, rounds = 3;
  bool bf16 = false, skip_pytorch = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--iters=")) {
      if (!absl::SimpleAtoi(a.substr(8), &iters) || iters < 1) return 2;
    } else if (absl::StartsWith(a, "--rounds=")) {
      if (!absl::SimpleAtoi(a.substr(9), &rounds) || rounds < 1) return 2;
    } else if (a == "--bf16") {
      bf16 = true;
    } else if (a == "--skip_pytorch") {
      skip_pytorch = true;
    } else {
      std::cerr << "usage: models [--iters=N] [--rounds=N] [--bf16] "
                   "[--skip_pytorch]\n";
      return 2;
    }
  }
  setenv("OMP_NUM_THREADS", "2", 0);
  auto corpus = backplane::testing::FindCorpusDir();
  if (!corpus.has_value()) {
    std::cerr << "models: corpus not found\n";
    return 1;
  }
  const char* srcdir = std::getenv("RUNFILES_DIR");
  std::string lib =
      srcdir != nullptr
          ? absl::StrCat(srcdir, "/backplane/cpu_plugin/libbackplane_cpu.so")
          : "cpu_plugin/libbackplane_cpu.so";
  auto plugin = backplane::Plugin::Load(lib);
  if (!plugin.ok()) {
    std::cerr << "models: " << plugin.status() << "\n";
    return 1;
  }
  auto client = plugin->CreateClient();
  if (!client.ok()) {
    std::cerr << "models: " << client.status() << "\n";
    return 1;
  }
  const std::string resnet = ReadFile(*corpus + "/models/jax_resnet_50.mlir");
  const std::string bert = ReadFile(*corpus + "/models/pt_bert.mlir");
  struct Model {
    std::string name, torch_name, text;
  };
  std::vector<Model> models = {
      {"resnet50", "resnet50", resnet},
      {"bert_seq7", "bert7", bert},
      {"bert_seq128", "bert128", ResizeBertSequence(bert, 128)},
  };
  // Per model: each round's median on either side.
  std::map<std::string, std::vector<double>> torch_rounds, our_rounds;
  std::map<std::string, Measured> ours;
  bool failed = false;
  for (int round = 0; round < rounds && !failed; ++round) {
    if (!skip_pytorch) {
      for (const auto& [name, ms] :
           RunPytorch({"resnet50", "bert7", "bert128"}, iters)) {
        torch_rounds[name].push_back(ms);
      }
    }
    for (const Model& m : models) {
      auto r = RunModel(*client, m.text, iters, "highest");
      if (!r.ok()) {
        std::cout << m.name << " error: " << r.status() << "\n";
        failed = true;
        break;
      }
      our_rounds[m.name].push_back(r->median_ms);
      if (round == 0) ours[m.name] = *r;
    }
  }
  std::map<std::string, double> torch;
  for (const auto& [name, v] : torch_rounds) torch[name] = Median(v);
  for (const Model& m : models) {
    if (!our_rounds.count(m.name)) continue;
    const double b = Median(our_rounds[m.name]);
    const double p = torch.count(m.torch_name) ? torch[m.torch_name] : 0;
    std::printf("%s backplane_ms=%.3f pytorch_ms=%.3f ratio=%.3f\n",
                m.name.c_str(), b, p, p > 0 ? b / p : 0.0);
    const std::vector<double>& ob = our_rounds[m.name];
    const std::vector<double>& op = torch_rounds[m.torch_name];
    if (ob.size() == op.size() && ob.size() > 1) {
      std::string per_round;
      for (size_t i = 0; i < ob.size(); ++i) {
        absl::StrAppendFormat(&per_round, "%s%.3f", i ? "," : "",
                              ob[i] / op[i]);
      }
      std::printf("%s round_ratios=%s\n", m.name.c_str(), per_round.c_str());
    }
    std::fflush(stdout);
  }
  for (const auto& [name, m] : ours) {
    std::printf("compile %s compile_ms=%.1f\n", name.c_str(), m.compile_ms);
  }
  if (!ours.count("resnet50")) return 1;
  // Deviations are measured on a copy of ResNet-50 whose weights keep the
  // activations finite (ScaleResnetWeights), against f32 with direct
  // convolutions (no Winograd).
  const std::string scaled = ScaleResnetWeights(resnet);
  auto reference = RunModel(*client, scaled, 1, "highest", "direct");
  auto fast = RunModel(*client, scaled, 1, "highest", "auto");
  if (!reference.ok() || !fast.ok()) {
    std::cout << "resnet50 deviation error: "
              << (reference.ok() ? fast.status() : reference.status()) << "\n";
    return 1;
  }
  const Deviation winograd =
      Compare(reference->first_output, fast->first_output);
  std::printf(
      "resnet50 deviation of the default (Winograd) from direct "
      "convolutions (scaled weights, last_hidden_state): max_abs_dev=%.3g "
      "max_abs_f32=%.3g rel_rms_dev=%.3g\n",
      winograd.max_abs, winograd.max_ref, winograd.rel_rms);
  if (bf16) {
    auto r = RunModel(*client, resnet, iters, "bf16");
    auto b16 = RunModel(*client, scaled, 1, "bf16");
    if (!r.ok() || !b16.ok()) {
      std::cout << "resnet50_bf16 error: "
                << (r.ok() ? b16.status() : r.status()) << "\n";
      return 1;
    }
    const Deviation d = Compare(reference->first_output, b16->first_output);
    const double p = torch.count("resnet50") ? torch["resnet50"] : 0;
    std::printf(
        "resnet50_bf16 backplane_ms=%.3f pytorch_f32_ms=%.3f ratio=%.3f\n",
        r->median_ms, p, p > 0 ? r->median_ms / p : 0.0);
    std::printf(
        "resnet50_bf16 deviation from f32 direct (scaled weights, "
        "last_hidden_state): max_abs_dev=%.3g max_abs_f32=%.3g "
        "rel_rms_dev=%.3g\n",
        d.max_abs, d.max_ref, d.rel_rms);
  }
  return 0;
}
