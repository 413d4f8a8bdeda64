#include "compiler/passes/ir_util.h"

#include <cmath>
#include <complex>
#include <cstring>

#include "compiler/ir/float16.h"

namespace backplane::passes {

using ir::ElementType;

const ir::Literal* ConstantValue(const ir::Value* value) {
  const ir::Op* op = value->defining_op();
  if (op == nullptr || op->code() != ir::OpCode::kConstant) return nullptr;
  const ir::Attribute* a = op->attr("value");
  if (a == nullptr || a->kind() != ir::Attribute::Kind::kDenseElements) {
    return nullptr;
  }
  return &a->literal();
}

bool IsSplat(const ir::Literal& lit) {
  int64_t n = lit.element_count();
  if (n == 0) return false;
  int size = ir::ElementByteSize(lit.element_type());
  const uint8_t* p = lit.untyped_data();
  for (int64_t i = 1; i < n; ++i) {
    if (std::memcmp(p, p + i * size, size) != 0) return false;
  }
  return true;
}

std::optional<double> SplatAsDouble(const ir::Literal& lit) {
  if (!IsSplat(lit)) return std::nullopt;
  return lit.GetAsDouble(0);
}

namespace {

// Writes `value` converted to `type` into `out` (ElementByteSize bytes).
void WriteElement(ElementType type, double value, uint8_t* out) {
  // Converting a non-finite or huge double to an integer is undefined
  // behaviour in C++; callers only ask integers for small values.
  if (!ir::IsFloat(type) && !ir::IsComplex(type) &&
      !(std::fabs(value) < 9.0e18)) {
    value = 0;
  }
  auto put = [out](auto v) { std::memcpy(out, &v, sizeof(v)); };
  switch (type) {
    case ElementType::kPred:
      put(static_cast<uint8_t>(value != 0));
      return;
    case ElementType::kS2:
    case ElementType::kS4: {
      // Wrap to the width, then sign-extend into the byte.
      int bits = ir::ElementBitWidth(type);
      int64_t v = static_cast<int64_t>(value) & ((int64_t{1} << bits) - 1);
      if (v >> (bits - 1)) v -= int64_t{1} << bits;
      put(static_cast<int8_t>(v));
      return;
    }
    case ElementType::kU2:
    case ElementType::kU4: {
      int bits = ir::ElementBitWidth(type);
      put(static_cast<uint8_t>(static_cast<int64_t>(value) &
                               ((int64_t{1} << bits) - 1)));
      return;
    }
    case ElementType::kS8:
      put(static_cast<int8_t>(static_cast<int64_t>(value)));
      return;
    case ElementType::kS16:
      put(static_cast<int16_t>(static_cast<int64_t>(value)));
      return;
    case ElementType::kS32:
      put(static_cast<int32_t>(static_cast<int64_t>(value)));
      return;
    case ElementType::kS64:
      put(static_cast<int64_t>(value));
      return;
    case ElementType::kU8:
      put(static_cast<uint8_t>(static_cast<int64_t>(value)));
      return;
    case ElementType::kU16:
      put(static_cast<uint16_t>(static_cast<int64_t>(value)));
      return;
    case ElementType::kU32:
      put(static_cast<uint32_t>(static_cast<int64_t>(value)));
      return;
    case ElementType::kU64:
      put(static_cast<uint64_t>(static_cast<int64_t>(value)));
      return;
    case ElementType::kF8E4M3FN:
    case ElementType::kF8E5M2:
    case ElementType::kF8E4M3:
    case ElementType::kF8E3M4:
    case ElementType::kF8E4M3FNUZ:
    case ElementType::kF8E5M2FNUZ:
    case ElementType::kF8E4M3B11FNUZ:
    case ElementType::kF8E8M0FNU:
    case ElementType::kF4E2M1FN:
    case ElementType::kF6E2M3FN:
    case ElementType::kF6E3M2FN:
      put(ir::DoubleToByteFloat(*ir::ByteFloatFormatOf(type), value));
      return;
    case ElementType::kF16:
      put(ir::DoubleToHalf(value));
      return;
    case ElementType::kBF16:
      put(ir::DoubleToBF16(value));
      return;
    case ElementType::kF32:
      put(static_cast<float>(value));
      return;
    case ElementType::kF64:
      put(value);
      return;
    case ElementType::kC64:
      put(std::complex<float>(static_cast<float>(value), 0.0f));
      return;
    case ElementType::kC128:
      put(std::complex<double>(value, 0.0));
      return;
    case ElementType::kInvalid:
      return;
  }
}

}  // namespace

ir::Literal SplatLiteral(const ir::TensorType& type, double value) {
  ir::Literal lit(type);
  int size = ir::ElementByteSize(type.element_type());
  uint8_t element[16] = {};
  WriteElement(type.element_type(), value, element);
  uint8_t* p = lit.untyped_data();
  for (int64_t i = 0; i < lit.element_count(); ++i) {
    std::memcpy(p + i * size, element, size);
  }
  return lit;
}

bool IsSplatOf(const ir::Literal& lit, double value) {
  ElementType type = lit.element_type();
  int size = ir::ElementByteSize(type);
  uint8_t element[16] = {};
  WriteElement(type, value, element);
  // Integers must hold `value` itself: it must be whole and fit the width
  // as a signed or an unsigned number (so -1 is all ones for unsigned
  // types, but 256 is not a u8 zero).
  if (ir::IsInteger(type) || ir::IsPred(type)) {
    if (!(std::fabs(value) < 9.0e18) ||
        static_cast<double>(static_cast<int64_t>(value)) != value) {
      return false;
    }
    const int bits = ir::ElementBitWidth(type);
    if (bits < 64) {
      const int64_t v = static_cast<int64_t>(value);
      if (v < -(int64_t{1} << (bits - 1)) || v > (int64_t{1} << bits) - 1) {
        return false;
      }
    }
  }
  const uint8_t* p = lit.untyped_data();
  for (int64_t i = 0; i < lit.element_count(); ++i) {
    if (std::memcmp(p + i * size, element, size) != 0) return false;
  }
  return lit.element_count() > 0;
}

ir::Value* InsertConstant(ir::Op* before, ir::Literal literal) {
  ir::Type type = ir::Type::Tensor(literal.type());
  ir::NamedAttrList attrs;
  attrs.Set("value", ir::Attribute::DenseElements(std::move(literal)));
  std::unique_ptr<ir::Op> op =
      ir::Op::Create(ir::OpCode::kConstant, {}, {type}, std::move(attrs));
  op->location() = before->location();
  return before->parent_block()->InsertBefore(before, std::move(op))->result(0);
}

absl::Status ReplaceOp(ir::Op* op, const std::vector<ir::Value*>& values) {
  for (int i = 0; i < op->num_results(); ++i) {
    op->result(i)->ReplaceAllUsesWith(values[i]);
  }
  return op->Erase();
}

const std::vector<int64_t>* DenseArrayAttr(const ir::Op& op,
                                           absl::string_view name) {
  const ir::Attribute* a = op.attr(name);
  if (a == nullptr || a->kind() != ir::Attribute::Kind::kDenseArray) {
    return nullptr;
  }
  return &a->dense_array();
}

}  // namespace backplane::passes
