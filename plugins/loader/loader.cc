#include "plugins/loader/loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"

namespace backplane::loader {
namespace {

bool IsPrivileged() {
  return getauxval(AT_SECURE) != 0 || getuid() != geteuid() ||
         getgid() != getegid();
}

// Manifests larger than this are rejected; at most one byte more is read.
constexpr size_t kMaxManifestBytes = size_t{1} << 20;

// What a file that is not a regular file is, for messages.
const char* FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// OK when `path` (following symbolic links) is a regular file, which is all
// dlopen may be given: opening a FIFO blocks and a device reads forever.
// NOT_FOUND when nothing is there; otherwise FAILED_PRECONDITION saying what
// is there instead (a symbolic link loop says ELOOP).
absl::Status CheckRegularFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    const int error = errno;
    if (error == ENOENT) return absl::NotFoundError("not found: no such file");
    if (error == ELOOP) {
      return absl::FailedPreconditionError(
          "too many levels of symbolic links (ELOOP): a symbolic link loop");
    }
    return absl::FailedPreconditionError(
        absl::StrCat("cannot stat: ", std::strerror(error)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("not a regular file (", FileKind(st.st_mode), ")"));
  }
  return absl::OkStatus();
}

// Discover's wording: "library not found", or why the library is unusable.
std::string LibraryProblem(const std::string& path) {
  absl::Status status = CheckRegularFile(path);
  if (status.ok()) return "";
  if (absl::IsNotFound(status)) return "library not found";
  return absl::StrCat("library: ", status.message());
}

std::string CanonicalPath(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) == nullptr) return path;
  return buf;
}

// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads a manifest: only a regular file, and at most kMaxManifestBytes + 1
// bytes of it. O_NONBLOCK keeps the open of a FIFO from waiting for a
// writer; fstat then rejects it (and devices) without reading.
absl::StatusOr<std::string> ReadManifestFile(const std::string& path) {
  FileDescriptor fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    const int error = errno;
    std::string why = std::strerror(error);
    if (error == ELOOP) why = "too many levels of symbolic links (ELOOP)";
    return absl::NotFoundError(absl::StrCat("cannot read ", path, ": ", why));
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot stat ", path, ": ", std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": not a regular file (", FileKind(st.st_mode), ")"));
  }
  std::string text;
  char chunk[16384];
  while (text.size() <= kMaxManifestBytes) {
    const size_t want =
        std::min(sizeof(chunk), kMaxManifestBytes + 1 - text.size());
    const ssize_t n = read(fd.get(), chunk, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
    }
    if (n == 0) break;
    text.append(chunk, static_cast<size_t>(n));
  }
  if (text.size() > kMaxManifestBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": manifest larger than 1 MiB"));
  }
  return text;
}

std::string ErrorText(const BPL_Api* api, BPL_Error* error) {
  std::string text = "(no message)";
  if (BPL_API_HAS(api, Error_Message)) {
    BPL_Error_Message_Args args{};
    args.struct_size = BPL_Error_Message_Args_STRUCT_SIZE;
    args.error = error;
    if (api->Error_Message(&args) == nullptr && args.out_message != nullptr) {
      text.assign(args.out_message, args.out_message_size);
    }
  }
  if (BPL_API_HAS(api, Error_Destroy)) {
    BPL_Error_Destroy_Args args{};
    args.struct_size = BPL_Error_Destroy_Args_STRUCT_SIZE;
    args.error = error;
    api->Error_Destroy(&args);
  }
  return text;
}

}  // namespace

LoadedPlugin::~LoadedPlugin() {
  if (handle_ != nullptr) dlclose(handle_);
}

Loader::Loader(LoaderOptions options) : options_(std::move(options)) {
  if (!options_.getenv) {
    const bool privileged = options_.privileged.value_or(IsPrivileged());
    options_.getenv =
        [privileged](const char* name) -> std::optional<std::string> {
      if (privileged) return std::nullopt;
      const char* value = std::getenv(name);
      if (value == nullptr) return std::nullopt;
      return std::string(value);
    };
  }
  if (!options_.debug_log) {
    std::optional<std::string> debug =
        options_.getenv("BACKPLANE_LOADER_DEBUG");
    if (debug && !debug->empty() && *debug != "0") {
      options_.debug_log = [](absl::string_view line) {
        std::fprintf(stderr, "backplane-loader: %.*s\n",
                     static_cast<int>(line.size()), line.data());
      };
    }
  }
}

Loader& Loader::Default() {
  static Loader* loader = new Loader();
  return *loader;
}

std::optional<std::string> Loader::Env(const char* name) const {
  return options_.getenv(name);
}

