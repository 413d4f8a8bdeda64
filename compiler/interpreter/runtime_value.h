// RuntimeValue: what an SSA value holds while the interpreter runs: a tensor
// (ir::Literal), a token, or a tuple of runtime values.
//
//   ValueRef v = RuntimeValue::Tensor(std::move(literal));
//   if (v->is_tensor()) use(v->tensor());
//
// Values are immutable once built and shared by reference count, so passing
// them through calls, loops and tuples never copies tensor data. The live
// tensor bytes of all RuntimeValues are counted so that the interpreter can
// enforce a memory limit and report its peak.
#ifndef BACKPLANE_COMPILER_INTERPRETER_RUNTIME_VALUE_H_
#define BACKPLANE_COMPILER_INTERPRETER_RUNTIME_VALUE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "compiler/ir/literal.h"

namespace backplane::interpreter {

class RuntimeValue;
using ValueRef = std::shared_ptr<const RuntimeValue>;

class RuntimeValue {
 public:
  enum class Kind { kTensor, kToken, kTuple };

  static ValueRef Tensor(ir::Literal literal);
  static ValueRef Token();
  static ValueRef Tuple(std::vector<ValueRef> elements);

  ~RuntimeValue();
  RuntimeValue(const RuntimeValue&) = delete;
  RuntimeValue& operator=(const RuntimeValue&) = delete;

  Kind kind() const { return kind_; }
  bool is_tensor() const { return kind_ == Kind::kTensor; }
  bool is_token() const { return kind_ == Kind::kToken; }
  bool is_tuple() const { return kind_ == Kind::kTuple; }
  const ir::Literal& tensor() const { return tensor_; }
  const std::vector<ValueRef>& elements() const { return elements_; }

  // Bytes of tensor data held by all live RuntimeValues of the process, and
  // the highest value since the last ResetPeakLiveBytes().
  static int64_t LiveBytes();
  static int64_t PeakLiveBytes();
  static void ResetPeakLiveBytes();

 private:
  RuntimeValue() = default;
  Kind kind_ = Kind::kToken;
  ir::Literal tensor_;
  std::vector<ValueRef> elements_;
};

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_RUNTIME_VALUE_H_
