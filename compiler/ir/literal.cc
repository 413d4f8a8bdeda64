#include "compiler/ir/literal.h"

#include <complex>
#include <cstdlib>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/element_types.h"
#include "compiler/ir/float16.h"

namespace backplane::ir {

int64_t TensorType::element_count() const {
  int64_t n = 1;
  for (int64_t d : dims_) n *= d;
  return n;
}

absl::StatusOr<int64_t> TensorType::CheckedElementCount(
    absl::Span<const int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("negative dimension size ", d));
    }
    if (d != 0 && n > kMaxTensorElements / d) {
      return absl::ResourceExhaustedError(
          absl::StrCat("tensor of shape [", absl::StrJoin(dims, "x"),
                       "] has more than the supported maximum of ",
                       kMaxTensorElements, " elements"));
    }
    n *= d;
  }
  if (n > kMaxTensorElements) {
    return absl::ResourceExhaustedError(
        absl::StrCat("tensor of shape [", absl::StrJoin(dims, "x"),
                     "] has more than the supported maximum of ",
                     kMaxTensorElements, " elements"));
  }
  return n;
}

std::string TensorType::ToString() const {
  std::string s = "tensor<";
  for (int64_t d : dims_) absl::StrAppend(&s, d, "x");
  absl::StrAppend(&s, ElementTypeToMlir(element_type_), ">");
  return s;
}

std::vector<int64_t> RowMajorStrides(absl::Span<const int64_t> dims) {
  std::vector<int64_t> strides(dims.size());
  int64_t s = 1;
  for (int64_t i = static_cast<int64_t>(dims.size()) - 1; i >= 0; --i) {
    strides[i] = s;
    s *= dims[i];
  }
  return strides;
}

void Literal::FreeDeleter::operator()(uint8_t* p) const { std::free(p); }

Literal::Literal(TensorType type)
    : type_(std::move(type)), element_count_(type_.element_count()) {
  size_t bytes = static_cast<size_t>(byte_size());
  size_t rounded = (bytes + 63) / 64 * 64;
  if (rounded == 0) rounded = 64;
  data_.reset(static_cast<uint8_t*>(std::aligned_alloc(64, rounded)));
  if (data_ == nullptr) {
    throw LiteralAllocationError(absl::StrCat("cannot allocate ", rounded,
                                              " bytes of host memory for ",
                                              type_.ToString()));
  }
  std::memset(data_.get(), 0, rounded);
}

absl::StatusOr<Literal> Literal::Allocate(TensorType type) {
  try {
    return Literal(std::move(type));
  } catch (const LiteralAllocationError& e) {
    return absl::ResourceExhaustedError(e.what());
  }
}

Literal::Literal(const Literal& other) : Literal(other.type_) {
  // A default-constructed literal has no storage to copy from.
  if (other.data_ != nullptr && byte_size() > 0) {
    std::memcpy(data_.get(), other.data_.get(),
                static_cast<size_t>(byte_size()));
  }
}

Literal& Literal::operator=(const Literal& other) {
  if (this != &other) *this = Literal(other);
  return *this;
}

bool Literal::BitwiseEquals(const Literal& other) const {
  if (type_ != other.type_) return false;
  if (byte_size() == 0) return true;
  return std::memcmp(data_.get(), other.data_.get(),
                     static_cast<size_t>(byte_size())) == 0;
}

namespace {

// Element `i` of a buffer of `Storage` (base/element_types.h) as a double:
// the real part of complex values, the decoded value of float bit patterns.
template <typename Storage>
double StoredAsDouble(ElementType type, const uint8_t* p, int64_t i) {
  const Storage s = reinterpret_cast<const Storage*>(p)[i];
  if constexpr (std::is_same_v<Storage, std::complex<float>> ||
                std::is_same_v<Storage, std::complex<double>>) {
    return s.real();
  } else if constexpr (std::is_floating_point_v<Storage>) {
    return s;
  } else if constexpr (std::is_same_v<Storage, uint16_t>) {
    if (type == ElementType::kF16) return HalfToFloat(s);
    if (type == ElementType::kBF16) return BF16ToFloat(s);
    return s;
  } else if constexpr (std::is_same_v<Storage, uint8_t>) {
    if (IsFloat(type)) return ByteFloatToDouble(*ByteFloatFormatOf(type), s);
    return s;
  } else {
    return static_cast<double>(s);
  }
}

}  // namespace

double Literal::GetAsDouble(int64_t i) const {
  const uint8_t* p = data_.get();
  switch (element_type()) {
#define BACKPLANE_AS_DOUBLE_CASE(e, NAME, mlir, abi_name, storage, bits, \
                                 category)                               \
  case ElementType::k##e:                                                \
    return StoredAsDouble<storage>(ElementType::k##e, p, i);
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_AS_DOUBLE_CASE)
#undef BACKPLANE_AS_DOUBLE_CASE
    case ElementType::kInvalid:
      return 0;
  }
  return 0;
}

double Literal::GetImagAsDouble(int64_t i) const {
  if (element_type() == ElementType::kC64) {
    return data<std::complex<float>>()[i].imag();
  }
  if (element_type() == ElementType::kC128) {
    return data<std::complex<double>>()[i].imag();
  }
  return 0;
}

int64_t Literal::GetAsInt64(int64_t i) const {
  switch (element_type()) {
    case ElementType::kS64:
      return data<int64_t>()[i];
    case ElementType::kU64:
      return static_cast<int64_t>(data<uint64_t>()[i]);
    default:
      if (IsFloat(element_type()) || IsComplex(element_type())) {
        return static_cast<int64_t>(GetAsDouble(i));
      }
      return static_cast<int64_t>(GetAsDouble(i));
  }
}

}  // namespace backplane::ir