void Loader::Log(absl::string_view line) const {
  if (options_.debug_log) options_.debug_log(line);
}

std::vector<std::string> Loader::ManifestDirs() const {
  std::vector<std::string> dirs;
  if (auto path = Env("BACKPLANE_PLUGIN_PATH")) {
    for (absl::string_view dir :
         absl::StrSplit(*path, ':', absl::SkipEmpty())) {
      dirs.emplace_back(dir);
    }
  }
  for (const std::string& dir : options_.system_manifest_dirs) {
    dirs.push_back(dir);
  }
  return dirs;
}

void Loader::ScanManifestDir(const std::string& dir,
                             std::vector<Candidate>& manifests,
                             std::vector<std::string>& problems) const {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    Log(absl::StrCat("manifest folder ", dir, ": not present"));
    return;
  }
  std::vector<std::string> files;
  while (struct dirent* entry = readdir(d)) {
    std::string file = entry->d_name;
    if (file.size() > 5 && file.substr(file.size() - 5) == ".json") {
      files.push_back(dir + "/" + file);
    }
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  std::vector<Candidate> found;
  for (const std::string& file : files) {
    auto text = ReadManifestFile(file);
    absl::StatusOr<Manifest> manifest =
        text.ok() ? ParseManifest(*text, file)
                  : absl::StatusOr<Manifest>(text.status());
    if (!manifest.ok()) {
      std::string problem =
          absl::StrCat("manifest ", file,
                       ": unreadable, skipped: ", manifest.status().message());
      Log(problem);
      problems.push_back(problem);
      continue;
    }
    Log(absl::StrCat("manifest ", file, ": plugin '", manifest->name, "' at ",
                     manifest->library_path));
    Candidate c;
    c.path = manifest->library_path;
    c.found_by = absl::StrCat("manifest ", file);
    c.manifest = *std::move(manifest);
    found.push_back(std::move(c));
  }
  // Two manifests of one name in one folder: neither is more right than
  // the other, so both are rejected rather than picking by file name.
  for (size_t i = 0; i < found.size(); ++i) {
    for (size_t j = 0; j < found.size(); ++j) {
      if (i != j && found[i].manifest->name == found[j].manifest->name) {
        found[i].rejected =
            absl::StrCat("duplicate name: ", found[j].manifest->manifest_path,
                         " in the same folder also names plugin '",
                         found[i].manifest->name, "'");
      }
    }
  }
  for (Candidate& c : found) manifests.push_back(std::move(c));
}

absl::Status Loader::CheckCompatible(const Manifest& manifest) const {
  return CheckManifestCompatible(manifest, options_.framework_abi_major,
                                 options_.framework_abi_minor,
                                 options_.framework_sanitizer);
}

std::vector<Loader::Candidate> Loader::Candidates(
    absl::string_view name, std::vector<std::string>& problems) {
  std::vector<Candidate> candidates;
  if (auto list = Env("BACKPLANE_PLUGINS")) {
    for (absl::string_view entry :
         absl::StrSplit(*list, ',', absl::SkipEmpty())) {
      std::pair<std::string, std::string> kv =
          absl::StrSplit(entry, absl::MaxSplits('=', 1));
      if (kv.first == name) {
        Candidate c;
        c.path = kv.second;
        c.found_by = absl::StrCat("BACKPLANE_PLUGINS entry '", entry, "'");
        if (kv.second.empty()) c.rejected = "the entry has no library path";
        candidates.push_back(std::move(c));
      }
    }
  }
  for (const std::string& dir : ManifestDirs()) {
    std::vector<Candidate> manifests;
    ScanManifestDir(dir, manifests, problems);
    for (Candidate& c : manifests) {
      if (c.manifest->name != name) continue;
      if (c.rejected.empty()) {
        absl::Status compatible = CheckCompatible(*c.manifest);
        if (!compatible.ok()) c.rejected = std::string(compatible.message());
      }
      candidates.push_back(std::move(c));
    }
  }
  Candidate by_soname;
  by_soname.path = absl::StrCat("libbackplane_", name, ".so");
  by_soname.found_by = "the dynamic linker's search path";
  candidates.push_back(std::move(by_soname));
  return candidates;
}

