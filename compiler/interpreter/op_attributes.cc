#include "compiler/interpreter/op_attributes.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace backplane::interpreter {
namespace {

absl::Status AttrError(const ir::Op& op, absl::string_view name,
                       absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(op.name(), ": attribute '", name, "' ", why));
}

absl::StatusOr<std::vector<int64_t>> ListFromAttribute(const ir::Op& op,
                                                       absl::string_view name,
                                                       const ir::Attribute& a) {
  switch (a.kind()) {
    case ir::Attribute::Kind::kDenseArray:
      return a.dense_array();
    case ir::Attribute::Kind::kDenseElements: {
      const ir::Literal& lit = a.literal();
      if (!ir::IsInteger(lit.element_type()) &&
          !ir::IsPred(lit.element_type())) {
        return AttrError(op, name, "is not an integer tensor");
      }
      std::vector<int64_t> out(lit.element_count());
      for (int64_t i = 0; i < lit.element_count(); ++i) {
        out[i] = lit.GetAsInt64(i);
      }
      return out;
    }
    case ir::Attribute::Kind::kArray: {
      std::vector<int64_t> out;
      for (const ir::Attribute& e : a.array()) {
        if (e.kind() == ir::Attribute::Kind::kInteger) {
          out.push_back(e.int_value());
        } else if (e.kind() == ir::Attribute::Kind::kBool) {
          out.push_back(e.bool_value() ? 1 : 0);
        } else {
          return AttrError(op, name, "has a non-integer element");
        }
      }
      return out;
    }
    default:
      return AttrError(op, name, "is not an integer list");
  }
}

}  // namespace

absl::StatusOr<std::vector<int64_t>> I64List(const ir::Op& op,
                                             absl::string_view name) {
  const ir::Attribute* a = op.attr(name);
  if (a == nullptr) return AttrError(op, name, "is missing");
  return ListFromAttribute(op, name, *a);
}

absl::StatusOr<std::vector<int64_t>> OptionalI64List(const ir::Op& op,
                                                     absl::string_view name) {
  const ir::Attribute* a = op.attr(name);
  if (a == nullptr) return std::vector<int64_t>();
  return ListFromAttribute(op, name, *a);
}

absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> PaddingPairs(
    const ir::Op& op, absl::string_view name) {
  ASSIGN_OR_RETURN(std::vector<int64_t> flat, OptionalI64List(op, name));
  if (flat.size() % 2 != 0) {
    return AttrError(op, name, "must hold (low, high) pairs");
  }
  std::vector<std::pair<int64_t, int64_t>> out;
  for (size_t i = 0; i < flat.size(); i += 2) {
    out.emplace_back(flat[i], flat[i + 1]);
  }
  return out;
}

absl::StatusOr<int64_t> IntAttr(const ir::Op& op, absl::string_view name) {
  const ir::Attribute* a = op.attr(name);
  if (a == nullptr) return AttrError(op, name, "is missing");
  if (a->kind() == ir::Attribute::Kind::kInteger) return a->int_value();
  if (a->kind() == ir::Attribute::Kind::kBool) return a->bool_value() ? 1 : 0;
  if (a->kind() == ir::Attribute::Kind::kDenseElements &&
      a->literal().element_count() == 1) {
    return a->literal().GetAsInt64(0);
  }
  return AttrError(op, name, "is not an integer");
}

int64_t IntAttrOr(const ir::Op& op, absl::string_view name, int64_t fallback) {
  absl::StatusOr<int64_t> v = IntAttr(op, name);
  return v.ok() ? *v : fallback;
}

bool BoolAttrOr(const ir::Op& op, absl::string_view name, bool fallback) {
  const ir::Attribute* a = op.attr(name);
  if (a == nullptr) return fallback;
  if (a->kind() == ir::Attribute::Kind::kBool) return a->bool_value();
  if (a->kind() == ir::Attribute::Kind::kUnit) return true;
  if (a->kind() == ir::Attribute::Kind::kInteger) return a->int_value() != 0;
  return fallback;
}

double FloatAttrOr(const ir::Op& op, absl::string_view name, double fallback) {
  const ir::Attribute* a = op.attr(name);
  if (a == nullptr) return fallback;
  if (a->kind() == ir::Attribute::Kind::kFloat) return a->float_value();
  if (a->kind() == ir::Attribute::Kind::kInteger) {
    return static_cast<double>(a->int_value());
  }
  return fallback;
}

int EnumAttrOr(const ir::Op& op, absl::string_view name, int fallback) {
  const ir::Attribute* a = op.attr(name);
  if (a == nullptr || a->kind() != ir::Attribute::Kind::kEnum) return fallback;
  return a->enum_value();
}

std::string StringAttrOr(const ir::Op& op, absl::string_view name) {
  const ir::Attribute* a = op.attr(name);
  if (a == nullptr) return "";
  switch (a->kind()) {
    case ir::Attribute::Kind::kString:
    case ir::Attribute::Kind::kSymbolRef:
    case ir::Attribute::Kind::kOpaque:
      return a->string_value();
    default:
      return "";
  }
}

}  // namespace backplane::interpreter
