"""Compiles a .proto file with the system protoc (no Bazel proto rules).

    load("//third_party/system:proto.bzl", "cc_proto")
    cc_proto(name = "ir_cc_proto", src = "ir.proto")

produces a cc_library `ir_cc_proto` whose header is `<package>/ir.pb.h`.
`extra_protoc_args`, `extra_outs` and `extra_deps` let a caller add a protoc
plugin, e.g. gRPC:

    cc_proto(
        name = "service_cc_proto",
        src = "service.proto",
        extra_protoc_args = [
            "--plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin",
            "--grpc_out=$(GENDIR)",
        ],
        extra_outs = ["service.grpc.pb.h", "service.grpc.pb.cc"],
        extra_deps = ["@system_libs//:grpc"],
    )
"""

PROTOC = "/usr/bin/protoc"

def cc_proto(
        name,
        src,
        deps = [],
        extra_protoc_args = [],
        extra_outs = [],
        extra_deps = [],
        testonly = False,
        visibility = None):
    """Runs protoc on `src` and wraps the generated C++ in a cc_library.

    Args:
      name: name of the cc_library.
      src: one .proto file of this package.
      deps: other cc_proto targets whose .proto files `src` imports.
      extra_protoc_args: more protoc flags ($(GENDIR) is expanded).
      extra_outs: more generated files, in this package; *.cc are compiled
        and *.h exported.
      extra_deps: more cc deps the extra outputs need.
      testonly: marks every generated target testonly.
      visibility: of the cc_library.
    """
    if not src.endswith(".proto"):
        fail("cc_proto: src must be a .proto file, got " + src)
    base = src[:-len(".proto")]
    outs = [base + ".pb.h", base + ".pb.cc"] + extra_outs

    # Imports are resolved from the workspace root, so a .proto imports
    # another as "compiler/proto/x.proto". Dependency .proto files come in as
    # srcs so they are present in the sandbox.
    native.genrule(
        name = name + "_protoc",
        srcs = [src] + [d + "_src" for d in deps],
        outs = outs,
        cmd = " ".join([
            PROTOC,
            "--proto_path=.",
            "--cpp_out=$(GENDIR)",
        ] + extra_protoc_args + ["$(location " + src + ")"]),
        testonly = testonly,
        visibility = ["//visibility:private"],
    )

    # The .proto itself, for importers' sandboxes.
    native.filegroup(
        name = name + "_src",
        srcs = [src],
        testonly = testonly,
        visibility = visibility,
    )

    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        # Generated code is not ours to keep warning-free.
        copts = ["-Wno-error"],
        deps = deps + extra_deps + ["@system_libs//:protobuf"],
        testonly = testonly,
        visibility = visibility,
    )
