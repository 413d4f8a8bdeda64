#include "compiler/kernels/structured/dot.h"

#include <cmath>
#include <complex>

#include "compiler/ir/float16.h"
#include "compiler/kernels/structured/reference_util.h"
#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

// Naive dot_general over complex<double>, straight from the spec.
std::vector<std::complex<double>> ReferenceDot(
    const Literal& lhs, const Literal& rhs, const DotDimensionNumbers& dn,
    std::vector<int64_t>* result_dims) {
  auto free_dims = [](const Literal& x, const std::vector<int64_t>& batch,
                      const std::vector<int64_t>& contracting) {
    std::vector<int64_t> out;
    for (int64_t d = 0; d < x.type().rank(); ++d) {
      if (std::count(batch.begin(), batch.end(), d) == 0 &&
          std::count(contracting.begin(), contracting.end(), d) == 0)
        out.push_back(d);
    }
    return out;
  };
  std::vector<int64_t> lf = free_dims(lhs, dn.lhs_batch, dn.lhs_contracting);
  std::vector<int64_t> rf = free_dims(rhs, dn.rhs_batch, dn.rhs_contracting);
  result_dims->clear();
  for (int64_t d : dn.lhs_batch) result_dims->push_back(lhs.dims()[d]);
  for (int64_t d : lf) result_dims->push_back(lhs.dims()[d]);
  for (int64_t d : rf) result_dims->push_back(rhs.dims()[d]);
  std::vector<int64_t> cdims;
  for (int64_t d : dn.lhs_contracting) cdims.push_back(lhs.dims()[d]);
  std::vector<std::complex<double>> out;
  ForEachIndex(*result_dims, [&](absl::Span<const int64_t> r) {
    std::vector<int64_t> li(lhs.type().rank()), ri(rhs.type().rank());
    size_t pos = 0;
    for (size_t i = 0; i < dn.lhs_batch.size(); ++i, ++pos) {
      li[dn.lhs_batch[i]] = r[pos];
      ri[dn.rhs_batch[i]] = r[pos];
    }
    for (int64_t d : lf) li[d] = r[pos++];
    for (int64_t d : rf) ri[d] = r[pos++];
    std::complex<double> sum = 0;
    ForEachIndex(cdims, [&](absl::Span<const int64_t> c) {
      for (size_t i = 0; i < c.size(); ++i) {
        li[dn.lhs_contracting[i]] = c[i];
        ri[dn.rhs_contracting[i]] = c[i];
      }
      int64_t la = LinearIndex(lhs.dims(), li),
              ra = LinearIndex(rhs.dims(), ri);
      sum +=
          std::complex<double>(lhs.GetAsDouble(la), lhs.GetImagAsDouble(la)) *
          std::complex<double>(rhs.GetAsDouble(ra), rhs.GetImagAsDouble(ra));
    });
    out.push_back(sum);
  });
  return out;
}

struct DotCase {
  std::vector<int64_t> lhs_dims, rhs_dims;
  DotDimensionNumbers dn;
};

std::vector<DotCase> Cases() {
  return {
      {{1, 1}, {1, 1}, {{}, {}, {1}, {0}}},
      {{7, 13}, {13, 9}, {{}, {}, {1}, {0}}},
      {{50, 300}, {300, 37}, {{}, {}, {1}, {0}}},        // Crosses the K block.
      {{13, 7}, {9, 13}, {{}, {}, {0}, {1}}},            // Both transposed.
      {{5, 3, 4}, {4, 3, 6}, {{1}, {1}, {2}, {0}}},      // Batch in the middle.
      {{3, 5, 2}, {2, 6, 3}, {{}, {}, {0, 2}, {2, 0}}},  // Two contracting.
      {{2, 3, 4, 5},
       {5, 2, 4, 3},
       {{0, 2}, {1, 2}, {3}, {0}}},    // Batches and free dims interleaved.
      {{4}, {4}, {{}, {}, {0}, {0}}},  // Vector dot to a scalar.
      {{3}, {2}, {{}, {}, {}, {}}},    // Outer product.
      {{0, 5}, {5, 3}, {{}, {}, {1}, {0}}},
      {{4, 0}, {0, 3}, {{}, {}, {1}, {0}}},  // Empty contraction: zeros.
  };
}

