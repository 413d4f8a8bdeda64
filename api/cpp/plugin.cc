#include "api/cpp/plugin.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "plugins/loader/loader.h"

namespace backplane {

absl::StatusOr<Plugin> Plugin::Load(absl::string_view name_or_path) {
  ASSIGN_OR_RETURN(auto loaded, loader::LoadPlugin(name_or_path));
  const BPL_Api* api = loaded->api();
  return FromApi(api, std::move(loaded));
}

absl::StatusOr<Plugin> Plugin::FromApi(const BPL_Api* api,
                                       PluginKeepAlive keep_alive) {
  if (api == nullptr) return absl::InvalidArgumentError("api is NULL");
  Plugin plugin;
  plugin.api_ = ApiRef{api, std::move(keep_alive)};
  if (BPL_API_HAS(api, Plugin_Initialize)) {
    BPL_Plugin_Initialize_Args args{};
    args.struct_size = BPL_Plugin_Initialize_Args_STRUCT_SIZE;
    args.framework_abi_major = BPL_API_MAJOR;
    args.framework_abi_minor = BPL_API_MINOR;
    RETURN_IF_ERROR(BPL_CALL(api, Plugin_Initialize, &args));
  }
  ASSIGN_OR_RETURN(auto attributes, plugin.attributes());
  for (const NamedValue& v : attributes) {
    if (v.name == "name" && std::holds_alternative<std::string>(v.value)) {
      plugin.name_ = std::get<std::string>(v.value);
    }
  }
  return plugin;
}

absl::StatusOr<std::vector<NamedValue>> Plugin::attributes() const {
  BPL_Plugin_Attributes_Args args{};
  args.struct_size = BPL_Plugin_Attributes_Args_STRUCT_SIZE;
  RETURN_IF_ERROR(BPL_CALL(api_.api, Plugin_Attributes, &args));
  return ReadNamedValues(args.out_attributes, args.out_num_attributes,
                         "plugin attribute");
}

absl::StatusOr<Client> Plugin::CreateClient(
    const std::vector<NamedValue>& options) const {
  NamedValueArray c_options(options);
  BPL_Client_Create_Args args{};
  args.struct_size = BPL_Client_Create_Args_STRUCT_SIZE;
  args.options = c_options.data();
  args.num_options = c_options.size();
  RETURN_IF_ERROR(BPL_CALL(api_.api, Client_Create, &args));
  auto handle = std::make_shared<internal::ClientHandle>();
  handle->api = api_;
  handle->client = args.out_client;
  return Client(std::move(handle));
}

const BPL_ProfilingExtension* Plugin::profiling() const {
  return internal::FindProfilingExtension(api_.api);
}

}  // namespace backplane
