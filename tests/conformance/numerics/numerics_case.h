// The Numerics family's programs: each case is one StableHLO program of our
// own with its inputs and hand-derived expected outputs. Cases live in one
// file per op family and are collected by AllNumericsCases():
//
//   for (const NumericsCase& c : AllNumericsCases()) {
//     Compile(c.program); upload c.inputs; execute; compare with c.expected
//   }
//
// Expected values are computed independently of the compiler kit (by hand,
// or with numpy/mpmath), never by running our interpreter. The comparison
// rules are in docs/conformance.md ("Numerics and tolerances").
#ifndef BACKPLANE_TESTS_CONFORMANCE_NUMERICS_NUMERICS_CASE_H_
#define BACKPLANE_TESTS_CONFORMANCE_NUMERICS_NUMERICS_CASE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "api/backplane_c_api.h"

namespace backplane::conformance {

// A dense row-major tensor given as doubles (exact for every integer up to
// 2^53 and every f32/f16/bf16 value). Complex tensors carry the imaginary
// parts separately.
struct Tensor {
  BPL_ElementType type;
  std::vector<int64_t> dims;
  std::vector<double> values;
  std::vector<double> imag = {};
};

// How a case's floating-point outputs are compared (integers and pred are
// always exact).
enum class Tolerance {
  // The per-element-type rule (docs/conformance.md): what a correctly
  // rounded or faithfully rounded implementation meets.
  kElementType,
  // Ten times the element-type rule: for functions with no correctly
  // rounded reference in common libraries (special functions such as
  // lgamma, digamma, zeta, erf_inv, bessel_i1e, and long accumulations).
  kApproximate,
};

struct NumericsCase {
  // Names the ops the program covers; also the gtest parameter name.
  std::string name;
  std::string program;
  std::vector<Tensor> inputs;
  std::vector<Tensor> expected;
  Tolerance tolerance = Tolerance::kElementType;
};

// Short element-type names for case tables.
namespace types {
inline constexpr BPL_ElementType PRED = BPL_ELEMENT_TYPE_PRED;
inline constexpr BPL_ElementType S4 = BPL_ELEMENT_TYPE_S4;
inline constexpr BPL_ElementType S8 = BPL_ELEMENT_TYPE_S8;
inline constexpr BPL_ElementType S16 = BPL_ELEMENT_TYPE_S16;
inline constexpr BPL_ElementType S32 = BPL_ELEMENT_TYPE_S32;
inline constexpr BPL_ElementType S64 = BPL_ELEMENT_TYPE_S64;
inline constexpr BPL_ElementType U4 = BPL_ELEMENT_TYPE_U4;
inline constexpr BPL_ElementType U8 = BPL_ELEMENT_TYPE_U8;
inline constexpr BPL_ElementType U16 = BPL_ELEMENT_TYPE_U16;
inline constexpr BPL_ElementType U32 = BPL_ELEMENT_TYPE_U32;
inline constexpr BPL_ElementType U64 = BPL_ELEMENT_TYPE_U64;
inline constexpr BPL_ElementType F16 = BPL_ELEMENT_TYPE_F16;
inline constexpr BPL_ElementType BF16 = BPL_ELEMENT_TYPE_BF16;
inline constexpr BPL_ElementType F32 = BPL_ELEMENT_TYPE_F32;
inline constexpr BPL_ElementType F64 = BPL_ELEMENT_TYPE_F64;
inline constexpr BPL_ElementType C64 = BPL_ELEMENT_TYPE_C64;
inline constexpr BPL_ElementType C128 = BPL_ELEMENT_TYPE_C128;
}  // namespace types

// One list per op family (numerics/<family>_cases.cc).
std::vector<NumericsCase> ElementwiseCases();
std::vector<NumericsCase> IntegerCases();
std::vector<NumericsCase> ConversionCases();
std::vector<NumericsCase> ShapeCases();
std::vector<NumericsCase> IndexingCases();
std::vector<NumericsCase> ReductionCases();
std::vector<NumericsCase> LinalgCases();
std::vector<NumericsCase> ControlFlowCases();
std::vector<NumericsCase> CollectiveCases();
std::vector<NumericsCase> ChloCases();
std::vector<NumericsCase> FastPathCases();

// Every case, in a stable order, built once.
const std::vector<NumericsCase>& AllNumericsCases();

}  // namespace backplane::conformance

#endif  // BACKPLANE_TESTS_CONFORMANCE_NUMERICS_NUMERICS_CASE_H_
