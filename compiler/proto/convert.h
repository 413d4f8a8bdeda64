// Conversion between the in-memory IR (compiler/ir/ir.h) and its protobuf
// form (compiler/proto/ir.proto).
//
//   absl::StatusOr<ir::proto::Module> p = proto::ToProto(*module);
//   std::string bytes = p->SerializeAsString();
//   ...
//   ir::proto::Module q;
//   if (!q.ParseFromString(bytes)) return error;
//   absl::StatusOr<std::unique_ptr<ir::Module>> m = proto::FromProto(q);
//
// The conversions live in backplane::proto; the generated messages keep
// their package's namespace, backplane::ir::proto.
//
// FromProto treats its input as untrusted: unknown op names, dangling or
// duplicate value ids, uses before definitions (which is how a cycle would
// show), malformed types, dense data of the wrong length or with values
// outside their element type, out-of-range enums and excessive nesting all
// come back as InvalidArgumentError naming the function, op and field;
// a splat that would expand past max_splat_bytes is ResourceExhausted.
#ifndef BACKPLANE_COMPILER_PROTO_CONVERT_H_
#define BACKPLANE_COMPILER_PROTO_CONVERT_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "compiler/proto/ir.pb.h"

namespace backplane::proto {

absl::StatusOr<ir::proto::Module> ToProto(const ir::Module& module);

struct FromProtoOptions {
  // Ops whose name is not a known OpCode are rejected unless this is set;
  // then they become OpCode::kUnknown ops (as the parser makes them), and
  // their name must still look like `dialect.op`.
  bool allow_unknown_ops = false;
  // Deepest nesting of regions, attributes and tuple types accepted.
  int max_nesting_depth = 64;
  // Largest tensor a splat dense attribute may expand to (the parser's
  // max_constant_bytes for the same reason: a few bytes of input must not
  // allocate without bound).
  int64_t max_splat_bytes = int64_t{1} << 30;
};

absl::StatusOr<std::unique_ptr<ir::Module>> FromProto(
    const ir::proto::Module& module, const FromProtoOptions& options = {});

}  // namespace backplane::proto

#endif  // BACKPLANE_COMPILER_PROTO_CONVERT_H_
