// OpTraits: what the op table (compiler/ir/op_table.h) says about an op, as
// a constexpr array indexed by OpCode.
//
//   const OpTraits& t = Traits(OpCode::kAdd);
//   t.operands.Accepts(2);                       // true
//   t.elementwise == ElementwiseClass::kBinary;  // true
//   t.family == Family::kElementwise;            // true
//
// The verifier checks counts, element categories and the result element
// type of element-wise ops from these traits for every op before the
// family's own checks (compiler/ir/verify/).
#ifndef BACKPLANE_COMPILER_IR_OP_TRAITS_H_
#define BACKPLANE_COMPILER_IR_OP_TRAITS_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/op_table.h"
#include "compiler/ir/opcode.h"

namespace backplane::ir {

// How many operands or results an op takes.
struct Arity {
  int min = 0;
  int max = -1;                   // -1: no upper bound.
  bool same_as_operands = false;  // Results only: one per operand.

  constexpr bool exact() const { return max == min; }
  constexpr bool Accepts(int n) const {
    return n >= min && (max < 0 || n <= max);
  }
};

// How an element-wise op's result element type follows from its operands.
enum class ElementwiseClass : uint8_t {
  kNone,       // Not element-wise.
  kUnary,      // One operand; result element type = operand's.
  kToReal,     // One operand; complex -> component type, else the same.
  kToPred,     // One operand; result i1.
  kBinary,     // Two operands; result element type = operand #0's.
  kToComplex,  // Two f32/f64 operands; result the complex type.
  kCompare,    // Two operands; result i1.
  kSelect,     // i1 predicate, two branches; result = branch element type.
  kClamp,      // min, operand, max; result = operand element type.
  kConvert,    // One operand; any result element type.
};

// Which kernel family in compiler/kernels/elementwise runs the op.
enum class KernelKind : uint8_t { kNone, kUnary, kBinary };

// Element categories, as a bit set.
namespace category {
inline constexpr uint8_t kPred = 1;
inline constexpr uint8_t kInt = 2;
inline constexpr uint8_t kFloat = 4;
inline constexpr uint8_t kComplex = 8;
inline constexpr uint8_t kAny = kPred | kInt | kFloat | kComplex;
inline constexpr uint8_t kPredInt = kPred | kInt;
inline constexpr uint8_t kFloatComplex = kFloat | kComplex;
inline constexpr uint8_t kIntFloat = kInt | kFloat;
inline constexpr uint8_t kIntFloatComplex = kInt | kFloat | kComplex;
}  // namespace category

// The category bit of `type` (0 for kInvalid).
inline uint8_t CategoryOf(ElementType type) {
  if (IsPred(type)) return category::kPred;
  if (IsInteger(type)) return category::kInt;
  if (IsFloat(type)) return category::kFloat;
  if (IsComplex(type)) return category::kComplex;
  return 0;
}

enum class SideEffect : uint8_t {
  kPure,
  kCollective,  // Cross-replica/partition communication.
  kSendRecv,
  kFeed,  // infeed/outfeed.
  kCustomCall,
  kRng,
  kCall,     // Calls a function, which may have effects.
  kHost,     // check.* and interpreter.* ops, evaluated on the host.
  kUnknown,  // OpCode::kUnknown.
};

// The group of ops that one verifier file (compiler/ir/verify/<family>.cc)
// and one backend module handle.
enum class Family : uint8_t {
  kElementwise,
  kDataMovement,
  kContraction,
  kReduction,
  kIndexing,
  kControl,
  kCollective,
  kMisc,
  kUnknown,  // OpCode::kUnknown: structural checks only.
};

struct OpTraits {
  absl::string_view name;
  Arity operands;
  Arity results;
  ElementwiseClass elementwise;
  KernelKind kernel;
  uint8_t categories;
  SideEffect effect;
  Family family;
};

// The spellings of the table's count columns.
namespace op_table {
constexpr Arity Exactly(int n) { return Arity{n, n, false}; }
constexpr Arity AtLeast(int n) { return Arity{n, -1, false}; }
constexpr Arity SameAsOperands() { return Arity{0, -1, true}; }
}  // namespace op_table

#define BACKPLANE_KERNEL_KIND_UnaryKernel(k) KernelKind::kUnary
#define BACKPLANE_KERNEL_KIND_BinaryKernel(k) KernelKind::kBinary
#define BACKPLANE_KERNEL_KIND_NoKernel KernelKind::kNone
#define BACKPLANE_OP_TRAITS_ROW(e, name, operands, results, elementwise, \
                                kernel, categories, effect, family)      \
  OpTraits{name,                                                         \
           op_table::operands,                                           \
           op_table::results,                                            \
           ElementwiseClass::k##elementwise,                             \
           BACKPLANE_KERNEL_KIND_##kernel,                               \
           category::k##categories,                                      \
           SideEffect::k##effect,                                        \
           Family::k##family},

inline constexpr OpTraits kOpTraits[] = {
    OpTraits{"<unknown>", op_table::AtLeast(0), op_table::AtLeast(0),
             ElementwiseClass::kNone, KernelKind::kNone, category::kAny,
             SideEffect::kUnknown, Family::kUnknown},
    BACKPLANE_OP_TABLE(BACKPLANE_OP_TRAITS_ROW)};

#undef BACKPLANE_OP_TRAITS_ROW
#undef BACKPLANE_KERNEL_KIND_UnaryKernel
#undef BACKPLANE_KERNEL_KIND_BinaryKernel
#undef BACKPLANE_KERNEL_KIND_NoKernel

static_assert(sizeof(kOpTraits) / sizeof(kOpTraits[0]) ==
                  static_cast<size_t>(OpCode::kNumOpCodes),
              "one traits row per opcode");

// The traits of `code`; kUnknown's for values outside the enum.
constexpr const OpTraits& Traits(OpCode code) {
  const auto i = static_cast<size_t>(code);
  return i < static_cast<size_t>(OpCode::kNumOpCodes) ? kOpTraits[i]
                                                      : kOpTraits[0];
}

// chlo.broadcast_*: element-wise with implicit (numpy-style) broadcasting
// (named so as not to clash, by ADL, with backends' own IsChloBroadcast).
constexpr bool IsImplicitlyBroadcasting(OpCode code) {
  return Traits(code).name.substr(0, 15) == "chlo.broadcast_";
}

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_OP_TRAITS_H_
