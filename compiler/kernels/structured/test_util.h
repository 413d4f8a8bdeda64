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

template <typename T>
std::vector<T> ToVector(const ir::Literal& lit) {
  absl::Span<const T> d = lit.data<T>();
  return std::vector<T>(d.begin(), d.end());
}

}  // namespace backplane::kernels::structured

#endif  // BACKPLANE_COMPILER_KERNELS_STRUCTURED_TEST_UTIL_H_
