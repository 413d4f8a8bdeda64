#include "compiler/kernels/structured/reduce.h"

#include <cstring>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/body_ops.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {
namespace {

constexpr absl::string_view kOp = "reduce";

// The operand viewed as alternating runs of kept / reduced dimensions:
// adjacent dimensions of the same kind merge, since both the operand and
// the result are row-major.
struct Runs {
  std::vector<int64_t> sizes;
  std::vector<bool> reduced;
  std::vector<int64_t> out_strides;  // 0 for reduced runs.
};

Runs MakeRuns(absl::Span<const int64_t> dims,
              const std::vector<bool>& reduced) {
  Runs runs;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == 1) continue;
    if (!runs.sizes.empty() && runs.reduced.back() == reduced[i]) {
      runs.sizes.back() *= dims[i];
    } else {
      runs.sizes.push_back(dims[i]);
      runs.reduced.push_back(reduced[i]);
    }
  }
  if (runs.sizes.empty()) {
    runs.sizes.push_back(1);
    runs.reduced.push_back(false);
  }
  runs.out_strides.assign(runs.sizes.size(), 0);
  int64_t stride = 1;
  for (int64_t i = static_cast<int64_t>(runs.sizes.size()) - 1; i >= 0; --i) {
    if (!runs.reduced[i]) {
      runs.out_strides[i] = stride;
      stride *= runs.sizes[i];
    }
  }
  return runs;
}

