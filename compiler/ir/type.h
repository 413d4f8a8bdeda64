// Type: the static type of an IR value: a ranked tensor (ir::TensorType),
// `!stablehlo.token`, or a tuple of types.
//
//   Type t = Type::Tensor(TensorType(ElementType::kF32, {2, 3}));
//   if (t.is_tensor()) use(t.tensor().dims());
//   t.ToString();  // "tensor<2x3xf32>"
//
// Types are small values; copy them freely.
#ifndef BACKPLANE_COMPILER_IR_TYPE_H_
#define BACKPLANE_COMPILER_IR_TYPE_H_

#include <string>
#include <vector>

#include "compiler/ir/literal.h"

namespace backplane::ir {

class Type {
 public:
  enum class Kind : uint8_t { kTensor, kToken, kTuple };

  Type() = default;  // An invalid tensor type (element type kInvalid).
  static Type Tensor(TensorType tensor) {
    Type t;
    t.tensor_ = std::move(tensor);
    return t;
  }
  static Type Tensor(ElementType element_type, std::vector<int64_t> dims) {
    return Tensor(TensorType(element_type, std::move(dims)));
  }
  static Type Token() {
    Type t;
    t.kind_ = Kind::kToken;
    return t;
  }
  static Type Tuple(std::vector<Type> elements) {
    Type t;
    t.kind_ = Kind::kTuple;
    t.tuple_ = std::move(elements);
    return t;
  }

  Kind kind() const { return kind_; }
  bool is_tensor() const { return kind_ == Kind::kTensor; }
  bool is_token() const { return kind_ == Kind::kToken; }
  bool is_tuple() const { return kind_ == Kind::kTuple; }

  // Only meaningful when is_tensor().
  const TensorType& tensor() const { return tensor_; }
  ElementType element_type() const { return tensor_.element_type(); }
  const std::vector<int64_t>& dims() const { return tensor_.dims(); }
  int64_t rank() const { return tensor_.rank(); }
  // Only meaningful when is_tuple().
  const std::vector<Type>& tuple_elements() const { return tuple_; }

  // MLIR spelling: "tensor<2xf32>", "!stablehlo.token", "tuple<...>".
  std::string ToString() const;

  friend bool operator==(const Type& a, const Type& b) {
    return a.kind_ == b.kind_ && a.tensor_ == b.tensor_ && a.tuple_ == b.tuple_;
  }
  friend bool operator!=(const Type& a, const Type& b) { return !(a == b); }

 private:
  Kind kind_ = Kind::kTensor;
  TensorType tensor_;
  std::vector<Type> tuple_;
};

// "(tensor<f32>, tensor<2xi32>)"-style list without the parentheses.
std::string TypeListToString(const std::vector<Type>& types);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_TYPE_H_
