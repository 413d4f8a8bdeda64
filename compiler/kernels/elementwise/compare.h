// stablehlo.compare: element-wise comparison producing an i1 tensor.
//
//   absl::StatusOr<ir::Literal> lt =
//       Compare(ComparisonDirection::kLt, CompareType::kFloat, a, b);
//
// Compare types follow the spec's constraint: SIGNED for signed integers,
// UNSIGNED for unsigned integers and booleans, FLOAT or TOTALORDER for
// floats, FLOAT for complex (lexicographic on (real, imag)). kDefault picks
// the natural one (FLOAT for floats). TOTALORDER orders
// -NaN < -Inf < ... < -0 < +0 < ... < +Inf < +NaN and compares bit patterns
// for equality.
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_COMPARE_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_COMPARE_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::elementwise {

enum class ComparisonDirection { kEq, kNe, kGe, kGt, kLe, kLt };
enum class CompareType { kDefault, kFloat, kTotalOrder, kSigned, kUnsigned };

// "EQ", "NE", ... / "FLOAT", "TOTALORDER", ... (spec spellings) and back.
absl::string_view ComparisonDirectionName(ComparisonDirection direction);
absl::string_view CompareTypeName(CompareType type);
std::optional<ComparisonDirection> ComparisonDirectionFromName(
    absl::string_view name);
std::optional<CompareType> CompareTypeFromName(absl::string_view name);

absl::StatusOr<ir::Literal> Compare(ComparisonDirection direction,
                                    CompareType compare_type,
                                    const ir::Literal& lhs,
                                    const ir::Literal& rhs);

// Raw-buffer form: `out` receives `count` bytes, each 0 or 1.
absl::Status CompareInto(ComparisonDirection direction,
                         CompareType compare_type, ir::ElementType type,
                         int64_t count, const void* lhs, const void* rhs,
                         uint8_t* out);

// The typed loop CompareInto runs, resolved once (see ResolveBinaryLoop);
// buffers are not checked.
using CompareLoopFn = void (*)(const void* lhs, const void* rhs, uint8_t* out,
                               int64_t count);
absl::StatusOr<CompareLoopFn> ResolveCompareLoop(ComparisonDirection direction,
                                                 CompareType compare_type,
                                                 ir::ElementType type);

}  // namespace backplane::kernels::elementwise

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_COMPARE_H_