void CheckAgainstReference(ElementType type, double tolerance) {
  uint32_t seed = 1;
  for (const DotCase& c : Cases()) {
    Literal lhs = RandomLiteral(type, c.lhs_dims, seed++);
    Literal rhs = RandomLiteral(type, c.rhs_dims, seed++);
    absl::StatusOr<Literal> r = DotGeneral(lhs, rhs, c.dn);
    ASSERT_TRUE(r.ok()) << r.status();
    std::vector<int64_t> dims;
    std::vector<std::complex<double>> want =
        ReferenceDot(lhs, rhs, c.dn, &dims);
    ASSERT_EQ(r->dims(), dims);
    ASSERT_EQ(r->element_count(), static_cast<int64_t>(want.size()));
    for (size_t i = 0; i < want.size(); ++i) {
      double got_re = r->GetAsDouble(i), got_im = r->GetImagAsDouble(i);
      double tol = tolerance * (1 + std::abs(want[i]));
      ASSERT_NEAR(got_re, want[i].real(), tol)
          << ir::ElementTypeToMlir(type) << " case lhs " << c.lhs_dims.size()
          << " element " << i;
      ASSERT_NEAR(got_im, want[i].imag(), tol) << "element " << i;
    }
  }
}

TEST(DotGeneralTest, F32MatchesReference) {
  CheckAgainstReference(ElementType::kF32, 1e-5);
}
TEST(DotGeneralTest, F64MatchesReference) {
  CheckAgainstReference(ElementType::kF64, 1e-12);
}
TEST(DotGeneralTest, C64MatchesReference) {
  CheckAgainstReference(ElementType::kC64, 1e-5);
}
TEST(DotGeneralTest, C128MatchesReference) {
  CheckAgainstReference(ElementType::kC128, 1e-12);
}
TEST(DotGeneralTest, S32MatchesReference) {
  CheckAgainstReference(ElementType::kS32, 0);
}
// bf16 inputs are exact in f32; the only error is the final rounding.
TEST(DotGeneralTest, BF16MatchesReference) {
  CheckAgainstReference(ElementType::kBF16, 1e-2);
}
TEST(DotGeneralTest, F16MatchesReference) {
  CheckAgainstReference(ElementType::kF16, 2e-3);
}

