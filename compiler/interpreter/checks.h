// Host-side evaluation of the `check` dialect assertions used by StableHLO
// tests (check.expect_* ops and `custom_call @check.expect_*`).
//
//   absl::Status s = ExpectClose(actual, expected, /*min_ulp=*/0,
//                                /*max_ulp=*/3);
//   if (!s.ok()) report(s.message());  // names the first mismatch
//
// Semantics (documented in docs/bpl_run.md):
//   ExpectEq       exact equality; NaN equals NaN (any payload).
//   ExpectAlmostEq floats within |a - e| <= tolerance * max(1, |e|)
//                  (tolerance 1e-4 unless the op says otherwise; each
//                  complex part separately); NaN equals NaN, infinities
//                  must match; non-floats exact.
//   ExpectClose    floats within [min_ulp, max_ulp] units in the last place
//                  of their own type; NaN equals NaN, infinities must match;
//                  non-floats exact.
#ifndef BACKPLANE_COMPILER_INTERPRETER_CHECKS_H_
#define BACKPLANE_COMPILER_INTERPRETER_CHECKS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter {

inline constexpr double kAlmostEqTolerance = 1e-4;
inline constexpr int64_t kDefaultMaxUlpDifference = 3;

absl::Status ExpectEq(const ir::Literal& actual, const ir::Literal& expected);
absl::Status ExpectAlmostEq(const ir::Literal& actual,
                            const ir::Literal& expected,
                            double tolerance = kAlmostEqTolerance);
absl::Status ExpectClose(const ir::Literal& actual, const ir::Literal& expected,
                         int64_t min_ulp_difference,
                         int64_t max_ulp_difference);

// Distance in units in the last place between two finite or infinite
// values of a float type given as bit patterns of `bits` width; NaNs must
// be handled by the caller.
uint64_t UlpDistance(uint64_t a_bits, uint64_t b_bits, int bits);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_CHECKS_H_
