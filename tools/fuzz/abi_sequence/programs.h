// Internal to the fuzzer: its program texts and the ABI's element sizes.
//
//   const char* text = ProgramText(kAddProgram);   // f32[4] + f32[4]
//   size_t bytes = ElementSize(BPL_ELEMENT_TYPE_F32);  // 4
#ifndef BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_PROGRAMS_H_
#define BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_PROGRAMS_H_

#include <cstddef>

#include "api/backplane_c_api.h"

namespace backplane::fuzz {

enum Program : int {
  kUnknownProgram = -1,
  kAddProgram = 0,  // f32[4] + f32[4]
  kCountProgram,    // counts to min(n, 1000)
  kForeverProgram,  // loops until cancelled or past its deadline
  kNumPrograms,
};

// The StableHLO text of `program`; "" for others.
const char* ProgramText(int program);

// Bytes per element of a BPL_ElementType as host data; 0 if invalid.
size_t ElementSize(int element_type);

}  // namespace backplane::fuzz

#endif  // BACKPLANE_TOOLS_FUZZ_ABI_SEQUENCE_PROGRAMS_H_
