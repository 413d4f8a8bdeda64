#include "compiler/interpreter/op_context.h"

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "base/status_macros.h"

namespace backplane::interpreter {

namespace ks = kernels::structured;

std::vector<const ir::Literal*> OpContext::literals(size_t begin,
                                                    size_t end) const {
  std::vector<const ir::Literal*> out;
  for (size_t i = begin; i < end; ++i) out.push_back(&tensor(i));
  return out;
}

ks::ScalarFn OpContext::RegionFn(int region) {
  return [this, region](absl::Span<const ir::Literal> args)
             -> absl::StatusOr<std::vector<ir::Literal>> {
    std::vector<ValueRef> in;
    in.reserve(args.size());
    for (const ir::Literal& a : args) in.push_back(RuntimeValue::Tensor(a));
    ASSIGN_OR_RETURN(std::vector<ValueRef> out,
                     RunRegion(region, std::move(in)));
    std::vector<ir::Literal> results;
    for (const ValueRef& v : out) results.push_back(v->tensor());
    return results;
  };
}

ks::ScalarComputation OpContext::Body(int region) {
  ks::ScalarComputation body;
  body.kind = plan_.body_kinds[region];
  body.fn = RegionFn(region);
  return body;
}

ks::Comparator OpContext::Comparator(int region) {
  ks::Comparator cmp;
  if (const std::optional<RecognizedComparator>& r =
          plan_.comparators[region]) {
    cmp.kind = r->kind;
    cmp.total_order = r->total_order;
  }
  ks::ScalarFn fn = RegionFn(region);
  cmp.fn = [fn](absl::Span<const ir::Literal> args) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(std::vector<ir::Literal> r, fn(args));
    if (r.size() != 1 || r[0].element_count() != 1) {
      return absl::InvalidArgumentError("comparator must return one i1");
    }
    return r[0].untyped_data()[0] != 0;
  };
  return cmp;
}

}  // namespace backplane::interpreter
