#include "compiler/kernels/elementwise/select_clamp.h"

#include <cmath>
#include <complex>
#include <limits>
#include <vector>

#include "compiler/kernels/elementwise/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::elementwise {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::kernels::elementwise::testing::Complexes;
using ::backplane::kernels::elementwise::testing::Doubles;
using ::backplane::kernels::elementwise::testing::Ints;
using ::backplane::kernels::elementwise::testing::Lit;
using ::backplane::kernels::elementwise::testing::LitC;
using ::backplane::kernels::elementwise::testing::Scalar;
using D = std::vector<double>;
using I = std::vector<int64_t>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Select, SpecExample) {
  absl::StatusOr<ir::Literal> r =
      Select(Lit(ElementType::kPred, {0, 1, 1, 0}, {2, 2}),
             Lit(ElementType::kS32, {1, 2, 3, 4}, {2, 2}),
             Lit(ElementType::kS32, {5, 6, 7, 8}, {2, 2}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dims(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(Ints(*r), (I{5, 2, 3, 8}));
}

TEST(Select, ScalarPredicateAndEveryElementSize) {
  for (ElementType t : {ElementType::kPred, ElementType::kS4, ElementType::kF16,
                        ElementType::kF32, ElementType::kF64}) {
    absl::StatusOr<ir::Literal> r =
        Select(Scalar(ElementType::kPred, 1), Lit(t, {1, 0}), Lit(t, {0, 1}));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(Doubles(*r), (D{1, 0}));
  }
  absl::StatusOr<ir::Literal> r =
      Select(Lit(ElementType::kPred, {0, 1}),
             LitC(ElementType::kC128, {{1, 2}, {3, 4}}),
             LitC(ElementType::kC128, {{5, 6}, {7, 8}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Complexes(*r), (std::vector<std::complex<double>>{{5, 6}, {3, 4}}));
}

TEST(Select, Errors) {
  EXPECT_EQ(Select(Lit(ElementType::kS32, {1}), Lit(ElementType::kF32, {1}),
                   Lit(ElementType::kF32, {1}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<ir::Literal> r =
      Select(Lit(ElementType::kPred, {1, 0, 1}), Lit(ElementType::kF32, {1, 2}),
             Lit(ElementType::kF32, {1, 2}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("stablehlo.select"), std::string::npos);
  EXPECT_EQ(Select(Lit(ElementType::kPred, {1}), Lit(ElementType::kF32, {1}),
                   Lit(ElementType::kF64, {1}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Clamp, SpecExample) {
  absl::StatusOr<ir::Literal> r = Clamp(Lit(ElementType::kS32, {5, 10, 15}),
                                        Lit(ElementType::kS32, {3, 13, 23}),
                                        Lit(ElementType::kS32, {10, 15, 20}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Ints(*r), (I{5, 13, 20}));
}

TEST(Clamp, ScalarBoundsNaNAndNarrowTypes) {
  absl::StatusOr<ir::Literal> r = Clamp(
      Scalar(ElementType::kF32, 0), Lit(ElementType::kF32, {-1, 0.5, 2, kNaN}),
      Scalar(ElementType::kF32, 1));
  ASSERT_TRUE(r.ok());
  D v = Doubles(*r);
  EXPECT_EQ(D(v.begin(), v.end() - 1), (D{0, 0.5, 1}));
  EXPECT_TRUE(std::isnan(v[3]));
  r = Clamp(Scalar(ElementType::kBF16, kNaN), Lit(ElementType::kBF16, {1}),
            Scalar(ElementType::kBF16, 2));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isnan(Doubles(*r)[0]));
  r = Clamp(Scalar(ElementType::kU4, 2), Lit(ElementType::kU4, {0, 15, 5}),
            Scalar(ElementType::kU4, 9));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ints(*r), (I{2, 9, 5}));
}

TEST(Clamp, Errors) {
  absl::StatusOr<ir::Literal> r =
      Clamp(Lit(ElementType::kF32, {0, 0}), Lit(ElementType::kF32, {1, 2, 3}),
            Scalar(ElementType::kF32, 1));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("stablehlo.clamp: min"),
            std::string::npos);
  r = Clamp(Scalar(ElementType::kF32, 0), Lit(ElementType::kF32, {1}),
            Scalar(ElementType::kF64, 1));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("max"), std::string::npos);
}

}  // namespace
}  // namespace backplane::kernels::elementwise
