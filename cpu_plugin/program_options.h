// ProgramOptions: how Program::Compile (program.h) compiles a module for
// the CPU: the entry function, the optimisation level, the matmul precision,
// convolution algorithm and math accuracy, and donation.
//
//   ProgramOptions options;
//   options.matmul_precision = MatmulPrecision::kBf16;
//   options.donated_parameters = {0};
//   auto program = Program::Compile(text, options);
#ifndef BACKPLANE_CPU_PLUGIN_PROGRAM_OPTIONS_H_
#define BACKPLANE_CPU_PLUGIN_PROGRAM_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/kernels/elementwise/unary.h"

namespace backplane::cpu {

enum class MatmulPrecision { kHighest, kBf16 };
// kAuto lets f32 3x3 convolutions use Winograd where it is faster
// (cpu_plugin/onednn_thunks.h); kDirect keeps every convolution a direct
// sum of products.
enum class ConvolutionAlgorithm { kAuto, kDirect };

struct ProgramOptions {
  std::string entry = "main";
  // 0: inline only (every op runs through its own thunk, for testing the
  // kernels); > 0: the shared optimisation pipeline and fusions.
  int64_t optimization_level = 2;
  MatmulPrecision matmul_precision = MatmulPrecision::kHighest;
  ConvolutionAlgorithm convolution_algorithm = ConvolutionAlgorithm::kAuto;
  // kFast: f32 exponentials within 1 ulp, about 2.5x faster (the
  // `cpu.math_accuracy` option); kCorrectlyRounded: the interpreter's
  // results bit for bit.
  kernels::elementwise::MathAccuracy math_accuracy =
      kernels::elementwise::MathAccuracy::kFast;
  // Parameters the caller may donate (the `donated_parameters` compile
  // option); argument attributes can add more (compiler/abi/donation.h).
  std::vector<int64_t> donated_parameters;
  // Allow the whole-function interpreter fallback (tests turn it off to
  // prove that thunks cover a program).
  bool allow_interpreter_fallback = true;
};

}  // namespace backplane::cpu

#endif  // BACKPLANE_CPU_PLUGIN_PROGRAM_OPTIONS_H_
