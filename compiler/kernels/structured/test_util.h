// Test helpers: build Literals from initializer lists and read them back.
//
//   ir::Literal x = MakeLiteral<float>(ir::ElementType::kF32, {2, 2},
//                                      {1, 2, 3, 4});
//   EXPECT_EQ(ToVector<float>(x), (std::vector<float>{1, 2, 3, 4}));
#ifndef BACKPLANE_COMPILER_KERNELS_STRUCTURED_TEST_UTIL_H_
#define BACKPLANE_COMPILER_KERNELS_STRUCTURED_TEST_UTIL_H_

#include <cstdint>
#include <cstring>
#include <vector>

#include "compiler/ir/literal.h"
#include "compiler/kernels/structured/computation.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {

template <typename T>
ir::Literal MakeLiteral(ir::ElementType type, std::vector<int64_t> dims,
                        const std::vector<T>& values) {
  ir::Literal lit(ir::TensorType(type, std::move(dims)));
  EXPECT_EQ(static_cast<int64_t>(values.size()), lit.element_count());
  if (static_cast<int64_t>(values.size()) == lit.element_count() &&
      !values.empty()) {
    std::memcpy(lit.untyped_data(), values.data(), values.size() * sizeof(T));
  }
  return lit;
}

inline ir::Literal F32(std::vector<int64_t> dims,
                       const std::vector<float>& values) {
  return MakeLiteral<float>(ir::ElementType::kF32, std::move(dims), values);
}
inline ir::Literal S32(std::vector<int64_t> dims,
                       const std::vector<int32_t>& values) {
  return MakeLiteral<int32_t>(ir::ElementType::kS32, std::move(dims), values);
}
inline ir::Literal S64(std::vector<int64_t> dims,
                       const std::vector<int64_t>& values) {
  return MakeLiteral<int64_t>(ir::ElementType::kS64, std::move(dims), values);
}

inline ir::Literal F64(std::vector<int64_t> dims,
                       const std::vector<double>& values) {
  return MakeLiteral<double>(ir::ElementType::kF64, std::move(dims), values);
}

template <typename T>
std::vector<T> ToVector(const ir::Literal& lit) {
  absl::Span<const T> d = lit.data<T>();
  return std::vector<T>(d.begin(), d.end());
}

// A generic (callback-only) single-operand body computing op(acc, x) on
// storage values of type T; `calls` (optional) counts invocations.
template <typename T, typename Op>
ScalarComputation GenericBody(ir::ElementType type, Op op,
                              int64_t* calls = nullptr) {
  ScalarComputation body;
  body.fn = [type, op, calls](absl::Span<const ir::Literal> args)
      -> absl::StatusOr<std::vector<ir::Literal>> {
    if (calls != nullptr) ++*calls;
    std::vector<ir::Literal> out;
    out.emplace_back(ir::TensorType(type, {}));
    out[0].data<T>()[0] = op(args[0].data<T>()[0], args[1].data<T>()[0]);
    return out;
  };
  return body;
}

// The same body, marked as a recognised kind (the callback stays available
// and counts calls, so tests can prove the fast path never uses it).
template <typename T, typename Op>
ScalarComputation FastBody(ir::ElementType type, BodyKind kind, Op op,
                           int64_t* calls = nullptr) {
  ScalarComputation body = GenericBody<T>(type, op, calls);
  body.kind = kind;
  return body;
}

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_TEST_UTIL_H_
