#include "compiler/kernels/structured/dot.h"

#include <tuple>
#include <type_traits>

#include "base/status_macros.h"
#include "compiler/kernels/element_traits.h"
#include "compiler/kernels/structured/data_movement.h"
#include "compiler/kernels/structured/gemm.h"
#include "compiler/kernels/structured/promote.h"
#include "compiler/kernels/structured/shape_checks.h"

namespace backplane::kernels::structured {
namespace {

constexpr absl::string_view kOp = "dot_general";

// Copies `count` storage elements at `src` (addressed by the three strides
// of a batched matrix) into a dense Acc buffer of shape batch x rows x cols.
template <typename Traits>
std::vector<typename Traits::Acc> LoadDense(const uint8_t* src, int64_t batch,
                                            int64_t rows, int64_t cols,
                                            int64_t batch_stride,
                                            int64_t row_stride,
                                            int64_t col_stride) {
  using Storage = typename Traits::Storage;
  const Storage* s = reinterpret_cast<const Storage*>(src);
  std::vector<typename Traits::Acc> out(
      static_cast<size_t>(batch * rows * cols));
  size_t o = 0;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        out[o++] =
            Traits::Load(s[b * batch_stride + i * row_stride + j * col_stride]);
  return out;
}

}  // namespace

absl::Status BatchedMatMul(ir::ElementType type, int64_t batch, int64_t m,
                           int64_t n, int64_t k, const uint8_t* lhs,
                           int64_t lhs_batch_stride, int64_t lhs_row_stride,
                           int64_t lhs_col_stride, const uint8_t* rhs,
                           int64_t rhs_batch_stride, int64_t rhs_row_stride,
                           int64_t rhs_col_stride, uint8_t* out) {
  return DispatchArithmetic(type, [&](auto traits) -> absl::Status {
    using T = decltype(traits);
    using Acc = typename T::Acc;
    using Storage = typename T::Storage;
    Storage* result = reinterpret_cast<Storage*>(out);
    if constexpr (std::is_same_v<Storage, Acc>) {
      const Acc* a = reinterpret_cast<const Acc*>(lhs);
      const Acc* b = reinterpret_cast<const Acc*>(rhs);
      for (int64_t i = 0; i < batch; ++i) {
        Acc* c = result + i * m * n;
        Gemm<T>(m, n, k, a + i * lhs_batch_stride, lhs_row_stride,
                lhs_col_stride, b + i * rhs_batch_stride, rhs_row_stride,
                rhs_col_stride, c);
        if constexpr (!std::is_same_v<
                          T, ArithmeticTraits<ir::ElementType::kF32>> &&
                      !std::is_same_v<
                          T, ArithmeticTraits<ir::ElementType::kF64>> &&
                      !T::kIsComplex) {
          // Re-normalise sub-byte integers to their width.
          for (int64_t j = 0; j < m * n; ++j) c[j] = T::Store(c[j]);
        }
      }
    } else {
      // Narrow floats and pred: widen once, multiply, narrow once.
      std::vector<Acc> a = LoadDense<T>(lhs, batch, m, k, lhs_batch_stride,
                                        lhs_row_stride, lhs_col_stride);
      std::vector<Acc> b = LoadDense<T>(rhs, batch, k, n, rhs_batch_stride,
                                        rhs_row_stride, rhs_col_stride);
      std::vector<Acc> c(static_cast<size_t>(m * n));
      for (int64_t i = 0; i < batch; ++i) {
        Gemm<T>(m, n, k, a.data() + i * m * k, k, 1, b.data() + i * k * n, n, 1,
                c.data());
        for (int64_t j = 0; j < m * n; ++j) {
          result[i * m * n + j] = T::Store(c[j]);
        }
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<ir::Literal> DotGeneral(
    const ir::Literal& lhs_in, const ir::Literal& rhs_in,
    const DotDimensionNumbers& dn, std::optional<ir::ElementType> result_type) {
  // Promote first when a result type is requested; the rest of the kernel
  // then works on one element type.
  ir::Literal lhs_promoted, rhs_promoted;
  const ir::Literal* lhs_ptr = &lhs_in;
  const ir::Literal* rhs_ptr = &rhs_in;
  if (result_type.has_value()) {
    for (auto [in, out, ptr] : {std::tuple{&lhs_in, &lhs_promoted, &lhs_ptr},
                                std::tuple{&rhs_in, &rhs_promoted, &rhs_ptr}}) {
      if (in->element_type() == *result_type) continue;
      absl::StatusOr<ir::Literal> p = PromoteElements(*in, *result_type);
      if (!p.ok()) {
        return OpError(kOp, "cannot compute a ",
                       ir::ElementTypeToMlir(*result_type), " result from ",
                       in->type().ToString(), ": ", p.status().message());
      }
      *out = *std::move(p);
      *ptr = out;
    }
  }
  const ir::Literal& lhs = *lhs_ptr;
  const ir::Literal& rhs = *rhs_ptr;
  if (lhs.element_type() != rhs.element_type()) {
    return OpError(kOp, "operand element types differ: ", lhs.type().ToString(),
                   " vs ", rhs.type().ToString());
  }
  const int64_t lhs_rank = lhs.type().rank(), rhs_rank = rhs.type().rank();
  if (dn.lhs_batch.size() != dn.rhs_batch.size()) {
    return OpError(kOp, "lhs_batching_dimensions ", DimsToString(dn.lhs_batch),
                   " and rhs_batching_dimensions ", DimsToString(dn.rhs_batch),
                   " differ in length");
  }
  if (dn.lhs_contracting.size() != dn.rhs_contracting.size()) {
    return OpError(kOp, "lhs_contracting_dimensions ",
                   DimsToString(dn.lhs_contracting),
                   " and rhs_contracting_dimensions ",
                   DimsToString(dn.rhs_contracting), " differ in length");
  }
  std::vector<int64_t> lhs_used = dn.lhs_batch, rhs_used = dn.rhs_batch;
  lhs_used.insert(lhs_used.end(), dn.lhs_contracting.begin(),
                  dn.lhs_contracting.end());
  rhs_used.insert(rhs_used.end(), dn.rhs_contracting.begin(),
                  dn.rhs_contracting.end());
  RETURN_IF_ERROR(CheckUniqueDims(kOp, "lhs batching + contracting dimensions",
                                  lhs_used, lhs_rank));
  RETURN_IF_ERROR(CheckUniqueDims(kOp, "rhs batching + contracting dimensions",
                                  rhs_used, rhs_rank));
  for (size_t i = 0; i < lhs_used.size(); ++i) {
    if (lhs.dims()[lhs_used[i]] != rhs.dims()[rhs_used[i]]) {
      return OpError(kOp, i < dn.lhs_batch.size() ? "batching" : "contracting",
                     " dimension sizes differ: lhs dimension ", lhs_used[i],
                     " has size ", lhs.dims()[lhs_used[i]], ", rhs dimension ",
                     rhs_used[i], " has size ", rhs.dims()[rhs_used[i]]);
    }
  }
  auto free_dims = [](int64_t rank, const std::vector<int64_t>& used) {
    std::vector<int64_t> free;
    for (int64_t d = 0; d < rank; ++d) {
      if (std::find(used.begin(), used.end(), d) == used.end()) {
        free.push_back(d);
      }
    }
    return free;
  };
  const std::vector<int64_t> lhs_free = free_dims(lhs_rank, lhs_used);
  const std::vector<int64_t> rhs_free = free_dims(rhs_rank, rhs_used);

  int64_t batch = 1, m = 1, n = 1, k = 1;
  std::vector<int64_t> result_dims;
  for (int64_t d : dn.lhs_batch) {
    batch *= lhs.dims()[d];
    result_dims.push_back(lhs.dims()[d]);
  }
  for (int64_t d : lhs_free) {
    m *= lhs.dims()[d];
    result_dims.push_back(lhs.dims()[d]);
  }
  for (int64_t d : rhs_free) {
    n *= rhs.dims()[d];
    result_dims.push_back(rhs.dims()[d]);
  }
  for (int64_t d : dn.lhs_contracting) k *= lhs.dims()[d];
  ASSIGN_OR_RETURN(ir::Literal result,
                   AllocateResult(kOp, lhs.element_type(), result_dims));

  auto concat = [](std::vector<int64_t> a, const std::vector<int64_t>& b,
                   const std::vector<int64_t>& c) {
    a.insert(a.end(), b.begin(), b.end());
    a.insert(a.end(), c.begin(), c.end());
    return a;
  };
  auto is_identity = [](const std::vector<int64_t>& perm) {
    for (size_t i = 0; i < perm.size(); ++i) {
      if (perm[i] != static_cast<int64_t>(i)) return false;
    }
    return true;
  };
  // Use each operand in place when its layout is already [batch, rows,
  // cols] or [batch, cols, rows]; otherwise transpose it once.
  ir::Literal lhs_copy, rhs_copy;
  const ir::Literal* a = &lhs;
  const ir::Literal* b = &rhs;
  int64_t a_rs = k, a_cs = 1, b_rs = n, b_cs = 1;
  if (is_identity(concat(dn.lhs_batch, lhs_free, dn.lhs_contracting))) {
  } else if (is_identity(concat(dn.lhs_batch, dn.lhs_contracting, lhs_free))) {
    a_rs = 1;
    a_cs = m;
  } else {
    ASSIGN_OR_RETURN(lhs_copy, Transpose(lhs, concat(dn.lhs_batch, lhs_free,
                                                     dn.lhs_contracting)));
    a = &lhs_copy;
  }
  if (is_identity(concat(dn.rhs_batch, dn.rhs_contracting, rhs_free))) {
  } else if (is_identity(concat(dn.rhs_batch, rhs_free, dn.rhs_contracting))) {
    b_rs = 1;
    b_cs = k;
  } else {
    ASSIGN_OR_RETURN(
        rhs_copy,
        Transpose(rhs, concat(dn.rhs_batch, dn.rhs_contracting, rhs_free)));
    b = &rhs_copy;
  }
  if (result.element_count() == 0) return result;
  RETURN_IF_ERROR(BatchedMatMul(
      lhs.element_type(), batch, m, n, k, a->untyped_data(), m * k, a_rs, a_cs,
      b->untyped_data(), k * n, b_rs, b_cs, result.untyped_data()));
  return result;
}

}  // namespace backplane::kernels::structured