TEST(DotGeneralTest, SpecExample) {
  Literal lhs = S64({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  Literal rhs = S64({2, 2, 2}, {1, 0, 0, 1, 1, 0, 0, 1});
  absl::StatusOr<Literal> r = DotGeneral(lhs, rhs, {{0}, {0}, {2}, {1}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<int64_t>(*r),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(DotGeneralTest, IntegersWrapAround) {
  Literal lhs = MakeLiteral<int8_t>(ElementType::kS8, {1, 2}, {100, 100});
  Literal rhs = MakeLiteral<int8_t>(ElementType::kS8, {2, 1}, {2, 1});
  absl::StatusOr<Literal> r = DotGeneral(lhs, rhs, {{}, {}, {1}, {0}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data<int8_t>()[0], static_cast<int8_t>(300 - 256));
  Literal a4 = MakeLiteral<int8_t>(ElementType::kS4, {1, 1}, {7});
  Literal b4 = MakeLiteral<int8_t>(ElementType::kS4, {1, 1}, {3});
  absl::StatusOr<Literal> r4 = DotGeneral(a4, b4, {{}, {}, {1}, {0}});
  ASSERT_TRUE(r4.ok());
  EXPECT_EQ(r4->data<int8_t>()[0], 5);  // 21 mod 16 = 5.
}

TEST(DotGeneralTest, PreferredResultType) {
  // i8 x i8 -> i32 does not wrap at 8 bits; bf16 x bf16 -> f32 keeps f32.
  Literal lhs = MakeLiteral<int8_t>(ElementType::kS8, {1, 2}, {100, 100});
  Literal rhs = MakeLiteral<int8_t>(ElementType::kS8, {2, 1}, {2, 1});
  absl::StatusOr<Literal> r =
      DotGeneral(lhs, rhs, {{}, {}, {1}, {0}}, ElementType::kS32);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ToVector<int32_t>(*r), (std::vector<int32_t>{300}));
  Literal a = RandomLiteral(ElementType::kBF16, {3, 4}, 1);
  Literal b = RandomLiteral(ElementType::kBF16, {4, 2}, 2);
  absl::StatusOr<Literal> f =
      DotGeneral(a, b, {{}, {}, {1}, {0}}, ElementType::kF32);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->element_type(), ElementType::kF32);
  std::vector<int64_t> dims;
  auto want = ReferenceDot(a, b, {{}, {}, {1}, {0}}, &dims);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(f->data<float>()[i], want[i].real(), 1e-5);
  }
  EXPECT_FALSE(DotGeneral(F32({1, 1}, {1}), F32({1, 1}, {1}),
                          {{}, {}, {1}, {0}}, ElementType::kS32)
                   .ok());
}

TEST(DotGeneralTest, Float8AccumulatesInF32) {
  // 1.0 and 2.0 are exact in f8e4m3fn (0x38, 0x40); 4 * (1 * 2) = 8 (0x50).
  Literal a = MakeLiteral<uint8_t>(ElementType::kF8E4M3FN, {1, 4},
                                   {0x38, 0x38, 0x38, 0x38});
  Literal b = MakeLiteral<uint8_t>(ElementType::kF8E4M3FN, {4, 1},
                                   {0x40, 0x40, 0x40, 0x40});
  absl::StatusOr<Literal> r = DotGeneral(a, b, {{}, {}, {1}, {0}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->GetAsDouble(0), 8.0);
}

// The spec's dot_general examples for f8E3M4 and f8E4M3: products are
// accumulated in f32 and the sum rounded once to the result type.
TEST(DotGeneralTest, Float8E3M4AndE4M3) {
  // [0, 1, 2, 3] . [0, 1, 2, 3] = 14, exact in f8E3M4 (1.75 * 2^3 = 0x6c).
  Literal a =
      MakeLiteral<uint8_t>(ElementType::kF8E3M4, {4}, {0x00, 0x30, 0x40, 0x48});
  absl::StatusOr<Literal> r = DotGeneral(a, a, {{}, {}, {0}, {0}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->element_type(), ElementType::kF8E3M4);
  EXPECT_EQ(r->data<uint8_t>()[0], 0x6c);
  // [0..7] . [0..7] = 140, which f8E4M3 (3 mantissa bits) rounds to 144.
  std::vector<uint8_t> seq;
  for (int i = 0; i < 8; ++i) seq.push_back(ir::FloatToF8E4M3(i));
  Literal b = MakeLiteral<uint8_t>(ElementType::kF8E4M3, {8}, seq);
  absl::StatusOr<Literal> s = DotGeneral(b, b, {{}, {}, {0}, {0}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->GetAsDouble(0), 144.0);
}

TEST(DotGeneralTest, PredIsOrOfAnds) {
  Literal lhs = MakeLiteral<uint8_t>(ElementType::kPred, {2, 2}, {1, 0, 0, 0});
  Literal rhs = MakeLiteral<uint8_t>(ElementType::kPred, {2, 2}, {1, 1, 1, 0});
  absl::StatusOr<Literal> r = DotGeneral(lhs, rhs, {{}, {}, {1}, {0}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToVector<uint8_t>(*r), (std::vector<uint8_t>{1, 1, 0, 0}));
}

TEST(DotGeneralTest, BadDimensionNumbers) {
  Literal a = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  Literal b = F32({3, 2}, {1, 2, 3, 4, 5, 6});
  auto code = [&](DotDimensionNumbers dn) {
    return DotGeneral(a, b, dn).status().code();
  };
  EXPECT_EQ(code({{}, {}, {0}, {0}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{}, {}, {2}, {0}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{}, {}, {1, 1}, {0, 0}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{0}, {}, {1}, {0}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{}, {}, {1}, {}}), absl::StatusCode::kInvalidArgument);
  absl::Status s = DotGeneral(a, b, {{}, {}, {0}, {0}}).status();
  EXPECT_NE(s.message().find("contracting dimension sizes differ"),
            std::string::npos)
      << s;
  EXPECT_FALSE(
      DotGeneral(a, S32({3, 2}, {1, 2, 3, 4, 5, 6}), {{}, {}, {1}, {0}}).ok());
}

}  // namespace
}  // namespace backplane::kernels::structured
