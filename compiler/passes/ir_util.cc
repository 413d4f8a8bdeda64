#include "compiler/passes/ir_util.h"

#include <cmath>
#include <complex>
#include <cstring>
#include <type_traits>

#include "base/element_types.h"
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

namespace {

// `value` as one element of `type`, stored as `Storage` (see
// base/element_types.h): sub-byte integers wrap to their width, float bit
// patterns are rounded to their format, integers truncate.
template <typename Storage>
void WriteAs(ElementType type, double value, uint8_t* out) {
  Storage v{};
  if constexpr (std::is_same_v<Storage, std::complex<float>> ||
                std::is_same_v<Storage, std::complex<double>>) {
    using Part = typename Storage::value_type;
    v = Storage(static_cast<Part>(value), Part{0});
  } else if constexpr (std::is_floating_point_v<Storage>) {
    v = static_cast<Storage>(value);
  } else if (type == ElementType::kPred) {
    v = static_cast<Storage>(value != 0);
  } else if (type == ElementType::kF16) {
    v = static_cast<Storage>(ir::DoubleToHalf(value));
  } else if (type == ElementType::kBF16) {
    v = static_cast<Storage>(ir::DoubleToBF16(value));
  } else if (ir::IsFloat(type)) {
    v = static_cast<Storage>(
        ir::DoubleToByteFloat(*ir::ByteFloatFormatOf(type), value));
  } else if (const int bits = ir::ElementBitWidth(type); bits < 8) {
    // Wrap to the width, then sign-extend into the byte.
    int64_t w = static_cast<int64_t>(value) & ((int64_t{1} << bits) - 1);
    if (ir::IsSignedInteger(type) && (w >> (bits - 1))) w -= int64_t{1} << bits;
    v = static_cast<Storage>(w);
  } else {
    v = static_cast<Storage>(static_cast<int64_t>(value));
  }
  std::memcpy(out, &v, sizeof(v));
}

// Writes `value` converted to `type` into `out` (ElementByteSize bytes).
void WriteElement(ElementType type, double value, uint8_t* out) {
  // Converting a non-finite or huge double to an integer is undefined
  // behaviour in C++; callers only ask integers for small values.
  if (!ir::IsFloat(type) && !ir::IsComplex(type) &&
      !(std::fabs(value) < 9.0e18)) {
    value = 0;
  }
  switch (type) {
#define BACKPLANE_WRITE_CASE(e, NAME, mlir, abi_name, storage, bits, category) \
  case ElementType::k##e:                                                      \
    WriteAs<storage>(type, value, out);                                        \
    return;
    BACKPLANE_ELEMENT_TYPES(BACKPLANE_WRITE_CASE)
#undef BACKPLANE_WRITE_CASE
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