absl::StatusOr<std::shared_ptr<LoadedPlugin>> Loader::Open(
    const std::string& path, const std::string& found_by,
    absl::string_view expected_name) {
  const bool searched = path.find('/') == std::string::npos;
  if (!searched) RETURN_IF_ERROR(CheckRegularFile(path));
  std::string canonical = searched ? path : CanonicalPath(path);
  if (auto it = by_path_.find(canonical); it != by_path_.end()) {
    if (auto loaded = it->second.lock()) return loaded;
  }
  dlerror();
  // RTLD_NODELETE: unloading releases the plugin's state, but its code and
  // static storage stay mapped. Plugin dependencies (protobuf descriptor
  // pools, abseil, thread-local storage, threads a plugin failed to join)
  // are not safe to unmap, and a leftover callback into unmapped code would
  // crash the framework long after the unload.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (handle == nullptr) {
    const char* why = dlerror();
    std::string reason = why ? why : "dlopen failed";
    if (searched && reason.find("No such file") != std::string::npos) {
      return absl::NotFoundError("not found");
    }
    return absl::FailedPreconditionError(
        absl::StrCat("not a loadable shared library: ", reason));
  }
  auto plugin = std::shared_ptr<LoadedPlugin>(new LoadedPlugin());
  plugin->handle_ = handle;  // From here the destructor closes it.
  plugin->found_by_ = found_by;
  if (searched) {
    // Learn the real path the dynamic linker chose.
    char origin[PATH_MAX] = {0};
    if (dlinfo(handle, RTLD_DI_ORIGIN, origin) == 0) {
      canonical = CanonicalPath(absl::StrCat(origin, "/", path));
    }
  }
  plugin->library_path_ = canonical;
  if (auto it = by_path_.find(canonical); it != by_path_.end()) {
    if (auto loaded = it->second.lock()) return loaded;  // Drops our ref.
  }
  auto* get_api =
      reinterpret_cast<BPL_GetApi_Fn*>(dlsym(handle, BPL_GET_API_SYMBOL));
  if (get_api == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "missing symbol ", BPL_GET_API_SYMBOL, ": not a Backplane plugin"));
  }
  const BPL_Api* api = get_api();
  if (api == nullptr) {
    return absl::FailedPreconditionError("BPL_GetApi returned NULL");
  }
  if (api->struct_size < offsetof(BPL_Api, Plugin_Attributes) + sizeof(void*)) {
    return absl::FailedPreconditionError(
        absl::StrCat("the plugin's BPL_Api table is only ", api->struct_size,
                     " bytes, too small to hold even the plugin functions"));
  }
  if (api->abi_major != options_.framework_abi_major) {
    return absl::FailedPreconditionError(absl::StrCat(
        "ABI major version mismatch: the plugin speaks ", api->abi_major, ".",
        api->abi_minor, ", this framework ", options_.framework_abi_major, ".",
        options_.framework_abi_minor));
  }
  if (BPL_API_HAS(api, Plugin_Initialize)) {
    BPL_Plugin_Initialize_Args args{};
    args.struct_size = BPL_Plugin_Initialize_Args_STRUCT_SIZE;
    args.framework_abi_major = options_.framework_abi_major;
    args.framework_abi_minor = options_.framework_abi_minor;
    if (BPL_Error* error = api->Plugin_Initialize(&args)) {
      return absl::FailedPreconditionError(
          absl::StrCat("Plugin_Initialize failed: ", ErrorText(api, error)));
    }
  }
  auto name = PluginAttributeString(api, "name");
  if (!name.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot read the plugin's name: ", name.status().message()));
  }
  if (!expected_name.empty() && *name != expected_name) {
    return absl::FailedPreconditionError(
        absl::StrCat("the library reports plugin name '", *name, "', not '",
                     expected_name, "'"));
  }
  plugin->api_ = api;
  plugin->name_ = *name;
  by_path_[canonical] = plugin;
  by_name_[plugin->name_] = plugin;
  Log(absl::StrCat("loaded plugin '", plugin->name_, "' (ABI ", api->abi_major,
                   ".", api->abi_minor, ") from ", canonical, " found by ",
                   found_by));
  return plugin;
}

