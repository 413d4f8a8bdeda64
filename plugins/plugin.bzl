"""Builds a Backplane plugin shared library."""

def bpl_plugin_library(name, srcs = [], deps = [], **kwargs):
    """A plugin `lib<name>.so` exporting only BPL_GetApi.

    Args:
      name: the library's base name, e.g. "backplane_cpu" for
        libbackplane_cpu.so.
      srcs: sources; one of them uses BPL_KIT_DEFINE_PLUGIN.
      deps: C++ dependencies, linked statically into the plugin.
      **kwargs: passed to cc_binary (e.g. visibility).
    """
    native.cc_binary(
        name = "lib%s.so" % name,
        srcs = srcs,
        deps = deps,
        linkshared = True,
        linkstatic = True,
        additional_linker_inputs = ["//plugins:plugin.lds"],
        linkopts = [
            "-Wl,--version-script=$(location //plugins:plugin.lds)",
            "-Wl,--no-undefined",
        ],
        **kwargs
    )
