"""Builds a Backplane plugin: its shared library and its manifest."""

# The sanitizer each build configuration records in manifests
# (config_settings in //plugins:BUILD.bazel).
_SANITIZER_CONDITIONS = {
    "//plugins:sanitizer_address": "address",
    "//plugins:sanitizer_thread": "thread",
    "//plugins:sanitizer_undefined": "undefined",
    "//conditions:default": "none",
}

# The ABI minor the kit implements (BPL_API_MINOR of api/backplane_c_api.h;
# //plugins/loader:loader_test checks that they agree).
_ABI_MINOR = 2

def _manifest(name, description, library, sanitizer):
    """The manifest's JSON, escaped for printf inside a genrule command."""
    return ("{\\n" +
            "  \\\"file_format_version\\\": 1,\\n" +
            "  \\\"name\\\": \\\"%s\\\",\\n" % name +
            "  \\\"description\\\": \\\"%s\\\",\\n" % description +
            "  \\\"library_path\\\": \\\"%s\\\",\\n" % library +
            "  \\\"abi\\\": {\\\"major\\\": 1, \\\"minor_min\\\": 0, \\\"minor_max\\\": %d},\\n" % _ABI_MINOR +
            "  \\\"sanitizer\\\": \\\"%s\\\"\\n" % sanitizer +
            "}\\n")

def bpl_plugin(name, description, srcs = [], deps = [], copts = [], **kwargs):
    """Plugin `name`: libbackplane_<name>.so plus <name>.json beside it.

    The library exports only BPL_GetApi (plugin.lds). The manifest lets the
    loader find the plugin by name: point BACKPLANE_PLUGIN_PATH at the
    package's output folder (bazel-bin/<package>), or use the `:<name>`
    filegroup as `data` of a test or binary.

    Args:
      name: the plugin name, e.g. "cpu".
      description: one line for the manifest.
      srcs: sources; one of them uses BPL_KIT_DEFINE_PLUGIN.
      deps: C++ dependencies, linked statically into the plugin.
      copts: extra compiler options for `srcs`.
      **kwargs: passed to the rules. A plugin's library, manifest and
        filegroup are public by default (frameworks load them by name);
        its C++ libraries keep their package's visibility.
    """
    if "visibility" not in kwargs:
        kwargs["visibility"] = ["//visibility:public"]
    library = "libbackplane_%s.so" % name
    native.cc_binary(
        name = library,
        srcs = srcs,
        deps = deps,
        copts = copts,
        linkshared = True,
        linkstatic = True,
        additional_linker_inputs = ["//plugins:plugin.lds"],
        linkopts = [
            "-Wl,--version-script=$(location //plugins:plugin.lds)",
            "-Wl,--no-undefined",
        ],
        **kwargs
    )

    # The loader refuses an ASan/TSan plugin in a framework built otherwise
    # before loading it; --config=asan|tsan|ubsan set the define.
    native.genrule(
        name = name + "_manifest",
        outs = [name + ".json"],
        cmd = select({
            condition: "printf \"%s\" > $@" % _manifest(name, description, library, sanitizer)
            for condition, sanitizer in _SANITIZER_CONDITIONS.items()
        }),
        **kwargs
    )
    native.filegroup(
        name = name,
        srcs = [library, name + ".json"],
        **kwargs
    )
