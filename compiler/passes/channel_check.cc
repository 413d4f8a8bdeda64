#include "compiler/passes/channel_check.h"

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "compiler/ir/attribute.h"

namespace backplane::passes {
namespace {

int64_t ChannelOf(const ir::Op& op) {
  const ir::Attribute* a = op.attr("channel_handle");
  if (a == nullptr || a->channel_handle() == nullptr) return 0;
  return a->channel_handle()->handle;
}

std::string Where(const ir::Op& op) {
  const ir::Location& loc = op.location();
  if (loc.line > 0) {
    return absl::StrCat(loc.file.empty() ? "<input>" : loc.file, ":", loc.line,
                        ":", loc.column);
  }
  if (!loc.loc_text.empty()) return loc.loc_text;
  return "<unknown location>";
}

}  // namespace

absl::Status CheckRecvsHaveSends(const ir::Module& module) {
  absl::flat_hash_set<int64_t> sent;
  bool any_recv = false;
  ir::Walk(module, [&](ir::Op& op) {
    if (op.code() == ir::OpCode::kSend) sent.insert(ChannelOf(op));
    if (op.code() == ir::OpCode::kRecv) any_recv = true;
  });
  if (!any_recv) return absl::OkStatus();
  absl::Status status;
  ir::Walk(module, [&](ir::Op& op) {
    if (!status.ok() || op.code() != ir::OpCode::kRecv) return;
    const int64_t channel = ChannelOf(op);
    if (sent.contains(channel)) return;
    status = absl::InvalidArgumentError(absl::StrCat(
        Where(op), ": ", op.name(), " on channel ", channel,
        " can never complete: no stablehlo.send in the program uses channel ",
        channel));
  });
  return status;
}

}  // namespace backplane::passes
