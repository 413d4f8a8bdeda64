#include "compiler/kernels/structured/rng_bit_generator.h"

#include "compiler/kernels/structured/test_util.h"
#include "gtest/gtest.h"

namespace backplane::kernels::structured {
namespace {

using ::backplane::ir::ElementType;
using ::backplane::ir::Literal;

uint64_t Join(uint32_t lo, uint32_t hi) {
  return static_cast<uint64_t>(lo) | (static_cast<uint64_t>(hi) << 32);
}

Literal State(std::vector<uint64_t> v) {
  return MakeLiteral<uint64_t>(ElementType::kU64,
                               {static_cast<int64_t>(v.size())}, v);
}

// Random123 known-answer vectors (tests/kat_vectors), the same ones JAX and
// TensorFlow check their XLA generators against.
struct ThreeFryKat {
  std::array<uint32_t, 2> counter, key, out;
};
const ThreeFryKat kThreeFryKats[] = {
    {{0, 0}, {0, 0}, {0x6b200159, 0x99ba4efe}},
    {{0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff},
     {0x1cb996fc, 0xbb002be7}},
    {{0x243f6a88, 0x85a308d3},
     {0x13198a2e, 0x03707344},
     {0xc4923a9c, 0x483df7a0}},
};
struct PhiloxKat {
  std::array<uint32_t, 4> counter;
  std::array<uint32_t, 2> key;
  std::array<uint32_t, 4> out;
};
const PhiloxKat kPhiloxKats[] = {
    {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
     {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

TEST(RngBitGeneratorTest, CipherKnownAnswers) {
  for (const auto& k : kThreeFryKats) {
    EXPECT_EQ(ThreeFry2x32(k.counter, k.key), k.out);
  }
  for (const auto& k : kPhiloxKats) {
    EXPECT_EQ(Philox4x32(k.counter, k.key), k.out);
  }
}

TEST(RngBitGeneratorTest, ThreeFryStateLayoutAndOutputs) {
  for (const auto& k : kThreeFryKats) {
    const uint64_t key = Join(k.key[0], k.key[1]);
    const uint64_t ctr = Join(k.counter[0], k.counter[1]);
    auto r32 = RngBitGenerator(RngAlgorithm::kThreeFry, State({key, ctr}),
                               ElementType::kU32, {2});
    ASSERT_TRUE(r32.ok()) << r32.status();
    EXPECT_EQ(ToVector<uint32_t>(r32->output),
              (std::vector<uint32_t>{k.out[0], k.out[1]}));
    EXPECT_EQ(ToVector<uint64_t>(r32->output_state),
              (std::vector<uint64_t>{key, ctr + 1}));
    auto r64 = RngBitGenerator(RngAlgorithm::kThreeFry, State({key, ctr}),
                               ElementType::kU64, {1});
    ASSERT_TRUE(r64.ok());
    EXPECT_EQ(ToVector<uint64_t>(r64->output),
              (std::vector<uint64_t>{Join(k.out[0], k.out[1])}));
  }
}

TEST(RngBitGeneratorTest, ThreeFrySplitsTheRightDimension) {
  const uint64_t key = 0x1234, ctr = 57;
  const std::array<uint32_t, 2> k = {0x1234, 0};
  auto draw = [&](uint64_t i) {
    return ThreeFry2x32({static_cast<uint32_t>(ctr + i), 0}, k);
  };
  // No even dimension: XLA halves the largest (dimension 1, size 5).
  auto r = RngBitGenerator(RngAlgorithm::kThreeFry, State({key, ctr}),
                           ElementType::kS32, {3, 5});
  ASSERT_TRUE(r.ok());
  auto v = r->output.data<int32_t>();
  for (int i = 0; i < 3; ++i)
    for (int s = 0; s < 5; ++s)
      ASSERT_EQ(static_cast<uint32_t>(v[i * 5 + s]),
                draw(i * 3 + s / 2)[s % 2]);
  EXPECT_EQ(r->output_state.data<uint64_t>()[1], ctr + 9);
  // 46 values: the counter advances by 23, as TensorFlow's test expects.
  auto r46 = RngBitGenerator(RngAlgorithm::kThreeFry, State({key, ctr}),
                             ElementType::kU32, {46});
  EXPECT_EQ(r46->output_state.data<uint64_t>()[1], ctr + 23);
  // Scalar: the first word of one draw.
  auto s = RngBitGenerator(RngAlgorithm::kThreeFry, State({key, ctr}),
                           ElementType::kU32, {});
  EXPECT_EQ(s->output.data<uint32_t>()[0], draw(0)[0]);
  // Narrow types keep the low bits of the 32-bit draw.
  auto h = RngBitGenerator(RngAlgorithm::kThreeFry, State({key, ctr}),
                           ElementType::kF16, {2});
  EXPECT_EQ(h->output.data<uint16_t>()[1],
            static_cast<uint16_t>(draw(0)[1] & 0xffff));
  auto s4 = RngBitGenerator(RngAlgorithm::kThreeFry, State({key, ctr}),
                            ElementType::kS4, {2});
  int8_t low4 = static_cast<int8_t>(draw(0)[0] & 0xf);
  if (low4 >= 8) low4 -= 16;
  EXPECT_EQ(s4->output.data<int8_t>()[0], low4);
}

TEST(RngBitGeneratorTest, PhiloxStateLayoutsAndOutputs) {
  for (const auto& k : kPhiloxKats) {
    const uint64_t key = Join(k.key[0], k.key[1]);
    const uint64_t lo = Join(k.counter[0], k.counter[1]);
    const uint64_t hi = Join(k.counter[2], k.counter[3]);
    for (RngAlgorithm alg : {RngAlgorithm::kPhilox, RngAlgorithm::kDefault}) {
      auto r =
          RngBitGenerator(alg, State({key, lo, hi}), ElementType::kU32, {4});
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(ToVector<uint32_t>(r->output),
                (std::vector<uint32_t>(k.out.begin(), k.out.end())));
    }
    auto r64 = RngBitGenerator(RngAlgorithm::kPhilox, State({key, lo, hi}),
                               ElementType::kS64, {2});
    ASSERT_TRUE(r64.ok());
    EXPECT_EQ(static_cast<uint64_t>(r64->output.data<int64_t>()[0]),
              Join(k.out[0], k.out[1]));
    EXPECT_EQ(static_cast<uint64_t>(r64->output.data<int64_t>()[1]),
              Join(k.out[2], k.out[3]));
  }
  // Two-word state: the counter's high word is the key itself.
  const uint64_t key = Join(0xa4093822, 0x299f31d0);
  auto two = RngBitGenerator(RngAlgorithm::kPhilox, State({key, 0}),
                             ElementType::kU32, {4});
  ASSERT_TRUE(two.ok());
  auto want =
      Philox4x32({0, 0, 0xa4093822, 0x299f31d0}, {0xa4093822, 0x299f31d0});
  EXPECT_EQ(ToVector<uint32_t>(two->output),
            (std::vector<uint32_t>(want.begin(), want.end())));
  EXPECT_EQ(ToVector<uint64_t>(two->output_state),
            (std::vector<uint64_t>{key, 1}));
}

TEST(RngBitGeneratorTest, PhiloxCounterAdvanceAndCarry) {
  // TensorFlow's expectations: 47 u32 values take 12 blocks, 47 u64 take 24.
  auto r = RngBitGenerator(RngAlgorithm::kPhilox, State({0x1234, 57, 283}),
                           ElementType::kU32, {47});
  EXPECT_EQ(ToVector<uint64_t>(r->output_state),
            (std::vector<uint64_t>{0x1234, 57 + 12, 283}));
  auto w =
      RngBitGenerator(RngAlgorithm::kPhilox, State({0x1234, ~uint64_t{0}, 283}),
                      ElementType::kU64, {47});
  EXPECT_EQ(ToVector<uint64_t>(w->output_state),
            (std::vector<uint64_t>{0x1234, 23, 284}));
  // The block that crosses the 64-bit boundary uses the carried high word.
  auto x = RngBitGenerator(RngAlgorithm::kPhilox, State({0, ~uint64_t{0}, 5}),
                           ElementType::kU32, {8});
  auto second = Philox4x32({0, 0, 6, 0}, {0, 0});
  EXPECT_EQ(x->output.data<uint32_t>()[4], second[0]);
}

TEST(RngBitGeneratorTest, Errors) {
  EXPECT_EQ(RngBitGenerator(RngAlgorithm::kThreeFry, State({1, 2, 3}),
                            ElementType::kU32, {2})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(
      RngBitGenerator(RngAlgorithm::kPhilox, State({1}), ElementType::kU32, {2})
          .ok());
  EXPECT_FALSE(RngBitGenerator(RngAlgorithm::kPhilox, S64({2}, {1, 2}),
                               ElementType::kU32, {2})
                   .ok());
  EXPECT_FALSE(RngBitGenerator(RngAlgorithm::kPhilox, State({1, 2}),
                               ElementType::kPred, {2})
                   .ok());
  EXPECT_FALSE(RngBitGenerator(RngAlgorithm::kPhilox, State({1, 2}),
                               ElementType::kU32, {-2})
                   .ok());
}

}  // namespace
}  // namespace backplane::kernels::structured
