"""Wraps system libraries (Debian packages) as cc_library targets.

Each library's link flags come from `pkg-config --libs`, so transitive
dependencies (abseil's many small libraries, grpc's abseil needs) are complete.
"""

def _pkg_config_library_impl(ctx):
    build = ['package(default_visibility = ["//visibility:public"])', ""]
    names = sorted(ctx.attr.packages.keys() + [k for k in ctx.attr.extra_libs.keys() if k not in ctx.attr.packages])
    for name in names:
        pkgs = ctx.attr.packages.get(name, [])
        linkopts = []
        copts = []
        if pkgs:
            res = ctx.execute(["pkg-config", "--libs"] + pkgs)
            if res.return_code != 0:
                fail("pkg-config --libs %s failed: %s\nRun tools/setup.sh to install the system packages." % (" ".join(pkgs), res.stderr))
            linkopts = res.stdout.strip().split(" ")
            res = ctx.execute(["pkg-config", "--cflags"] + pkgs)
            if res.return_code == 0:
                # -I/usr/include style flags are implied; keep only defines.
                copts = [f for f in res.stdout.strip().split(" ") if f.startswith("-D")]
        linkopts = ctx.attr.extra_libs.get(name, []) + linkopts
        build.append("cc_library(")
        build.append('    name = "%s",' % name)
        build.append("    linkopts = %s," % repr([o for o in linkopts if o]))
        build.append("    defines = %s," % repr([c[2:] for c in copts]))
        build.append(")")
        build.append("")
    ctx.file("BUILD.bazel", "\n".join(build))
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)

pkg_config_library = repository_rule(
    implementation = _pkg_config_library_impl,
    attrs = {
        "packages": attr.string_list_dict(),
        "extra_libs": attr.string_list_dict(),
    },
    local = True,
)
