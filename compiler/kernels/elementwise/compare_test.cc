#include "compiler/kernels/elementwise/compare.h"

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
using ::backplane::kernels::elementwise::testing::Ints;
using ::backplane::kernels::elementwise::testing::Lit;
using ::backplane::kernels::elementwise::testing::LitC;
using ::backplane::kernels::elementwise::testing::Typed;
using D = std::vector<double>;
using I = std::vector<int64_t>;
using Dir = ComparisonDirection;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

I Cmp(Dir d, CompareType t, const ir::Literal& a, const ir::Literal& b) {
  absl::StatusOr<ir::Literal> r = Compare(d, t, a, b);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return {};
  EXPECT_EQ(r->element_type(), ElementType::kPred);
  return Ints(*r);
}

TEST(Compare, SpecExample) {
  EXPECT_EQ(
      Cmp(Dir::kLt, CompareType::kFloat, Lit(ElementType::kF32, {1.0, 3.0}),
          Lit(ElementType::kF32, {1.1, 2.9})),
      (I{1, 0}));
}

TEST(Compare, AllDirectionsOnIntegers) {
  const ir::Literal a = Lit(ElementType::kS32, {1, 2, 3});
  const ir::Literal b = Lit(ElementType::kS32, {2, 2, 2});
  EXPECT_EQ(Cmp(Dir::kEq, CompareType::kSigned, a, b), (I{0, 1, 0}));
  EXPECT_EQ(Cmp(Dir::kNe, CompareType::kSigned, a, b), (I{1, 0, 1}));
  EXPECT_EQ(Cmp(Dir::kGe, CompareType::kSigned, a, b), (I{0, 1, 1}));
  EXPECT_EQ(Cmp(Dir::kGt, CompareType::kSigned, a, b), (I{0, 0, 1}));
  EXPECT_EQ(Cmp(Dir::kLe, CompareType::kSigned, a, b), (I{1, 1, 0}));
  EXPECT_EQ(Cmp(Dir::kLt, CompareType::kDefault, a, b), (I{1, 0, 0}));
}

TEST(Compare, SignedAndUnsignedOrders) {
  EXPECT_EQ(Cmp(Dir::kLt, CompareType::kSigned, Lit(ElementType::kS4, {-8, 7}),
                Lit(ElementType::kS4, {7, -8})),
            (I{1, 0}));
  EXPECT_EQ(Cmp(Dir::kLt, CompareType::kUnsigned,
                Typed<uint32_t>(ElementType::kU32, {0xffffffffu, 0}),
                Typed<uint32_t>(ElementType::kU32, {1, 1})),
            (I{0, 1}));
  EXPECT_EQ(Cmp(Dir::kGt, CompareType::kUnsigned,
                Typed<uint64_t>(ElementType::kU64, {~uint64_t{0}}),
                Typed<uint64_t>(ElementType::kU64, {1})),
            (I{1}));
  EXPECT_EQ(
      Cmp(Dir::kGt, CompareType::kUnsigned, Lit(ElementType::kPred, {1, 0, 1}),
          Lit(ElementType::kPred, {0, 1, 1})),
      (I{1, 0, 0}));
}

TEST(Compare, FloatNaNIsUnordered) {
  for (ElementType t : {ElementType::kF32, ElementType::kF64, ElementType::kF16,
                        ElementType::kBF16, ElementType::kF8E5M2}) {
    SCOPED_TRACE(ir::ElementTypeToMlir(t));
    const ir::Literal a = Lit(t, {kNaN, 1, -0.0});
    const ir::Literal b = Lit(t, {kNaN, kNaN, 0.0});
    EXPECT_EQ(Cmp(Dir::kEq, CompareType::kFloat, a, b), (I{0, 0, 1}));
    EXPECT_EQ(Cmp(Dir::kNe, CompareType::kFloat, a, b), (I{1, 1, 0}));
    EXPECT_EQ(Cmp(Dir::kLt, CompareType::kFloat, a, b), (I{0, 0, 0}));
    EXPECT_EQ(Cmp(Dir::kGe, CompareType::kFloat, a, b), (I{0, 0, 1}));
  }
}

