// TensorType and Literal: the static type of a tensor and a dense host
// value of that type. Literals are what constants hold, what the reference
// interpreter computes on, and what plugins exchange with the kernel library.
//
//   Literal x(TensorType(ElementType::kF32, {2, 3}));
//   absl::Span<float> data = x.data<float>();
//
// Layout is dense row-major (the last dimension varies fastest), elements
// stored as element_type.h describes.
#ifndef BACKPLANE_COMPILER_IR_LITERAL_H_
#define BACKPLANE_COMPILER_IR_LITERAL_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "compiler/ir/element_type.h"

namespace backplane::ir {

// The largest number of elements a single tensor may declare. Guards the
// parser and the interpreter against unbounded allocation from bad input.
inline constexpr int64_t kMaxTensorElements = int64_t{1} << 32;

class TensorType {
 public:
  TensorType() = default;
  TensorType(ElementType element_type, std::vector<int64_t> dims)
      : element_type_(element_type), dims_(std::move(dims)) {}

  ElementType element_type() const { return element_type_; }
  const std::vector<int64_t>& dims() const { return dims_; }
  int64_t rank() const { return static_cast<int64_t>(dims_.size()); }
  int64_t dim(int64_t i) const { return dims_[i]; }
  // Product of dims; 1 for a scalar. Callers must have validated the dims
  // (see CheckedElementCount) before trusting this on untrusted input.
  int64_t element_count() const;
  int64_t byte_size() const {
    return element_count() * ElementByteSize(element_type_);
  }

  // Validates dims (non-negative, product <= kMaxTensorElements) and
  // returns the element count.
  static absl::StatusOr<int64_t> CheckedElementCount(
      absl::Span<const int64_t> dims);

  // "tensor<2x3xf32>".
  std::string ToString() const;

  friend bool operator==(const TensorType& a, const TensorType& b) {
    return a.element_type_ == b.element_type_ && a.dims_ == b.dims_;
  }
  friend bool operator!=(const TensorType& a, const TensorType& b) {
    return !(a == b);
  }

 private:
  ElementType element_type_ = ElementType::kInvalid;
  std::vector<int64_t> dims_;
};

// Row-major strides in elements for `dims`.
std::vector<int64_t> RowMajorStrides(absl::Span<const int64_t> dims);

// Thrown by Literal's constructor when host memory is exhausted; what() says
// how many bytes for which type. Code that cannot use Literal::Allocate
// (kernels building results) lets it reach the interpreter or plugin, which
// turns it into RESOURCE_EXHAUSTED.
class LiteralAllocationError : public std::bad_alloc {
 public:
  explicit LiteralAllocationError(std::string message)
      : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

class Literal {
 public:
  Literal() = default;
  // Zero-initialised storage for `type`. Throws LiteralAllocationError when
  // host memory is exhausted (never returns an unusable literal).
  explicit Literal(TensorType type);
  // The same, with exhaustion as RESOURCE_EXHAUSTED (bytes and type).
  static absl::StatusOr<Literal> Allocate(TensorType type);

  Literal(const Literal& other);
  Literal& operator=(const Literal& other);
  Literal(Literal&&) noexcept = default;
  Literal& operator=(Literal&&) noexcept = default;

  const TensorType& type() const { return type_; }
  ElementType element_type() const { return type_.element_type(); }
  const std::vector<int64_t>& dims() const { return type_.dims(); }
  int64_t element_count() const { return element_count_; }
  int64_t byte_size() const {
    return element_count_ * ElementByteSize(type_.element_type());
  }

  // Raw storage, 64-byte aligned.
  uint8_t* untyped_data() { return data_.get(); }
  const uint8_t* untyped_data() const { return data_.get(); }

  // Typed view; T must match the storage convention of element_type().
  template <typename T>
  absl::Span<T> data() {
    return absl::Span<T>(reinterpret_cast<T*>(data_.get()), element_count_);
  }
  template <typename T>
  absl::Span<const T> data() const {
    return absl::Span<const T>(reinterpret_cast<const T*>(data_.get()),
                               element_count_);
  }

  // Bytewise equality of type and contents (NaNs with equal bits are equal).
  bool BitwiseEquals(const Literal& other) const;

  // Element `index` (row-major linear index) as a double / int64 / complex
  // real part. For tests, printing and checks; not for hot loops.
  double GetAsDouble(int64_t index) const;
  int64_t GetAsInt64(int64_t index) const;
  // Imaginary part for complex types, 0 otherwise.
  double GetImagAsDouble(int64_t index) const;


 private:
  struct FreeDeleter {
    void operator()(uint8_t* p) const;
  };
  TensorType type_;
  int64_t element_count_ = 0;
  std::unique_ptr<uint8_t[], FreeDeleter> data_;
};

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_LITERAL_H_
