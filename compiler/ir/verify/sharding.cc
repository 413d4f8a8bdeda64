// The `mhlo.sharding` annotations of a function's arguments and results:
// each must parse and fit its tensor's rank and the module's
// `mhlo.num_partitions` devices (compiler/sharding/hlo_sharding.h).
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_error.h"
#include "compiler/ir/verify/families.h"
#include "compiler/sharding/hlo_sharding.h"

namespace backplane::ir::verify {
namespace {

absl::Status VerifyOne(const Function& f, const NamedAttrList& attrs,
                       const Type& type, const std::string& what,
                       int64_t devices) {
  const Attribute* a = attrs.Get("mhlo.sharding");
  if (a == nullptr) return absl::OkStatus();
  auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(FormatLocation(f.location()), ": func.func @", f.name(),
                     ": ", what, " (", type.ToString(), "): ", why));
  };
  if (a->kind() != Attribute::Kind::kString) {
    return error("mhlo.sharding must be a string");
  }
  absl::StatusOr<sharding::HloSharding> s =
      sharding::ParseHloSharding(a->string_value());
  if (!s.ok()) return error(s.status().message());
  if (s->kind == sharding::HloSharding::Kind::kTuple || !type.is_tensor()) {
    // Tuple shardings go with tuple values, checked element by element.
    if (s->kind != sharding::HloSharding::Kind::kTuple || type.is_tensor()) {
      return error(absl::StrCat("sharding ", a->string_value(),
                                " does not fit the value's type"));
    }
    return absl::OkStatus();
  }
  absl::Status valid =
      sharding::ValidateHloSharding(*s, type.tensor().rank(), devices);
  if (!valid.ok()) return error(valid.message());
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyFunctionShardings(const Function& f, const Module* module) {
  int64_t devices = 1;
  if (module != nullptr) {
    const Attribute* n = module->attributes().Get("mhlo.num_partitions");
    if (n != nullptr && n->kind() == Attribute::Kind::kInteger) {
      devices = n->int_value();
    }
  }
  const std::vector<Type> args = f.argument_types();
  for (size_t i = 0; i < args.size(); ++i) {
    RETURN_IF_ERROR(VerifyOne(f, f.arg_attrs()[i], args[i],
                              absl::StrCat("argument #", i), devices));
  }
  for (size_t i = 0; i < f.result_types().size(); ++i) {
    RETURN_IF_ERROR(VerifyOne(f, f.result_attrs()[i], f.result_types()[i],
                              absl::StrCat("result #", i), devices));
  }
  return absl::OkStatus();
}

}  // namespace backplane::ir::verify