absl::StatusOr<std::shared_ptr<LoadedPlugin>> Loader::Load(
    absl::string_view name_or_path) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string request(name_or_path);
  if (request.empty()) {
    return absl::InvalidArgumentError("plugin name is empty");
  }
  if (request.find('/') != std::string::npos) {
    Log(absl::StrCat("loading by path ", request));
    ASSIGN_OR_RETURN(std::shared_ptr<LoadedPlugin> plugin,
                     Open(request, "explicit path", ""),
                     "cannot load plugin library %s", request);
    return plugin;
  }
  if (auto it = by_name_.find(request); it != by_name_.end()) {
    if (auto loaded = it->second.lock()) return loaded;
  }
  Log(absl::StrCat("looking for plugin '", request, "'"));
  std::vector<std::string> problems;
  std::vector<Candidate> candidates = Candidates(request, problems);
  std::vector<std::string> tried;
  for (const Candidate& c : candidates) {
    std::string line = absl::StrCat(c.path, " (", c.found_by, "): ");
    if (!c.rejected.empty()) {
      absl::StrAppend(&line, "rejected before loading: ", c.rejected);
      Log(line);
      tried.push_back(line);
      continue;
    }
    auto plugin = Open(c.path, c.found_by, request);
    if (plugin.ok()) return plugin;
    absl::StrAppend(&line, plugin.status().message());
    Log(line);
    tried.push_back(line);
  }
  std::string message =
      absl::StrCat("no plugin named '", request, "' could be loaded; tried:");
  for (size_t i = 0; i < tried.size(); ++i) {
    absl::StrAppend(&message, "\n  ", i + 1, ". ", tried[i]);
  }
  for (const std::string& problem : problems) {
    absl::StrAppend(&message, "\n  note: ", problem);
  }
  absl::StrAppend(&message, "\n(set BACKPLANE_PLUGINS=", request,
                  "=/path/to/lib.so, or add a manifest folder to "
                  "BACKPLANE_PLUGIN_PATH; BACKPLANE_LOADER_DEBUG=1 logs the "
                  "search)");
  return absl::NotFoundError(message);
}

absl::Status Loader::Unload(std::shared_ptr<LoadedPlugin>& plugin) {
  if (plugin == nullptr) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  if (plugin.use_count() > 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin '", plugin->name(), "' is still in use by ",
        plugin.use_count() - 1,
        " other reference(s) (clients, buffers, executables or callers)"));
  }
  Log(absl::StrCat("unloading plugin '", plugin->name(), "'"));
  plugin.reset();
  return absl::OkStatus();
}

std::vector<DiscoveredPlugin> Loader::Discover() {
  std::vector<DiscoveredPlugin> out;
  if (auto list = Env("BACKPLANE_PLUGINS")) {
    for (absl::string_view entry :
         absl::StrSplit(*list, ',', absl::SkipEmpty())) {
      std::pair<std::string, std::string> kv =
          absl::StrSplit(entry, absl::MaxSplits('=', 1));
      DiscoveredPlugin d;
      d.name = kv.first;
      d.library_path = kv.second;
      d.found_by = "BACKPLANE_PLUGINS";
      d.problem = LibraryProblem(kv.second);
      out.push_back(std::move(d));
    }
  }
  std::vector<std::string> problems;
  for (const std::string& dir : ManifestDirs()) {
    std::vector<Candidate> manifests;
    ScanManifestDir(dir, manifests, problems);
    for (Candidate& c : manifests) {
      DiscoveredPlugin d;
      d.name = c.manifest->name;
      d.library_path = c.path;
      d.found_by = c.found_by;
      d.problem = c.rejected;
      if (d.problem.empty()) {
        absl::Status s = CheckCompatible(*c.manifest);
        if (!s.ok()) d.problem = std::string(s.message());
      }
      if (d.problem.empty()) d.problem = LibraryProblem(c.path);
      d.manifest = std::move(c.manifest);
      out.push_back(std::move(d));
    }
  }
  for (const std::string& problem : problems) {
    DiscoveredPlugin d;
    d.found_by = "manifest folder scan";
    d.problem = problem;
    out.push_back(std::move(d));
  }
  return out;
}

absl::StatusOr<std::shared_ptr<LoadedPlugin>> LoadPlugin(
    absl::string_view name_or_path) {
  return Loader::Default().Load(name_or_path);
}

absl::StatusOr<std::string> PluginAttributeString(const BPL_Api* api,
                                                  absl::string_view name) {
  if (!BPL_API_HAS(api, Plugin_Attributes)) {
    return absl::UnimplementedError("the plugin has no Plugin_Attributes");
  }
  BPL_Plugin_Attributes_Args args{};
  args.struct_size = BPL_Plugin_Attributes_Args_STRUCT_SIZE;
  if (BPL_Error* error = api->Plugin_Attributes(&args)) {
    return absl::InternalError(ErrorText(api, error));
  }
  for (size_t i = 0; i < args.out_num_attributes; ++i) {
    const BPL_NamedValue& v = args.out_attributes[i];
    if (v.name == nullptr || absl::string_view(v.name, v.name_size) != name) {
      continue;
    }
    if (v.type != BPL_VALUE_STRING || v.value.string_value == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("attribute '", name, "' is not a string"));
    }
    return std::string(v.value.string_value, v.value_size);
  }
  return absl::NotFoundError(absl::StrCat("no attribute '", name, "'"));
}

}  // namespace backplane::loader
