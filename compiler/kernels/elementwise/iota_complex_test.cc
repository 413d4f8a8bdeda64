#include "compiler/kernels/elementwise/iota_complex.h"

#include <cmath>
#include <complex>
#include <limits>
#include <vector>

#include "compiler/kernels/elementwise/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::elementwise {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::kernels::elementwise::testing::BitsToDouble;
using ::backplane::kernels::elementwise::testing::Complexes;
using ::backplane::kernels::elementwise::testing::Doubles;
using ::backplane::kernels::elementwise::testing::Ints;
using ::backplane::kernels::elementwise::testing::Lit;
using ::backplane::kernels::elementwise::testing::LitC;
using C = std::complex<double>;
using D = std::vector<double>;
using I = std::vector<int64_t>;

TEST(Iota, SpecExamples) {
  absl::StatusOr<ir::Literal> r =
      Iota(ir::TensorType(ElementType::kS32, {4, 5}), 0);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Ints(*r),
            (I{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3}));
  r = Iota(ir::TensorType(ElementType::kS32, {4, 5}), 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ints(*r),
            (I{0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4}));
}

TEST(Iota, MiddleDimensionAndTypes) {
  absl::StatusOr<ir::Literal> r =
      Iota(ir::TensorType(ElementType::kF16, {2, 3, 2}), 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Doubles(*r), (D{0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2}));
  r = Iota(ir::TensorType(ElementType::kS4, {10}), 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ints(*r), (I{0, 1, 2, 3, 4, 5, 6, 7, -8, -7}));
  r = Iota(ir::TensorType(ElementType::kC64, {3}), 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Complexes(*r), (std::vector<C>{{0, 0}, {1, 0}, {2, 0}}));
  r = Iota(ir::TensorType(ElementType::kF32, {0, 3}), 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->element_count(), 0);
}

TEST(Iota, Errors) {
  EXPECT_EQ(Iota(ir::TensorType(ElementType::kS32, {4}), 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Iota(ir::TensorType(ElementType::kS32, {}), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Iota(ir::TensorType(ElementType::kS32, {-2}), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<ir::Literal> huge =
      Iota(ir::TensorType(ElementType::kS32, {1 << 20, 1 << 20}), 0);
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(huge.status().message().find("stablehlo.iota"), std::string::npos);
}

TEST(ComplexParts, SpecExamples) {
  absl::StatusOr<ir::Literal> z = Complex(Lit(ElementType::kF32, {1.0, 3.0}),
                                          Lit(ElementType::kF32, {2.0, 4.0}));
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_EQ(z->element_type(), ElementType::kC64);
  EXPECT_EQ(Complexes(*z), (std::vector<C>{{1, 2}, {3, 4}}));
  absl::StatusOr<ir::Literal> re = Real(*z);
  absl::StatusOr<ir::Literal> im = Imag(*z);
  ASSERT_TRUE(re.ok() && im.ok());
  EXPECT_EQ(re->element_type(), ElementType::kF32);
  EXPECT_EQ(Doubles(*re), (D{1, 3}));
  EXPECT_EQ(Doubles(*im), (D{2, 4}));
  absl::StatusOr<ir::Literal> z64 =
      Complex(Lit(ElementType::kF64, {0.1}), Lit(ElementType::kF64, {-0.2}));
  ASSERT_TRUE(z64.ok());
  EXPECT_EQ(z64->element_type(), ElementType::kC128);
  EXPECT_EQ(Doubles(*Imag(*z64)), (D{-0.2}));
  // Real operands: real is the identity and imag is zero.
  EXPECT_EQ(Doubles(*Real(Lit(ElementType::kBF16, {1.5}))), (D{1.5}));
  EXPECT_EQ(Doubles(*Imag(Lit(ElementType::kF16, {1.5}))), (D{0}));
}

TEST(ComplexParts, Errors) {
  EXPECT_EQ(Complex(Lit(ElementType::kF16, {1}), Lit(ElementType::kF16, {1}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Complex(Lit(ElementType::kF32, {1}), Lit(ElementType::kF64, {1}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<ir::Literal> r = Real(Lit(ElementType::kS32, {1}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("stablehlo.real"), std::string::npos);
}

TEST(Classify, SpecExampleIsFinite) {
  const ir::Literal x =
      Lit(ElementType::kF64,
          {BitsToDouble(0xFFF0000000000000), BitsToDouble(0x7FF0000000000000),
           BitsToDouble(0x7FF8000000000000), -10.0, -0.0, 0.0, 10.0});
  absl::StatusOr<ir::Literal> r = IsFinite(x);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->element_type(), ElementType::kPred);
  EXPECT_EQ(Ints(*r), (I{0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(Ints(*Classify(FloatClass::kInf, x)), (I{1, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Ints(*Classify(FloatClass::kNegInf, x)), (I{1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Ints(*Classify(FloatClass::kPosInf, x)), (I{0, 1, 0, 0, 0, 0, 0}));
}

TEST(Classify, NarrowTypesAndErrors) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Ints(*IsFinite(Lit(ElementType::kF16, {65504, inf, 1e-7}))),
            (I{1, 0, 1}));
  EXPECT_EQ(Ints(*IsFinite(Lit(ElementType::kF8E4M3FN, {448, NAN}))),
            (I{1, 0}));
  absl::StatusOr<ir::Literal> r = IsFinite(Lit(ElementType::kS32, {1}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("stablehlo.is_finite"),
            std::string::npos);
  r = Classify(FloatClass::kInf, LitC(ElementType::kC64, {{1, 1}}));
  EXPECT_NE(r.status().message().find("chlo.is_inf"), std::string::npos);
}

}  // namespace
}  // namespace backplane::kernels::elementwise
