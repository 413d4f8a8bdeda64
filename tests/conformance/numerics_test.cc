// Family Numerics: runs every program of the built-in numerics registry
// (tests/conformance/numerics/, our own programs, not the shared corpus)
// through the ABI on the plugin under test and compares each output element
// with its hand-derived expected value. Comparison rules (docs/conformance.md):
// integers and pred exact; floats within the element type's tolerance
// (f64 1e-12, f32 1e-5, f16 1e-3, bf16 1e-2, absolute plus relative; ten
// times that for Tolerance::kApproximate cases); NaN matches any NaN;
// infinities match by sign; a zero result must have the expected sign.
// A program the plugin rejects at compile time with UNIMPLEMENTED is
// skipped with the plugin's message (the plugin declares the op unsupported).
#include <cmath>
#include <complex>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compiler/ir/float16.h"
#include "gtest/gtest.h"
#include "tests/conformance/harness.h"
#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {
namespace {

std::vector<uint8_t> ToBytes(const Tensor& t) {
  const int size = ElementTypeByteSize(t.type);
  std::vector<uint8_t> bytes(t.values.size() * size);
  for (size_t i = 0; i < t.values.size(); ++i) {
    double v = t.values[i];
    uint8_t* p = bytes.data() + i * size;
    switch (t.type) {
      case BPL_ELEMENT_TYPE_PRED:
      case BPL_ELEMENT_TYPE_U8:
      case BPL_ELEMENT_TYPE_U4:
      case BPL_ELEMENT_TYPE_U2:
        *p = static_cast<uint8_t>(v);
        break;
      case BPL_ELEMENT_TYPE_S8:
      case BPL_ELEMENT_TYPE_S4:
      case BPL_ELEMENT_TYPE_S2: {
        int8_t x = static_cast<int8_t>(v);
        std::memcpy(p, &x, 1);
        break;
      }
      case BPL_ELEMENT_TYPE_S16: {
        int16_t x = static_cast<int16_t>(v);
        std::memcpy(p, &x, 2);
        break;
      }
      case BPL_ELEMENT_TYPE_U16: {
        uint16_t x = static_cast<uint16_t>(v);
        std::memcpy(p, &x, 2);
        break;
      }
      case BPL_ELEMENT_TYPE_S32: {
        int32_t x = static_cast<int32_t>(v);
        std::memcpy(p, &x, 4);
        break;
      }
      case BPL_ELEMENT_TYPE_U32: {
        uint32_t x = static_cast<uint32_t>(v);
        std::memcpy(p, &x, 4);
        break;
      }
      case BPL_ELEMENT_TYPE_S64: {
        int64_t x = static_cast<int64_t>(v);
        std::memcpy(p, &x, 8);
        break;
      }
      case BPL_ELEMENT_TYPE_U64: {
        uint64_t x = static_cast<uint64_t>(v);
        std::memcpy(p, &x, 8);
        break;
      }
      case BPL_ELEMENT_TYPE_F16: {
        uint16_t x = ir::DoubleToHalf(v);
        std::memcpy(p, &x, 2);
        break;
      }
      case BPL_ELEMENT_TYPE_BF16: {
        uint16_t x = ir::DoubleToBF16(v);
        std::memcpy(p, &x, 2);
        break;
      }
      case BPL_ELEMENT_TYPE_F32: {
        float x = static_cast<float>(v);
        std::memcpy(p, &x, 4);
        break;
      }
      case BPL_ELEMENT_TYPE_F64:
        std::memcpy(p, &v, 8);
        break;
      case BPL_ELEMENT_TYPE_C64: {
        std::complex<float> x(static_cast<float>(v),
                              static_cast<float>(t.imag.at(i)));
        std::memcpy(p, &x, 8);
        break;
      }
      case BPL_ELEMENT_TYPE_C128: {
        std::complex<double> x(v, t.imag.at(i));
        std::memcpy(p, &x, 16);
        break;
      }
      default:
        break;
    }
  }
  return bytes;
}

// Element i of `bytes` as (real, imaginary).
std::pair<double, double> Element(BPL_ElementType type, const uint8_t* bytes,
                                  size_t i) {
  const uint8_t* p = bytes + i * ElementTypeByteSize(type);
  switch (type) {
    case BPL_ELEMENT_TYPE_PRED:
    case BPL_ELEMENT_TYPE_U8:
    case BPL_ELEMENT_TYPE_U4:
    case BPL_ELEMENT_TYPE_U2:
      return {*p, 0};
    case BPL_ELEMENT_TYPE_S8:
    case BPL_ELEMENT_TYPE_S4:
    case BPL_ELEMENT_TYPE_S2:
      return {static_cast<int8_t>(*p), 0};
    case BPL_ELEMENT_TYPE_S16: {
      int16_t x;
      std::memcpy(&x, p, 2);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_U16: {
      uint16_t x;
      std::memcpy(&x, p, 2);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_S32: {
      int32_t x;
      std::memcpy(&x, p, 4);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_U32: {
      uint32_t x;
      std::memcpy(&x, p, 4);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_S64: {
      int64_t x;
      std::memcpy(&x, p, 8);
      return {static_cast<double>(x), 0};
    }
    case BPL_ELEMENT_TYPE_U64: {
      uint64_t x;
      std::memcpy(&x, p, 8);
      return {static_cast<double>(x), 0};
    }
    case BPL_ELEMENT_TYPE_F16: {
      uint16_t x;
      std::memcpy(&x, p, 2);
      return {ir::HalfToFloat(x), 0};
    }
    case BPL_ELEMENT_TYPE_BF16: {
      uint16_t x;
      std::memcpy(&x, p, 2);
      return {ir::BF16ToFloat(x), 0};
    }
    case BPL_ELEMENT_TYPE_F32: {
      float x;
      std::memcpy(&x, p, 4);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_F64: {
      double x;
      std::memcpy(&x, p, 8);
      return {x, 0};
    }
    case BPL_ELEMENT_TYPE_C64: {
      std::complex<float> x;
      std::memcpy(&x, p, 8);
      return {x.real(), x.imag()};
    }
    case BPL_ELEMENT_TYPE_C128: {
      std::complex<double> x;
      std::memcpy(&x, p, 16);
      return {x.real(), x.imag()};
    }
    default:
      return {0, 0};
  }
}

double ElementTolerance(BPL_ElementType type, Tolerance rule) {
  double base = 0;
  switch (type) {
    case BPL_ELEMENT_TYPE_F64:
    case BPL_ELEMENT_TYPE_C128:
      base = 1e-12;
      break;
    case BPL_ELEMENT_TYPE_F32:
    case BPL_ELEMENT_TYPE_C64:
      base = 1e-5;
      break;
    case BPL_ELEMENT_TYPE_F16:
      base = 1e-3;
      break;
    case BPL_ELEMENT_TYPE_BF16:
      base = 1e-2;
      break;
    default:
      return 0;
  }
  return rule == Tolerance::kApproximate ? 10 * base : base;
}

bool Close(double actual, double expected, double tolerance,
           bool signed_zeros) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (std::isinf(expected)) return actual == expected;
  // Signed zeros are part of the result (negate, sign, ceil, multiply by a
  // negative number...): an exact zero must carry the expected sign. Not for
  // complex parts, where the sign of a zero part depends on the formula an
  // implementation picks (e.g. for division).
  if (signed_zeros && expected == 0 && actual == 0) {
    return std::signbit(expected) == std::signbit(actual);
  }
  return std::fabs(actual - expected) <=
         tolerance + tolerance * std::fabs(expected);
}

// Prints -0 distinctly so sign-of-zero failures read clearly.
std::string Show(double v) {
  if (v == 0 && std::signbit(v)) return "-0";
  return absl::StrCat(v);
}

class Numerics : public ConformanceTest,
                 public ::testing::WithParamInterface<size_t> {};

TEST_P(Numerics, MatchesExpectedValues) {
  REQUIRE_CAPABILITY("execute");
  const NumericsCase& c = AllNumericsCases()[GetParam()];
  auto exe = client_.Compile(c.program);
  if (!exe.ok() && exe.status().code() == absl::StatusCode::kUnimplemented) {
    GTEST_SKIP() << "plugin does not support " << c.name << ": "
                 << exe.status().message();
  }
  ASSERT_TRUE(exe.ok()) << c.name << ": " << exe.status();
  std::vector<Buffer> inputs;
  for (const Tensor& t : c.inputs) {
    std::vector<uint8_t> bytes = ToBytes(t);
    auto b =
        client_.BufferFromHost(bytes.data(), Shape{t.type, t.dims}, device_);
    ASSERT_TRUE(b.ok()) << b.status();
    inputs.push_back(std::move(b->buffer));
  }
  std::vector<Buffer*> args;
  for (Buffer& b : inputs) args.push_back(&b);
  auto outputs = exe->ExecuteOnOneDevice(args);
  ASSERT_TRUE(outputs.ok()) << c.name << ": " << outputs.status();
  ASSERT_EQ(outputs->size(), c.expected.size());
  for (size_t o = 0; o < c.expected.size(); ++o) {
    const Tensor& e = c.expected[o];
    auto shape = (*outputs)[o].shape();
    ASSERT_TRUE(shape.ok());
    ASSERT_EQ(*shape, (Shape{e.type, e.dims})) << "output " << o;
    std::vector<uint8_t> bytes(static_cast<size_t>(shape->byte_size()));
    if (bytes.empty()) continue;  // A zero-sized result: the shape is all.
    auto done = (*outputs)[o].ToHost(bytes.data(), bytes.size());
    ASSERT_TRUE(done.ok());
    ASSERT_TRUE(AwaitWithTimeout(*done).ok());
    ASSERT_EQ(e.values.size() * ElementTypeByteSize(e.type), bytes.size())
        << c.name << ": the case's expected output " << o
        << " does not match its declared dims";
    for (size_t i = 0; i < e.values.size(); ++i) {
      auto [re, im] = Element(e.type, bytes.data(), i);
      EXPECT_TRUE(Close(re, e.values[i], ElementTolerance(e.type, c.tolerance),
                        /*signed_zeros=*/e.imag.empty()))
          << c.name << " output " << o << "[" << i << "] = " << Show(re)
          << ", expected " << Show(e.values[i]);
      if (!e.imag.empty()) {
        EXPECT_TRUE(Close(im, e.imag[i], ElementTolerance(e.type, c.tolerance),
                          /*signed_zeros=*/false))
            << c.name << " output " << o << "[" << i
            << "] imaginary = " << Show(im) << ", expected " << Show(e.imag[i]);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, Numerics,
                         ::testing::Range<size_t>(0, AllNumericsCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return AllNumericsCases()[info.param].name;
                         });

}  // namespace
}  // namespace backplane::conformance
