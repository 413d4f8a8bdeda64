// Literal builders and readers for the element-wise kernel tests. Builders
// encode values with compiler/ir's reference conversions (not the code under
// test), so a wrong kernel cannot make its own expectations agree.
//
//   ir::Literal x = Lit(ElementType::kF16, {1.0, -0.5});
//   EXPECT_EQ(Doubles(*Unary(UnaryOp::kNegate, x)),
//             (std::vector<double>{-1.0, 0.5}));
#ifndef BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_TEST_UTIL_H_
#define BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_TEST_UTIL_H_

#include <complex>
#include <cstdint>
#include <cstring>
#include <vector>

#include "compiler/ir/element_type.h"
#include "compiler/ir/float16.h"
#include "compiler/ir/literal.h"

namespace backplane::kernels::elementwise::testing {

using ir::ElementType;

// A rank-1 literal (or `dims` if given) from doubles; integers are cast,
// narrow floats rounded by the ir reference conversions.
inline ir::Literal Lit(ElementType type, const std::vector<double>& values,
                       std::vector<int64_t> dims = {}) {
  if (dims.empty()) dims = {static_cast<int64_t>(values.size())};
  ir::Literal lit(ir::TensorType(type, dims));
  uint8_t* p = lit.untyped_data();
  for (size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    switch (type) {
      case ElementType::kPred:
        p[i] = v != 0;
        break;
      case ElementType::kS2:
      case ElementType::kS4:
      case ElementType::kS8:
        reinterpret_cast<int8_t*>(p)[i] = static_cast<int8_t>(v);
        break;
      case ElementType::kU2:
      case ElementType::kU4:
      case ElementType::kU8:
        p[i] = static_cast<uint8_t>(v);
        break;
      case ElementType::kS16:
        reinterpret_cast<int16_t*>(p)[i] = static_cast<int16_t>(v);
        break;
      case ElementType::kU16:
        reinterpret_cast<uint16_t*>(p)[i] = static_cast<uint16_t>(v);
        break;
      case ElementType::kS32:
        reinterpret_cast<int32_t*>(p)[i] = static_cast<int32_t>(v);
        break;
      case ElementType::kU32:
        reinterpret_cast<uint32_t*>(p)[i] = static_cast<uint32_t>(v);
        break;
      case ElementType::kS64:
        reinterpret_cast<int64_t*>(p)[i] = static_cast<int64_t>(v);
        break;
      case ElementType::kU64:
        reinterpret_cast<uint64_t*>(p)[i] = static_cast<uint64_t>(v);
        break;
      case ElementType::kF8E4M3FN:
        p[i] = ir::FloatToF8E4M3FN(static_cast<float>(v));
        break;
      case ElementType::kF8E5M2:
        p[i] = ir::FloatToF8E5M2(static_cast<float>(v));
        break;
      case ElementType::kF8E4M3:
      case ElementType::kF8E3M4:
      case ElementType::kF8E4M3FNUZ:
      case ElementType::kF8E5M2FNUZ:
      case ElementType::kF8E4M3B11FNUZ:
      case ElementType::kF8E8M0FNU:
      case ElementType::kF4E2M1FN:
      case ElementType::kF6E2M3FN:
      case ElementType::kF6E3M2FN:
        p[i] = ir::DoubleToByteFloat(*ir::ByteFloatFormatOf(type), v);
        break;
      case ElementType::kF16:
        reinterpret_cast<uint16_t*>(p)[i] = ir::DoubleToHalf(v);
        break;
      case ElementType::kBF16:
        reinterpret_cast<uint16_t*>(p)[i] = ir::DoubleToBF16(v);
        break;
      case ElementType::kF32:
        reinterpret_cast<float*>(p)[i] = static_cast<float>(v);
        break;
      case ElementType::kF64:
        reinterpret_cast<double*>(p)[i] = v;
        break;
      case ElementType::kC64:
        reinterpret_cast<std::complex<float>*>(p)[i] = static_cast<float>(v);
        break;
      case ElementType::kC128:
        reinterpret_cast<std::complex<double>*>(p)[i] = v;
        break;
      case ElementType::kInvalid:
        break;
    }
  }
  return lit;
}

// A 0-dimensional literal.
inline ir::Literal Scalar(ElementType type, double value) {
  ir::Literal one = Lit(type, {value});
  ir::Literal scalar(ir::TensorType(type, {}));
  std::memcpy(scalar.untyped_data(), one.untyped_data(),
              static_cast<size_t>(one.byte_size()));
  return scalar;
}

// Exact 64-bit integers (doubles lose precision above 2^53).
template <typename T>
ir::Literal Typed(ElementType type, const std::vector<T>& values,
                  std::vector<int64_t> dims = {}) {
  if (dims.empty()) dims = {static_cast<int64_t>(values.size())};
  ir::Literal lit(ir::TensorType(type, dims));
  std::memcpy(lit.untyped_data(), values.data(), values.size() * sizeof(T));
  return lit;
}

inline ir::Literal LitC(ElementType type,
                        const std::vector<std::complex<double>>& values) {
  ir::Literal lit(ir::TensorType(type, {static_cast<int64_t>(values.size())}));
  for (size_t i = 0; i < values.size(); ++i) {
    if (type == ElementType::kC64) {
      lit.data<std::complex<float>>()[i] = std::complex<float>(values[i]);
    } else {
      lit.data<std::complex<double>>()[i] = values[i];
    }
  }
  return lit;
}

inline std::vector<double> Doubles(const ir::Literal& lit) {
  std::vector<double> out;
  for (int64_t i = 0; i < lit.element_count(); ++i) {
    out.push_back(lit.GetAsDouble(i));
  }
  return out;
}

inline std::vector<int64_t> Ints(const ir::Literal& lit) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < lit.element_count(); ++i) {
    out.push_back(lit.GetAsInt64(i));
  }
  return out;
}

inline std::vector<std::complex<double>> Complexes(const ir::Literal& lit) {
  std::vector<std::complex<double>> out;
  for (int64_t i = 0; i < lit.element_count(); ++i) {
    out.emplace_back(lit.GetAsDouble(i), lit.GetImagAsDouble(i));
  }
  return out;
}

template <typename T>
std::vector<T> Raw(const ir::Literal& lit) {
  auto span = lit.data<T>();
  return std::vector<T>(span.begin(), span.end());
}

inline uint64_t DoubleBits(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return u;
}
inline double BitsToDouble(uint64_t u) {
  double d;
  std::memcpy(&d, &u, 8);
  return d;
}

// Distance in ulps between two floats of any sign (or infinities): the
// number of representable floats between them, +0 and -0 counting as one.
inline int64_t UlpDistance(float a, float b) {
  auto ordered = [](float f) {
    int32_t bits;
    std::memcpy(&bits, &f, 4);
    return bits < 0 ? int64_t{INT32_MIN} - bits : int64_t{bits};
  };
  const int64_t d = ordered(a) - ordered(b);
  return d < 0 ? -d : d;
}

}  // namespace backplane::kernels::elementwise::testing

#endif  // BACKPLANE_COMPILER_KERNELS_ELEMENTWISE_TEST_UTIL_H_
