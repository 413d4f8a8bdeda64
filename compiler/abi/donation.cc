#include "compiler/abi/donation.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace backplane::abi {

absl::StatusOr<std::vector<bool>> DonatableParameters(
    const ir::Function& entry, absl::Span<const int64_t> donated_option) {
  const int64_t n = entry.num_arguments();
  std::vector<bool> donatable(static_cast<size_t>(n), false);
  for (int64_t index : donated_option) {
    if (index < 0 || index >= n) {
      return absl::InvalidArgumentError(absl::StrCat(
          "compile option donated_parameters names parameter ", index, " but @",
          entry.name(), " has ", n, " parameter(s)"));
    }
    donatable[index] = true;
  }
  const auto& attrs = entry.arg_attrs();
  for (int64_t i = 0; i < n && i < static_cast<int64_t>(attrs.size()); ++i) {
    if (const ir::Attribute* donor = attrs[i].Get("jax.buffer_donor")) {
      if (donor->kind() == ir::Attribute::Kind::kBool && donor->bool_value()) {
        donatable[i] = true;
      }
    }
    if (attrs[i].Has("tf.aliasing_output")) donatable[i] = true;
  }
  return donatable;
}

}  // namespace backplane::abi