// Calls row_fn(in_offset, out_offset, row_length, row_is_reduced) for each
// innermost row of the operand, in row-major order.
template <typename RowFn>
void ForEachRow(const Runs& runs, RowFn&& row_fn) {
  const int64_t rank = static_cast<int64_t>(runs.sizes.size());
  const int64_t n = runs.sizes[rank - 1];
  const bool inner_reduced = runs.reduced[rank - 1];
  std::vector<int64_t> idx(rank - 1, 0);
  int64_t in_offset = 0, out_offset = 0;
  while (true) {
    row_fn(in_offset, out_offset, n, inner_reduced);
    in_offset += n;
    int64_t k = rank - 2;
    for (; k >= 0; --k) {
      out_offset += runs.out_strides[k];
      if (++idx[k] < runs.sizes[k]) break;
      out_offset -= runs.out_strides[k] * runs.sizes[k];
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

template <typename T, BodyKind kKind>
void ReduceTyped(const ir::Literal& input, const ir::Literal& init,
                 const Runs& runs, ir::Literal& result) {
  using Acc = typename T::Acc;
  using Storage = typename T::Storage;
  const Storage* in = input.data<Storage>().data();
  const Acc init_acc = T::Load(init.data<Storage>()[0]);
  std::vector<Acc> acc(static_cast<size_t>(result.element_count()), init_acc);
  ForEachRow(
      runs, [&](int64_t in_off, int64_t out_off, int64_t n, bool reduced) {
        const Storage* row = in + in_off;
        if (reduced) {
          // Independent partial accumulators break the dependency chain and
          // let the compiler vectorise; the spec leaves the order open.
          constexpr int kLanes = 8;
          Acc part[kLanes];
          int64_t j = kLanes;
          if (n < kLanes) {
            Acc a = T::Load(row[0]);
            for (int64_t i = 1; i < n; ++i) {
              a = ApplyBody<T, kKind>(a, T::Load(row[i]));
            }
            acc[out_off] = ApplyBody<T, kKind>(acc[out_off], a);
            return;
          }
          for (int l = 0; l < kLanes; ++l) part[l] = T::Load(row[l]);
          for (; j + kLanes <= n; j += kLanes) {
            for (int l = 0; l < kLanes; ++l) {
              part[l] = ApplyBody<T, kKind>(part[l], T::Load(row[j + l]));
            }
          }
          for (; j < n; ++j)
            part[0] = ApplyBody<T, kKind>(part[0], T::Load(row[j]));
          for (int l = 1; l < kLanes; ++l) {
            part[0] = ApplyBody<T, kKind>(part[0], part[l]);
          }
          acc[out_off] = ApplyBody<T, kKind>(acc[out_off], part[0]);
        } else {
          Acc* out = acc.data() + out_off;
          for (int64_t i = 0; i < n; ++i) {
            out[i] = ApplyBody<T, kKind>(out[i], T::Load(row[i]));
          }
        }
      });
  Storage* out = result.data<Storage>().data();
  for (size_t i = 0; i < acc.size(); ++i) out[i] = T::Store(acc[i]);
}

bool FastPathApplies(absl::Span<const ir::Literal* const> inputs,
                     BodyKind kind) {
  if (kind == BodyKind::kGeneric || kind == BodyKind::kReplace) return false;
  for (const ir::Literal* in : inputs) {
    absl::StatusOr<bool> ok = DispatchArithmetic(
        in->element_type(), [&](auto t) -> absl::StatusOr<bool> {
          return SupportsBodyKind<decltype(t)>(kind);
        });
    if (!ok.ok() || !*ok) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<ir::Literal>> Reduce(
    absl::Span<const ir::Literal* const> inputs,
    absl::Span<const ir::Literal* const> init_values,
    absl::Span<const int64_t> dimensions, const ScalarComputation& body) {
  if (inputs.empty()) return OpError(kOp, "needs at least one input");
  if (inputs.size() != init_values.size()) {
    return OpError(kOp, inputs.size(), " inputs but ", init_values.size(),
                   " init values");
  }
  const std::vector<int64_t>& dims = inputs[0]->dims();
  const int64_t rank = static_cast<int64_t>(dims.size());
  std::vector<ir::ElementType> types;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i]->dims() != dims) {
      return OpError(kOp, "input ", i, " ", inputs[i]->type().ToString(),
                     " has a different shape than input 0 ",
                     inputs[0]->type().ToString());
    }
    if (absl::Status s =
            CheckScalar(kOp, absl::StrCat("init value ", i), *init_values[i],
                        inputs[i]->element_type());
        !s.ok()) {
      return s;
    }
    types.push_back(inputs[i]->element_type());
  }
  RETURN_IF_ERROR(CheckUniqueDims(kOp, "dimensions", dimensions, rank));
  std::vector<bool> reduced(rank, false);
  for (int64_t d : dimensions) reduced[d] = true;
  std::vector<int64_t> result_dims;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced[d]) result_dims.push_back(dims[d]);
  }
  std::vector<ir::Literal> results;
  for (size_t i = 0; i < inputs.size(); ++i) {
    ir::Literal r(ir::TensorType(types[i], result_dims));
    const int es = ir::ElementByteSize(types[i]);
    for (int64_t j = 0; j < r.element_count(); ++j) {
      std::memcpy(r.untyped_data() + j * es, init_values[i]->untyped_data(),
                  es);
    }
    results.push_back(std::move(r));
  }
  if (inputs[0]->element_count() == 0) return results;
  const Runs runs = MakeRuns(dims, reduced);

  if (FastPathApplies(inputs, body.kind)) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      RETURN_IF_ERROR(DispatchArithmetic(types[i], [&](auto t) -> absl::Status {
        using T = decltype(t);
        DispatchBodyKind(body.kind, [&](auto kind) {
          constexpr BodyKind kKind = decltype(kind)::value;
          if constexpr (SupportsBodyKind<T>(kKind)) {
            ReduceTyped<T, kKind>(*inputs[i], *init_values[i], runs,
                                  results[i]);
          }
        });
        return absl::OkStatus();
      }));
    }
    return results;
  }

  ScalarCaller caller(body.fn, types);
  absl::Status status = absl::OkStatus();
  std::vector<int> sizes;
  for (ir::ElementType t : types) sizes.push_back(ir::ElementByteSize(t));
  ForEachRow(runs, [&](int64_t in_off, int64_t out_off, int64_t n,
                       bool inner_reduced) {
    for (int64_t j = 0; j < n && status.ok(); ++j) {
      const int64_t in_pos = in_off + j;
      const int64_t out_pos = out_off + (inner_reduced ? 0 : j);
      for (size_t i = 0; i < inputs.size(); ++i) {
        std::memcpy(caller.accumulator(i),
                    results[i].untyped_data() + out_pos * sizes[i], sizes[i]);
        std::memcpy(caller.value(i),
                    inputs[i]->untyped_data() + in_pos * sizes[i], sizes[i]);
      }
      status = caller.Call();
      if (!status.ok()) return;
      for (size_t i = 0; i < inputs.size(); ++i) {
        std::memcpy(results[i].untyped_data() + out_pos * sizes[i],
                    caller.accumulator(i), sizes[i]);
      }
    }
  });
  RETURN_IF_ERROR(status);
  return results;
}

}  // namespace backplane::kernels::structured
