// The sharding annotations of a function's arguments and results: each
// `mhlo.sharding` must parse and fit its tensor's rank and the module's
// `mhlo.num_partitions` devices (compiler/sharding/hlo_sharding.h); each
// `sdy.sharding` must name a mesh of the module (or carry one) and fit the
// tensor (compiler/sharding/sdy_sharding.h), and every mesh must parse and
// have `mhlo.num_partitions` devices when the module says how many.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "compiler/ir/op_error.h"
#include "compiler/ir/verify/families.h"
#include "compiler/ir/verify/verify_util.h"
#include "compiler/sharding/hlo_sharding.h"
#include "compiler/sharding/sdy_sharding.h"

namespace backplane::ir::verify {
namespace {

// The module's meshes by name, parsed.
using Meshes = std::vector<std::pair<std::string, sharding::Mesh>>;

absl::Status VerifySdy(const Attribute& a, const Type& type,
                       const Meshes& meshes) {
  const std::string text =
      a.kind() == Attribute::Kind::kOpaque ? a.string_value() : "";
  ASSIGN_OR_RETURN(sharding::SdySharding s, sharding::ParseSdySharding(text));
  const sharding::Mesh* mesh =
      s.inline_mesh.has_value() ? &*s.inline_mesh : nullptr;
  for (const auto& [name, m] : meshes) {
    if (name == s.mesh_name) mesh = &m;
  }
  if (mesh == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(text, ": the module has no mesh @", s.mesh_name));
  }
  if (!type.is_tensor()) {
    return absl::InvalidArgumentError(
        absl::StrCat(text, " does not fit the value's type"));
  }
  return sharding::ValidateSdySharding(s, *mesh, type.tensor().rank());
}

// Whether mhlo.sharding `text` fits a value of `type` on `devices` devices:
// a tensor takes a non-tuple sharding of its rank, a tuple a tuple sharding
// (checked element by element where the tuple is taken apart).
absl::Status HloShardingFits(absl::string_view text, const Type& type,
                             int64_t devices) {
  ASSIGN_OR_RETURN(sharding::HloSharding s, sharding::ParseHloSharding(text));
  const bool tuple = s.kind == sharding::HloSharding::Kind::kTuple;
  if (tuple || !type.is_tensor()) {
    if (tuple == type.is_tensor()) {
      return absl::InvalidArgumentError(
          absl::StrCat("sharding ", text, " does not fit the value's type"));
    }
    return absl::OkStatus();
  }
  return sharding::ValidateHloSharding(s, type.tensor().rank(), devices);
}

// What every function's shardings are checked against: the module's
// mhlo.num_partitions (1 when absent) and its meshes, read once.
struct ModuleShardings {
  int64_t devices = 1;
  Meshes meshes;
};

absl::StatusOr<ModuleShardings> ReadModuleShardings(const Module& module) {
  ModuleShardings m;
  const Attribute* n = module.attributes().Get("mhlo.num_partitions");
  const bool devices_given =
      n != nullptr && n->kind() == Attribute::Kind::kInteger;
  if (devices_given) m.devices = n->int_value();
  for (const auto& [name, text] : module.meshes()) {
    absl::StatusOr<sharding::Mesh> mesh = sharding::ParseSdyMesh(text);
    if (!mesh.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("sdy.mesh @", name, ": ", mesh.status().message()));
    }
    if (devices_given && mesh->device_ids.size() != 1 &&
        mesh->num_devices() != m.devices) {
      return absl::InvalidArgumentError(
          absl::StrCat("sdy.mesh @", name, " has ", mesh->num_devices(),
                       " devices but mhlo.num_partitions is ", m.devices));
    }
    m.meshes.emplace_back(name, *std::move(mesh));
  }
  return m;
}

absl::Status VerifyOne(const Function& f, const NamedAttrList& attrs,
                       const Type& type, const std::string& what,
                       const ModuleShardings& m) {
  auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(FormatLocation(f.location()), ": func.func @", f.name(),
                     ": ", what, " (", type.ToString(), "): ", why));
  };
  if (const Attribute* sdy = attrs.Get("sdy.sharding")) {
    absl::Status s = VerifySdy(*sdy, type, m.meshes);
    if (!s.ok()) return error(s.message());
  }
  const Attribute* a = attrs.Get("mhlo.sharding");
  if (a == nullptr) return absl::OkStatus();
  if (a->kind() != Attribute::Kind::kString) {
    return error("mhlo.sharding must be a string");
  }
  absl::Status fits = HloShardingFits(a->string_value(), type, m.devices);
  if (!fits.ok()) return error(fits.message());
  return absl::OkStatus();
}

// sdy.sharding_constraint against the meshes; custom_call @Sharding /
// @SPMDFullToShardShape / @SPMDShardToFullShape carry an mhlo.sharding for
// their full-shape side: it must fit.
absl::Status VerifyOpShardings(const Function& f, const ModuleShardings& m) {
  absl::Status status;
  Walk(f, [&](Op& op) {
    if (!status.ok()) return;
    if (op.code() == OpCode::kSdyShardingConstraint &&
        op.attr("sharding") != nullptr && op.num_operands() == 1) {
      absl::Status s =
          VerifySdy(*op.attr("sharding"), op.operand(0)->type(), m.meshes);
      if (!s.ok()) status = OpError(op, s.message());
      return;
    }
    if (op.code() != OpCode::kCustomCall) return;
    const Attribute* target = op.attr("call_target_name");
    const Attribute* a = op.attr("mhlo.sharding");
    if (target == nullptr || a == nullptr ||
        target->kind() != Attribute::Kind::kString) {
      return;
    }
    const std::string& name = target->string_value();
    if (name != "Sharding" && name != "SPMDFullToShardShape" &&
        name != "SPMDShardToFullShape") {
      return;
    }
    // The full-shape side: the operand, except for ShardToFull's result.
    const Value* full = name == "SPMDShardToFullShape"
                            ? (op.num_results() > 0 ? op.result(0) : nullptr)
                            : (op.num_operands() > 0 ? op.operand(0) : nullptr);
    if (full == nullptr || !full->type().is_tensor() ||
        a->kind() != Attribute::Kind::kString) {
      status = OpError(op, "mhlo.sharding must be a string on a tensor");
      return;
    }
    absl::Status fits =
        HloShardingFits(a->string_value(), full->type(), m.devices);
    if (!fits.ok()) {
      status = OpError(op, absl::StrCat("@", name, ": ", fits.message()));
    }
  });
  return status;
}

absl::Status VerifyFunctionShardings(const Function& f,
                                     const ModuleShardings& m) {
  const std::vector<Type> args = f.argument_types();
  for (size_t i = 0; i < args.size(); ++i) {
    RETURN_IF_ERROR(VerifyOne(f, f.arg_attrs()[i], args[i],
                              absl::StrCat("argument #", i), m));
  }
  for (size_t i = 0; i < f.result_types().size(); ++i) {
    RETURN_IF_ERROR(VerifyOne(f, f.result_attrs()[i], f.result_types()[i],
                              absl::StrCat("result #", i), m));
  }
  return VerifyOpShardings(f, m);
}

}  // namespace

absl::Status VerifyModuleShardings(const Module& module) {
  ASSIGN_OR_RETURN(const ModuleShardings m, ReadModuleShardings(module));
  for (const auto& f : module.functions()) {
    RETURN_IF_ERROR(VerifyFunctionShardings(*f, m));
  }
  return absl::OkStatus();
}

}  // namespace backplane::ir::verify