TEST(Compare, TotalOrder) {
  const double neg_nan = -kNaN;
  const D ordered = {neg_nan,
                     -kInf,
                     -1,
                     -std::ldexp(1.0, -20),
                     -0.0,
                     0.0,
                     std::ldexp(1.0, -20),
                     1,
                     kInf,
                     kNaN};
  for (ElementType t : {ElementType::kF32, ElementType::kF64, ElementType::kF16,
                        ElementType::kBF16}) {
    SCOPED_TRACE(ir::ElementTypeToMlir(t));
    D lo(ordered.begin(), ordered.end() - 1);
    D hi(ordered.begin() + 1, ordered.end());
    const I all(lo.size(), 1), none(lo.size(), 0);
    EXPECT_EQ(Cmp(Dir::kLt, CompareType::kTotalOrder, Lit(t, lo), Lit(t, hi)),
              all);
    EXPECT_EQ(Cmp(Dir::kGt, CompareType::kTotalOrder, Lit(t, hi), Lit(t, lo)),
              all);
    EXPECT_EQ(Cmp(Dir::kGe, CompareType::kTotalOrder, Lit(t, lo), Lit(t, hi)),
              none);
    // Equality compares representations: NaN == NaN, -0 != +0.
    EXPECT_EQ(Cmp(Dir::kEq, CompareType::kTotalOrder, Lit(t, {kNaN, -0.0, 1}),
                  Lit(t, {kNaN, 0.0, 1})),
              (I{1, 0, 1}));
    EXPECT_EQ(
        Cmp(Dir::kLe, CompareType::kTotalOrder, Lit(t, {kNaN}), Lit(t, {kNaN})),
        (I{1}));
  }
  // f64 NaN payloads order by payload magnitude.
  EXPECT_EQ(Cmp(Dir::kLt, CompareType::kTotalOrder,
                Lit(ElementType::kF64, {BitsToDouble(0x7ff8000000000001)}),
                Lit(ElementType::kF64, {BitsToDouble(0x7ff8000000000002)})),
            (I{1}));
}

TEST(Compare, ComplexIsLexicographic) {
  const ir::Literal a =
      LitC(ElementType::kC64, {{1, 2}, {1, 2}, {0, 5}, {1, 2}, {kNaN, 0}});
  const ir::Literal b =
      LitC(ElementType::kC64, {{1, 3}, {0, 9}, {1, 0}, {1, 2}, {kNaN, 0}});
  EXPECT_EQ(Cmp(Dir::kLt, CompareType::kFloat, a, b), (I{1, 0, 1, 0, 0}));
  EXPECT_EQ(Cmp(Dir::kGt, CompareType::kFloat, a, b), (I{0, 1, 0, 0, 0}));
  EXPECT_EQ(Cmp(Dir::kLe, CompareType::kFloat, a, b), (I{1, 0, 1, 1, 0}));
  EXPECT_EQ(Cmp(Dir::kGe, CompareType::kFloat, a, b), (I{0, 1, 0, 1, 0}));
  EXPECT_EQ(Cmp(Dir::kEq, CompareType::kFloat, a, b), (I{0, 0, 0, 1, 0}));
  EXPECT_EQ(Cmp(Dir::kNe, CompareType::kDefault, a, b), (I{1, 1, 1, 0, 1}));
}

TEST(Compare, Errors) {
  struct Case {
    CompareType type;
    ElementType element;
  };
  for (const Case& c : {Case{CompareType::kSigned, ElementType::kU32},
                        Case{CompareType::kUnsigned, ElementType::kS8},
                        Case{CompareType::kTotalOrder, ElementType::kS32},
                        Case{CompareType::kTotalOrder, ElementType::kC64},
                        Case{CompareType::kFloat, ElementType::kS32},
                        Case{CompareType::kSigned, ElementType::kF32}}) {
    absl::StatusOr<ir::Literal> r =
        Compare(Dir::kEq, c.type, Lit(c.element, {1}), Lit(c.element, {1}));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("stablehlo.compare"),
              std::string::npos);
    EXPECT_NE(r.status().message().find(CompareTypeName(c.type)),
              std::string::npos);
  }
  absl::StatusOr<ir::Literal> r =
      Compare(Dir::kEq, CompareType::kFloat, Lit(ElementType::kF32, {1}),
              Lit(ElementType::kF32, {1, 2}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Compare, Names) {
  for (Dir d : {Dir::kEq, Dir::kNe, Dir::kGe, Dir::kGt, Dir::kLe, Dir::kLt}) {
    EXPECT_EQ(ComparisonDirectionFromName(ComparisonDirectionName(d)), d);
  }
  EXPECT_EQ(CompareTypeFromName("TOTALORDER"), CompareType::kTotalOrder);
  EXPECT_EQ(CompareTypeFromName("bogus"), std::nullopt);
  EXPECT_EQ(ComparisonDirectionFromName("eq"), std::nullopt);
}

}  // namespace
}  // namespace backplane::kernels::elementwise
