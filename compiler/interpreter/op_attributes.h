// Typed access to op attributes for the interpreter, tolerant of the
// equivalent spellings StableHLO allows (array<i64: ...>, dense<...>
// tensors, [..] arrays) and reporting absent or mistyped attributes as
// INVALID_ARGUMENT naming the attribute.
//
//   absl::StatusOr<std::vector<int64_t>> perm = I64List(op, "permutation");
//   int64_t dim = IntAttrOr(op, "dimension", 0);
#ifndef BACKPLANE_COMPILER_INTERPRETER_OP_ATTRIBUTES_H_
#define BACKPLANE_COMPILER_INTERPRETER_OP_ATTRIBUTES_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/ir.h"

namespace backplane::interpreter {

// Integer list attribute; an absent attribute is an error.
absl::StatusOr<std::vector<int64_t>> I64List(const ir::Op& op,
                                             absl::string_view name);
// Integer list attribute; empty when absent.
absl::StatusOr<std::vector<int64_t>> OptionalI64List(const ir::Op& op,
                                                     absl::string_view name);
// Nx2 padding attribute as (low, high) pairs; empty when absent.
absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> PaddingPairs(
    const ir::Op& op, absl::string_view name);
absl::StatusOr<int64_t> IntAttr(const ir::Op& op, absl::string_view name);
int64_t IntAttrOr(const ir::Op& op, absl::string_view name, int64_t fallback);
bool BoolAttrOr(const ir::Op& op, absl::string_view name, bool fallback);
// Float (or integer) attribute as a double, or `fallback` when absent.
double FloatAttrOr(const ir::Op& op, absl::string_view name, double fallback);
// Enum value of an attribute of kind kEnum, or `fallback` when absent.
int EnumAttrOr(const ir::Op& op, absl::string_view name, int fallback);
// String or symbol name; empty when absent.
std::string StringAttrOr(const ir::Op& op, absl::string_view name);

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_OP_ATTRIBUTES_H_
