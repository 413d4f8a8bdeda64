#include "plugins/loader/manifest.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "base/json.h"
#include "base/status_macros.h"

namespace backplane::loader {
namespace {

absl::StatusOr<int64_t> ReadInt(const base::JsonValue& object,
                                absl::string_view key,
                                absl::string_view where) {
  const base::JsonValue* v = object.Find(key);
  if (v == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": missing \"", key, "\""));
  }
  if (!v->is_number() || v->number_value() != std::floor(v->number_value()) ||
      v->number_value() < 0 || v->number_value() > 1e9) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": \"", key, "\" must be a non-negative whole number"));
  }
  return static_cast<int64_t>(v->number_value());
}

absl::StatusOr<std::string> ReadString(const base::JsonValue& object,
                                       absl::string_view key,
                                       absl::string_view where, bool required) {
  const base::JsonValue* v = object.Find(key);
  if (v == nullptr) {
    if (!required) return std::string();
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": missing \"", key, "\""));
  }
  if (!v->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": \"", key, "\" must be a string"));
  }
  return v->string_value();
}

}  // namespace

absl::StatusOr<Manifest> ParseManifest(absl::string_view text,
                                       absl::string_view manifest_path) {
  std::string where(manifest_path);
  ASSIGN_OR_RETURN(base::JsonValue json, base::ParseJson(text), "%s", where);
  if (!json.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": a manifest is a JSON object"));
  }
  Manifest m;
  m.manifest_path = where;
  ASSIGN_OR_RETURN(auto version, ReadInt(json, "file_format_version", where));
  if (version != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": file_format_version ", version,
                     " is not supported (this loader reads version 1)"));
  }
  ASSIGN_OR_RETURN(std::string name, ReadString(json, "name", where, true));
  if (name.empty() || name.find_first_of("/=, ") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": name \"", name,
                     "\" must be non-empty without '/', '=', ',' or spaces"));
  }
  m.name = name;
  ASSIGN_OR_RETURN(m.description,
                   ReadString(json, "description", where, false));
  ASSIGN_OR_RETURN(auto library, ReadString(json, "library_path", where, true));
  if (library.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": library_path is empty"));
  }
  if (library[0] == '/') {
    m.library_path = library;
  } else {
    size_t slash = where.rfind('/');
    std::string folder =
        slash == std::string::npos ? "." : where.substr(0, slash);
    m.library_path = absl::StrCat(folder, "/", library);
  }
  const base::JsonValue* abi = json.Find("abi");
  if (abi == nullptr || !abi->is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where,
        ": missing \"abi\" object {\"major\", \"minor_min\", \"minor_max\"}"));
  }
  std::string abi_where = absl::StrCat(where, ": abi");
  ASSIGN_OR_RETURN(auto major, ReadInt(*abi, "major", abi_where));
  ASSIGN_OR_RETURN(auto minor_min, ReadInt(*abi, "minor_min", abi_where));
  ASSIGN_OR_RETURN(auto minor_max, ReadInt(*abi, "minor_max", abi_where));
  if (minor_min > minor_max) {
    return absl::InvalidArgumentError(
        absl::StrCat(abi_where, ": minor_min ", minor_min,
                     " is greater than minor_max ", minor_max));
  }
  m.abi_major = major;
  m.abi_minor_min = minor_min;
  m.abi_minor_max = minor_max;
  if (json.Find("sanitizer") != nullptr) {
    ASSIGN_OR_RETURN(std::string sanitizer,
                     ReadString(json, "sanitizer", where, true));
    if (sanitizer != "none" && sanitizer != "address" &&
        sanitizer != "thread" && sanitizer != "undefined") {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": sanitizer \"", sanitizer,
                       "\" is not one of \"none\", \"address\", \"thread\", "
                       "\"undefined\""));
    }
    m.sanitizer = sanitizer;
  }
  return m;
}

absl::Status CheckManifestCompatible(const Manifest& m, int64_t major,
                                     int64_t minor,
                                     absl::string_view framework_sanitizer) {
  if (m.abi_major != major) {
    return absl::FailedPreconditionError(
        absl::StrCat("ABI major version mismatch: the manifest says ",
                     m.abi_major, ", this framework speaks ", major));
  }
  if (minor < m.abi_minor_min) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the plugin needs a framework of ABI ", major, ".", m.abi_minor_min,
        " or newer; this framework is ", major, ".", minor));
  }
  // Only the sanitizers whose runtime must be the process's first library
  // have to match; "undefined" and "none" plugins load anywhere.
  if ((m.sanitizer == "address" || m.sanitizer == "thread") &&
      m.sanitizer != framework_sanitizer) {
    return absl::FailedPreconditionError(
        absl::StrCat("the plugin was built with sanitizer \"", m.sanitizer,
                     "\" but this framework with \"", framework_sanitizer,
                     "\"; build both the same way (e.g. both with --config=",
                     m.sanitizer == "address" ? "asan" : "tsan", ")"));
  }
  return absl::OkStatus();
}

}  // namespace backplane::loader
